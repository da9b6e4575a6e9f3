"""Check-in at the door: the service, the check-in code, the door page and who may use it."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils import timezone

from events import checkin, services
from events.models import CHECKIN_CODE_ALPHABET, Registration
from tests.factories import make_editor, make_event, make_registration
from tests.html import parse

ADMIN = f"/{settings.ADMIN_URL}"
CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


def door_url(event) -> str:
    return f"{ADMIN}events/event/{event.pk}/aanwezigheid/"


@pytest.fixture
def congress(db):
    event = make_event("Tussen Participatie en Populisme", capacity=40)
    make_registration(
        event, name="Jan Jansen", organisation="Gemeente Utrecht", checkin_code="K7M4PQ"
    )
    make_registration(event, name="Fatma Yilmaz", organisation="Provincie Utrecht")
    make_registration(event, name="Jan Wachter", organisation="Gemeente Zeist", status=WAITING)
    make_registration(event, name="Dirk Weg", status=CANCELLED)
    return event


def person(event, name: str) -> Registration:
    return event.registrations.get(name=name)


@pytest.fixture
def door_user(db):
    """A volunteer at the entrance: staff, in the group 'Ingang' and nothing else."""
    user = get_user_model().objects.create_user(
        username="ingang", password="een-lang-wachtwoord-2026", is_staff=True
    )
    user.groups.add(Group.objects.get(name=checkin.DOOR_GROUP))
    return user


@pytest.fixture
def door_client(client, door_user):
    client.force_login(door_user)
    return client


# --- The service ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_check_in_marks_a_confirmed_registration_present_and_records_by_whom(congress, door_user):
    jan = person(congress, "Jan Jansen")

    services.check_in(registration=jan, by=door_user)

    jan.refresh_from_db()
    assert jan.checked_in_at is not None
    assert jan.checked_in_by == door_user
    entry = LogEntry.objects.get(object_id=str(jan.pk))
    assert (entry.user, entry.change_message) == (door_user, "Aanwezig gemeld.")


@pytest.mark.django_db
def test_check_in_twice_keeps_the_first_time(congress, door_user):
    jan = person(congress, "Jan Jansen")
    earlier = timezone.now() - timedelta(minutes=20)
    Registration.objects.filter(pk=jan.pk).update(checked_in_at=earlier)

    again = services.check_in(registration=jan, by=door_user)

    assert again.checked_in_at == earlier
    jan.refresh_from_db()
    assert jan.checked_in_at == earlier
    assert not LogEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "status"), [("Jan Wachter", "wachtlijst"), ("Dirk Weg", "geannuleerd")]
)
def test_check_in_refuses_who_has_no_confirmed_place(congress, door_user, name, status):
    registration = person(congress, name)

    with pytest.raises(services.RegistrationError) as error:
        services.check_in(registration=registration, by=door_user)

    assert error.value.message == (
        f"{name} heeft geen bevestigde plaats ({status}) en kan niet aanwezig worden gemeld."
    )
    registration.refresh_from_db()
    assert registration.checked_in_at is None


@pytest.mark.django_db
def test_undo_check_in_clears_the_check_in_and_twice_changes_nothing(congress, door_user):
    jan = person(congress, "Jan Jansen")
    services.check_in(registration=jan, by=door_user)

    services.undo_check_in(registration=jan, by=door_user)
    services.undo_check_in(registration=jan, by=door_user)

    jan.refresh_from_db()
    assert (jan.checked_in_at, jan.checked_in_by) == (None, None)
    assert list(LogEntry.objects.order_by("pk").values_list("change_message", flat=True)) == [
        "Aanwezig gemeld.",
        "Aanwezigheid ongedaan gemaakt.",
    ]


@pytest.mark.django_db
def test_attendance_counts_present_out_of_confirmed(congress, door_user):
    services.check_in(registration=person(congress, "Jan Jansen"), by=door_user)

    assert checkin.attendance(congress) == checkin.Attendance(present=1, expected=2)


# --- The check-in code ------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_gives_a_six_character_code_without_look_alike_characters():
    event = make_event(capacity=10)
    codes = [
        services.register(
            event=event,
            data={"name": f"P {n}", "email": f"p{n}@example.org", "organisation": "X"},
        ).checkin_code
        for n in range(20)
    ]

    assert all(re.fullmatch(f"[{CHECKIN_CODE_ALPHABET}]{{6}}", code) for code in codes)
    assert not set("01IOLUV") & set("".join(codes))
    assert len(set(codes)) == 20


@pytest.mark.django_db
def test_register_never_gives_a_code_that_the_event_already_has(monkeypatch, congress):
    drawn = iter(["K7M4PQ", "K7M4PQ", "ABC234"])  # Jan Jansen has K7M4PQ
    monkeypatch.setattr(services, "new_checkin_code", lambda: next(drawn))

    registration = services.register(
        event=congress, data={"name": "Nieuw", "email": "nieuw@example.org", "organisation": "X"}
    )

    assert registration.checkin_code == "ABC234"


@pytest.mark.django_db
def test_database_holds_one_code_per_event(congress):
    make_registration(
        make_event("Andere bijeenkomst"), checkin_code="K7M4PQ"
    )  # another event: fine

    with pytest.raises(IntegrityError), transaction.atomic():
        make_registration(congress, checkin_code="K7M4PQ")


# --- Who may use the door page ----------------------------------------------------------------


@pytest.mark.django_db
def test_door_volunteer_can_use_the_door_page_and_no_other_admin_page(door_client, congress):
    assert door_client.get(door_url(congress)).status_code == 200
    assert door_client.get(f"{ADMIN}events/event/aanwezigheid/").status_code == 200
    assert door_client.get(f"{ADMIN}events/event/").status_code == 403
    assert door_client.get(f"{ADMIN}events/registration/").status_code == 403
    assert door_client.get(f"{ADMIN}events/event/{congress.pk}/change/").status_code == 403


@pytest.mark.django_db
def test_staff_without_the_check_in_permission_get_403(client, congress):
    """An editor allowed to edit events and see registrations, but not to run the door."""
    editor = get_user_model().objects.create_user(username="alleen-inhoud", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="events",
            codename__in=["view_event", "change_event", "view_registration"],
        )
    )
    client.force_login(editor)

    assert client.get(door_url(congress)).status_code == 403
    jan = person(congress, "Jan Jansen")
    response = client.post(door_url(congress), {"registration": jan.pk, "action": "check_in"})
    assert response.status_code == 403
    jan.refresh_from_db()
    assert jan.checked_in_at is None


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client, congress):
    response = client.get(door_url(congress))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{ADMIN}login/?next=")


@pytest.mark.django_db
def test_dashboard_shows_a_door_volunteer_the_way_to_the_door(door_client):
    document = parse(door_client.get(ADMIN))

    link = document.find("a", href=f"{ADMIN}events/event/aanwezigheid/")
    assert link.text == "Aanmelden bij de ingang"


@pytest.mark.django_db
def test_editors_may_check_in(congress):
    """The Redacteur group runs events, so it has the door permission too."""
    assert make_editor().has_perm(checkin.PERMISSION)


# --- The door page ----------------------------------------------------------------------------


def people(response) -> list[dict]:
    document = parse(response)
    return [
        {
            "name": item.find(class_="ikpob-door__name").text,
            "state": item.find(class_="ikpob-door__state").text,
            "button": button.get("aria-label") if (button := item.find("button")) else None,
        }
        for item in document.iter("li", class_="ikpob-door__person")
    ]


@pytest.mark.django_db
def test_door_page_finds_by_name_with_a_named_button_per_person(door_client, congress):
    response = door_client.get(door_url(congress), {"q": "jan"})

    assert people(response) == [
        {"name": "Jan Jansen", "state": "Nog niet aanwezig", "button": "Meld Jan Jansen aanwezig"},
        {"name": "Jan Wachter", "state": "Wachtlijst: geen plaats", "button": None},
    ]
    document = parse(response)
    assert document.find("h2", id="door-results-heading").text == "2 gevonden voor ‘jan’"
    assert document.find("label", for_="door-q").text == "Zoek op naam of aanmeldcode"
    assert document.find("p", id="door-counts").text == "0 van 2 aanwezig"


@pytest.mark.django_db
def test_door_page_puts_a_scanned_code_first_with_its_button_focused(door_client, congress):
    response = door_client.get(door_url(congress), {"q": " k7m-4pq "})

    assert [found["name"] for found in people(response)] == ["Jan Jansen"]
    document = parse(response)
    form = document.find("form", data_exact_code=True)
    assert form.find("button").get("aria-label") == "Meld Jan Jansen aanwezig"
    assert form.find("button").get("autofocus") is not None
    assert document.find("input", id="door-q").get("autofocus") is None


@pytest.mark.django_db
def test_door_page_checks_in_and_returns_to_the_same_search_with_the_count(door_client, congress):
    jan = person(congress, "Jan Jansen")

    response = door_client.post(
        door_url(congress), {"registration": jan.pk, "action": "check_in", "q": "jan"}
    )

    assert response.status_code == 302
    assert response["Location"] == door_url(congress) + "?q=jan"
    page = door_client.get(response["Location"])
    document = parse(page)
    assert (
        document.find(id="door-status").text == "Jan Jansen is aanwezig gemeld (1 van 2 aanwezig)."
    )
    assert document.find("p", id="door-counts").text == "1 van 2 aanwezig"
    [jan_row, _wachter] = people(page)
    assert jan_row["state"].startswith("Aanwezig sinds ")
    assert jan_row["button"] == "Ongedaan maken voor Jan Jansen"
    jan.refresh_from_db()
    assert jan.checked_in_by.username == "ingang"


@pytest.mark.django_db
def test_door_page_says_when_someone_was_already_checked_in(door_client, congress):
    jan = person(congress, "Jan Jansen")
    data = {"registration": jan.pk, "action": "check_in"}
    door_client.post(door_url(congress), data, follow=True)  # a double tap

    page = door_client.post(door_url(congress), data, follow=True)

    status = parse(page).find(id="door-status").text
    assert re.fullmatch(
        r"Jan Jansen was al aanwezig gemeld, om \d\d:\d\d \(1 van 2 aanwezig\)\.", status
    )


@pytest.mark.django_db
def test_door_page_undo_and_the_recent_list(door_client, congress):
    jan = person(congress, "Jan Jansen")
    door_client.post(door_url(congress), {"registration": jan.pk, "action": "check_in"})

    recent = people(door_client.get(door_url(congress)))
    page = door_client.post(
        door_url(congress), {"registration": jan.pk, "action": "undo"}, follow=True
    )

    assert [row["name"] for row in recent] == ["Jan Jansen"]
    document = parse(page)
    assert (
        document.find(id="door-status").text
        == "Jan Jansen is niet meer aanwezig gemeld (0 van 2 aanwezig)."
    )
    assert document.find(id="door-results-heading").text == "Laatst aanwezig gemeld"
    assert people(page) == []


@pytest.mark.django_db
def test_door_page_refuses_a_waiting_registration_with_a_message(door_client, congress):
    waiting = person(congress, "Jan Wachter")

    page = door_client.post(
        door_url(congress), {"registration": waiting.pk, "action": "check_in"}, follow=True
    )

    assert "Jan Wachter heeft geen bevestigde plaats" in parse(page).find(id="door-status").text
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None


@pytest.mark.django_db
def test_door_page_refuses_a_post_without_a_known_action(door_client, congress):
    jan = person(congress, "Jan Jansen")

    response = door_client.post(door_url(congress), {"registration": jan.pk})

    assert response.status_code == 400
    jan.refresh_from_db()
    assert jan.checked_in_at is None


@pytest.mark.django_db
def test_door_page_cannot_check_in_someone_of_another_event(door_client, congress):
    other = make_registration(make_event("Andere bijeenkomst"))

    response = door_client.post(
        door_url(congress), {"registration": other.pk, "action": "check_in"}
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.checked_in_at is None


@pytest.mark.django_db
def test_attendance_endpoint_gives_the_counts_for_the_script(door_client, congress, door_user):
    services.check_in(registration=person(congress, "Fatma Yilmaz"), by=door_user)

    response = door_client.get(f"{door_url(congress)}tellingen/")

    assert response.json() == {"present": 1, "expected": 2, "text": "1 van 2 aanwezig"}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 40])
def test_door_page_query_count_does_not_grow_with_the_registrations(
    door_client, congress, door_user, django_assert_max_num_queries, extra
):
    for number in range(extra):
        registration = make_registration(congress, name=f"Jan {number}")
        if number % 2:
            services.check_in(registration=registration, by=door_user)
    door_client.get(door_url(congress))  # session and permissions warm, as on a tablet

    with django_assert_max_num_queries(7):
        assert door_client.get(door_url(congress), {"q": "jan"}).status_code == 200
    with django_assert_max_num_queries(7):
        assert door_client.get(door_url(congress)).status_code == 200


@pytest.mark.django_db
def test_door_list_shows_coming_events_with_their_counts(door_client, congress):
    make_event("Lang geleden", starts_at=timezone.now() - timedelta(days=40))

    document = parse(door_client.get(f"{ADMIN}events/event/aanwezigheid/"))

    links = list(document.iter("a", class_="ikpob-door__event"))
    assert [link.find(class_="ikpob-door__event-title").text for link in links] == [
        "Tussen Participatie en Populisme"
    ]
    assert links[0].get("href") == door_url(congress)
    assert "0 van 2 aanwezig" in links[0].text


# --- The event's admin page -------------------------------------------------------------------


@pytest.mark.django_db
def test_event_change_page_links_to_its_registrations_with_counts_and_to_the_door(
    editor_client, congress, door_user
):
    services.check_in(registration=person(congress, "Jan Jansen"), by=door_user)

    document = parse(editor_client.get(f"{ADMIN}events/event/{congress.pk}/change/"))

    counts = document.find("p", class_="ikpob-registration-counts")
    assert counts.text == (
        "Aanmeldingen: 2 bevestigd, 1 op de wachtlijst, 1 geannuleerd, 1 aanwezig"
    )
    base = f"{ADMIN}events/registration/?event__id__exact={congress.pk}"
    assert [link.get("href") for link in counts.iter("a")] == [
        base,
        f"{base}&status__exact=confirmed",
        f"{base}&status__exact=waiting",
        f"{base}&status__exact=cancelled",
        f"{base}&checked_in_at__isempty=0",
    ]
    door = document.find("a", href=door_url(congress))
    assert door.text == "Aanwezig melden bij de ingang"


@pytest.mark.django_db
def test_registration_counts_links_filter_the_list_as_they_say(editor_client, congress):
    response = editor_client.get(
        f"{ADMIN}events/registration/",
        {"event__id__exact": congress.pk, "status__exact": "waiting"},
    )

    names = [cell.text for cell in parse(response).iter("th", class_="field-name")]
    assert names == ["Jan Wachter"]


@pytest.mark.django_db
def test_event_list_links_to_the_door_page_of_coming_events(editor_client, congress):
    document = parse(editor_client.get(f"{ADMIN}events/event/"))

    tools = document.find("ul", class_="object-tools")
    link = tools.find("a", href=f"{ADMIN}events/event/aanwezigheid/")
    assert link.text == "Aanmelden bij de ingang"


# --- The code for the registrant --------------------------------------------------------------


@pytest.mark.django_db
def test_personal_page_shows_the_code_and_its_qr_code(client, congress):
    jan = person(congress, "Jan Jansen")

    document = parse(client.get(jan.get_absolute_url()))

    section = document.find("section", aria_labelledby="checkin-heading")
    assert section.find(class_="ikpob-checkin-code").text == "K7M4PQ"
    svg = section.find("svg")
    assert svg.get("role") == "img"
    assert svg.find("title").text == "QR-code van uw aanmeldcode"
    assert svg.find("path") is not None
    assert jan.token not in str(svg.attrs)


@pytest.mark.django_db
def test_personal_page_shows_no_code_on_the_waiting_list(client, congress):
    waiting = person(congress, "Jan Wachter")

    document = parse(client.get(waiting.get_absolute_url()))

    assert document.find("section", aria_labelledby="checkin-heading") is None
    assert document.find("svg", class_="ikpob-qr") is None
