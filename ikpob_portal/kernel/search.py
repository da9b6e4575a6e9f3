"""One site-wide search that reads Dutch, on PostgreSQL and on SQLite.

Every registered kind that gives a `search_document` gets a row in `SearchEntry` (title,
summary, body, names, and the names and synonyms of its themes), written on each save
(signals, and the admin after its inlines) and rebuilt by `manage.py rebuild_search_index`.
Its words go into the vocabulary (`SearchWord`). Searching joins back to each kind's public
queryset, so drafts never show up and "published" stays defined in one place.

A query is read against the vocabulary (`search_words.plan`: compounds split, typos corrected)
and run by the database's engine (`search_engines.py`): PostgreSQL's `dutch` full text, or
SQLite's FTS5 over Dutch Snowball stems. Passages are cut from the stored text at word
boundaries, with the words (any form of them) in <mark>.
"""

import html as html_lib
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import nh3
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_started
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ikpob_portal.kernel import registry, search_words
from ikpob_portal.kernel.models import SearchEntry, Theme, ThemedItem, ZeroResultSearch
from ikpob_portal.kernel.search_engines import PostgresEngine, engine
from ikpob_portal.kernel.search_words import QueryPlan
from ikpob_portal.platform.cache import per_version


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


# Indexing ---------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Markdown or HTML to plain text for the index (no tags, collapsed whitespace)."""
    # nh3 drops the tags but escapes & and <; the index holds text, templates escape it.
    return " ".join(html_lib.unescape(nh3.clean(text or "", tags=set())).split())


def vector_expression():
    """A row's weighted document on PostgreSQL (for bulk loads; index() writes it too)."""
    return PostgresEngine.vector()


def theme_words(obj: models.Model) -> str:
    """The names and synonyms of an object's themes: searching a theme finds its items."""
    items = ThemedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("tag")
    return " ".join(
        f"{item.tag.name} {item.tag.synonyms.replace(',', ' ')}".strip()
        for item in sorted(items, key=lambda item: item.tag.name.lower())
    )


ENTRY_FIELDS = ("title", "summary", "body", "words", "themes", "url")


def entry_fields(kind: registry.ContentKind, obj: models.Model) -> dict[str, str]:
    """The text columns of an object's search row (for index() and bulk loads)."""
    document = kind.search_document(obj)
    # Titles and summaries are plain text as typed; bodies may be Markdown with markup.
    title, summary = " ".join(document.title.split()), " ".join(document.summary.split())
    themes = " ".join(theme_words(obj).split())
    return {
        "title": title[:400],
        "summary": summary,
        "body": _plain(f"{document.body} {document.names}"),
        "words": f"{title} {summary} {_plain(document.names)} {themes}".strip(),
        "themes": themes,
        "url": obj.get_absolute_url(),
    }


def index(obj: models.Model) -> None:
    """Write (or refresh) the search row of one object, and add its words to the vocabulary."""
    kind = registry.kind_for(type(obj))
    if kind is None or kind.search_document is None:
        return
    fields = entry_fields(kind, obj)
    entry, _created = SearchEntry.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        defaults=fields,
    )
    engine().write([entry.pk])
    _forget_plans()
    search_words.add_to_vocabulary(
        " ".join([fields["title"], fields["summary"], fields["body"], fields["themes"]])
    )


