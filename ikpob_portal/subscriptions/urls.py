from django.urls import path

from ikpob_portal.kernel import converters  # noqa: F401 (registers <text:>)
from ikpob_portal.subscriptions import views
from ikpob_portal.subscriptions.declarations import PERSONAL_PATH

app_name = "subscriptions"

urlpatterns = [
    path("volgen/", views.subscribe, name="subscribe"),
    path("volgen/verstuurd/", views.sent, name="sent"),
    path(f"{PERSONAL_PATH}<slug:token>/", views.preferences, name="preferences"),
    path(f"{PERSONAL_PATH}<slug:token>/bevestigen/", views.confirm, name="confirm"),
    path(f"{PERSONAL_PATH}<slug:token>/afmelden/", views.unsubscribe, name="unsubscribe"),
    path(f"{PERSONAL_PATH}<slug:token>/toevoegen/<text:signed>/", views.add, name="add"),
]
