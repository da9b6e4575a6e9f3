"""Demo learning circles for `manage.py loaddemo`, loaded after `publications.demo`.

Facts come from the portal's domain sheet; every text is written for this portal. The sheet
gives no exact dates for the start and end of the circles or for most meetings, nor places:
each value chosen for the demo says so in a comment. The sheet mentions five municipalities
besides Berkelland without naming them, so they are left out rather than invented.

Like the rest of the demo, loading is idempotent: circles are matched on their slug, their
rows on a natural key, and nothing is saved unless a value differs.
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from ikpob_portal.kernel.models import Theme
from learning_circles.models import (
    Contact,
    LearningCircle,
    Meeting,
    Participation,
    ResearchQuestion,
)
from network.models import Organisation, Person
from publications.demo import PUBLISHED_AT, Tally, md, sync_rows, upsert
from publications.models import Publication

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=AMSTERDAM)


Role = Participation.Role
ContactRole = Contact.Role


@dataclass(frozen=True)
class DemoMeeting:
    title: str
    starts_at: datetime.datetime
    location: str
    summary: str = ""


@dataclass(frozen=True)
class DemoCircle:
    slug: str
    title: str
    summary: str
    description: str
    published_at: datetime.datetime
    start_date: datetime.date
    end_date: datetime.date | None
    accepts_join_requests: bool
    themes: tuple[str, ...]
    participations: tuple[tuple[str, str], ...]  # (organisation slug, role)
    contacts: tuple[tuple[str, str], ...]  # (person slug, role), in display order
    questions: tuple[str, ...]
    meetings: tuple[DemoMeeting, ...] = ()
    outcomes: tuple[str, ...] = ()  # publication slugs


CIRCLES: tuple[DemoCircle, ...] = (
    DemoCircle(
        slug="ambtelijk-vakmanschap-in-de-participatiemaatschappij",
        title="Ambtelijk vakmanschap in de participatiemaatschappij",
        summary=(
            "In deze meerjarige leerkring zochten Gemeente Berkelland en vijf andere gemeenten, "
            "met de Universiteit van Tilburg als trekker, uit wat de participatiemaatschappij "
            "van ambtenaren vraagt. Hoe geef je ruimte aan wat inwoners zelf oppakken, zonder "
            "de eigen regels en democratische waarden uit het oog te verliezen? In 2018 schoven "
            "A+O fonds Gemeenten en het ministerie van BZK aan; op 16 januari 2019 sloot een "
            "slotconferentie de leerkring af."
        ),
        description=md(
            """
            ## Waarom deze leerkring

            Inwoners nemen steeds vaker zelf het initiatief, en de gemeente moet daar een antwoord
            op vinden: loslaten, faciliteren of sturen. Dat raakt niet alleen het beleid, maar ook
            het dagelijkse werk van ambtenaren, de manier waarop afdelingen samenwerken en de rol
            van raad en college.

            ## Hoe er geleerd werd

            De Universiteit van Tilburg bracht Gemeente Berkelland en vijf andere gemeenten
            samen. Over een periode van meerdere jaren legden de deelnemers hun eigen ervaringen
            met initiatieven van inwoners naast elkaar en toetsten ze die aan de vragen hierboven.
            In 2018 sloten ook A+O fonds Gemeenten en het ministerie van Binnenlandse Zaken en
            Koninkrijksrelaties als partners aan bij de bijeenkomsten.

            ## Vakmanschap in Berkelland

            Naast de leerkring begon Berkelland een eigen project over ambtelijk vakmanschap. Op
            de projectpagina van de gemeente wordt dat project gevolgd langs drie maatstaven:

            - **Kwaliteit**
            - **Tijd**
            - **Geld**

            ## Afronding

            Op 16 januari 2019 kwamen de deelnemers bijeen voor de slotconferentie. De uitkomsten
            zouden worden gebundeld in een essay, dat voor de zomer van 2019 werd verwacht.
            """
        ),
        published_at=at(2019, 5, 22, hour=9),
        # Assumption: the sheet says only "multi-year", with partners joining in 2018 and the
        # closing conference on 16 January 2019. Start and end dates are ours.
        start_date=datetime.date(2017, 9, 1),
        end_date=datetime.date(2019, 6, 30),
        accepts_join_requests=False,
        themes=(
            "Participatiemaatschappij",
            "Ambtelijk vakmanschap",
            "Burgerinitiatief",
            "Democratische waarden",
        ),
        participations=(
            ("universiteit-van-tilburg", Role.LEAD),
            ("gemeente-berkelland", Role.PARTICIPANT),
            ("ao-fonds-gemeenten", Role.PARTNER),
            ("bzk", Role.PARTNER),
        ),
        contacts=(("maikel-van-der-neut", ContactRole.PORTFOLIO_HOLDER),),
        questions=(
            "Hoe sluit wat inwoners zelf in gang zetten aan op de manier waarop de gemeente "
            "intern werkt?",
            "Wat doet een ambtenaar wanneer een initiatief van inwoners schuurt met beleid of "
            "met regels?",
            "Waar ligt de grens tussen loslaten, faciliteren en sturen, en hoe kies je tussen "
            "die rollen of wissel je ervan?",
            "Hoe betrek je collega's, de gemeenteraad en het college bij initiatieven uit de "
            "samenleving?",
            "Hoe krijgen nieuwe manieren van werken een vaste plek in bestaande functies?",
            "Hoe breng je vakkennis en de kennis die inwoners van hun eigen omgeving hebben "
            "samen, en hoe deel je die?",
            "Hoe krijgen democratische waarden als gelijkheid en inclusie, verantwoording en "
            "zorgvuldige afweging vorm wanneer maatwerk en eigen initiatief de ruimte krijgen?",
        ),
        meetings=(
            # Assumption: the sheet says the partners joined meetings in 2018; this date,
            # the hour and the (deliberately vague) place are ours.
            DemoMeeting(
                title="Bijeenkomst met de partners A+O fonds Gemeenten en BZK",
                starts_at=at(2018, 6, 14, hour=13),
                location="Bij een van de deelnemende gemeenten",
                summary=(
                    "A+O fonds Gemeenten en het ministerie van BZK schoven als partners aan bij "
                    "de leerkring. Met de deelnemende gemeenten wisselden zij ervaringen uit over "
                    "initiatieven van inwoners en over wat die vragen van ambtenaren."
                ),
            ),
            # The date is a fact; the hour and the place (the trekker's city) are assumptions.
            DemoMeeting(
                title="Slotconferentie",
                starts_at=at(2019, 1, 16, hour=13),
                location="Tilburg",
                summary=(
                    "Afsluiting van de leerkring: de deelnemers deelden wat zij in de afgelopen "
                    "jaren hadden geleerd. De resultaten zouden worden uitgewerkt in een essay, "
                    "verwacht in de zomer van 2019."
                ),
            ),
        ),
        # The essay with the results is not in the demo. The draft "Democratische waarden in
        # de participatiemaatschappij" builds on the circle's questions but is not that essay.
        outcomes=(),
    ),
    DemoCircle(
        slug="programma-innovatie-toezicht-professionalisering",
        title="Programma Innovatie Toezicht — Professionalisering",
        summary=(
            "In de programmalijn Professionalisering van het Programma Innovatie Toezicht "
            "onderzoeken inspecties samen welke vakbekwaamheid het toezicht van de toekomst "
            "vraagt. Inspecteurs van verschillende inspecties bespreken kritische "
            "beroepssituaties: momenten waarop waarden botsen en geen protocol beslist. Bureau "
            "Inspectieraad is trekker."
        ),
        description=md(
            """
            ## Waar het om draait

            Vanuit Bureau Inspectieraad loopt het Programma Innovatie Toezicht. De programmalijn
            Professionalisering richt zich op de vraag welke professionele vaardigheden
            inspecteurs nodig hebben om ook in de toekomst goed toezicht te houden.

            ## Gesprekken over kritische beroepssituaties

            Eind 2019 en begin 2020 gingen gemengde groepen inspecteurs van verschillende
            inspecties met elkaar in gesprek over kritische beroepssituaties (KBS). Na 2021
            werden zulke gesprekken ook gevoerd binnen één inspectie, of zelfs binnen één team.
            Bureau Inspectieraad bundelde verhalen van inspecteurs in een boekje en maakte een
            vragenwaaier om zulke gesprekken te voeren.

            ## Leren van wat goed gaat

            In het project Aandacht voor wat werkt keken de Inspectie SZW en de Inspectie
            Gezondheidszorg en Jeugd, onder leiding van antropoloog Manja Bomhoff, naar wat er
            in het toezicht al goed gaat. Dat leverde hulpmiddelen op voor inspecteurs en teams.

            ## Een netwerk dat doorwerkt

            - Contactpersonen voor professionalisering bij de inspecties vormen samen een
              netwerk.
            - De producten van de programmalijn worden gebruikt in de **Academie voor
              Toezicht**.
            - Ervaringen worden gedeeld in de community **Netwerk Publiek Toezicht**.
            """
        ),
        published_at=PUBLISHED_AT,
        # Assumption: the KBS conversations began "late 2019"; the first of October is ours.
        start_date=datetime.date(2019, 10, 1),
        end_date=None,
        accepts_join_requests=True,
        themes=("Toezicht", "Competentieontwikkeling", "Ambtelijk vakmanschap"),
        participations=(
            ("bureau-inspectieraad", Role.LEAD),
            ("inspectie-szw", Role.PARTICIPANT),
            ("igj", Role.PARTICIPANT),
        ),
        # The sheet calls them the programme line's contacts; it names no coordinator.
        contacts=(
            ("ytzen-renema", ContactRole.CONTACT),
            ("sanne-slegtenhorst", ContactRole.CONTACT),
        ),
        questions=(
            "Welke professionele vaardigheden heeft het toezicht van de toekomst nodig?",
            "Hoe gaan inspecteurs om met situaties waarin waarden botsen en geen protocol de "
            "doorslag geeft?",
            "Hoe leren inspecteurs van elkaar, over de grenzen van hun eigen inspectie heen?",
            "Hoe krijgen de inzichten een plek in opleidingen en in het werk van teams?",
        ),
        meetings=(
            # Assumption: the sheet places the mixed-group conversations in late 2019 and early
            # 2020; the dates, hours and the (deliberately vague) place are ours.
            DemoMeeting(
                title="KBS-gesprekken met gemengde groepen, eerste ronde",
                starts_at=at(2019, 11, 14, hour=13),
                location="Bij een van de inspecties",
                summary=(
                    "Inspecteurs van verschillende inspecties bespraken situaties uit hun werk "
                    "waarin waarden botsten en geen protocol de doorslag gaf."
                ),
            ),
            DemoMeeting(
                title="KBS-gesprekken met gemengde groepen, tweede ronde",
                starts_at=at(2020, 2, 13, hour=13),
                location="Bij een van de inspecties",
                summary=(
                    "Een tweede ronde gesprekken in gemengde groepen over kritische "
                    "beroepssituaties, met inspecteurs van verschillende inspecties."
                ),
            ),
        ),
        outcomes=("kritische-beroepssituaties", "vragenwaaier", "aandacht-voor-wat-werkt"),
    ),
)


# --- Loading ---------------------------------------------------------------------------------


@dataclass
class CircleReport:
    circles: Tally = field(default_factory=Tally)
    questions: Tally = field(default_factory=Tally)
    participations: Tally = field(default_factory=Tally)
    contacts: Tally = field(default_factory=Tally)
    meetings: Tally = field(default_factory=Tally)
    removed: int = 0

    def lines(self) -> list[str]:
        """The Dutch summary that `loaddemo` prints after the publications."""
        return [
            f"  Leerkringen:     {self.circles}",
            f"  Vragen:          {self.questions}",
            f"  Deelnemers:      {self.participations}",
            f"  Contactpersonen: {self.contacts}",
            f"  Bijeenkomsten:   {self.meetings}",
            f"  Verwijderd:      {self.removed} niet meer in de demo",
        ]


def by_slug[M](model: type[M], slugs: set[str]) -> dict[str, M]:
    found = model._default_manager.in_bulk(slugs, field_name="slug")
    missing = slugs - found.keys()
    if missing:
        raise LookupError(
            f"{model._meta.verbose_name_plural}: {', '.join(sorted(missing))} ontbreken; "
            "laad eerst de rest van de demo-inhoud."
        )
    return found


def load_learning_circles() -> CircleReport:
    """Create or update the demo circles; needs the organisations, people and publications."""
    report = CircleReport()
    themes = {theme.name: theme for theme in Theme.objects.all()}
    organisations = by_slug(Organisation, {s for c in CIRCLES for s, _ in c.participations})
    persons = by_slug(Person, {s for c in CIRCLES for s, _ in c.contacts})
    publications = by_slug(Publication, {s for c in CIRCLES for s in c.outcomes})

    for data in CIRCLES:
        circle, outcome = upsert(
            LearningCircle,
            {"slug": data.slug},
            {
                "title": data.title,
                "summary": data.summary,
                "description": data.description,
                "start_date": data.start_date,
                "end_date": data.end_date,
                # The phase follows from the dates; the demo never overrides it.
                "phase_override": "",
                "accepts_join_requests": data.accepts_join_requests,
                "status": LearningCircle.Status.PUBLISHED,
                "published_at": data.published_at,
            },
        )
        report.circles.add(outcome)
        circle.themes.set([themes[name] for name in data.themes])
        circle.outcome_publications.set([publications[slug] for slug in data.outcomes])

        scope = {"circle_id": circle.pk}
        report.removed += sync_rows(
            ResearchQuestion,
            scope,
            ("position",),
            [
                {"position": position, "text": text}
                for position, text in enumerate(data.questions, start=1)
            ],
            report.questions,
        )
        report.removed += sync_rows(
            Participation,
            scope,
            ("organisation_id",),
            [
                {"organisation_id": organisations[slug].pk, "role": role}
                for slug, role in data.participations
            ],
            report.participations,
        )
        report.removed += sync_rows(
            Contact,
            scope,
            ("person_id", "role"),
            [
                {"person_id": persons[slug].pk, "role": role, "position": position}
                for position, (slug, role) in enumerate(data.contacts)
            ],
            report.contacts,
        )
        report.removed += sync_rows(
            Meeting,
            scope,
            ("title",),
            [
                {
                    "title": meeting.title,
                    "starts_at": meeting.starts_at,
                    "location": meeting.location,
                    "online_url": "",
                    "summary": meeting.summary,
                }
                for meeting in data.meetings
            ],
            report.meetings,
        )
    return report
