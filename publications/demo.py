"""Demo content for `manage.py loaddemo`: themes, organisations, people and publications.

The learning circles follow in `learning_circles.demo`, which reuses the helpers here.

Facts, names, dates and titles come from the portal's domain sheet; every text is written
for this portal. Where the sheet gives no year or title, the value here is a plausible
choice for the demo, not a bibliographic fact. No ISBNs, DOIs or web addresses are made up.

Loading is idempotent: records are matched on their slug (child rows such as affiliations on
their natural key), saved only when a value differs, and a PDF is written only when a
publication has none or its file has gone missing.
"""

import datetime
import re
import textwrap
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.text import slugify

from ikpob_portal.kernel.models import Theme
from network.models import Affiliation, Organisation, Person
from publications.models import Authorship, Publication
from publications.pdf import build_pdf

# Fixed, so a second run finds nothing to change.
PUBLISHED_AT = datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.UTC)

PDF_NOTICE = (
    "Dit is een voorbeeldbestand uit de demo-omgeving van het IKPOB-portaal. "
    "Het is niet de oorspronkelijke publicatie."
)


def md(text: str) -> str:
    """Markdown from a hard-wrapped source block: one line per paragraph, heading or item."""
    lines: list[str] = []
    for raw in textwrap.dedent(text).strip().splitlines():
        line = raw.strip()
        continues = line and lines and lines[-1] and not lines[-1].startswith("#")
        if continues and not line.startswith(("#", "- ")):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return "\n".join(lines)


# --- Data ------------------------------------------------------------------------------------

Kind = Organisation.Kind

THEMES: tuple[tuple[str, str], ...] = (
    (
        "Sturen in netwerken",
        "Maatschappelijke opgaven houden zich zelden aan de grenzen van één organisatie. "
        "Dit thema gaat over samenwerken en richting geven wanneer gemeenten, provincies, "
        "waterschappen en het Rijk elkaar nodig hebben en niemand alleen de baas is.",
    ),
    (
        "Strategie en toekomst",
        "Hoe kijkt een overheidsorganisatie vooruit, en wie doet dat eigenlijk? Hier staat "
        "werk over strategische afdelingen, toekomstverkenningen en de plek van strategen "
        "tussen beleid, uitvoering en politiek.",
    ),
    (
        "Politiek en bestuur",
        "Over de verhouding tussen bestuurders, ambtenaren en de wereld om hen heen. Het "
        "thema bundelt publicaties over politieke sensitiviteit, de invloed van media en het "
        "samenspel aan de top van een organisatie.",
    ),
    (
        "Ambtelijk vakmanschap",
        "Wat maakt iemand een goede ambtenaar als de werkelijkheid ingewikkeld en "
        "onvoorspelbaar is? Dit thema verzamelt inzichten over het handwerk van de ambtelijk "
        "professional en over hoe dat vak zich ontwikkelt.",
    ),
    (
        "Participatiemaatschappij",
        "Inwoners pakken zelf zaken op en verwachten een overheid die meebeweegt. Dit thema "
        "gaat over wat dat vraagt van gemeenten en hun medewerkers, en waar het schuurt met "
        "bestaande regels en werkwijzen.",
    ),
    (
        "Competentieontwikkeling",
        "Ambtenaren leren het meest in het werk zelf, samen met collega's en andere "
        "organisaties. Hier vindt u instrumenten en ervaringen die helpen om vaardigheden "
        "gericht te versterken.",
    ),
    (
        "Toezicht",
        "Inspecteurs staan dagelijks voor afwegingen die geen protocol voor hen beslecht. "
        "Dit thema gaat over de professionaliteit van toezichthouders en over hoe inspecties "
        "van en met elkaar leren.",
    ),
    (
        "Leiderschap",
        "Leidinggeven in het openbaar bestuur betekent ruimte maken voor vakmanschap en "
        "tegelijk verantwoording afleggen. Publicaties over de rol van managers en "
        "bestuurders bij het ontwikkelen van mensen en organisaties.",
    ),
    (
        "Burgerinitiatief",
        "Wanneer bewoners zelf met een plan komen, moet de overheid kiezen: loslaten, "
        "faciliteren of sturen. Dit thema gaat over die keuze en over hoe ambtenaren "
        "initiatieven een plek geven in hun organisatie.",
    ),
    (
        "Democratische waarden",
        "Gelijkheid, inclusie, verantwoording en zorgvuldige afweging blijven ertoe doen, ook "
        "als er meer maatwerk komt. Hier staat werk over hoe die waarden overeind blijven in "
        "nieuwe manieren van werken.",
    ),
)


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    kind: str
    short_name: str = ""
    description: str = ""
    themes: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()  # keys of Organisation.RELATIONS
    # Only identifiers we are sure of; ROR ids and websites stay empty rather than guessed.
    tooi_uri: str = ""


