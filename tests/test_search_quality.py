"""Search quality set: Dutch queries a civil servant would type against the demo content.

Each query maps to the items (by URL) a person expects after reading the demo texts
(publications/demo.py, events/demo.py, learning_circles/demo.py, network/demo.py). The set
is measured on `search.matching_entries(q)` over visible public items: recall@10 (share of
expected items in the top 10, averaged) and MRR (1 / rank of the first expected item).
The figures and the misses are printed (`pytest -s`, and in a failure's output). The same
test runs on SQLite (FTS5 + Snowball) and on PostgreSQL (`dutch` tsvector); see docs/search.md.
"""

import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from ikpob_portal.kernel import search

P, E, L, ORG, N = (
    "/publicaties/",
    "/evenementen/",
    "/leerkringen/",
    "/netwerk/",
    "/netwerk/personen/",
)

VAKMANSCHAP = [
    L + "ambtelijk-vakmanschap-in-de-participatiemaatschappij",
    P + "ambtelijk-vakmanschap-3-0",
    E + "slotconferentie-ambtelijk-vakmanschap-in-de-participatiemaatschappij",
]
LEIDERSCHAP = [ORG + "vom", ORG + "vgs"]
TOEZICHT = [
    P + "kritische-beroepssituaties",
    P + "inspecteurs-over-hun-vak",
    L + "programma-innovatie-toezicht-professionalisering",
]
PARTICIPATIE = [E + "tussen-participatie-en-populisme"]
LEREN_VAN_DOEN = [P + "leren-van-doen", P + "webinar-leren-van-doen", E + "webinar-leren-van-doen"]
INSPECTEURS = [P + "inspecteurs-over-hun-vak"]
AMBTENAAR = [P + "ambtelijk-vakmanschap-3-0"]

