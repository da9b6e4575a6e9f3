#!/usr/bin/env python
"""The large data set for benchmarks: every kind of content, at the scale of issue 7.

On a PostgreSQL database on this machine, in a few minutes: 100,000 publications (themes,
1–3 authors, publishers and commissioners), 5,000 people, 2,000 organisations, 500 learning
circles (research questions, participating organisations with their roles, contacts,
meetings, join requests), 3,000 events (mostly past, 300 upcoming, some with a capacity and
parallel sessions) and 100,000 registrations, plus the search rows of every searchable kind.
About 5% of every publishable kind are drafts and 1% scheduled; dates are relative to now.
Everything is drawn from one `random.Random(seed)`: the same seed and scale write the same
data (only the dates move with the day it runs).

    bench/seed --create                                   # postgres://…/ikpob_bench, full scale
    bench/seed --drop-first --scale 0.02 --database-url postgres://postgres@127.0.0.1:5432/x

Rows go in with bulk_create in batches of 2,000: no save(), so no signals (the search rows are
built in bulk at the end, as `search.index()` would write them, by `corpus.index_in_bulk`).
The last line of the output is `SEED-TARGETS {json}`: stable addresses of known objects for
a benchmark to fetch. `seed()` does the same from Python and returns that dict.
"""

import argparse
import base64
import datetime
import itertools
import json
import math
import re
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:  # imported from elsewhere than bench/
    sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