PARTNER, CLIENT, KNOWLEDGE_PARTNER = "partner", "opdrachtgever", "kennispartner"

ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        "ikpob",
        "Stichting Innovatie, Kwaliteit en Professionaliteit van het Openbaar Bestuur",
        Kind.STICHTING,
        "IKPOB",
        description=(
            "Stichting IKPOB wil de kwaliteit van het openbaar bestuur blijvend verbeteren door "
            "initiatieven te starten en te steunen die het vakmanschap van ambtenaren "
            "versterken. Eerst lag het accent op het ontwikkelen van inzicht; nu gaat het vooral "
            "om het overdraagbaar maken ervan, via publicaties, bijeenkomsten, experimenten en "
            "het netwerk van de stichting."
        ),
        themes=("Ambtelijk vakmanschap", "Competentieontwikkeling"),
    ),
    DemoOrganisation(
        "vom",
        "Vereniging voor OverheidsManagement",
        Kind.VERENIGING,
        "VOM",
        description=(
            "De Vereniging voor OverheidsManagement is een vereniging uit het netwerk van "
            "Stichting IKPOB. Samen met de Vereniging van Gemeentesecretarissen en de stichting "
            "gaf zij opdracht tot het essay van Paul 't Hart over ambtelijk vakmanschap 3.0."
        ),
        themes=("Leiderschap", "Ambtelijk vakmanschap"),
        relations=(PARTNER, CLIENT),
    ),
    DemoOrganisation(
        "vgs",
        "Vereniging van Gemeentesecretarissen",
        Kind.VERENIGING,
        "VGS",
        description=(
            "De Vereniging van Gemeentesecretarissen hoort bij het netwerk rond Stichting "
            "IKPOB. Met de VOM en de stichting was zij opdrachtgever van het essay van Paul "
            "'t Hart over wat het vak van de ambtenaar vandaag vraagt."
        ),
        themes=("Leiderschap", "Ambtelijk vakmanschap"),
        relations=(PARTNER, CLIENT),
    ),
    DemoOrganisation(
        "ao-fonds-gemeenten",
        "A+O fonds Gemeenten",
        Kind.FONDS,
        "A+O fonds",
        description=(
            "A+O fonds Gemeenten is het arbeidsmarkt- en opleidingsfonds van de gemeenten. In "
            "2018 schoof het fonds als partner aan bij de bijeenkomsten van de leerkring "
            "Ambtelijk vakmanschap in de participatiemaatschappij."
        ),
        themes=("Competentieontwikkeling", "Participatiemaatschappij"),
        relations=(PARTNER,),
    ),
    DemoOrganisation(
        "vng",
        "Vereniging van Nederlandse Gemeenten",
        Kind.VERENIGING,
        "VNG",
        description=(
            "De Vereniging van Nederlandse Gemeenten is de vereniging van de gemeenten en "
            "maakt deel uit van het netwerk rond Stichting IKPOB. In het webinar over het "
            "NSOB-essay Leren van doen, op 22 september 2020, sprak Leonard Geluk namens de VNG."
        ),
        themes=("Sturen in netwerken", "Politiek en bestuur"),
        relations=(PARTNER,),
    ),
    DemoOrganisation(
        "bzk",
        "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        Kind.MINISTERIE,
        "BZK",
        description=(
            "Het ministerie van Binnenlandse Zaken en Koninkrijksrelaties nam in 2018 als "
            "partner deel aan bijeenkomsten van de leerkring Ambtelijk vakmanschap in de "
            "participatiemaatschappij. In 2020 schoof Annelies Kroeskamp namens het ministerie "
            "aan bij het webinar over samenwerken in het Interbestuurlijk Programma."
        ),
        themes=("Participatiemaatschappij", "Sturen in netwerken", "Ambtelijk vakmanschap"),
        relations=(PARTNER,),
    ),
    DemoOrganisation(
        "king",
        "Kwaliteitsinstituut Nederlandse Gemeenten",
        Kind.KENNISINSTITUUT,
        "KING",
        description=(
            "Het Kwaliteitsinstituut Nederlandse Gemeenten is een kennisinstituut en hoort bij "
            "het netwerk rond Stichting IKPOB. Via dat netwerk brengt de stichting haar "
            "inzichten over ambtelijk vakmanschap in de praktijk."
        ),
        themes=("Ambtelijk vakmanschap",),
        relations=(PARTNER,),
    ),
    DemoOrganisation(
        "stichting-beroepsleer",
        "Stichting Beroepsleer",
        Kind.STICHTING,
        description=(
            "Stichting Beroepsleer is een van de organisaties in het netwerk van Stichting "
            "IKPOB. Langs dat netwerk deelt IKPOB inzichten en instrumenten over het vak van de "
            "ambtelijk professional."
        ),
        themes=("Ambtelijk vakmanschap", "Competentieontwikkeling"),
        relations=(PARTNER,),
    ),
    DemoOrganisation(
        "universiteit-van-tilburg",
        "Universiteit van Tilburg",
        Kind.UNIVERSITEIT,
        description=(
            "De Universiteit van Tilburg (Tilburg University) was trekker van de meerjarige "
            "leerkring Ambtelijk vakmanschap in de participatiemaatschappij, waarin Gemeente "
            "Berkelland en vijf andere gemeenten samen leerden. De leerkring sloot af met een "
            "slotconferentie op 16 januari 2019."
        ),
        themes=("Participatiemaatschappij", "Ambtelijk vakmanschap", "Burgerinitiatief"),
        relations=(KNOWLEDGE_PARTNER,),
    ),
    DemoOrganisation(
        "nsob",
        "Nederlandse School voor Openbaar Bestuur",
        Kind.KENNISINSTITUUT,
        "NSOB",
        description=(
            "De Nederlandse School voor Openbaar Bestuur is een school en kennisinstituut voor "
            "het openbaar bestuur. Haar essays gaan onder meer over sturen in netwerken, "
            "strategie en toekomst en de verhouding tussen politiek en bestuur, zoals Leren van "
            "doen (2020) over samenwerken in het Interbestuurlijk Programma."
        ),
        themes=("Sturen in netwerken", "Strategie en toekomst", "Politiek en bestuur"),
        relations=(KNOWLEDGE_PARTNER,),
    ),
    DemoOrganisation(
        "gemeente-berkelland",
        "Gemeente Berkelland",
        Kind.GEMEENTE,
        description=(
            "Gemeente Berkelland deed met vijf andere gemeenten mee aan de leerkring Ambtelijk "
            "vakmanschap in de participatiemaatschappij van de Universiteit van Tilburg; "
            "portefeuillehouder was Maikel van der Neut. Daarnaast begon de gemeente een eigen "
            "project over ambtelijk vakmanschap, dat zij volgt op kwaliteit, tijd en geld."
        ),
        themes=("Participatiemaatschappij", "Burgerinitiatief", "Ambtelijk vakmanschap"),
        relations=(PARTNER,),
        tooi_uri="https://identifier.overheid.nl/tooi/id/gemeente/gm1859",
    ),
    # The secretariat of the national inspectorates, not an inspectorate itself.
    DemoOrganisation(
        "bureau-inspectieraad",
        "Bureau Inspectieraad",
        Kind.OVERIG,
        description=(
            "Bureau Inspectieraad is het secretariaat van de rijksinspecties. Vanuit het bureau "
            "loopt het Programma Innovatie Toezicht, met een programmalijn Professionalisering "
            "over de vakbekwaamheid die het toezicht van de toekomst vraagt. Daaruit kwamen "
            "onder meer het boekje met kritische beroepssituaties en de vragenwaaier voort."
        ),
        themes=("Toezicht", "Competentieontwikkeling"),
        relations=(PARTNER,),
    ),
    DemoOrganisation(
        "inspectie-szw",
        "Inspectie Sociale Zaken en Werkgelegenheid",
        Kind.INSPECTIE,
        "Inspectie SZW",
        description=(
            "De Inspectie Sociale Zaken en Werkgelegenheid is een van de rijksinspecties. Met de "
            "Inspectie Gezondheidszorg en Jeugd werkte zij mee aan het project Aandacht voor wat "
            "werkt, onder leiding van antropoloog Manja Bomhoff."
        ),
        themes=("Toezicht",),
        relations=(PARTNER,),
    ),
    DemoOrganisation(
        "igj",
        "Inspectie Gezondheidszorg en Jeugd",
        Kind.INSPECTIE,
        "IGJ",
        description=(
            "De Inspectie Gezondheidszorg en Jeugd is een van de rijksinspecties. Samen met de "
            "Inspectie SZW deed zij mee aan het project Aandacht voor wat werkt, dat "
            "hulpmiddelen opleverde om te leren van wat in het toezicht goed gaat."
        ),
        themes=("Toezicht",),
        relations=(PARTNER,),
    ),
    DemoOrganisation(
        "provincie-fryslan",
        "Provincie Fryslân",
        Kind.PROVINCIE,
        description=(
            "Provincie Fryslân hoort bij het netwerk rond Stichting IKPOB. Namens de provincie "
            "schoof Regina Bouius aan bij het webinar van 22 september 2020 over Leren van doen, "
            "het NSOB-essay over samenwerken tussen overheden."
        ),
        themes=("Sturen in netwerken",),
        relations=(PARTNER,),
        tooi_uri="https://identifier.overheid.nl/tooi/id/provincie/pv21",
    ),
    DemoOrganisation(
        "waterschap-agv",
        "Waterschap Amstel, Gooi en Vecht",
        Kind.WATERSCHAP,
        "AGV",
        description=(
            "Waterschap Amstel, Gooi en Vecht maakt deel uit van het netwerk rond Stichting "
            "IKPOB. Gritta Nottelman sprak namens het waterschap mee in het webinar van 22 "
            "september 2020 over het NSOB-essay Leren van doen."
        ),
        themes=("Sturen in netwerken",),
        relations=(PARTNER,),
    ),
    DemoOrganisation(
        "platform-o",
        "Platform O",
        Kind.KENNISINSTITUUT,
        description=(
            "Platform O is een kennisplatform dat praktijk en wetenschap in het openbaar bestuur "
            "met elkaar verbindt. Stichting IKPOB droeg eraan bij, omdat de overheid vooral in "
            "het werk zelf leert, samen met andere organisaties."
        ),
        themes=("Ambtelijk vakmanschap", "Competentieontwikkeling"),
        relations=(KNOWLEDGE_PARTNER,),
    ),
    DemoOrganisation(
        "academie-voor-toezicht",
        "Academie voor Toezicht",
        Kind.OVERIG,
        description=(
            "In de Academie voor Toezicht worden producten gebruikt uit de programmalijn "
            "Professionalisering van het Programma Innovatie Toezicht, zoals de verhalen over "
            "kritische beroepssituaties. Zo vinden de gesprekken van inspecteurs hun weg naar "
            "het leren van collega's."
        ),
        themes=("Toezicht", "Competentieontwikkeling"),
    ),
)


