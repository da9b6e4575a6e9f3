"""`manage.py loaddemo`: one loader, idempotent and quiet, faithful to the domain sheet."""

import datetime
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events.demo import EVENTS, SAMPLE_REGISTRANTS
from events.models import Event, Registration, RegistrationState
from ikpob_portal.demo import dutch_public_holidays, event_days, is_working_day, resolve_day
from ikpob_portal.kernel.demo import THEMES
from ikpob_portal.kernel.models import OutgoingMail, Theme
from learning_circles.demo import CIRCLES
from learning_circles.models import LearningCircle, Meeting, Phase
from network.demo import ORGANISATIONS, PARTNERS, PERSONS
from network.models import Organisation, Person
from publications.demo import PUBLICATIONS
from publications.models import Publication

CONGRESS = "tussen-participatie-en-populisme"
CLOSING_CONFERENCE = "slotconferentie-ambtelijk-vakmanschap-in-de-participatiemaatschappij"
WEBINAR = "webinar-leren-van-doen"
KBS = "kbs-gesprek-als-waarden-botsen"
ONLINE = "webinar-aandacht-voor-wat-werkt"
NOT_YET_OPEN = "leesbijeenkomst-waarden-die-botsen"
LEERKRING = "ambtelijk-vakmanschap-in-de-participatiemaatschappij"
PROGRAMME = "programma-innovatie-toezicht-professionalisering"

NSOB_SUBTITLES = {
    "Balanceren tussen inkapseling en afstoting": (
        "Een essay over de strategische functie bij de Rijksoverheid"
    ),
    "Verschuivende verwachtingen": (
        "Over rolverandering en vormgeven aan strategische professionaliteit"
    ),
    "Strategiseren in de schaduw van de macht": (
        "Politiek assistenten van bestuurders als verborgen verbinders"
    ),
    "Toekomstverkenning en organisatieontwikkeling": (
        "Ontwerpkeuzes in het scenarioproject RWS 2020"
    ),
    "Figureren in het verhaal van een ander": "Over gezagsdragers in beeld",
}
NSOB_THEMES = {
    "Balanceren tussen inkapseling en afstoting": "Strategie en toekomst",
    "Verschuivende verwachtingen": "Strategie en toekomst",
    "Strategiseren in de schaduw van de macht": "Strategie en toekomst",
    "Toekomstverkenning en organisatieontwikkeling": "Strategie en toekomst",
    "Figureren in het verhaal van een ander": "Politiek en bestuur",
}
COMMISSIONED = [
    "ambtelijk-vakmanschap-3-0",
    "omgaan-met-conflicterende-waarden",
    "botsende-rationaliteiten",
]
THE_SIX_PARTNERS = {
    "Vereniging voor OverheidsManagement",
    "A+O fonds Gemeenten",
    "Vereniging van Nederlandse Gemeenten",
    "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
    "Kwaliteitsinstituut Nederlandse Gemeenten",
    "Stichting Beroepsleer",
}


@pytest.fixture
def load_demo(django_capture_on_commit_callbacks):
    """Run loaddemo and whatever it left for after the commit (mail tasks), as in real use."""

    def run() -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("loaddemo", stdout=out)
        return out.getvalue()

    return run


