"""Demo data of the foundation's own pages for `manage.py loaddemo`.

Plain data, loaded by the composition root (`ikpob_portal.demo`); this module imports nothing.
Facts come from the portal's domain sheet, in our own words. There is no "Contact" page: the
sheet gives no address or telephone number of the foundation, and none is made up.

Each page: `slug`, `title`, `summary`, `body` (Markdown, one line per paragraph after
`md()`), `themes` (names), `parent` (a slug or None), `in_header`, `in_footer`, `menu_order`.
"""

PAGES: list[dict] = [
    {
        "slug": "over-ikpob",
        "title": "Over IKPOB",
        "summary": (
            "Stichting IKPOB (Innovatie, Kwaliteit en Professionaliteit van het Openbaar "
            "Bestuur) werkt aan beter openbaar bestuur door het vakmanschap van ambtenaren "
            "te versterken."
        ),
        "body": """
            ## Waarom de stichting er is
            De stichting wil de kwaliteit van het openbaar bestuur blijvend verbeteren. Dat doet
            zij door initiatieven te starten en te steunen die de competenties van de ambtelijk
            professional vergroten.

            ## Begonnen met een onderzoek
            Aan het begin stond een onderzoek dat uitkwam op twee vragen:

            - Welke competenties, of welke houding en welk profiel, kenmerken de ambtenaar die
              met een ingewikkelde werkelijkheid kan omgaan?
            - Hoe kan die professional beter in staat worden gesteld om dat te leren?

            ## Het Arrangement van competentievorming
            Uit die vragen kwam het Arrangement van competentievorming voort. Het geeft inzicht
            in hoe de vraag naar ambtelijk meesterschap binnen organisaties verandert, en biedt
            instrumenten, samen met trainers ontwikkeld, om dat meesterschap in de praktijk
            vorm te geven.

            ## Van inzicht ontwikkelen naar inzicht overdragen
            Gaandeweg verschoof het accent: niet langer vooral inzicht ontwikkelen, maar
            inzicht overdraagbaar maken. Dat gebeurt met publicaties (boeken en artikelen),
            met bijeenkomsten en experimenten, en via het netwerk van de stichting.

            ## Het netwerk
            De stichting werkt samen met onder meer de Vereniging voor OverheidsManagement,
            het A+O fonds Gemeenten, de Vereniging van Nederlandse Gemeenten, het ministerie
            van Binnenlandse Zaken en Koninkrijksrelaties, het Kwaliteitsinstituut Nederlandse
            Gemeenten en de Stichting Beroepsleer. Wie zij zijn, staat bij
            [Netwerk](/netwerk/).
        """,
        "themes": ["Ambtelijk vakmanschap", "Competentieontwikkeling"],
        "parent": None,
        "in_header": True,
        "in_footer": True,
        "menu_order": 10,
    },
    {
        "slug": "onze-activiteiten",
        "title": "Onze activiteiten",
        "summary": (
            "Publicaties, bijeenkomsten en experimenten, en een kennisplatform: zo maakt de "
            "stichting inzicht in het ambtelijk vakmanschap overdraagbaar."
        ),
        "body": """
            ## Publicaties
            De stichting laat publicaties maken over het vak van de ambtenaar, zoals werk over
            de ambtenaar 3.0, over de omgang met verschillende waarden en over botsende
            rationaliteiten. Ze staan bij [Publicaties](/publicaties/).

            ## Bijeenkomsten en experimenten
            Met bijeenkomsten en experimenten brengt de stichting wat is uitgezocht naar de
            praktijk. Samen met de Vereniging voor OverheidsManagement en de Vereniging van
            Gemeentesecretarissen hield zij de zoektocht naar het handwerk van de
            overheidsmanager en -professional.

            De zoektocht van de stichting sluit af met het congres "Tussen Participatie en
            Populisme" op 20 november. Zie [Evenementen](/evenementen/).

            ## Leren in het werk
            Ambtenaren leren vooral in hun werk: de overheid leert samen met andere organisaties
            van ervaringen en deelt die. Daarom droeg de stichting bij aan Platform O, een
            kennisplatform dat praktijk en wetenschap in het openbaar bestuur verbindt.
        """,
        "themes": ["Ambtelijk vakmanschap", "Participatiemaatschappij"],
        "parent": None,
        "in_header": False,
        "in_footer": True,
        "menu_order": 20,
    },
]

# The home page's settings: no intro of its own (the fixed text) and no picks, so the home page
# shows the flagship congress and the newest items by itself.
HOME = {"intro": "", "featured": []}