@dataclass(frozen=True)
class DemoPerson:
    slug: str
    given_name: str
    family_name: str
    particle: str = ""
    title: str = ""  # only where the domain sheet names a function
    bio: str = ""
    themes: tuple[str, ...] = ()
    # (organisation slug, role), most important first; only connections the sheet states.
    affiliations: tuple[tuple[str, str], ...] = ()


WEBINAR = "het webinar van 22 september 2020 over het NSOB-essay Leren van doen"

PERSONS: tuple[DemoPerson, ...] = (
    DemoPerson(
        "paul-t-hart",
        "Paul",
        "Hart",
        "'t",
        bio=(
            "Paul 't Hart schreef in opdracht van Stichting IKPOB, de VOM en de VGS het essay "
            "Ambtelijk vakmanschap 3.0, over het vak van de ambtelijk professional."
        ),
        themes=("Ambtelijk vakmanschap", "Leiderschap"),
    ),
    DemoPerson(
        "martijn-van-der-steen",
        "Martijn",
        "Steen",
        "van der",
        bio=(
            "Martijn van der Steen schreef met Myrthe van Delden en Petra Ophoff het "
            "NSOB-essay Leren van doen (2020), over regionale samenwerking in het "
            "Interbestuurlijk Programma. In het webinar van 22 september 2020 besprak hij de "
            "bevindingen met Ruben Maes en gasten van verschillende overheden."
        ),
        themes=("Sturen in netwerken", "Strategie en toekomst"),
        affiliations=(("nsob", ""),),
    ),
    DemoPerson(
        "myrthe-van-delden",
        "Myrthe",
        "Delden",
        "van",
        bio=(
            "Myrthe van Delden is een van de auteurs van het NSOB-essay Leren van doen (2020), "
            "over wat overheden leerden van hun regionale samenwerking in het Interbestuurlijk "
            "Programma."
        ),
        themes=("Sturen in netwerken",),
    ),
    DemoPerson(
        "petra-ophoff",
        "Petra",
        "Ophoff",
        bio=(
            "Petra Ophoff schreef mee aan het NSOB-essay Leren van doen (2020), over de lessen "
            "uit regionale samenwerking tussen overheden in het Interbestuurlijk Programma."
        ),
        themes=("Sturen in netwerken",),
    ),
    DemoPerson(
        "roel-in-t-veld",
        "Roel",
        "Veld",
        "in 't",
        bio=(
            "In 't Veld schreef samen met Kruithof, in opdracht van Stichting IKPOB, over "
            "botsende rationaliteiten in het openbaar bestuur."
        ),
        themes=("Politiek en bestuur", "Ambtelijk vakmanschap"),
    ),
    # Only the family name is known; the sources give no first name or initials.
    DemoPerson(
        "kruithof",
        "",
        "Kruithof",
        bio=(
            "Kruithof schreef samen met In 't Veld, in opdracht van Stichting IKPOB, over "
            "botsende rationaliteiten in het openbaar bestuur."
        ),
        themes=("Politiek en bestuur", "Ambtelijk vakmanschap"),
    ),
    DemoPerson(
        "manja-bomhoff",
        "Manja",
        "Bomhoff",
        title="antropoloog",
        bio=(
            "Manja Bomhoff is antropoloog. Zij leidde het project Aandacht voor wat werkt, met "
            "de Inspectie SZW en de Inspectie Gezondheidszorg en Jeugd, waaruit hulpmiddelen "
            "voor inspecteurs en hun teams voortkwamen."
        ),
        themes=("Toezicht", "Competentieontwikkeling"),
    ),
    DemoPerson(
        "teusjan-vlot",
        "Teusjan",
        "Vlot",
        bio="Op verzoek van Teusjan Vlot kwam de studie Inspecteurs over hun vak tot stand.",
        themes=("Toezicht",),
    ),
    DemoPerson(
        "annet-doesburg",
        "Annet",
        "Doesburg",
        title="bestuurslid",
        bio=(
            "Annet Doesburg is bestuurslid van Stichting IKPOB, die initiatieven start en "
            "ondersteunt om het vakmanschap van ambtenaren te versterken."
        ),
        themes=("Ambtelijk vakmanschap", "Competentieontwikkeling"),
        affiliations=(("ikpob", ""),),
    ),
    DemoPerson(
        "maikel-van-der-neut",
        "Maikel",
        "Neut",
        "van der",
        title="portefeuillehouder",
        bio=(
            "Maikel van der Neut was als portefeuillehouder van Gemeente Berkelland betrokken "
            "bij de leerkring Ambtelijk vakmanschap in de participatiemaatschappij. Berkelland "
            "begon daarnaast een eigen project over ambtelijk vakmanschap."
        ),
        themes=("Participatiemaatschappij", "Burgerinitiatief"),
        affiliations=(("gemeente-berkelland", ""),),
    ),
    DemoPerson(
        "ruben-maes",
        "Ruben",
        "Maes",
        bio=(
            f"Ruben Maes leidde {WEBINAR}, in gesprek met auteur Martijn van der Steen en gasten "
            "van gemeenten, Rijk, provincie en waterschap."
        ),
        themes=("Sturen in netwerken",),
    ),
    DemoPerson(
        "leonard-geluk",
        "Leonard",
        "Geluk",
        bio=f"Leonard Geluk sprak namens de VNG mee in {WEBINAR}.",
        themes=("Sturen in netwerken",),
        affiliations=(("vng", ""),),
    ),
    DemoPerson(
        "annelies-kroeskamp",
        "Annelies",
        "Kroeskamp",
        bio=f"Annelies Kroeskamp schoof namens het ministerie van BZK aan bij {WEBINAR}.",
        themes=("Sturen in netwerken",),
        affiliations=(("bzk", ""),),
    ),
    DemoPerson(
        "regina-bouius",
        "Regina",
        "Bouius",
        bio=f"Regina Bouius sprak namens de provincie Fryslân mee in {WEBINAR}.",
        themes=("Sturen in netwerken",),
        affiliations=(("provincie-fryslan", ""),),
    ),
    DemoPerson(
        "gritta-nottelman",
        "Gritta",
        "Nottelman",
        bio=f"Gritta Nottelman schoof namens Waterschap Amstel, Gooi en Vecht aan bij {WEBINAR}.",
        themes=("Sturen in netwerken",),
        affiliations=(("waterschap-agv", ""),),
    ),
    # The sheet names both as contacts of the programme line, not their employer: the
    # affiliation records that connection with the programme's owner.
    DemoPerson(
        "ytzen-renema",
        "Ytzen",
        "Renema",
        title="contactpersoon professionalisering",
        bio=(
            "Ytzen Renema is contactpersoon in het netwerk voor professionalisering dat de "
            "inspecties verbindt, binnen de programmalijn Professionalisering van het Programma "
            "Innovatie Toezicht."
        ),
        themes=("Toezicht", "Competentieontwikkeling"),
        affiliations=(("bureau-inspectieraad", "programmalijn Professionalisering"),),
    ),
    DemoPerson(
        "sanne-slegtenhorst",
        "Sanne",
        "Slegtenhorst",
        title="contactpersoon professionalisering",
        bio=(
            "Sanne Slegtenhorst is contactpersoon in het netwerk voor professionalisering dat "
            "de inspecties verbindt, binnen de programmalijn Professionalisering van het "
            "Programma Innovatie Toezicht."
        ),
        themes=("Toezicht", "Competentieontwikkeling"),
        affiliations=(("bureau-inspectieraad", "programmalijn Professionalisering"),),
    ),
)


