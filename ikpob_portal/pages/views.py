from django.http import Http404
from django.views.generic import DetailView

from ikpob_portal.pages.models import Page


class PageDetailView(DetailView):
    """A page at its path below the root: "over-ikpob" or "over-ikpob/bestuur". Editors who may
    view pages also see drafts (marked "Concept"); visitors only published pages whose parent is
    published too."""

    template_name = "pages/page_detail.html"
    context_object_name = "page"

    def get_object(self, queryset=None) -> Page:
        visible = Page.objects.visible_to(self.request.user)
        parts = self.kwargs["slug"].split("/")
        pages = visible.for_cards()
        if len(parts) == 1:
            pages = pages.filter(parent__isnull=True, slug=parts[0])
        else:
            parent_slug, slug = parts
            pages = pages.filter(
                slug=slug,
                parent__slug=parent_slug,
                parent__parent__isnull=True,
                parent__in=visible,
            )
        page = pages.first()
        if page is None:
            raise Http404("no such page")
        return page

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        page = self.object
        if page.parent_id is None:
            context["subpages"] = list(Page.objects.published().filter(parent=page).for_cards())
        else:
            context["subpages"] = []
        return context
