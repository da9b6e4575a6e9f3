from django.urls import path

from publications import feeds, views

app_name = "publications"

urlpatterns = [
    path("", views.PublicationListView.as_view(), name="list"),
    path("feed/rss/", feeds.rss, name="feed-rss"),
    path("feed/atom/", feeds.atom, name="feed-atom"),
    path("<slug:slug>/", views.PublicationDetailView.as_view(), name="detail"),
    path("<slug:slug>/download/", views.download, name="download"),
    path("<slug:slug>/citeer.bib", views.citation_bibtex, name="cite-bibtex"),
    path("<slug:slug>/citeer.ris", views.citation_ris, name="cite-ris"),
]
