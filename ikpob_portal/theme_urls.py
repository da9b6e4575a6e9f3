from django.urls import path

from ikpob_portal import views

app_name = "themes"

urlpatterns = [
    path("", views.ThemeListView.as_view(), name="list"),
    path("<str:slug>/", views.ThemeDetailView.as_view(), name="detail"),
]
