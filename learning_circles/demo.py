"""Demo data of the learning circles for `manage.py loaddemo`.

Plain data, loaded by the composition root (`ikpob_portal.demo`); this module imports only the
standard library. Organisations, people and publications are referred to by their slug.

Facts come from the portal's domain sheet; every text is written for this portal. The sheet
gives no start dates and no dates for the 2018 meetings or the KBS conversations, so those stay
out (a meeting without a date cannot be recorded); the closing conference has a date but no
time or place. The five municipalities besides Berkelland are not named, so they are left out.
`phase` is set by hand where the dates alone cannot tell it (`start_date` unknown).
"""

import datetime

CIRCLES: list[dict] = [
    {
        "slug": "ambtelijk-vakmanschap-in-de-participatiemaatschappij",
        "title": "Ambtelijk vakmanschap in de participatiemaatschappij",
        "summary": (
            "In deze meerjarige leerkring, met de Universiteit van Tilburg als trekker, leren "
            "Gemeente Berkelland en vijf andere gemeenten wat de participatiemaatschappij van "
            "ambtenaren vraagt. In 2018 waren A+O fonds Gemeenten en het ministerie van BZK bij "
            "bijeenkomsten; op de slotconferentie van 16 januari 2019 werden de resultaten "
            "gedeeld."
        ),
        "description": """
            ## Waarom deze leerkring

            Inwoners nemen vaker zelf het initiatief. Dat vraagt ambtenaren die naast de inwoner
            gaan staan en kunnen kiezen tussen loslaten, faciliteren en sturen.

            ## Hoe er geleerd wordt

            De Universiteit van Tilburg is trekker; Gemeente Berkelland en vijf andere gemeenten
            doen mee. In 2018 waren er verschillende bijeenkomsten van de gemeenten met A+O fonds
            Gemeenten en het ministerie van Binnenlandse Zaken en Koninkrijksrelaties.

            ## Vakmanschap in Berkelland

            Berkelland begon daarnaast een eigen project over ambtelijk vakmanschap. Op de
            projectpagina van de gemeente wordt het gevolgd op:

            - **Kwaliteit**
            - **Tijd**
            - **Geld**

            ## Afronding

            Op de slotconferentie van 16 januari 2019 werden de resultaten gedeeld. Een essay met
            de resultaten werd in de zomer van 2019 verwacht.
            """,
        "published_on": datetime.date(2019, 5, 22),
        "start_date": None,  # "multi-year"; the sheet gives no start date
        "end_date": datetime.date(2019, 1, 16),  # the closing conference
        "phase": "afgerond",
        "accepts_join_requests": False,
        "themes": [
            "Participatiemaatschappij",
            "Ambtelijk vakmanschap",
            "Burgerinitiatief",
            "Democratische waarden",
        ],
        # (organisation slug, role in the circle)
        "participations": [
            ("universiteit-van-tilburg", "trekker"),
            ("gemeente-berkelland", "deelnemer"),
            ("ao-fonds-gemeenten", "partner"),
            ("bzk", "partner"),
        ],
        # (person slug, role), in display order
        "contacts": [("maikel-van-der-neut", "portefeuillehouder")],
        "questions": [
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
        ],
        # A date without a time: the loader records the day only. No place is known.
        "meetings": [
            {
                "title": "Slotconferentie",
                "day": datetime.date(2019, 1, 16),
                "location": "plaats niet bekend",
                "summary": "Op de slotconferentie werden de resultaten van de leerkring gedeeld.",
            },
        ],
        # The essay with the results is not in the demo.
        "outcomes": [],
    },
    {
        "slug": "programma-innovatie-toezicht-professionalisering",
        "title": "Programma Innovatie Toezicht — Professionalisering",
        "summary": (
            "De programmalijn Professionalisering van het Programma Innovatie Toezicht, vanuit "
            "Bureau Inspectieraad, gaat over de professionele competenties die het toezicht van "
            "de toekomst nodig heeft. Inspecteurs bespreken kritische beroepssituaties: momenten "
            "waarop waarden botsen en geen protocol beslist."
        ),
        "description": """
            ## Gesprekken over kritische beroepssituaties

            Eind 2019 en begin 2020 spraken gemengde groepen inspecteurs van verschillende
            inspecties over kritische beroepssituaties (KBS). Na 2021 gebeurde dat ook binnen één
            inspectie of zelfs binnen één team. Bureau Inspectieraad bundelde een samenvatting van
            de eerste gesprekken in een boekje.

            ## Een netwerk dat doorwerkt

            - Contactpersonen voor professionalisering bij de inspecties vormen samen een
              netwerk.
            - De producten worden gebruikt in de **Academie voor Toezicht**.
            - Ervaringen worden gedeeld in de community **Netwerk Publiek Toezicht**.
            """,
        "published_on": None,  # the demo's own publication moment
        "start_date": None,
        "end_date": None,
        "phase": "lopend",
        "accepts_join_requests": True,
        "themes": ["Toezicht", "Competentieontwikkeling", "Ambtelijk vakmanschap"],
        "participations": [("bureau-inspectieraad", "trekker")],
        "contacts": [
            ("ytzen-renema", "contactpersoon"),
            ("sanne-slegtenhorst", "contactpersoon"),
        ],
        "questions": [
            "Welke professionele competenties heeft het toezicht van de toekomst nodig?",
            "Hoe gaan inspecteurs om met situaties waarin waarden botsen en geen protocol de "
            "doorslag geeft?",
        ],
        "meetings": [],
        "outcomes": ["kritische-beroepssituaties"],
    },
]
