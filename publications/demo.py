"""Demo data of the publications for `manage.py loaddemo`.

Plain data, loaded by the composition root (`ikpob_portal.demo`); this module imports nothing.
Organisations and people are referred to by their slug (see `network.demo`).

Facts, names, dates and titles come from the portal's domain sheet; every text is written for
this portal. Where the sheet gives no year, author or publisher, the value stays empty
(`year: None`) rather than invented. For the three pieces the foundation commissioned the sheet
gives a subject but no title: their titles say "(werktitel)" so that they never pass for the
published title. Bodies are Markdown as written here (the loader joins hard-wrapped lines).

`pdf` says whether the demo writes a sample PDF (marked as a demo file, not the original);
`draft` items are not public.
"""

STRATEGY_ESSAYS = [
    "balanceren-tussen-inkapseling-en-afstoting",
    "verschuivende-verwachtingen",
    "strategiseren-in-de-schaduw-van-de-macht",
    "toekomstverkenning-en-organisatieontwikkeling",
]
SUPERVISION_WORK = [
    "kritische-beroepssituaties",
    "vragenwaaier",
    "aandacht-voor-wat-werkt",
    "inspecteurs-over-hun-vak",
]
COMMISSIONED = [
    "ambtelijk-vakmanschap-3-0",
    "omgaan-met-conflicterende-waarden",
    "botsende-rationaliteiten",
]
NSOB_ESSAYS = [*STRATEGY_ESSAYS, "figureren-in-het-verhaal-van-een-ander"]


def _others(group: list[str], slug: str) -> list[str]:
    return [other for other in group if other != slug]


UNKNOWN_DETAILS = (
    "De precieze titel, het jaar en de uitgever van dit stuk staan niet in het materiaal van de "
    "stichting; daarom draagt het hier een werktitel."
)
NSOB_DETAILS = (
    "Het jaar van verschijnen en de auteurs worden hier niet genoemd, omdat ze niet in het "
    "materiaal van de stichting staan."
)

