"""Demo data of the shared kernel for `manage.py loaddemo`: the themes (name, description).

Plain data: the composition root (`ikpob_portal.demo`) loads it. The names are the shared
taxonomy of the domain sheet; the descriptions are written for this portal.
"""

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