def index_many(objects: Iterable[models.Model]) -> int:
    """Write (or refresh) the search rows of many objects at once: one read of their existing
    rows per model, one bulk write, one pass of the engine and of the vocabulary. Returns how
    many rows were written."""
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for obj in objects:
        if obj is not None and obj.pk is not None:
            by_model.setdefault(type(obj), []).append(obj)
    entry_ids: list[int] = []
    words: list[str] = []
    now = timezone.now()
    for model, objs in by_model.items():
        kind = registry.kind_for(model)
        if kind is None or kind.search_document is None:
            continue
        content_type = ContentType.objects.get_for_model(model)
        unique = {obj.pk: obj for obj in objs}
        existing = {
            entry.object_id: entry
            for entry in SearchEntry.objects.filter(content_type=content_type, object_id__in=unique)
        }
        changed, new = [], []
        for pk, obj in unique.items():
            fields = entry_fields(kind, obj)
            words.append(
                " ".join([fields["title"], fields["summary"], fields["body"], fields["themes"]])
            )
            entry = existing.get(pk) or SearchEntry(content_type=content_type, object_id=pk)
            for name, value in fields.items():
                setattr(entry, name, value)
            entry.updated = now
            (changed if entry.pk else new).append(entry)
        if changed:
            SearchEntry.objects.bulk_update(changed, [*ENTRY_FIELDS, "updated"], batch_size=500)
        if new:
            SearchEntry.objects.bulk_create(new, batch_size=500)
        entry_ids += SearchEntry.objects.filter(
            content_type=content_type, object_id__in=unique
        ).values_list("pk", flat=True)
    if entry_ids:
        engine().write(entry_ids)
        _forget_plans()
        search_words.add_to_vocabulary(" ".join(words))
    return len(entry_ids)


def remove(obj: models.Model) -> None:
    entries = SearchEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )
    engine().forget(list(entries.values_list("pk", flat=True)))
    entries.delete()


def rebuild() -> int:
    """Index every object of every searchable kind again (drafts too: visibility is joined),
    and start the vocabulary afresh."""
    search_words.SearchWord.objects.all().delete()
    engine().clear()
    count = 0
    for kind in registry.kinds():
        if kind.search_document is None:
            continue
        for obj in kind.model._default_manager.iterator(chunk_size=500):
            index(obj)
            count += 1
    return count


def _index_theme_items(theme: Theme) -> None:
    """A theme's name or synonyms changed: the rows of everything that carries it."""
    for item in ThemedItem.objects.filter(tag=theme).select_related("content_type"):
        model = item.content_type.model_class()
        if model is None or registry.kind_for(model) is None:
            continue
        obj = model._default_manager.filter(pk=item.object_id).first()
        if obj is not None:
            index(obj)


def _index_themed_object(item: ThemedItem) -> None:
    model = item.content_type.model_class()
    kind = registry.kind_for(model) if model is not None else None
    if kind is None or kind.search_document is None:
        return
    obj = model._default_manager.filter(pk=item.object_id).first()
    if obj is not None:
        index(obj)


# Objects named in other rows (registry.NamedIn) --------------------------------------------


def _on_pre_save_named(sender, instance, raw=False, **kwargs) -> None:
    """Remember what the rows naming this object depend on, as stored before this save."""
    declarations = registry.named_in(sender)
    if raw or not declarations or instance._state.adding or instance.pk is None:
        return
    fields = sorted({name for declaration in declarations for name in declaration.fields})
    instance._search_named_before = (
        sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    )


def _named_changed(declaration: registry.NamedIn, instance: models.Model) -> bool:
    before = getattr(instance, "_search_named_before", None)
    if before is None:  # not read before the save: rebuild rather than keep a stale name
        return True
    return any(before[name] != getattr(instance, name) for name in declaration.fields)


def _naming(declarations: list[registry.NamedIn], instance: models.Model) -> list[tuple]:
    """(model, pk) of every object whose row names `instance`, read now."""
    return sorted(
        {
            (obj._meta.label_lower, obj.pk)
            for declaration in declarations
            for obj in declaration.naming(instance)
            if obj is not None and obj.pk is not None
        }
    )


