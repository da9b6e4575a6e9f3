from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        # The privacy statement names the retention period that the purge job applies.
        "REGISTRATION_RETENTION_DAYS": settings.REGISTRATION_RETENTION_DAYS,
    }
