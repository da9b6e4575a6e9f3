"""What the benchmark scripts share: generated Dutch text, bulk search rows, the database.

`search_bench.py` (site search timings) and `seed.py` (the large data set) both import it; run
as scripts, their directory is on `sys.path`, so `import corpus` finds this module.

- Generated text: a vocabulary of domain words with their inflections, drawn with Zipf-like
  weights, and `Writer`, which writes titles, sentences and bodies from it, seeded.
- Search rows in bulk: `index_in_bulk()` writes the `SearchEntry` rows of many objects of one
  registered kind with the fields `search.index()` writes, then sets their weighted vector
  with one UPDATE per batch; `drop_gin_indexes()` and `create_gin_indexes()` keep the GIN
  indexes out of the load and build them once afterwards, as migration 0004 does.
- The database: `setup_django()`, `pg_tool()` (createdb, dropdb on this machine only).

Nothing here imports Django at module level: the scripts set the environment first.
"""

import datetime
import importlib
import itertools
import os
import random
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from contextlib import contextmanager

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
GIN_INDEXES = ["search_entry_vector_gin", "search_entry_words_trgm", "search_entry_title_trgm"]
BATCH = 2000

# --- Generated text ---------------------------------------------------------------------
# Words are drawn with Zipf-like weights (the first of each list is the most common), so
# some queries match much of the table and others a small part, as in real text.

NOUNS = [  # (singular, plural): stemming has to bring them together
    ("ambtenaar", "ambtenaren"),
    ("gemeente", "gemeenten"),
    ("organisatie", "organisaties"),
    ("professional", "professionals"),
    ("inspecteur", "inspecteurs"),
    ("netwerk", "netwerken"),
    ("bestuurder", "bestuurders"),
    ("overheid", "overheden"),
    ("wijk", "wijken"),
    ("uitvoerder", "uitvoerders"),
    ("beleidsmaker", "beleidsmakers"),
    ("provincie", "provincies"),
    ("vraag", "vragen"),
    ("regel", "regels"),
    ("buurt", "buurten"),
    ("wethouder", "wethouders"),
    ("casus", "casussen"),
    ("raadslid", "raadsleden"),
    ("waterschap", "waterschappen"),
    ("leerkring", "leerkringen"),
    ("loket", "loketten"),
    ("dilemma", "dilemma's"),
    ("burgerinitiatief", "burgerinitiatieven"),
    ("dorp", "dorpen"),
]
CONCEPTS = [
    "beleid",
    "uitvoering",
    "toezicht",
    "vertrouwen",
    "dienstverlening",
    "participatie",
    "vakmanschap",
    "samenwerking",
    "leiderschap",
    "verantwoording",
    "integriteit",
    "handhaving",
    "regelgeving",
    "digitalisering",
    "jeugdzorg",
    "legitimiteit",
    "professionaliteit",
    "netwerksturing",
    "ketensamenwerking",
    "burgerparticipatie",
]
ADJECTIVES = [  # (base, inflected)
    ("goed", "goede"),
    ("nieuw", "nieuwe"),
    ("publiek", "publieke"),
    ("ambtelijk", "ambtelijke"),
    ("lokaal", "lokale"),
    ("maatschappelijk", "maatschappelijke"),
    ("digitaal", "digitale"),
    ("regionaal", "regionale"),
    ("sterk", "sterke"),
    ("kwetsbaar", "kwetsbare"),
    ("lerend", "lerende"),
    ("open", "open"),
]
VERBS = [  # (infinitive, third person, participle)
    ("werken", "werkt", "gewerkt"),
    ("leren", "leert", "geleerd"),
    ("sturen", "stuurt", "gestuurd"),
    ("veranderen", "verandert", "veranderd"),
    ("verbinden", "verbindt", "verbonden"),
    ("besturen", "bestuurt", "bestuurd"),
    ("ondersteunen", "ondersteunt", "ondersteund"),
    ("organiseren", "organiseert", "georganiseerd"),
    ("vertrouwen", "vertrouwt", "vertrouwd"),
    ("participeren", "participeert", "geparticipeerd"),
    ("inspecteren", "inspecteert", "geïnspecteerd"),
]
PREPOSITIONS = ["in", "van", "voor", "met", "over", "bij", "tussen", "door", "naar", "op"]
GIVEN_NAMES = ["Anna", "Bram", "Carla", "Daan", "Esther", "Frank", "Gerda", "Hans", "Ilse"]
GIVEN_NAMES += ["Joost", "Karin", "Lars", "Marieke", "Niels", "Olga", "Pieter", "Ria", "Sven"]
FAMILY_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"]
FAMILY_NAMES += ["de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer"]
FAMILY_NAMES += ["van Dijk", "Kok", "Jacobs", "Vermeulen", "van den Berg", "Willems", "Postma"]
# The shared taxonomy (docs: /work/shared/domain.md, "Themes"); theme names are not in the
# search text, so they do not change what a search finds.
THEMES = ["Sturen in netwerken", "Strategie en toekomst", "Politiek en bestuur"]
THEMES += ["Ambtelijk vakmanschap", "Participatiemaatschappij", "Competentieontwikkeling"]
THEMES += ["Toezicht", "Leiderschap", "Burgerinitiatief", "Democratische waarden"]


