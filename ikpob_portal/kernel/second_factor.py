"""The second factor of staff accounts: an authenticator app (TOTP), or a recovery code.

With settings.ADMIN_REQUIRE_SECOND_FACTOR (on without DEBUG), a staff session is only a staff
session once it has passed the second factor (django-otp's `request.user.is_verified()`):

- the admin site refuses it until then (`EditorAdminSite.has_permission`), and its login sends
  a staff user who gave the right password here: to `setup` on the first login (no confirmed
  app yet), to `verify` after that;
- drafts are previewed only by such sessions (`PublishableQuerySet.visible_to`).

Setting up shows a QR code and the secret to type instead, asks for one code to prove the app
has it, then shows 10 recovery codes once; each works once, in place of the app.
`manage.py reset_second_factor <username>` removes both, for a lost phone: the next login sets
up a new app.
"""

from base64 import b32encode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
APP_NAME = "Authenticator-app"
RECOVERY_NAME = "Herstelcodes"
# The recovery codes of a setup just finished, until the page that shows them once.
SESSION_CODES = "second_factor_recovery_codes"


# --- The rule ---------------------------------------------------------------------------------


def required() -> bool:
    return settings.ADMIN_REQUIRE_SECOND_FACTOR


def passed(user) -> bool:
    """Has this user's session passed the second factor (or is none required)?

    A user object that did not come through django-otp's middleware (no `is_verified`) has not.
    """
    if not required():
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


def pending(user) -> bool:
    """A staff user logged in with the password whose session still needs the second factor."""
    return (
        required()
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and not passed(user)
    )


