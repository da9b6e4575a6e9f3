"""The dashboard's "Te beoordelen" block: how many items wait for review."""

from django import template
from django.template.loader import render_to_string

from ikpob_portal.kernel import review

register = template.Library()


@register.simple_tag(takes_context=True)
def review_summary(context) -> str:
    """Nothing for a user who may not see the list, or while the setting is off and nothing
    waits; otherwise the number of open requests this user may see, linked to the list."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("ikpob_portal.view_reviewrequest"):
        return ""
    count = review.open_requests_visible_to(user).count()
    if not count and not review.review_required():
        return ""
    return render_to_string(
        "admin/ikpob_portal/reviewrequest/summary.html",
        {"count": count, "may_review": review.may_review(user)},
        request=request,
    )
