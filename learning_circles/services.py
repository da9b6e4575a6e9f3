from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikpob_portal.platform.email_addresses import normalise_stored_email
from learning_circles import mails
from learning_circles.models import JoinRequest, LearningCircle

DUPLICATE_EMAIL_MESSAGE = _(
    "Met dit e-mailadres is al belangstelling gemeld voor deze leerkring. "
    "De redactie neemt contact met u op."
)


class JoinRequestError(Exception):
    """Interest that cannot be stored, with a message for the visitor (like events'
    RegistrationError): the view shows it on the form, at `field` or above it."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@contextmanager
def _refusing_duplicates() -> Iterator[None]:
    """The form checks for an open request with the same email first; a simultaneous one can
    still win the race, and then the database's unique constraint refuses this one."""
    try:
        yield
    except IntegrityError:
        raise JoinRequestError(DUPLICATE_EMAIL_MESSAGE, field="email") from None


def submit_join_request(*, circle: LearningCircle, data: dict) -> JoinRequest:
    """Store the interest and, in the same transaction, the editors' notice in the outbox.

    The notice is sent once the row is committed; a failing mail server loses nothing, as
    `manage.py send_pending_mails` tries again. Raises JoinRequestError when the email already
    has an open request for this circle.
    """
    # Stored in its normal form, so lookalike addresses meet the constraint (Lower("email")).
    data = {**data, "email": normalise_stored_email(data["email"])}
    with _refusing_duplicates(), transaction.atomic():
        join_request = JoinRequest.objects.create(circle=circle, consent_at=timezone.now(), **data)
        mails.queue_join_request_notice(join_request)
    return join_request
