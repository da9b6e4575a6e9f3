"""One site-wide search: PostgreSQL full text ('dutch') with a simple SQLite fallback.

Every registered kind that gives a `search_document` gets a row in `SearchEntry`, written on
each save (signals, and the admin after its inlines) and rebuilt by `manage.py
rebuild_search_index`. Searching joins back to each kind's public queryset, so drafts never
show up and "published" stays defined in one place.

On PostgreSQL the row holds a weighted tsvector (title A, summary B, body C) searched with
`websearch_to_tsquery('dutch', …)`: stemming ("ambtenaar" finds "ambtenaren"), "exacte
woordgroep" and -uitsluiten. Plain queries also match by trigram word similarity, which finds
parts of compound words ("sturing" in "netwerksturing") and small typos ("vakmanscap").
"""

import html as html_lib
import re
from dataclasses import dataclass, field

import nh3
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.db.models import Case, F, FloatField, IntegerField, Q, Value, When
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ikpob_portal.kernel import registry
from ikpob_portal.kernel.models import SearchEntry, Theme, ThemedItem, ZeroResultSearch

CONFIG = "dutch"
TRIGRAM_THRESHOLD = 0.6
# Highlight markers that cannot occur in text; escaped text gets <mark> in their place.
START, STOP = "\x02", "\x03"


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


# Indexing ---------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Markdown or HTML to plain text for the index (no tags, collapsed whitespace)."""
    # nh3 drops the tags but escapes & and <; the index holds text, templates escape it.
    return " ".join(html_lib.unescape(nh3.clean(text or "", tags=set())).split())


def vector_expression() -> SearchVector:
    """A row's weighted document: title A, summary B, body C (for index() and bulk loads)."""
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def entry_fields(kind: registry.ContentKind, obj: models.Model) -> dict[str, str]:
    """The text columns of an object's search row (for index() and bulk loads)."""
    document = kind.search_document(obj)
    # Titles and summaries are plain text as typed; bodies may be Markdown with markup.
    title, summary = " ".join(document.title.split()), " ".join(document.summary.split())
    return {
        "title": title[:400],
        "summary": summary,
        "body": _plain(f"{document.body} {document.names}"),
        "words": f"{title} {summary} {_plain(document.names)}",
        "url": obj.get_absolute_url(),
    }


def index(obj: models.Model) -> None:
    """Write (or refresh) the search row of one object."""
    kind = registry.kind_for(type(obj))
    if kind is None or kind.search_document is None:
        return
    entry, _created = SearchEntry.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        defaults=entry_fields(kind, obj),
    )
    if uses_postgres():
        SearchEntry.objects.filter(pk=entry.pk).update(search_vector=vector_expression())


def remove(obj: models.Model) -> None:
    SearchEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).delete()


def rebuild() -> int:
    """Index every object of every searchable kind again (drafts too: visibility is joined)."""
    count = 0
    for kind in registry.kinds():
        if kind.search_document is None:
            continue
        for obj in kind.model._default_manager.iterator(chunk_size=500):
            index(obj)
            count += 1
    return count


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    kind = registry.kind_for(sender)
    if kind is not None and kind.search_document is not None:
        index(instance)
    for reindex in registry.reindexes_for(sender):
        _index_affected(reindex, instance)


def _on_delete(sender, instance, **kwargs) -> None:
    kind = registry.kind_for(sender)
    if kind is not None and kind.search_document is not None:
        remove(instance)
    for reindex in registry.reindexes_for(sender):
        if reindex.on_delete:
            _index_affected(reindex, instance)


