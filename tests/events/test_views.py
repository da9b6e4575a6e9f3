import csv
import io
from datetime import datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format

from events.models import Event, Registration
from tests.factories import (
    make_event,
    make_learning_circle,
    make_organisation,
    make_person,
    make_publication,
    make_registration,
    make_session,
    make_theme,
)
from tests.html import (
    Link,
    card_titles,
    cards,
    control,
    count_queries,
    description_list,
    element_by_id,
    error_summary,
    find_link,
    header_lines,
    label_of,
    links,
    main,
    notices,
    page_heading,
    parse,
    results_heading,
    section,
    section_headings,
    table_rows,
    text,
)

EVENTS = "/evenementen/"
ARCHIVE = "/evenementen/archief/"
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED
LABELS = {
    "name": "Naam",
    "email": "E-mailadres",
    "organisation": "Organisatie",
    "job_title": "Functie (niet verplicht)",
    "needs": "Wensen voor toegankelijkheid of eten (niet verplicht)",
    "consent": "Ik ga akkoord met het bewaren van mijn gegevens voor deze aanmelding",
}
REQUIRED_MESSAGES = {
    "name": "Vul uw naam in.",
    "email": "Vul uw e-mailadres in.",
    "organisation": "Vul de naam van uw organisatie in.",
    "consent": "Zonder uw toestemming kunnen we u niet aanmelden.",
}


