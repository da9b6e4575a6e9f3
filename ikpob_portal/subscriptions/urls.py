from django.urls import path

from ikpob_portal.subscriptions import views
from ikpob_portal.subscriptions.declarations import PERSONAL_PATH

app_name = "subscriptions"

urlpatterns = [
    path("volgen/", views.subscribe, name="subscribe"),
    path("volgen/verstuurd/", views.sent, name="sent"),
    path(f"{PERSONAL_PATH}<str:token>/", views.preferences, name="preferences"),
    path(f"{PERSONAL_PATH}<str:token>/bevestigen/", views.confirm, name="confirm"),
    path(f"{PERSONAL_PATH}<str:token>/afmelden/", views.unsubscribe, name="unsubscribe"),
    path(f"{PERSONAL_PATH}<str:token>/toevoegen/<str:signed>/", views.add, name="add"),
]
