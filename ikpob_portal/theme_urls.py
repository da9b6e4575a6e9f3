from django.urls import path

from ikpob_portal import views
from ikpob_portal.kernel import converters  # noqa: F401 (registers <text:>)

app_name = "themes"

urlpatterns = [
    path("", views.ThemeListView.as_view(), name="list"),
    path("<text:slug>/", views.ThemeDetailView.as_view(), name="detail"),
]
