"""OAI-PMH 2.0 for publications: Dublin Core records of what `.published()` shows.

`respond()` turns one request's arguments into the response document; it reads the
database through querysets and knows nothing of HTTP. `oai_view` is the endpoint.

- Identifiers: `oai:<settings.OAI_REPOSITORY_IDENTIFIER>:publication/<pk>`.
- Sets: one per theme, `theme:<slug>` (see `theme_set_spec`).
- Datestamps: when a record last changed for a harvester — the later of `updated` and
  `published_at`, so a scheduled publication is harvested when it appears, not under the
  older moment it was last edited. Deleted records carry their tombstone's moment.
- Deleted records are persistent: `WithdrawnPublication` rows, written when a publication
  the public could see stops being public or is deleted.
- Lists are ordered by (datestamp, pk) and paged with signed resumption tokens that carry
  the arguments, the cursor and the (datestamp, pk) of the last item sent: a record
  edited during a harvest moves to the end of the list instead of shifting every later
  page by one, as a plain offset would.
- Kept between requests (with QUERY_CACHE, in the shared cache): each record's XML per
  record version (`_record_fragments`), and each list page per arguments or resumption token
  (`_kept_page`); see "What is kept" below.
"""

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from ikpob_portal.kernel.models import Theme, prefetch_themes
from ikpob_portal.platform.cache import content_version, per_version
from network.models import Organisation
from publications.models import Publication, WithdrawnPublication, theme_set_spec

PAGE_SIZE = 50
TOKEN_MAX_AGE = timedelta(days=1)
TOKEN_SALT = "publications.oai.resumption-token"
# A lower bound for datestamps while the repository is still empty.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DATESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
REPOSITORY_NAME = "Kennisportaal Stichting IKPOB"


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str


METADATA_FORMATS = {"oai_dc": MetadataFormat("oai_dc", OAI_DC_SCHEMA, OAI_DC_NS)}

# Per verb: (required, optional, exclusive) arguments besides `verb`.
VERBS: dict[str, tuple[set[str], set[str], str | None]] = {
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
}

# Oai-identifier's rule for the namespace part: a domain name (not an IP address).
DOMAIN_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
# What XML 1.0 cannot carry, not even escaped (pasted control characters, lone surrogates).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