def zipf(items: list) -> list[float]:
    """Cumulative weights 1, 1/2, 1/3, …: the first item is the most common."""
    return list(itertools.accumulate(1 / (rank + 1) for rank in range(len(items))))


class Writer:
    """Dutch-ish sentences from the vocabulary; seeded, so every run writes the same corpus."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.noun_weights = zipf(NOUNS)
        self.concept_weights = zipf(CONCEPTS)
        self.adjective_weights = zipf(ADJECTIVES)
        self.verb_weights = zipf(VERBS)

    def noun(self) -> str:
        singular, plural = self.random.choices(NOUNS, cum_weights=self.noun_weights)[0]
        return plural if self.random.random() < 0.4 else singular

    def concept(self) -> str:
        return self.random.choices(CONCEPTS, cum_weights=self.concept_weights)[0]

    def adjective(self, inflected: bool = True) -> str:
        base, inflected_form = self.random.choices(ADJECTIVES, cum_weights=self.adjective_weights)[
            0
        ]
        return inflected_form if inflected else base

    def verb(self) -> tuple[str, str, str]:
        return self.random.choices(VERBS, cum_weights=self.verb_weights)[0]

    def sentence(self) -> str:
        r = self.random
        infinitive, third, participle = self.verb()
        patterns = [
            lambda: (
                f"de {self.adjective()} {self.noun()} {third} {r.choice(PREPOSITIONS)} "
                f"{self.concept()}"
            ),
            lambda: (
                f"hoe {third} een {self.noun()} {r.choice(PREPOSITIONS)} de "
                f"{self.adjective()} {self.noun()}"
            ),
            lambda: (
                f"{self.concept()} en {self.concept()} worden {participle} door "
                f"{self.noun()} {r.choice(PREPOSITIONS)} de {self.noun()}"
            ),
            lambda: f"wie {self.concept()} wil {infinitive}, begint bij de {self.noun()}",
            lambda: f"het lokaal bestuur {third} {r.choice(PREPOSITIONS)} {self.concept()}",
        ]
        weights = [5, 4, 3, 2, 0.15]
        text = r.choices(patterns, weights)[0]()
        ending = "?" if text.startswith(("hoe", "wie")) and r.random() < 0.5 else "."
        return text[0].upper() + text[1:] + ending

    def title(self) -> str:
        r = self.random
        patterns = [
            lambda: (
                f"{self.concept()} {r.choice(PREPOSITIONS)} de {self.adjective()} {self.noun()}"
            ),
            lambda: f"over {self.concept()} en {self.concept()}",
            lambda: f"{self.adjective()} {self.noun()}: {self.concept()} in de praktijk",
            lambda: f"de {self.noun()} als {self.noun()}",
        ]
        text = r.choice(patterns)()
        return text[0].upper() + text[1:]

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def body(self) -> str:
        paragraphs = self.random.randint(2, 4)
        return "\n\n".join(self.paragraph(self.random.randint(3, 6)) for _ in range(paragraphs))


# --- Output -------------------------------------------------------------------------------


def say(text: str = "", end: str = "\n") -> None:
    sys.stdout.write(text + end)
    sys.stdout.flush()


@contextmanager
def step(label: str):
    start = time.perf_counter()
    say(f"  {label} …", end="")
    yield
    say(f" {time.perf_counter() - start:.1f} s")


# --- Database -----------------------------------------------------------------------------


def pg_tool(tool: str, *extra: str, host: str, port: str | int, user: str) -> None:
    """createdb, dropdb, … against the server on this machine (refuses any other host)."""
    if host not in LOCAL_HOSTS:
        sys.exit(f"{tool}: refuses host {host!r}; the benchmarks only use this machine")
    if shutil.which(tool) is None:
        sys.exit(f"{tool} not found; the benchmarks need the PostgreSQL client tools")
    command = [tool, "-h", host, "-p", str(port), "-U", user, *extra]
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL)


def setup_django(database_url: str, *, debug: bool = False) -> None:
    """Point Django at `database_url` and set it up (once per process)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if root not in sys.path:
        sys.path.insert(0, root)
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ikpob_portal.settings"
    os.environ["DATABASE_CONN_MAX_AGE"] = "0"
    if debug:
        # DEBUG keeps the last 9,000 queries in memory: bulk loads call reset_queries().
        os.environ["DJANGO_DEBUG"] = "1"
    else:
        # Not DEBUG for timings: Django would log every query.
        os.environ["DJANGO_DEBUG"] = "0"
        os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    import django

    django.setup()


