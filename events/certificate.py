"""The certificate of attendance (bewijs van deelname): a one-page PDF and its verification code.

Made with reportlab's canvas and its built-in Helvetica, so nothing is fetched or embedded from
elsewhere. The code printed on it is the registration's number signed with the site's secret
key (a salt of its own): whoever has the PDF can check at /bewijs/<code>/ that it is genuine,
and a changed number or signature is refused. The page shows only name, event and date.
"""

import io

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.formats import number_format
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from events.models import Registration
from ikpob_portal.kernel import moments

SALT = "events.certificate"
# Of the signature's 43 characters 16 are printed: 96 bits, far beyond guessing, short to type.
SIGNATURE_LENGTH = 16
ORGANISER = "Stichting IKPOB"


def _signature(number: str) -> str:
    return signing.Signer(salt=SALT).signature(number)[:SIGNATURE_LENGTH]


def code(registration: Registration) -> str:
    """ "123-Xy…": the number, a hyphen, the shortened signature (letters, digits, - and _)."""
    number = str(registration.pk)
    return f"{number}-{_signature(number)}"


def verified(code_text: str) -> Registration | None:
    """The registration a genuine code names, while it still has a certificate; else None."""
    number, _hyphen, signature = code_text.partition("-")
    if not number.isdigit() or not constant_time_compare(signature, _signature(number)):
        return None
    registration = Registration.objects.select_related("event").filter(pk=int(number)).first()
    if registration is None or not registration.has_certificate:
        return None
    return registration


def verification_url(registration: Registration) -> str:
    with translation.override("nl"):
        return settings.SITE_URL + reverse("certificate-verify", args=[code(registration)])


def organisers(registration: Registration) -> str:
    """Stichting IKPOB, and the event's published organisers after it."""
    names = [ORGANISER]
    for organisation in registration.event.organisers.published().order_by("name"):
        if organisation.name not in names:
            names.append(organisation.name)
    return ", ".join(names)


def hours_text(registration: Registration) -> str:
    hours = registration.event.study_hours
    if not hours:
        return ""
    return f"{number_format(hours.normalize(), use_l10n=True)} uur"


def pdf(registration: Registration) -> bytes:
    """The certificate in Dutch, A4, with title, author, subject and language set."""
    event = registration.event
    with translation.override("nl"):
        title = f"Bewijs van deelname: {event.title}"
        when = moments.period(event.starts_at, event.ends_at)
        lines = [
            ("Naam", registration.name),
            ("Evenement", event.title),
            ("Datum", when),
            ("Studie-uren", hours_text(registration)),
            ("Organisatie", organisers(registration)),
        ]
        url = verification_url(registration)
        issued = moments.day(timezone.now())
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, lang="nl", invariant=False)
    page.setTitle(title)
    page.setAuthor(ORGANISER)
    page.setSubject(event.title)
    page.setCreator("IKPOB-portaal")
    width, height = A4
    left = 2.5 * cm
    y = height - 4 * cm
    page.setFont("Helvetica-Bold", 24)
    page.drawString(left, y, "Bewijs van deelname")
    y -= 1.5 * cm
    page.setFont("Helvetica", 12)
    page.drawString(left, y, f"{ORGANISER} verklaart dat")
    y -= 1.2 * cm
    for label, value in lines:
        if not value:
            continue
        page.setFont("Helvetica-Bold", 12)
        page.drawString(left, y, label)
        page.setFont("Helvetica", 12)
        for part in _wrap(value, width - left - 7 * cm):
            page.drawString(left + 4.5 * cm, y, part)
            y -= 0.7 * cm
        y -= 0.3 * cm
    y -= 0.5 * cm
    page.drawString(left, y, "aan dit evenement heeft deelgenomen en bij de ingang aanwezig was.")
    y -= 0.7 * cm
    page.drawString(left, y, f"Afgegeven op {issued}.")
    page.setFont("Helvetica", 10)
    page.drawString(left, 3.5 * cm, "Is dit bewijs echt? Controleer het op:")
    page.setFont("Courier", 10)
    page.drawString(left, 3 * cm, url)
    page.linkURL(url, (left, 2.8 * cm, width - left, 3.4 * cm), relative=0)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _wrap(text: str, width: float, font: str = "Helvetica", size: int = 12) -> list[str]:
    """Words over lines no wider than `width` points."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines
