"""Demo data of the network for `manage.py loaddemo`: organisations and people.

Plain data, loaded by the composition root (`ikpob_portal.demo`); this module imports nothing.
Every fact comes from the portal's domain sheet and every text is written for this portal.

- `relations` are keys of `Organisation.RELATIONS`. Only the six organisations the foundation
  names as its own network are partners; every other organisation is shown as what it is
  (its kind and its part in the material), never as a partner of IKPOB.
- A person gets a first name only where the sheet gives one; a function (`title`) and an
  affiliation only where the sheet states them.
- Identifiers (TOOI) only where certain; websites and ROR ids stay empty rather than guessed.
"""

# The foundation's own network as the foundation names it (domain sheet).
PARTNERS = ("vom", "ao-fonds-gemeenten", "vng", "bzk", "king", "stichting-beroepsleer")

WEBINAR = "het webinar van 22 september 2020 over het NSOB-essay Leren van doen"

ORGANISATIONS: list[dict] = [
    {
        "slug": "ikpob",
        "name": "Stichting Innovatie, Kwaliteit en Professionaliteit van het Openbaar Bestuur",
        "short_name": "IKPOB",
        "kind": "stichting",
        "description": (
            "Stichting IKPOB wil de kwaliteit van het openbaar bestuur blijvend verbeteren door "
            "initiatieven te starten en te steunen die het vakmanschap van ambtenaren "
            "versterken. Eerst lag het accent op het ontwikkelen van inzicht; nu gaat het vooral "
            "om het overdraagbaar maken ervan, via publicaties, bijeenkomsten, experimenten en "
            "het netwerk van de stichting."
        ),
        "themes": ["Ambtelijk vakmanschap", "Competentieontwikkeling"],
    },
    {
        "slug": "vom",
        "name": "Vereniging voor OverheidsManagement",
        "short_name": "VOM",
        "kind": "vereniging",
        "description": (
            "De Vereniging voor OverheidsManagement is een vereniging en hoort bij het netwerk "
            "dat Stichting IKPOB als het hare noemt. Met de stichting en de Vereniging van "
            "Gemeentesecretarissen liep de zoektocht naar het handwerk van de "
            "overheidsmanager en -professional."
        ),
        "themes": ["Leiderschap", "Ambtelijk vakmanschap"],
        "relations": ["partner"],
    },
    {
        "slug": "ao-fonds-gemeenten",
        "name": "A+O fonds Gemeenten",
        "short_name": "A+O fonds",
        "kind": "fonds",
        "description": (
            "A+O fonds Gemeenten is het arbeidsmarkt- en opleidingsfonds van de gemeenten en "
            "hoort bij het netwerk van Stichting IKPOB. In 2018 schoof het fonds aan bij "
            "bijeenkomsten van de leerkring Ambtelijk vakmanschap in de participatiemaatschappij."
        ),
        "themes": ["Competentieontwikkeling", "Participatiemaatschappij"],
        "relations": ["partner"],
    },
    {
        "slug": "vng",
        "name": "Vereniging van Nederlandse Gemeenten",
        "short_name": "VNG",
        "kind": "vereniging",
        "description": (
            "De Vereniging van Nederlandse Gemeenten hoort bij het netwerk van Stichting IKPOB. "
            f"Leonard Geluk sprak namens de VNG in {WEBINAR}."
        ),
        "themes": ["Sturen in netwerken", "Politiek en bestuur"],
        "relations": ["partner"],
    },
    {
        "slug": "bzk",
        "name": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        "short_name": "BZK",
        "kind": "ministerie",
        "description": (
            "Het ministerie van Binnenlandse Zaken en Koninkrijksrelaties hoort bij het netwerk "
            "van Stichting IKPOB. In 2018 schoof het ministerie aan bij bijeenkomsten van de "
            "leerkring Ambtelijk vakmanschap in de participatiemaatschappij; Annelies Kroeskamp "
            f"sprak namens BZK in {WEBINAR}."
        ),
        "themes": ["Participatiemaatschappij", "Sturen in netwerken"],
        "relations": ["partner"],
    },
    {
        "slug": "king",
        "name": "Kwaliteitsinstituut Nederlandse Gemeenten",
        "short_name": "KING",
        "kind": "kennisinstituut",
        "description": (
            "Het Kwaliteitsinstituut Nederlandse Gemeenten hoort bij het netwerk van Stichting "
            "IKPOB. Via dat netwerk maakt de stichting haar inzichten over het vak van de "
            "ambtelijk professional overdraagbaar."
        ),
        "themes": ["Ambtelijk vakmanschap"],
        "relations": ["partner"],
    },
    {
        "slug": "stichting-beroepsleer",
        "name": "Stichting Beroepsleer",
        "kind": "stichting",
        "description": (
            "Stichting Beroepsleer hoort bij het netwerk van Stichting IKPOB. Via dat netwerk "
            "maakt de stichting haar inzichten over het vak van de ambtelijk professional "
            "overdraagbaar."
        ),
        "themes": ["Ambtelijk vakmanschap", "Competentieontwikkeling"],
        "relations": ["partner"],
    },
    # Not part of the foundation's own network: shown as what they are, no relation flag.
    {
        "slug": "vgs",
        "name": "Vereniging van Gemeentesecretarissen",
        "short_name": "VGS",
        "kind": "vereniging",
        "description": (
            "De Vereniging van Gemeentesecretarissen is een vereniging. Met Stichting IKPOB en de "
            "VOM liep de zoektocht naar het handwerk van de overheidsmanager en -professional."
        ),
        "themes": ["Leiderschap", "Ambtelijk vakmanschap"],
    },
    {
        "slug": "universiteit-van-tilburg",
        "name": "Universiteit van Tilburg",
        "kind": "universiteit",
        "description": (
            "De Universiteit van Tilburg is trekker van de meerjarige leerkring Ambtelijk "
            "vakmanschap in de participatiemaatschappij, waarin Gemeente Berkelland en vijf "
            "andere gemeenten samen leerden. Op 16 januari 2019 werden op een slotconferentie de "
            "resultaten gedeeld."
        ),
        "themes": ["Participatiemaatschappij", "Ambtelijk vakmanschap"],
    },
    {
        "slug": "nsob",
        "name": "Nederlandse School voor Openbaar Bestuur",
        "short_name": "NSOB",
        "kind": "kennisinstituut",
        "description": (
            "De Nederlandse School voor Openbaar Bestuur geeft essays uit over onder meer sturen "
            "in netwerken, strategie en toekomst en politiek en bestuur, zoals Leren van doen "
            "(2020) over samenwerken in het Interbestuurlijk Programma."
        ),
        "themes": ["Sturen in netwerken", "Strategie en toekomst", "Politiek en bestuur"],
    },
    {
        "slug": "gemeente-berkelland",
        "name": "Gemeente Berkelland",
        "kind": "gemeente",
        "description": (
            "Gemeente Berkelland doet met vijf andere gemeenten mee aan de leerkring Ambtelijk "
            "vakmanschap in de participatiemaatschappij van de Universiteit van Tilburg; "
            "portefeuillehouder is Maikel van der Neut. Daarnaast begon de gemeente een eigen "
            "project over ambtelijk vakmanschap, dat zij volgt op kwaliteit, tijd en geld."
        ),
        "themes": ["Participatiemaatschappij", "Burgerinitiatief", "Ambtelijk vakmanschap"],
        "tooi_uri": "https://identifier.overheid.nl/tooi/id/gemeente/gm1859",
    },
    {
        "slug": "bureau-inspectieraad",
        "name": "Bureau Inspectieraad",
        "kind": "overig",
        "description": (
            "Bureau Inspectieraad voert de programmalijn Professionalisering van het Programma "
            "Innovatie Toezicht, over de professionele competenties die het toezicht van de "
            "toekomst nodig heeft. Het bureau bundelde de eerste gesprekken over kritische "
            "beroepssituaties in een boekje."
        ),
        "themes": ["Toezicht", "Competentieontwikkeling"],
    },
    {
        "slug": "inspectie-szw",
        "name": "Inspectie Sociale Zaken en Werkgelegenheid",
        "short_name": "Inspectie SZW",
        "kind": "inspectie",
        "description": (
            "De Inspectie Sociale Zaken en Werkgelegenheid is een van de rijksinspecties. Vooral "
            "met deze inspectie en de Inspectie Gezondheidszorg en Jeugd ontwikkelde het "
            "Inzichtenlab de hulpmiddelen van Aandacht voor wat werkt."
        ),
        "themes": ["Toezicht"],
    },
    {
        "slug": "igj",
        "name": "Inspectie Gezondheidszorg en Jeugd",
        "short_name": "IGJ",
        "kind": "inspectie",
        "description": (
            "De Inspectie Gezondheidszorg en Jeugd is een van de rijksinspecties. Vooral met deze "
            "inspectie en de Inspectie SZW ontwikkelde het Inzichtenlab de hulpmiddelen van "
            "Aandacht voor wat werkt."
        ),
        "themes": ["Toezicht"],
    },
    {
        "slug": "provincie-fryslan",
        "name": "Provincie Fryslân",
        "kind": "provincie",
        "description": f"Namens de provincie Fryslân sprak Regina Bouius in {WEBINAR}.",
        "themes": ["Sturen in netwerken"],
        "tooi_uri": "https://identifier.overheid.nl/tooi/id/provincie/pv21",
    },
    {
        "slug": "waterschap-agv",
        "name": "Waterschap Amstel, Gooi en Vecht",
        "short_name": "AGV",
        "kind": "waterschap",
        "description": (
            f"Namens Waterschap Amstel, Gooi en Vecht sprak Gritta Nottelman in {WEBINAR}."
        ),
        "themes": ["Sturen in netwerken"],
    },
    {
        "slug": "platform-o",
        "name": "Platform O",
        "kind": "kennisinstituut",
        "description": (
            "Platform O is een kennisplatform dat praktijk en wetenschap in het openbaar bestuur "
            "met elkaar verbindt. Stichting IKPOB droeg eraan bij, omdat de overheid vooral in "
            "het werk zelf leert, samen met andere organisaties."
        ),
        "themes": ["Ambtelijk vakmanschap", "Competentieontwikkeling"],
    },
    {
        "slug": "academie-voor-toezicht",
        "name": "Academie voor Toezicht",
        "kind": "overig",
        "description": (
            "In de Academie voor Toezicht worden producten uit de programmalijn "
            "Professionalisering van het Programma Innovatie Toezicht gebruikt."
        ),
        "themes": ["Toezicht", "Competentieontwikkeling"],
    },
]

# `affiliations`: (organisation slug, role, current?), most important first.
PERSONS: list[dict] = [
    {
        "slug": "paul-t-hart",
        "given_name": "Paul",
        "particle": "'t",
        "family_name": "Hart",
        "bio": (
            "Paul 't Hart schreef in opdracht van Stichting IKPOB over ambtenaar 3.0. De precieze "
            "titel en het jaar van dat stuk staan niet in het materiaal van de stichting."
        ),
        "themes": ["Ambtelijk vakmanschap"],
    },
    {
        "slug": "martijn-van-der-steen",
        "given_name": "Martijn",
        "particle": "van der",
        "family_name": "Steen",
        "bio": (
            "Martijn van der Steen schreef met Myrthe van Delden en Petra Ophoff het NSOB-essay "
            "Leren van doen (2020), over regionale samenwerking in het Interbestuurlijk "
            f"Programma. In {WEBINAR} sprak Ruben Maes met hem over het essay."
        ),
        "themes": ["Sturen in netwerken"],
        "affiliations": [("nsob", "", True)],
    },
    {
        "slug": "myrthe-van-delden",
        "given_name": "Myrthe",
        "particle": "van",
        "family_name": "Delden",
        "bio": (
            "Myrthe van Delden is een van de auteurs van het NSOB-essay Leren van doen (2020), "
            "over regionale samenwerking in het Interbestuurlijk Programma."
        ),
        "themes": ["Sturen in netwerken"],
    },
    {
        "slug": "petra-ophoff",
        "given_name": "Petra",
        "family_name": "Ophoff",
        "bio": (
            "Petra Ophoff is een van de auteurs van het NSOB-essay Leren van doen (2020), over "
            "regionale samenwerking in het Interbestuurlijk Programma."
        ),
        "themes": ["Sturen in netwerken"],
    },
    # Only the family names are known: no first names or initials.
    {
        "slug": "in-t-veld",
        "particle": "In 't",
        "family_name": "Veld",
        "bio": (
            "In 't Veld schreef samen met Kruithof, in opdracht van Stichting IKPOB, over "
            "botsende rationaliteiten."
        ),
        "themes": ["Politiek en bestuur", "Ambtelijk vakmanschap"],
    },
    {
        "slug": "kruithof",
        "family_name": "Kruithof",
        "bio": (
            "Kruithof schreef samen met In 't Veld, in opdracht van Stichting IKPOB, over "
            "botsende rationaliteiten."
        ),
        "themes": ["Politiek en bestuur", "Ambtelijk vakmanschap"],
    },
    {
        "slug": "manja-bomhoff",
        "given_name": "Manja",
        "family_name": "Bomhoff",
        "title": "antropoloog",
        "bio": (
            "Manja Bomhoff is antropoloog. Zij leidt het Inzichtenlab, dat in het project Aandacht "
            "voor wat werkt praktische hulpmiddelen ontwikkelde om het effect van toezicht te "
            "vergroten, en helpt wie met die hulpmiddelen aan de slag wil. Op verzoek van Teusjan "
            "Vlot onderzocht zij wie inspecteurs zijn: Inspecteurs over hun vak."
        ),
        "themes": ["Toezicht"],
    },
    {
        "slug": "teusjan-vlot",
        "given_name": "Teusjan",
        "family_name": "Vlot",
        "title": "voormalig algemeen secretaris van de Inspectieraad",
        "bio": (
            "Teusjan Vlot was algemeen secretaris van de Inspectieraad en hoofd van Bureau "
            "Inspectieraad. Hij wilde de 'stam' van de inspecteurs in beeld brengen en vroeg "
            "antropoloog Manja Bomhoff om dat te onderzoeken."
        ),
        "themes": ["Toezicht"],
        "affiliations": [("bureau-inspectieraad", "hoofd", False)],
    },
    {
        "slug": "annet-doesburg",
        "given_name": "Annet",
        "family_name": "Doesburg",
        "title": "bestuurslid",
        "bio": (
            "Annet Doesburg is bestuurslid van Stichting IKPOB, die initiatieven start en "
            "ondersteunt om het vakmanschap van ambtenaren te versterken."
        ),
        "themes": ["Ambtelijk vakmanschap", "Competentieontwikkeling"],
        "affiliations": [("ikpob", "", True)],
    },
    {
        "slug": "maikel-van-der-neut",
        "given_name": "Maikel",
        "particle": "van der",
        "family_name": "Neut",
        "title": "portefeuillehouder",
        "bio": (
            "Maikel van der Neut is portefeuillehouder bij Gemeente Berkelland voor de leerkring "
            "Ambtelijk vakmanschap in de participatiemaatschappij."
        ),
        "themes": ["Participatiemaatschappij"],
        "affiliations": [("gemeente-berkelland", "", True)],
    },
    {
        "slug": "ruben-maes",
        "given_name": "Ruben",
        "family_name": "Maes",
        "bio": f"Ruben Maes sprak in {WEBINAR} met Martijn van der Steen.",
        "themes": ["Sturen in netwerken"],
    },
    {
        "slug": "leonard-geluk",
        "given_name": "Leonard",
        "family_name": "Geluk",
        "bio": f"Leonard Geluk sprak namens de VNG mee in {WEBINAR}.",
        "themes": ["Sturen in netwerken"],
        "affiliations": [("vng", "", True)],
    },
    {
        "slug": "annelies-kroeskamp",
        "given_name": "Annelies",
        "family_name": "Kroeskamp",
        "bio": f"Annelies Kroeskamp sprak namens het ministerie van BZK mee in {WEBINAR}.",
        "themes": ["Sturen in netwerken"],
        "affiliations": [("bzk", "", True)],
    },
    {
        "slug": "regina-bouius",
        "given_name": "Regina",
        "family_name": "Bouius",
        "bio": f"Regina Bouius sprak namens de provincie Fryslân mee in {WEBINAR}.",
        "themes": ["Sturen in netwerken"],
        "affiliations": [("provincie-fryslan", "", True)],
    },
    {
        "slug": "gritta-nottelman",
        "given_name": "Gritta",
        "family_name": "Nottelman",
        "bio": f"Gritta Nottelman sprak namens Waterschap Amstel, Gooi en Vecht mee in {WEBINAR}.",
        "themes": ["Sturen in netwerken"],
        "affiliations": [("waterschap-agv", "", True)],
    },
    # Contacts of the programme line; the sheet names no employer, so the affiliation records
    # the connection with the programme's owner.
    {
        "slug": "ytzen-renema",
        "given_name": "Ytzen",
        "family_name": "Renema",
        "title": "contactpersoon professionalisering",
        "bio": (
            "Ytzen Renema is contactpersoon van het netwerk voor professionalisering tussen de "
            "inspecties, in de programmalijn Professionalisering van het Programma Innovatie "
            "Toezicht."
        ),
        "themes": ["Toezicht", "Competentieontwikkeling"],
        "affiliations": [("bureau-inspectieraad", "programmalijn Professionalisering", True)],
    },
    {
        "slug": "sanne-slegtenhorst",
        "given_name": "Sanne",
        "family_name": "Slegtenhorst",
        "title": "contactpersoon professionalisering",
        "bio": (
            "Sanne Slegtenhorst is contactpersoon van het netwerk voor professionalisering tussen "
            "de inspecties, in de programmalijn Professionalisering van het Programma Innovatie "
            "Toezicht."
        ),
        "themes": ["Toezicht", "Competentieontwikkeling"],
        "affiliations": [("bureau-inspectieraad", "programmalijn Professionalisering", True)],
    },
]