@dataclass(frozen=True)
class DemoPublication:
    slug: str
    title: str
    kind: str
    year: int
    summary: str
    body: str
    themes: tuple[str, ...]
    subtitle: str = ""
    month: int | None = None
    day: int | None = None
    authors: tuple[str, ...] = ()  # person slugs, first author first
    publisher: str | None = None  # organisation slug
    commissioned_by: tuple[str, ...] = ()  # organisation slugs
    related: tuple[str, ...] = ()  # publication slugs
    with_pdf: bool = True
    draft: bool = False


P = Publication.Kind
STRATEGY_ESSAYS = (
    "balanceren-tussen-inkapseling-en-afstoting",
    "verschuivende-verwachtingen",
    "strategiseren-in-de-schaduw-van-de-macht",
    "toekomstverkenning-en-organisatieontwikkeling",
)
SUPERVISION_WORK = (
    "kritische-beroepssituaties",
    "vragenwaaier",
    "aandacht-voor-wat-werkt",
    "inspecteurs-over-hun-vak",
)
IKPOB_ESSAYS = (
    "ambtelijk-vakmanschap-3-0",
    "omgaan-met-conflicterende-waarden",
    "botsende-rationaliteiten",
)


def _others(group: tuple[str, ...], slug: str) -> tuple[str, ...]:
    return tuple(other for other in group if other != slug)