# (query, expected item URLs, interface language)
QUALITY_SET = [
    # theme words, plurals and singulars
    ("leiderschap", LEIDERSCHAP, "nl"),
    ("vakmanschap", VAKMANSCHAP, "nl"),
    ("ambtelijk vakmanschap", VAKMANSCHAP, "nl"),
    ("toezicht", [*TOEZICHT, P + "vragenwaaier", P + "aandacht-voor-wat-werkt"], "nl"),
    ("ambtenaren", AMBTENAAR, "nl"),
    ("ambtenaar", AMBTENAAR, "nl"),
    ("inspecteurs", INSPECTEURS, "nl"),
    ("inspecteur", INSPECTEURS, "nl"),
    ("participatie", PARTICIPATIE, "nl"),
    ("participatiemaatschappij", PARTICIPATIE + VAKMANSCHAP[:1], "nl"),
    ("webinar", [E + "webinar-leren-van-doen", E + "webinar-aandacht-voor-wat-werkt"], "nl"),
    ("webinars", [E + "webinar-leren-van-doen", E + "webinar-aandacht-voor-wat-werkt"], "nl"),
    (
        "strategie",
        [
            P + "balanceren-tussen-inkapseling-en-afstoting",
            P + "verschuivende-verwachtingen",
            P + "strategiseren-in-de-schaduw-van-de-macht",
            P + "toekomstverkenning-en-organisatieontwikkeling",
        ],
        "nl",
    ),
    (
        "competentieontwikkeling",
        [
            P + "kritische-beroepssituaties",
            P + "aandacht-voor-wat-werkt",
            P + "ambtelijk-vakmanschap-3-0",
        ],
        "nl",
    ),
    ("burgerinitiatief", [ORG + "gemeente-berkelland"], "nl"),
    ("burgerinitiatieven", [ORG + "gemeente-berkelland"], "nl"),
    ("sturen in netwerken", LEREN_VAN_DOEN, "nl"),
    ("samenwerken", [P + "leren-van-doen"], "nl"),
    ("samenwerking", [P + "leren-van-doen"], "nl"),
    ("gezagsdragers", [P + "figureren-in-het-verhaal-van-een-ander"], "nl"),
    ("gezagsdrager", [P + "figureren-in-het-verhaal-van-een-ander"], "nl"),
    ("verwachtingen", [P + "verschuivende-verwachtingen"], "nl"),
    ("rolverandering", [P + "verschuivende-verwachtingen"], "nl"),
    ("rationaliteit", [P + "botsende-rationaliteiten"], "nl"),
    ("bestuurders", [P + "strategiseren-in-de-schaduw-van-de-macht"], "nl"),
    ("gemeentesecretarissen", [ORG + "vgs"], "nl"),
    ("gemeentesecretaris", [ORG + "vgs"], "nl"),
    ("gemeenten", [ORG + "vng", ORG + "ao-fonds-gemeenten", ORG + "king"], "nl"),
    # compounds: a longer word finds items about its parts, a part finds the longer word
    ("burgerparticipatie", PARTICIPATIE, "nl"),
    ("toezichthouder", TOEZICHT, "nl"),
    ("toezichthouders", TOEZICHT, "nl"),
    ("conferentie", [VAKMANSCHAP[2]], "nl"),
    ("slotconferentie", [VAKMANSCHAP[2]], "nl"),
    ("waaier", [P + "vragenwaaier"], "nl"),
    ("vragenwaaier", [P + "vragenwaaier"], "nl"),
    ("scenario", [P + "toekomstverkenning-en-organisatieontwikkeling"], "nl"),
    ("scenarioproject", [P + "toekomstverkenning-en-organisatieontwikkeling"], "nl"),
    ("beroepssituatie", [P + "kritische-beroepssituaties"], "nl"),
    ("secretaris", [ORG + "vgs"], "nl"),
    # typos
    ("vakmanshap", VAKMANSCHAP, "nl"),
    ("leiderchap", LEIDERSCHAP, "nl"),
    ("inspekteurs", INSPECTEURS, "nl"),
    ("inspecteuers", INSPECTEURS, "nl"),
    ("particiaptie", PARTICIPATIE, "nl"),
    ("populsime", [E + "tussen-participatie-en-populisme"], "nl"),
    # names
    ("Martijn van der Steen", [N + "martijn-van-der-steen", P + "leren-van-doen"], "nl"),
    ("Bomhoff", [N + "manja-bomhoff", P + "inspecteurs-over-hun-vak"], "nl"),
    ("Manja Bomhoff", [N + "manja-bomhoff"], "nl"),
    ("Paul 't Hart", [N + "paul-t-hart", P + "ambtelijk-vakmanschap-3-0"], "nl"),
    ("Berkelland", [ORG + "gemeente-berkelland", VAKMANSCHAP[0]], "nl"),
    ("Inspectieraad", [ORG + "bureau-inspectieraad"], "nl"),
    ("Academie voor Toezicht", [ORG + "academie-voor-toezicht", TOEZICHT[2]], "nl"),
    ("Universiteit Tilburg", [ORG + "universiteit-van-tilburg"], "nl"),
    ("NSOB", [ORG + "nsob"], "nl"),
    ("ministerie binnenlandse zaken", [ORG + "bzk"], "nl"),
    ("waterschap", [ORG + "waterschap-agv"], "nl"),
    ("Fryslan", [ORG + "provincie-fryslan"], "nl"),
    # phrases in quotes
    ('"leren van doen"', LEREN_VAN_DOEN, "nl"),
    ('"inspecteurs over hun vak"', INSPECTEURS, "nl"),
    ('"Netwerk Publiek Toezicht"', [P + "kritische-beroepssituaties", TOEZICHT[2]], "nl"),
    (
        '"botsende rationaliteiten"',
        [P + "botsende-rationaliteiten", E + "leesbijeenkomst-waarden-die-botsen"],
        "nl",
    ),
    # exclusions
    (
        "toezicht -webinar",
        [P + "kritische-beroepssituaties", P + "vragenwaaier", P + "inspecteurs-over-hun-vak"],
        "nl",
    ),
    (
        "vakmanschap -participatiemaatschappij",
        [P + "ambtelijk-vakmanschap-3-0", P + "inspecteurs-over-hun-vak"],
        "nl",
    ),
    # multi-word
    (
        "kritische beroepssituaties",
        [P + "kritische-beroepssituaties", E + "kbs-gesprek-als-waarden-botsen"],
        "nl",
    ),
    (
        "botsende waarden",
        [E + "kbs-gesprek-als-waarden-botsen", P + "omgaan-met-conflicterende-waarden"],
        "nl",
    ),
    (
        "democratische waarden",
        [E + "tussen-participatie-en-populisme", P + "omgaan-met-conflicterende-waarden"],
        "nl",
    ),
    (
        "strategische functie rijksoverheid",
        [P + "balanceren-tussen-inkapseling-en-afstoting"],
        "nl",
    ),
    ("politiek assistenten", [P + "strategiseren-in-de-schaduw-van-de-macht"], "nl"),
    (
        "effect van toezicht",
        [E + "webinar-aandacht-voor-wat-werkt", P + "aandacht-voor-wat-werkt"],
        "nl",
    ),
    ("participatie en populisme", [E + "tussen-participatie-en-populisme"], "nl"),
    # the English interface runs the same Dutch search
    ("leiderschap", LEIDERSCHAP, "en"),
    ("toezichthouder", TOEZICHT, "en"),
    ("vakmanshap", VAKMANSCHAP, "en"),
    ("inspecteurs", INSPECTEURS, "en"),
    ("Martijn van der Steen", [N + "martijn-van-der-steen", P + "leren-van-doen"], "en"),
]

