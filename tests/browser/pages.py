"""Every page type of the portal, for the accessibility run and the screenshots.

Adding a page type is one line in PAGE_TYPES:

    PageType("event-list", "/evenementen/"),

The name is the test id and the screenshot's file name. The path is opened after the demo
content (`manage.py loaddemo`) is loaded; give a callable instead of a string when the path
depends on the data, and a `setup(driver, live_server_url)` when the page needs more than the
demo content (an extra record, a logged-in editor). `status` is the HTTP status the page must
answer with, so a page type whose URL does not exist yet fails instead of testing the 404 page.

A page that is the answer to a form, such as a form showing its errors, is `submit=True`: the
path is opened and its form in `main` is sent as it is, the way a visitor presses the button
without filling anything in; `status` is then the status of that answer.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from events import certificate, invitations, services
from events.models import Event, Invitation, Registration
from tests.browser.helpers import wait_for_next_document
from tests.factories import make_event, make_registration

# Demo content: each app's demo.py, loaded by ikpob_portal/demo.py. From publications/network:
DEMO_THEME = "sturen-in-netwerken"
DEMO_ESSAY = "leren-van-doen"  # an essay with a PDF, three authors and related publications
DEMO_VIDEO = "webinar-leren-van-doen"
DEMO_ORGANISATION = "universiteit-van-tilburg"
DEMO_PERSON = "martijn-van-der-steen"  # an author of DEMO_ESSAY, working at the NSOB
# From learning_circles/demo.py: one finished circle, one running that takes new participants.
DEMO_FINISHED_CIRCLE = "ambtelijk-vakmanschap-in-de-participatiemaatschappij"
DEMO_OPEN_CIRCLE = "programma-innovatie-toezicht-professionalisering"
DEMO_JOIN = f"/leerkringen/{DEMO_OPEN_CIRCLE}/aanmelden/"
# From events/demo.py: the congress with two session rounds (open for registration), and two
# past events without known times: the circle's closing conference and a webinar (speakers).
DEMO_CONGRESS = "tussen-participatie-en-populisme"
DEMO_CLOSING_CONFERENCE = "slotconferentie-ambtelijk-vakmanschap-in-de-participatiemaatschappij"
DEMO_PAST_WEBINAR = "webinar-leren-van-doen"
DEMO_REGISTER = f"/evenementen/{DEMO_CONGRESS}/aanmelden/"
# The fictional KBS conversation: only on invitation, registration open.
DEMO_INVITATION_EVENT = "kbs-gesprek-als-waarden-botsen"
DEMO_INVITATION_REGISTER = f"/evenementen/{DEMO_INVITATION_EVENT}/aanmelden/"
DEMO_ONLINE_EVENT = "webinar-aandacht-voor-wat-werkt"  # with a join link and access code
DEMO_REGISTRANT = "demo.bezoeker@example.org"  # reserved domain (RFC 2606)
# From publications/demo.py (NEWS): the interview with board member Annet Doesburg.
DEMO_INTERVIEW = "in-gesprek-met-annet-doesburg"


def demo_registration_path() -> str:
    """The own page of a registration for the congress, made on first use (in the test DB)."""
    registration = Registration.objects.filter(email=DEMO_REGISTRANT).first()
    if registration is None:
        congress = Event.objects.get(slug=DEMO_CONGRESS)
        sessions = [congress.sessions.filter(slot=slot).first() for slot in (1, 2)]
        registration = services.register(
            event=congress,
            data={
                "name": "Demo Bezoeker",
                "email": DEMO_REGISTRANT,
                "organisation": "Gemeente Voorbeeld",
                "job_title": "beleidsadviseur",
                "needs": "",
            },
            sessions=sessions,
        )
    return registration.get_absolute_url()


def demo_cancelled_registration_path() -> str:
    """The own page of a cancelled registration for the congress, which offers to register
    again (made on first use, in the test DB)."""
    email = "demo.afgemeld@example.org"
    registration = Registration.objects.filter(email=email).first()
    if registration is None:
        registration = services.register(
            event=Event.objects.get(slug=DEMO_CONGRESS),
            data={
                "name": "Demo Afgemeld",
                "email": email,
                "organisation": "Gemeente Voorbeeld",
                "job_title": "",
                "needs": "",
            },
        )
        services.cancel(token=registration.token)
    return registration.get_absolute_url()


def demo_invitation_path(*, declined: bool = False) -> str:
    """The personal invitation link for the KBS conversation, made on first use (in the test
    DB); `declined`: of an invitation answered with "Ik kom niet"."""
    email = "demo.afgeslagen@example.org" if declined else "demo.uitgenodigd@example.org"
    event = Event.objects.get(slug=DEMO_INVITATION_EVENT)
    invitation, _created = Invitation.objects.get_or_create(
        event=event, email=email, defaults={"sent_at": timezone.now()}
    )
    if declined:
        invitation = invitations.decline(invitation=invitation)
    return invitations.invitation_path(invitation)


def closed_event_register_path() -> str:
    """The register page of a closed group's event, with the group-code field (made on first
    use, in the test DB)."""
    slug = "teamdag-toezicht"
    if not Event.objects.filter(slug=slug).exists():
        make_event("Teamdag toezicht", access=Event.Access.CLOSED, group_code="Toezicht-2026")
    return f"/evenementen/{slug}/aanmelden/"


def past_checked_in_registration() -> Registration:
    """A confirmed registration, checked in at the door, for an event that ended yesterday:
    the evaluation is open and the certificate ready (made on first use, in the test DB)."""
    email = "demo.aanwezig@example.org"
    registration = Registration.objects.filter(email=email).first()
    if registration is None:
        event = make_event("Terugkomdag vakmanschap", starts_at=timezone.now() - timedelta(days=1))
        registration = make_registration(event, name="Demo Aanwezig", email=email)
        registration = services.check_in(registration=registration, by=None)
    return registration


def promoted_registration_path() -> str:
    """The own page of someone who moved up from the waiting list: "Plaats teruggeven" instead
    of cancelling (made on first use, in the test DB)."""
    email = "demo.doorgeschoven@example.org"
    registration = Registration.objects.filter(email=email).first()
    if registration is None:
        event = make_event("Intervisie toezicht", capacity=12)
        registration = make_registration(
            event,
            name="Demo Doorgeschoven",
            email=email,
            created=timezone.now() - timedelta(days=3),
            confirmed_at=timezone.now(),
        )
    return registration.get_absolute_url()


def online_registration_path() -> str:
    """The own page of a confirmed registration for the demo webinar: its join details (made
    on first use, in the test DB)."""
    email = "demo.online@example.org"
    registration = Registration.objects.filter(email=email).first()
    if registration is None:
        event = Event.objects.get(slug=DEMO_ONLINE_EVENT)
        registration = make_registration(event, name="Demo Online", email=email)
    return registration.get_absolute_url()


def certificate_verify_path() -> str:
    return reverse("certificate-verify", args=[certificate.code(past_checked_in_registration())])


DEMO_PAGE = "over-ikpob"  # From ikpob_portal/pages/demo.py: in the header and footer menus


def curate_home(driver: WebDriver, live_server_url: str) -> None:
    """The home page as an editor sets it: an intro and featured items of three kinds."""
    from django.contrib.contenttypes.models import ContentType

    from ikpob_portal.pages.models import FeaturedItem, HomePage, Page
    from publications.models import Publication

    home = HomePage.load()
    home.intro = "Welkom bij het kennisportaal van **Stichting IKPOB**."
    home.save()
    targets = [
        Event.objects.get(slug=DEMO_CONGRESS),
        Publication.objects.get(slug=DEMO_ESSAY),
        Page.objects.get(slug=DEMO_PAGE),
    ]
    for position, target in enumerate(targets):
        FeaturedItem.objects.get_or_create(
            home=home,
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            defaults={"position": position},
        )


def demo_subscription(suffix: str = "") -> str:
    """A demo subscriber's own page (preferences, or `suffix` below it): the one with a theme,
    a kind and a saved search."""
    from ikpob_portal.subscriptions.models import Subscription

    return Subscription.objects.get(email="strateeg@example.org").get_absolute_url() + suffix


def unconfirmed_subscription_confirm_path() -> str:
    """The confirmation page of an address that just subscribed to a theme."""
    from ikpob_portal.kernel.models import Theme
    from ikpob_portal.subscriptions.models import Subscription

    subscription, created = Subscription.objects.get_or_create(email="nieuw@example.org")
    if created:
        subscription.themes.add(Theme.objects.get(slug=DEMO_THEME))
    return subscription.get_confirm_url()


def disposable_subscription(suffix: str = "") -> str:
    """A confirmed subscriber's page (or `suffix` below it) that a page type may delete."""
    from django.utils import timezone

    from ikpob_portal.subscriptions.models import Subscription

    subscription, _created = Subscription.objects.get_or_create(
        email="weg@example.org", defaults={"confirmed_at": timezone.now(), "newsletter": True}
    )
    return subscription.get_absolute_url() + suffix


