"""The pages' one route: the catch-all at the end of the URLconf (see ikpob_portal/urls.py).

A page's path is one slug or two ("over-ikpob", "over-ikpob/bestuur"), so deeper paths never
reach this view; slugs of top-level pages that an app already uses are refused by the model
(`ikpob_portal/pages/reserved.py`), and this route comes after every app's anyway.
"""

from django.urls import re_path

from ikpob_portal.pages import views

app_name = "pages"

urlpatterns = [
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+(?:/[-a-zA-Z0-9_]+)?)/$",
        views.PageDetailView.as_view(),
        name="detail",
    ),
]