LICENCE_URLS = {
    Publication.Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Publication.Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Publication.Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Publication.Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    Publication.Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class OAIError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Context:
    """What a response needs from outside the database."""

    base_url: str  # absolute URL of the endpoint
    absolute_url: Callable[[str], str]  # a site path → an absolute URL
    now: datetime


@dataclass(frozen=True)
class ListQuery:
    """The arguments of ListIdentifiers/ListRecords, resumed or fresh."""

    verb: str
    prefix: str
    from_: str | None = None
    until: str | None = None
    set_spec: str | None = None
    cursor: int = 0  # items sent before this page
    after: tuple[datetime, int] | None = None  # (datestamp, pk) of the last item sent


@dataclass(frozen=True)
class Item:
    """One entry of a list: a live record or a tombstone."""

    datestamp: datetime
    pk: int
    publication: Publication | None = None
    tombstone: WithdrawnPublication | None = None


# --- identifiers, datestamps, sets -------------------------------------------------


def identifier(pk: int) -> str:
    return f"oai:{settings.OAI_REPOSITORY_IDENTIFIER}:publication/{pk}"


def _pk_from_identifier(value: str) -> int:
    prefix = f"oai:{settings.OAI_REPOSITORY_IDENTIFIER}:publication/"
    local = value[len(prefix) :] if value.startswith(prefix) else ""
    if not re.fullmatch(r"[1-9][0-9]{0,17}", local):
        raise OAIError("idDoesNotExist", "No such identifier in this repository.")
    return int(local)


def format_datestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(DATESTAMP_FORMAT)


def _parse_datestamp(value: str, name: str) -> tuple[datetime, timedelta]:
    """A `from`/`until` value as a UTC moment and the length of its granularity step."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = date.fromisoformat(value)
            return datetime.combine(day, time(), tzinfo=UTC), timedelta(days=1)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", value):
            moment = datetime.strptime(value, DATESTAMP_FORMAT).replace(tzinfo=UTC)
            return moment, timedelta(seconds=1)
    except ValueError:
        pass
    raise OAIError("badArgument", f"'{name}' is not a date (YYYY-MM-DD or {GRANULARITY}).")


def _date_range(from_: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """[start, end) of the datestamps `from`/`until` select: `until` includes its whole
    second or day (the datestamps shown are truncated to seconds)."""
    start = end = None
    if from_ is not None:
        start, from_step = _parse_datestamp(from_, "from")
    if until is not None:
        until_moment, until_step = _parse_datestamp(until, "until")
        try:
            end = until_moment + until_step
        except OverflowError:  # until=9999-12-31: no upper bound
            end = None
    if start is not None and end is not None:
        if from_step != until_step:
            raise OAIError("badArgument", "'from' and 'until' have different granularities.")
        if start > until_moment:
            raise OAIError("badArgument", "'from' is later than 'until'.")
    return start, end


def _sets() -> dict[str, list[Theme]]:
    """setSpec → its themes; two slugs that fold to one spec (rare) make one set."""
    sets: dict[str, list[Theme]] = {}
    for theme in Theme.objects.order_by("name", "pk"):
        sets.setdefault(theme_set_spec(theme), []).append(theme)
    return sets


# --- querysets ---------------------------------------------------------------------


def _records() -> QuerySet:
    return Publication.objects.published().annotate(
        oai_datestamp=Greatest("updated", "published_at")
    )


def _for_metadata(records: QuerySet) -> QuerySet:
    """What a Dublin Core record shows, in a fixed number of queries for a page."""
    return records.for_cards().prefetch_related(
        Prefetch(
            "commissioned_by",
            queryset=Organisation.objects.order_by("name"),
            to_attr="ordered_commissioners",
        )
    )


def _tombstones() -> QuerySet:
    # A publication public again without a save (its scheduled moment passed) is a record.
    return WithdrawnPublication.objects.exclude(
        publication_pk__in=Publication.objects.published().values("pk")
    )


def _filtered(query: ListQuery, themes_by_set: dict[str, list[Theme]]) -> tuple[QuerySet, QuerySet]:
    records, tombstones = _records(), _tombstones()
    start, end = _date_range(query.from_, query.until)
    if start is not None:
        records = records.filter(oai_datestamp__gte=start)
        tombstones = tombstones.filter(datestamp__gte=start)
    if end is not None:
        records = records.filter(oai_datestamp__lt=end)
        tombstones = tombstones.filter(datestamp__lt=end)
    if query.set_spec is not None:
        themes = themes_by_set.get(query.set_spec, [])
        records = records.filter(
            pk__in=Publication.objects.filter(tagged_items__tag__in=themes).values("pk")
        )
        # Withdrawals are rare, and JSON containment is not portable to SQLite.
        tombstones = tombstones.filter(
            pk__in=[
                pk
                for pk, specs in WithdrawnPublication.objects.values_list("pk", "set_specs")
                if query.set_spec in specs
            ]
        )
    return records, tombstones


def _page(query: ListQuery, records: QuerySet, tombstones: QuerySet) -> tuple[list[Item], bool]:
    """The next PAGE_SIZE items after `query.after`, and whether more follow."""
    if query.after is not None:
        moment, pk = query.after
        records = records.filter(Q(oai_datestamp__gt=moment) | Q(oai_datestamp=moment, pk__gt=pk))
        tombstones = tombstones.filter(
            Q(datestamp__gt=moment) | Q(datestamp=moment, publication_pk__gt=pk)
        )
    if query.verb == "ListRecords":
        # The metadata come from each record's kept XML (`_record_fragments`), which loads
        # only the records it does not have.
        records = records.only("pk", "updated", "published_at")
    else:
        records = records.prefetch_related(prefetch_themes())
    items = [
        Item(record.oai_datestamp, record.pk, publication=record)
        for record in records.order_by("oai_datestamp", "pk")[: PAGE_SIZE + 1]
    ] + [
        Item(tombstone.datestamp, tombstone.publication_pk, tombstone=tombstone)
        for tombstone in tombstones.order_by("datestamp", "publication_pk")[: PAGE_SIZE + 1]
    ]
    items.sort(key=lambda item: (item.datestamp, item.pk))
    return items[:PAGE_SIZE], len(items) > PAGE_SIZE


def _find(pk: int, *, with_metadata: bool) -> Item:
    records = _records().filter(pk=pk)
    record = (_for_metadata(records) if with_metadata else records).first()
    if record is not None:
        return Item(record.oai_datestamp, pk, publication=record)
    tombstone = _tombstones().filter(publication_pk=pk).first()
    if tombstone is not None:
        return Item(tombstone.datestamp, pk, tombstone=tombstone)
    # Drafts that were never public do not exist for harvesters.
    raise OAIError("idDoesNotExist", "No such identifier in this repository.")


# --- resumption tokens ------------------------------------------------------------


def _make_token(query: ListQuery, last: Item, sent: int) -> str:
    payload = {
        "verb": query.verb,
        "prefix": query.prefix,
        "from": query.from_,
        "until": query.until,
        "set": query.set_spec,
        "cursor": sent,
        "after": [last.datestamp.astimezone(UTC).isoformat(), last.pk],
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def _read_token(token: str, verb: str) -> ListQuery:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        if payload["verb"] != verb:
            raise ValueError(verb)
        moment, pk = payload["after"]
        return ListQuery(
            verb=verb,
            prefix=payload["prefix"],
            from_=payload["from"],
            until=payload["until"],
            set_spec=payload["set"],
            cursor=int(payload["cursor"]),
            after=(datetime.fromisoformat(moment), int(pk)),
        )
    except signing.SignatureExpired:
        raise OAIError("badResumptionToken", "This resumptionToken has expired.") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise OAIError("badResumptionToken", "Invalid resumptionToken.") from None


# --- XML -----------------------------------------------------------------------------


def _text(value: object) -> str:
    return NOT_XML.sub("", str(value))


def _sub(parent: etree._Element, tag: str, text: object = None, **attributes: str):
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = _text(text)
    for name, value in attributes.items():
        element.set(name, _text(value))
    return element


def _oai(tag: str) -> str:
    return f"{{{OAI_NS}}}{tag}"


def _header(parent: etree._Element, item: Item, set_specs: Sequence[str]) -> None:
    header = _sub(parent, _oai("header"))
    if item.tombstone is not None:
        header.set("status", "deleted")
    _sub(header, _oai("identifier"), identifier(item.pk))
    _sub(header, _oai("datestamp"), format_datestamp(item.datestamp))
    for spec in set_specs:
        _sub(header, _oai("setSpec"), spec)


def _item_sets(item: Item) -> list[str]:
    if item.tombstone is not None:
        return list(item.tombstone.set_specs)
    return sorted({theme_set_spec(theme) for theme in item.publication.theme_list})


def _record(parent: etree._Element, item: Item, context: Context) -> None:
    record = _sub(parent, _oai("record"))
    _header(record, item, _item_sets(item))
    if item.publication is not None:
        metadata = _sub(record, _oai("metadata"))
        dublin_core(metadata, item.publication, context)


def dublin_core(parent: etree._Element, publication: Publication, context: Context) -> None:
    """An `oai_dc:dc` element describing one publication."""
    dc = etree.SubElement(
        parent,
        f"{{{OAI_DC_NS}}}dc",
        nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS},
    )
    dc.set(SCHEMA_LOCATION, f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def add(name: str, value: object) -> None:
        if value:
            _sub(dc, f"{{{DC_NS}}}{name}", value)

    add("title", publication.full_title)
    for name in publication.creator_names():
        add("creator", name)
    for theme in publication.theme_list:
        add("subject", theme.name)
    add("description", publication.summary)
    if publication.publisher:
        add("publisher", publication.publisher.name)
    commissioners = getattr(publication, "ordered_commissioners", None)
    if commissioners is None:
        commissioners = publication.commissioned_by.order_by("name")
    for organisation in commissioners:
        add("contributor", organisation.name)
    add("date", publication.date_iso)
    add("type", "MovingImage" if publication.kind == Publication.Kind.VIDEO else "Text")
    add("type", publication.get_kind_display())
    if publication.pdf:
        add("format", "application/pdf")
    add("identifier", context.absolute_url(publication.get_absolute_url()))
    add("identifier", publication.doi_url)
    if publication.isbn:
        add("identifier", f"urn:isbn:{publication.isbn}")
    add("language", publication.language)
    add("rights", publication.get_licence_display())
    add("rights", LICENCE_URLS.get(publication.licence))


# --- what is kept ----------------------------------------------------------------------
#
# A harvest reads the same records over and over, and a repository changes rarely. Two
# things are kept in the shared cache (only with QUERY_CACHE, as `per_version`: the content
# version must be shared by every process):
#
# - each record's XML, under its identity and version: the publication's pk, `updated` and
#   datestamp, the metadata prefix, the endpoint's address (dc:identifier is an absolute
#   URL) and the content version, which editors' changes move (a person's or organisation's
#   name, a theme, an authorship the record shows); registrations do not. An unpublished
#   publication is no record any more but a tombstone, whose header is built each time (it
#   is a few elements);
# - each list page (ListRecords and ListIdentifiers) under its arguments or its resumption
#   token and the content version. So a token names the same page while nothing changed, and
#   a page of the next version is built again (from the kept records where they still hold).
#   A kept page holds the token it hands out with that token's expirationDate, so it is kept
#   LIST_SECONDS, much less than a token lives. That also bounds how late a scheduled
#   publication, which becomes public without a save, shows up in a list.

LIST_SECONDS = 600
RECORD_SECONDS = int(TOKEN_MAX_AGE.total_seconds())


def _digest(parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _record_fragments(items: list[Item], prefix: str, context: Context) -> list[bytes]:
    """The `<record>` XML of each item, in order: tombstones built here, live records from
    the cache, and those not kept yet loaded in one go (`_for_metadata`), built and kept."""

    def build(item: Item) -> bytes:
        holder = etree.Element(_oai("ListRecords"), nsmap={None: OAI_NS, "xsi": XSI_NS})
        _record(holder, item, context)
        return etree.tostring(holder[0])

    live = [item for item in items if item.publication is not None]
    keys = {}
    kept: dict[str, bytes] = {}
    if settings.QUERY_CACHE and live:
        content = content_version()
        for item in live:
            version = (item.pk, item.publication.updated, item.datestamp, prefix, content)
            keys[item.pk] = f"oai-record:{_digest((version, context.base_url))}"
        kept = cache.get_many(keys.values())
    missing = [item.pk for item in live if keys.get(item.pk) not in kept]
    loaded = {}
    if missing:
        loaded = {record.pk: record for record in _for_metadata(_records().filter(pk__in=missing))}
    fragments, new = [], {}
    for item in items:
        key = keys.get(item.pk)
        if item.publication is None:
            fragments.append(build(item))
        elif key in kept:
            fragments.append(kept[key])
        elif (record := loaded.get(item.pk)) is not None:
            fragment = build(Item(record.oai_datestamp, item.pk, publication=record))
            fragments.append(fragment)
            # Kept only when it is the version the key names (not edited in between).
            if key is not None and record.updated == item.publication.updated:
                new[key] = fragment
        # Otherwise it stopped being public between the two queries: left out of this page.
    if new:
        cache.set_many(new, timeout=RECORD_SECONDS)
    return fragments


def _kept_page(parts: tuple, build: Callable[[], etree._Element]) -> etree._Element:
    """A list page, kept under its arguments (or token) and the content version."""
    if not settings.QUERY_CACHE:
        return build()
    key = f"oai-page:{content_version()}:{_digest(parts)}"
    kept = cache.get(key)
    if kept is not None:
        return etree.fromstring(kept)
    element = build()
    cache.set(key, etree.tostring(element), timeout=LIST_SECONDS)
    return element


# --- verbs ---------------------------------------------------------------------------


def _identify(arguments: dict[str, str], context: Context) -> etree._Element:
    identify = etree.Element(_oai("Identify"))
    _sub(identify, _oai("repositoryName"), REPOSITORY_NAME)
    _sub(identify, _oai("baseURL"), context.base_url)
    _sub(identify, _oai("protocolVersion"), "2.0")
    _sub(identify, _oai("adminEmail"), settings.CONTACT_EMAIL)
    _sub(identify, _oai("earliestDatestamp"), format_datestamp(_earliest_datestamp()))
    _sub(identify, _oai("deletedRecord"), "persistent")
    _sub(identify, _oai("granularity"), GRANULARITY)
    repository_identifier = settings.OAI_REPOSITORY_IDENTIFIER
    if DOMAIN_NAME.fullmatch(repository_identifier):  # the scheme has no room for IP addresses
        description = _sub(identify, _oai("description"))
        oai_identifier = etree.SubElement(
            description,
            f"{{{OAI_IDENTIFIER_NS}}}oai-identifier",
            nsmap={None: OAI_IDENTIFIER_NS, "xsi": XSI_NS},
        )
        oai_identifier.set(SCHEMA_LOCATION, f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}")
        for name, value in (
            ("scheme", "oai"),
            ("repositoryIdentifier", repository_identifier),
            ("delimiter", ":"),
            ("sampleIdentifier", identifier(1)),
        ):
            _sub(oai_identifier, f"{{{OAI_IDENTIFIER_NS}}}{name}", value)
    return identify


def _earliest_datestamp() -> datetime:
    candidates = [
        _records().order_by("oai_datestamp").values_list("oai_datestamp", flat=True).first(),
        WithdrawnPublication.objects.order_by("datestamp")
        .values_list("datestamp", flat=True)
        .first(),
    ]
    return min((moment for moment in candidates if moment is not None), default=EPOCH)


def _list_metadata_formats(arguments: dict[str, str], context: Context) -> etree._Element:
    if "identifier" in arguments:
        _find(_pk_from_identifier(arguments["identifier"]), with_metadata=False)
    # Every item is offered in every format, so the list is the same for all of them.
    formats = list(METADATA_FORMATS.values())
    if not formats:
        raise OAIError("noMetadataFormats", "No metadata formats are available.")
    element = etree.Element(_oai("ListMetadataFormats"))
    for metadata_format in formats:
        entry = _sub(element, _oai("metadataFormat"))
        _sub(entry, _oai("metadataPrefix"), metadata_format.prefix)
        _sub(entry, _oai("schema"), metadata_format.schema)
        _sub(entry, _oai("metadataNamespace"), metadata_format.namespace)
    return element


def _list_sets(arguments: dict[str, str], context: Context) -> etree._Element:
    if "resumptionToken" in arguments:
        # The list of sets always fits in one response, so no token was ever handed out.
        raise OAIError("badResumptionToken", "Invalid resumptionToken.")
    sets = _sets()
    if not sets:
        # A set hierarchy without sets cannot be expressed (ListSets needs one set).
        raise OAIError("noSetHierarchy", "This repository has no sets (yet).")
    element = etree.Element(_oai("ListSets"))
    for spec, themes in sorted(sets.items()):
        entry = _sub(element, _oai("set"))
        _sub(entry, _oai("setSpec"), spec)
        _sub(entry, _oai("setName"), themes[0].name)
        if themes[0].description:
            description = _sub(entry, _oai("setDescription"))
            dc = etree.SubElement(
                description,
                f"{{{OAI_DC_NS}}}dc",
                nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS},
            )
            dc.set(SCHEMA_LOCATION, f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
            _sub(dc, f"{{{DC_NS}}}description", themes[0].description)
    return element


def _check_prefix(prefix: str) -> None:
    if prefix not in METADATA_FORMATS:
        raise OAIError(
            "cannotDisseminateFormat", "Unsupported metadata format; this repository offers oai_dc."
        )


def _list(verb: str):
    def handle(arguments: dict[str, str], context: Context) -> etree._Element:
        if "resumptionToken" in arguments:
            query = _read_token(arguments["resumptionToken"], verb)
        else:
            query = ListQuery(
                verb=verb,
                prefix=arguments["metadataPrefix"],
                from_=arguments.get("from"),
                until=arguments.get("until"),
                set_spec=arguments.get("set"),
            )
        _check_prefix(query.prefix)
        parts = (verb, context.base_url, sorted(arguments.items()))
        return _kept_page(parts, lambda: page(query, context))

    def page(query: ListQuery, context: Context) -> etree._Element:
        themes_by_set = _sets() if query.set_spec is not None else {}
        if query.set_spec is not None and not themes_by_set:
            raise OAIError("noSetHierarchy", "This repository has no sets (yet).")
        records, tombstones = _filtered(query, themes_by_set)
        items, more = _page(query, records, tombstones)
        if not items:
            raise OAIError("noRecordsMatch", "No records match these arguments.")

        element = etree.Element(_oai(verb))
        if verb == "ListRecords":
            for fragment in _record_fragments(items, query.prefix, context):
                element.append(etree.fromstring(fragment))
        else:
            for item in items:
                _header(element, item, _item_sets(item))
        if more or query.cursor:
            sent = query.cursor + len(items)
            token = _sub(
                element,
                _oai("resumptionToken"),
                cursor=str(query.cursor),
                completeListSize=str(
                    per_version(
                        ("oai-list-size", query.from_, query.until, query.set_spec),
                        lambda: records.count() + tombstones.count(),
                    )
                ),
            )
            if more:
                token.text = _make_token(query, items[-1], sent)
                token.set("expirationDate", format_datestamp(context.now + TOKEN_MAX_AGE))
        return element

    return handle


def _get_record(arguments: dict[str, str], context: Context) -> etree._Element:
    _check_prefix(arguments["metadataPrefix"])
    item = _find(_pk_from_identifier(arguments["identifier"]), with_metadata=True)
    element = etree.Element(_oai("GetRecord"))
    _record(element, item, context)
    return element


HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "ListIdentifiers": _list("ListIdentifiers"),
    "ListRecords": _list("ListRecords"),
    "GetRecord": _get_record,
}


def _checked_arguments(arguments: Mapping[str, Sequence[str]]) -> tuple[str, dict[str, str]]:
    verbs = arguments.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", "Missing, repeated or unknown verb.")
    verb = verbs[0]
    required, optional, exclusive = VERBS[verb]
    allowed = required | optional | ({exclusive} if exclusive else set())
    checked: dict[str, str] = {}
    for name, values in arguments.items():
        if name == "verb":
            continue
        if name not in allowed:
            raise OAIError("badArgument", f"'{name}' is not an argument of {verb}.")
        if len(values) != 1:
            raise OAIError("badArgument", f"'{name}' is repeated.")
        if not values[0]:
            raise OAIError("badArgument", f"'{name}' is empty.")
        checked[name] = values[0]
    if exclusive in checked:
        if len(checked) > 1:
            raise OAIError("badArgument", f"'{exclusive}' cannot be combined with other arguments.")
    elif missing := sorted(required - checked.keys()):
        raise OAIError("badArgument", f"Missing argument: {', '.join(missing)}.")
    return verb, checked


def respond(arguments: Mapping[str, Sequence[str]], context: Context) -> bytes:
    """The OAI-PMH response document for one request's arguments (name → values)."""
    root = etree.Element(_oai("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(SCHEMA_LOCATION, f"{OAI_NS} {OAI_SCHEMA}")
    _sub(root, _oai("responseDate"), format_datestamp(context.now))
    request_element = _sub(root, _oai("request"), context.base_url)
    # Labels (kind, licence) in the site's default language, whatever the visitor's.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            verb, checked = _checked_arguments(arguments)
            # Only checked arguments are echoed; after badVerb/badArgument none are.
            for name, value in {"verb": verb, **checked}.items():
                request_element.set(name, _text(value))
            root.append(HANDLERS[verb](checked, context))
        except OAIError as error:
            if error.code in ("badVerb", "badArgument"):
                request_element.attrib.clear()
            _sub(root, _oai("error"), error.message, code=error.code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@csrf_exempt  # a read-only protocol endpoint harvesters POST to; no session is involved
@never_cache  # responseDate and resumption tokens are of the moment
@require_http_methods(["GET", "HEAD", "POST"])
def oai_view(request: HttpRequest) -> HttpResponse:
    query = request.POST if request.method == "POST" else request.GET
    base_url = request.build_absolute_uri(reverse("oai"))
    context = Context(
        base_url=base_url,
        absolute_url=request.build_absolute_uri,
        now=timezone.now(),
    )
    body = respond(dict(query.lists()), context)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
