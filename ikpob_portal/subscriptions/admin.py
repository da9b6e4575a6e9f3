"""The newsletter in the admin: write, pick items, preview, test, schedule; counts; bounces.

Editors never see subscribers' addresses here: there is no Subscription changelist, the counts
page shows numbers only, and the bounce form answers "verwerkt" whether or not the address
was subscribed. A newsletter is edited only while it is a draft; scheduling and taking it
back are buttons (`schedule_view`), never a free `status` field; once it is sending or sent
its page is read-only.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override

from ikpob_portal.kernel import registry
from ikpob_portal.kernel.admin import DutchArticleMixin, MarkdownPreviewMixin, compact_moment
from ikpob_portal.subscriptions import choices, newsletters
from ikpob_portal.subscriptions.models import Newsletter

Status = Newsletter.Status


def item_field_name(kind: registry.ContentKind) -> str:
    return "items_" + registry.model_label(kind.model).replace(".", "_")


class NewsletterForm(forms.ModelForm):
    """Subject and introduction, and per kind that offers alerts a field with its recent
    public items (added per kind by `NewsletterAdmin.get_form`)."""

    class Meta:
        model = Newsletter
        fields = ["subject", "intro"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in choices.alert_kinds():
            field = self.fields.get(item_field_name(kind))
            if field is None:
                continue
            chosen = newsletters.chosen_ids(self.instance, kind) if self.instance.pk else []
            field.queryset = newsletters.pickable(kind, chosen)
            if chosen:
                field.initial = chosen

    def clean_subject(self) -> str:
        subject = self.cleaned_data["subject"]
        if "\r" in subject or "\n" in subject:
            # A mail's subject is one line; sending would fail for every subscriber.
            raise forms.ValidationError(_("Het onderwerp moet op één regel staan."))
        return subject

    def chosen_items(self) -> list:
        """The picked items, kind after kind in the site's order, newest first within one."""
        items = []
        for kind in choices.alert_kinds():
            items += list(self.cleaned_data.get(item_field_name(kind)) or [])
        return items


def item_fields() -> dict[str, forms.Field]:
    return {
        item_field_name(kind): forms.ModelMultipleChoiceField(
            queryset=kind.model._default_manager.none(),
            required=False,
            label=kind.label,
            # Checkboxes, not the admin's two-list filter widget (its markup fails axe).
            widget=forms.CheckboxSelectMultiple,
            help_text=_("De nieuwste eerst."),
        )
        for kind in choices.alert_kinds()
    }


class ScheduleForm(forms.Form):
    send_at = forms.SplitDateTimeField(
        label=_("Versturen op"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_("Leeg laten: zo snel mogelijk versturen."),
    )


class BounceForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)


