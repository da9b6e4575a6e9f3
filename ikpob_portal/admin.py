from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("IKPOB-redactie")
admin.site.site_title = _("IKPOB-redactie")
admin.site.index_title = _("Inhoud beheren")