def demo_add_path(*, expired: bool = False) -> str:
    """The link in an "add this" mail for the demo subscriber: a theme to add, or a link
    signed for another subscription (refused as no longer working)."""
    from ikpob_portal.kernel.models import Theme
    from ikpob_portal.subscriptions.models import Subscription

    subscription = Subscription.objects.get(email="strateeg@example.org")
    other = Subscription.objects.get(email="agenda.gemeente@example.org")
    additions = {"themes": [Theme.objects.get(slug=DEMO_THEME).pk]}
    signed = (
        (other if expired else subscription).get_add_url(additions).rstrip("/").rsplit("/", 1)[1]
    )
    return f"{subscription.get_absolute_url()}toevoegen/{signed}/"


@dataclass(frozen=True)
class PageType:
    name: str
    path_or_callable: str | Callable[[], str]
    setup: Callable[[WebDriver, str], None] | None = None
    status: int = 200
    submit: bool = False

    def __str__(self) -> str:
        return self.name

    def path(self) -> str:
        if callable(self.path_or_callable):
            return self.path_or_callable()
        return self.path_or_callable

    @property
    def language(self) -> str:
        """The interface language the URL asks for: English under /en/, Dutch elsewhere."""
        return "en" if self.path().startswith("/en/") else "nl"