def _reindex_after_commit(keys: list[tuple]) -> None:
    """Index these objects again once the transaction that changed the name has committed:
    by then a deleted object is gone and an unpublished one reads as unpublished, and the
    rows are rebuilt from what every request will see."""
    if not keys:
        return

    def reindex() -> None:
        pks_by_label: dict[str, list[int]] = {}
        for label, pk in keys:
            pks_by_label.setdefault(label, []).append(pk)
        objects: list[models.Model] = []
        for label, pks in pks_by_label.items():
            model = apps.get_model(label)
            objects += model._default_manager.filter(pk__in=pks)
        with transaction.atomic():
            index_many(objects)

    # The change itself is committed: a failing rebuild is logged (and mended by
    # `rebuild_search_index`) instead of turning the editor's saved change into an error page.
    transaction.on_commit(reindex, robust=True)


def _on_save_named(sender, instance, created=False, raw=False) -> None:
    if raw or created:  # a new object is named nowhere yet
        return
    changed = [d for d in registry.named_in(sender) if _named_changed(d, instance)]
    _reindex_after_commit(_naming(changed, instance))


def _on_pre_delete(sender, instance, **kwargs) -> None:
    """Read what names the object while its links still exist; rebuild those rows after the
    commit, when the object (and its links) are gone."""
    declarations = registry.named_in(sender)
    if declarations:
        _reindex_after_commit(_naming(declarations, instance))


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    if registry.named_in(sender):
        _on_save_named(sender, instance, created=kwargs.get("created", False))
    if sender is Theme:
        _index_theme_items(instance)
        return
    if sender is ThemedItem:
        _index_themed_object(instance)
        return
    kind = registry.kind_for(sender)
    if kind is not None and kind.search_document is not None:
        index(instance)
    for reindex in registry.reindexes_for(sender):
        _index_affected(reindex, instance)


def _on_delete(sender, instance, **kwargs) -> None:
    if sender is ThemedItem:
        _index_themed_object(instance)
        return
    kind = registry.kind_for(sender)
    if kind is not None and kind.search_document is not None:
        remove(instance)
    for reindex in registry.reindexes_for(sender):
        if reindex.on_delete:
            _index_affected(reindex, instance)


