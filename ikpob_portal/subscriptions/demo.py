"""Demo data of subscriptions for `manage.py loaddemo`: a few confirmed example subscribers
(example.org addresses, which belong to nobody) and one newsletter that was sent.

Plain data, loaded by the composition root (`ikpob_portal.demo`); this module imports nothing.
The newsletter says only what the portal's domain sheet says, in our own words.
"""

SUBSCRIPTIONS: list[dict] = [
    {
        "email": "lezer.vakmanschap@example.org",
        "themes": ["Ambtelijk vakmanschap", "Politiek en bestuur"],
        "kinds": [],
        "frequency": "weekly",
        "newsletter": True,
        "searches": [],
    },
    {
        "email": "agenda.gemeente@example.org",
        "themes": [],
        "kinds": ["events.event", "learning_circles.learningcircle"],
        "frequency": "monthly",
        "newsletter": True,
        "searches": [],
    },
    {
        "email": "strateeg@example.org",
        "themes": ["Strategie en toekomst"],
        "kinds": ["publications.publication"],
        "frequency": "weekly",
        "newsletter": False,
        # (URL name, query): checked and labelled as the subscribe form does.
        "searches": [("search", "q=rationaliteiten")],
    },
]

NEWSLETTER = {
    "subject": "Nieuws van Stichting IKPOB: ambtelijk vakmanschap in de praktijk",
    "intro": (
        "In deze nieuwsbrief een greep uit wat er op het kennisportaal staat over het vak van "
        "de ambtenaar: essays over het werken tussen bestuur en ambtelijke organisatie, en een "
        "webinar over leren van wat in de praktijk werkt.\n\n"
        "Wilt u meer lezen over een thema? Op elke themapagina kunt u het thema volgen."
    ),
    # Slugs of demo publications, in this order.
    "publications": ["botsende-rationaliteiten", "omgaan-met-conflicterende-waarden"],
}
