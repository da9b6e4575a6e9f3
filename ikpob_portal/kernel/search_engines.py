"""The two full-text engines behind the site search, with one small interface.

- **PostgreSQL** (production): a weighted `dutch` tsvector per row (title A, themes B, summary
  B, body C) behind a GIN index; ranked by `ts_rank`; one-word searches also match by trigram
  word similarity (pg_trgm, kernel migration 0004).
- **SQLite** (the default install): an FTS5 table `ikpob_portal_searchtext` holding the row's
  text as Dutch Snowball stems (kernel migration 0007), queried with the stems of the query's
  words and ranked by bm25 (title 10, themes 6, summary 3, body 1).

Both get a `QueryPlan` (`search_words.py`) and rank in tiers: items with every word as typed
(stemmed) first, then items found only through a compound part or corrected spelling, then
(PostgreSQL, one word) trigram matches. Within a tier the rank is multiplied by the kind's
`search_weight`, so people and organisations come after publications that match as well.
"""

from functools import reduce
from operator import and_, or_

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection, models
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.expressions import RawSQL

from ikpob_portal.kernel import registry
from ikpob_portal.kernel.models import SearchEntry
from ikpob_portal.kernel.search_words import QueryPlan, stem, stemmed

CONFIG = "dutch"
FTS_TABLE = "ikpob_portal_searchtext"
# bm25 weights of the FTS5 columns: title, themes, summary, body.
BM25 = "bm25(ikpob_portal_searchtext, 10.0, 6.0, 3.0, 1.0)"
# Tiers: every word as typed, then through an alternative (ts_rank stays below 1).
LITERAL, WIDENED = 2.0, 1.0
SQLITE_TIER = 1000.0  # bm25 of one item stays far below this


def kind_weight() -> Case:
    """Each kind's `search_weight` by content type (1.0 when a kind gives none)."""
    whens = [
        When(content_type_id=ContentType.objects.get_for_model(kind.model).pk, then=Value(w))
        for kind in registry.kinds()
        if (w := float(kind.search_weight)) != 1.0
    ]
    return Case(*whens, default=Value(1.0), output_field=FloatField())


class PostgresEngine:
    name = "postgresql"

    def write(self, entry_ids: list[int]) -> None:
        SearchEntry.objects.filter(pk__in=entry_ids).update(search_vector=self.vector())

    def clear(self) -> None:
        """Nothing to do: the vector lives in the row itself."""

    def forget(self, entry_ids: list[int]) -> None:
        """Nothing to do: the vector goes with the row."""

    @staticmethod
    def vector() -> SearchVector:
        return (
            SearchVector("title", weight="A", config=CONFIG)
            + SearchVector("themes", weight="B", config=CONFIG)
            + SearchVector("summary", weight="B", config=CONFIG)
            + SearchVector("body", weight="C", config=CONFIG)
        )

    @staticmethod
    def _query(plan: QueryPlan, *, widened: bool) -> SearchQuery:
        def word(text: str) -> SearchQuery:
            return SearchQuery(text, search_type="plain", config=CONFIG)

        parts = [
            reduce(or_, [word(alt) for alt in (term.word, *term.alternatives)])
            if widened
            else word(term.word)
            for term in plan.terms
        ]
        parts += [
            SearchQuery(" ".join(p), search_type="phrase", config=CONFIG) for p in plan.phrases
        ]
        query = reduce(and_, parts)
        for excluded in plan.exclude:
            query &= ~SearchQuery(" ".join(excluded), search_type="phrase", config=CONFIG)
        return query

    def matches(self, entries: models.QuerySet, plan: QueryPlan) -> models.QuerySet:
        literal = self._query(plan, widened=False)
        weight = kind_weight()
        literal_match = Q(search_vector=literal)
        condition = literal_match
        literal_rank = SearchRank(F("search_vector"), literal) * weight + LITERAL
        whens = [When(literal_match, then=literal_rank)]
        if plan.widened:
            widened = self._query(plan, widened=True)
            condition |= Q(search_vector=widened)
            whens.append(
                When(
                    Q(search_vector=widened),
                    then=SearchRank(F("search_vector"), widened) * weight + WIDENED,
                )
            )
        default = Value(0.0)
        # One word: also its trigram neighbours in title, summary and names (typos, parts of
        # compounds the vocabulary does not split). pg_trgm's `%>` uses the trigram index.
        if len(plan.terms) == 1 and not plan.phrases and not plan.exclude:
            word = plan.terms[0].word
            condition |= Q(words__trigram_word_similar=word)
            default = TrigramWordSimilarity(word, "words")
        return (
            entries.filter(condition)
            .annotate(score=Case(*whens, default=default, output_field=FloatField()))
            .order_by("-score", "title")
        )


def _fts_token(word: str) -> str:
    # Stems hold letters and digits only (\w); quoted, FTS5 reads them as plain tokens.
    return f'"{stem(word)}"'


def _fts_phrase(words: list[str]) -> str:
    return '"' + stemmed(" ".join(words)) + '"'


class SqliteEngine:
    name = "sqlite"

    def write(self, entry_ids: list[int]) -> None:
        rows = SearchEntry.objects.filter(pk__in=entry_ids).values_list(
            "pk", "title", "themes", "summary", "body"
        )
        self.forget(entry_ids)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, themes, summary, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(pk, *(stemmed(text) for text in texts)) for pk, *texts in rows],
            )

    def forget(self, entry_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk in entry_ids]
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")

    @staticmethod
    def _expression(plan: QueryPlan, *, widened: bool) -> str:
        parts = []
        for term in plan.terms:
            alternatives = (term.word, *term.alternatives) if widened else (term.word,)
            tokens = list(dict.fromkeys(_fts_token(alt) for alt in alternatives))
            parts.append("(" + " OR ".join(tokens) + ")")
        parts += [_fts_phrase(phrase) for phrase in plan.phrases]
        expression = "(" + " AND ".join(parts) + ")"
        for excluded in plan.exclude:
            expression = f"({expression} NOT {_fts_phrase(excluded)})"
        return expression

    def matches(self, entries: models.QuerySet, plan: QueryPlan) -> models.QuerySet:
        literal = self._expression(plan, widened=False)
        widened = self._expression(plan, widened=True) if plan.widened else literal
        table = SearchEntry._meta.db_table
        matching = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        # bm25 is negative, better is lower. FTS5 saturates column weights (a word ten times
        # in a column counts about twice), so a match in the title doubles the rank on top.
        rank = RawSQL(
            f"SELECT -{BM25} FROM {FTS_TABLE} "
            f'WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = "{table}"."id"',
            [widened],
            output_field=FloatField(),
        )
        in_title = Case(
            When(pk__in=RawSQL(matching, [f"title : {self._positive(plan)}"]), then=Value(2.0)),
            default=Value(1.0),
            output_field=FloatField(),
        )
        tier = Case(
            When(pk__in=RawSQL(matching, [literal]), then=Value(SQLITE_TIER)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        return (
            entries.filter(pk__in=RawSQL(matching, [widened]))
            .annotate(score=tier + rank * in_title * kind_weight())
            .order_by("-score", "title")
        )

    @staticmethod
    def _positive(plan: QueryPlan) -> str:
        """The words as typed, without exclusions: for the title bonus."""
        parts = [_fts_token(term.word) for term in plan.terms]
        parts += [_fts_phrase(phrase) for phrase in plan.phrases]
        return "(" + " AND ".join(parts) + ")"


def engine() -> PostgresEngine | SqliteEngine:
    return PostgresEngine() if connection.vendor == "postgresql" else SqliteEngine()