PUBLICATIONS: tuple[DemoPublication, ...] = (
    DemoPublication(
        slug="ambtelijk-vakmanschap-3-0",
        title="Ambtelijk vakmanschap 3.0",
        kind=P.ESSAY,
        year=2014,
        authors=("paul-t-hart",),
        commissioned_by=("ikpob", "vom", "vgs"),
        themes=("Ambtelijk vakmanschap", "Leiderschap", "Competentieontwikkeling"),
        related=_others(IKPOB_ESSAYS, "ambtelijk-vakmanschap-3-0"),
        summary=(
            "Paul 't Hart verkent wat er van ambtenaren en overheidsmanagers wordt gevraagd nu "
            "de overheid steeds vaker samen met anderen werkt aan vraagstukken zonder pasklaar "
            "antwoord. Het essay beschrijft het vak als iets dat met zijn tijd verandert en "
            "benoemt het handwerk dat een nieuwe generatie nodig heeft. Het vormde de aftrap "
            "van een gezamenlijke zoektocht van VOM, VGS en Stichting IKPOB."
        ),
        body=md(
            """
            ## Waarom dit essay

            Stichting IKPOB begon met een lastige vraag: welke houding en welke vaardigheden heeft
            een ambtenaar nodig om goed werk te leveren in een ingewikkelde, snel veranderende
            omgeving? Samen met de Vereniging voor OverheidsManagement en de Vereniging van
            Gemeentesecretarissen vroeg de stichting Paul 't Hart die vraag scherp te stellen.

            ## Een nieuwe versie van het vak

            Het cijfer in de titel zegt het al: ambtelijk vakmanschap is geen vast gegeven. Wat een
            generatie geleden als goed werk gold, is vandaag niet altijd genoeg. Het essay nodigt
            uit om na te denken over wat blijft, wat verdwijnt en wat erbij komt.

            ## Vragen om mee verder te gaan

            - Welke kwaliteiten maken in uw organisatie het verschil als het spannend wordt?
            - Hoe leren nieuwe collega's het vak: op cursus, of vooral naast een ervaren collega?
            - Wat vraagt dit van leidinggevenden die ruimte moeten geven en tegelijk moeten sturen?

            Na verschijning reageerden lezers uit de praktijk op het essay. Hun reacties gaven
            richting aan het vervolg van de zoektocht naar het handwerk van de overheidsmanager.
            """
        ),
    ),
    DemoPublication(
        slug="omgaan-met-conflicterende-waarden",
        title="Omgaan met conflicterende waarden",
        kind=P.ARTIKEL,
        year=2016,
        commissioned_by=("ikpob",),
        themes=("Ambtelijk vakmanschap", "Democratische waarden", "Politiek en bestuur"),
        related=_others(IKPOB_ESSAYS, "omgaan-met-conflicterende-waarden"),
        summary=(
            "Ambtenaren moeten geregeld kiezen tussen waarden die allemaal belangrijk zijn, "
            "zoals rechtmatigheid, doelmatigheid, betrokkenheid en snelheid. Dit artikel, "
            "geschreven in opdracht van Stichting IKPOB, behandelt zulke botsingen als een vast "
            "onderdeel van het vak en niet als een bedrijfsongeluk. Het reikt handvatten aan "
            "om een afweging bewust te maken en achteraf te kunnen uitleggen."
        ),
        body=md(
            """
            Wie in het openbaar bestuur werkt, merkt al snel dat goede bedoelingen elkaar in de weg
            kunnen zitten. Een snelle oplossing voor één inwoner kan op gespannen voet staan met
            gelijke behandeling van iedereen. Zorgvuldigheid kost tijd die er soms niet is.

            ## Geen regel die het voor u beslist

            Voor zulke situaties bestaat zelden een voorschrift dat de doorslag geeft. Het artikel
            pleit ervoor om de spanning niet weg te redeneren, maar haar te benoemen en er samen met
            collega's over te praten.

            ## Drie vragen bij elke afweging

            - Welke waarden staan hier tegenover elkaar, en voor wie zijn ze van belang?
            - Welke keuze kan ik verantwoorden tegenover de betrokkenen en tegenover het bestuur?
            - Wat leer ik van deze situatie voor een volgende keer?

            Het stuk sluit aan bij andere publicaties die de stichting liet maken over het
            vakmanschap van de ambtelijk professional.
            """
        ),
    ),
    DemoPublication(
        slug="botsende-rationaliteiten",
        title="Botsende rationaliteiten",
        kind=P.ESSAY,
        year=2015,
        authors=("roel-in-t-veld", "kruithof"),
        commissioned_by=("ikpob",),
        themes=("Ambtelijk vakmanschap", "Politiek en bestuur", "Sturen in netwerken"),
        related=_others(IKPOB_ESSAYS, "botsende-rationaliteiten"),
        summary=(
            "Politiek, ambtelijke organisatie, wetenschap en samenleving redeneren vaak elk "
            "vanuit een eigen logica. Wat in de ene wereld verstandig is, kan in de andere "
            "onbegrijpelijk overkomen. In 't Veld en Kruithof onderzoeken wat dat betekent voor "
            "ambtenaren die tussen die werelden moeten bemiddelen."
        ),
        body=md(
            """
            ## Verschillende werelden, verschillende manieren van denken

            Een bestuurder denkt in termen van draagvlak en timing, een onderzoeker in termen van
            bewijs, een uitvoerder in termen van wat morgen moet gebeuren. Geen van hen is
            onredelijk; ze volgen alleen verschillende redeneringen.

            ## De ambtenaar als vertaler

            Juist op de plekken waar die redeneringen elkaar raken, ligt een belangrijke taak voor
            de ambtelijk professional. Het essay laat zien dat die vertaalrol vakmanschap vraagt:
            het herkennen van de logica van de ander, zonder de eigen professionele blik op te
            geven.

            ## Voor wie

            Het essay is geschreven in opdracht van Stichting IKPOB en richt zich op beleidsmakers,
            adviseurs en leidinggevenden die dagelijks met verschillende partijen schakelen.
            """
        ),
    ),
    DemoPublication(
        slug="leren-van-doen",
        title="Leren van doen",
        subtitle="Ervaringen met samenwerken in het IBP",
        kind=P.ESSAY,
        year=2020,
        authors=("martijn-van-der-steen", "myrthe-van-delden", "petra-ophoff"),
        publisher="nsob",
        themes=("Sturen in netwerken", "Ambtelijk vakmanschap", "Competentieontwikkeling"),
        related=(
            "webinar-leren-van-doen",
            *STRATEGY_ESSAYS,
            "figureren-in-het-verhaal-van-een-ander",
        ),
        summary=(
            "Sinds februari 2018 werken overheden in het Interbestuurlijk Programma (IBP) aan "
            "tien grote maatschappelijke opgaven, met de ambitie om op te treden als één "
            "overheid. Dit NSOB-essay kijkt naar de regionale samenwerking die daaruit ontstond: "
            "wat leverde ze op en waar liep het stroef? De auteurs vertalen die ervaringen naar "
            "lessen voor iedereen die over de grenzen van de eigen organisatie samenwerkt."
        ),
        body=md(
            """
            ## Aanleiding

            In februari 2018 spraken Rijk, provincies, gemeenten en waterschappen af om een reeks
            grote opgaven gezamenlijk op te pakken. In verschillende regio's werd die afspraak in de
            praktijk beproefd.

            ## Wat het essay doet

            Martijn van der Steen, Myrthe van Delden en Petra Ophoff brengen de ervaringen uit die
            regio's samen. Ze laten zien dat samenwerking tussen bestuurslagen niet ontstaat uit een
            blauwdruk, maar al doende groeit: proberen, bijstellen en opnieuw proberen.

            ## Vragen voor uw eigen praktijk

            - Begint de samenwerking bij de opgave, of bij de vraag wie waarvoor bevoegd is?
            - Heeft wie namens uw organisatie aan tafel zit thuis genoeg ruimte en rugdekking?
            - Wanneer kijkt u samen met de partners terug op wat werkte en wat niet?

            ## Terugkijken

            Op 22 september 2020 werd het essay besproken in een webinar met bestuurders en
            ambtenaren uit gemeenten, provincie, waterschap en Rijk. De opname staat ook op dit
            portaal.
            """
        ),
    ),
    DemoPublication(
        slug="webinar-leren-van-doen",
        title="Webinar Leren van doen",
        subtitle="Gesprek over samenwerken in het IBP",
        kind=P.VIDEO,
        year=2020,
        month=9,
        day=22,
        authors=(
            "ruben-maes",
            "martijn-van-der-steen",
            "leonard-geluk",
            "annelies-kroeskamp",
            "regina-bouius",
            "gritta-nottelman",
        ),
        themes=("Sturen in netwerken", "Politiek en bestuur", "Leiderschap"),
        related=("leren-van-doen",),
        with_pdf=False,
        summary=(
            "Op 22 september 2020 ging Ruben Maes in gesprek met Martijn van der Steen over het "
            "essay Leren van doen. Vanuit hun eigen praktijk schoven Leonard Geluk (VNG), "
            "Annelies Kroeskamp (BZK), Regina Bouius (provincie Fryslân) en Gritta Nottelman "
            "(Waterschap Amstel, Gooi en Vecht) aan. De opname van het webinar is terug te kijken."
        ),
        body=md(
            """
            Het webinar bouwde voort op het NSOB-essay over regionale samenwerking in het
            Interbestuurlijk Programma. Martijn van der Steen lichtte de belangrijkste bevindingen
            toe; daarna reageerden gasten uit vier verschillende overheidslagen.

            ## Wie er aan het woord komen

            - **Ruben Maes** leidde het gesprek.
            - **Martijn van der Steen** (NSOB), een van de auteurs van het essay.
            - **Leonard Geluk** namens de Vereniging van Nederlandse Gemeenten.
            - **Annelies Kroeskamp** namens het ministerie van Binnenlandse Zaken en
              Koninkrijksrelaties.
            - **Regina Bouius** namens de provincie Fryslân.
            - **Gritta Nottelman** namens Waterschap Amstel, Gooi en Vecht.

            ## Waar het over ging

            De gasten spiegelden het essay aan hun eigen ervaringen: wat betekent het om als één
            overheid op te treden wanneer ieder ook een eigen bestuur, budget en achterban heeft? De
            opname is geschikt om samen met collega's te bekijken en na te bespreken.
            """
        ),
    ),
    DemoPublication(
        slug="balanceren-tussen-inkapseling-en-afstoting",
        title="Balanceren tussen inkapseling en afstoting",
        subtitle="De strategische functie in departementen",
        kind=P.ESSAY,
        year=2013,
        publisher="nsob",
        themes=("Strategie en toekomst", "Ambtelijk vakmanschap", "Politiek en bestuur"),
        related=(
            *_others(STRATEGY_ESSAYS, "balanceren-tussen-inkapseling-en-afstoting"),
            "leren-van-doen",
        ),
        summary=(
            "Hoe geef je een strategische eenheid een plek binnen een ministerie? Staat ze te "
            "dicht op de lijnorganisatie, dan wordt ze opgeslokt door de waan van de dag; staat "
            "ze te ver weg, dan verliest ze haar invloed. Dit NSOB-essay onderzoekt hoe "
            "departementen tussen die twee uitersten laveren."
        ),
        body=md(
            """
            Ministeries willen verder kijken dan de volgende Kamerbrief. Daarom richten ze
            strategische afdelingen, denktanks of programma's in. Maar waar hang je zo'n eenheid op
            in de organisatie?

            ## Twee valkuilen

            - **Inkapseling**: de strategen raken zo verweven met het dagelijkse beleidswerk dat er
              van vooruitkijken weinig overblijft.
            - **Afstoting**: de strategen staan zo ver van de lijn dat hun werk als vrijblijvend
              wordt gezien en nergens landt.

            ## Wat het essay biedt

            Aan de hand van ervaringen in verschillende departementen laat het essay zien dat de
            juiste afstand niet één keer wordt gekozen, maar steeds opnieuw moet worden gevonden.
            Het is bruikbaar voor strategen, hun leidinggevenden en de ambtelijke top.
            """
        ),
    ),
    DemoPublication(
        slug="verschuivende-verwachtingen",
        title="Verschuivende verwachtingen",
        subtitle="Rolverandering en strategische professionaliteit in een grote gemeente",
        kind=P.ESSAY,
        year=2013,
        publisher="nsob",
        themes=("Strategie en toekomst", "Ambtelijk vakmanschap", "Competentieontwikkeling"),
        related=(*_others(STRATEGY_ESSAYS, "verschuivende-verwachtingen"), "leren-van-doen"),
        summary=(
            "De strategieafdeling van een grote gemeente ziet haar rol veranderen: minder het "
            "schrijven van visies voor de lange termijn, meer het leggen van verbindingen binnen "
            "en buiten het stadhuis. Het essay volgt die verschuiving van dichtbij. Het vraagt "
            "wat strategische professionaliteit betekent wanneer de verwachtingen blijven bewegen."
        ),
        body=md(
            """
            Gemeentelijke strategen werken in een omgeving die snel verandert. Het college wil
            richting, de organisatie wil houvast en de stad wil meepraten. Wat verwacht men dan nog
            van een strategieafdeling?

            ## Van schrijver naar verbinder

            Het essay beschrijft hoe medewerkers van een strategieafdeling hun werk zagen
            verschuiven. Waar vroeger een document het eindproduct was, gaat het nu vaker om
            gesprekken, netwerken en het op gang brengen van beweging bij anderen.

            ## Wat dat vraagt

            - Gevoel voor wat er politiek en maatschappelijk speelt.
            - Het vermogen om ideeën over te dragen zonder ze op te leggen.
            - Een organisatie die strategen de ruimte geeft om te experimenteren.
            """
        ),
    ),
    DemoPublication(
        slug="strategiseren-in-de-schaduw-van-de-macht",
        title="Strategiseren in de schaduw van de macht",
        subtitle="Politiek assistenten als verborgen verbinders",
        kind=P.ESSAY,
        year=2013,
        publisher="nsob",
        themes=("Strategie en toekomst", "Politiek en bestuur", "Leiderschap"),
        related=(
            *_others(STRATEGY_ESSAYS, "strategiseren-in-de-schaduw-van-de-macht"),
            "figureren-in-het-verhaal-van-een-ander",
        ),
        summary=(
            "Politiek assistenten van bestuurders werken zelden in de schijnwerpers, maar hebben "
            "grote invloed op hoe strategie tot stand komt. Dit essay beschrijft hen als "
            "verborgen verbinders tussen de politieke leiding en de ambtelijke organisatie. Het "
            "laat zien hoe zij die rol invullen en welke spanningen daarbij horen."
        ),
        body=md(
            """
            Naast bewindspersonen en andere bestuurders werken politiek assistenten: vertrouwelingen
            die de politieke antenne van hun bestuurder verlengen. Ze zijn geen ambtenaar zoals de
            anderen, en ook geen politicus.

            ## Verbinden zonder podium

            Het essay laat zien dat deze assistenten vaak precies op de naad tussen politiek en
            organisatie werken. Ze vertalen politieke wensen naar de ambtelijke organisatie en
            signaleren omgekeerd wat er in de organisatie leeft.

            ## Spanningen

            Die positie is waardevol, maar niet zonder risico. Wie namens de bestuurder spreekt
            zonder formeel mandaat, moet zorgvuldig omgaan met vertrouwen, loyaliteit en de grenzen
            van de eigen rol. Het essay biedt ambtenaren en bestuurders taal om daarover het gesprek
            aan te gaan.
            """
        ),
    ),
    DemoPublication(
        slug="toekomstverkenning-en-organisatieontwikkeling",
        title="Toekomstverkenning en organisatieontwikkeling",
        subtitle="Ontwerpkeuzes in het scenarioproject RWS 2020",
        kind=P.ESSAY,
        year=2012,
        publisher="nsob",
        themes=("Strategie en toekomst", "Leiderschap", "Sturen in netwerken"),
        related=(
            *_others(STRATEGY_ESSAYS, "toekomstverkenning-en-organisatieontwikkeling"),
            "leren-van-doen",
        ),
        summary=(
            "Met het scenarioproject RWS 2020 verkende Rijkswaterstaat de eigen toekomst. Dit "
            "essay ontleedt de ontwerpkeuzes in dat project: wie deed mee, hoe open was het "
            "proces en hoe vonden de uitkomsten hun weg in de organisatie? Zo laat het zien dat "
            "een toekomstverkenning ook een middel kan zijn om een organisatie te ontwikkelen."
        ),
        body=md(
            """
            Scenario's worden vaak gezien als een manier om de toekomst te verkennen. Dit essay
            kijkt ook naar het effect op de organisatie die ze maakt.

            ## Keuzes in het ontwerp

            - Wie worden betrokken: een kleine kerngroep of een brede kring van medewerkers en
              partners?
            - Hoe open mag de uitkomst zijn, en hoe verhoudt die zich tot lopend beleid?
            - Wat gebeurt er met de scenario's als het project is afgerond?

            ## Waarom dit ertoe doet

            De antwoorden op die vragen bepalen of een verkenning een rapport in de kast blijft of
            een gesprek op gang brengt dat de organisatie verandert. Het voorbeeld van
            Rijkswaterstaat maakt die afwegingen concreet voor andere overheidsorganisaties die
            vooruit willen kijken.
            """
        ),
    ),
    DemoPublication(
        slug="figureren-in-het-verhaal-van-een-ander",
        title="Figureren in het verhaal van een ander",
        subtitle="Overheden in de media",
        kind=P.ESSAY,
        year=2014,
        publisher="nsob",
        themes=("Politiek en bestuur", "Leiderschap", "Democratische waarden"),
        related=("strategiseren-in-de-schaduw-van-de-macht", "leren-van-doen"),
        summary=(
            "Bestuurders en ambtenaren spelen in het nieuws vaak een bijrol in een verhaal dat "
            "door anderen wordt verteld. Dit essay beschrijft hoe de logica's van politiek, "
            "ambtelijke organisatie en media steeds meer in elkaar overlopen. Het vraagt wat dat "
            "betekent voor de manier waarop overheden communiceren en verantwoording afleggen."
        ),
        body=md(
            """
            Media bepalen voor een groot deel hoe burgers de overheid zien. Tegelijk passen politiek
            en ambtelijke organisatie hun werk steeds meer aan op de manier waarop nieuws ontstaat.

            ## Drie logica's die in elkaar schuiven

            De politiek zoekt aandacht en steun, de ambtelijke organisatie zorgvuldigheid en
            continuïteit, de media een verhaal met spanning. Het essay laat zien hoe die drie elkaar
            beïnvloeden en soms vervormen.

            ## Betekenis voor de praktijk

            Voor ambtenaren roept dat vragen op. Hoe blijf je zorgvuldig als het tempo van het
            nieuws de agenda bepaalt? En hoe help je een bestuurder om verantwoording af te leggen
            zonder dat het eigen verhaal verloren gaat?
            """
        ),
    ),
    DemoPublication(
        slug="kritische-beroepssituaties",
        title="Kritische beroepssituaties",
        subtitle="Verhalen van inspecteurs",
        kind=P.CASUS,
        year=2020,
        publisher="bureau-inspectieraad",
        themes=("Toezicht", "Ambtelijk vakmanschap", "Competentieontwikkeling"),
        related=_others(SUPERVISION_WORK, "kritische-beroepssituaties"),
        summary=(
            "In dit boekje vertellen inspecteurs over momenten in hun werk waarop waarden met "
            "elkaar in botsing kwamen en geen protocol de doorslag gaf. De verhalen komen voort "
            "uit de programmalijn Professionalisering van het Programma Innovatie Toezicht. Ze "
            "zijn bedoeld als vertrekpunt voor gesprekken in teams en in opleidingen."
        ),
        body=md(
            """
            ## Wat is een kritische beroepssituatie?

            Een kritische beroepssituatie (KBS) is een moment waarop een inspecteur moet kiezen
            zonder dat regels of werkinstructies het antwoord geven. Meestal staan er meerdere goede
            bedoelingen tegenover elkaar, bijvoorbeeld strengheid en begrip, of snelheid en
            zorgvuldigheid.

            ## Hoe de verhalen ontstonden

            Eind 2019 en begin 2020 spraken gemengde groepen inspecteurs van verschillende
            inspecties met elkaar over zulke situaties. Later werden de gesprekken ook binnen één
            inspectie en zelfs binnen één team gevoerd. Uit die gesprekken zijn de verhalen in dit
            boekje gekozen.

            ## Zo gebruikt u het boekje

            - Lees samen één verhaal en bespreek wat u zelf had gedaan.
            - Zoek naar de waarden die in het verhaal botsen en benoem ze hardop.
            - Gebruik de vragenwaaier om het gesprek verder te verdiepen.

            De verhalen worden onder meer gebruikt in de Academie voor Toezicht en gedeeld binnen
            het Netwerk Publiek Toezicht.
            """
        ),
    ),
    DemoPublication(
        slug="vragenwaaier",
        title="Vragenwaaier",
        subtitle="Samen een kritische beroepssituatie doordenken",
        kind=P.INSTRUMENT,
        year=2021,
        publisher="bureau-inspectieraad",
        themes=("Toezicht", "Competentieontwikkeling"),
        related=_others(SUPERVISION_WORK, "vragenwaaier"),
        summary=(
            "De vragenwaaier is een handzame set vragen waarmee inspecteurs een lastige situatie "
            "uit hun werk met collega's kunnen uitpluizen. Door de vragen één voor één te "
            "bespreken wordt zichtbaar welke waarden op het spel staan en welke keuzes er open "
            "liggen. Het instrument sluit aan bij de gesprekken over kritische beroepssituaties."
        ),
        body=md(
            """
            Een goed gesprek over een lastige situatie begint met een goede vraag. De vragenwaaier
            helpt een team om niet meteen naar een oplossing te springen, maar eerst samen te
            onderzoeken wat er aan de hand was.

            ## Voorbeelden van vragen

            - Wat maakte deze situatie voor u moeilijk?
            - Welke belangen en waarden speelden mee, en van wie?
            - Welke ruimte gaven de regels, en welke niet?
            - Wat zou een collega met een andere achtergrond hebben gedaan?
            - Wat neemt u mee naar een volgende keer?

            ## Gebruik

            De waaier werkt het best in een kleine groep met een gespreksleider. Een gesprek van
            drie kwartier over één situatie levert vaak meer op dan een snelle ronde langs vele
            voorbeelden.
            """
        ),
    ),
    DemoPublication(
        slug="aandacht-voor-wat-werkt",
        title="Aandacht voor wat werkt",
        subtitle="Hulpmiddelen voor inspecteurs en teams",
        kind=P.INSTRUMENT,
        year=2021,
        authors=("manja-bomhoff",),
        publisher="bureau-inspectieraad",
        themes=("Toezicht", "Competentieontwikkeling", "Ambtelijk vakmanschap"),
        related=_others(SUPERVISION_WORK, "aandacht-voor-wat-werkt"),
        summary=(
            "In het project Aandacht voor wat werkt onderzochten de Inspectie SZW en de "
            "Inspectie Gezondheidszorg en Jeugd, onder leiding van antropoloog Manja Bomhoff, "
            "wat er goed gaat in het dagelijkse toezichtswerk. Daaruit zijn praktische "
            "hulpmiddelen voortgekomen. Teams kunnen er hun eigen geslaagde werkwijzen mee "
            "herkennen en bewust versterken."
        ),
        body=md(
            """
            Verbeteren begint vaak bij wat misgaat. Dit project draaide dat om: wat doen inspecteurs
            al goed, en hoe kun je daar meer van maken?

            ## Een antropologische blik

            Manja Bomhoff keek als antropoloog mee in het werk van inspecteurs van de Inspectie SZW
            en de Inspectie Gezondheidszorg en Jeugd. Ze lette op de kleine dingen die een
            inspectiebezoek laten slagen en die in geen enkel handboek staan.

            ## Wat u vindt in deze set

            - Een korte handleiding om in een team een geslaagde situatie te bespreken.
            - Vragen om gewoonten en vaardigheden zichtbaar te maken die vanzelfsprekend lijken.
            - Suggesties om wat werkt te delen met collega's in andere teams.

            De hulpmiddelen zijn ontwikkeld voor inspecties, maar bruikbaar voor iedere organisatie
            die van haar eigen praktijk wil leren.
            """
        ),
    ),
    DemoPublication(
        slug="inspecteurs-over-hun-vak",
        title="Inspecteurs over hun vak",
        kind=P.RAPPORT,
        year=2019,
        publisher="bureau-inspectieraad",
        themes=("Toezicht", "Ambtelijk vakmanschap", "Competentieontwikkeling"),
        related=_others(SUPERVISION_WORK, "inspecteurs-over-hun-vak"),
        summary=(
            "Wat vinden inspecteurs zelf de kern van hun vak, en wat hebben ze nodig om het goed "
            "te blijven doen? Deze verkenning, uitgevoerd op verzoek van Teusjan Vlot, brengt hun "
            "ervaringen en opvattingen in kaart. De uitkomsten geven richting aan de "
            "professionalisering van het toezicht."
        ),
        body=md(
            """
            Het Programma Innovatie Toezicht wil weten welke vakbekwaamheid het toezicht van de
            toekomst vraagt. Een voor de hand liggende bron werd daarbij lang overgeslagen: de
            inspecteurs zelf.

            ## Aanpak

            Op verzoek van Teusjan Vlot werden inspecteurs van verschillende inspecties bevraagd
            over hun werk: wat maakt het de moeite waard, waar lopen ze tegenaan en wat zouden ze
            een nieuwe collega willen meegeven?

            ## Wat het oplevert

            Het rapport laat zien hoe inspecteurs hun eigen professionaliteit beschrijven. Die
            beschrijvingen vormden een basis voor de gesprekken over kritische beroepssituaties en
            voor het netwerk van contactpersonen voor professionalisering in de inspecties.
            """
        ),
    ),
    DemoPublication(
        slug="democratische-waarden-in-de-participatiemaatschappij",
        title="Democratische waarden in de participatiemaatschappij",
        kind=P.ESSAY,
        year=2027,
        publisher="ikpob",
        commissioned_by=("ikpob",),
        themes=("Democratische waarden", "Participatiemaatschappij", "Burgerinitiatief"),
        related=("omgaan-met-conflicterende-waarden",),
        with_pdf=False,
        draft=True,
        summary=(
            "Als inwoners meer zelf oppakken en gemeenten vaker maatwerk leveren, komen waarden "
            "als gelijkheid, inclusie, verantwoording en zorgvuldige afweging onder druk te "
            "staan. Dit essay onderzoekt hoe ambtenaren die waarden bewaken zonder initiatieven "
            "te smoren. Het bouwt voort op de vragen uit de leerkring Ambtelijk vakmanschap in de "
            "participatiemaatschappij."
        ),
        body=md(
            """
            ## Waar het essay over gaat

            Burgerinitiatieven brengen energie en kennis van de buurt mee. Maar wie spreekt er mee
            als een initiatief vooral door de mondigste bewoners wordt gedragen? En hoe leg je
            verantwoording af over maatwerk dat per geval verschilt?

            ## Opbouw

            - Gelijkheid en inclusie: wie doet mee en wie niet?
            - Verantwoording: wat vraagt maatwerk van de raad en het college?
            - Zorgvuldige afweging: hoe blijft ruimte voor tegenspraak?

            Dit essay is nog in voorbereiding. De tekst wordt aangevuld zodra de eerste versie klaar
            is.
            """
        ),
    ),
)


