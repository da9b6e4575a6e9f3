"""Demo data of the events for `manage.py loaddemo`.

Plain data, loaded by the composition root (`ikpob_portal.demo`); this module imports only the
standard library. Organisations, people, publications and circles are referred to by slug.

Facts come from the portal's domain sheet; every text is written for this portal.

`when` says on which day an event falls, resolved by the loader against today's date:
- `{"on": date}`: a fixed day (past events);
- `{"next": (month, day)}`: the next such day that is a working day (Monday to Friday, not a
  Dutch public holiday) and at least two days away, so registration is still open;
- `{"days": n, "weekday": w}`: the first weekday `w` (0 = Monday) at least `n` days from today
  that is not a public holiday (fictional upcoming meetings).

`times` are local ("HH:MM", "HH:MM"), or None when no time is known: the loader then records
the day only (start and end at the same midnight, which the event page shows as a date).
`online` (default False) says the event is followed online (`Event.online`): the place then
says "Online" from that field, never from the venue's name.
`registration_opens` / `registration_closes` are (days relative to the event day, "HH:MM").
`recording` names the publication (by slug) that holds an event's recording on this portal: the
loader points `recording_url` at that publication's page. `join` is the join link, access code
and dial-in of a fictional online meeting: a reserved example.org address, so nobody can join a
real meeting through the demo. `followup` is the message after the event (Markdown).

Real events keep only what the sheet says: the webinar of 22 September 2020 and the closing
conference of 16 January 2019 have no times and no place. The congress is real but the sheet
gives only its day: its times, venue and programme are marked provisional ("voorlopig"), with
no speakers. Everything else is a clearly marked fictional example ("Voorbeeld"), organised
by no real organisation, with sample registrants at reserved example.org addresses.
`access` is "open" (default), "uitnodiging" or "besloten" (`Event.Access`); the sample
registrants of an event on invitation each come in through an invitation of their own.
"""

import datetime

LEERKRING = "ambtelijk-vakmanschap-in-de-participatiemaatschappij"
PROGRAMME = "programma-innovatie-toezicht-professionalisering"
MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = range(5)

FICTIONAL = "Dit is een verzonnen voorbeeld in de demo van dit portaal, geen echte bijeenkomst."

# Sample registrants for the nearly full example meeting (12 places, 10 taken): obviously made
# up, at a reserved domain (RFC 2606), so no mail can reach a real person.
SAMPLE_REGISTRANTS: list[dict] = [
    {
        "name": f"Voorbeeld Deelnemer {number:02d}",
        "email": f"voorbeeld.deelnemer.{number:02d}@example.org",
        "organisation": "Voorbeeldinspectie",
        "job_title": "inspecteur",
    }
    for number in range(1, 11)
]