def has_app(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def reset(user) -> int:
    """Remove the user's app and recovery codes (a lost phone); how many devices went.

    Sessions that passed with them no longer count as verified (django-otp's middleware drops
    a device that is gone), so the user sets up a new app at the next login.
    """
    with transaction.atomic():
        apps, _ = TOTPDevice.objects.filter(user=user).delete()
        codes, _ = StaticDevice.objects.filter(user=user).delete()
    return apps + codes


def next_step(request: HttpRequest) -> HttpResponseRedirect:
    """To setting up the app (first login) or entering a code, keeping where the user was going."""
    name = "admin:second_factor_verify" if has_app(request.user) else "admin:second_factor_setup"
    return redirect(f"{reverse(name)}?{urlencode({'next': _next_url(request)})}")


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


# --- Forms ------------------------------------------------------------------------------------


class _Form(forms.Form):
    def full_clean(self) -> None:
        super().full_clean()
        # The message under a field is read out with it (templates/admin/second_factor/).
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_error"


class AppCodeForm(_Form):
    code = forms.CharField(
        label=gettext_lazy("Code uit de app"),
        max_length=12,
        error_messages={"required": gettext_lazy("Vul de 6 cijfers in die de app nu toont.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "size": 8,
            }
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Vul de 6 cijfers in die de app nu toont."))
        return code


class RecoveryCodeForm(_Form):
    recovery_code = forms.CharField(
        label=gettext_lazy("Herstelcode"),
        max_length=24,
        error_messages={"required": gettext_lazy("Vul een van uw herstelcodes in.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_recovery_code(self) -> str:
        return self.cleaned_data["recovery_code"].replace(" ", "").replace("-", "").lower()


# --- Views (reached through the admin site's URLs, ikpob_portal/admin_site.py) ----------------


def _render(request: HttpRequest, template: str, title: str, **context) -> TemplateResponse:
    return TemplateResponse(
        request,
        f"admin/second_factor/{template}",
        {**admin.site.each_context(request), "title": title, "next": _next_url(request), **context},
    )


def _throttled_message(device) -> str | None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    until = (details or {}).get("locked_until")
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
    return _(
        "Te vaak een verkeerde code achter elkaar. Wacht %(seconds)s seconden en probeer het "
        "opnieuw."
    ) % {"seconds": seconds}


def _grouped(secret: str) -> str:
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def _qr(url: str) -> SafeString:
    svg = segno.make(url, error="m").svg_inline(
        scale=4,
        border=2,
        dark="#000",
        light="#fff",
        title=_("QR-code om de app in te stellen"),
        svgclass="ikpob-qr",
    )
    # Made by segno from our own device's URL; no style attributes, so the strict CSP allows it.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


@never_cache
@sensitive_post_parameters("code")
def setup(request: HttpRequest) -> HttpResponse:
    """First login: connect an authenticator app, prove it with one code, get recovery codes."""
    user = request.user
    if not pending(user):
        return redirect(_next_url(request) if passed(user) else reverse("admin:login"))
    if has_app(user):
        return next_step(request)
    # The same secret on every visit until it is confirmed, so a reload does not break the app.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled_message(device)
        if throttled:
            form.add_error("code", throttled)
        elif device.verify_token(form.cleaned_data["code"]):
            codes = _confirm(device)
            django_otp.login(request, device)
            request.session[SESSION_CODES] = codes
            return redirect(
                f"{reverse('admin:second_factor_codes')}?{urlencode({'next': _next_url(request)})}"
            )
        else:
            form.add_error(
                "code",
                _(
                    "Deze code klopt niet. Vul de code in die de app nu toont; staat de klok "
                    "van uw telefoon goed?"
                ),
            )
    secret = b32encode(device.bin_key).decode()
    return _render(
        request,
        "setup.html",
        _("Tweede factor instellen"),
        form=form,
        qr=_qr(device.config_url),
        config_url=device.config_url,
        secret=_grouped(secret),
    )


def _confirm(device: TOTPDevice) -> list[str]:
    """Confirm the app; new recovery codes replace any old ones. The codes, to show once."""
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODES)]
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        StaticDevice.objects.filter(user=device.user).delete()
        recovery = StaticDevice.objects.create(user=device.user, name=RECOVERY_NAME)
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes of the setup just finished, shown this once."""
    codes = request.session.pop(SESSION_CODES, None)
    if not codes or not request.user.is_authenticated or not passed(request.user):
        return redirect(_next_url(request))
    return _render(
        request,
        "recovery_codes.html",
        _("Uw herstelcodes"),
        codes=[f"{code[:4]} {code[4:]}" for code in codes],
    )


@never_cache
@sensitive_post_parameters("code", "recovery_code")
def verify(request: HttpRequest) -> HttpResponse:
    """Every later login: a code from the app, or one recovery code."""
    user = request.user
    if not pending(user):
        return redirect(_next_url(request) if passed(user) else reverse("admin:login"))
    if not has_app(user):
        return next_step(request)
    posted = request.POST if request.method == "POST" else None
    with_recovery = posted is not None and "recovery_code" in posted
    app_form = AppCodeForm(None if with_recovery else posted)
    recovery_form = RecoveryCodeForm(posted if with_recovery else None)
    form, field, model = (
        (recovery_form, "recovery_code", StaticDevice)
        if with_recovery
        else (app_form, "code", TOTPDevice)
    )
    if posted is not None and form.is_valid():
        with transaction.atomic():
            # Locked, so that one code cannot pass twice at the same moment.
            device = (
                model.objects.devices_for_user(user, confirmed=True)
                .select_for_update()
                .order_by("pk")
                .first()
            )
            throttled = _throttled_message(device) if device is not None else None
            if throttled:
                form.add_error(field, throttled)
            elif device is not None and device.verify_token(form.cleaned_data[field]):
                django_otp.login(request, device)
                return redirect(_next_url(request))
            else:
                form.add_error(
                    field,
                    _("Deze herstelcode klopt niet, of is al gebruikt.")
                    if with_recovery
                    else _("Deze code klopt niet. Vul de code in die de app nu toont."),
                )
    return _render(
        request,
        "verify.html",
        _("Tweede factor"),
        form=app_form,
        recovery_form=recovery_form,
        recovery_open=with_recovery,
    )


@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    """Log out from the second-factor pages (the admin's own logout needs a verified session)."""
    logout(request)
    return redirect("admin:login")
