"""Demo events for `manage.py loaddemo`, loaded after `learning_circles.demo`.

Facts come from the portal's domain sheet; every text is written for this portal. The sheet
gives no venues, hours or capacities for any event: each value chosen for the demo says so in a
comment. Past events have fixed dates. Events that must lie in the future (so that a visitor can
register) are computed from today's date, but deterministically ("the next 20 November", "the
first Thursday at least three weeks from today"), so a second run on the same day changes
nothing; a run on a later day may move their dates, which is the point.

The demo registrations go through `events.services.register`, like a visitor's would, so the
counts, the waiting list and the mails behave as in real use (a first run sends their
confirmation mails; to the console unless SMTP is configured). They are matched on their email
address: someone who still holds a place or a waiting-list spot is not registered again.
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from events.models import Event, Registration, Session
from events.services import register
from ikpob_portal.kernel.models import Theme
from learning_circles.demo import by_slug
from learning_circles.models import LearningCircle
from network.models import Organisation, Person
from publications.demo import PUBLISHED_AT, Tally, md, sync_rows, upsert
from publications.models import Publication

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
Kind = Event.Kind

LEERKRING = "ambtelijk-vakmanschap-in-de-participatiemaatschappij"
PROGRAMME = "programma-innovatie-toezicht-professionalisering"

MONDAY, TUESDAY, WEDNESDAY, THURSDAY = range(4)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A local (Europe/Amsterdam) moment; zoneinfo picks summer or winter time by the date."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMSTERDAM)


def next_anniversary(today: datetime.date, month: int, day: int) -> datetime.date:
    """The first `month`-`day` at least two days after today.

    Two days, not one: registration closes the day before, and must still be open now.
    """
    candidate = datetime.date(today.year, month, day)
    if candidate < today + datetime.timedelta(days=2):
        candidate = candidate.replace(year=today.year + 1)
    return candidate


def weekday_from(today: datetime.date, *, days: int, weekday: int) -> datetime.date:
    """The first `weekday` at least `days` days after today (meetings fall on working days)."""
    earliest = today + datetime.timedelta(days=days)
    return earliest + datetime.timedelta(days=(weekday - earliest.weekday()) % 7)


@dataclass(frozen=True)
class DemoSession:
    slot: int
    title: str
    description: str
    capacity: int | None


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    title: str
    kind: str
    summary: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    themes: tuple[str, ...]
    organisers: tuple[str, ...]  # organisation slugs
    venue_name: str = ""
    venue_address: str = ""
    online_url: str = ""
    programme: str = ""
    materials: str = ""
    recording_url: str = ""
    speakers: tuple[str, ...] = ()  # person slugs
    publications: tuple[str, ...] = ()  # publication slugs
    learning_circle: str | None = None  # circle slug
    registration_required: bool = True
    capacity: int | None = None
    registration_opens_at: datetime.datetime | None = None
    registration_closes_at: datetime.datetime | None = None
    sessions: tuple[DemoSession, ...] = ()
    session_times: dict[int, tuple[datetime.datetime, datetime.datetime]] = field(
        default_factory=dict
    )
    # (name, organisation, job title); registered through the service, confirmed while room.
    registrations: tuple[tuple[str, str, str], ...] = ()


def demo_email(name: str) -> str:
    """Reserved domain (RFC 2606): a demo mail can never reach a real person."""
    return f"{name.lower().replace(' ', '.')}@example.org"


# Obviously made-up people for the nearly full KBS conversation (12 places, 10 taken).
KBS_PARTICIPANTS: tuple[tuple[str, str, str], ...] = tuple(
    (f"Demo Deelnemer {number:02d}", organisation, "inspecteur")
    for number, organisation in enumerate(
        (
            "Inspectie SZW",
            "Inspectie Gezondheidszorg en Jeugd",
            "Inspectie SZW",
            "Inspectie Gezondheidszorg en Jeugd",
            "Bureau Inspectieraad",
            "Inspectie SZW",
            "Inspectie Gezondheidszorg en Jeugd",
            "Inspectie SZW",
            "Inspectie Gezondheidszorg en Jeugd",
            "Inspectie SZW",
        ),
        start=1,
    )
)


def congress(today: datetime.date) -> DemoEvent:
    # The sheet gives 20 November and no year: the demo puts it on the next 20 November, so
    # registration is open. Hours, capacities and the city are assumptions for the demo.
    day = next_anniversary(today, 11, 20)
    round_1 = (at(day, 11, 0), at(day, 12, 15))
    round_2 = (at(day, 13, 15), at(day, 14, 30))
    return DemoEvent(
        slug="tussen-participatie-en-populisme",
        title="Tussen Participatie en Populisme",
        kind=Kind.CONGRESS,
        summary=(
            "Met dit slotcongres rondt Stichting IKPOB haar zoektocht naar het vakmanschap van "
            "de ambtelijk professional af. Inwoners nemen meer zelf in handen, terwijl het "
            "vertrouwen in politiek en bestuur onder druk staat: wat vraagt dat van ambtenaren? "
            "Een dag met een plenair programma en twee rondes workshops."
        ),
        starts_at=at(day, 9, 30),
        ends_at=at(day, 17, 0),
        # Assumption: the sheet names no venue. The model needs a place or an online link;
        # this says honestly what is known.
        venue_name="Utrecht (locatie volgt)",
        themes=("Participatiemaatschappij", "Democratische waarden", "Politiek en bestuur"),
        organisers=("ikpob",),
        publications=(
            "ambtelijk-vakmanschap-3-0",
            "botsende-rationaliteiten",
            "leren-van-doen",
        ),
        capacity=150,
        # Fixed and in the past (the demo's publication moment), so registration is open now.
        registration_opens_at=PUBLISHED_AT,
        # Closes the day before the congress, at noon.
        registration_closes_at=at(day - datetime.timedelta(days=1), 12, 0),
        programme=md(
            """
            ## Ochtend

            - **09.30** Ontvangst met koffie en thee
            - **10.00** Opening door het bestuur van Stichting IKPOB: wat de zoektocht naar
              ambtelijk vakmanschap heeft opgeleverd
            - **10.20** Plenaire inleiding: tussen meedoen en wantrouwen, de ambtenaar in het
              midden
            - **11.00** Eerste workshopronde (u kiest bij het aanmelden één workshop)
            - **12.15** Lunch

            ## Middag

            - **13.15** Tweede workshopronde (weer één workshop naar keuze)
            - **14.45** Plenair gesprek: wat nemen we mee naar het werk van morgen?
            - **16.00** Afsluiting en borrel

            Wensen voor toegankelijkheid of eten kunt u bij het aanmelden doorgeven.
            """
        ),
        sessions=(
            DemoSession(
                1,
                "Loslaten, faciliteren of sturen",
                "Inwoners komen met een eigen plan. Wanneer laat u los, wanneer helpt u een "
                "handje, en wanneer neemt de gemeente de regie? Aan de hand van ervaringen uit "
                "de leerkring Ambtelijk vakmanschap in de participatiemaatschappij.",
                60,
            ),
            DemoSession(
                1,
                "Democratische waarden bij maatwerk",
                "Meer maatwerk en meer eigen initiatief: hoe blijven gelijkheid, inclusie, "
                "verantwoording en zorgvuldige afweging overeind? Een werksessie met casussen "
                "uit gemeenten.",
                50,
            ),
            DemoSession(
                1,
                "Ambtelijk vakmanschap 3.0",
                "Wat vraagt het vak van de ambtenaar vandaag? Deelnemers leggen hun eigen "
                "praktijk naast het essay dat Paul 't Hart in opdracht van IKPOB, de VOM en de "
                "VGS schreef.",
                40,
            ),
            DemoSession(
                2,
                "Botsende rationaliteiten",
                "Politiek, recht, vakkennis en de logica van de uitvoering trekken niet altijd "
                "dezelfde kant op. Hoe werkt u met die spanning in plaats van ertegen?",
                60,
            ),
            DemoSession(
                2,
                "Samenwerken als één overheid",
                "Lessen uit het NSOB-essay Leren van doen over regionale samenwerking in het "
                "Interbestuurlijk Programma: wat is er nodig om over de grenzen van de eigen "
                "organisatie heen te werken?",
                50,
            ),
            DemoSession(
                2,
                "Als waarden botsen in het toezicht",
                "Inspecteurs kennen situaties waarin geen protocol beslist. Met de verhalen over "
                "kritische beroepssituaties van Bureau Inspectieraad oefent u het gesprek "
                "daarover.",
                40,
            ),
        ),
        session_times={1: round_1, 2: round_2},
    )


def closing_conference() -> DemoEvent:
    # The date is a fact; the hours and the place (the trekker's city) are assumptions, the
    # same as for the circle's own meeting record.
    day = datetime.date(2019, 1, 16)
    return DemoEvent(
        slug="slotconferentie-ambtelijk-vakmanschap-in-de-participatiemaatschappij",
        title="Slotconferentie Ambtelijk vakmanschap in de participatiemaatschappij",
        kind=Kind.CLOSING_CONFERENCE,
        summary=(
            "Op deze middag sloten de Universiteit van Tilburg, Gemeente Berkelland en de andere "
            "deelnemende gemeenten hun meerjarige leerkring af. Ze keken terug op wat het werken "
            "met initiatieven van inwoners van ambtenaren vraagt, en op wat ze daarover van "
            "elkaar hadden geleerd."
        ),
        starts_at=at(day, 13, 0),
        ends_at=at(day, 17, 0),
        venue_name="Tilburg",
        themes=("Participatiemaatschappij", "Ambtelijk vakmanschap", "Burgerinitiatief"),
        organisers=("universiteit-van-tilburg", "gemeente-berkelland"),
        learning_circle=LEERKRING,
        # The conference was for the circle's participants, not open to anyone.
        registration_required=False,
        materials=md(
            """
            ## Wat er besproken werd

            De deelnemers legden hun ervaringen naast de vragen waarmee de leerkring begon,
            onder meer:

            - Hoe sluit wat inwoners zelf beginnen aan op de werkwijze van de gemeente?
            - Waar ligt de grens tussen loslaten, faciliteren en sturen?
            - Hoe krijgen nieuwe manieren van werken een plek in bestaande functies?
            - Hoe blijven democratische waarden overeind bij maatwerk en eigen initiatief?

            ## Hoe verder

            De uitkomsten zouden worden gebundeld in een essay, dat voor de zomer van 2019 werd
            verwacht. Een opname van de conferentie is er niet.
            """
        ),
    )


def webinar_leren_van_doen() -> DemoEvent:
    # The date is a fact; the hour is an assumption. No public link to the recording is
    # known, so the recording is linked as the related publication, not as `recording_url`.
    day = datetime.date(2020, 9, 22)
    return DemoEvent(
        slug="webinar-leren-van-doen",
        title="Webinar Leren van doen",
        kind=Kind.WEBINAR,
        summary=(
            "Ruben Maes sprak met Martijn van der Steen over het NSOB-essay Leren van doen, over "
            "regionale samenwerking in het Interbestuurlijk Programma. Leonard Geluk (VNG), "
            "Annelies Kroeskamp (BZK), Regina Bouius (provincie Fryslân) en Gritta Nottelman "
            "(Waterschap Amstel, Gooi en Vecht) brachten hun eigen ervaringen in."
        ),
        starts_at=at(day, 15, 0),
        ends_at=at(day, 16, 30),
        # The model needs a place or an online link; the meeting link itself is not public.
        venue_name="Online (webinar)",
        themes=("Sturen in netwerken", "Politiek en bestuur"),
        organisers=("nsob",),
        speakers=(
            "ruben-maes",
            "martijn-van-der-steen",
            "leonard-geluk",
            "annelies-kroeskamp",
            "regina-bouius",
            "gritta-nottelman",
        ),
        publications=("leren-van-doen", "webinar-leren-van-doen"),
        registration_required=False,
        materials=md(
            """
            ## Terugkijken

            De opname van het webinar staat bij de publicaties op dit portaal, naast het essay
            zelf. Beide vindt u hieronder bij de verwante publicaties.

            ## Wie er spraken

            - **Ruben Maes** leidde het gesprek.
            - **Martijn van der Steen** (NSOB) lichtte het essay toe.
            - **Leonard Geluk** (VNG), **Annelies Kroeskamp** (BZK), **Regina Bouius**
              (provincie Fryslân) en **Gritta Nottelman** (Waterschap Amstel, Gooi en Vecht)
              reageerden vanuit hun eigen praktijk.
            """
        ),
    )


def kbs_conversation(today: datetime.date) -> DemoEvent:
    # An upcoming meeting invented for the demo: date, hours, place and size are ours.
    day = weekday_from(today, days=21, weekday=THURSDAY)
    return DemoEvent(
        slug="kbs-gesprek-als-waarden-botsen",
        title="KBS-gesprek: als waarden botsen in het toezicht",
        kind=Kind.CIRCLE_MEETING,
        summary=(
            "Een gesprek in een kleine groep over kritische beroepssituaties: momenten waarop "
            "waarden botsen en geen protocol beslist. Inspecteurs brengen een eigen situatie "
            "in en onderzoeken die samen, met de vragenwaaier als hulpmiddel."
        ),
        starts_at=at(day, 14, 0),
        ends_at=at(day, 16, 30),
        venue_name="Bij een van de inspecties (adres in de bevestiging)",
        themes=("Toezicht", "Competentieontwikkeling", "Ambtelijk vakmanschap"),
        organisers=("bureau-inspectieraad",),
        publications=("kritische-beroepssituaties", "vragenwaaier"),
        learning_circle=PROGRAMME,
        capacity=12,
        programme=md(
            """
            - **14.00** Welkom en kennismaking
            - **14.15** Een situatie uit de praktijk, ingebracht door een van de deelnemers
            - **14.45** In tweetallen: welke waarden staan hier tegenover elkaar?
            - **15.30** Terug in de groep: wat zou u doen, en waarom?
            - **16.15** Wat neemt u mee naar uw eigen team?
            """
        ),
        registrations=KBS_PARTICIPANTS,
    )


def webinar_wat_werkt(today: datetime.date) -> DemoEvent:
    # An upcoming webinar invented for the demo: date and hours are ours. The meeting link is
    # not made up; the editors send it to participants before the webinar.
    day = weekday_from(today, days=42, weekday=TUESDAY)
    return DemoEvent(
        slug="webinar-aandacht-voor-wat-werkt",
        title="Webinar Aandacht voor wat werkt",
        kind=Kind.WEBINAR,
        summary=(
            "Toezicht kijkt vaak naar wat misgaat. In het project Aandacht voor wat werkt keken "
            "de Inspectie SZW en de Inspectie Gezondheidszorg en Jeugd juist naar wat goed gaat. "
            "In dit webinar maakt u kennis met de hulpmiddelen die dat opleverde."
        ),
        starts_at=at(day, 14, 0),
        ends_at=at(day, 16, 30),
        venue_name="Online (de link volgt per e-mail)",
        themes=("Toezicht", "Competentieontwikkeling"),
        organisers=("inspectie-szw", "igj"),
        publications=("aandacht-voor-wat-werkt",),
        learning_circle=PROGRAMME,
        capacity=None,
        programme=md(
            """
            - **14.00** Waarom kijken naar wat werkt?
            - **14.30** De hulpmiddelen uit het project, met voorbeelden uit de praktijk
            - **15.30** Vragen van deelnemers
            - **16.15** Hoe gebruikt u dit in uw eigen team?
            """
        ),
    )


def reading_meeting(today: datetime.date) -> DemoEvent:
    # An upcoming meeting invented for the demo; registration opens four weeks before it.
    day = weekday_from(today, days=61, weekday=WEDNESDAY)
    return DemoEvent(
        slug="leesbijeenkomst-waarden-die-botsen",
        title="Leesbijeenkomst: waarden die botsen",
        kind=Kind.MEETING,
        summary=(
            "Wat doet u als goede bedoelingen elkaar in de weg zitten? In deze bijeenkomst "
            "lezen en bespreken deelnemers twee publicaties uit de IKPOB-reeks: over omgaan met "
            "conflicterende waarden en over botsende rationaliteiten."
        ),
        starts_at=at(day, 14, 0),
        ends_at=at(day, 16, 30),
        # Assumption: no venue is known for this invented meeting.
        venue_name="Utrecht (locatie volgt)",
        themes=("Ambtelijk vakmanschap", "Politiek en bestuur", "Democratische waarden"),
        organisers=("ikpob",),
        publications=("omgaan-met-conflicterende-waarden", "botsende-rationaliteiten"),
        capacity=30,
        registration_opens_at=at(day - datetime.timedelta(weeks=4), 9, 0),
        programme=md(
            """
            - **14.00** Welkom; korte inleiding op beide publicaties
            - **14.20** In kleine groepen: een situatie uit uw eigen werk
            - **15.30** Plenair: wat helpt om botsende waarden bespreekbaar te maken?
            - **16.15** Afsluiting
            """
        ),
    )


def demo_events(today: datetime.date) -> tuple[DemoEvent, ...]:
    return (
        congress(today),
        closing_conference(),
        webinar_leren_van_doen(),
        kbs_conversation(today),
        webinar_wat_werkt(today),
        reading_meeting(today),
    )


# --- Loading ---------------------------------------------------------------------------------


@dataclass
class EventReport:
    events: Tally = field(default_factory=Tally)
    sessions: Tally = field(default_factory=Tally)
    registrations_created: int = 0
    registrations_kept: int = 0
    removed: int = 0

    def lines(self) -> list[str]:
        """The Dutch summary that `loaddemo` prints after the learning circles."""
        return [
            f"  Evenementen:     {self.events}",
            f"  Sessies:         {self.sessions}, {self.removed} verwijderd",
            f"  Aanmeldingen:    {self.registrations_created} nieuw, "
            f"{self.registrations_kept} al aanwezig",
        ]


def register_demo_people(event: Event, people: tuple[tuple[str, str, str], ...]) -> tuple[int, int]:
    """Register each demo person unless they already hold a place; (created, kept)."""
    created = kept = 0
    for name, organisation, job_title in people:
        email = demo_email(name)
        if Registration.objects.active().filter(event=event, email__iexact=email).exists():
            kept += 1
            continue
        register(
            event=event,
            data={
                "name": name,
                "email": email,
                "organisation": organisation,
                "job_title": job_title,
                "needs": "",
            },
        )
        created += 1
    return created, kept


def load_events(today: datetime.date | None = None) -> EventReport:
    """Create or update the demo events; needs the network, publications and circles."""
    today = today or timezone.localdate()
    events = demo_events(today)
    report = EventReport()
    themes = {theme.name: theme for theme in Theme.objects.all()}
    organisations = by_slug(Organisation, {s for e in events for s in e.organisers})
    persons = by_slug(Person, {s for e in events for s in e.speakers})
    publications = by_slug(Publication, {s for e in events for s in e.publications})
    circles = by_slug(LearningCircle, {e.learning_circle for e in events if e.learning_circle})

    for data in events:
        circle = circles[data.learning_circle] if data.learning_circle else None
        event, outcome = upsert(
            Event,
            {"slug": data.slug},
            {
                "title": data.title,
                "kind": data.kind,
                "summary": data.summary,
                "programme": data.programme,
                "starts_at": data.starts_at,
                "ends_at": data.ends_at,
                "venue_name": data.venue_name,
                "venue_address": data.venue_address,
                "online_url": data.online_url,
                "learning_circle_id": circle.pk if circle else None,
                "registration_required": data.registration_required,
                "capacity": data.capacity,
                "registration_opens_at": data.registration_opens_at,
                "registration_closes_at": data.registration_closes_at,
                "recording_url": data.recording_url,
                "materials": data.materials,
                "status": Event.Status.PUBLISHED,
                "published_at": PUBLISHED_AT,
            },
        )
        report.events.add(outcome)
        event.themes.set([themes[name] for name in data.themes])
        event.organisers.set([organisations[slug] for slug in data.organisers])
        event.speakers.set([persons[slug] for slug in data.speakers])
        event.publications.set([publications[slug] for slug in data.publications])
        report.removed += sync_rows(
            Session,
            {"event_id": event.pk},
            ("slot", "title"),
            [
                {
                    "slot": session.slot,
                    "title": session.title,
                    "description": session.description,
                    "capacity": session.capacity,
                    "starts_at": data.session_times.get(session.slot, (None, None))[0],
                    "ends_at": data.session_times.get(session.slot, (None, None))[1],
                }
                for session in data.sessions
            ],
            report.sessions,
        )
        created, kept = register_demo_people(event, data.registrations)
        report.registrations_created += created
        report.registrations_kept += kept
    return report