EVENTS: list[dict] = [
    {
        "slug": "tussen-participatie-en-populisme",
        "title": "Tussen Participatie en Populisme",
        "kind": "congres",
        "summary": (
            "Met het slotcongres Tussen Participatie en Populisme sluit Stichting IKPOB haar "
            "zoektocht naar het vakmanschap van de ambtelijk professional af. Aanmelden kan via "
            "deze site. Locatie, tijden en programma zijn voorlopig en volgen nog."
        ),
        "when": {"next": (11, 20)},
        "times": ("10:00", "17:00"),  # provisional: the sheet gives no times
        "venue_name": "Locatie volgt (voorlopig)",
        "themes": ["Participatiemaatschappij", "Democratische waarden", "Politiek en bestuur"],
        "organisers": ["ikpob"],
        # The publications the foundation commissioned (see publications.demo).
        "publications": [
            "ambtelijk-vakmanschap-3-0",
            "omgaan-met-conflicterende-waarden",
            "botsende-rationaliteiten",
        ],
        # The sheet gives no number of places: unlimited rather than an invented number (the
        # provisional workshops below have room sizes, as part of the provisional programme).
        "capacity": None,
        # The foundation's closing congress: the flagship event on the home page.
        "featured": True,
        "registration_opens": None,  # open since publication
        "registration_closes": (-1, "12:00"),
        "programme": """
            ## Voorlopig programma

            Locatie, tijden en sprekers zijn nog niet bekend; de tijden hier zijn voorlopig. Het
            programma wordt aangevuld zodra het vaststaat.

            - Ontvangst
            - Opening
            - Eerste workshopronde (u kiest bij het aanmelden één workshop)
            - Tweede workshopronde (weer één workshop naar keuze)
            - Afsluiting

            Wensen voor toegankelijkheid of eten kunt u bij het aanmelden doorgeven.
            """,
        # (round, title, description, capacity); provisional workshop themes, no speakers.
        "sessions": [
            (
                1,
                "Loslaten, faciliteren of sturen",
                "Voorlopige workshop: wanneer laat u een initiatief van inwoners los, wanneer "
                "faciliteert u, en wanneer stuurt de gemeente?",
                60,
            ),
            (
                1,
                "Democratische waarden bij maatwerk",
                "Voorlopige workshop: hoe krijgen gelijkheid en inclusie, verantwoording en "
                "zorgvuldige afweging vorm bij maatwerk en eigen initiatief?",
                50,
            ),
            (
                1,
                "Ambtenaar 3.0",
                "Voorlopige workshop: wat vraagt het vak van de ambtelijk professional vandaag?",
                40,
            ),
            (
                2,
                "Botsende rationaliteiten",
                "Voorlopige workshop: politici en ambtenaren werken vanuit verschillende "
                "manieren van redeneren. Hoe werkt u met die spanning?",
                60,
            ),
            (
                2,
                "Samenwerken als één overheid",
                "Voorlopige workshop over het NSOB-essay Leren van doen en de regionale "
                "samenwerking in het Interbestuurlijk Programma.",
                50,
            ),
            (
                2,
                "Als waarden botsen in het toezicht",
                "Voorlopige workshop over kritische beroepssituaties: situaties waarin waarden "
                "botsen en geen handboek of protocol beslist.",
                40,
            ),
        ],
    },
    {
        "slug": "slotconferentie-ambtelijk-vakmanschap-in-de-participatiemaatschappij",
        "title": "Slotconferentie Ambtelijk vakmanschap in de participatiemaatschappij",
        "kind": "slotconferentie",
        "summary": (
            "Op de slotconferentie van de leerkring Ambtelijk vakmanschap in de "
            "participatiemaatschappij werden de resultaten gedeeld. Tijd en plaats zijn niet "
            "bekend."
        ),
        "when": {"on": datetime.date(2019, 1, 16)},
        "times": None,
        "venue_name": "Plaats niet bekend",
        "themes": ["Participatiemaatschappij", "Ambtelijk vakmanschap"],
        "organisers": [],
        "learning_circle": LEERKRING,
        "registration_required": False,
        "materials": """
            ## Hoe verder

            Een essay met de resultaten van de leerkring werd in de zomer van 2019 verwacht.
            """,
    },
    {
        "slug": "webinar-leren-van-doen",
        "title": "Webinar Leren van doen",
        "kind": "webinar",
        "summary": (
            "Ruben Maes sprak met Martijn van der Steen over het NSOB-essay Leren van doen. "
            "Leonard Geluk (VNG), Annelies Kroeskamp (BZK), Regina Bouius (provincie Fryslân) en "
            "Gritta Nottelman (Waterschap Amstel, Gooi en Vecht) schoven aan."
        ),
        "when": {"on": datetime.date(2020, 9, 22)},
        "times": None,
        "online": True,  # no venue; the meeting link itself is not public
        "themes": ["Sturen in netwerken"],
        "organisers": [],
        "speakers": [
            "ruben-maes",
            "martijn-van-der-steen",
            "leonard-geluk",
            "annelies-kroeskamp",
            "regina-bouius",
            "gritta-nottelman",
        ],
        "publications": ["leren-van-doen", "webinar-leren-van-doen"],
        "registration_required": False,
        "recording": "webinar-leren-van-doen",
        "materials": """
            ## Terugkijken

            De opname van het webinar staat bij de publicaties op dit portaal, naast het essay.
            """,
        "followup": """
            Dank voor uw deelname aan het webinar over het NSOB-essay Leren van doen.

            Het essay zelf, met de lessen uit de regionale samenwerking in het Interbestuurlijk
            Programma, staat bij de publicaties op dit portaal. Daar kunt u ook de opname van het
            gesprek terugkijken.
            """,
    },
    {
        "slug": "kbs-gesprek-als-waarden-botsen",
        "title": "Voorbeeld: KBS-gesprek over botsende waarden",
        "kind": "leerkring-bijeenkomst",
        "summary": (
            f"{FICTIONAL} Een gesprek in een kleine groep over kritische beroepssituaties: "
            "momenten waarop waarden botsen en geen protocol beslist."
        ),
        "when": {"days": 21, "weekday": THURSDAY},
        "times": ("14:00", "16:30"),
        "venue_name": "Voorbeeldlocatie (adres in de bevestiging)",
        "themes": ["Toezicht", "Competentieontwikkeling"],
        "organisers": [],
        "publications": ["kritische-beroepssituaties"],
        "learning_circle": PROGRAMME,
        "access": "uitnodiging",  # a conversation in a small, invited group
        "capacity": 12,
        "programme": """
            - **14.00** Welkom
            - **14.15** Een situatie uit de praktijk, ingebracht door een deelnemer
            - **15.30** Wat neemt u mee naar uw eigen team?
            """,
        "registrants": SAMPLE_REGISTRANTS,
    },
    {
        "slug": "webinar-aandacht-voor-wat-werkt",
        "title": "Voorbeeld: webinar over het effect van toezicht",
        "kind": "webinar",
        "summary": (
            f"{FICTIONAL} Een webinar over Aandacht voor wat werkt: hoe krijgen inspecteurs "
            "inzicht in hun eigen effect?"
        ),
        "when": {"days": 42, "weekday": TUESDAY},
        "times": ("14:00", "15:30"),
        "online": True,  # the link goes to confirmed registrants only
        "join": {
            "online_url": "https://meet.example.org/voorbeeld-webinar-toezicht",
            "access_code": "VOORBEELD",
        },
        "themes": ["Toezicht", "Competentieontwikkeling"],
        "organisers": [],
        "publications": ["aandacht-voor-wat-werkt"],
        "capacity": None,
    },
    {
        "slug": "leesbijeenkomst-waarden-die-botsen",
        "title": "Voorbeeld: leesbijeenkomst over botsende rationaliteiten",
        "kind": "bijeenkomst",
        "summary": (
            f"{FICTIONAL} Deelnemers lezen en bespreken samen publicaties die Stichting IKPOB "
            "liet maken, over verschillende waarden en botsende rationaliteiten."
        ),
        "when": {"days": 61, "weekday": WEDNESDAY},
        "times": ("14:00", "16:30"),
        "venue_name": "Voorbeeldlocatie (volgt)",
        "themes": ["Ambtelijk vakmanschap", "Politiek en bestuur"],
        "organisers": [],
        "publications": ["omgaan-met-conflicterende-waarden", "botsende-rationaliteiten"],
        "capacity": 30,
        "registration_opens": (-28, "09:00"),
    },
]
