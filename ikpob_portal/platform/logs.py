"""Logging for operators: one JSON object per line, no personal data, and quiet repeats.

`JsonFormatter` is chosen in settings (`DJANGO_LOG_FORMAT=json`, the default without DEBUG).
`PrivateExceptionReporterFilter` keeps form data out of the error mails to ADMINS.
`Throttle` lets a failure that repeats on every request (Redis down, the database down) show
in the log at most once per interval, with a count of what was left out.
"""

import json
import logging
import re
import threading
import time
from datetime import UTC, datetime

from django.utils.log import AdminEmailHandler
from django.views.debug import SafeExceptionReporterFilter

from ikpob_portal.platform import declarations

# Anything shaped like an email address, wherever it turns up in a message or an exception
# (PostgreSQL repeats the offending row's values in a constraint error's DETAIL).
EMAIL_ADDRESS = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
HIDDEN_EMAIL = "[e-mailadres]"
# The password in a URL such as REDIS_URL (redis://:secret@host/0), whatever the setting's name.
URL_PASSWORD = re.compile(r"(\w[\w+.-]*://[^:/@\s]*:)[^@\s]+@")


def without_url_passwords(text: str, substitute: str = "********") -> str:
    return URL_PASSWORD.sub(rf"\g<1>{substitute}@", text)


def without_email_addresses(text: str) -> str:
    return EMAIL_ADDRESS.sub(HIDDEN_EMAIL, without_url_passwords(text))


def without_personal_data(text: str) -> str:
    """Email addresses, passwords in URLs and the tokens of personal pages (the paths apps
    declare in `platform.declarations`, such as a registrant's own page) blanked out."""
    return declarations.without_personal_tokens(without_email_addresses(text))


class PrivateAdminEmailHandler(AdminEmailHandler):
    """Django's error mail to ADMINS with the same blanking as the log lines: an exception's
    text may repeat a registrant's email (a constraint error's DETAIL) or the token in a path."""

    def send_mail(self, subject, message, *args, **kwargs):
        if kwargs.get("html_message"):
            kwargs["html_message"] = without_personal_data(kwargs["html_message"])
        super().send_mail(
            without_personal_data(subject), without_personal_data(message), *args, **kwargs
        )


class JsonFormatter(logging.Formatter):
    """One line per record: time, level, logger, message; method, path and status for a request.

    The path is logged without its query string, and never the request's body or headers.
    An exception is one text field (the traceback, which holds no variables' values). Email
    addresses and passwords in URLs are blanked out of the message and the exception.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": without_personal_data(record.getMessage()),
        }
        request = getattr(record, "request", None)
        # django.request and django.server pass the request (or a socket) as `request`.
        if request is not None and hasattr(request, "method") and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = without_personal_data(request.path)
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = without_personal_data(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = without_personal_data(record.exc_text)
        return json.dumps(entry, ensure_ascii=False, default=str)


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (the mails to ADMINS) without form data or variables' values.

    Django's filter hides only what views mark with `sensitive_post_parameters`; here every
    posted value is hidden, for every view: the registration and join forms carry names, email
    addresses and needs, admin forms carry people's details. The traceback itself (files,
    lines, code) stays, and so do the request's path, method and headers (cookies are hidden
    by Django's own rules). Local variables are hidden too, in case the HTML report is ever
    switched on, and so are passwords in URLs among the settings. Active only without DEBUG,
    like Django's own filter.
    """

    def cleanse_setting(self, key, value):
        # Django hides settings by name (…KEY, …PASSWORD, …); a URL can carry a password under
        # any name (REDIS_URL, CACHES' LOCATION).
        cleansed = super().cleanse_setting(key, value)
        if type(cleansed) is str:  # not a lazy object, which only looks like one
            return without_url_passwords(cleansed, self.cleansed_substitute)
        return cleansed

    def get_post_parameters(self, request):
        if request is None:
            return {}
        if not self.is_active(request):
            return request.POST
        return self._cleanse_multivaluedict(request.POST, "__ALL__")

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


class Throttle:
    """At most one report per `interval` seconds (per process); counts what it holds back.

    `due()` says whether to report now and how many were held back since the last report.
    """

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._last: float | None = None
        self._held_back = 0

    def due(self) -> tuple[bool, int]:
        now = time.monotonic()
        with self._lock:
            if self._last is not None and now - self._last < self.interval:
                self._held_back += 1
                return False, 0
            held_back, self._held_back = self._held_back, 0
            self._last = now
            return True, held_back

    def reset(self) -> None:
        with self._lock:
            self._last = None
            self._held_back = 0
