from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from ikpob_portal.kernel import registry
from ikpob_portal.kernel.csv_export import csv_response
from ikpob_portal.kernel.lists import FacetedListView, connected_sections
from ikpob_portal.platform import uploads
from network import structured_data
from network.filters import OrganisationFilterSet, PersonFilterSet
from network.models import Organisation, Person


class OrganisationListView(FacetedListView):
    filterset_class = OrganisationFilterSet
    template_name = "network/organisation_list.html"
    context_object_name = "organisations"

    def get_queryset(self):
        return Organisation.objects.published().for_cards().order_by("name")


class OrganisationDetailView(DetailView):
    template_name = "network/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).for_cards()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["sections"] = connected_sections(self.object)
        people = (
            Person.objects.published()
            .filter(affiliations__organisation=self.object, affiliations__is_current=True)
            .distinct()
            .order_by("family_name", "given_name")
        )
        context["people"] = list(people)
        context["contributions"] = contributions_in_name_of(context["sections"], people)

        if self.object.is_published:  # an editor's preview of a draft tells machines nothing
            context["structured_data"] = structured_data.organisation(
                self.object, self.request.build_absolute_uri
            )
        return context


def contributions_in_name_of(sections: list[dict], people) -> list[dict]:
    """What the organisation's people did (wrote, spoke, were the contact), one row per item
    with everyone of them who took part; items the organisation's own sections show already
    are left out. The apps declare the contributions: the network knows none of them."""
    shown = {(type(item), item.pk) for section in sections for item in section["items"]}
    by_item: dict[tuple, dict] = {}
    for row in registry.contributions_of(people.order_by().values("pk")):
        key = (type(row.item), row.item.pk)
        if key not in shown:
            entry = by_item.setdefault(key, {"row": row, "people": []})
            entry["people"].append((row.person, row.role))
    return list(by_item.values())


def organisation_logo(request: HttpRequest, slug: str) -> FileResponse:
    """The logo of a visible organisation, as the image type its content is (checked again
    here, also for files stored before uploads were checked), never as anything a browser
    would run. Nothing serves MEDIA_URL: this view is the only way to a logo."""
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), slug=slug)
    if not organisation.logo:
        raise Http404
    try:
        handle = organisation.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = uploads.image_kind(handle)
    if kind is None:
        handle.close()
        raise Http404
    response = FileResponse(
        handle, content_type=kind.content_type, filename=f"{organisation.slug}.{kind.extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    # The URL changes with every new logo (Organisation.logo_url); a draft's logo stays private.
    response["Cache-Control"] = (
        "public, max-age=86400" if organisation.is_published else "private, no-store"
    )
    return response


class PersonListView(FacetedListView):
    filterset_class = PersonFilterSet
    template_name = "network/person_list.html"
    context_object_name = "people"

    def get_queryset(self):
        return (
            Person.objects.published().for_cards().order_by("family_name", "given_name", "particle")
        )


class PersonDetailView(DetailView):
    template_name = "network/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.visible_to(self.request.user).for_cards()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["sections"] = connected_sections(self.object)
        context["affiliations"] = self.object.ordered_affiliations
        if self.object.is_published:
            context["structured_data"] = structured_data.person(
                self.object, self.request.build_absolute_uri
            )
        return context


class ParticipationView(TemplateView):
    """Which organisations took part in which learning circles and events."""

    template_name = "network/participation.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["rows"] = registry.participation_rows()
        return context


def participation_csv(request: HttpRequest) -> HttpResponse:
    header = [_("Organisatie"), _("Activiteit"), _("Soort"), _("Rol"), _("Datum"), _("Webadres")]
    rows = (
        [
            row.organisation.name,
            row.activity.title,
            row.kind,
            row.role,
            row.date.isoformat() if row.date else "",
            request.build_absolute_uri(row.activity.get_absolute_url()),
        ]
        for row in registry.participation_rows()
    )
    return csv_response("ikpob-deelname.csv", header, rows)