def dump() -> dict[str, list[dict]]:
    """Every row of every model, ordered by primary key."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
    }


# --- Idempotent and quiet --------------------------------------------------------------------


@pytest.mark.django_db
def test_loaddemo_second_run_changes_no_row_and_prints_only_the_summary(load_demo, capsys):
    first_output = load_demo()
    first = dump()

    second_output = load_demo()

    assert dump() == first
    assert first_output.splitlines()[0] == second_output.splitlines()[0]
    assert second_output.splitlines() == [
        second_output.splitlines()[0],
        (
            "Nieuw: 0, bijgewerkt: 0, verwijderd: 0, koppelingen gezet: 0, PDF's geschreven: 0, "
            "afbeeldingen gemaakt: 0."
        ),
    ]
    assert re.fullmatch(
        r"Demo-inhoud: 10 thema's, \d+ organisaties, \d+ personen, \d+ publicaties, "
        r"2 berichten, 2 leerkringen, 6 evenementen, 10 voorbeeldaanmeldingen, 2 pagina's, "
        r"3 voorbeeldabonnementen, 1 verzonden nieuwsbrief\.",
        first_output.splitlines()[0],
    )
    assert len(first_output.splitlines()) == 2
    assert first_output.splitlines()[1].startswith("Nieuw: ")
    assert capsys.readouterr().out == ""


@pytest.mark.django_db
def test_loaddemo_sends_no_mail_for_its_sample_registrations(load_demo):
    load_demo()
    load_demo()

    assert mail.outbox == []
    registrations = Registration.objects.all()
    assert registrations.count() == len(SAMPLE_REGISTRANTS)
    assert not OutgoingMail.objects.filter(done_at__isnull=True).exists()
    assert not OutgoingMail.objects.filter(outcome=OutgoingMail.Outcome.SENT).exists()
    assert all(r.email.endswith("@example.org") for r in registrations)
    assert {r.organisation for r in registrations} == {"Voorbeeldinspectie"}


@pytest.mark.django_db
def test_loaddemo_prints_no_mail_with_the_console_backend(load_demo, settings, capsys):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

    output = load_demo()

    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err == ""
    assert "Subject" not in output
    assert len(output.splitlines()) == 2


@pytest.mark.django_db
def test_loaddemo_restores_edited_rows_and_removes_foreign_ones(load_demo):
    load_demo()
    circle = LearningCircle.objects.get(slug=LEERKRING)
    circle.questions.filter(position=3).update(text="Aangepast door een redacteur")
    circle.participations.filter(organisation__slug="bzk").delete()
    circle.participations.create(
        organisation=Organisation.objects.get(slug="vng"), role="deelnemer"
    )

    output = load_demo()

    assert "Aangepast" not in circle.questions.get(position=3).text
    assert set(circle.participations.values_list("organisation__slug", flat=True)) == {
        "universiteit-van-tilburg",
        "gemeente-berkelland",
        "ao-fonds-gemeenten",
        "bzk",
    }
    assert "verwijderd: 1," in output


@pytest.mark.django_db
def test_loaddemo_rewrites_a_missing_pdf_file(load_demo):
    load_demo()
    essay = Publication.objects.get(slug="leren-van-doen")
    essay.pdf.storage.delete(essay.pdf.name)

    output = load_demo()

    essay.refresh_from_db()
    assert essay.pdf.storage.exists(essay.pdf.name)
    assert "PDF's geschreven: 1," in output


# --- What a visitor sees ---------------------------------------------------------------------


@pytest.mark.django_db
def test_loaddemo_every_item_is_public_and_has_a_page(client, load_demo):
    load_demo()

    assert Theme.objects.count() == len(THEMES)
    assert Organisation.objects.published().count() == len(ORGANISATIONS)
    assert Person.objects.published().count() == len(PERSONS)
    assert LearningCircle.objects.published().count() == len(CIRCLES)
    assert Event.objects.published().count() == len(EVENTS)
    assert Publication.objects.published().count() == len(PUBLICATIONS) - 1  # one draft
    for model in (Organisation, Person, Publication, LearningCircle, Event):
        for item in model.objects.published():
            assert client.get(item.get_absolute_url()).status_code == 200, item.slug
    for event in Event.objects.all():
        event.full_clean()  # a venue or online link, dates in order


@pytest.mark.django_db
def test_loaddemo_downloads_are_pdf_files(load_demo):
    load_demo()

    with_pdf = Publication.objects.published().exclude(pdf="")

    assert with_pdf.exists()
    for publication in with_pdf:
        with publication.pdf.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF-"), publication.slug
        assert publication.pdf_size == len(data)


@pytest.mark.django_db
def test_loaddemo_congress_is_open_with_two_provisional_workshop_rounds(client, load_demo):
    load_demo()
    event = Event.objects.get(slug=CONGRESS)
    starts = timezone.localtime(event.starts_at)

    response = client.get(event.get_absolute_url())

    assert (starts.month, starts.day) == (11, 20)
    assert is_working_day(starts.date())
    assert event.registration_state() == RegistrationState.OPEN
    assert sorted({session.slot for session in event.sessions.all()}) == [1, 2]
    assert not event.speakers.exists()
    assert "voorlopig" in event.venue_name.lower()
    assert "voorlopig" in event.programme.lower()
    assert all("Voorlopige" in session.description for session in event.sessions.all())
    assert not event.sessions.filter(starts_at__isnull=False).exists()
    # The sheet gives no number of places: none is invented. It is the home page's flagship.
    assert event.capacity is None
    assert "Aanmelden is open" in response.text
    assert event.featured
    assert Event.objects.next_featured() == event


@pytest.mark.django_db
def test_loaddemo_kbs_example_is_nearly_full_and_marked_fictional(client, load_demo):
    load_demo()
    event = Event.objects.get(slug=KBS)

    response = client.get(event.get_absolute_url())

    assert event.places_left() == 2
    assert event.registration_state() == RegistrationState.OPEN
    assert event.learning_circle.slug == PROGRAMME
    assert {registration.status for registration in event.registrations.all()} == {"confirmed"}
    assert f"Nog {event.places_left()} plaatsen" in response.text
    # On invitation: each sample registrant came in through an invitation of their own.
    assert event.access == Event.Access.INVITATION
    assert "Alleen op uitnodiging" in response.text
    assert set(event.invitations.values_list("state", flat=True)) == {"registered"}
    assert event.invitations.filter(registration__isnull=False).count() == 10


@pytest.mark.django_db
def test_loaddemo_upcoming_examples_show_unlimited_and_not_yet_open(load_demo):
    load_demo()

    assert Event.objects.get(slug=ONLINE).places_left() is None
    assert Event.objects.get(slug=ONLINE).registration_state() == RegistrationState.OPEN
    later = Event.objects.get(slug=NOT_YET_OPEN)
    assert later.registration_state() == RegistrationState.NOT_YET_OPEN


@pytest.mark.django_db
def test_loaddemo_circles_show_their_questions_phase_and_people(client, load_demo):
    load_demo()
    leerkring = LearningCircle.objects.published().for_cards().get(slug=LEERKRING)
    programme = LearningCircle.objects.published().for_cards().get(slug=PROGRAMME)

    assert leerkring.phase == Phase.FINISHED
    assert not leerkring.is_open_for_joining
    assert [q.position for q in leerkring.questions.all()] == [1, 2, 3, 4, 5, 6, 7]
    assert leerkring.lead.name == "Universiteit van Tilburg"
    assert leerkring.published_at.date().isoformat() == "2019-05-22"
    assert "Maikel van der Neut" in client.get(leerkring.get_absolute_url()).text
    assert programme.phase == Phase.RUNNING
    assert programme.is_open_for_joining
    response = client.get(programme.get_absolute_url())
    for name in ("Ytzen Renema", "Sanne Slegtenhorst", "Kritische Beroepssituaties"):
        assert name in response.text


# --- Faithful to the domain sheet -----------------------------------------------------------


@pytest.mark.django_db
def test_loaddemo_partners_are_the_six_the_foundation_names(load_demo):
    load_demo()

    partners = Organisation.objects.filter(is_partner=True)

    assert set(partners.values_list("name", flat=True)) == THE_SIX_PARTNERS
    assert set(partners.values_list("slug", flat=True)) == set(PARTNERS)
    others = Organisation.objects.exclude(slug__in=PARTNERS)
    for organisation in others:
        assert organisation.relation_labels == [], organisation.slug
    for organisation in Organisation.objects.filter(is_partner=True):
        assert organisation.relation_labels == ["Partner"]


@pytest.mark.django_db
def test_loaddemo_nsob_essays_have_their_exact_subtitles_and_nothing_invented(load_demo):
    load_demo()

    for title, subtitle in NSOB_SUBTITLES.items():
        essay = Publication.objects.get(title=title)
        assert essay.subtitle == subtitle
        assert [theme.name for theme in essay.theme_list] == [NSOB_THEMES[title]]
        assert essay.publication_year is None
        assert essay.publisher is None
        assert not essay.authorships.exists()
        assert essay.date_display == ""


@pytest.mark.django_db
def test_loaddemo_leren_van_doen_is_2020_with_its_three_authors(load_demo):
    load_demo()

    essay = Publication.objects.get(slug="leren-van-doen")

    assert essay.full_title == "Leren van doen: Ervaringen met samenwerken in het IBP"
    assert essay.publication_year == 2020
    assert [person.full_name for person in essay.ordered_authors] == [
        "Martijn van der Steen",
        "Myrthe van Delden",
        "Petra Ophoff",
    ]
    assert essay.publisher.short_name == "NSOB"
    assert [theme.name for theme in essay.theme_list] == ["Sturen in netwerken"]


@pytest.mark.django_db
def test_loaddemo_commissioned_pieces_carry_a_working_title_and_no_year(load_demo):
    load_demo()

    for slug in COMMISSIONED:
        piece = Publication.objects.get(slug=slug)
        assert piece.title.endswith("(werktitel)"), slug
        assert piece.publication_year is None
        assert piece.publisher is None
        assert list(piece.commissioned_by.values_list("slug", flat=True)) == ["ikpob"]
    assert [p.full_name for p in Publication.objects.get(slug=COMMISSIONED[0]).ordered_authors] == [
        "Paul 't Hart"
    ]
    authors = Publication.objects.get(slug="botsende-rationaliteiten").ordered_authors
    assert [(p.given_name, p.full_name) for p in authors] == [("", "In 't Veld"), ("", "Kruithof")]


@pytest.mark.django_db
def test_loaddemo_supervision_work_says_what_the_sheet_says(client, load_demo):
    load_demo()
    booklet = Publication.objects.get(slug="kritische-beroepssituaties")
    effect = Publication.objects.get(slug="aandacht-voor-wat-werkt")
    study = Publication.objects.get(slug="inspecteurs-over-hun-vak")

    assert booklet.title == "Kritische Beroepssituaties in het toezicht"
    assert booklet.subtitle == "Hoe weet je dat je het goed doet in je werk?"
    assert not booklet.pdf
    assert not booklet.has_download
    page = client.get(booklet.get_absolute_url()).text
    assert "Netwerk Publiek Toezicht" in page
    assert "/download/" not in page
    assert "eigen effect" in effect.summary
    assert "Inzichtenlab" in effect.summary
    assert "Manja Bomhoff" in effect.summary
    assert "Inspectie SZW" in effect.body
    assert "Inspectie Gezondheidszorg en Jeugd" in effect.body
    assert [person.full_name for person in study.ordered_authors] == ["Manja Bomhoff"]
    assert "Teusjan Vlot" in study.summary
    for publication in (booklet, effect, study):
        assert publication.publication_year is None


@pytest.mark.django_db
def test_loaddemo_real_past_events_have_no_invented_time_or_place(client, load_demo):
    load_demo()
    conference = Event.objects.get(slug=CLOSING_CONFERENCE)
    webinar = Event.objects.get(slug=WEBINAR)

    assert timezone.localtime(conference.starts_at).date() == datetime.date(2019, 1, 16)
    assert timezone.localtime(webinar.starts_at).date() == datetime.date(2020, 9, 22)
    for event in (conference, webinar):
        assert event.starts_at == event.ends_at  # the day only
        assert not event.organisers.exists()
        response = client.get(event.get_absolute_url())
        assert " uur" not in response.text.split("Wanneer", 1)[1].split("Waar", 1)[0]
        day = timezone.localtime(event.starts_at).date().isoformat()
        assert f'"startDate":"{day}"' in response.text  # a Date in the JSON-LD, no time
    assert conference.venue_name == "Plaats niet bekend"
    assert conference.learning_circle.slug == LEERKRING
    assert set(webinar.speakers.values_list("slug", flat=True)) == {
        "ruben-maes",
        "martijn-van-der-steen",
        "leonard-geluk",
        "annelies-kroeskamp",
        "regina-bouius",
        "gritta-nottelman",
    }
    # The 2018 meetings have no dates: the leerkring records only its closing conference.
    meetings = Meeting.objects.filter(circle__slug=LEERKRING)
    assert list(meetings.values_list("title", flat=True)) == ["Slotconferentie"]
    assert "zomer van 2019" in conference.materials
    assert "voor de zomer" not in conference.materials


@pytest.mark.django_db
def test_loaddemo_fictional_events_are_marked_and_name_no_real_organiser(load_demo):
    load_demo()

    for slug in (KBS, ONLINE, NOT_YET_OPEN):
        event = Event.objects.get(slug=slug)
        assert event.title.startswith("Voorbeeld"), slug
        assert "verzonnen voorbeeld" in event.summary
        assert not event.organisers.exists()
        assert not event.speakers.exists()


@pytest.mark.django_db
def test_loaddemo_people_get_first_names_only_where_known(load_demo):
    load_demo()

    assert Person.objects.get(slug="in-t-veld").full_name == "In 't Veld"
    assert Person.objects.get(slug="kruithof").full_name == "Kruithof"
    assert Person.objects.get(slug="paul-t-hart").sort_name == "Hart, Paul 't"
    vlot = Person.objects.get(slug="teusjan-vlot")
    assert [(a.organisation.slug, a.is_current) for a in vlot.affiliations.all()] == [
        ("bureau-inspectieraad", False)
    ]


@pytest.mark.django_db
def test_loaddemo_puts_no_event_or_meeting_on_a_weekend_or_public_holiday(load_demo):
    load_demo()

    for event in Event.objects.all():
        day = timezone.localtime(event.starts_at).date()
        assert is_working_day(day), (event.slug, day)
    for meeting in Meeting.objects.all():
        assert is_working_day(timezone.localtime(meeting.starts_at).date()), meeting.title


def test_demo_event_days_are_working_days_whatever_today_is():
    for offset in range(0, 4 * 366):
        today = datetime.date(2026, 1, 1) + datetime.timedelta(days=offset)
        days = event_days(today)
        for slug, day in days.items():
            assert is_working_day(day), (today, slug, day)
        assert (days[CONGRESS].month, days[CONGRESS].day) == (11, 20)
        assert days[CONGRESS] >= today + datetime.timedelta(days=2)


def test_dutch_public_holidays_include_the_moving_and_fixed_feasts():
    holidays_2026 = dutch_public_holidays(2026)

    for day in ["01-01", "04-03", "04-05", "04-06", "04-27", "05-05", "05-14", "05-24", "05-25"]:
        assert datetime.date.fromisoformat(f"2026-{day}") in holidays_2026, day
    assert datetime.date(2026, 12, 25) in holidays_2026
    assert datetime.date(2026, 12, 26) in holidays_2026
    # King's Day on a Sunday moves to the Saturday before (2025, 2031).
    assert datetime.date(2025, 4, 26) in dutch_public_holidays(2025)
    assert datetime.date(2025, 4, 27) not in dutch_public_holidays(2025)
    assert datetime.date(2024, 4, 1) in dutch_public_holidays(2024)  # Easter Monday
    assert datetime.date(2024, 5, 9) in dutch_public_holidays(2024)  # Ascension Day
    assert not is_working_day(datetime.date(2026, 5, 14))  # a Thursday, but Ascension Day
    assert is_working_day(datetime.date(2026, 11, 20))


def test_resolve_day_moves_the_congress_off_weekends_and_fictional_meetings_off_holidays():
    assert resolve_day({"next": (11, 20)}, datetime.date(2026, 11, 17)) == datetime.date(
        2026, 11, 20
    )
    # 20 November 2027 is a Saturday: the next 20 November on a working day is in 2028.
    assert resolve_day({"next": (11, 20)}, datetime.date(2026, 12, 5)) == datetime.date(
        2028, 11, 20
    )
    # Too late to register the day before: next year (or later).
    assert resolve_day({"next": (11, 20)}, datetime.date(2026, 11, 19)).year > 2026
    # Ascension Day 2026 falls on Thursday 14 May: the meeting moves a week on.
    assert resolve_day({"days": 0, "weekday": 3}, datetime.date(2026, 5, 11)) == datetime.date(
        2026, 5, 21
    )


@pytest.mark.django_db
def test_loaddemo_online_events_use_the_online_field_not_the_venue_name(load_demo):
    load_demo()

    for slug in ("webinar-leren-van-doen", "webinar-aandacht-voor-wat-werkt"):
        event = Event.objects.get(slug=slug)
        assert event.online, slug
        assert event.venue_name == "", slug
    for event in Event.objects.all():
        assert "online" not in event.venue_name.lower(), event.slug


@pytest.mark.django_db
def test_loaddemo_webinar_points_to_its_recording_and_says_what_to_read_next(client, load_demo):
    load_demo()

    webinar = Event.objects.get(slug="webinar-leren-van-doen")
    recording = Publication.objects.get(slug="webinar-leren-van-doen")
    # The recording is the portal's own record of it, never an invented outside address.
    assert webinar.recording_url.endswith(recording.get_absolute_url())
    assert client.get(recording.get_absolute_url()).status_code == 200
    assert "Leren van doen" in webinar.followup_message
    assert webinar.online_url == ""  # the 2020 meeting link is not known, nor needed


@pytest.mark.django_db
def test_loaddemo_upcoming_online_example_has_a_join_link_at_a_reserved_domain(load_demo):
    load_demo()

    webinar = Event.objects.get(slug="webinar-aandacht-voor-wat-werkt")
    assert webinar.online_url.startswith("https://meet.example.org/")
    assert webinar.access_code
    assert webinar.dial_in == ""  # no invented phone number


@pytest.mark.django_db
def test_loaddemo_subscribers_are_confirmed_example_addresses_with_one_sent_newsletter(load_demo):
    from ikpob_portal.subscriptions.models import Newsletter, Subscription

    load_demo()

    subscriptions = Subscription.objects.all()
    assert subscriptions.count() == 3
    assert all(s.email.endswith("@example.org") and s.is_confirmed for s in subscriptions)
    [newsletter] = Newsletter.objects.all()
    assert newsletter.status == Newsletter.Status.SENT
    assert newsletter.items.count() == 2
    assert newsletter.deliveries.count() == subscriptions.filter(newsletter=True).count() == 2
    assert not OutgoingMail.objects.filter(kind__startswith="subscriptions.").exists()
