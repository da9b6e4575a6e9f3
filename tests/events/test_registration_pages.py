"""The registration journey without rough edges (issue 14): what each page and mail says.

One time notation, the form that comes back to the summary, session rounds that say their
time and places, texts that fit the registration's state, cancelling that asks first and
offers the way back, the kind request to send a form again, full breadcrumbs, and the next
flagship event on the home page.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from events import services
from events.models import Event, Registration
from ikpob_portal.kernel import moments
from tests.factories import make_event, make_registration, make_session
from tests.html import (
    Link,
    breadcrumb,
    control,
    description_list,
    error_summary,
    find_link,
    links,
    main,
    notices,
    page_heading,
    parse,
    section,
    section_headings,
    text,
)

DAY = timedelta(days=1)
CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


@pytest.fixture(autouse=True)
def _empty_rate_limit():
    cache.clear()
    yield
    cache.clear()


def at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + days * DAY
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def register_url(event: Event) -> str:
    return f"/evenementen/{event.slug}/aanmelden/"


def cancel_url(registration: Registration) -> str:
    return f"{registration.get_absolute_url()}annuleren/"


def form_data(**overrides) -> dict:
    data = {
        "name": "Anna Jansen",
        "email": "anna@utrecht.nl",
        "organisation": "Gemeente Utrecht",
        "job_title": "",
        "needs": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def congress(**overrides) -> Event:
    overrides.setdefault("starts_at", at(20, 9, 30))
    overrides.setdefault("ends_at", at(20, 17))
    return make_event("Tussen Participatie en Populisme", **overrides)


# --- One time notation ------------------------------------------------------------------------


def test_moments_are_written_dutch_style_in_dutch_and_english_style_in_english():
    amsterdam = ZoneInfo("Europe/Amsterdam")
    starts = datetime(2026, 11, 20, 9, 30, tzinfo=amsterdam)
    ends = datetime(2026, 11, 20, 17, 0, tzinfo=amsterdam)
    next_day = datetime(2026, 11, 21, 13, 0, tzinfo=amsterdam)
    midnight = datetime(2026, 11, 20, tzinfo=amsterdam)

    with translation.override("nl"):
        assert moments.clock(starts) == "9.30 uur"
        assert moments.clock_range(starts, ends) == "9.30–17.00 uur"
        assert moments.moment(starts) == "vrijdag 20 november 2026, 9.30 uur"
        assert moments.period(starts, ends) == "vrijdag 20 november 2026, 9.30–17.00 uur"
        assert moments.period(starts, next_day) == (
            "vrijdag 20 november 2026, 9.30 uur – zaterdag 21 november 2026, 13.00 uur"
        )
        # The same start and end: no time is known, the day only.
        assert moments.period(midnight, midnight) == "vrijdag 20 november 2026"
    with translation.override("en"):
        assert moments.clock(starts) == "9:30 a.m."
        assert moments.period(starts, ends) == (
            "Friday 20 November 2026, 9:30 a.m.–5:00 p.m. (Amsterdam time)"
        )


@pytest.mark.django_db
def test_event_card_page_form_and_personal_page_write_the_time_the_same_way(client):
    event = congress(capacity=10)
    registration = make_registration(event)
    expected = moments.period(event.starts_at, event.ends_at)
    assert expected.endswith(", 9.30–17.00 uur")

    card = text(client.get("/evenementen/"))
    detail = description_list(client.get(event.get_absolute_url()))["Wanneer"].text
    form = description_list(client.get(register_url(event)))["Wanneer"].text
    personal = description_list(client.get(registration.get_absolute_url()))["Wanneer"].text

    assert expected in card
    assert detail == form == personal == expected


# --- The form ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_form_posts_to_its_own_path_so_a_summary_links_fragment_stays_behind(client):
    event = congress()

    page = parse(client.post(register_url(event), form_data(name="", email="")))

    assert main(page).find("form", method="post").get("action") == register_url(event)
    summary = error_summary(page)
    assert summary.title == "Er ging iets mis. Controleer:"
    assert [link.href for link in summary.errors] == ["#id_name", "#id_email"]


@pytest.mark.django_db
def test_session_rounds_say_their_time_and_the_places_left(client):
    event = congress(capacity=100)
    # Round 1: both sessions at the same time, so the round's legend says it.
    full = make_session(event, "Loslaten of sturen", slot=1, capacity=1)
    make_session(event, "Ambtenaar 3.0", slot=1, capacity=40)
    for session in event.sessions.filter(slot=1):
        session.starts_at, session.ends_at = at(20, 10, 30), at(20, 12)
        session.save()
    make_registration(event, sessions=[full])
    # Round 2: each session its own time; one without a limit.
    make_session(
        event, "Botsende rationaliteiten", slot=2, starts_at=at(20, 13), ends_at=at(20, 14)
    )
    make_session(event, "Toezicht", slot=2, starts_at=at(20, 14), ends_at=at(20, 15), capacity=12)

    form = main(client.get(register_url(event))).find("form", method="post")

    sessions = form.find("fieldset", class_="ikpob-sessions")
    assert sessions.find("legend").text == "Sessies"
    first, second = sessions.iter("fieldset", class_="ikpob-sessions__round")
    assert first.find("legend").text == "Sessie in ronde 1, 10.30–12.00 uur"
    about = {
        label.text: (label.parent.find("p").text if label.parent.find("p") is not None else "")
        for label in first.iter("label")
    }
    assert about == {
        "Geen sessie in deze ronde": "",
        "Ambtenaar 3.0": "Nog 40 plaatsen",
        "Loslaten of sturen": "Vol: met deze keuze komt u op de wachtlijst",
    }
    assert second.find("legend").text == "Sessie in ronde 2"
    second_about = [p.text for p in second.iter("p")]
    assert second_about == ["13.00–14.00 uur", "14.00–15.00 uur · Nog 12 plaatsen"]
    # Each option's description is read with it.
    radio = form.find("input", value=str(full.pk))
    assert form.find(id=radio.get("aria-describedby")).text.startswith("Vol")


@pytest.mark.django_db
def test_form_sent_too_soon_asks_kindly_to_send_again_and_keeps_the_input(client, settings):
    settings.FORM_MIN_FILL_SECONDS = 3600
    event = congress()

    response = client.post(register_url(event), form_data())

    page = parse(response)
    summary = main(page).find(role="alert")
    assert summary.find("h2").text == "Nog één keer versturen, alstublieft"
    assert "Er ging iets mis" not in summary.text
    assert "Wat u invulde, staat er nog." in summary.text
    assert control(page, "name").get("value") == "Anna Jansen"
    assert control(page, "consent").get("checked") is not None
    assert not Registration.objects.exists()


# --- Breadcrumbs ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_breadcrumbs_name_every_level_of_the_registration_journey(client):
    event = congress()
    registration = make_registration(event)
    levels = [
        Link("Evenementen", "/evenementen/"),
        Link("Tussen Participatie en Populisme", event.get_absolute_url()),
    ]

    form = parse(client.get(register_url(event)))
    personal = parse(client.get(registration.get_absolute_url()))
    question = parse(client.get(cancel_url(registration)))

    # After the home page's link: every level, the page itself last (not a link).
    assert breadcrumb(form)[1:] == levels
    assert breadcrumb(personal)[1:] == levels
    assert breadcrumb(question)[1:] == [
        *levels,
        Link("Uw aanmelding", registration.get_absolute_url()),
    ]
    current = form.find("span", aria_current="page")
    assert current.text == "Aanmelden"


@pytest.mark.django_db
def test_form_and_personal_page_link_no_destination_twice_below_the_header(client):
    """The breadcrumb already leads to the event: the form has no second "back" link."""
    event = congress(capacity=10)
    make_session(event, "Workshop", slot=1)
    registration = make_registration(event)

    for url in (register_url(event), registration.get_absolute_url()):
        page = parse(client.get(url))
        trail = page.find("nav", class_="ikpob-breadcrumb")
        hrefs = [link.href for link in links(trail) + links(main(page))]
        assert len(hrefs) == len(set(hrefs)), (url, hrefs)


# --- The personal page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_confirmation_page_names_the_address_when_where_and_the_link_to_keep(client):
    event = congress(capacity=10)
    response = client.post(register_url(event), form_data(), follow=True)
    registration = Registration.objects.get()

    page = parse(response)

    assert notices(page) == [
        "Gelukt: u bent aangemeld. Uw plaats is bevestigd. We sturen de bevestiging met de "
        "afspraak voor uw agenda naar anna@utrecht.nl."
    ]
    facts = description_list(page)
    assert facts["Wanneer"].text == moments.period(event.starts_at, event.ends_at)
    assert facts["Waar"].text == "Stadhuis Utrecht, Stadhuisbrug 1, Utrecht"
    assert facts["E-mailadres"].text == "anna@utrecht.nl"
    keep = section(page, "Bewaar deze link")
    assert f"http://testserver{registration.get_absolute_url()}" in keep.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("where", "said"),
    [
        ({"venue_name": "", "venue_address": "", "online": True}, "Online"),
        (
            {"online": True, "online_url": "https://example.org/live"},
            "Stadhuis Utrecht, Stadhuisbrug 1, Utrecht en online",
        ),
    ],
    ids=["online", "hybrid"],
)
def test_personal_page_says_online_when_it_is(client, where, said):
    registration = make_registration(congress(**where))

    facts = description_list(client.get(registration.get_absolute_url()))

    assert facts["Waar"].text == said


@pytest.mark.django_db
def test_waiting_registrant_is_not_told_to_free_a_place_for_the_waiting_list(client):
    event = congress(capacity=1)
    make_registration(event)
    waiting = make_registration(event, status=WAITING, email="wacht@example.org")

    page = parse(client.get(waiting.get_absolute_url()))

    assert notices(page) == [
        "U staat op de wachtlijst, op plaats 1. Komt er een plaats vrij, dan krijgt u vanzelf "
        "een e-mail op wacht@example.org."
    ]
    assert "wachtlijst uw plaats" not in text(page)
    cancel = section(page, "Wilt u niet meer op de wachtlijst staan?")
    assert Link("Aanmelding annuleren", cancel_url(waiting)) in links(cancel)
    assert "Kunt u niet?" not in section_headings(page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("capacity", "said"),
    [
        (1, "Annuleer dan uw aanmelding, zodat iemand anders uw plaats kan krijgen."),
        (None, "Annuleer dan uw aanmelding, dan weten de organisatoren waar ze op kunnen rekenen."),
    ],
)
def test_confirmed_registrant_is_told_why_cancelling_helps(client, capacity, said):
    registration = make_registration(congress(capacity=capacity))

    cancel = section(client.get(registration.get_absolute_url()), "Kunt u niet?")

    assert said in cancel.text


# --- Cancelling asks first, and offers the way back -------------------------------------------


@pytest.mark.django_db
def test_cancel_page_asks_first_and_changes_nothing(client):
    event = congress(capacity=1)
    registration = make_registration(event)
    make_registration(event, status=WAITING)

    response = client.get(cancel_url(registration))

    page = parse(response)
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert page_heading(page) == "Aanmelding annuleren?"
    assert "Weet u zeker dat u uw aanmelding voor dit evenement wilt annuleren?" in text(page)
    assert description_list(page)["Evenement"].text == "Tussen Participatie en Populisme"
    assert "Uw plaats gaat dan naar de eerste op de wachtlijst." in text(page)
    form = main(page).find("form", method="post")
    assert form.get("action") == cancel_url(registration)
    assert form.find("button", type="submit").text == "Ja, annuleer mijn aanmelding"
    assert find_link(form, text="Nee, terug naar mijn aanmelding").get("href") == (
        registration.get_absolute_url()
    )
    registration.refresh_from_db()
    assert registration.status == CONFIRMED


@pytest.mark.django_db
def test_cancel_page_of_someone_waiting_names_their_place_in_line(client):
    event = congress(capacity=1)
    make_registration(event)
    make_registration(event, status=WAITING)
    second = make_registration(event, status=WAITING)

    said = text(client.get(cancel_url(second)))

    assert "U staat nu op plaats 2 van de wachtlijst." in said
    assert "eerste op de wachtlijst" not in said


@pytest.mark.django_db
def test_after_cancelling_registering_again_is_offered_while_places_are_left(client):
    registration = make_registration(congress(capacity=2))

    response = client.post(cancel_url(registration), follow=True)

    page = parse(response)
    assert notices(page)[:2] == [
        "Uw aanmelding is geannuleerd. U krijgt een bevestiging per e-mail.",
        "Deze aanmelding is geannuleerd.",
    ]
    again = section(page, "Kunt u toch?")
    assert "Er is nog plaats." in again.text
    assert links(again) == [Link("Opnieuw aanmelden", register_url(registration.event))]


@pytest.mark.django_db
def test_after_cancelling_a_full_event_offers_the_waiting_list(client):
    event = congress(capacity=1)
    registration = make_registration(event)
    make_registration(event, status=WAITING)

    page = parse(client.post(cancel_url(registration), follow=True))

    # The freed place went to the one waiting: the event is full again.
    again = section(page, "Kunt u toch?")
    assert links(again) == [Link("Opnieuw aanmelden voor de wachtlijst", register_url(event))]


@pytest.mark.django_db
def test_after_cancelling_when_registration_has_closed_no_way_back_is_offered(client):
    registration = make_registration(congress(registration_closes_at=timezone.now() + DAY))
    client.post(cancel_url(registration))
    Event.objects.update(registration_closes_at=timezone.now() - DAY)

    page = parse(client.get(registration.get_absolute_url()))

    assert "Kunt u toch?" not in section_headings(page)


@pytest.mark.django_db
def test_after_cancelling_an_event_taken_offline_no_way_back_is_offered(client):
    registration = make_registration(congress(capacity=5))
    client.post(cancel_url(registration))
    Event.objects.update(status=Event.Status.DRAFT)

    page = parse(client.get(registration.get_absolute_url()))

    assert "Deze aanmelding is geannuleerd." in notices(page)
    assert "Kunt u toch?" not in section_headings(page)


@pytest.mark.django_db
def test_cancel_page_of_a_cancelled_registration_leads_back_to_it(client):
    registration = make_registration(congress(), status=CANCELLED)

    response = client.get(cancel_url(registration))

    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()


@pytest.mark.django_db
def test_the_personal_page_itself_no_longer_cancels_on_post(client):
    registration = make_registration(congress())

    assert client.post(registration.get_absolute_url()).status_code == 405
    registration.refresh_from_db()
    assert registration.status == CONFIRMED


# --- Mail -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_confirmation_mail_names_the_address_when_where_and_the_link_to_keep(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = congress(capacity=10)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(
            event=event,
            data={
                "name": "Anna Jansen",
                "email": "anna@utrecht.nl",
                "organisation": "Gemeente Utrecht",
                "job_title": "",
                "needs": "",
            },
        )

    [message] = mailoutbox
    with translation.override("nl"):
        when = moments.period(event.starts_at, event.ends_at)
    assert when.endswith("9.30–17.00 uur")
    for body in (message.body, parse(message.alternatives[0].content).text):
        assert when in body
        assert "Stadhuis Utrecht, Stadhuisbrug 1, Utrecht" in body
        assert "Bewaar deze link." in body
        assert "Deze e-mail is gestuurd naar anna@utrecht.nl." in body
    assert registration.get_absolute_url() in message.body


@pytest.mark.django_db
def test_cancellation_mail_offers_to_register_again_while_possible(
    mailoutbox, django_capture_on_commit_callbacks
):
    registration = make_registration(congress(capacity=5))

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(token=registration.token)

    [message] = mailoutbox
    assert "Kunt u toch?" in message.body
    assert register_url(registration.event) in message.body
    assert "Bewaar deze link" not in message.body  # nothing left to view or cancel


# --- The flagship event on the home page ------------------------------------------------------


@pytest.mark.django_db
def test_home_page_shows_the_next_featured_event_with_date_place_and_registration(client):
    make_event("Uitgelicht maar voorbij", featured=True, starts_at=at(-10, 10))
    make_event("Uitgelicht concept", featured=True, status=Event.Status.DRAFT)
    make_event("Gewone bijeenkomst", starts_at=at(3, 10))
    later = make_event("Later congres", featured=True, starts_at=at(60, 10))
    event = congress(featured=True)

    page = parse(client.get("/"))

    assert Event.objects.next_featured() == event
    block = section(page, "Tussen Participatie en Populisme")
    assert find_link(block, text="Tussen Participatie en Populisme").get("href") == (
        event.get_absolute_url()
    )
    facts = description_list(block)
    assert facts["Wanneer"].text == moments.period(event.starts_at, event.ends_at)
    assert facts["Waar"].text == "Stadhuis Utrecht, Stadhuisbrug 1, Utrecht"
    assert find_link(block, text="Aanmelden: Tussen Participatie en Populisme").get(
        "href"
    ) == register_url(event)
    # The agenda below does not link the flagship a second time.
    agenda = section(page, "Agenda")
    assert event.get_absolute_url() not in [link.href for link in links(agenda)]
    assert later.get_absolute_url() in [link.href for link in links(agenda)]


@pytest.mark.django_db
def test_home_page_without_a_featured_event_has_no_flagship_block(client):
    make_event("Gewone bijeenkomst", starts_at=at(3, 10))

    page = parse(client.get("/"))

    assert Event.objects.next_featured() is None
    assert page.find(id="home-featured") is None


@pytest.mark.django_db
def test_editor_marks_an_event_featured_and_filters_on_it_in_the_admin(editor_client):
    featured = congress(featured=True)
    make_event("Gewone bijeenkomst")
    events = f"/{settings.ADMIN_URL}events/event/"

    listed = text(editor_client.get(f"{events}?featured__exact=1"))
    form = parse(editor_client.get(f"{events}{featured.pk}/change/"))

    assert "Tussen Participatie en Populisme" in listed
    assert "Gewone bijeenkomst" not in listed
    assert form.find(id="id_featured").get("checked") is not None