PAGE_TYPES: list[PageType] = [
    PageType("home", "/"),
    PageType("home-curated", "/", setup=curate_home),
    PageType("page", f"/{DEMO_PAGE}/"),
    PageType("page-en", f"/en/{DEMO_PAGE}/"),
    PageType("publication-list", "/publicaties/"),
    PageType("publication-list-filtered", f"/publicaties/?thema={DEMO_THEME}&soort=essay"),
    PageType("publication-list-invalid-filter", "/publicaties/?jaar=abc"),
    PageType("publication-detail", f"/publicaties/{DEMO_ESSAY}/"),
    PageType("publication-detail-video", f"/publicaties/{DEMO_VIDEO}/"),
    PageType("theme-index", "/themas/"),
    PageType("theme", f"/themas/{DEMO_THEME}/"),
    PageType("theme-with-upcoming-events", "/themas/toezicht/"),
    PageType("accessibility-statement", "/toegankelijkheid/"),
    PageType("privacy-statement", "/privacy/"),
    PageType("not-found", "/bestaat-niet/", status=404),
    PageType("organisation-list", "/netwerk/"),
    PageType("organisation-list-filtered", "/netwerk/?soort=vereniging&relatie=partner"),
    PageType("organisation-detail", f"/netwerk/{DEMO_ORGANISATION}/"),
    PageType("organisation-detail-via-people", "/netwerk/vng/"),
    PageType("person-list", "/netwerk/personen/"),
    PageType("person-detail", f"/netwerk/personen/{DEMO_PERSON}/"),
    PageType("participation-table", "/netwerk/deelname/"),
    PageType("learning-circle-list", "/leerkringen/"),
    PageType("learning-circle-detail", f"/leerkringen/{DEMO_OPEN_CIRCLE}/"),
    PageType("learning-circle-detail-finished", f"/leerkringen/{DEMO_FINISHED_CIRCLE}/"),
    PageType("learning-circle-join", DEMO_JOIN),
    PageType("learning-circle-join-errors", DEMO_JOIN, submit=True),
    PageType("learning-circle-joined", f"{DEMO_JOIN}ontvangen/"),
    PageType("event-list", "/evenementen/"),
    PageType("event-list-filtered", "/evenementen/?soort=congres&thema=democratische-waarden"),
    PageType("event-archive", "/evenementen/archief/"),
    PageType("event-detail", f"/evenementen/{DEMO_CONGRESS}/"),
    PageType("event-detail-past-conference", f"/evenementen/{DEMO_CLOSING_CONFERENCE}/"),
    PageType("event-detail-past-webinar", f"/evenementen/{DEMO_PAST_WEBINAR}/"),
    PageType("event-register", DEMO_REGISTER),
    PageType("event-register-errors", DEMO_REGISTER, submit=True),
    PageType("event-registration", demo_registration_path),
    PageType("search-results", "/zoeken/?q=vakmanschap"),
    PageType("search-filtered", "/zoeken/?q=toezicht&soort=publication"),
    PageType("search-no-results", "/zoeken/?q=xyzzyqwerty"),
    # A typo: results through the corrected word and "Bedoelde u: vakmanschap?".
    PageType("search-did-you-mean", "/zoeken/?q=vakmanshap"),
    PageType("search-en", "/en/zoeken/?q=toezicht"),
    PageType("home-en", "/en/"),
    PageType("publication-detail-en", f"/en/publicaties/{DEMO_ESSAY}/"),
    PageType("learning-circle-detail-en", f"/en/leerkringen/{DEMO_OPEN_CIRCLE}/"),
    PageType("event-detail-en", f"/en/evenementen/{DEMO_CONGRESS}/"),
    # English pages with Dutch content marked lang="nl" and the notice that it is Dutch.
    PageType("publication-list-en", "/en/publicaties/"),
    PageType("theme-en", f"/en/themas/{DEMO_THEME}/"),
    PageType("organisation-detail-en", "/en/netwerk/vng/"),
    PageType("person-detail-en", f"/en/netwerk/personen/{DEMO_PERSON}/"),
    PageType("participation-table-en", "/en/netwerk/deelname/"),
    PageType("learning-circle-list-en", "/en/leerkringen/"),
    PageType("event-list-en", "/en/evenementen/"),
    PageType("event-detail-past-webinar-en", f"/en/evenementen/{DEMO_PAST_WEBINAR}/"),
    PageType("news-list", "/actueel/"),
    PageType("news-list-filtered", "/actueel/?soort=interview&thema=leiderschap"),
    PageType("news-detail", f"/actueel/{DEMO_INTERVIEW}/"),
    PageType("news-list-en", "/en/actueel/"),
    PageType("news-detail-en", f"/en/actueel/{DEMO_INTERVIEW}/"),
    PageType("event-cancel", lambda: f"{demo_registration_path()}annuleren/"),
    PageType("event-registration-cancelled", lambda: demo_cancelled_registration_path()),
    # Who may register: the personal invitation link, the page without it, a declined
    # invitation ("Ik kom niet" sends back to the link's page), a closed group's code.
    PageType("event-register-invitation", demo_invitation_path),
    PageType("event-register-invitation-only", DEMO_INVITATION_REGISTER),
    PageType("event-register-invitation-declined", lambda: demo_invitation_path(declined=True)),
    PageType("event-register-group-code", closed_event_register_path),
    PageType("event-register-group-code-errors", closed_event_register_path, submit=True),
    # Moved up from the waiting list: the own page offers to give the place back, and asks.
    PageType("event-registration-promoted", promoted_registration_path),
    PageType("event-decline-place", lambda: f"{promoted_registration_path()}plaats-teruggeven/"),
    PageType("event-registration-online", online_registration_path),
    # After the event: the personal page's "Na afloop", the evaluation, the certificate's check.
    PageType("event-registration-after", lambda: past_checked_in_registration().get_absolute_url()),
    PageType(
        "event-evaluation", lambda: f"{past_checked_in_registration().get_absolute_url()}evaluatie/"
    ),
    PageType(
        "event-evaluation-errors",
        lambda: f"{past_checked_in_registration().get_absolute_url()}evaluatie/",
        submit=True,
    ),
    PageType("certificate-verify", certificate_verify_path),
    PageType("certificate-unknown", "/bewijs/1-onbekend/", status=404),
    # Following themes and searches (issue 19): the form, its errors, the "check your mailbox"
    # page, and a subscriber's own pages.
    PageType("subscribe", f"/volgen/?thema={DEMO_THEME}"),
    PageType("subscribe-errors", "/volgen/", submit=True),
    PageType(
        "subscribe-search",
        f"/volgen/?pagina=publications:list&zoekopdracht=thema%3D{DEMO_THEME}%26soort%3Dessay",
    ),
    PageType("subscribe-sent", "/volgen/verstuurd/"),
    PageType("subscription-confirm", unconfirmed_subscription_confirm_path),
    PageType("subscription-preferences", demo_subscription),
    PageType("subscription-unsubscribe", lambda: demo_subscription("afmelden/")),
    PageType("subscription-preferences-en", lambda: f"/en{demo_subscription()}"),
    PageType("subscription-confirmed", unconfirmed_subscription_confirm_path, submit=True),
    PageType("subscription-add", demo_add_path),
    PageType("subscription-add-expired", lambda: demo_add_path(expired=True), status=410),
    PageType(
        "subscription-unsubscribed", lambda: disposable_subscription("afmelden/"), submit=True
    ),
]

