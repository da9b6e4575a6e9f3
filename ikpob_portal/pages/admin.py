from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel import registry
from ikpob_portal.kernel.admin import (
    HistoryAdmin,
    MarkdownPreviewMixin,
    PublishableAdminMixin,
    ThemesAutocompleteMixin,
)
from ikpob_portal.pages.models import FeaturedItem, HomePage, Page, PageImage
from ikpob_portal.platform import history

history.register(Page, follow=("body_images",))
history.register(HomePage, follow=("featured_items",))


class PageImageInline(admin.TabularInline):
    model = PageImage
    extra = 1
    fields = ["image", "image_alt", "image_decorative", "position", "markdown_to_paste"]
    readonly_fields = ["markdown_to_paste"]

    @admin.display(description=_("in de tekst plakken"))
    def markdown_to_paste(self, image: PageImage) -> str:
        if image.pk is None or not image.markdown:
            return gettext("Na het opslaan staat hier wat u in de tekst plakt.")
        return image.markdown


@admin.register(Page)
class PageAdmin(MarkdownPreviewMixin, PublishableAdminMixin, ThemesAutocompleteMixin, HistoryAdmin):
    markdown_fields = {"body": 2}
    inlines = [PageImageInline]
    list_display = ["title", "address", "in_header", "in_footer", "menu_order", "status"]
    list_filter = ["status", "in_header", "in_footer", "themes"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["parent"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "parent", "summary", "body", "themes"]}),
        (_("Afbeelding"), {"fields": ["image", "image_alt", "image_decorative"]}),
        (_("Menu's"), {"fields": ["in_header", "in_footer", "menu_order"]}),
        (_("Zoekmachines"), {"fields": ["search_description"]}),
        (_("Publiceren"), {"fields": ["status", "published_at"]}),
    ]

    @admin.display(description=_("adres"), ordering="slug")
    def address(self, page: Page) -> str:
        return f"/{page.path}/"


def item_choices() -> list:
    """Every item of every public kind, grouped by kind: what an editor can feature.

    One list of titles per kind, read once per admin page (not per inline row). Items that are
    not public yet are marked, so an editor can line up something before it is published.
    """
    choices: list = [("", "---------")]
    for kind in registry.kinds():
        content_type = ContentType.objects.get_for_model(kind.model)
        items = [
            (f"{content_type.pk}:{item.pk}", _label(item))
            for item in kind.model._default_manager.all()
        ]
        if items:
            choices.append((str(kind.label), items))
    return choices


def _label(item) -> str:
    published = getattr(item, "is_published", True)
    return str(item) if published else gettext("%(item)s (nog niet openbaar)") % {"item": item}


class FeaturedItemForm(forms.ModelForm):
    item = forms.ChoiceField(
        label=_("Item"),
        help_text=_("Typ de eerste letters van de titel om te springen; gegroepeerd per soort."),
        error_messages={"required": _("Kies welk item wordt uitgelicht.")},
    )
    choices: list = []  # set per admin page by FeaturedItemInline.get_formset

    class Meta:
        model = FeaturedItem
        fields = ["item", "position", "until"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = self.choices
        if self.instance.pk:
            self.initial["item"] = f"{self.instance.content_type_id}:{self.instance.object_id}"

    def clean_item(self) -> str:
        value = self.cleaned_data["item"]
        content_type_id, _sep, object_id = value.partition(":")
        self.instance.content_type_id = int(content_type_id)
        self.instance.object_id = int(object_id)
        return value


class FeaturedItemFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        chosen = [
            form.cleaned_data["item"]
            for form in self.forms
            if form.cleaned_data.get("item") and not form.cleaned_data.get("DELETE")
        ]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Elk item kan maar één keer worden uitgelicht."))


class FeaturedItemInline(admin.TabularInline):
    model = FeaturedItem
    form = FeaturedItemForm
    formset = FeaturedItemFormSet
    extra = 1
    fields = ["item", "position", "until"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type("FeaturedItemForm", (formset.form,), {"choices": item_choices()})
        return formset


@admin.register(HomePage)
class HomePageAdmin(HistoryAdmin):
    """One page of settings: its list holds that one row, nothing to add or delete."""

    inlines = [FeaturedItemInline]
    fields = ["intro"]
    list_display = ["__str__", "featured_count", "updated"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("uitgelichte items"))
    def featured_count(self, home: HomePage) -> int:
        return home.featured_items.count()

    def get_urls(self):
        # Nothing to recover: the one row is never deleted (history and revert stay).
        return [
            url
            for url in super().get_urls()
            if not (url.name or "").endswith(("_recoverlist", "_recover"))
        ]

    def changelist_view(self, request, extra_context=None):
        HomePage.load()  # the one row exists before anyone opens the list
        return super().changelist_view(request, extra_context)
