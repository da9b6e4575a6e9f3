"""Messages this project translates on Django's behalf.

Django 6.1's MinimumLengthValidator asks for a msgid ("... at least %d character(s).") that
Django's own Dutch catalogue does not have yet, so editors would see that refusal in English.
Listing the msgid here makes `makemessages` extract it, so its Dutch translation in
locale/nl/LC_MESSAGES/django.po survives every `makemessages --no-obsolete` run. This module
is only scanned, never imported; drop an entry once Django's catalogue covers it.
"""

from django.utils.translation import gettext_lazy, ngettext_lazy

DJANGO_CATALOGUE_GAPS = [
    # django.contrib.auth.password_validation.MinimumLengthValidator.get_error_message
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    # django/contrib/admin/templates/admin/delete_confirmation.html: Django 6.1's Dutch
    # catalogue has these msgids untranslated, so the delete page (and its refusal to delete
    # content that others link to) was English in the Dutch admin.
    gettext_lazy(
        "Deleting the %(object_name)s “%(escaped_object)s” would require "
        "deleting the following protected related objects:"
    ),
    gettext_lazy(
        "Are you sure you want to delete the %(object_name)s "
        "“%(escaped_object)s”? All of the following related items will be "
        "deleted:"
    ),
    gettext_lazy(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in "
        "deleting related objects, but your account doesn't have permission to "
        "delete the following types of objects:"
    ),
]

# Issue 15: the rest of what an editor meets in the admin. Django 6.1's Dutch catalogues leave
# these untranslated (django/contrib/admin, django/db/models and django/views), and the
# add/change/delete messages are reworded so that only their first word is the article: the
# admin puts "het" there for neuter nouns (see `DutchArticleMixin` in kernel/admin.py).
ADMIN_CATALOGUE_GAPS = [
    # django/contrib/admin/sites.py, options.py, templates/admin/*.html
    gettext_lazy('The app "%s" could not be found.'),
    gettext_lazy(", "),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects."),
    gettext_lazy("Filter by %(field_name)s"),
    gettext_lazy("Forgotten your login credentials?"),
    gettext_lazy("Pagination %(name)s entries"),
    gettext_lazy("Pagination %(name)s"),
    gettext_lazy("Search %(name)s"),
    gettext_lazy("Logout"),
    # django/db/models/fields/__init__.py (the empty choice of every select) and
    # django/views/generic/detail.py
    gettext_lazy("- Select an option -"),
    gettext_lazy("No %s matches the given query."),
    # django/contrib/admin/options.py: the messages after saving and deleting
    gettext_lazy("The {name} “{obj}” was added successfully."),
    gettext_lazy("You may edit it again below."),
    gettext_lazy("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_lazy("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_lazy("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_lazy("The {name} “{obj}” was changed successfully."),
    gettext_lazy("The %(name)s “%(obj)s” was deleted successfully."),
]