@pytest.fixture(autouse=True)
def _empty_rate_limit():
    """The rate limit lives in the (local memory) cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


def register_url(event: Event) -> str:
    return f"/evenementen/{event.slug}/aanmelden/"


def form_data(**overrides) -> dict:
    data = {
        "name": "Anna Jansen",
        "email": "anna@utrecht.nl",
        "organisation": "Gemeente Utrecht",
        "job_title": "beleidsadviseur",
        "needs": "",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def in_days(days: float):
    return timezone.now() + DAY * days


def local(moment, format_string: str) -> str:
    return date_format(timezone.localtime(moment), format_string)


# --- Lists ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_published_upcoming_events_soonest_first(client):
    make_event("Volgende maand", starts_at=in_days(30))
    make_event("Morgen", starts_at=in_days(1))
    make_event("Nu bezig", starts_at=in_days(-0.1), ends_at=in_days(0.1))
    make_event("Vorige week", starts_at=in_days(-7))
    make_event("Concept", status=Event.Status.DRAFT)
    make_event("Ingepland", published_at=in_days(1))

    page = parse(client.get(EVENTS))

    assert card_titles(page) == ["Nu bezig", "Morgen", "Volgende maand"]
    assert results_heading(page) == "3 evenementen gevonden"
    assert find_link(page, text="Archief: evenementen die geweest zijn").get("href") == ARCHIVE
    assert find_link(page, text="Abonneer op de agenda (iCalendar)").get("href") == (
        "/evenementen/agenda.ics"
    )


@pytest.mark.django_db
def test_archive_shows_published_past_events_newest_first(client):
    make_event("Vorig jaar", starts_at=in_days(-365))
    make_event("Vorige week", starts_at=in_days(-7))
    make_event("Morgen", starts_at=in_days(1))
    make_event("Oud concept", starts_at=in_days(-30), status=Event.Status.DRAFT)

    page = parse(client.get(ARCHIVE))

    assert page_heading(page) == "Archief van evenementen"
    assert card_titles(page) == ["Vorige week", "Vorig jaar"]
    assert find_link(page, text="Komende evenementen").get("href") == EVENTS


@pytest.mark.django_db
def test_list_without_events_says_so(client):
    assert "Er staan op dit moment geen evenementen gepland." in text(client.get(EVENTS))
    assert "Er zijn nog geen evenementen geweest." in text(client.get(ARCHIVE))


@pytest.mark.django_db
def test_event_card_shows_date_kind_place_and_places_left(client):
    event = make_event(
        "Tussen Participatie en Populisme", kind=Event.Kind.CONGRESS, capacity=12, online_url=""
    )
    make_registration(event)
    make_registration(event, status=CANCELLED)
    make_event("Webinar", kind=Event.Kind.WEBINAR, venue_name="", online_url="https://x.nl/w")

    congress, webinar = sorted(cards(client.get(EVENTS)), key=lambda card: card.title)

    assert congress.href == "/evenementen/tussen-participatie-en-populisme/"
    assert congress.lines[:2] == [
        f"{local(event.starts_at, 'l j F Y')}, 10.00–16.00 uur · Congres",
        event.venue_name,
    ]
    assert "Nog 11 plaatsen" in congress.lines
    assert webinar.lines[1] == "Online"
    assert "Aanmelden is open" in webinar.lines


# --- Detail -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_shows_date_place_organisers_programme_speakers_and_sessions(client):
    utrecht = make_organisation("Gemeente Utrecht")
    hidden = make_organisation("Verborgen", status=Event.Status.DRAFT)
    speaker = make_person("Martijn", "Steen", particle="van der", title="hoogleraar")
    draft_speaker = make_person("Carla", "Concept", status=Event.Status.DRAFT)
    circle = make_learning_circle("Toezicht in de praktijk")
    event = make_event(
        "Tussen Participatie en Populisme",
        kind=Event.Kind.CONGRESS,
        organisers=[utrecht, hidden],
        speakers=[speaker, draft_speaker],
        programme="## Ochtend\n\n- Opening",
        learning_circle=circle,
        themes=[make_theme("Vakmanschap")],
    )
    make_session(event, "Workshop toezicht", slot=1, capacity=10, description="Over inspecties.")
    make_session(event, "Workshop ethiek", slot=2)
    event.publications.add(make_publication("Essay over populisme"))

    page = parse(client.get(event.get_absolute_url()))

    assert page_heading(page) == "Tussen Participatie en Populisme"
    assert header_lines(page) == ["Congres"]
    facts = description_list(page)
    start = timezone.localtime(event.starts_at)
    assert facts["Wanneer"].text == f"{local(start, 'l j F Y')}, 10.00–16.00 uur"
    assert facts["Waar"].text == "Stadhuis Utrecht, Stadhuisbrug 1, Utrecht"
    assert facts["Organisatie"].links == [Link("Gemeente Utrecht", "/netwerk/gemeente-utrecht/")]
    assert facts["Leerkring"].links == [
        Link("Toezicht in de praktijk", "/leerkringen/toezicht-in-de-praktijk/")
    ]
    assert facts["Thema's"].links == [Link("Vakmanschap", "/themas/vakmanschap/")]
    assert section_headings(page) == [
        "Aanmelden",
        "Programma",
        "Sessies",
        "Sprekers",
        "Publicaties",
    ]
    assert "Opening" in section(page, "Programma").text
    assert card_titles(section(page, "Publicaties")) == ["Essay over populisme"]
    assert links(section(page, "Sprekers")) == [
        Link("Martijn van der Steen", "/netwerk/personen/martijn-van-der-steen/")
    ]
    sessions = section(page, "Sessies").text
    assert "Workshop toezicht Ronde 1 Over inspecties. Nog 10 plaatsen" in sessions
    assert "Workshop ethiek Ronde 2" in sessions


@pytest.mark.django_db
def test_detail_of_a_multi_day_event_shows_both_dates(client):
    start = in_days(10)
    event = make_event("Tweedaags congres", starts_at=start, ends_at=start + DAY)

    facts = description_list(client.get(event.get_absolute_url()))

    assert facts["Wanneer"].text == (
        f"{local(start, 'l j F Y, G.i')} uur – {local(start + DAY, 'l j F Y, G.i')} uur"
    )


@pytest.mark.django_db
def test_detail_of_an_online_event_says_the_link_comes_with_the_confirmation(client):
    event = make_event(venue_name="", venue_address="", online_url="https://x.nl/webinar")

    page = parse(client.get(event.get_absolute_url()))

    assert description_list(page)["Waar"].text == "Online; de link staat in uw bevestiging."
    assert "https://x.nl/webinar" not in page.text  # only registrants get the link


@pytest.mark.django_db
def test_detail_after_the_event_shows_the_recording_and_materials(client):
    event = make_event(
        "Slotconferentie",
        starts_at=in_days(-30),
        recording_url="https://example.org/opname",
        materials="Presentatie van **Anna**.",
    )

    page = parse(client.get(event.get_absolute_url()))

    assert header_lines(page) == ["Bijeenkomst · geweest"]
    afterwards = section(page, "Terugkijken en nalezen")
    assert Link("Bekijk de opname: Slotconferentie", "https://example.org/opname") in links(
        afterwards
    )
    assert "Presentatie van Anna." in afterwards.text
    assert "Zet in mijn agenda (.ics)" not in page.text


@pytest.mark.django_db
def test_detail_before_the_event_hides_the_recording_and_materials(client):
    event = make_event(recording_url="https://example.org/opname", materials="Dia's")

    page = parse(client.get(event.get_absolute_url()))

    assert "Terugkijken en nalezen" not in section_headings(page)
    assert find_link(page, text="Zet in mijn agenda (.ics)").get("href") == (
        f"/evenementen/{event.slug}/agenda.ics"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("moment", ["draft", "scheduled"])
def test_unpublished_event_is_404_for_visitors_everywhere(client, moment):
    if moment == "draft":
        event = make_event("Geheim", status=Event.Status.DRAFT)
    else:
        event = make_event("Geheim", published_at=in_days(1))

    for url in (
        event.get_absolute_url(),
        register_url(event),
        f"/evenementen/{event.slug}/agenda.ics",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(register_url(event), form_data()).status_code == 404
    assert "Geheim" not in text(client.get(EVENTS))


@pytest.mark.django_db
def test_editor_previews_a_draft_event_with_a_concept_notice(editor_client):
    event = make_event("Concept-congres", status=Event.Status.DRAFT)

    page = parse(editor_client.get(event.get_absolute_url()))

    assert page_heading(page) == "Concept-congres"
    assert notices(page)[0] == ("Concept — niet openbaar. Alleen redacteuren zien deze pagina.")


@pytest.mark.django_db
def test_published_event_shows_no_concept_notice_to_an_editor(editor_client):
    event = make_event()

    page = parse(editor_client.get(event.get_absolute_url()))

    assert not any(notice.startswith("Concept") for notice in notices(page))


# --- Registration state, on the detail page and the registration page -------------------------


def event_in_state(state: str) -> Event:
    title = "Tussen Participatie en Populisme"
    if state == "open":
        return make_event(title, capacity=12)
    if state == "open-one-left":
        event = make_event(title, capacity=2)
        make_registration(event)
        return event
    if state == "open-unlimited":
        return make_event(title)
    if state == "full":
        event = make_event(title, capacity=1)
        make_registration(event)
        return event
    if state == "not-yet-open":
        opens = timezone.localtime(in_days(3)).replace(hour=9, minute=30, second=0, microsecond=0)
        return make_event(title, capacity=12, registration_opens_at=opens)
    if state == "closed":
        return make_event(title, registration_closes_at=in_days(-1))
    if state == "past":
        return make_event(title, starts_at=in_days(-3))
    if state == "not-required":
        return make_event(title, registration_required=False)
    raise AssertionError(state)


def opens_text(event: Event, format_string: str) -> str:
    return local(event.registration_opens_at, format_string)


# The site's one notation for a moment (ikpob_portal/kernel/moments.py), as a date format.
MOMENT = "l j F Y, G.i \\u\\u\\r"


DETAIL_STATE_CASES = {
    "open": ["Nog 12 plaatsen", "Aanmelden: Tussen Participatie en Populisme"],
    "open-one-left": ["Nog 1 plaats", "Aanmelden: Tussen Participatie en Populisme"],
    "open-unlimited": ["Aanmelden is open", "Aanmelden: Tussen Participatie en Populisme"],
    "full": [
        "Vol — aanmelden voor de wachtlijst",
        "Zet mij op de wachtlijst: Tussen Participatie en Populisme",
    ],
    "not-yet-open": ["Aanmelden kan vanaf {opens}"],
    "closed": [
        "Aanmelden is gesloten",
        "Aanmelden kan niet meer. Vragen? Mail naar info@ikpob.nl.",
    ],
    "not-required": ["Aanmelden is niet nodig"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(DETAIL_STATE_CASES))
def test_detail_says_in_words_whether_and_how_to_register(client, state):
    event = event_in_state(state)

    region = section(client.get(event.get_absolute_url()), "Aanmelden")

    expected = [
        line.format(opens=opens_text(event, MOMENT)) if "{opens}" in line else line
        for line in DETAIL_STATE_CASES[state]
    ]
    said = [p.text for p in region.iter("p")]
    assert said[: len(expected)] == expected
    register_links = [link for link in links(region) if link.href == register_url(event)]
    assert bool(register_links) == (state.startswith("open") or state == "full")


@pytest.mark.django_db
def test_detail_of_a_past_event_says_registration_is_over(client):
    event = event_in_state("past")

    region = section(client.get(event.get_absolute_url()), "Aanmelden")

    said = " ".join(p.text for p in region.iter("p"))
    assert "voorbij" in said or "geweest" in said  # e.g. the state's label "Dit evenement is …"


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["open", "open-unlimited"])
def test_register_page_of_an_open_event_shows_the_form(client, state):
    event = event_in_state(state)

    page = parse(client.get(register_url(event)))

    assert page_heading(page) == "Aanmelden"
    assert notices(page) == []
    form = main(page).find("form", method="post")
    assert form.find("button", type="submit").text == "Aanmelden"


@pytest.mark.django_db
def test_register_page_of_a_full_event_offers_the_waiting_list(client):
    event = event_in_state("full")

    page = parse(client.get(register_url(event)))

    assert notices(page) == [
        "Dit evenement is vol. Meldt u zich aan, dan komt u op de wachtlijst. Komt er een plaats "
        "vrij, dan krijgt u vanzelf bericht."
    ]
    assert main(page).find("button", type="submit").text == "Zet mij op de wachtlijst"


REGISTER_CLOSED_CASES = {
    "not-yet-open": "Aanmelden voor Tussen Participatie en Populisme kan vanaf {opens}.",
    "closed": "Aanmelden voor Tussen Participatie en Populisme is gesloten.",
    "past": "Tussen Participatie en Populisme is al geweest.",
    "not-required": "Voor Tussen Participatie en Populisme hoeft u zich niet aan te melden: u bent "
    "welkom.",
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(REGISTER_CLOSED_CASES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_register_page_without_registration_explains_why_and_has_no_form(client, state, method):
    event = event_in_state(state)

    page = parse(getattr(client, method)(register_url(event), form_data()))

    assert page_heading(page) == "Aanmelden is niet mogelijk"
    assert notices(page) == [
        REGISTER_CLOSED_CASES[state].format(opens=opens_text(event, MOMENT))
        if state == "not-yet-open"
        else REGISTER_CLOSED_CASES[state]
    ]
    assert main(page).find("form") is None
    assert find_link(page, text="Terug naar het evenement").get("href") == event.get_absolute_url()
    assert not event.registrations.filter(email="anna@utrecht.nl").exists()


# --- The registration form --------------------------------------------------------------------


@pytest.mark.django_db
def test_register_form_shows_every_field_with_its_label(client):
    event = make_event()

    form = main(client.get(register_url(event))).find("form", method="post")

    for field, label in LABELS.items():
        assert control(form, field).get("id") == f"id_{field}"
        assert label_of(form, field) == label
    assert control(form, "email").get("autocomplete") == "email"
    assert Link("privacyverklaring", "/privacy/") in links(form)
    assert (
        "Wordt na afloop van het evenement verwijderd." in element_by_id(form, "id_needs-help").text
    )


@pytest.mark.django_db
def test_register_form_offers_one_choice_per_round(client):
    event = make_event()
    toezicht = make_session(event, "Workshop toezicht", slot=1)
    ethiek = make_session(event, "Workshop ethiek", slot=1)
    middag = make_session(event, "Middagsessie", slot=2)

    form = main(client.get(register_url(event))).find("form", method="post")

    legends = [fieldset.find("legend").text for fieldset in form.iter("fieldset")]
    assert legends == ["Sessies", "Sessie in ronde 1", "Sessie in ronde 2"]
    first_round = form.find("fieldset", id="id_ronde_1")
    assert [radio.get("value") for radio in first_round.iter("input", type="radio")] == [
        "",
        str(ethiek.pk),
        str(toezicht.pk),
    ]
    assert [label.text for label in first_round.iter("label")] == [
        "Geen sessie in deze ronde",
        "Workshop ethiek",
        "Workshop toezicht",
    ]
    assert {radio.get("name") for radio in first_round.iter("input")} == {"ronde_1"}
    assert [label.text for label in form.find("fieldset", id="id_ronde_2").iter("label")] == [
        "Geen sessie in deze ronde",
        middag.title,
    ]


@pytest.mark.django_db
def test_valid_registration_is_confirmed_and_shows_the_personal_page(client):
    event = make_event("Congres", capacity=10)
    workshop = make_session(event, "Workshop toezicht")

    response = client.post(register_url(event), form_data(ronde_1=str(workshop.pk)))

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/aanmelding/{registration.token}/?nieuw=1"
    assert registration.status == CONFIRMED
    assert registration.email == "anna@utrecht.nl"
    assert list(registration.sessions.all()) == [workshop]
    page = parse(client.get(response["Location"]))
    assert page_heading(page) == "Uw aanmelding"
    assert notices(page) == [
        "Gelukt: u bent aangemeld. Uw plaats is bevestigd. We sturen de bevestiging met de "
        "afspraak voor uw agenda naar anna@utrecht.nl."
    ]
    facts = description_list(page)
    assert facts["Evenement"].text == "Congres"
    assert facts["Naam"].text == "Anna Jansen"
    assert facts["Sessies"].text == "ronde 1: Workshop toezicht"


@pytest.mark.django_db
def test_registration_for_a_full_event_goes_on_the_waiting_list_with_its_position(client):
    event = make_event(capacity=1)
    make_registration(event)
    make_registration(event, status=WAITING)

    response = client.post(register_url(event), form_data(), follow=True)

    assert Registration.objects.get(email="anna@utrecht.nl").status == WAITING
    assert notices(response) == [
        "U staat op de wachtlijst, op plaats 2. Komt er een plaats vrij, dan krijgt u vanzelf "
        "een e-mail op anna@utrecht.nl. Dat u op de wachtlijst staat, bevestigen we ook per "
        "e-mail."
    ]


@pytest.mark.django_db
def test_empty_submission_shows_a_dutch_error_for_every_required_field(client):
    event = make_event()

    response = client.post(register_url(event), {})

    summary = error_summary(response)
    assert summary.title == "Er ging iets mis. Controleer:"
    assert summary.errors == [
        Link(f"{LABELS[field]}: {message}", f"#id_{field}")
        for field, message in REQUIRED_MESSAGES.items()
    ]
    assert not Registration.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", list(REQUIRED_MESSAGES))
def test_field_error_is_linked_to_its_input(client, field):
    event = make_event()

    page = parse(client.post(register_url(event), form_data(**{field: None})))

    widget = element_by_id(page, f"id_{field}")
    assert widget.get("aria-invalid") == "true"
    described_by = widget.get("aria-describedby").split()
    assert f"id_{field}-error1" in described_by
    assert element_by_id(page, f"id_{field}-error1").text == REQUIRED_MESSAGES[field]
    assert all(element_by_id(page, target) is not None for target in described_by)
    assert find_link(page, href=f"#id_{field}")


@pytest.mark.django_db
def test_invalid_submission_keeps_what_was_typed(client):
    event = make_event()
    workshop = make_session(event, "Workshop toezicht")

    page = parse(
        client.post(
            register_url(event),
            form_data(email="anna@", needs="Ringleiding, graag.", ronde_1=str(workshop.pk)),
        )
    )

    assert element_by_id(page, "id_email-error1").text == (
        "Vul een geldig e-mailadres in, zoals naam@organisatie.nl."
    )
    assert control(page, "name").get("value") == "Anna Jansen"
    assert control(page, "email").get("value") == "anna@"
    assert control(page, "organisation").get("value") == "Gemeente Utrecht"
    assert control(page, "job_title").get("value") == "beleidsadviseur"
    assert control(page, "needs").text == "Ringleiding, graag."
    assert control(page, "consent").get("checked") is not None
    chosen = [r.get("value") for r in main(page).iter("input", name="ronde_1", checked=True)]
    assert chosen == [str(workshop.pk)]
    assert control(page, "name").get("aria-invalid") is None
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_too_long_needs_are_refused_in_dutch(client):
    event = make_event()

    page = parse(client.post(register_url(event), form_data(needs="x" * 1001)))

    assert element_by_id(page, "id_needs-error1").text == "Gebruik hoogstens 1000 tekens."
    assert not Registration.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["anna@utrecht.nl", "Anna@Utrecht.NL", " ANNA@utrecht.nl "])
def test_same_email_twice_is_refused_with_a_message_at_the_email_field(client, email):
    event = make_event()
    make_registration(event, email="anna@utrecht.nl")

    page = parse(client.post(register_url(event), form_data(email=email)))

    assert element_by_id(page, "id_email-error1").text == (
        "Met dit e-mailadres is al iemand aangemeld voor dit evenement. Kijk in uw e-mail voor "
        "de bevestiging met de link om uw aanmelding te bekijken."
    )
    assert find_link(page, href="#id_email")
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_session_of_another_event_is_refused(client):
    event = make_event("Congres")
    make_session(event, "Eigen workshop")
    foreign = make_session(make_event("Ander congres"), "Vreemde workshop")

    page = parse(client.post(register_url(event), form_data(ronde_1=str(foreign.pk))))

    assert find_link(page, href="#id_ronde_1")
    assert element_by_id(page, "id_ronde_1-error1") is not None
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_too_many_submissions_from_one_address_are_refused(client, settings):
    settings.REGISTRATION_RATE_LIMIT_PER_HOUR = 2
    event = make_event()
    client.post(register_url(event), form_data(email="een@utrecht.nl"))
    client.post(register_url(event), form_data(email="twee@utrecht.nl"))

    response = client.post(register_url(event), form_data(email="drie@utrecht.nl"))

    page = parse(response, status=429)
    assert error_summary(page).errors == []
    assert "U heeft het formulier te vaak verstuurd. Probeer het over een uur opnieuw." in (
        text(page)
    )
    assert Registration.objects.count() == 2


# --- The personal registration page and cancelling --------------------------------------------


def cancel_url(registration: Registration) -> str:
    """The page that asks whether to cancel; its button cancels."""
    return f"{registration.get_absolute_url()}annuleren/"


@pytest.mark.django_db
def test_personal_page_is_private(client):
    registration = make_registration(make_event())

    response = client.get(registration.get_absolute_url())

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "same-origin"  # the token never leaves the site


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_wrong_token_is_404(client, method):
    registration = make_registration(make_event())

    wrong = registration.token[:-1] + ("B" if registration.token.endswith("A") else "A")

    response = getattr(client, method)(f"/aanmelding/{wrong}/annuleren/")
    assert client.get(f"/aanmelding/{wrong}/").status_code == 404

    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == CONFIRMED


@pytest.mark.django_db
def test_get_never_cancels(client):
    registration = make_registration(make_event())

    page = parse(client.get(registration.get_absolute_url()))
    question = parse(client.get(cancel_url(registration)))

    registration.refresh_from_db()
    assert registration.status == CONFIRMED
    assert Link("Aanmelding annuleren", cancel_url(registration)) in links(
        section(page, "Kunt u niet?")
    )
    assert page_heading(question) == "Aanmelding annuleren?"
    assert main(question).find("button", type="submit").text == "Ja, annuleer mijn aanmelding"


@pytest.mark.django_db
def test_post_cancels_and_promotes_the_first_on_the_waiting_list(
    client, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    registration = make_registration(event)
    first = make_registration(event, status=WAITING)
    second = make_registration(event, status=WAITING)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(registration), follow=True)

    assert response.redirect_chain == [(registration.get_absolute_url(), 302)]
    assert notices(response) == [
        "Uw aanmelding is geannuleerd. U krijgt een bevestiging per e-mail.",
        "Deze aanmelding is geannuleerd.",
    ]
    assert "Kunt u niet?" not in section_headings(response)
    assert [Registration.objects.get(pk=r.pk).status for r in (registration, first, second)] == [
        CANCELLED,
        CONFIRMED,
        WAITING,
    ]


@pytest.mark.django_db
def test_waiting_registrant_may_cancel_too(client):
    event = make_event(capacity=1)
    make_registration(event)
    waiting = make_registration(event, status=WAITING)

    client.post(cancel_url(waiting))

    waiting.refresh_from_db()
    assert waiting.status == CANCELLED
    assert event.registrations.filter(status=CONFIRMED).count() == 1


@pytest.mark.django_db
def test_anonymised_registration_link_is_404(client):
    registration = make_registration(make_event(), anonymised_at=timezone.now())

    assert client.get(registration.get_absolute_url()).status_code == 404
    assert client.get(cancel_url(registration)).status_code == 404
    assert client.post(cancel_url(registration)).status_code == 404


@pytest.mark.django_db
def test_after_the_event_the_personal_page_offers_no_cancelling(client):
    registration = make_registration(make_event(starts_at=in_days(-2)))

    page = parse(client.get(registration.get_absolute_url()))
    client.post(cancel_url(registration))

    assert "Kunt u niet?" not in section_headings(page)
    registration.refresh_from_db()
    assert registration.status == CONFIRMED


@pytest.mark.django_db
def test_once_the_event_has_started_cancelling_is_no_longer_possible(client):
    event = make_event(capacity=1, starts_at=in_days(-0.05), ends_at=in_days(0.2))
    registration = make_registration(event)
    waiting = make_registration(event, status=WAITING)

    page = parse(client.get(registration.get_absolute_url()))
    response = client.post(cancel_url(registration), follow=True)

    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert "Kunt u niet?" not in section_headings(page)
    assert response.redirect_chain == [(registration.get_absolute_url(), 302)]
    assert notices(response) == [
        "Het evenement is al begonnen. Annuleren kan niet meer.",  # the service's refusal
        "Uw plaats is bevestigd. De bevestiging met de afspraak voor uw agenda ging naar "
        f"{registration.email}.",
    ]
    assert parse(response).find("div", role="alert").text == (
        "Het evenement is al begonnen. Annuleren kan niet meer."
    )
    assert (registration.status, waiting.status) == (CONFIRMED, WAITING)


# --- Other pages that show events -------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_agenda_shows_the_next_three_published_events(client):
    make_event("Over een maand", starts_at=in_days(30))
    make_event("Morgen", starts_at=in_days(1))
    make_event("Volgende week", starts_at=in_days(7))
    make_event("Over twee weken", starts_at=in_days(14))
    make_event("Gisteren", starts_at=in_days(-1))
    make_event("Concept", starts_at=in_days(2), status=Event.Status.DRAFT)

    agenda = section(client.get("/"), "Agenda")

    assert card_titles(agenda) == ["Morgen", "Volgende week", "Over twee weken"]
    assert find_link(agenda, text="Alle komende evenementen").get("href") == EVENTS


@pytest.mark.django_db
def test_home_page_agenda_without_events_says_so(client):
    make_event("Gisteren", starts_at=in_days(-1))

    agenda = section(client.get("/"), "Agenda")

    assert agenda.text == "Agenda Er staan op dit moment geen bijeenkomsten gepland."


@pytest.mark.django_db
def test_theme_page_includes_published_events_with_that_theme(client):
    toezicht = make_theme("Toezicht")
    make_event("Komend congres", themes=[toezicht])
    make_event("Oud congres", themes=[toezicht], starts_at=in_days(-100))
    make_event("Concept", themes=[toezicht], status=Event.Status.DRAFT)
    make_event("Ander thema", themes=[make_theme("Ethiek")])

    page = parse(client.get(toezicht.get_absolute_url()))

    assert section_headings(page) == ["Komende evenementen", "Eerdere evenementen"]
    assert card_titles(section(page, "Komende evenementen")) == ["Komend congres"]
    assert card_titles(section(page, "Eerdere evenementen")) == ["Oud congres"]


@pytest.mark.django_db
def test_organisation_page_lists_the_published_events_it_organises(client):
    utrecht = make_organisation("Gemeente Utrecht")
    make_event("Congres van Utrecht", organisers=[utrecht])
    make_event("Oude bijeenkomst", organisers=[utrecht], starts_at=in_days(-50))
    make_event("Concept", organisers=[utrecht], status=Event.Status.DRAFT)
    make_event("Van een ander", organisers=[make_organisation("VNG")])

    page = parse(client.get(utrecht.get_absolute_url()))

    assert card_titles(section(page, "Evenementen")) == ["Congres van Utrecht", "Oude bijeenkomst"]


@pytest.mark.django_db
def test_person_page_lists_the_published_events_they_speak_at(client):
    speaker = make_person("Martijn", "Steen", particle="van der")
    make_event("Webinar Leren van doen", speakers=[speaker], starts_at=in_days(-400))
    make_event("Concept", speakers=[speaker], status=Event.Status.DRAFT)
    make_event("Zonder spreker")

    page = parse(client.get(speaker.get_absolute_url()))

    assert card_titles(section(page, "Evenementen")) == ["Webinar Leren van doen"]


@pytest.mark.django_db
def test_participation_table_includes_event_organisers(client):
    utrecht = make_organisation("Gemeente Utrecht")
    event = make_event("Tussen Participatie en Populisme", kind=Event.Kind.CONGRESS)
    event.organisers.set([utrecht, make_organisation("Verborgen", status=Event.Status.DRAFT)])
    make_event("Concept", organisers=[utrecht], status=Event.Status.DRAFT)

    page = parse(client.get("/netwerk/deelname/"))

    assert table_rows(page) == [
        [
            "Gemeente Utrecht",
            "Tussen Participatie en Populisme",
            "Congres",
            "Organisator",
            local(event.starts_at, "j F Y"),
        ]
    ]
    assert Link("Tussen Participatie en Populisme", event.get_absolute_url()) in links(page)


@pytest.mark.django_db
def test_participation_csv_gives_an_event_the_date_the_table_shows(client):
    start = timezone.make_aware(datetime.combine(timezone.localdate() + 10 * DAY, time(0, 30)))
    make_event("Nachtelijk debat", starts_at=start, organisers=[make_organisation("Gemeente")])

    body = client.get("/netwerk/deelname/csv/").content.decode().removeprefix("\ufeff")
    [_header, row] = csv.reader(io.StringIO(body), delimiter=";")

    assert row[4] == timezone.localdate(start).isoformat()


# --- Query counts -----------------------------------------------------------------------------


def add_events(start: int, count: int, *, days: int) -> None:
    """Events with everything a card shows: organisers, themes and registrations."""
    for number in range(start, start + count):
        theme = make_theme(f"Thema {number}")
        organiser = make_organisation(f"Organisator {number}", themes=[theme])
        event = make_event(
            f"Evenement {number}",
            starts_at=in_days(days + number),
            capacity=10,
            organisers=[organiser],
            themes=[theme],
        )
        make_registration(event)
        make_registration(event, status=CANCELLED)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "days"), [(EVENTS, 5), (ARCHIVE, -400)])
def test_list_query_count_does_not_grow_with_events(
    client, url, days, django_assert_max_num_queries
):
    add_events(0, 1, days=days)
    with_one = count_queries(client, url)

    add_events(1, 29, days=days)

    assert count_queries(client, url) == with_one
    with django_assert_max_num_queries(9):
        page = parse(client.get(url))
    assert len(card_titles(page)) == 20


def fill_event(event: Event, start: int, count: int) -> None:
    for number in range(start, start + count):
        organiser = make_organisation(f"Organisator {number}")
        event.organisers.add(organiser)
        event.speakers.add(make_person("Anna", f"Spreker{number}", organisations=[organiser]))
        event.themes.add(make_theme(f"Thema {number}"))
        event.publications.add(make_publication(f"Publicatie {number}"))
        session = make_session(event, f"Workshop {number}", slot=number % 3 + 1, capacity=40)
        make_registration(event, sessions=[session])
        make_registration(event, status=WAITING)


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_registrations_and_sessions(
    client, django_assert_max_num_queries
):
    event = make_event("Congres", capacity=100, learning_circle=make_learning_circle("Leerkring"))
    fill_event(event, 0, 1)
    with_one = count_queries(client, event.get_absolute_url())

    fill_event(event, 1, 29)

    assert count_queries(client, event.get_absolute_url()) == with_one
    with django_assert_max_num_queries(10):
        page = parse(client.get(event.get_absolute_url()))
    assert "Nog 70 plaatsen" in section(page, "Aanmelden").text
    assert len(card_titles(section(page, "Publicaties"))) == 30


@pytest.mark.django_db
def test_register_page_query_count_does_not_grow_with_sessions(
    client, django_assert_max_num_queries
):
    event = make_event("Congres", capacity=100)
    fill_event(event, 0, 1)
    with_one = count_queries(client, register_url(event))

    fill_event(event, 1, 29)

    assert count_queries(client, register_url(event)) == with_one
    with django_assert_max_num_queries(3):
        client.get(register_url(event))