from corpus import (  # noqa: E402
    BATCH,
    FAMILY_NAMES,
    GIVEN_NAMES,
    LOCAL_HOSTS,
    PREPOSITIONS,
    THEMES,
    Writer,
    say,
    step,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ikpob_bench"
# At --scale 1; every count scales (with a small floor, so 0.01 still has some of each).
COUNTS = {
    "organisations": 2_000,
    "persons": 5_000,
    "publications": 100_000,
    "learning_circles": 500,
    "events": 3_000,
    "upcoming_events": 300,
    "registrations": 100_000,
    "registrants": 30_000,  # distinct people who register, some for many events
}
FLOORS = {"organisations": 30, "persons": 30, "upcoming_events": 4, "registrants": 300}
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TARGET_SLUGS = {
    "publication": "bench-publicatie",
    "event": "bench-congres",
    "open_event": "bench-open-evenement",
    "learning_circle": "bench-leerkring",
    "person": "bench-persoon",
}
TARGET_THEME = THEMES[0]  # the most common theme (Zipf weights): the fullest theme page

# The partners of /work/shared/domain.md: (name, short name, kind). Always present, published.
PARTNERS = [
    ("Nederlandse School voor Openbaar Bestuur", "NSOB", "kennisinstituut"),
    ("Vereniging van Nederlandse Gemeenten", "VNG", "vereniging"),
    ("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "BZK", "ministerie"),
    ("Vereniging voor OverheidsManagement", "VOM", "vereniging"),
    ("Vereniging van Gemeentesecretarissen", "VGS", "vereniging"),
    ("A+O fonds Gemeenten", "A+O", "fonds"),
    ("Kwaliteitsinstituut Nederlandse Gemeenten", "KING", "kennisinstituut"),
    ("Stichting Beroepsleer", "", "stichting"),
    ("Universiteit van Tilburg", "", "universiteit"),
    ("Gemeente Berkelland", "", "gemeente"),
    ("Bureau Inspectieraad", "", "overig"),
    ("Inspectie Sociale Zaken en Werkgelegenheid", "ISZW", "inspectie"),
    ("Inspectie Gezondheidszorg en Jeugd", "IGJ", "inspectie"),
    ("Provincie Fryslân", "", "provincie"),
    ("Waterschap Amstel, Gooi en Vecht", "AGV", "waterschap"),
]
PLACE_HEADS = ["Berk", "Zuid", "Noord", "Oost", "West", "Hoog", "Laag", "Groen", "Rijn", "Maas"]
PLACE_HEADS += ["Eem", "Lin", "Bree", "Holt", "Wester", "Ooster", "Vlie", "Dal", "Heer", "Ven"]
PLACE_HEADS += ["Beek", "Bos", "Zand", "Wold", "Ter", "Lange", "Nieuw", "Oud", "Klein", "Groot"]
PLACE_TAILS = ["eland", "dam", "veen", "wijk", "horst", "hoven", "broek", "dorp", "stad", "meer"]
PLACE_TAILS += ["waard", "burg", "rode", "lo", "zijl", "kerk", "sum", "um", "recht", "mond"]
ORGANISATION_KINDS = {  # kind: (weight, name patterns)
    "gemeente": (45, ["Gemeente {place}"]),
    "provincie": (2, ["Provincie {place}"]),
    "waterschap": (4, ["Waterschap {place}", "Hoogheemraadschap {place}"]),
    "ministerie": (1, ["Ministerie van {Concept} en {Concept2}"]),
    "inspectie": (2, ["Inspectie {Concept}", "Inspectie {Concept} {place}"]),
    "vereniging": (8, ["Vereniging voor {Concept}", "Vereniging {place}"]),
    "fonds": (3, ["Fonds {Concept} {place}", "Opleidingsfonds {place}"]),
    "kennisinstituut": (8, ["Kenniscentrum {Concept}", "Instituut voor {Concept} {place}"]),
    "universiteit": (3, ["Universiteit {place}", "Hogeschool {place}"]),
    "stichting": (15, ["Stichting {Concept} {place}", "Stichting {place}"]),
    "overig": (9, ["Bureau {Concept} {place}", "Adviesbureau {place}", "Netwerk {Concept}"]),
}
MORE_GIVEN_NAMES = ["Annet", "Martijn", "Myrthe", "Petra", "Ruben", "Leonard", "Annelies"]
MORE_GIVEN_NAMES += ["Regina", "Gritta", "Manja", "Teusjan", "Ytzen", "Sanne", "Maikel", "Eva"]
MORE_GIVEN_NAMES += ["Thijs", "Fleur", "Wouter", "Noor", "Koen", "Lotte", "Ruud", "Iris", "Jan"]
MORE_GIVEN_NAMES += ["Anne-Marie", "Rob Jan", "Femke", "Sjoerd", "Hanneke", "Bas", "Marloes"]
MORE_FAMILY_NAMES = ["van der Steen", "van Delden", "Ophoff", "Maes", "Geluk", "Kroeskamp"]
MORE_FAMILY_NAMES += ["Bouius", "Nottelman", "Bomhoff", "Vlot", "Renema", "Slegtenhorst"]
MORE_FAMILY_NAMES += ["van der Neut", "Doesburg", "'t Hart", "in 't Veld", "Kruithof", "Hoekstra"]
MORE_FAMILY_NAMES += ["de Jong", "van Beek", "Scholten", "Koster", "Prins", "de Wit", "Veenstra"]
MORE_FAMILY_NAMES += ["van Wijk", "Kuipers", "Bosman", "van der Meer", "Huisman", "Sanders"]
ALL_GIVEN_NAMES = GIVEN_NAMES + MORE_GIVEN_NAMES
ALL_FAMILY_NAMES = FAMILY_NAMES + MORE_FAMILY_NAMES
FUNCTIONS = ["beleidsadviseur", "gemeentesecretaris", "inspecteur", "programmamanager"]
FUNCTIONS += ["hoogleraar bestuurskunde", "onderzoeker", "wethouder", "teamleider", "trainer"]
FUNCTIONS += ["strategisch adviseur", "directeur", "projectleider", "docent", "raadsgriffier"]
PUBLICATION_KINDS = {"artikel": 30, "essay": 20, "rapport": 15, "casus": 12, "instrument": 10}
PUBLICATION_KINDS |= {"boek": 8, "video": 5}
LANGUAGES = {"nl": 90, "en": 7, "fy": 1, "de": 1, "fr": 1}
LICENCES = ["all-rights-reserved"] * 6 + ["cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc0-1.0"]
EVENT_KINDS = {  # kind: (weight, hours, registration weight, label in titles)
    "bijeenkomst": (35, 3, 2.0, "Bijeenkomst"),
    "webinar": (25, 1.5, 4.0, "Webinar"),
    "leerkring-bijeenkomst": (20, 3, 0.7, "Leerkringbijeenkomst"),
    "congres": (10, 8, 6.0, "Congres"),
    "conferentie": (7, 7, 5.0, "Conferentie"),
    "slotconferentie": (3, 6, 4.0, "Slotconferentie"),
}
VENUES = ["Stadskantoor", "Provinciehuis", "Congrescentrum", "De Observant", "Het Pand"]
VENUES += ["Zalencentrum De Linde", "Bibliotheek", "Universiteitsgebouw", "Raadhuis"]


class SeedError(Exception):
    """What the seeder refuses or cannot do; the command line prints it and exits."""


@dataclass(frozen=True)
class Database:
    url: str
    host: str
    port: int
    user: str
    name: str


def parse_database_url(url: str) -> Database:
    """Only PostgreSQL, only on this machine, only a plain database name."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SeedError(f"refuses {url!r}: the data set is for PostgreSQL only (postgres://…)")
    host = (parts.hostname or "").lower()
    if host not in LOCAL_HOSTS:
        raise SeedError(f"refuses host {host or '(none)'!r}: only 127.0.0.1, localhost or ::1")
    name = unquote(parts.path.lstrip("/"))
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", name):
        raise SeedError(f"refuses database name {name!r}: letters, digits and _ only")
    return Database(url, host, parts.port or 5432, unquote(parts.username or "postgres"), name)


def database_exists(db: Database) -> bool:
    sql = f"SELECT 1 FROM pg_database WHERE datname = '{db.name}'"  # name checked above
    command = ["psql", "-h", db.host, "-p", str(db.port), "-U", db.user, "-d", "postgres"]
    result = subprocess.run(
        [*command, "-tAc", sql], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if result.returncode:
        raise SeedError(f"cannot reach PostgreSQL on {db.host}:{db.port}: {result.stderr.strip()}")
    return result.stdout.strip() == "1"


def prepare_database(db: Database, *, create: bool, drop_first: bool) -> None:
    where = {"host": db.host, "port": db.port, "user": db.user}
    if drop_first:
        say(f"seed: dropping and creating database {db.name}")
        corpus.pg_tool("dropdb", "--if-exists", "--force", db.name, **where)
        corpus.pg_tool("createdb", db.name, **where)
    elif not database_exists(db):
        if not create:
            raise SeedError(f"database {db.name} does not exist (--create makes it)")
        say(f"seed: creating database {db.name}")
        corpus.pg_tool("createdb", db.name, **where)


def check_django(db: Database) -> bool:
    """Whether Django is set up already (bench/run.py may have); then it must be for `db`."""
    from django.apps import apps

    if not apps.ready:
        return False
    from django.conf import settings

    current = settings.DATABASES["default"]
    if (
        current.get("ENGINE", "").rpartition(".")[2] != "postgresql"
        or current.get("NAME") != db.name
        or str(current.get("HOST")).lower() not in LOCAL_HOSTS
        or int(current.get("PORT") or 5432) != db.port
    ):
        raise SeedError(
            f"Django is already set up for database {current.get('NAME')!r}, not {db.name!r}: "
            "call seed() before django.setup(), or run bench/seed in a subprocess"
        )
    return True


# --- Drawing ------------------------------------------------------------------------------


def scaled(name: str, scale: float) -> int:
    return max(FLOORS.get(name, 1), round(COUNTS[name] * scale))


def cumulative(weights) -> list[float]:
    return list(itertools.accumulate(weights))


def flatter_zipf(count: int) -> list[float]:
    """Cumulative weights 1/√rank: a few busy authors and publishers, a long tail."""
    return cumulative(1 / math.sqrt(rank + 1) for rank in range(count))


class Slugs:
    """Unique slugs from titles ('toezicht-in-de-wijk', then 'toezicht-in-de-wijk-2', …)."""

    def __init__(self, reserved=()):
        from django.utils.text import slugify

        self.slugify = slugify
        self.used = set(reserved)
        self.counts: Counter = Counter()

    def make(self, text: str) -> str:
        base = self.slugify(text)[:180].strip("-") or "item"
        while True:
            self.counts[base] += 1
            n = self.counts[base]
            slug = base if n == 1 else f"{base}-{n}"
            if slug not in self.used:
                self.used.add(slug)
                return slug


@contextmanager
def explicit_timestamps(*models):
    """Let bulk_create keep the `created`/`updated` values we give (auto_now would write now
    into every row: a site with ten years of content has ten years of timestamps)."""
    fields = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class Seeder:
    def __init__(self, scale: float, seed_value: int):
        from django.utils import timezone

        self.scale = scale
        self.writer = Writer(seed_value)
        self.r = self.writer.random
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.tokens: set[str] = set()

    # helpers -----------------------------------------------------------------------------

    def bulk(self, model, objects) -> list:
        """bulk_create in batches of BATCH; forgets DEBUG's query log after each batch."""
        from django.db import reset_queries

        created = []
        for batch in itertools.batched(objects, BATCH, strict=False):
            created += model.objects.bulk_create(batch)
            reset_queries()
        return created

    def stamps(self, published_at) -> dict:
        """created before the publish moment, updated mostly at it, sometimes edited later."""
        r, now = self.r, self.now
        base = min(published_at or now - datetime.timedelta(days=r.randint(0, 400)), now)
        created = base - datetime.timedelta(days=r.randint(0, 30), minutes=r.randint(0, 1440))
        updated = base
        if r.random() < 0.2:
            updated = min(now, base + datetime.timedelta(days=r.randint(1, 400)))
        return {"created": created, "updated": updated}

    def publishable(self, since=None) -> dict:
        status, published_at = corpus.publish_state(self.r, self.now, since)
        return {"status": status, "published_at": published_at, **self.stamps(published_at)}

    def pick(self, items: list, cum_weights: list[float], k: int) -> list:
        """k distinct items, drawn by weight."""
        chosen: dict[int, object] = {}
        k = min(k, len(items))
        while len(chosen) < k:
            item = self.r.choices(items, cum_weights=cum_weights)[0]
            chosen[id(item)] = item
        return list(chosen.values())

    def themes_for(self, k_max: int = 3, k_min: int = 1) -> list:
        return self.pick(self.themes, self.theme_weights, self.r.randint(k_min, k_max))

    def theme_links(self, model, objects, themes_of) -> None:
        from django.contrib.contenttypes.models import ContentType

        from ikpob_portal.kernel.models import ThemedItem

        content_type = ContentType.objects.get_for_model(model)
        self.bulk(
            ThemedItem,
            (
                ThemedItem(content_type=content_type, object_id=obj.pk, tag=theme)
                for obj in objects
                for theme in themes_of(obj)
            ),
        )

    def local(self, day: datetime.date, hour: float) -> datetime.datetime:
        minutes = round(hour * 60)
        moment = datetime.time(minutes // 60, minutes % 60)
        return datetime.datetime.combine(day, moment, tzinfo=AMSTERDAM)

    def token(self) -> str:
        """Like secrets.token_urlsafe(24), but from the seeded generator: the same data every
        run (a benchmark database, not a site: these tokens guard nobody's registration)."""
        while True:
            raw = self.r.getrandbits(192).to_bytes(24, "big")
            token = base64.urlsafe_b64encode(raw).decode().rstrip("=")
            if token not in self.tokens:
                self.tokens.add(token)
                return token

    def question(self) -> str:
        w, r = self.writer, self.r
        infinitive, third, _participle = w.verb()
        patterns = [
            lambda: (
                f"Hoe {third} de {w.adjective()} {w.noun()} {r.choice(PREPOSITIONS)} {w.concept()}?"
            ),
            lambda: f"Wat vraagt {w.concept()} van de {w.adjective()} {w.noun()}?",
            lambda: f"Waar ligt de grens tussen {w.concept()} en {w.concept()}?",
            lambda: f"Hoe kunnen {w.noun()} en {w.noun()} samen {infinitive}?",
        ]
        return r.choice(patterns)()

    def person_name(self) -> tuple[str, str, str]:
        given = self.r.choice(ALL_GIVEN_NAMES) if self.r.random() > 0.02 else ""
        particle, _, family = self.r.choice(ALL_FAMILY_NAMES).rpartition(" ")
        return given, particle, family

    # the data ----------------------------------------------------------------------------

    def make_themes(self) -> None:
        from ikpob_portal.kernel.models import Theme

        slugs = Slugs()
        self.themes = self.bulk(
            Theme,
            [
                Theme(name=name, slug=slugs.make(name), description=self.writer.paragraph(2))
                for name in THEMES
            ],
        )
        self.theme_weights = corpus.zipf(self.themes)

    def make_organisations(self) -> None:
        from network.models import RESERVED_SLUGS, Organisation

        r, w = self.r, self.writer
        count = scaled("organisations", self.scale)
        slugs, names = Slugs(RESERVED_SLUGS), set()
        kinds = list(ORGANISATION_KINDS)
        kind_weights = cumulative(weight for weight, _patterns in ORGANISATION_KINDS.values())
        rows = []
        for name, short_name, kind in PARTNERS:
            names.add(name.lower())
            rows.append(
                Organisation(
                    name=name,
                    short_name=short_name,
                    slug=slugs.make(short_name or name),
                    kind=kind,
                    description=w.paragraph(3),
                    website=f"https://www.{slugs.slugify(short_name or name)}.nl/",
                    is_partner=True,
                    is_knowledge_partner=kind in ("kennisinstituut", "universiteit"),
                    is_funder=kind in ("fonds", "ministerie"),
                    status="published",
                    published_at=self.now - datetime.timedelta(days=2000),
                    **self.stamps(self.now - datetime.timedelta(days=2000)),
                )
            )
        while len(rows) < count:
            kind = r.choices(kinds, cum_weights=kind_weights)[0]
            pattern = r.choice(ORGANISATION_KINDS[kind][1])
            for attempt in itertools.count():
                name = pattern.format(
                    place=r.choice(PLACE_HEADS) + r.choice(PLACE_TAILS),
                    Concept=w.concept().capitalize(),
                    Concept2=w.concept(),
                )
                if attempt > 20:
                    name = f"{name} {attempt}"
                if name.lower() not in names:
                    names.add(name.lower())
                    break
            rows.append(
                Organisation(
                    name=name,
                    slug=slugs.make(name),
                    kind=kind,
                    description=w.paragraph(r.randint(1, 3)),
                    website=f"https://www.{slugs.slugify(name)}.nl/" if r.random() < 0.8 else "",
                    is_partner=r.random() < 0.05,
                    is_client=r.random() < 0.08,
                    is_funder=r.random() < 0.03,
                    is_knowledge_partner=kind in ("kennisinstituut", "universiteit")
                    and r.random() < 0.4,
                    **self.publishable(),
                )
            )
        self.organisations = self.bulk(Organisation, rows)
        self.organisation_weights = flatter_zipf(len(self.organisations))
        self.theme_links(Organisation, self.organisations, lambda o: self.themes_for(2, 0))

    def make_persons(self) -> None:
        from network.models import Affiliation, Person
        from network.validators import orcid_check_digit

        r, w = self.r, self.writer
        count = scaled("persons", self.scale)
        slugs = Slugs([TARGET_SLUGS["person"]])
        rows = []
        for number in range(count):
            given, particle, family = self.person_name()
            slug = slugs.make(" ".join(part for part in (given, particle, family) if part))
            state = self.publishable()
            if number == 0:  # the known person: published, the first author of the known work
                given, particle, family = "Martijn", "van der", "Steen"
                slug = TARGET_SLUGS["person"]
                state = {
                    "status": "published",
                    "published_at": self.now - datetime.timedelta(days=1500),
                    **self.stamps(self.now - datetime.timedelta(days=1500)),
                }
            orcid = ""
            if r.random() < 0.15:
                digits = f"0000000{r.randint(0, 99_999_999):08d}"
                digits += orcid_check_digit(digits)
                orcid = "-".join(digits[i : i + 4] for i in range(0, 16, 4))
            rows.append(
                Person(
                    given_name=given,
                    particle=particle,
                    family_name=family,
                    slug=slug,
                    title=r.choice(FUNCTIONS) if r.random() < 0.7 else "",
                    bio=w.paragraph(r.randint(1, 3)) if r.random() < 0.8 else "",
                    orcid=orcid,
                    **state,
                )
            )
        self.persons = self.bulk(Person, rows)
        self.person_weights = flatter_zipf(len(self.persons))
        affiliations = []
        for person in self.persons:
            k = r.choices([0, 1, 2], [15, 70, 15])[0]
            chosen = self.pick(self.organisations, self.organisation_weights, k)
            for position, organisation in enumerate(chosen):
                affiliations.append(
                    Affiliation(
                        person=person,
                        organisation=organisation,
                        role=r.choice(FUNCTIONS),
                        is_current=position == 0 or r.random() < 0.3,
                        position=position,
                    )
                )
        self.bulk(Affiliation, affiliations)
        self.theme_links(Person, self.persons, lambda p: self.themes_for(2, 0))

    def isbn(self) -> str:
        digits = [9, 7, 8] + [self.r.randint(0, 9) for _ in range(9)]
        check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
        return "".join(map(str, digits)) + str(check)

    def publication_fields(self, number: int, slugs: Slugs) -> dict:
        r, w, now = self.r, self.writer, self.now
        state = self.publishable()
        title = w.title()
        slug = slugs.make(title)
        kind = r.choices(self.publication_kinds, cum_weights=self.publication_kind_weights)[0]
        moment = min(state["published_at"] or now, now)
        year = moment.year - (r.randint(1, 15) if r.random() < 0.15 else 0)
        month = r.randint(1, 12) if r.random() < 0.6 else None
        fields = {
            "title": title,
            "slug": slug,
            "subtitle": f"{w.concept().capitalize()} in de praktijk" if r.random() < 0.2 else "",
            "kind": kind,
            "summary": w.paragraph(r.randint(2, 3)),
            "body": w.body(),
            "publication_year": year,
            "publication_month": month,
            "publication_day": r.randint(1, 28) if month and r.random() < 0.5 else None,
            "language": r.choices(self.languages, cum_weights=self.language_weights)[0],
            "publisher": (
                r.choices(self.organisations, cum_weights=self.organisation_weights)[0]
                if r.random() < 0.4
                else None
            ),
            "external_url": f"https://publicaties.example.nl/{slug}" if r.random() < 0.2 else "",
            "isbn": self.isbn() if kind == "boek" and r.random() < 0.8 else "",
            "doi": f"10.{r.randint(1000, 9999)}/ikpob.{year}.{number}" if r.random() < 0.1 else "",
            "licence": r.choice(LICENCES),
            **state,
        }
        if number == 0:  # the known publication: published, complete, in the biggest theme
            moment = now - datetime.timedelta(days=30)
            fields |= {
                "title": "Leren van doen: samenwerken tussen overheden",
                "slug": TARGET_SLUGS["publication"],
                "subtitle": "Ervaringen uit de regio",
                "kind": "essay",
                "body": f"{w.body()}\n\n{w.body()}",
                "publication_year": now.year - 1,
                "publication_month": 9,
                "publication_day": 22,
                "language": "nl",
                "publisher": self.organisations[0],  # NSOB
                "status": "published",
                "published_at": moment,
                **self.stamps(moment),
            }
        return fields

    def make_publications(self) -> None:
        from publications.models import Authorship, Publication

        r = self.r
        count = scaled("publications", self.scale)
        slugs = Slugs([TARGET_SLUGS["publication"]])
        self.publication_kinds = list(PUBLICATION_KINDS)
        self.publication_kind_weights = cumulative(PUBLICATION_KINDS.values())
        self.languages, self.language_weights = list(LANGUAGES), cumulative(LANGUAGES.values())
        commissioned = Publication.commissioned_by.through
        target_themes = [self.themes[0], self.themes[3]]  # sturen in netwerken, vakmanschap
        self.public_publication_ids: list[int] = []  # for links from circles and events
        all_ids = []
        for first in range(0, count, BATCH):
            rows = [
                Publication(**self.publication_fields(number, slugs))
                for number in range(first, min(first + BATCH, count))
            ]
            created = self.bulk(Publication, rows)
            all_ids += [p.pk for p in created]
            self.public_publication_ids += [
                p.pk for p in created if p.status == "published" and p.published_at <= self.now
            ]
            authorships, commissioners = [], []
            for publication in created:
                if publication.slug == TARGET_SLUGS["publication"]:
                    people = [self.persons[0], *self.persons[1:3]]
                    commissioners.append(
                        commissioned(publication=publication, organisation=self.organisations[2])
                    )
                else:
                    k = r.choices([1, 2, 3], [60, 30, 10])[0]
                    people = self.pick(self.persons, self.person_weights, k)
                    if r.random() < 0.2:
                        k = r.choices([1, 2], [80, 20])[0]
                        commissioners += [
                            commissioned(publication=publication, organisation=organisation)
                            for organisation in self.pick(
                                self.organisations, self.organisation_weights, k
                            )
                        ]
                authorships += [
                    Authorship(publication=publication, person=person, position=position)
                    for position, person in enumerate(people)
                ]
            self.bulk(Authorship, authorships)
            self.bulk(commissioned, commissioners)
            self.theme_links(
                Publication,
                created,
                lambda p: (
                    target_themes if p.slug == TARGET_SLUGS["publication"] else self.themes_for(3)
                ),
            )
        # Related publications, chosen by editors: a few per twenty publications.
        related = Publication.related_publications.through
        links = set()
        for index, pk in enumerate(all_ids):
            if index == 0:
                targets = self.public_publication_ids[1:4]
            elif r.random() < 0.05:
                targets = r.sample(self.public_publication_ids, min(3, r.randint(1, 3)))
            else:
                continue
            links |= {(pk, other) for other in targets if other != pk}
        self.bulk(
            related,
            [related(from_publication_id=a, to_publication_id=b) for a, b in sorted(links)],
        )

    def make_registrants(self) -> None:
        """People who register for events and ask to join circles: (name, email, org, job)."""
        r = self.r
        count = scaled("registrants", self.scale)
        seen: Counter = Counter()
        self.registrants = []
        for _ in range(count):
            given, particle, family = self.person_name()
            name = " ".join(part for part in (given or "J.", particle, family) if part)
            organisation = r.choices(self.organisations, cum_weights=self.organisation_weights)[0]
            local = ".".join(part for part in Slugs().slugify(name).split("-") if part)
            domain = f"{organisation.slug[:40]}.nl"
            seen[(local, domain)] += 1
            if seen[(local, domain)] > 1:
                local = f"{local}{seen[(local, domain)]}"
            email = f"{local}@{domain}"
            if r.random() < 0.1:  # people type capitals; the constraints compare lower(email)
                email = email.capitalize()
            self.registrants.append((name, email, organisation.name, r.choice(FUNCTIONS)))

    def make_learning_circles(self) -> None:
        from learning_circles.models import (
            Contact,
            JoinRequest,
            LearningCircle,
            Meeting,
            Participation,
            Phase,
            ResearchQuestion,
        )

        r, w, today = self.r, self.writer, self.today
        count = scaled("learning_circles", self.scale)
        slugs = Slugs([TARGET_SLUGS["learning_circle"]])
        rows = []
        for number in range(count):
            start = None if r.random() < 0.08 else today - datetime.timedelta(r.randint(-180, 3000))
            end = None
            if start and r.random() < 0.85:
                end = start + datetime.timedelta(days=r.randint(180, 1100))
            title = w.title()
            state = self.publishable(
                since=self.local(start - datetime.timedelta(days=r.randint(10, 60)), 10)
                if start
                else None
            )
            fields = {
                "title": f"Leerkring {title[0].lower()}{title[1:]}" if r.random() < 0.5 else title,
                "slug": slugs.make(title),
                "summary": w.paragraph(2),
                "description": w.body(),
                "start_date": start,
                "end_date": end,
                "phase_override": r.choice(Phase.values) if r.random() < 0.03 else "",
                "accepts_join_requests": r.random() < 0.8,
                **state,
            }
            if number == 0:  # the known circle: running, published, open for joining
                moment = self.now - datetime.timedelta(days=390)
                fields |= {
                    "title": "Ambtelijk vakmanschap in de participatiemaatschappij",
                    "slug": TARGET_SLUGS["learning_circle"],
                    "start_date": today - datetime.timedelta(days=400),
                    "end_date": today + datetime.timedelta(days=300),
                    "phase_override": "",
                    "accepts_join_requests": True,
                    "status": "published",
                    "published_at": moment,
                    **self.stamps(moment),
                }
            rows.append(LearningCircle(**fields))
        self.circles = self.bulk(LearningCircle, rows)

        questions, participations, contacts, meetings, join_requests = [], [], [], [], []
        outcomes = LearningCircle.outcome_publications.through
        outcome_rows = []
        roles = list(Participation.Role.values)  # lead first: role_order as save() sets it
        for circle in self.circles:
            questions += [
                ResearchQuestion(circle=circle, text=self.question(), position=position)
                for position in range(r.randint(3, 7))
            ]
            if circle.slug == TARGET_SLUGS["learning_circle"]:
                # Universiteit van Tilburg leads, Berkelland takes part, A+O and BZK join.
                members = [self.organisations[i] for i in (8, 9, 5, 2)]
                member_roles = ["trekker", "deelnemer", "partner", "partner"]
                members += self.pick(self.organisations[15:], self.organisation_weights[:-15], 5)
                member_roles += ["deelnemer"] * (len(members) - 4)
            else:
                members = self.pick(self.organisations, self.organisation_weights, r.randint(2, 8))
                member_roles = ["trekker"] + [
                    r.choices(["deelnemer", "partner"], [75, 25])[0] for _ in members[1:]
                ]
            participations += [
                Participation(
                    circle=circle,
                    organisation=organisation,
                    role=role,
                    role_order=roles.index(role),
                    since=circle.start_date,
                )
                for organisation, role in zip(members, member_roles, strict=True)
            ]
            contacts += [
                Contact(
                    circle=circle, person=person, role=r.choice(Contact.Role.values), position=i
                )
                for i, person in enumerate(
                    self.pick(self.persons, self.person_weights, r.randint(1, 3))
                )
            ]
            first = circle.start_date or today + datetime.timedelta(days=30)
            last = circle.end_date or first + datetime.timedelta(days=365)
            span = max(1, (last - first).days)
            for i, offset in enumerate(sorted(r.sample(range(span), min(span, r.randint(2, 8))))):
                starts_at = self.local(first + datetime.timedelta(days=offset), 13.5)
                online = r.random() < 0.3
                meetings.append(
                    Meeting(
                        circle=circle,
                        title=f"Bijeenkomst {i + 1}: {w.concept()}",
                        starts_at=starts_at,
                        location="" if online else f"{r.choice(VENUES)}, {self.place()}",
                        online_url=f"https://meet.example.nl/{circle.slug[:60]}-{i + 1}"
                        if online
                        else "",
                        summary=w.paragraph(3) if starts_at < self.now and r.random() < 0.8 else "",
                    )
                )
            if circle.accepts_join_requests:
                for name, email, organisation, _job in r.sample(self.registrants, r.randint(0, 3)):
                    created = self.now - datetime.timedelta(days=r.randint(0, 700))
                    join_requests.append(
                        JoinRequest(
                            circle=circle,
                            organisation_name=organisation,
                            name=name,
                            email=email,
                            motivation=w.paragraph(2),
                            consent_at=created,
                            status=r.choices(JoinRequest.Status.values, [40, 20, 25, 15])[0],
                            created=created,
                        )
                    )
            if circle.end_date and circle.end_date < today and r.random() < 0.6:
                chosen = r.sample(self.public_publication_ids, r.randint(1, 2))
                outcome_rows += [
                    outcomes(learningcircle_id=circle.pk, publication_id=pk) for pk in chosen
                ]
        for model, objects in [
            (ResearchQuestion, questions),
            (Participation, participations),
            (Contact, contacts),
            (Meeting, meetings),
            (JoinRequest, join_requests),
            (outcomes, outcome_rows),
        ]:
            self.bulk(model, objects)
        self.theme_links(LearningCircle, self.circles, lambda c: self.themes_for(3))

    def place(self) -> str:
        return self.r.choice(PLACE_HEADS) + self.r.choice(PLACE_TAILS)

    def event_fields(self, number: int, upcoming: bool, slugs: Slugs) -> dict:
        r, w, today = self.r, self.writer, self.today
        kind = r.choices(self.event_kinds, cum_weights=self.event_kind_weights)[0]
        _weight, hours, _registration_weight, label = EVENT_KINDS[kind]
        day = today + datetime.timedelta(
            days=r.randint(3, 270) if upcoming else -r.randint(1, 3650)
        )
        if kind == "webinar":
            hour = r.choice([10, 12, 15.5, 16])
        else:
            hour = r.choice([9, 9.5, 10, 13, 13.5, 14, 15, 19.5])
        starts_at = self.local(day, hour)
        ends_at = starts_at + datetime.timedelta(hours=hours)
        if kind == "congres" and r.random() < 0.2:
            ends_at = self.local(day + datetime.timedelta(days=1), 17)
        required = r.random() < {"webinar": 0.95, "leerkring-bijeenkomst": 0.6}.get(kind, 0.85)
        capacity = None
        if required and r.random() < 0.4:
            if kind == "leerkring-bijeenkomst":
                capacity = r.choice([12, 15, 20, 25])
            else:
                capacity = r.choice([20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300])
        opens_at = closes_at = None
        if required and r.random() < 0.25:
            opens_at = starts_at - datetime.timedelta(days=r.randint(30, 60))
        if required and r.random() < 0.4:
            closes_at = starts_at - datetime.timedelta(days=1)
        online = kind == "webinar" or r.random() < 0.15
        in_person = kind != "webinar"
        title = w.title()
        slug = slugs.make(f"{label} {title}")
        state = self.publishable(
            since=starts_at - datetime.timedelta(days=r.randint(20, 150), hours=r.randint(0, 8))
        )
        circle = None
        if kind == "leerkring-bijeenkomst" or r.random() < 0.05:
            circle = r.choice(self.circles)
        past = not upcoming
        fields = {
            "title": f"{label}: {title}" if r.random() < 0.6 else title,
            "slug": slug,
            "kind": kind,
            "summary": w.paragraph(r.randint(2, 3)),
            "programme": "\n".join(
                ["## Programma", ""]
                + [
                    f"- {self.clock(starts_at, hours * i / 4)} {w.concept().capitalize()}: "
                    f"{w.sentence()}"
                    for i in range(4)
                ]
            ),
            "starts_at": starts_at,
            "ends_at": ends_at,
            "venue_name": f"{r.choice(VENUES)} {self.place()}" if in_person else "",
            "venue_address": f"Marktplein {r.randint(1, 80)}, {self.place()}" if in_person else "",
            "online_url": f"https://webinar.example.nl/{slug}" if online else "",
            "learning_circle": circle,
            "registration_required": required,
            "capacity": capacity,
            "registration_opens_at": opens_at,
            "registration_closes_at": closes_at,
            "recording_url": (
                f"https://video.example.nl/{slug}"
                if past and kind == "webinar" and r.random() < 0.6
                else ""
            ),
            "materials": w.paragraph(2) if past and r.random() < 0.4 else "",
            **state,
        }
        target = {self.n_events - 2: "event", self.n_events - 1: "open_event"}.get(number)
        if target:
            # The known events, upcoming and published: a full congress with sessions and a
            # waiting list, and a meeting with open registration and no limit on places.
            days, kind, hour = (
                (30, "congres", 9.5) if target == "event" else (45, "bijeenkomst", 14)
            )
            starts_at = self.local(today + datetime.timedelta(days=days), hour)
            moment = self.now - datetime.timedelta(days=20)
            fields |= {
                "title": "Congres Tussen Participatie en Populisme"
                if target == "event"
                else "Bijeenkomst Leren van doen",
                "slug": TARGET_SLUGS[target],
                "kind": kind,
                "starts_at": starts_at,
                "ends_at": starts_at + datetime.timedelta(hours=7.5 if target == "event" else 3),
                "venue_name": f"Congrescentrum {self.place()}",
                "venue_address": f"Stationsplein 1, {self.place()}",
                "registration_required": True,
                "capacity": 150 if target == "event" else None,
                "registration_opens_at": None,
                "registration_closes_at": None,
                "status": "published",
                "published_at": moment,
                **self.stamps(moment),
            }
        return fields

    def clock(self, start: datetime.datetime, hours: float) -> str:
        return f"{start + datetime.timedelta(hours=hours):%H:%M}"

    def make_events(self) -> None:
        from events.models import RESERVED_SLUGS, Event, Session

        r = self.r
        self.n_events = count = max(scaled("events", self.scale), 4)
        upcoming = min(scaled("upcoming_events", self.scale), count - 2)
        slugs = Slugs(RESERVED_SLUGS | {TARGET_SLUGS["event"], TARGET_SLUGS["open_event"]})
        self.event_kinds = list(EVENT_KINDS)
        self.event_kind_weights = cumulative(kind[0] for kind in EVENT_KINDS.values())
        # Older events got lower primary keys, as on a site that has run for years.
        rows = [
            Event(**self.event_fields(number, number >= count - upcoming, slugs))
            for number in range(count)
        ]
        rows[: count - upcoming] = sorted(rows[: count - upcoming], key=lambda e: e.starts_at)
        self.events = self.bulk(Event, rows)

        sessions = []
        for event in self.events:
            big = event.kind in ("congres", "conferentie", "slotconferentie")
            if event.slug == TARGET_SLUGS["event"]:
                plan = [(1, 3, 40), (2, 3, 40)]  # two rounds of three workshops, 40 places each
            elif event.registration_required and r.random() < (0.6 if big else 0.03):
                plan = [(slot, r.randint(2, 4), None) for slot in range(1, r.randint(1, 2) + 1)]
            else:
                continue
            for slot, number, capacity in plan:
                starts_at = event.starts_at + datetime.timedelta(hours=1 + 2 * (slot - 1))
                for i in range(number):
                    if capacity is None and r.random() < 0.7:
                        session_capacity = r.choice([15, 20, 25, 30, 40, 60])
                    else:
                        session_capacity = capacity
                    sessions.append(
                        Session(
                            event=event,
                            title=f"Werkplaats {i + 1}: {self.writer.title()}",
                            description=self.writer.paragraph(2),
                            slot=slot,
                            starts_at=starts_at,
                            ends_at=starts_at + datetime.timedelta(hours=1.5),
                            capacity=session_capacity,
                        )
                    )
        self.sessions_by_event: dict[int, dict[int, list]] = {}
        for session in self.bulk(Session, sessions):
            rounds = self.sessions_by_event.setdefault(session.event_id, {})
            rounds.setdefault(session.slot, []).append(session)

        organisers = Event.organisers.through
        speakers = Event.speakers.through
        publications = Event.publications.through
        organiser_rows, speaker_rows, publication_rows = [], [], []
        for event in self.events:
            organiser_rows += [
                organisers(event_id=event.pk, organisation_id=organisation.pk)
                for organisation in self.pick(
                    self.organisations, self.organisation_weights, r.choices([1, 2], [70, 30])[0]
                )
            ]
            speaker_rows += [
                speakers(event_id=event.pk, person_id=person.pk)
                for person in self.pick(self.persons, self.person_weights, r.randint(0, 4))
            ]
            if r.random() < 0.15 or event.slug in TARGET_SLUGS.values():
                publication_rows += [
                    publications(event_id=event.pk, publication_id=pk)
                    for pk in r.sample(self.public_publication_ids, r.randint(1, 2))
                ]
        self.bulk(organisers, organiser_rows)
        self.bulk(speakers, speaker_rows)
        self.bulk(publications, publication_rows)
        self.theme_links(Event, self.events, lambda e: self.themes_for(2))

    def registration_counts(self, eligible: list) -> Counter:
        """How many registrations each event gets: by kind, with a long tail (lognormal),
        events with a capacity at most 30% over it (the rest goes to unlimited events)."""
        r = self.r
        fixed = {TARGET_SLUGS["event"]: 180, TARGET_SLUGS["open_event"]: 40}
        counts: Counter = Counter()
        pool = len(self.registrants)
        random_events = [e for e in eligible if e.slug not in fixed]
        weights = cumulative(
            EVENT_KINDS[e.kind][2]
            * r.lognormvariate(0, 0.7)
            * (0.5 if e.ends_at >= self.now else 1.0)
            for e in random_events
        )
        for event in eligible:
            if event.slug in fixed:
                counts[event.pk] = min(pool, fixed[event.slug])
        remaining = scaled("registrations", self.scale) - sum(counts.values())
        for event in r.choices(random_events, cum_weights=weights, k=max(0, remaining)):
            counts[event.pk] += 1
        unlimited = [e for e in random_events if e.capacity is None]
        overflow = 0
        for event in random_events:
            limit = pool if event.capacity is None else min(pool, int(event.capacity * 1.3) + 2)
            if counts[event.pk] > limit:
                overflow += counts[event.pk] - limit
                counts[event.pk] = limit
        while overflow and unlimited:
            event = r.choice(unlimited)
            if counts[event.pk] < pool:
                counts[event.pk] += 1
                overflow -= 1
            else:
                unlimited.remove(event)
        return counts

    def make_registrations(self) -> None:
        """Registrations as events.services.register() would have left them: in the order
        they came in, confirmed while there was room (in the event and in each chosen
        session), then on the waiting list; some cancelled; anonymised once the event ended
        longer ago than REGISTRATION_RETENTION_DAYS, as purge_registrations does."""
        from django.conf import settings
        from django.db.models import CharField, Value
        from django.db.models.functions import Cast, Concat

        from events.models import Registration
        from events.services import ANONYMOUS_NAME

        r, now = self.r, self.now
        retention = datetime.timedelta(days=settings.REGISTRATION_RETENTION_DAYS)
        eligible = [
            e
            for e in self.events
            if e.registration_required and e.status == "published" and e.published_at <= now
        ]
        counts = self.registration_counts(eligible)
        rows, chosen_sessions = [], []
        needs = ["Vegetarisch", "Rolstoeltoegankelijke zaal", "Glutenvrij", "Ringleiding"]
        for event in eligible:
            n = counts[event.pk]
            if not n:
                continue
            opens = max(filter(None, [event.registration_opens_at, event.published_at]))
            closes = min(event.registration_closes_at or event.starts_at, now)
            if closes <= opens:
                closes = opens + datetime.timedelta(hours=1)
            span = (closes - opens).total_seconds()
            moments = sorted(
                opens + datetime.timedelta(seconds=r.random() * span) for _ in range(n)
            )
            rounds = self.sessions_by_event.get(event.pk, {})
            taken: Counter = Counter()  # confirmed places per session
            confirmed = 0
            anonymised = event.ends_at < now - retention
            for (name, email, organisation, job_title), created in zip(
                r.sample(self.registrants, n), moments, strict=True
            ):
                cancelled = r.random() < 0.08
                room = event.capacity is None or confirmed < event.capacity
                status = "cancelled" if cancelled else ("confirmed" if room else "waiting")
                picks = []
                for sessions in rounds.values():
                    if r.random() < 0.1:  # this round, nothing for me
                        continue
                    options = sessions
                    if status == "confirmed":
                        options = [
                            s for s in sessions if s.capacity is None or taken[s.pk] < s.capacity
                        ]
                    if options:
                        picks.append(r.choice(options))
                if status == "confirmed":
                    confirmed += 1
                    taken.update(s.pk for s in picks)
                end = min(event.starts_at, now)
                fields = {
                    "event": event,
                    "status": status,
                    "token": self.token(),
                    "name": name,
                    "email": email,
                    "organisation": organisation,
                    "job_title": job_title if r.random() < 0.8 else "",
                    "needs": r.choice(needs) if r.random() < 0.05 else "",
                    "consent_at": created,
                    "created": created,
                    "confirmed_at": created if status != "waiting" else None,
                    "cancelled_at": created + (end - created) * r.random() if cancelled else None,
                }
                if status == "confirmed" and event.ends_at < now and r.random() < 0.85:
                    minutes = r.randint(0, 20)
                    fields["checked_in_at"] = event.starts_at - datetime.timedelta(minutes=minutes)
                if anonymised:
                    fields |= {
                        "name": ANONYMOUS_NAME,
                        # Made 'geanonimiseerd-<pk>@ikpob.invalid' once the rows have a pk.
                        "email": f"anoniem-{len(rows)}@ikpob.invalid",
                        "job_title": "",
                        "needs": "",
                        "anonymised_at": self.local(
                            (event.ends_at + retention).date() + datetime.timedelta(days=1),
                            3.25,
                        ),
                    }
                rows.append(Registration(**fields))
                chosen_sessions.append(picks)
        created_rows = self.bulk(Registration, rows)
        through = Registration.sessions.through
        self.bulk(
            through,
            [
                through(registration_id=registration.pk, session_id=session.pk)
                for registration, picks in zip(created_rows, chosen_sessions, strict=True)
                for session in picks
            ],
        )
        Registration.objects.filter(anonymised_at__isnull=False).update(
            email=Concat(Value("geanonimiseerd-"), Cast("pk", CharField()), Value("@ikpob.invalid"))
        )

    def make_search_rows(self) -> Counter:
        """Every searchable registered kind, drafts too (searches join the public queryset)."""
        from ikpob_portal.kernel import registry

        counts: Counter = Counter()
        corpus.drop_gin_indexes()
        for kind in registry.kinds():
            if kind.search_document is None:
                continue
            ids = list(kind.model._default_manager.order_by("pk").values_list("pk", flat=True))
            counts[kind.model._meta.verbose_name_plural] = corpus.index_in_bulk(kind.model, ids)
        corpus.create_gin_indexes()
        return counts

    def run(self) -> dict[str, float]:
        """Everything, step by step; returns the seconds each step took."""
        from events.models import Event
        from learning_circles.models import JoinRequest, LearningCircle
        from network.models import Organisation, Person
        from publications.models import Publication

        timings = {}
        plan = [
            ("themes", self.make_themes),
            ("organisations", self.make_organisations),
            ("persons and affiliations", self.make_persons),
            ("publications, authors, commissioners, themes", self.make_publications),
            ("registrants (in memory)", self.make_registrants),
            ("learning circles, questions, participations, meetings", self.make_learning_circles),
            ("events, sessions, organisers, speakers", self.make_events),
            ("registrations", self.make_registrations),
            ("search rows of every kind, GIN indexes", self.make_search_rows),
        ]
        timestamped = (Organisation, Person, Publication, LearningCircle, Event, JoinRequest)
        with explicit_timestamps(*timestamped):
            for label, function in plan:
                started = time.perf_counter()
                with step(label):
                    function()
                timings[label] = time.perf_counter() - started
        return timings

    def targets(self) -> dict[str, str]:
        from urllib.parse import urlencode

        from django.urls import reverse

        from events.models import Event, RegistrationState
        from ikpob_portal.kernel.models import Theme
        from learning_circles.models import LearningCircle
        from network.models import Organisation, Person
        from publications.models import Publication

        publication = Publication.objects.published().get(slug=TARGET_SLUGS["publication"])
        theme = Theme.objects.get(name=TARGET_THEME)
        event = Event.objects.published().get(slug=TARGET_SLUGS["event"])
        open_event = Event.objects.published().get(slug=TARGET_SLUGS["open_event"])
        if open_event.registration_state() != RegistrationState.OPEN:
            raise SeedError(f"{open_event.slug} does not take registrations")
        filters = {
            "thema": theme.slug,
            "soort": publication.kind,
            "jaar": publication.publication_year,
        }
        matching = Publication.objects.published().filter(
            kind=filters["soort"], publication_year=filters["jaar"], tagged_items__tag=theme
        )
        if not matching.exists():
            raise SeedError(f"the filters {filters} find nothing")
        organisation = Organisation.objects.published().get(pk=self.organisations[0].pk)
        return {
            "publication": publication.get_absolute_url(),
            "theme": theme.get_absolute_url(),
            "event": event.get_absolute_url(),
            "open_event": open_event.get_absolute_url(),
            "filters": f"{reverse('publications:list')}?{urlencode(filters)}",
            "learning_circle": LearningCircle.objects.published()
            .get(slug=TARGET_SLUGS["learning_circle"])
            .get_absolute_url(),
            "organisation": organisation.get_absolute_url(),
            "person": Person.objects.published()
            .get(slug=TARGET_SLUGS["person"])
            .get_absolute_url(),
            "search": f"{reverse('search')}?{urlencode({'q': 'ambtenaar'})}",
        }


# --- Report -------------------------------------------------------------------------------


def row_counts() -> list[tuple[str, int]]:
    from django.apps import apps

    counts = []
    for app_label in ("ikpob_portal", "network", "publications", "learning_circles", "events"):
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            n = model._default_manager.count()
            if n:
                counts.append((model._meta.db_table, n))
    return counts


def table_sizes() -> tuple[list[tuple[str, str, int]], str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)), "
            "pg_total_relation_size(oid) FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace "
            "ORDER BY 3 DESC LIMIT 15"
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        (total,) = cursor.fetchone()
    return rows, total


def seed(
    database_url: str,
    *,
    scale: float = 1.0,
    seed: int = 1,
    create: bool = True,
    drop_first: bool = False,
) -> dict:
    """Seed `database_url` (PostgreSQL on this machine) and return the SEED-TARGETS dict.

    Refuses a database that already holds content unless `drop_first`. Sets Django up for
    that database unless the process already did (then it must be the same database).
    """
    if not scale > 0:
        raise SeedError(f"--scale must be above 0, not {scale}")
    db = parse_database_url(database_url)
    django_ready = check_django(db)
    if django_ready and drop_first:
        from django.db import connections

        connections.close_all()  # dropdb --force would cut them off
    prepare_database(db, create=create, drop_first=drop_first)
    if not django_ready:
        corpus.setup_django(db.url, debug=True)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    from events.models import Event
    from network.models import Organisation
    from publications.models import Publication

    if connection.vendor != "postgresql":
        raise SeedError(f"refuses {connection.vendor}: the data set is for PostgreSQL only")
    started = time.perf_counter()
    say(f"seed: database {db.name} on {db.host}:{db.port}, scale {scale:g}, seed {seed}")
    with step("migrate"):
        call_command("migrate", verbosity=0, interactive=False)
    if any(model.objects.exists() for model in (Publication, Event, Organisation)):
        raise SeedError(f"database {db.name} already holds content; --drop-first seeds it afresh")
    with connection.cursor() as cursor:
        # A benchmark database: no need to wait for the disk at every commit.
        cursor.execute("SET synchronous_commit TO off")
    seeder = Seeder(scale, seed)
    with translation.override(settings.LANGUAGE_CODE):
        timings = seeder.run()
        with step("VACUUM ANALYZE"), connection.cursor() as cursor:
            # ANALYZE for the planner's statistics; VACUUM sets the visibility map, which a
            # live database's autovacuum would have done, so index-only scans work.
            cursor.execute("VACUUM ANALYZE")
        targets = seeder.targets()
    elapsed = time.perf_counter() - started

    say("\nRows made")
    for table, n in row_counts():
        say(f"  {table:<54} {n:>9,}")
    sizes, total = table_sizes()
    say(f"\nLargest tables (with indexes and TOAST); database {db.name}: {total}")
    for table, size, _bytes in sizes:
        say(f"  {table:<54} {size:>9}")
    slowest = max(timings, key=timings.get)
    say(
        f"\nSeeded in {elapsed:.0f} s ({elapsed / 60:.1f} min), migrate included; "
        f"longest step: {slowest} ({timings[slowest]:.0f} s)"
    )
    say(f"SEED-TARGETS {json.dumps(targets, ensure_ascii=False)}")
    return targets


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help=f"PostgreSQL on this machine only (default: {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument(
        "--create", action="store_true", help="createdb the database if it is missing"
    )
    parser.add_argument(
        "--drop-first", action="store_true", help="drop the database and create it afresh"
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiplies every count (0.01: a quick check)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    try:
        seed(
            args.database_url,
            scale=args.scale,
            seed=args.seed,
            create=args.create,
            drop_first=args.drop_first,
        )
    except SeedError as error:
        sys.exit(f"seed: {error}")


if __name__ == "__main__":
    main()