PUBLICATIONS: list[dict] = [
    {
        "slug": "ambtelijk-vakmanschap-3-0",
        "title": "Over ambtenaar 3.0 (werktitel)",
        "kind": "essay",
        "year": None,
        "authors": ["paul-t-hart"],
        "commissioned_by": ["ikpob"],
        "themes": ["Ambtelijk vakmanschap", "Competentieontwikkeling"],
        "related": _others(COMMISSIONED, "ambtelijk-vakmanschap-3-0"),
        "summary": (
            "Een publicatie van Paul 't Hart over ambtenaar 3.0, geschreven in opdracht van "
            "Stichting IKPOB. Ze gaat over de vraag welk vakmanschap de ambtelijk professional "
            f"nodig heeft. {UNKNOWN_DETAILS}"
        ),
        "body": """
            ## Waarom deze publicatie

            Stichting IKPOB begon met twee vragen: welke competenties, of welk profiel, kenmerken
            de ambtenaar die met een complexe werkelijkheid kan omgaan, en hoe kan die
            professional beter in staat worden gesteld om dat te leren? De stichting liet
            daarover publicaties maken; deze van Paul 't Hart is er een van.
            """,
        "pdf": True,
    },
    {
        "slug": "omgaan-met-conflicterende-waarden",
        "title": "Over de omgang met verschillende waarden (werktitel)",
        "kind": "artikel",
        "year": None,
        "commissioned_by": ["ikpob"],
        "themes": ["Ambtelijk vakmanschap", "Democratische waarden"],
        "related": _others(COMMISSIONED, "omgaan-met-conflicterende-waarden"),
        "summary": (
            "Een publicatie in opdracht van Stichting IKPOB over de omgang met verschillende "
            f"waarden in het werk van de ambtelijk professional. {UNKNOWN_DETAILS} Ook de "
            "auteurs zijn niet bekend."
        ),
        "body": "",
        "pdf": True,
    },
    {
        "slug": "botsende-rationaliteiten",
        "title": "Over botsende rationaliteiten (werktitel)",
        "kind": "essay",
        "year": None,
        "authors": ["in-t-veld", "kruithof"],
        "commissioned_by": ["ikpob"],
        "themes": ["Politiek en bestuur", "Ambtelijk vakmanschap"],
        "related": _others(COMMISSIONED, "botsende-rationaliteiten"),
        "summary": (
            "In 't Veld en Kruithof schreven in opdracht van Stichting IKPOB over botsende "
            "rationaliteiten: politici en ambtenaren werken vanuit verschillende manieren van "
            f"redeneren. {UNKNOWN_DETAILS}"
        ),
        "body": "",
        "pdf": True,
    },
    {
        "slug": "leren-van-doen",
        "title": "Leren van doen",
        "subtitle": "Ervaringen met samenwerken in het IBP",
        "kind": "essay",
        "year": 2020,
        "authors": ["martijn-van-der-steen", "myrthe-van-delden", "petra-ophoff"],
        "publisher": "nsob",
        "themes": ["Sturen in netwerken"],
        "related": ["webinar-leren-van-doen", *NSOB_ESSAYS],
        "summary": (
            "Sinds februari 2018 werken overheden in het Interbestuurlijk Programma (IBP) als "
            "één overheid aan tien grote maatschappelijke opgaven. Dit NSOB-essay haalt lessen "
            "uit de regionale samenwerking die daarbij ontstond."
        ),
        "body": """
            ## Aanleiding

            In het Interbestuurlijk Programma werken overheden sinds februari 2018 samen aan tien
            grote maatschappelijke opgaven, met de ambitie om als één overheid op te treden.

            ## Wat het essay doet

            Martijn van der Steen, Myrthe van Delden en Petra Ophoff zetten de lessen uit de
            regionale samenwerking in het IBP op een rij.

            ## Terugkijken

            Op 22 september 2020 werd het essay besproken in een webinar. De opname staat ook op
            dit portaal.
            """,
        "pdf": True,
    },
    {
        "slug": "webinar-leren-van-doen",
        "title": "Webinar Leren van doen",
        "kind": "video",
        "year": 2020,
        "month": 9,
        "day": 22,
        "authors": [
            "ruben-maes",
            "martijn-van-der-steen",
            "leonard-geluk",
            "annelies-kroeskamp",
            "regina-bouius",
            "gritta-nottelman",
        ],
        "themes": ["Sturen in netwerken"],
        "related": ["leren-van-doen"],
        "summary": (
            "Op 22 september 2020 ging Ruben Maes in gesprek met Martijn van der Steen over het "
            "NSOB-essay Leren van doen. Leonard Geluk (VNG), Annelies Kroeskamp (BZK), Regina "
            "Bouius (provincie Fryslân) en Gritta Nottelman (Waterschap Amstel, Gooi en Vecht) "
            "schoven aan. De opname is terug te kijken."
        ),
        "body": """
            ## Wie er aan het woord komen

            - **Ruben Maes** in gesprek met **Martijn van der Steen**, een van de auteurs van het
              essay.
            - **Leonard Geluk** namens de Vereniging van Nederlandse Gemeenten.
            - **Annelies Kroeskamp** namens het ministerie van Binnenlandse Zaken en
              Koninkrijksrelaties.
            - **Regina Bouius** namens de provincie Fryslân.
            - **Gritta Nottelman** namens Waterschap Amstel, Gooi en Vecht.
            """,
        "pdf": False,
    },
    {
        "slug": "balanceren-tussen-inkapseling-en-afstoting",
        "title": "Balanceren tussen inkapseling en afstoting",
        "subtitle": "Een essay over de strategische functie bij de Rijksoverheid",
        "kind": "essay",
        "year": None,
        "themes": ["Strategie en toekomst"],
        "related": [*_others(STRATEGY_ESSAYS, "balanceren-tussen-inkapseling-en-afstoting")],
        "summary": (
            "Een NSOB-essay over de strategische functie bij de Rijksoverheid, uit de reeks "
            f"over strategie en toekomst. {NSOB_DETAILS}"
        ),
        "body": "",
        "pdf": True,
    },
    {
        "slug": "verschuivende-verwachtingen",
        "title": "Verschuivende verwachtingen",
        "subtitle": "Over rolverandering en vormgeven aan strategische professionaliteit",
        "kind": "essay",
        "year": None,
        "themes": ["Strategie en toekomst"],
        "related": _others(STRATEGY_ESSAYS, "verschuivende-verwachtingen"),
        "summary": (
            "Een NSOB-essay over de strategieafdeling van een grote gemeente: hoe haar rol "
            f"verandert en hoe zij vorm geeft aan strategische professionaliteit. {NSOB_DETAILS}"
        ),
        "body": "",
        "pdf": True,
    },
    {
        "slug": "strategiseren-in-de-schaduw-van-de-macht",
        "title": "Strategiseren in de schaduw van de macht",
        "subtitle": "Politiek assistenten van bestuurders als verborgen verbinders",
        "kind": "essay",
        "year": None,
        "themes": ["Strategie en toekomst"],
        "related": [
            *_others(STRATEGY_ESSAYS, "strategiseren-in-de-schaduw-van-de-macht"),
            "figureren-in-het-verhaal-van-een-ander",
        ],
        "summary": (
            "Een NSOB-essay over politiek assistenten van bestuurders, als verborgen verbinders "
            f"in het strategische werk van de overheid. {NSOB_DETAILS}"
        ),
        "body": "",
        "pdf": True,
    },
    {
        "slug": "toekomstverkenning-en-organisatieontwikkeling",
        "title": "Toekomstverkenning en organisatieontwikkeling",
        "subtitle": "Ontwerpkeuzes in het scenarioproject RWS 2020",
        "kind": "essay",
        "year": None,
        "themes": ["Strategie en toekomst"],
        "related": _others(STRATEGY_ESSAYS, "toekomstverkenning-en-organisatieontwikkeling"),
        "summary": (
            "Een NSOB-essay over de ontwerpkeuzes in het scenarioproject RWS 2020, op het snijvlak "
            f"van toekomstverkenning en organisatieontwikkeling. {NSOB_DETAILS}"
        ),
        "body": "",
        "pdf": True,
    },
    {
        "slug": "figureren-in-het-verhaal-van-een-ander",
        "title": "Figureren in het verhaal van een ander",
        "subtitle": "Over gezagsdragers in beeld",
        "kind": "essay",
        "year": None,
        "themes": ["Politiek en bestuur"],
        "related": ["strategiseren-in-de-schaduw-van-de-macht"],
        "summary": (
            "Een NSOB-essay over gezagsdragers in beeld: hoe de logica's van politiek, "
            "ambtelijke organisatie en media in elkaar overlopen, in wat wel 'mediacratie' heet. "
            f"{NSOB_DETAILS}"
        ),
        "body": "",
        "pdf": True,
    },
    {
        "slug": "kritische-beroepssituaties",
        "title": "Kritische Beroepssituaties in het toezicht",
        "subtitle": "Hoe weet je dat je het goed doet in je werk?",
        "kind": "casus",
        "year": None,
        "publisher": "bureau-inspectieraad",
        "themes": ["Toezicht", "Competentieontwikkeling"],
        "related": _others(SUPERVISION_WORK, "kritische-beroepssituaties"),
        "summary": (
            "Bureau Inspectieraad bundelde een samenvatting van de eerste gesprekken over "
            "kritische beroepssituaties (KBS) in een boekje met verhalen: situaties waarin "
            "waarden botsen en geen handboek of protocol beslist. Het boekje is geen openbare "
            "download; toezichtprofessionals van de rijksinspecties vinden het in de community "
            "Netwerk Publiek Toezicht."
        ),
        "body": """
            ## Wat is een kritische beroepssituatie?

            Een situatie in het werk van een inspecteur waarin waarden met elkaar botsen en geen
            handboek of protocol de doorslag geeft.

            ## Waar u het boekje vindt

            Het boekje is bestemd voor toezichtprofessionals van de rijksinspecties. Zij vinden
            het in de community **Netwerk Publiek Toezicht**. Op dit portaal staat het niet als
            download.
            """,
        "pdf": False,
    },
    {
        "slug": "vragenwaaier",
        "title": "Vragenwaaier",
        "kind": "instrument",
        "year": None,
        "themes": ["Toezicht"],
        "related": ["aandacht-voor-wat-werkt"],
        "summary": (
            "Naast het project Aandacht voor wat werkt toont het materiaal van de stichting een "
            "vragenwaaier: een waaier met vragen. Wat er precies op staat, is niet beschreven."
        ),
        "body": "",
        "pdf": False,
    },
    {
        "slug": "aandacht-voor-wat-werkt",
        "title": "Aandacht voor wat werkt",
        "kind": "instrument",
        "year": None,
        "themes": ["Toezicht", "Competentieontwikkeling"],
        "related": _others(SUPERVISION_WORK, "aandacht-voor-wat-werkt"),
        "summary": (
            "Het project Aandacht voor wat werkt wilde inspecteurs inzicht geven in hun eigen "
            "effect, als inspecteur en als organisatie, zodat toezicht meer uitwerking heeft. "
            "Het Inzichtenlab onder leiding van antropoloog Manja Bomhoff ontwikkelde er "
            "praktische hulpmiddelen voor."
        ),
        "body": """
            ## Inspecteurs als onderzoekers

            In het project onderzochten inspecteurs zelf vragen over hun werk en de effecten
            daarvan.

            ## Het Inzichtenlab

            Het Inzichtenlab, geleid door antropoloog Manja Bomhoff, ontwikkelde praktische
            hulpmiddelen om het effect van toezicht te vergroten. Dat gebeurde vooral samen met
            de Inspectie SZW en de Inspectie Gezondheidszorg en Jeugd; de hulpmiddelen zijn van
            belang voor alle inspecties. Manja Bomhoff helpt wie ermee aan de slag wil.
            """,
        "pdf": False,
    },
    {
        "slug": "inspecteurs-over-hun-vak",
        "title": "Inspecteurs over hun vak",
        "kind": "rapport",
        "year": None,
        "authors": ["manja-bomhoff"],
        "themes": ["Toezicht", "Ambtelijk vakmanschap"],
        "related": _others(SUPERVISION_WORK, "inspecteurs-over-hun-vak"),
        "summary": (
            "Teusjan Vlot wilde de 'stam' van de inspecteurs in beeld brengen en vroeg "
            "antropoloog Manja Bomhoff te onderzoeken wie inspecteurs zijn: hoe hun vak eruitziet, "
            "wat hen bezighoudt en wat volgens hen een goede inspecteur maakt."
        ),
        "body": """
            ## De vragen van het onderzoek

            - Hoe ziet het vak van de inspecteur eruit, en wat houdt inspecteurs bezig?
            - Wat voor mensen zijn het en hoe gedragen ze zich?
            - Wat maakt volgens hen een goede inspecteur, en zijn zij dat zelf?
            - Wie zien zij als hun voorbeelden?
            """,
        "pdf": True,
    },
    {
        # A draft invented for the demo (editors see drafts): not a real publication.
        "slug": "democratische-waarden-in-de-participatiemaatschappij",
        "title": "Democratische waarden in de participatiemaatschappij",
        "kind": "essay",
        "year": None,
        "commissioned_by": [],
        "themes": ["Democratische waarden", "Participatiemaatschappij", "Burgerinitiatief"],
        "related": [],
        "summary": (
            "Voorbeeldconcept voor de demo van dit portaal, geen bestaande publicatie: een essay "
            "in voorbereiding over hoe gelijkheid en inclusie, verantwoording en zorgvuldige "
            "afweging vorm krijgen bij maatwerk en eigen initiatief van inwoners."
        ),
        "body": """
            Dit concept is een voorbeeld in de demo-omgeving; het is niet openbaar.
            """,
        "pdf": False,
        "draft": True,
    },
]

