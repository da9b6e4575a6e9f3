from django.urls import path

from network import views

app_name = "network"

# Fixed paths come first; Organisation slugs may not take these names (see RESERVED_SLUGS).
urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="list"),
    path("personen/", views.PersonListView.as_view(), name="person-list"),
    path("personen/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("deelname/", views.ParticipationView.as_view(), name="participation"),
    path("deelname/csv/", views.participation_csv, name="participation-csv"),
    path("<slug:slug>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("<slug:slug>/logo/", views.organisation_logo, name="logo"),
]
