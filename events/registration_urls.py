from django.urls import path

from events import views

app_name = "registrations"

urlpatterns = [
    path("<str:token>/", views.registration, name="detail"),
]
