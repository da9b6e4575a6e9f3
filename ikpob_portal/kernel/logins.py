"""Admin login lockout: per username from any address, per address over all usernames.

django-axes records every failed login (username, address) in the database. Its own lockout
parameters give one limit for every rule; this handler (settings.AXES_HANDLER) adds a second:

- a username is locked after AXES_FAILURE_LIMIT failures, from whichever addresses they came
  (axes itself, with AXES_LOCKOUT_PARAMETERS = ["username"]): the right password from a new
  address is refused too;
- an address is locked after ADMIN_LOGIN_ADDRESS_ATTEMPTS failures over all usernames, so
  trying many usernames from one place is stopped.

Both last the cool-off time from the failure that caused them. When a username is locked, the
account with that username (if there is one) is mailed once through the outbox. The lockout page
says the same whether or not the username exists (templates/admin/locked_out.html).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ikpob_portal.kernel import outbox
from ikpob_portal.kernel.models import OutgoingMail

LOCKED_MAIL = "ikpob_portal.login.locked"


class LoginLockoutHandler(AxesDatabaseHandler):
    """axes' database handler plus the limit per address and the mail to a locked account."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or address_is_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        # Refused during a lockout: axes counts nothing then (see settings), and nor do we.
        refused = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused:
            return
        username = get_client_username(request, credentials)
        if not request.axes_locked_out and address_is_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes", request=request, username=username, ip_address=request.axes_ip_address
            )
        if username and super().is_locked(request, credentials):
            tell_locked_account(username)


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address within the cool-off time, any username."""
    if not getattr(request, "axes_ip_address", None):
        return 0
    return (
        AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        or 0
    )


def address_is_locked(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.ADMIN_LOGIN_ADDRESS_ATTEMPTS


def tell_locked_account(username: str) -> None:
    """Queue the lockout mail for the account named `username`, once per cool-off time.

    Nothing happens for a username no account has, or an account without an address; the
    visitor cannot tell the difference.
    """
    user_model = get_user_model()
    with transaction.atomic():
        # Locked, so that two failures at once cannot both decide the mail is not queued yet.
        user = (
            user_model._default_manager.select_for_update()
            .filter(**{user_model.USERNAME_FIELD: username}, is_active=True)
            .first()
        )
        if user is None or not getattr(user, "email", ""):
            return
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        if OutgoingMail.objects.filter(
            kind=LOCKED_MAIL, object_id=user.pk, created_at__gte=since
        ).exists():
            return
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        outbox.enqueue(LOCKED_MAIL, user, data={"minutes": minutes})


def mail_locked_account(mail: OutgoingMail) -> bool:
    """Tell the account's owner that it was locked, and what to do (sender of LOCKED_MAIL)."""
    user = get_user_model()._default_manager.filter(pk=mail.object_id, is_active=True).first()
    if user is None or not getattr(user, "email", ""):
        return False
    minutes = mail.data.get("minutes", 15)
    # The editors read Dutch.
    with translation.override("nl"):
        subject = _("Uw account voor het beheer van %(site)s is tijdelijk geblokkeerd") % {
            "site": settings.SITE_NAME
        }
        message = _(
            "Er is %(limit)s keer een verkeerd wachtwoord ingevuld voor uw gebruikersnaam "
            "'%(username)s' in het beheer van %(site)s. Uit veiligheid kan er daarom "
            "%(minutes)s minuten niet met uw account worden ingelogd, vanaf welk adres dan ook.\n\n"
            "Was u dit zelf? Wacht %(minutes)s minuten en probeer het dan opnieuw. Weet u uw "
            "wachtwoord niet meer, vraag dan een beheerder om het opnieuw in te stellen.\n\n"
            "Was u het niet? Dan probeert iemand anders met uw gebruikersnaam in te loggen. "
            "Log na de blokkade in, kies 'Wachtwoord wijzigen' en kies een nieuw, lang "
            "wachtwoord dat u nergens anders gebruikt. Laat het ook een beheerder weten.\n\n"
            "Deze e-mail is automatisch verstuurd; u hoeft er niet op te antwoorden.\n"
        ) % {
            "limit": settings.AXES_FAILURE_LIMIT,
            "username": user.get_username(),
            "site": settings.SITE_NAME,
            "minutes": minutes,
        }
        send_mail(subject=subject, message=message, from_email=None, recipient_list=[user.email])
    return True


def register_mails() -> None:
    """Called once from the kernel's `ready()`."""
    outbox.register_sender(LOCKED_MAIL, mail_locked_account)