# --- Loading ---------------------------------------------------------------------------------

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self) -> str:
        return f"{self.created} nieuw, {self.updated} bijgewerkt, {self.unchanged} ongewijzigd"


@dataclass
class DemoReport:
    themes: Tally = field(default_factory=Tally)
    organisations: Tally = field(default_factory=Tally)
    persons: Tally = field(default_factory=Tally)
    affiliations: Tally = field(default_factory=Tally)
    affiliations_removed: int = 0
    publications: Tally = field(default_factory=Tally)
    authorships: Tally = field(default_factory=Tally)
    authorships_removed: int = 0
    pdfs_written: int = 0
    pdfs_kept: int = 0
    drafts: int = 0

    def lines(self) -> list[str]:
        """The Dutch summary that `loaddemo` prints."""
        return [
            "Demo-inhoud geladen.",
            f"  Thema's:         {self.themes}",
            f"  Organisaties:    {self.organisations}",
            f"  Personen:        {self.persons}",
            f"  Verbindingen:    {self.affiliations}, {self.affiliations_removed} verwijderd",
            f"  Publicaties:     {self.publications} (waarvan {self.drafts} concept)",
            f"  Auteurschappen:  {self.authorships}, {self.authorships_removed} verwijderd",
            f"  PDF-bestanden:   {self.pdfs_written} geschreven, {self.pdfs_kept} al aanwezig",
        ]


