"""Subscribe, confirm, preferences, add, unsubscribe: thin views over `services`.

The subscriber's own pages (/abonnement/<token>/…) are personal: never cached, never indexed
(`platform.headers.personal`), and their token is blanked out of logs (declarations).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ikpob_portal.kernel.models import Theme
from ikpob_portal.platform import ratelimit
from ikpob_portal.platform.headers import personal
from ikpob_portal.subscriptions import choices, services
from ikpob_portal.subscriptions.forms import PreferencesForm, SubscribeForm
from ikpob_portal.subscriptions.models import CONFIRMATION_DAYS, Subscription


def _subscription(token: str) -> Subscription:
    return get_object_or_404(Subscription, token=token)


def _initial(request: HttpRequest) -> dict:
    """What "Volg dit thema" and "Volg deze zoekopdracht" links preselect."""
    initial = {}
    slug = request.GET.get("thema", "")
    if slug and "\x00" not in slug and Theme.objects.filter(slug=slug).exists():
        initial["themes"] = [slug]
    if request.GET.get("pagina"):
        initial["search_page"] = request.GET["pagina"]
        initial["search_query"] = request.GET.get("zoekopdracht", "")
    return initial


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        limit = settings.SUBSCRIBE_RATE_LIMIT_PER_HOUR
        if not ratelimit.form_allowed(request, form, "subscribe", limit=limit):
            response = render(request, "subscriptions/subscribe.html", {"form": form})
            return ratelimit.limited(response, retry_after=ratelimit.FORM_WINDOW_SECONDS)
        if form.is_valid():
            services.subscribe(email=form.cleaned_data["email"], choices=form.chosen(form.search))
            return redirect("subscriptions:sent")
    else:
        form = SubscribeForm(initial=_initial(request))
    return render(
        request,
        "subscriptions/subscribe.html",
        {"form": form},
        status=400 if form.refused else 200,  # the honeypot was filled in
    )


def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "subscriptions/sent.html", {"days": CONFIRMATION_DAYS})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what will be followed and a button; only the POST confirms (a mail scanner
    that opens every link confirms nothing)."""
    subscription = _subscription(token)
    if Subscription.objects.expired_unconfirmed().filter(pk=subscription.pk).exists():
        # Not yet deleted by the scheduled job, but the link's days are over.
        return personal(render(request, "subscriptions/confirm_expired.html", status=410))
    if request.method == "POST" and not subscription.is_confirmed:
        services.confirm(subscription)
        subscription.refresh_from_db()
        return personal(
            render(request, "subscriptions/confirmed.html", {"subscription": subscription})
        )
    context = {"subscription": subscription, "summary": choices.describe(subscription)}
    return personal(render(request, "subscriptions/confirm.html", context))


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    subscription = _subscription(token)
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST, subscription=subscription)
        if form.is_valid():
            services.update(
                subscription,
                choices=form.chosen(),
                keep_searches=[search.pk for search in form.cleaned_data.get("searches", [])],
            )
            saved = True
            form = PreferencesForm(subscription=subscription)
    else:
        form = PreferencesForm(subscription=subscription)
    context = {"subscription": subscription, "form": form, "saved": saved}
    return personal(render(request, "subscriptions/preferences.html", context))


@require_http_methods(["GET", "POST"])
def add(request: HttpRequest, token: str, signed: str) -> HttpResponse:
    """The link in an "add this" mail to an address that was subscribed already."""
    subscription = _subscription(token)
    additions = services.read_additions(subscription, signed)
    if additions is None:
        context = {"subscription": subscription, "days": CONFIRMATION_DAYS}
        return personal(render(request, "subscriptions/add_expired.html", context, status=410))
    if request.method == "POST":
        services.add(subscription, additions)
        return redirect(subscription.get_absolute_url() + "?toegevoegd=1")
    context = {"subscription": subscription, "additions": additions.describe()}
    return personal(render(request, "subscriptions/add.html", context))


@csrf_exempt  # one-click from a mail client (RFC 8058): a POST without a form; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with one button. POST (that button, or a mail client's one-click POST with
    `List-Unsubscribe=One-Click`): the subscription is deleted. Posting again is fine."""
    if request.method == "POST":
        subscription = (
            Subscription.objects.filter(token=token).first() if len(token) <= 64 else None
        )
        if subscription is not None:
            services.unsubscribe(subscription)
        return personal(render(request, "subscriptions/unsubscribed.html"))
    subscription = _subscription(token)
    context = {"subscription": subscription, "summary": choices.describe(subscription)}
    return personal(render(request, "subscriptions/unsubscribe.html", context))
