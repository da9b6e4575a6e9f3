"""New publications of one theme, under the theme's address: /themas/<slug>/feed/rss/."""

from django.urls import path

from publications import feeds

app_name = "theme_feeds"

urlpatterns = [
    path("rss/", feeds.theme_rss, name="rss"),
    path("atom/", feeds.theme_atom, name="atom"),
]
