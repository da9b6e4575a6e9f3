from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from ikpob_portal.kernel.lists import FacetedListView, connected_sections
from ikpob_portal.kernel.pagination import DeferredJoinPaginator
from ikpob_portal.kernel.summaries import next_scheduled
from network.models import Organisation, Person
from publications import citations, declarations, structured_data
from publications.filters import PublicationFilterSet
from publications.models import Publication


class PublicationListView(FacetedListView):
    filterset_class = PublicationFilterSet
    # The one list that runs to tens of thousands of rows: deep pages page over keys.
    paginator_class = DeferredJoinPaginator
    template_name = "publications/publication_list.html"
    context_object_name = "publications"
    summary = declarations.LIST_SUMMARY

    def summary_valid_until(self):
        # The author and organisation facets show published people and organisations only.
        return next_scheduled(Publication, Person, Organisation)

    def get_queryset(self):
        # Newest first also when no filter is bound (then the FilterSet does not run).
        return Publication.objects.published().for_cards().newest_first()


class PublicationDetailView(DetailView):
    template_name = "publications/publication_detail.html"
    context_object_name = "publication"

    def get_queryset(self):
        return (
            Publication.objects.visible_to(self.request.user)
            .for_cards()
            .select_related("publisher")
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        publication = self.object
        context["commissioners"] = list(publication.commissioned_by.order_by("name"))
        context["related"] = publication.related()
        # Items of other apps that declare a link to this publication (events about it).
        context["sections"] = connected_sections(publication)
        context["apa"] = citations.apa(publication, url=self.request.build_absolute_uri())
        if publication.is_published:  # an editor's preview of a draft tells machines nothing
            absolute = self.request.build_absolute_uri
            context["structured_data"] = structured_data.json_ld(
                publication, absolute, commissioners=context["commissioners"]
            )
            context["citation_meta"] = structured_data.citation_meta(publication, absolute)
        return context


def _published_or_preview(request: HttpRequest, slug: str) -> Publication:
    return get_object_or_404(
        Publication.objects.visible_to(request.user).select_related("publisher"), slug=slug
    )


def _page_url(request: HttpRequest, publication: Publication) -> str:
    return request.build_absolute_uri(publication.get_absolute_url())


def download(request: HttpRequest, slug: str) -> FileResponse:
    """The PDF, only for a visible publication: a draft's file is not public either."""
    publication = _published_or_preview(request, slug)
    if not publication.pdf:
        raise Http404
    try:
        handle = publication.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type="application/pdf",
        filename=f"{publication.slug}.pdf",
        as_attachment=False,
    )
    # Also without SecurityMiddleware's setting: a browser must never guess another type.
    response["X-Content-Type-Options"] = "nosniff"
    return response


def citation_bibtex(request: HttpRequest, slug: str) -> HttpResponse:
    publication = _published_or_preview(request, slug)
    response = HttpResponse(
        citations.bibtex(publication, url=_page_url(request, publication)),
        content_type="application/x-bibtex; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{publication.slug}.bib"'
    return response


def citation_ris(request: HttpRequest, slug: str) -> HttpResponse:
    publication = _published_or_preview(request, slug)
    response = HttpResponse(
        citations.ris(publication, url=_page_url(request, publication)),
        content_type="application/x-research-info-systems; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{publication.slug}.ris"'
    return response