def upsert[M: models.Model](
    model: type[M], lookup: dict[str, object], values: dict[str, object]
) -> tuple[M, str]:
    """Like `update_or_create`, but saves only when a value really differs.

    `update_or_create` saves on every call, which moves `updated` timestamps on each run;
    the demo loader must leave an unchanged database untouched.
    """
    manager = model._default_manager
    instance = manager.filter(**lookup).first()
    if instance is None:
        return manager.create(**lookup, **values), CREATED
    changed = {name: value for name, value in values.items() if getattr(instance, name) != value}
    if not changed:
        return instance, UNCHANGED
    for name, value in changed.items():
        setattr(instance, name, value)
    instance.save()
    return instance, UPDATED


def sync_rows[M: models.Model](
    model: type[M],
    scope: dict[str, object],
    key: tuple[str, ...],
    rows: list[dict[str, object]],
    tally: Tally,
) -> int:
    """Make the rows of `model` within `scope` exactly `rows`, matched on the `key` fields.

    Unchanged rows are left alone (see `upsert`). Rows no longer wanted go first, so a unique
    constraint (one trekker per circle) never sees an old and a new row at once.
    Returns the number of rows removed.
    """
    manager = model._default_manager
    wanted = {tuple(row[name] for name in key) for row in rows}
    stale = [
        instance.pk
        for instance in manager.filter(**scope)
        if tuple(getattr(instance, name) for name in key) not in wanted
    ]
    removed = manager.filter(pk__in=stale).delete()[1].get(model._meta.label, 0) if stale else 0
    for row in rows:
        lookup = {**scope, **{name: row[name] for name in key}}
        values = {name: value for name, value in row.items() if name not in key}
        tally.add(upsert(model, lookup, values)[1])
    return removed