RECALL_FLOOR = 0.90
MRR_FLOOR = 0.80


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddemo", stdout=StringIO())


def _path(url: str) -> str:
    """An entry's URL without a language prefix and host."""
    path = "/" + url.split("://", 1)[-1].split("/", 1)[-1] if "://" in url else url
    path = path[3:] if path.startswith("/en/") else path
    return path.rstrip("/")


def top_ten(q: str, language: str = "nl") -> list[str]:
    with translation.override(language):
        return [_path(entry.url) for entry in search.matching_entries(q)[:10]]


def measure() -> tuple[float, float, list[str]]:
    recalls, reciprocal_ranks, misses = [], [], []
    for q, expected, language in QUALITY_SET:
        found = top_ten(q, language)
        ranks = {url: found.index(url) + 1 for url in expected if url in found}
        recalls.append(len(ranks) / len(expected))
        reciprocal_ranks.append(1 / min(ranks.values()) if ranks else 0.0)
        missing = [url for url in expected if url not in ranks]
        if missing or min(ranks.values(), default=99) > 1:
            misses.append(
                f"{q!r:42} [{language}] first@{min(ranks.values(), default='-')!s:3} "
                f"missing: {', '.join(missing) or '-'}"
            )
    return sum(recalls) / len(recalls), sum(reciprocal_ranks) / len(reciprocal_ranks), misses


@pytest.mark.django_db
def test_quality_set_recall_and_mrr(demo):
    from django.db import connection

    assert len(QUALITY_SET) >= 55
    recall, mrr, misses = measure()
    assert not [q for q in ("toezicht -webinar",) for url in top_ten(q) if "webinar" in url]
    report = sys.stdout.write
    report(f"\nSearch quality on {connection.vendor}: {len(QUALITY_SET)} queries\n")
    report("Queries with a miss or the first expected item below rank 1:" + "\n")
    for line in misses:
        report("  " + line + "\n")
    report(f"recall@10 = {recall:.3f}  MRR = {mrr:.3f}" + "\n")
    assert recall >= RECALL_FLOOR, f"recall@10 {recall:.3f} < {RECALL_FLOOR}"
    assert mrr >= MRR_FLOOR, f"MRR {mrr:.3f} < {MRR_FLOOR}"


@pytest.mark.django_db
def test_leiderschap_finds_the_items_with_theme_leiderschap(demo):
    found = top_ten("leiderschap")
    assert set(LEIDERSCHAP) <= set(found)


@pytest.mark.django_db
def test_burgerparticipatie_finds_items_about_participatie(demo):
    found = top_ten("burgerparticipatie")
    assert E + "tussen-participatie-en-populisme" in found


@pytest.mark.django_db
def test_toezichthouder_finds_toezicht_items(demo):
    found = top_ten("toezichthouder")
    assert set(TOEZICHT) & set(found)


@pytest.mark.django_db
def test_vakmanshap_finds_vakmanschap_or_offers_bedoelde_u(demo):
    found = top_ten("vakmanshap")
    suggestion = search.plan("vakmanshap").suggestion()
    assert set(VAKMANSCHAP) & set(found) or "vakmanschap" in str(suggestion or "").lower()