# News and interviews ("Actueel"). `people`: (person slug, role), in order; roles as in
# NewsContribution.Role ("geinterviewde", "auteur", "spreker", "genoemd"). No date is given:
# the loader dates them on the day the demo publishes them (these pieces are written for this
# portal; the sheet dates neither the interview nor a report). No author is named, because
# the sheet names none. Neither piece quotes anyone: what people said is told in our words.
NEWS: list[dict] = [
    {
        "slug": "in-gesprek-met-annet-doesburg",
        "title": "In gesprek met Annet Doesburg over het vak van de publieke professional",
        "kind": "interview",
        "people": [("annet-doesburg", "geinterviewde")],
        "organisations": ["ikpob", "platform-o"],
        "themes": [
            "Ambtelijk vakmanschap",
            "Competentieontwikkeling",
            "Politiek en bestuur",
            "Burgerinitiatief",
            "Leiderschap",
        ],
        "summary": (
            "Bestuurslid Annet Doesburg vertelde in een interview waarom Stichting IKPOB werd "
            "opgericht en wat het vak van de ambtelijk professional vandaag vraagt: een "
            "uitdagende zoektocht. Dit portret vat dat gesprek in onze eigen woorden samen."
        ),
        "body": """
            *Over dit stuk.* Dit is geen letterlijke weergave van het gesprek. Het portret is
            gebaseerd op wat de stichting over het interview met Annet Doesburg heeft
            gepubliceerd; haar antwoorden zijn hier in onze eigen woorden samengevat en er
            staan geen citaten in.

            ## Waarom werd IKPOB opgericht?

            Volgens Doesburg sloot de competentieontwikkeling van ambtenaren niet aan bij de
            vragen die de samenleving stelt, en ontbrak een systematische aanpak. Toen de
            stichting begon, deed niemand onderzoek naar de spanning tussen het bestuur en de
            ambtelijke organisatie als het om competentieontwikkeling gaat. Politici en
            ambtenaren redeneren vanuit verschillende rationaliteiten.

            ## Wat maakt het werk van de ambtenaar lastig?

            Ze noemt de individualiseringsparadox. Mensen willen minder bemoeienis van de
            overheid, maar verwachten wel dat die optreedt zodra er iets misgaat. Dat leidt tot
            meer regels en meer risicomijding, en dat staat op gespannen voet met de autonomie
            die burgers ook willen.

            ## Wat vragen initiatieven van burgers?

            Niet alleen bestuurders, ook ambtenaren. Burgerinitiatieven vragen ambtenaren die
            naast de burger gaan staan, het gesprek aangaan en beoordelen of een initiatief past
            bij de waarden van de gemeente.

            ## Hoe leer je dat vak?

            Vooral in het werk zelf, en minder in standaardtrainingen. Daarom droeg de stichting
            bij aan Platform O, een kennisplatform dat praktijk en wetenschap in het openbaar
            bestuur met elkaar verbindt.

            ## Welk leiderschap hoort daarbij?

            Persoonlijk leiderschap zou in de publieke sector zwaarder moeten wegen: echt zijn,
            durven laten zien wat je niet weet, en durven beslissen.

            ## Verder lezen

            Doesburg wijst op de
            [publicaties die de stichting liet maken](/publicaties/?organisatie=ikpob)
            en kondigt het slotcongres
            [Tussen Participatie en Populisme](/evenementen/tussen-participatie-en-populisme/) aan.
            """,
    },
    {
        "slug": "verslag-slotconferentie-leerkring-participatiemaatschappij",
        "title": (
            "Slotconferentie van de leerkring Ambtelijk vakmanschap in de participatiemaatschappij"
        ),
        "kind": "verslag",
        "people": [("maikel-van-der-neut", "genoemd")],
        "organisations": [
            "universiteit-van-tilburg",
            "gemeente-berkelland",
            "ao-fonds-gemeenten",
            "bzk",
        ],
        "themes": [
            "Ambtelijk vakmanschap",
            "Participatiemaatschappij",
            "Burgerinitiatief",
            "Democratische waarden",
        ],
        "summary": (
            "Op 16 januari 2019 sloot de leerkring Ambtelijk vakmanschap in de "
            "participatiemaatschappij af met een slotconferentie, waar de resultaten werden "
            "gedeeld. Een terugblik op wat de leerkring onderzocht."
        ),
        "body": """
            *Over dit verslag.* Over de dag zelf (plaats, tijden, programma en sprekers) staat
            niets in het materiaal van de stichting. Dit verslag beschrijft daarom alleen wat
            bekend is over de leerkring en haar afsluiting.

            ## De leerkring

            De leerkring liep meerdere jaren, met de Universiteit van Tilburg als trekker.
            Gemeente Berkelland en vijf andere gemeenten deden mee. In 2018 kwamen de gemeenten
            verschillende keren bijeen met A+O fonds Gemeenten en het ministerie van
            Binnenlandse Zaken en Koninkrijksrelaties. In Berkelland was Maikel van der Neut
            portefeuillehouder; de gemeente begon daarnaast een eigen project over ambtelijk
            vakmanschap.

            ## Wat de leerkring onderzocht

            - Hoe verbind je de participatie van inwoners met de interne processen van de
              gemeente?
            - Hoe gaan ambtenaren om met spanning tussen initiatieven en beleid of regels?
            - Waar liggen de grenzen tussen loslaten, faciliteren en sturen, en hoe kies je
              tussen die rollen of wissel je ertussen?
            - Hoe betrek je collega's, de gemeenteraad en het college bij initiatieven?
            - Hoe krijgen nieuwe manieren van werken een plaats in bestaande functies?
            - Hoe combineer en deel je professionele en lokale kennis?
            - Hoe krijgen democratische waarden (gelijkheid en inclusie, verantwoording,
              zorgvuldige afweging) vorm bij maatwerk en eigen initiatief?

            ## De afsluiting

            Op de slotconferentie van 16 januari 2019 werden de resultaten van de leerkring
            gedeeld. Een essay met de resultaten werd in de zomer van 2019 verwacht. Meer over
            [de leerkring](/leerkringen/ambtelijk-vakmanschap-in-de-participatiemaatschappij/)
            staat op haar eigen pagina.
            """,
    },
]
