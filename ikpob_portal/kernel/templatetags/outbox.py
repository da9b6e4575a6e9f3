"""The dashboard's notice of mail that could not be delivered (kernel/outbox.py parks it)."""

from django import template
from django.template.loader import render_to_string

from ikpob_portal.kernel.models import OutgoingMail

register = template.Library()


@register.simple_tag(takes_context=True)
def parked_mail_notice(context) -> str:
    """Nothing for a user who may not see the outbox, or when nothing is parked; otherwise
    how many mails were parked, linked to the list filtered on them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("ikpob_portal.view_outgoingmail"):
        return ""
    count = OutgoingMail.objects.filter(outcome=OutgoingMail.Outcome.PARKED).count()
    if not count:
        return ""
    return render_to_string(
        "admin/ikpob_portal/outgoingmail/parked_notice.html",
        {"count": count, "parked": OutgoingMail.Outcome.PARKED.value},
        request=request,
    )
