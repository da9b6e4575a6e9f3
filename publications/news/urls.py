from django.urls import path

from publications.news import feeds, views

# Its own namespace and slugs: /actueel/<slug>/ never competes with /publicaties/<slug>/.
app_name = "news"

urlpatterns = [
    path("", views.NewsListView.as_view(), name="list"),
    path("feed/rss/", feeds.rss, name="feed-rss"),
    path("feed/atom/", feeds.atom, name="feed-atom"),
    path("<slug:slug>/", views.NewsDetailView.as_view(), name="detail"),
]