def _on_m2m_change(sender, instance, action, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    # taggit sends the themes' changes with the through model ThemedItem as sender.
    if sender is ThemedItem or registry.reindexes_on_links(sender):
        index(instance)


def _index_affected(reindex: registry.Reindex, instance: models.Model) -> None:
    for obj in reindex.affected(instance):
        if obj is not None and obj.pk is not None:
            index(obj)


def connect_signals() -> None:
    """Keep the index fresh on every save, delete and link change of what the registry names,
    and of themes (their names and synonyms are in the rows of what carries them).

    Connected once, for every sender, by the kernel's `ready()`: the handlers look the sender
    up in the registry when a signal comes, so kinds that apps register later (their
    `ready()` runs after the kernel's) are followed as well.
    """
    request_started.connect(_forget_plans, dispatch_uid="search-plans")
    pre_save.connect(_on_pre_save_named, dispatch_uid="search-pre-save")
    post_save.connect(_on_save, dispatch_uid="search-save")
    pre_delete.connect(_on_pre_delete, dispatch_uid="search-pre-delete")
    post_delete.connect(_on_delete, dispatch_uid="search-delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="search-m2m")


def normalise(q: str) -> str:
    """A visitor's words as every search reads them (the site search and each list's `q`):
    whitespace collapsed and cut to SEARCH_MAX_QUERY_LENGTH characters.

    A pasted page of text still searches (its start), instead of failing on the database
    or running one condition per word.
    """
    # A NUL means nothing in a search, and PostgreSQL refuses text that holds one.
    return " ".join((q or "").replace("\x00", " ").split())[: settings.SEARCH_MAX_QUERY_LENGTH]


# Plans read during this request: a list asks once per facet, the vocabulary is read once.
_request = threading.local()


def _forget_plans(**kwargs) -> None:
    _request.plans = {}


def plan(q: str) -> QueryPlan:
    """The query read against the vocabulary (one query per request and query; with the
    query cache on, once per content version)."""
    q = normalise(q)
    plans = getattr(_request, "plans", None)
    if plans is None:
        plans = _request.plans = {}
    if q not in plans:
        plans[q] = per_version(("search-plan", q), lambda: search_words.plan(q))
    return plans[q]


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


def searched_kinds(kinds: list[registry.ContentKind] | None = None) -> list[registry.ContentKind]:
    """The kinds (all registered ones by default) that have search rows."""
    return [k for k in (kinds or registry.kinds()) if k.search_document is not None]


def matching_entries(
    q: str,
    kinds: list[registry.ContentKind] | None = None,
    *,
    query_plan: QueryPlan | None = None,
    visible_only: bool = True,
) -> models.QuerySet:
    """All visible entries matching `q`, best first. `visible_only=False`: every matching
    entry of these kinds, public or not, for `candidates`, which checks that itself."""
    query_plan = query_plan or plan(q)
    kinds = searched_kinds(kinds)
    if query_plan.is_empty:
        return SearchEntry.objects.none()
    if not visible_only:
        types = [ContentType.objects.get_for_model(kind.model) for kind in kinds]
        return engine().matches(SearchEntry.objects.filter(content_type__in=types), query_plan)
    return engine().matches(_visible_entries(kinds), query_plan)


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


# Passages ---------------------------------------------------------------------------------

SNIPPET_WORDS = 36  # about two lines of a card
SNIPPET_LEAD = 8  # words shown before the first match


def _is_match(word: str, stems: set[str], parts: set[str]) -> bool:
    lowered = word.lower()
    return search_words.stem(lowered) in stems or any(
        lowered.endswith(part) or lowered.startswith(part) for part in parts
    )


def snippet(text: str, query_plan: QueryPlan) -> SafeString:
    """A passage of whole words around the first match, escaped, with the matching words
    (any form: "ambtenaren" for "ambtenaar", "netwerksturing" for "sturing") in <mark>."""
    marked = query_plan.marked_words()
    stems = {search_words.stem(word) for word in marked}
    # Parts of compounds mark the compound too; short words only as themselves.
    parts = {word for word in marked if len(word) >= search_words.MIN_PART + 1}
    spans = [(m.start(), m.end()) for m in search_words.WORD.finditer(text)]
    if not spans:
        return mark_safe(escape(text))
    hits = [i for i, (a, b) in enumerate(spans) if _is_match(text[a:b], stems, parts)]
    first = max(0, hits[0] - SNIPPET_LEAD) if hits else 0
    last = min(len(spans), first + SNIPPET_WORDS)
    if last - first < SNIPPET_WORDS:
        first = max(0, last - SNIPPET_WORDS)
    # From the start of a word to the end of a word (with what closes it: ".", ")").
    begin = 0 if first == 0 else spans[first][0]
    end = len(text) if last == len(spans) else spans[last - 1][1]
    if end < len(text) and text[end : end + 1] in ".,;:!?)»”’'\"":
        end += 1
    pieces, position = [], begin
    for i in hits:
        if not first <= i < last:
            continue
        a, b = spans[i]
        pieces.append(escape(text[position:a]))
        pieces.append(f"<mark>{escape(text[a:b])}</mark>")
        position = b
    pieces.append(escape(text[position:end]))
    prefix = "… " if begin > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces).strip() + suffix)


def hits(entries: list[SearchEntry], q: str, query_plan: QueryPlan | None = None) -> list[Hit]:
    kinds = {ContentType.objects.get_for_model(kind.model).pk: kind for kind in registry.kinds()}
    query_plan = query_plan or plan(q)
    return [
        Hit(
            kind=kinds[entry.content_type_id],
            title=entry.title,
            url=entry.url,
            snippet=snippet(f"{entry.summary} {entry.body}".strip(), query_plan),
            content_type_id=entry.content_type_id,
            object_id=entry.object_id,
        )
        for entry in entries
    ]


@dataclass(frozen=True)
class Candidate:
    """A matching entry and the object it stands for."""

    pk: int
    content_type_id: int
    object_id: int


