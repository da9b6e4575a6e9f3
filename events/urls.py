from django.urls import path

from events import feeds, views
from events.declarations import INVITATION_SEGMENT

app_name = "events"

# Fixed paths first; event slugs may not take these names (RESERVED_SLUGS).
urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("archief/", views.EventArchiveView.as_view(), name="archive"),
    path("agenda.ics", views.agenda_ics, name="agenda-ics"),
    path("feed/rss/", feeds.rss, name="feed-rss"),
    path("feed/atom/", feeds.atom, name="feed-atom"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/aanmelden/", views.register, name="register"),
    path("<slug:slug>/agenda.ics", views.event_ics, name="event-ics"),
    path(
        # The token is a secret: declared so that logs blank it out.
        f"<slug:slug>/{INVITATION_SEGMENT}<slug:token>/afslaan/",
        views.decline_invitation,
        name="decline-invitation",
    ),
]
