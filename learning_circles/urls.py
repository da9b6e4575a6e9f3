from django.urls import path

from learning_circles import views

app_name = "learning_circles"

urlpatterns = [
    path("", views.LearningCircleListView.as_view(), name="list"),
    path("<slug:slug>/", views.LearningCircleDetailView.as_view(), name="detail"),
    path("<slug:slug>/aanmelden/", views.join, name="join"),
    path("<slug:slug>/aanmelden/ontvangen/", views.joined, name="joined"),
]
