"""What a subscriber can follow, checked and described in one place.

`Choices` is what one form submission asks for: themes, content kinds, a frequency, the
newsletter and at most one saved search. It travels as plain data (`to_data`/`from_data`) in
the outbox row of an "add this" mail and in that mail's signed link, and is applied by
`services`. Everything in it is checked against what exists: theme ids, kinds that offer
alerts (`ContentKind.alerts` in the kernel registry), and searches on pages that exist, with
their query in the page's canonical form and a label built from the values the page itself
accepts — never text a visitor typed into a mail someone else receives, except the words of a
search, which only its owner sees after confirming.
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ikpob_portal.kernel import lists, registry, search
from ikpob_portal.kernel.models import Theme
from ikpob_portal.subscriptions.models import SavedSearch, Subscription

SEARCH_URL_NAME = "search"
SEARCH_PARAMETERS = ("q", "soort", "thema")


def alert_kinds() -> list[registry.ContentKind]:
    """The kinds one can follow, in the site's order."""
    return [kind for kind in registry.kinds() if kind.alerts]


def alert_kind_choices() -> list[tuple[str, str]]:
    return [(registry.model_label(kind.model), str(kind.label)) for kind in alert_kinds()]


@dataclass(frozen=True)
class Search:
    url_name: str
    query: str  # canonical, urlencoded
    label: str


def searchable_url_names() -> list[str]:
    return [SEARCH_URL_NAME, *(kind.list_url_name for kind in alert_kinds() if kind.list_url_name)]


def saved_search(url_name: str, query: str) -> Search | None:
    """The search `query` on the page `url_name`, canonical and labelled; None when the page
    cannot be followed, the query holds a value the page does not accept, or it is longer
    than a saved search keeps."""
    if url_name not in searchable_url_names():
        return None
    found = _search(url_name, QueryDict(query))
    if found is None or len(found.query) > SavedSearch._meta.get_field("query").max_length:
        return None
    label_length = SavedSearch._meta.get_field("label").max_length
    return Search(found.url_name, found.query, Truncator(found.label).chars(label_length))


def list_filterset_class(url_name: str):
    """The filter set of the list page named `url_name`; None for a page without one."""
    try:
        view_class = resolve(reverse(url_name)).func.view_class
    except (NoReverseMatch, Resolver404, AttributeError):
        return None
    return getattr(view_class, "filterset_class", None)


def _search(url_name: str, params: QueryDict) -> Search | None:
    if url_name == SEARCH_URL_NAME:
        return _site_search(params)
    filterset_class = list_filterset_class(url_name)
    if filterset_class is None:
        return None
    canonical = QueryDict(lists.followed_query(params, filterset_class))
    if not canonical:
        return None  # the whole list: that is following the kind
    model = filterset_class._meta.model
    form = filterset_class(canonical, queryset=model._default_manager.none()).form
    if not form.is_valid():
        return None
    parts = []
    for name, bound in form.fields.items():
        value = form.cleaned_data.get(name)
        if not value or name not in canonical:
            continue
        parts.append(f"{bound.label}: {_value_label(bound, value)}")
    kind = registry.kind_for(model)
    title = str(kind.label) if kind else str(model._meta.verbose_name_plural)
    return Search(url_name, canonical.urlencode(), f"{title} ({'; '.join(parts)})")


def _value_label(form_field, value) -> str:
    values = value if isinstance(value, list | tuple | set) or hasattr(value, "all") else [value]
    if hasattr(values, "all"):
        values = list(values.all())
    labels = dict(getattr(form_field, "choices", []) or [])
    shown = []
    for item in values:
        if hasattr(item, "_meta"):
            shown.append(str(item))
        else:
            shown.append(str(labels.get(item, labels.get(str(item), item))))
    return ", ".join(shown)


def _site_search(params: QueryDict) -> Search | None:
    words = search.normalise(params.get("q", ""))
    if not words:
        return None
    canonical = QueryDict(mutable=True)
    canonical["q"] = words
    label = _("Zoeken op “%(words)s”") % {"words": words}
    kind_key = params.get("soort", "")
    if kind_key:
        # Only kinds that alert: a digest looks for nothing else.
        kind = next((k for k in alert_kinds() if k.model._meta.model_name == kind_key), None)
        if kind is None:
            return None
        canonical["soort"] = kind_key
        label += f", {kind.label}"
    theme_slug = params.get("thema", "")
    if theme_slug:
        theme = Theme.objects.filter(slug=theme_slug).first() if "\x00" not in theme_slug else None
        if theme is None:
            return None
        canonical["thema"] = theme.slug
        label += f", {theme.name}"
    return Search(SEARCH_URL_NAME, canonical.urlencode(), label)


@dataclass
class Choices:
    """One request to follow things (a form, or the link in an "add this" mail)."""

    theme_ids: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    frequency: str = Subscription.Frequency.WEEKLY
    newsletter: bool = False
    search: Search | None = None

    def is_empty(self) -> bool:
        return not (self.theme_ids or self.kinds or self.newsletter or self.search)

    def to_data(self) -> dict:
        data = {
            "themes": sorted(self.theme_ids),
            "kinds": sorted(self.kinds),
            "frequency": self.frequency,
            "newsletter": self.newsletter,
        }
        if self.search:
            data["search"] = [self.search.url_name, self.search.query]
        return data

    @classmethod
    def from_data(cls, data: dict) -> "Choices":
        """Checked again: themes may have gone and kinds changed since the data was made."""
        known_kinds = {label for label, _name in alert_kind_choices()}
        ids = [int(pk) for pk in data.get("themes", []) if str(pk).isdigit()]
        frequency = data.get("frequency")
        searched = data.get("search")
        return cls(
            theme_ids=list(Theme.objects.filter(pk__in=ids).values_list("pk", flat=True)),
            kinds=[kind for kind in data.get("kinds", []) if kind in known_kinds],
            frequency=(
                frequency
                if frequency in Subscription.Frequency.values
                else Subscription.Frequency.WEEKLY
            ),
            newsletter=bool(data.get("newsletter")),
            search=(
                saved_search(str(searched[0]), str(searched[1]))
                if isinstance(searched, list) and len(searched) == 2
                else None
            ),
        )

    def describe(self, *, words: bool = True) -> list[str]:
        """Lines for a page or mail: "Thema: Sturen in netwerken", "Alles over: Publicaties".
        `words=False` for a mail the visitor made us send to an address that may not be
        theirs: a search is named without the words typed into it."""
        lines = [
            _("Thema: %(name)s") % {"name": name}
            for name in Theme.objects.filter(pk__in=self.theme_ids)
            .order_by("name")
            .values_list("name", flat=True)
        ]
        labels = dict(alert_kind_choices())
        lines += [_("Alles over: %(kind)s") % {"kind": labels[kind]} for kind in self.kinds]
        if self.search and words:
            lines.append(_("Zoekopdracht: %(label)s") % {"label": self.search.label})
        elif self.search:
            lines.append(_("Een zoekopdracht (u ziet hem als u de link opent)"))
        if self.newsletter:
            lines.append(_("De nieuwsbrief van Stichting IKPOB"))
        return lines


def describe(subscription: Subscription) -> list[str]:
    """What a subscription follows, as lines (for its pages and mails)."""
    lines = Choices(
        theme_ids=[theme.pk for theme in subscription.themes.all()],
        kinds=list(subscription.kinds),
    ).describe()
    lines += [
        _("Zoekopdracht: %(label)s") % {"label": saved.label}
        for saved in subscription.searches.all()
    ]
    if subscription.newsletter:
        lines.append(_("De nieuwsbrief van Stichting IKPOB"))
    return lines
