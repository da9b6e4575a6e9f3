from django.urls import path

from ikpob_portal import converters, views  # noqa: F401 (registers <text:>)

app_name = "themes"

urlpatterns = [
    path("", views.ThemeListView.as_view(), name="list"),
    path("<text:slug>/", views.ThemeDetailView.as_view(), name="detail"),
]