# How many matches `candidates` reads before it checks which are public, per match it needs.
CANDIDATE_READ_AHEAD = 2


def candidates(
    entries: models.QuerySet, limit: int, kinds: list[registry.ContentKind] | None = None
) -> tuple[list[Candidate], bool]:
    """Up to `limit` matching entries whose object is public now, in no particular order (so
    the database can stop early rather than rank every match), and whether there are more.

    `entries` come from `matching_entries(..., visible_only=False)`. Checked inside the match
    query, visibility made PostgreSQL hash the id of every public item of every kind before
    the first match (94,000 publications: 35 of the query's 58 ms). So the matches are read
    first, a few more than needed, and the public ones among them are looked up by key (one
    query). Only when too few of those were public to fill `limit` while more matches exist
    (a word found mostly in drafts) is the check made inside the query after all.
    """
    kinds = searched_kinds(kinds)
    read = limit * CANDIDATE_READ_AHEAD + 1
    rows = list(entries.order_by().values_list("pk", "content_type_id", "object_id")[:read])
    public = _public_among(rows, kinds)
    found = [Candidate(*row) for row in rows if (row[1], row[2]) in public]
    if len(rows) == read and len(found) <= limit:
        visible = entries.filter(pk__in=_visible_entries(kinds).values("pk"))
        rows = visible.order_by().values_list("pk", "content_type_id", "object_id")[: limit + 1]
        found = [Candidate(*row) for row in rows]
    return found[:limit], len(found) > limit


def _public_among(rows: list[tuple], kinds: list[registry.ContentKind]) -> set[tuple[int, int]]:
    """Which of these (entry, content type, object) rows have a public object: (content type,
    object) pairs, from each kind's public queryset by primary key, in one query."""
    wanted: dict[int, list[int]] = defaultdict(list)
    for _pk, content_type_id, object_id in rows:
        wanted[content_type_id].append(object_id)
    parts = []
    for kind in kinds:
        content_type_id = ContentType.objects.get_for_model(kind.model).pk
        if wanted.get(content_type_id):
            parts.append(
                kind.public_queryset()
                .filter(pk__in=wanted[content_type_id])
                .order_by()
                .values_list(models.Value(content_type_id), "pk")
            )
    if not parts:
        return set()
    # The union takes the first part's model ordering unless told otherwise.
    return set(parts[0].union(*parts[1:], all=True).order_by())


def rank_candidates(found: list[Candidate], query_plan: QueryPlan) -> models.QuerySet:
    """These entries (`candidates`), best first: the engine ranks them as it ranks every
    match, without the visibility check they already passed."""
    if not found or query_plan.is_empty:
        # Nothing to rank (a query of nothing but characters the search drops finds nothing).
        return SearchEntry.objects.none()
    keys = [candidate.pk for candidate in found]
    return engine().matches(SearchEntry.objects.filter(pk__in=keys), query_plan)


def kind_counts(found: list[Candidate]) -> dict[int, int]:
    """How many of these entries each content type has (no query)."""
    return dict(Counter(candidate.content_type_id for candidate in found))


def _same_object(queryset: models.QuerySet) -> models.QuerySet:
    return queryset.filter(
        content_type_id=models.OuterRef("content_type_id"), object_id=models.OuterRef("object_id")
    )


def theme_counts(found: list[Candidate]) -> list[tuple[Theme, int]]:
    """Themes of these entries' objects with how many of them carry each (one query, along
    the theme links' (content type, object) index)."""
    objects: dict[int, list[int]] = defaultdict(list)
    for candidate in found:
        objects[candidate.content_type_id].append(candidate.object_id)
    if not objects:
        return []
    condition = Q()
    for content_type_id, object_ids in objects.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=object_ids)
    rows = (
        ThemedItem.objects.filter(condition).values("tag_id").annotate(n=models.Count("id"))
    ).order_by()
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

        words = [term.word for term in search_words.parse(q).terms]
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
