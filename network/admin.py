from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from network.models import Organisation, Person


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["sort_name", "slug"]
    search_fields = ["family_name", "given_name"]
    prepopulated_fields = {"slug": ["given_name", "particle", "family_name"]}

    @admin.display(description=_("naam"), ordering="family_name")
    def sort_name(self, person: Person) -> str:
        return person.sort_name