PAGES_BY_NAME: dict[str, PageType] = {page.name: page for page in PAGE_TYPES}
assert len(PAGES_BY_NAME) == len(PAGE_TYPES), "page type names must be unique"

# The browser's own record of the navigation: the HTTP status selenium does not expose.
_RESPONSE_STATUS = """
const [entry] = performance.getEntriesByType("navigation");
return entry ? entry.responseStatus : null;
"""


_SUBMIT_MAIN_FORM = """
const forms = document.querySelectorAll("main form");
if (forms.length !== 1) return `expected one form in main, found ${forms.length}`;
forms[0].requestSubmit();  // as the submit button would: novalidate lets an empty form go
return null;
"""


def open_page(driver: WebDriver, live_server_url: str, page: PageType) -> None:
    """Run the page type's setup, open it and check it answered with the expected status."""
    if page.setup is not None:
        page.setup(driver, live_server_url)
    path = page.path()
    driver.get(live_server_url + path)
    request = f"GET {path}"
    if page.submit:
        form_page = driver.find_element(By.TAG_NAME, "html")
        problem = driver.execute_script(_SUBMIT_MAIN_FORM)
        assert problem is None, f"page type {page.name!r}: {problem} on {path}"
        wait_for_next_document(driver, form_page)
        request = f"the form on {path}"
    status = driver.execute_script(_RESPONSE_STATUS)
    assert status == page.status, (
        f"page type {page.name!r}: {request} answered {status}, expected {page.status}"
    )
