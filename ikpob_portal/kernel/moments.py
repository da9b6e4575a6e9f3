"""One way to write a moment, everywhere: "vrijdag 20 november 2026, 9.30–17.00 uur".

Dutch style in Dutch (a full stop between hours and minutes, no leading zero, "uur" after the
last time), the English style in English ("9:30 a.m.–5:00 p.m."). The notation is a
translation: the formats below are msgids that `locale/en` translates, so a page, a mail and a
calendar summary in the same language write a time the same way. Templates use the filters in
`templatetags/moments.py`; code calls these functions.

Moments are shown in the site's time zone. An event that starts and ends at the same moment has
no known time (the demo's real past events): it is written as a day only.
"""

import datetime

from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _clock_digits(value: datetime.datetime) -> str:
    # Translators: a time of day in Django's date format: "G.i" is 9.30, "g:i a" is 9:30 a.m.
    return dateformat.format(_local(value), pgettext("time of day format", "G.i"))


def _day(value: datetime.datetime) -> str:
    # Translators: a day in Django's date format: "l j F Y" is vrijdag 20 november 2026.
    return dateformat.format(_local(value), pgettext("day format", "l j F Y"))


def clock(value: datetime.datetime | None) -> str:
    """ "9.30 uur" (en: "9:30 a.m.")."""
    if value is None:
        return ""
    return _("%(time)s uur") % {"time": _clock_digits(value)}


def clock_range(starts: datetime.datetime | None, ends: datetime.datetime | None) -> str:
    """ "9.30–11.00 uur"; "9.30 uur" without an end."""
    if starts is None:
        return ""
    if ends is None or ends == starts:
        return clock(starts)
    return _("%(start)s–%(end)s uur") % {
        "start": _clock_digits(starts),
        "end": _clock_digits(ends),
    }


def day(value: datetime.datetime | datetime.date | None) -> str:
    """ "vrijdag 20 november 2026"."""
    if value is None:
        return ""
    return _day(value)


def moment(value: datetime.datetime | None) -> str:
    """ "vrijdag 20 november 2026, 9.30 uur"."""
    if value is None:
        return ""
    return _("%(day)s, %(time)s uur") % {"day": _day(value), "time": _clock_digits(value)}


def has_time(starts: datetime.datetime, ends: datetime.datetime) -> bool:
    """False for a day without a known time (stored as the same start and end)."""
    return starts != ends


def is_multi_day(starts: datetime.datetime, ends: datetime.datetime) -> bool:
    return _local(starts).date() != _local(ends).date()


def period(starts: datetime.datetime, ends: datetime.datetime) -> str:
    """ "vrijdag 20 november 2026, 10.00–17.00 uur", over two days
    "vrijdag 20 november 2026, 10.00 uur – zaterdag 21 november 2026, 13.00 uur", or only the
    day when no time is known. In English the time zone follows once: "(Amsterdam time)"."""
    if not has_time(starts, ends):
        return day(starts)
    if is_multi_day(starts, ends):
        return _("%(start_day)s, %(start)s uur – %(end_day)s, %(end)s uur") % {
            "start_day": _day(starts),
            "start": _clock_digits(starts),
            "end_day": _day(ends),
            "end": _clock_digits(ends),
        }
    return _("%(day)s, %(start)s–%(end)s uur") % {
        "day": _day(starts),
        "start": _clock_digits(starts),
        "end": _clock_digits(ends),
    }


def period_html(starts: datetime.datetime, ends: datetime.datetime) -> SafeString:
    """`period` in a <time> element that gives the start (the day only without a time)."""
    local_start = _local(starts)
    machine = local_start.isoformat() if has_time(starts, ends) else local_start.date().isoformat()
    return format_html('<time datetime="{}">{}</time>', machine, period(starts, ends))
