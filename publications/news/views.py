from django.views.generic import DetailView

from ikpob_portal.kernel.lists import FacetedListView
from ikpob_portal.platform.images import rendition_url
from publications.news import structured_data
from publications.news.filters import NewsFilterSet
from publications.news.models import NewsItem


class NewsListView(FacetedListView):
    filterset_class = NewsFilterSet
    template_name = "publications/newsitem_list.html"
    context_object_name = "news_items"

    def get_queryset(self):
        # Newest first also when no filter is bound (then the FilterSet does not run).
        return NewsItem.objects.published().for_cards().newest_first()


class NewsDetailView(DetailView):
    template_name = "publications/newsitem_detail.html"
    context_object_name = "news_item"

    def get_queryset(self):
        return NewsItem.objects.visible_to(self.request.user).for_cards()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        item = self.object
        context["organisations"] = list(item.organisations.order_by("name"))
        if item.is_published:  # an editor's preview of a draft tells machines nothing
            absolute = self.request.build_absolute_uri
            # The JPEG or PNG rendition about 1200 px wide, which link previews read.
            image = rendition_url(item, 1200)
            context["og_image"] = absolute(image) if image else ""
            context["structured_data"] = structured_data.json_ld(
                item,
                absolute,
                organisations=context["organisations"],
                image=context["og_image"],
            )
        return context
