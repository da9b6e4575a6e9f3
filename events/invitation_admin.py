"""Invitations in the admin: the list per event (an inline), all invitations, and the page
"Uitnodigingen versturen" where an editor pastes or uploads addresses.

Sending needs the permission to change the event: inviting people is part of organising it.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events import invitations
from events.models import Event, Invitation
from ikpob_portal.kernel.admin import compact_moment

MAX_UPLOAD_BYTES = 1_000_000


class InvitationUploadForm(forms.Form):
    addresses = forms.CharField(
        label=gettext_lazy("E-mailadressen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 60}),
        help_text=gettext_lazy(
            "Eén adres per regel, of gescheiden door komma's of puntkomma's. Iedereen krijgt "
            "een eigen uitnodiging met een persoonlijke link."
        ),
    )
    upload = forms.FileField(
        label=gettext_lazy("Of een bestand (.csv of .txt)"),
        required=False,
        help_text=gettext_lazy("Met de adressen in de eerste kolom of op losse regels."),
    )

    def clean_upload(self) -> str:
        upload = self.cleaned_data.get("upload")
        if not upload:
            return ""
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Kies een .csv- of .txt-bestand."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Het bestand is te groot (hoogstens 1 MB)."))
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            # A spreadsheet's export: the address is the first column of each row, under a
            # heading row (a first cell without "@") that is no address.
            cells = [re.split(r"[,;\t]", line)[0] for line in text.splitlines()]
            if cells and "@" not in cells[0]:
                cells = cells[1:]
            return "\n".join(cells)
        raise forms.ValidationError(_("Dit bestand kan niet als tekst worden gelezen."))

    def clean(self) -> dict:
        cleaned = super().clean()
        text = "\n".join(part for part in (cleaned.get("addresses"), cleaned.get("upload")) if part)
        parsed = invitations.parse_addresses(text)
        if parsed.invalid:
            raise forms.ValidationError(
                [
                    forms.ValidationError(
                        _("‘%(address)s’ is geen geldig e-mailadres."),
                        params={"address": address},
                    )
                    for address in parsed.invalid
                ]
                + [forms.ValidationError(_("Verbeter deze adressen; er is nog niets verstuurd."))]
            )
        if not parsed.valid and not self.errors:
            raise forms.ValidationError(_("Vul minstens één e-mailadres in."))
        cleaned["valid"] = parsed.valid
        return cleaned


class EffectiveStateMixin:
    """The state as the invitee meets it (an unanswered invitation expires when registration
    closes), and who may see invitations: whoever may change the event."""

    @admin.display(description=gettext_lazy("status"))
    def state_display(self, invitation: Invitation) -> str:
        return invitation.get_effective_state_display()

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("events.change_event")


class InvitationInline(EffectiveStateMixin, admin.TabularInline):
    """The invitations of the event, on its page: who, in which state, which registration."""

    model = Invitation
    extra = 0
    can_delete = False
    fields = ["email", "state_display", "sent_at", "answered_at", "registration"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("uitnodigingen")

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # through "Uitnodigingen versturen", which also sends the mail

    def get_queryset(self, request):
        # The state reads the event's closing moment; the registration is shown as a link.
        return super().get_queryset(request).select_related("event", "registration")


class InvitationAdminMixin:
    """For EventAdmin: the page "Uitnodigingen versturen"."""

    def get_urls(self):
        return [
            path(
                "<int:event_id>/uitnodigingen/",
                self.admin_site.admin_view(self.invite_view),
                name="events_event_invite",
            ),
            *super().get_urls(),
        ]

    def invite_view(self, request: HttpRequest, event_id: int) -> HttpResponse:
        event = get_object_or_404(Event, pk=event_id)
        if not self.has_change_permission(request, event):
            raise PermissionDenied
        form = InvitationUploadForm(
            request.POST if request.method == "POST" else None, request.FILES or None
        )
        if request.method == "POST" and form.is_valid():
            result = invitations.invite(event=event, addresses=form.cleaned_data["valid"])
            if result.invited:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d uitnodiging verstuurd.",
                        "%(count)d uitnodigingen verstuurd.",
                        len(result.invited),
                    )
                    % {"count": len(result.invited)},
                    messages.SUCCESS,
                )
            if result.already:
                self.message_user(
                    request,
                    _("Al eerder uitgenodigd, niet opnieuw verstuurd: %(addresses)s")
                    % {"addresses": ", ".join(result.already)},
                    messages.WARNING,
                )
            return HttpResponseRedirect(reverse("admin:events_event_change", args=[event.pk]))
        return TemplateResponse(
            request,
            "admin/events/event/invite.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Uitnodigingen versturen: %(event)s") % {"event": event.title},
                "event": event,
                "original": event,
                "form": form,
                "opts": self.model._meta,
                "invited_count": event.invitations.count(),
            },
        )


@admin.register(Invitation)
class InvitationAdmin(EffectiveStateMixin, admin.ModelAdmin):
    # Fits 1280 px: moments as "20-11-2028 10:00", the registrant by name only.
    list_display = ["email", "event", "state_display", "sent", "registrant"]
    list_filter = ["state", "event"]
    search_fields = ["email"]
    list_select_related = ["event", "registration"]
    readonly_fields = [
        "event", "email", "state_display", "created", "sent_at", "answered_at", "registration",
    ]  # fmt: skip
    fields = readonly_fields
    sent = compact_moment("sent_at", gettext_lazy("verstuurd"))

    @admin.display(description=gettext_lazy("aangemeld als"), ordering="registration__name")
    def registrant(self, invitation: Invitation) -> str:
        return invitation.registration.name if invitation.registration else "–"

    def has_add_permission(self, request) -> bool:
        return False  # through "Uitnodigingen versturen" on the event

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the invitee's answer sets the state; nothing to edit by hand
