"""Events and registrations in the admin, as a Redacteur (editor) uses them."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from events.models import Event, Registration
from ikpob_portal.kernel.editors import ACTIONS, EDITOR_GROUP
from tests.factories import make_event, make_registration, make_session
from tests.html import admin_messages, changelist, parse, text

ADMIN = f"/{settings.ADMIN_URL}"
EVENTS = f"{ADMIN}events/event/"
REGISTRATIONS = f"{ADMIN}events/registration/"
CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED
CSV_HEADER = [
    "Evenement",
    "Naam",
    "E-mailadres",
    "Organisatie",
    "Functie",
    "Status",
    "Sessies",
    "Wensen",
    "Aangemeld op",
    "Aanwezig",
]


def action(client, url: str, name: str, objects, **extra):
    data = {"action": name, "_selected_action": [obj.pk for obj in objects], "index": 0}
    return client.post(url, {**data, **extra}, follow=True)


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))


@pytest.fixture
def congress(db) -> Event:
    """Three places: two confirmed, one place left; one waiting, one cancelled."""
    event = make_event("Tussen Participatie en Populisme", capacity=3)
    make_registration(event, name="Anna Jansen", email="anna@utrecht.nl")
    make_registration(event, name="Bert de Vries", organisation="Provincie Utrecht")
    make_registration(event, name="Carla Wachter", status=WAITING)
    make_registration(event, name="Dirk Weg", status=CANCELLED)
    return event


# --- Permissions ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["event", "session", "registration"])
def test_editor_group_may_manage_event_models(model):
    group = Group.objects.get(name=EDITOR_GROUP)

    codenames = set(
        group.permissions.filter(content_type__app_label="events").values_list(
            "codename", flat=True
        )
    )

    assert {f"{action}_{model}" for action in ACTIONS} <= codenames


@pytest.mark.django_db
def test_registrations_cannot_be_added_in_the_admin(editor_client, congress):
    page = editor_client.get(REGISTRATIONS)

    assert page.status_code == 200
    assert parse(page).find("a", href=f"{REGISTRATIONS}add/") is None
    assert editor_client.get(f"{REGISTRATIONS}add/").status_code == 403


@pytest.mark.django_db
def test_registration_change_page_shows_everything_read_only(editor_client, congress):
    registration = congress.registrations.get(name="Anna Jansen")

    page = parse(editor_client.get(f"{REGISTRATIONS}{registration.pk}/change/"))

    assert page.find("input", name="email") is None
    assert page.find("input", name="name") is None
    assert "anna@utrecht.nl" in page.find("form", id="registration_form").text


# --- Events -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_event_changelist_shows_registration_counts_and_places_left(editor_client, congress):
    make_event("Onbeperkt")
    full = make_event("Overvol", capacity=1)
    make_registration(full)
    make_registration(full)  # promoted by hand beyond capacity

    rows = changelist(
        editor_client.get(EVENTS),
        "title",
        "capacity_display",
        "confirmed",
        "waiting",
        "places_left_display",
    )

    assert sorted(rows) == [
        ("Onbeperkt", "∞", "0", "0", "∞"),
        ("Overvol", "1", "2", "0", "0"),
        ("Tussen Participatie en Populisme", "3", "2", "1", "1"),
    ]


@pytest.mark.django_db
def test_event_change_page_has_the_sessions_inline(editor_client, congress):
    make_session(congress, "Workshop toezicht", capacity=20)

    page = parse(editor_client.get(f"{EVENTS}{congress.pk}/change/"))

    assert page.find("input", name="sessions-0-title").get("value") == "Workshop toezicht"
    assert page.find("input", name="sessions-0-capacity").get("value") == "20"


@pytest.mark.django_db
def test_editor_marks_an_event_online_beside_its_link(editor_client, congress):
    page = parse(editor_client.get(f"{EVENTS}{congress.pk}/change/"))

    checkbox = page.find("input", name="online")
    assert checkbox is not None
    assert checkbox.get("type") == "checkbox"
    assert page.find("input", name="online_url") is not None


@pytest.mark.django_db
def test_editor_adds_an_event_with_a_session(editor_client):
    start = timezone.localtime(timezone.now() + timedelta(days=30)).replace(second=0, microsecond=0)
    end = start + timedelta(hours=6)
    data = {
        "title": "Nieuwe bijeenkomst",
        "slug": "nieuwe-bijeenkomst",
        "kind": Event.Kind.MEETING,
        "summary": "Over vakmanschap.",
        "programme": "",
        "starts_at_0": start.strftime("%d-%m-%Y"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%d-%m-%Y"),
        "ends_at_1": end.strftime("%H:%M:%S"),
        "venue_name": "Stadhuis Utrecht",
        "venue_address": "",
        "online_url": "",
        "registration_required": "on",
        "capacity": "40",
        "registration_opens_at_0": "",
        "registration_opens_at_1": "",
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
        "access": Event.Access.OPEN,
        "group_code": "",
        "recording_url": "",
        "materials": "",
        "status": Event.Status.PUBLISHED,
        "published_at_0": "",
        "published_at_1": "",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-slot": "1",
        "sessions-0-title": "Workshop toezicht",
        "sessions-0-capacity": "12",
        "_save": "Opslaan",
    }

    response = editor_client.post(f"{EVENTS}add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    assert event.is_published
    assert event.starts_at == start
    assert [(s.title, s.capacity) for s in event.sessions.all()] == [("Workshop toezicht", 12)]


@pytest.mark.django_db
def test_export_attendees_parses_back_with_names_sessions_and_needs(editor_client, congress):
    workshop = make_session(congress, "Workshop toezicht", slot=1)
    middag = make_session(congress, "Middag: ‘Leren’", slot=2)
    anna = congress.registrations.get(name="Anna Jansen")
    anna.sessions.set([workshop, middag])
    anna.needs = "Vegetarisch; graag\nmet ringleiding"
    anna.job_title = "beleidsadviseur"
    anna.checked_in_at = timezone.now()
    anna.save()
    other = make_event("Andere bijeenkomst")
    make_registration(other, name="Niet geselecteerd")

    header, *rows = read_csv(action(editor_client, EVENTS, "export_attendees", [congress]))

    assert header == CSV_HEADER
    assert [row[1] for row in rows] == ["Dirk Weg", "Anna Jansen", "Bert de Vries", "Carla Wachter"]
    first = dict(zip(header, rows[1], strict=True))
    assert first["Evenement"] == "Tussen Participatie en Populisme"
    assert first["E-mailadres"] == "anna@utrecht.nl"
    assert first["Functie"] == "beleidsadviseur"
    assert first["Status"] == "Bevestigd"
    assert first["Sessies"] == "Workshop toezicht, Middag: ‘Leren’"  # in round order
    assert first["Wensen"] == "Vegetarisch; graag\nmet ringleiding"
    assert first["Aanwezig"] == "ja"
    assert first["Aangemeld op"] == timezone.localtime(anna.created).strftime("%Y-%m-%d %H:%M")
    assert [row[5] for row in rows] == ["Geannuleerd", "Bevestigd", "Bevestigd", "Wachtlijst"]
    assert rows[2][3] == "Provincie Utrecht"


@pytest.mark.django_db
def test_export_does_not_hand_excel_a_formula_typed_by_a_registrant(editor_client):
    event = make_event()
    make_registration(event, name='=HYPERLINK("https://example.org","Klik")', organisation="+31")

    _header, row = read_csv(action(editor_client, EVENTS, "export_attendees", [event]))

    assert not row[1].startswith(("=", "+", "-", "@"))
    assert not row[3].startswith(("=", "+", "-", "@"))


@pytest.mark.django_db
def test_export_of_selected_registrations_parses_back(editor_client, congress):
    selected = congress.registrations.filter(status=CONFIRMED)

    header, *rows = read_csv(action(editor_client, REGISTRATIONS, "export_csv", selected))

    assert header == CSV_HEADER
    assert sorted(row[1] for row in rows) == ["Anna Jansen", "Bert de Vries"]


@pytest.mark.django_db
def test_message_attendees_asks_for_subject_and_body_first(editor_client, congress):
    response = action(editor_client, EVENTS, "message_attendees", [congress])

    page = parse(response)
    assert page.find("h1").text == (
        "Bericht aan de deelnemers van Tussen Participatie en Populisme"
    )
    assert "Het bericht gaat naar 2 bevestigde deelnemers, ieder apart." in page.text
    assert page.find("input", name="subject") is not None
    assert page.find("textarea", name="body") is not None


@pytest.mark.django_db
def test_message_attendees_sends_one_mail_per_confirmed_attendee(
    editor_client, congress, mailoutbox, django_capture_on_commit_callbacks
):
    make_registration(congress, email="weg@utrecht.nl", anonymised_at=timezone.now())

    # The mails go out through the outbox once the action's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = action(
            editor_client,
            EVENTS,
            "message_attendees",
            [congress],
            apply="1",
            subject="Praktische informatie",
            body="Het congres begint om 9:30 uur.",
        )

    assert admin_messages(response) == ["Bericht verstuurd aan 2 deelnemers."]
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        congress.registrations.filter(status=CONFIRMED, anonymised_at__isnull=True).values_list(
            "email", flat=True
        )
    )
    assert all(
        len(message.to) == 1 and not message.cc and not message.bcc for message in mailoutbox
    )
    assert {message.subject for message in mailoutbox} == {"Praktische informatie"}
    assert {message.body for message in mailoutbox} == {"Het congres begint om 9:30 uur."}


@pytest.mark.django_db
def test_message_attendees_without_subject_sends_nothing(editor_client, congress, mailoutbox):
    response = action(
        editor_client, EVENTS, "message_attendees", [congress], apply="1", subject="", body=""
    )

    assert "Vul een onderwerp en een bericht in." in parse(response).text
    assert mailoutbox == []


@pytest.mark.django_db
def test_message_attendees_wants_exactly_one_event(editor_client, congress, mailoutbox):
    response = action(
        editor_client, EVENTS, "message_attendees", [congress, make_event("Ander evenement")]
    )

    assert admin_messages(response) == ["Kies precies één evenement."]
    assert mailoutbox == []


# --- Registrations ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_registration_changelist_lists_every_registration_with_its_event(editor_client, congress):
    rows = changelist(editor_client.get(REGISTRATIONS), "name", "event", "status")

    assert sorted(rows) == [
        ("Anna Jansen", "Tussen Participatie en Populisme", "Bevestigd"),
        ("Bert de Vries", "Tussen Participatie en Populisme", "Bevestigd"),
        ("Carla Wachter", "Tussen Participatie en Populisme", "Wachtlijst"),
        ("Dirk Weg", "Tussen Participatie en Populisme", "Geannuleerd"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status__exact": "waiting"}, ["Carla Wachter"]),
        ({"status__exact": "confirmed"}, ["Anna Jansen", "Bert de Vries"]),
        ({"q": "provincie"}, ["Bert de Vries"]),
        ({"q": "anna@utrecht"}, ["Anna Jansen"]),
        ({"q": "wachter"}, ["Carla Wachter"]),
    ],
)
def test_registration_changelist_filters_and_searches(editor_client, congress, params, expected):
    assert sorted(changelist(editor_client.get(REGISTRATIONS, params), "name")) == expected


@pytest.mark.django_db
def test_registration_changelist_filters_on_event_and_check_in(editor_client, congress):
    other = make_event("Andere bijeenkomst")
    make_registration(other, name="Elders", checked_in_at=timezone.now())

    by_event = changelist(editor_client.get(REGISTRATIONS, {"event__id__exact": other.pk}), "name")
    checked_in = changelist(
        editor_client.get(REGISTRATIONS, {"checked_in_at__isempty": "0"}), "name"
    )

    assert by_event == ["Elders"]
    assert checked_in == ["Elders"]


@pytest.mark.django_db
def test_check_in_action_marks_confirmed_attendees_present(editor_client, congress):
    response = action(editor_client, REGISTRATIONS, "check_in", congress.registrations.all())

    assert admin_messages(response) == ["2 deelnemers aanwezig gemeld."]
    present = congress.registrations.filter(checked_in_at__isnull=False)
    assert sorted(present.values_list("name", flat=True)) == ["Anna Jansen", "Bert de Vries"]


@pytest.mark.django_db
def test_promote_action_confirms_from_the_waiting_list_and_mails(
    editor_client, congress, mailoutbox, django_capture_on_commit_callbacks
):
    carla = congress.registrations.get(name="Carla Wachter")

    with django_capture_on_commit_callbacks(execute=True):
        response = action(
            editor_client,
            REGISTRATIONS,
            "promote_from_waiting_list",
            congress.registrations.exclude(status=CONFIRMED),
        )

    assert admin_messages(response) == ["1 aanmelding bevestigd."]
    carla.refresh_from_db()
    assert carla.status == CONFIRMED
    assert congress.registrations.get(name="Dirk Weg").status == CANCELLED
    [message] = mailoutbox
    assert message.to == [carla.email]
    assert message.subject == "Er is een plaats voor u: Tussen Participatie en Populisme"


@pytest.mark.django_db
def test_a_session_people_registered_for_cannot_be_deleted_in_the_event_form(editor_client):
    from tests.ikpob_portal.test_history import form_data

    event = make_event("Congres")
    chosen, unchosen = make_session(event, "Workshop A"), make_session(event, "Workshop B")
    make_registration(event, sessions=[chosen])
    url = f"{EVENTS}{event.pk}/change/"
    data = form_data(editor_client.get(url))
    for index in range(2):
        data[f"sessions-{index}-DELETE"] = "on"

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "De sessie ‘Workshop A’ kan niet worden verwijderd" in response.content.decode()
    assert set(event.sessions.all()) == {chosen, unchosen}  # nothing deleted, not even B
    assert list(Registration.objects.get().sessions.all()) == [chosen]


@pytest.mark.django_db
def test_a_session_nobody_chose_can_be_deleted(editor_client):
    from tests.ikpob_portal.test_history import form_data

    event = make_event("Congres")
    make_session(event, "Workshop A")
    url = f"{EVENTS}{event.pk}/change/"
    data = form_data(editor_client.get(url))
    data["sessions-0-DELETE"] = "on"

    assert editor_client.post(url, data).status_code == 302
    assert not event.sessions.exists()


# --- Deleting a registration cancels it, through the service ----------------------------------


@pytest.fixture
def sold_out(db) -> Event:
    """Five places, all confirmed; 26 on the waiting list, registered one minute apart."""
    event = make_event("Vol congres", capacity=5)
    start = timezone.now() - timedelta(days=2)
    for number in range(5):
        make_registration(event, name=f"Bevestigd {number}", created=start)
    for number in range(26):
        make_registration(
            event,
            name=f"Wachtend {number}",
            email=f"wachtend{number}@example.org",
            status=WAITING,
            created=start + timedelta(minutes=number + 1),
        )
    return event


def statuses(event: Event, prefix: str) -> dict[str, str]:
    registrations = event.registrations.filter(name__startswith=prefix).order_by("created", "id")
    return dict(registrations.values_list("name", "status"))


def mails(mailoutbox) -> list[tuple[str, str]]:
    return sorted((message.to[0], message.subject) for message in mailoutbox)


def newcomer_registers(event: Event) -> Registration:
    """Someone registers on the public form a little later."""
    cache.clear()  # the form's rate limit
    form = {
        "name": "Nieuwkomer",
        "email": "nieuw@example.org",
        "organisation": "Gemeente Zeist",
        "consent": "on",
    }
    response = Client().post(f"/evenementen/{event.slug}/aanmelden/", form)
    assert response.status_code == 302
    return event.registrations.get(name="Nieuwkomer")


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["editor_client", "admin_client"])
def test_deleting_a_confirmed_registration_gives_the_place_to_the_first_waiting(
    request, user, sold_out, mailoutbox, django_capture_on_commit_callbacks
):
    client = request.getfixturevalue(user)
    leaving = sold_out.registrations.get(name="Bevestigd 2")
    url = f"{REGISTRATIONS}{leaving.pk}/delete/"

    confirmation = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"}, follow=True)

    assert "De aanmelding van Bevestigd 2 voor Vol congres annuleren?" in text(confirmation)
    assert response.redirect_chain == [(REGISTRATIONS, 302)]
    assert admin_messages(response) == [
        "1 aanmelding geannuleerd. Een vrijgekomen plaats gaat naar de eerste op de wachtlijst; "
        "wie het aangaat, krijgt een e-mail."
    ]
    leaving.refresh_from_db()
    assert leaving.status == CANCELLED  # kept, for the counts; purging removes the person
    assert list(statuses(sold_out, "Wachtend").values())[:2] == [CONFIRMED, WAITING]
    assert mails(mailoutbox) == [
        (leaving.email, "Uw aanmelding is geannuleerd: Vol congres"),
        ("wachtend0@example.org", "Er is een plaats voor u: Vol congres"),
    ]
    assert sold_out.registrations.taking_places().count() == 5
    newcomer = newcomer_registers(sold_out)
    assert (newcomer.status, newcomer.waiting_position()) == (WAITING, 26)  # behind 25 waiting


@pytest.mark.django_db
def test_cancelling_two_selected_registrations_promotes_the_first_two_waiting(
    editor_client, sold_out, mailoutbox, django_capture_on_commit_callbacks
):
    leaving = list(sold_out.registrations.filter(name__in=["Bevestigd 0", "Bevestigd 4"]))

    confirmation = action(editor_client, REGISTRATIONS, "cancel_selected", leaving)
    assert mailoutbox == []
    assert sold_out.registrations.filter(status=CANCELLED).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = action(editor_client, REGISTRATIONS, "cancel_selected", leaving, post="yes")

    assert "Deze 2 aanmeldingen annuleren?" in text(confirmation)
    assert [item.text for item in parse(confirmation).find("main").iter("li")][-2:] == [
        "Bevestigd 0 — Vol congres (Bevestigd)",
        "Bevestigd 4 — Vol congres (Bevestigd)",
    ]
    assert admin_messages(response) == [
        "2 aanmeldingen geannuleerd. Vrijgekomen plaatsen gaan naar de eersten op de "
        "wachtlijst; wie het aangaat, krijgt een e-mail."
    ]
    assert list(statuses(sold_out, "Bevestigd").values()) == [
        CANCELLED,
        CONFIRMED,
        CONFIRMED,
        CONFIRMED,
        CANCELLED,
    ]
    assert list(statuses(sold_out, "Wachtend").values())[:3] == [CONFIRMED, CONFIRMED, WAITING]
    assert mails(mailoutbox) == sorted(
        [
            (leaving[0].email, "Uw aanmelding is geannuleerd: Vol congres"),
            (leaving[1].email, "Uw aanmelding is geannuleerd: Vol congres"),
            ("wachtend0@example.org", "Er is een plaats voor u: Vol congres"),
            ("wachtend1@example.org", "Er is een plaats voor u: Vol congres"),
        ]
    )
    assert newcomer_registers(sold_out).status == WAITING


@pytest.mark.django_db
def test_registrations_offer_cancelling_instead_of_deleting(editor_client, congress):
    anna = congress.registrations.get(name="Anna Jansen")

    changelist_page = parse(editor_client.get(REGISTRATIONS))
    change_page = parse(editor_client.get(f"{REGISTRATIONS}{anna.pk}/change/"))
    refused = action(editor_client, REGISTRATIONS, "delete_selected", [anna], post="yes")

    choices = [
        option.get("value")
        for option in changelist_page.find("select", name="action").iter("option")
    ]
    assert "cancel_selected" in choices
    assert "delete_selected" not in choices
    button = change_page.find("a", class_="deletelink")
    assert (button.text, button.get("href")) == (
        "Aanmelding annuleren",
        f"{REGISTRATIONS}{anna.pk}/delete/",
    )
    assert refused.status_code == 200
    assert Registration.objects.filter(pk=anna.pk, status=CONFIRMED).exists()


@pytest.mark.django_db
def test_a_cancelled_registration_cannot_be_cancelled_again(editor_client, congress):
    dirk = congress.registrations.get(name="Dirk Weg")

    response = action(editor_client, REGISTRATIONS, "cancel_selected", [dirk])

    assert editor_client.get(f"{REGISTRATIONS}{dirk.pk}/delete/").status_code == 403
    assert admin_messages(response) == ["Geen van deze aanmeldingen kan nog worden geannuleerd."]
    assert (
        parse(editor_client.get(f"{REGISTRATIONS}{dirk.pk}/change/")).find("a", class_="deletelink")
        is None
    )


@pytest.mark.django_db
def test_cancelling_after_the_event_started_is_refused_with_the_reason(
    editor_client, mailoutbox, django_capture_on_commit_callbacks
):
    now = timezone.now()
    event = make_event("Loopt al", capacity=1, starts_at=now - timedelta(hours=1))
    anna = make_registration(event, name="Anna Jansen")
    waiting = make_registration(event, status=WAITING)

    with django_capture_on_commit_callbacks(execute=True):
        single = editor_client.post(
            f"{REGISTRATIONS}{anna.pk}/delete/", {"post": "yes"}, follow=True
        )
        bulk = action(editor_client, REGISTRATIONS, "cancel_selected", [anna, waiting], post="yes")

    refusal = "Anna Jansen niet geannuleerd: Het evenement is al begonnen. Annuleren kan niet meer."
    assert admin_messages(single) == [refusal]
    assert admin_messages(bulk)[0] == refusal
    assert len(admin_messages(bulk)) == 2
    assert list(event.registrations.values_list("status", flat=True)) == [CONFIRMED, WAITING]
    assert mailoutbox == []


@pytest.mark.django_db
def test_cancelling_in_the_admin_is_logged_as_a_change_not_a_deletion(editor_client, congress):
    anna = congress.registrations.get(name="Anna Jansen")

    editor_client.post(f"{REGISTRATIONS}{anna.pk}/delete/", {"post": "yes"})

    [entry] = LogEntry.objects.filter(object_id=str(anna.pk))
    assert (entry.action_flag, entry.get_change_message()) == (CHANGE, "Geannuleerd.")
