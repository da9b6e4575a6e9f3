"""schema.org JSON-LD for a learning circle (see ikpob_portal.kernel.structured_data).

A circle is a `ResearchProject`, which schema.org types as an Organization: its period is
`foundingDate`/`dissolutionDate` and its themes `knowsAbout` (Organization has no
`startDate` or `about`), and the taking-part organisations are its `member`s, lead first.
"""

from ikpob_portal.kernel.structured_data import Absolute, document, theme_terms
from learning_circles.models import LearningCircle
from network.structured_data import organisation_reference


def json_ld(circle: LearningCircle, absolute: Absolute) -> dict:
    """Expects participations (published organisations only) and themes prefetched."""
    return document(
        "ResearchProject",
        name=circle.title,
        description=circle.summary,
        url=absolute(circle.get_absolute_url()),
        foundingDate=circle.start_date.isoformat() if circle.start_date else None,
        dissolutionDate=circle.end_date.isoformat() if circle.end_date else None,
        knowsAbout=theme_terms(circle.theme_list, absolute),
        member=[
            organisation_reference(participation.organisation, absolute)
            for participation in circle.ordered_participations
            if participation.organisation.is_published
        ],
    )
