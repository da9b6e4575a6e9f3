from django.urls import path

from events import views

app_name = "registrations"

# Tokens are secrets.token_urlsafe: letters, digits, - and _ (a slug). Anything else is an
# unknown address before the database is asked (PostgreSQL cannot compare text with NUL).
urlpatterns = [
    # The link in the "confirm your address" mail: a signed key, not the registration's token.
    path("bevestigen/<str:key>/", views.verify_registration, name="verify"),
    path("<slug:token>/", views.registration, name="detail"),
    path("<slug:token>/annuleren/", views.cancel_registration, name="cancel"),
    path("<slug:token>/wijzigen/", views.change_registration, name="change"),
    path("<slug:token>/evaluatie/", views.evaluation, name="evaluation"),
    path("<slug:token>/bewijs-van-deelname.pdf", views.certificate_pdf, name="certificate"),
    # Moved up from the waiting list but cannot come: the same question, put as giving back.
    path(
        "<slug:token>/plaats-teruggeven/",
        views.cancel_registration,
        {"decline": True},
        name="decline",
    ),
]