def load_themes(report: DemoReport) -> dict[str, Theme]:
    themes = {}
    for name, description in THEMES:
        theme, outcome = upsert(
            Theme, {"slug": slugify(name)}, {"name": name, "description": description}
        )
        report.themes.add(outcome)
        themes[name] = theme
    return themes


def load_organisations(report: DemoReport, *, themes: dict[str, Theme]) -> dict[str, Organisation]:
    organisations = {}
    for data in ORGANISATIONS:
        flags = {field: key in data.relations for key, (field, _) in Organisation.RELATIONS.items()}
        organisation, outcome = upsert(
            Organisation,
            {"slug": data.slug},
            {
                "name": data.name,
                "short_name": data.short_name,
                "kind": data.kind,
                "description": data.description,
                "tooi_uri": data.tooi_uri,
                **flags,
                # Unpublished organisations have no page: every demo organisation is public.
                "status": Organisation.Status.PUBLISHED,
                "published_at": PUBLISHED_AT,
            },
        )
        report.organisations.add(outcome)
        organisation.themes.set([themes[name] for name in data.themes])
        organisations[data.slug] = organisation
    return organisations


def load_persons(
    report: DemoReport, *, themes: dict[str, Theme], organisations: dict[str, Organisation]
) -> dict[str, Person]:
    persons = {}
    for data in PERSONS:
        person, outcome = upsert(
            Person,
            {"slug": data.slug},
            {
                "given_name": data.given_name,
                "particle": data.particle,
                "family_name": data.family_name,
                "title": data.title,
                "bio": data.bio,
                "status": Person.Status.PUBLISHED,
                "published_at": PUBLISHED_AT,
            },
        )
        report.persons.add(outcome)
        person.themes.set([themes[name] for name in data.themes])
        report.affiliations_removed += sync_rows(
            Affiliation,
            {"person_id": person.pk},
            ("organisation_id", "role"),
            [
                {
                    "organisation_id": organisations[slug].pk,
                    "role": role,
                    "is_current": True,
                    "position": position,
                }
                for position, (slug, role) in enumerate(data.affiliations)
            ],
            report.affiliations,
        )
        persons[data.slug] = person
    return persons


def set_authors(publication: Publication, authors: list[Person], report: DemoReport) -> None:
    """Make the authorships exactly `authors`, in that order, touching only what differs."""
    existing = {authorship.person_id: authorship for authorship in publication.authorships.all()}
    wanted = {person.pk for person in authors}
    for person_id, authorship in existing.items():
        if person_id not in wanted:
            authorship.delete()
            report.authorships_removed += 1
    for position, person in enumerate(authors, start=1):
        authorship = existing.get(person.pk)
        if authorship is None:
            Authorship.objects.create(publication=publication, person=person, position=position)
            report.authorships.add(CREATED)
        elif authorship.position != position:
            authorship.position = position
            authorship.save(update_fields=["position"])
            report.authorships.add(UPDATED)
        else:
            report.authorships.add(UNCHANGED)


def markdown_to_lines(text: str) -> list[str]:
    """Plain lines for the PDF: headings, bullets and emphasis without Markdown syntax."""
    lines = []
    for raw in text.splitlines():
        line = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", raw.strip()).replace("**", "")
        if line.startswith("#"):
            lines += ["", line.lstrip("#").strip().upper()]
        elif line.startswith("- "):
            lines.append("\N{BULLET} " + line[2:])
        else:
            lines.append(line)
    return lines


def pdf_content(
    data: DemoPublication, authors: list[Person], publisher: Organisation | None
) -> bytes:
    lines = []
    if data.subtitle:
        lines.append(data.subtitle)
    if authors:
        lines.append(", ".join(person.full_name for person in authors))
    lines.append(f"{publisher.name}, {data.year}" if publisher else str(data.year))
    lines += ["", data.summary, "", *markdown_to_lines(data.body), "", PDF_NOTICE]
    return build_pdf(data.title, lines)


def ensure_pdf(
    publication: Publication,
    data: DemoPublication,
    authors: list[Person],
    publisher: Organisation | None,
) -> bool:
    """Write the demo PDF unless the publication already has a file that exists. True if written."""
    if publication.pdf and publication.pdf.storage.exists(publication.pdf.name):
        return False
    content = ContentFile(pdf_content(data, authors, publisher))
    publication.pdf.save(f"{publication.slug}.pdf", content, save=True)
    return True


def load_publications(
    report: DemoReport,
    *,
    themes: dict[str, Theme],
    organisations: dict[str, Organisation],
    persons: dict[str, Person],
) -> dict[str, Publication]:
    publications = {}
    for data in PUBLICATIONS:
        publisher = organisations[data.publisher] if data.publisher else None
        status = Publication.Status.DRAFT if data.draft else Publication.Status.PUBLISHED
        publication, outcome = upsert(
            Publication,
            {"slug": data.slug},
            {
                "title": data.title,
                "subtitle": data.subtitle,
                "kind": data.kind,
                "summary": data.summary,
                "body": data.body,
                "publication_year": data.year,
                "publication_month": data.month,
                "publication_day": data.day,
                "language": Publication.Language.NL,
                "licence": Publication.Licence.ALL_RIGHTS,
                "publisher_id": publisher.pk if publisher else None,
                "status": status,
                "published_at": None if data.draft else PUBLISHED_AT,
            },
        )
        report.publications.add(outcome)
        report.drafts += int(data.draft)
        publications[data.slug] = publication

        authors = [persons[slug] for slug in data.authors]
        set_authors(publication, authors, report)
        publication.commissioned_by.set([organisations[slug] for slug in data.commissioned_by])
        publication.themes.set([themes[name] for name in data.themes])
        if data.with_pdf:
            if ensure_pdf(publication, data, authors, publisher):
                report.pdfs_written += 1
            else:
                report.pdfs_kept += 1

    # Only now does every publication exist to point to.
    for data in PUBLICATIONS:
        publications[data.slug].related_publications.set(
            [publications[slug] for slug in data.related]
        )
    return publications


def load_demo() -> DemoReport:
    """Create or update all demo content; running it again changes nothing."""
    report = DemoReport()
    with transaction.atomic():
        themes = load_themes(report)
        organisations = load_organisations(report, themes=themes)
        persons = load_persons(report, themes=themes, organisations=organisations)
        load_publications(report, themes=themes, organisations=organisations, persons=persons)
    return report
