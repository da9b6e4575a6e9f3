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