def publish_state(
    r: random.Random, now: datetime.datetime, since: datetime.datetime | None = None
) -> tuple[str, datetime.datetime | None]:
    """About 5% drafts, 1% scheduled (public from a future moment), the rest published
    (`since`, or a day in the last ten years)."""
    from ikpob_portal.kernel.models import Publishable

    roll = r.random()
    if roll < 0.05:
        return Publishable.Status.DRAFT, None
    if roll < 0.06:
        return Publishable.Status.PUBLISHED, now + datetime.timedelta(days=r.randint(1, 90))
    if since is not None:
        return Publishable.Status.PUBLISHED, min(since, now)
    return Publishable.Status.PUBLISHED, now - datetime.timedelta(days=r.randint(1, 3650))


# --- Search rows in bulk ------------------------------------------------------------------


def search_queryset(model):
    """The objects of one kind with what its `search_document` reads, in a few queries."""
    from django.db.models import Prefetch

    from publications.models import Authorship

    label = model._meta.label_lower
    queryset = model._default_manager.all()
    if label == "publications.publication":
        return queryset.select_related("publisher").prefetch_related(
            Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("person").order_by("position"),
                to_attr="ordered_authorships",
            ),
            "commissioned_by",
        )
    related = {
        "learning_circles.learningcircle": ["questions", "participations__organisation"],
        "events.event": ["organisers", "speakers"],
        "network.person": ["affiliations__organisation"],
    }
    return queryset.prefetch_related(*related.get(label, []))


def index_in_bulk(model, ids: Iterable[int]) -> int:
    """Search rows for the objects `ids` of `model`: what `search.index()` writes for each,
    inserted with bulk_create, the weighted vector set with one UPDATE per batch."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import reset_queries

    from ikpob_portal.kernel import registry, search
    from ikpob_portal.kernel.models import SearchEntry

    kind = registry.kind_for(model)
    if kind is None or kind.search_document is None:
        return 0
    content_type = ContentType.objects.get_for_model(model)
    count = 0
    for batch in itertools.batched(ids, BATCH, strict=False):
        entries = [
            SearchEntry(
                content_type=content_type, object_id=obj.pk, **search.entry_fields(kind, obj)
            )
            for obj in search_queryset(model).filter(pk__in=batch)
        ]
        created = SearchEntry.objects.bulk_create(entries)
        SearchEntry.objects.filter(pk__in=[entry.pk for entry in created]).update(
            search_vector=search.vector_expression()
        )
        count += len(created)
        reset_queries()
    return count


def drop_gin_indexes() -> None:
    """As for any bulk import: the GIN indexes are built once afterwards, not row by row."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {', '.join(GIN_INDEXES)}")


def create_gin_indexes() -> None:
    """The GIN indexes (full text, trigrams), by migration 0004's own function."""
    from django.db import connection

    migration = importlib.import_module("ikpob_portal.kernel.migrations.0004_search_index")
    with connection.schema_editor() as schema_editor:
        migration.create_postgres_search_indexes(None, schema_editor)