def _on_m2m_change(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and registry.reindexes_on_links(sender):
        index(instance)


def _index_affected(reindex: registry.Reindex, instance: models.Model) -> None:
    for obj in reindex.affected(instance):
        if obj is not None and obj.pk is not None:
            index(obj)


def connect_signals() -> None:
    """Keep the index fresh on every save, delete and link change of what the registry names.

    Connected once, for every sender, by the kernel's `ready()`: the handlers look the sender
    up in the registry when a signal comes, so kinds that apps register later (their
    `ready()` runs after the kernel's) are followed as well.
    """
    post_save.connect(_on_save, dispatch_uid="search-save")
    post_delete.connect(_on_delete, dispatch_uid="search-delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="search-m2m")


# Query parsing (the SQLite fallback; PostgreSQL parses with websearch_to_tsquery) ----------

TERM = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')


@dataclass
class ParsedQuery:
    include: list[str] = field(default_factory=list)  # words and "phrases" that must occur
    exclude: list[str] = field(default_factory=list)

    @property
    def is_plain(self) -> bool:
        """Only words: no phrases, no exclusions (then typo matching may widen the search)."""
        return not self.exclude and all(" " not in term for term in self.include)


def parse(q: str) -> ParsedQuery:
    parsed = ParsedQuery()
    for minus_phrase, phrase, minus_word, word in TERM.findall(q):
        term = (phrase or word).strip().lower()
        if not term or term == "or":
            continue
        (parsed.exclude if (minus_phrase or minus_word) else parsed.include).append(term)
    return parsed


def normalise(q: str) -> str:
    """A visitor's words as every search reads them (the site search and each list's `q`):
    whitespace collapsed and cut to SEARCH_MAX_QUERY_LENGTH characters.

    A pasted page of text still searches (its start), instead of failing on the database
    (SQLite refuses LIKE patterns over 50 000 bytes) or running one condition per word.
    """
    # A NUL means nothing in a search, and PostgreSQL refuses text that holds one.
    return " ".join((q or "").replace("\x00", " ").split())[: settings.SEARCH_MAX_QUERY_LENGTH]


# Searching --------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: registry.ContentKind
    title: str
    url: str
    snippet: SafeString
    content_type_id: int
    object_id: int


def _visible_entries(kinds: list[registry.ContentKind]) -> models.QuerySet:
    """Entries whose object is public right now: one subquery per kind's public queryset."""
    condition = Q(pk__in=[])
    for kind in kinds:
        content_type = ContentType.objects.get_for_model(kind.model)
        public_ids = kind.public_queryset().order_by().values("pk")
        condition |= Q(content_type=content_type, object_id__in=public_ids)
    return SearchEntry.objects.filter(condition)


def _postgres_matches(entries: models.QuerySet, q: str) -> models.QuerySet:
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    entries = entries.annotate(rank=SearchRank(F("search_vector"), query))
    parsed = parse(q)
    # Typo and compound matching is for one word: with more words every one must match, and
    # the similarity of a whole phrase would let in items that have only one of them.
    if parsed.is_plain and len(parsed.include) == 1:
        full_text = Q(search_vector=query)
        # pg_trgm's `%>` operator (word similarity above pg_trgm.word_similarity_threshold,
        # 0.6 = TRIGRAM_THRESHOLD) is answered by the trigram index; a computed
        # word_similarity() >= 0.6 would compare every row (bench/README.md).
        return (
            entries.filter(full_text | Q(words__trigram_word_similar=q))
            .annotate(
                # Full-text matches first by rank; typo and compound matches below them, by
                # their similarity, computed only for the rows full text did not match.
                score=Case(
                    When(full_text, then=F("rank") + Value(1.0)),
                    default=TrigramWordSimilarity(q, "words"),
                    output_field=FloatField(),
                )
            )
            .order_by("-score", "title")
        )
    return entries.filter(search_vector=query).order_by("-rank", "title")


def _fallback_matches(entries: models.QuerySet, q: str) -> models.QuerySet:
    parsed = parse(q)
    if not parsed.include:
        return entries.none()
    for term in parsed.include:
        entries = entries.filter(
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(body__icontains=term)
        )
    for term in parsed.exclude:
        entries = entries.exclude(
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(body__icontains=term)
        )
    first = parsed.include[0]
    return entries.annotate(
        score=Case(
            When(title__icontains=first, then=Value(3)),
            When(summary__icontains=first, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("-score", "title")


def matching_entries(q: str, kinds: list[registry.ContentKind] | None = None) -> models.QuerySet:
    """All visible entries matching `q`, best first."""
    q = normalise(q)
    kinds = [k for k in (kinds or registry.kinds()) if k.search_document is not None]
    entries = _visible_entries(kinds)
    if uses_postgres():
        return _postgres_matches(entries, q)
    return _fallback_matches(entries, q)


def filter_queryset(queryset: models.QuerySet, q: str) -> models.QuerySet:
    """Narrow one kind's list with the same search as /zoeken/: the items of this kind the
    site search finds for `q` (same matching, same normalising), in the list's own order."""
    kind = registry.kind_for(queryset.model)
    if kind is None or kind.search_document is None:
        # A list whose kind the site search does not index could only disagree with it.
        raise ImproperlyConfigured(f"{queryset.model._meta.label} is not in the site search.")
    if not normalise(q):
        return queryset
    content_type = ContentType.objects.get_for_model(queryset.model)
    ids = (
        matching_entries(q, [kind]).filter(content_type=content_type).order_by().values("object_id")
    )
    return queryset.filter(pk__in=ids)


def _highlight_fallback(text: str, terms: list[str], width: int = 220) -> SafeString:
    """A passage around the first match, escaped, with the search words in <mark>."""
    lowered = text.lower()
    positions = [lowered.find(term) for term in terms if lowered.find(term) >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    fragment = text[start : start + width]
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(text) else ""
    pattern = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    pieces, last = [], 0
    # Mark matches in the plain text, escaping the pieces between: never inside an entity.
    for match in re.finditer(pattern, fragment, flags=re.IGNORECASE) if pattern else ():
        pieces.append(escape(fragment[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(fragment[last:]))
    return mark_safe(prefix + "".join(pieces) + suffix)


def _marked(headline: str) -> SafeString:
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))


def hits(entries: list[SearchEntry], q: str) -> list[Hit]:
    kinds = {ContentType.objects.get_for_model(kind.model).pk: kind for kind in registry.kinds()}
    result = []
    terms = parse(q).include
    for entry in entries:
        if hasattr(entry, "headline"):
            snippet = _marked(entry.headline)
        else:
            snippet = _highlight_fallback(f"{entry.summary} {entry.body}".strip(), terms)
        result.append(
            Hit(
                kind=kinds[entry.content_type_id],
                title=entry.title,
                url=entry.url,
                snippet=snippet,
                content_type_id=entry.content_type_id,
                object_id=entry.object_id,
            )
        )
    return result


def with_headlines(entries: models.QuerySet, q: str) -> models.QuerySet:
    """Add the matching passage (PostgreSQL's ts_headline) to a page of entries."""
    if not uses_postgres():
        return entries
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    return entries.annotate(
        headline=SearchHeadline(
            models.functions.Concat("summary", Value(" "), "body", output_field=models.TextField()),
            query,
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    )


def kind_counts(entries: models.QuerySet) -> dict[int, int]:
    return dict(entries.order_by().values_list("content_type_id").annotate(n=models.Count("pk")))


def _same_object(queryset: models.QuerySet) -> models.QuerySet:
    return queryset.filter(
        content_type_id=models.OuterRef("content_type_id"), object_id=models.OuterRef("object_id")
    )


def theme_counts(entries: models.QuerySet) -> list[tuple[Theme, int]]:
    """Themes of the matching items with how many matches carry each (one query)."""
    matched = SearchEntry.objects.filter(pk__in=entries.order_by().values("pk"))
    rows = (
        ThemedItem.objects.filter(models.Exists(_same_object(matched)))
        .values("tag_id")
        .annotate(n=models.Count("id"))
        .order_by()
    )
    counts = {row["tag_id"]: row["n"] for row in rows}
    themes = Theme.objects.filter(pk__in=counts).order_by("name")
    return [(theme, counts[theme.pk]) for theme in themes]


def restrict_to_theme(entries: models.QuerySet, theme: Theme) -> models.QuerySet:
    return entries.filter(models.Exists(_same_object(ThemedItem.objects.filter(tag=theme))))


def suggestions(q: str, limit: int = 5) -> dict:
    """For a search without results: similar titles (spelling) and themes."""
    q = normalise(q)
    if uses_postgres():
        titles = list(
            _visible_entries([k for k in registry.kinds() if k.search_document])
            .annotate(similarity=TrigramWordSimilarity(q, "title"))
            .filter(similarity__gte=0.3)
            .order_by("-similarity")
            .values_list("title", "url")[:limit]
        )
        themes = list(
            Theme.objects.annotate(similarity=TrigramWordSimilarity(q, "name"))
            .filter(similarity__gte=0.3)
            .order_by("-similarity")[:limit]
        )
    else:
        import difflib

        words = parse(q).include
        candidates = list(Theme.objects.order_by("name"))
        themes = [
            theme
            for theme in candidates
            if any(
                difflib.SequenceMatcher(None, word, theme.name.lower()).ratio() > 0.6
                or word in theme.name.lower()
                for word in words
            )
        ][:limit]
        titles = []
    return {"titles": titles, "themes": themes}


def log_zero_result(q: str) -> None:
    query = normalise(q).lower()
    if not query:
        return
    entry, _created = ZeroResultSearch.objects.get_or_create(query=query)
    ZeroResultSearch.objects.filter(pk=entry.pk).update(count=F("count") + 1)