@admin.register(Newsletter)
class NewsletterAdmin(MarkdownPreviewMixin, DutchArticleMixin, admin.ModelAdmin):
    article = "de"
    markdown_fields = {"intro": 2}
    form = NewsletterForm
    list_display = ["subject", "status", "send_moment", "sent_moment", "delivery_count"]
    list_filter = ["status"]
    search_fields = ["subject"]
    # No bulk actions: "delete selected" would take scheduled and sent ones too.
    actions = None
    readonly_fields = ["status", "send_at", "sent_at", "item_list", "delivery_count"]
    send_moment = compact_moment("send_at", _("versturen op"))
    sent_moment = compact_moment("sent_at", _("verstuurd op"))
    change_list_template = "admin/subscriptions/newsletter/change_list.html"
    change_form_template = "admin/subscriptions/newsletter/change_form.html"

    # Status ----------------------------------------------------------------------------

    def has_change_permission(self, request, obj=None) -> bool:
        """Only a draft is edited; a scheduled one is taken back to draft first."""
        if obj is not None and obj.status != Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status != Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def may_edit(self, request) -> bool:
        return super().has_change_permission(request)

    # The form --------------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        sending = [(_("Versturen"), {"fields": ["status", "send_at", "sent_at"]})]
        if obj is not None and obj.status != Status.DRAFT:
            return [
                (None, {"fields": ["subject", "intro", "item_list"]}),
                (_("Versturen"), {"fields": ["status", "send_at", "sent_at", "delivery_count"]}),
            ]
        return [
            (None, {"fields": ["subject", "intro"]}),
            (
                _("Onderdelen"),
                {
                    "fields": list(item_fields()),
                    "description": _(
                        "Kies per soort wat in de nieuwsbrief komt. Alleen wat bij het "
                        "versturen nog openbaar is, komt in de e-mail."
                    ),
                },
            ),
            *(sending if obj is not None else []),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = type("NewsletterItemsForm", (self.form,), item_fields())
        return super().get_form(request, obj, change, **kwargs)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        newsletters.set_items(form.instance, form.chosen_items())

    @admin.display(description=_("onderdelen"))
    def item_list(self, newsletter: Newsletter) -> str:
        items = newsletters.public_items(newsletter)
        if not items:
            return "–"
        return format_html_join(
            "", "<p>{} ({})</p>", ((item["title"], item["kind"]) for item in items)
        )

    @admin.display(description=_("verzonden aan"))
    def delivery_count(self, newsletter: Newsletter) -> int:
        return newsletter.deliveries.count()

    # Views -----------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:newsletter_id>/voorbeeld/",
                wrap(self.preview_view),
                name="subscriptions_newsletter_preview",
            ),
            path(
                "<int:newsletter_id>/voorbeeld/html/",
                wrap(self.preview_html_view),
                name="subscriptions_newsletter_preview_html",
            ),
            path(
                "<int:newsletter_id>/test/",
                wrap(self.test_view),
                name="subscriptions_newsletter_test",
            ),
            path(
                "<int:newsletter_id>/inplannen/",
                wrap(self.schedule_view),
                name="subscriptions_newsletter_schedule",
            ),
            path("aantallen/", wrap(self.counts_view), name="subscriptions_counts"),
            path("afmelden/", wrap(self.bounce_view), name="subscriptions_bounce"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            **extra,
        }

    def _viewable(self, request, newsletter_id: int) -> Newsletter:
        newsletter = get_object_or_404(Newsletter, pk=newsletter_id)
        if not self.has_view_permission(request, newsletter):
            raise PermissionDenied
        return newsletter

    def _sample(self, request, newsletter: Newsletter):
        address = request.user.email or "voorbeeld@example.org"
        return newsletters.build(newsletter, newsletters.sample_subscription(address))

    def preview_view(self, request: HttpRequest, newsletter_id: int) -> HttpResponse:
        """The text version here, the HTML version as sent behind a link (its own page)."""
        newsletter = self._viewable(request, newsletter_id)
        mail = self._sample(request, newsletter)
        return TemplateResponse(
            request,
            "admin/subscriptions/newsletter/preview.html",
            self._context(
                request,
                gettext("Voorbeeld: %(subject)s") % {"subject": newsletter.subject},
                original=newsletter,
                text=mail.body,
                headers=mail.extra_headers,
                html_url=reverse(
                    "admin:subscriptions_newsletter_preview_html", args=[newsletter.pk]
                ),
                change_url=reverse("admin:subscriptions_newsletter_change", args=[newsletter.pk]),
            ),
        )

    def preview_html_view(self, request: HttpRequest, newsletter_id: int) -> HttpResponse:
        newsletter = self._viewable(request, newsletter_id)
        html = newsletters.html_of(self._sample(request, newsletter))
        return _mail_html(request, html)

    def test_view(self, request: HttpRequest, newsletter_id: int) -> HttpResponse:
        """GET asks, POST queues a test to the editor's own address."""
        newsletter = self._viewable(request, newsletter_id)
        if not self.may_edit(request):
            raise PermissionDenied
        change_url = reverse("admin:subscriptions_newsletter_change", args=[newsletter.pk])
        if not request.user.email:
            self.message_user(
                request,
                gettext(
                    "Uw account heeft geen e-mailadres; een testmail kan niet worden verstuurd."
                ),
                messages.WARNING,
            )
            return redirect(change_url)
        if request.method == "POST":
            newsletters.queue_test(newsletter, request.user)
            self.message_user(
                request,
                gettext("De testmail gaat naar %(email)s.") % {"email": request.user.email},
                messages.SUCCESS,
            )
            return redirect(change_url)
        return TemplateResponse(
            request,
            "admin/subscriptions/newsletter/test.html",
            self._context(
                request,
                gettext("Testmail sturen: %(subject)s") % {"subject": newsletter.subject},
                original=newsletter,
                email=request.user.email,
                change_url=change_url,
            ),
        )

    def schedule_view(self, request: HttpRequest, newsletter_id: int) -> HttpResponse:
        """A draft: plan it (a moment, or now). Scheduled: take it back to draft."""
        newsletter = self._viewable(request, newsletter_id)
        if not self.may_edit(request):
            raise PermissionDenied
        change_url = reverse("admin:subscriptions_newsletter_change", args=[newsletter.pk])
        form = ScheduleForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if newsletter.status == Status.SCHEDULED and "unschedule" in request.POST:
                if newsletters.unschedule(newsletter):
                    self.message_user(
                        request, gettext("De nieuwsbrief is weer een concept."), messages.SUCCESS
                    )
                return redirect(change_url)
            if newsletter.status == Status.DRAFT and form.is_valid():
                send_at = form.cleaned_data["send_at"]
                if newsletters.schedule(newsletter, send_at):
                    self.message_user(
                        request,
                        gettext("De nieuwsbrief is ingepland voor %(moment)s.")
                        % {
                            "moment": timezone.localtime(send_at or timezone.now()).strftime(
                                "%d-%m-%Y %H:%M"
                            )
                        },
                        messages.SUCCESS,
                    )
                return redirect(change_url)
            if newsletter.status not in (Status.DRAFT, Status.SCHEDULED):
                return redirect(change_url)
        return TemplateResponse(
            request,
            "admin/subscriptions/newsletter/schedule.html",
            self._context(
                request,
                gettext("Inplannen: %(subject)s") % {"subject": newsletter.subject},
                original=newsletter,
                form=form,
                media=self.media + form.media,
                recipients=newsletters.recipients().count(),
                item_count=len(newsletters.public_items(newsletter)),
                change_url=change_url,
                is_draft=newsletter.status == Status.DRAFT,
                is_scheduled=newsletter.status == Status.SCHEDULED,
            ),
        )

    def counts_view(self, request: HttpRequest) -> HttpResponse:
        """Numbers only: no address, no export."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/subscriptions/newsletter/counts.html",
            self._context(request, gettext("Aantallen abonnees"), **newsletters.counts()),
        )

    def bounce_view(self, request: HttpRequest) -> HttpResponse:
        """An address the mail provider reported: unsubscribed if it was; the answer is the
        same either way."""
        if not self.may_edit(request):
            raise PermissionDenied
        form = BounceForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            newsletters.unsubscribe_reported(form.cleaned_data["email"])
            self.message_user(request, gettext("Verwerkt."), messages.SUCCESS)
            return redirect("admin:subscriptions_bounce")
        return TemplateResponse(
            request,
            "admin/subscriptions/newsletter/bounce.html",
            self._context(request, gettext("Afmelden na bounce of klacht"), form=form),
        )


@csp_override(
    {
        "default-src": [CSP.NONE],
        "style-src": [CSP.UNSAFE_INLINE],
        "img-src": [CSP.NONE],
        "frame-ancestors": [CSP.NONE],
        "form-action": [CSP.NONE],
    }
)
def _mail_html(request: HttpRequest, html: str) -> HttpResponse:
    """The mail's HTML as sent; its inline styles allowed, nothing else (no scripts)."""
    return HttpResponse(html)
