"""Template filters for the site's one time notation (`ikpob_portal/kernel/moments.py`).

{% load moments %}
{{ event.starts_at|moment }}                 vrijdag 20 november 2026, 10.00 uur
{{ event.starts_at|period:event.ends_at }}   vrijdag 20 november 2026, 10.00–17.00 uur
{{ event.starts_at|period_html:event.ends_at }}  the same, inside <time> elements
{{ session.starts_at|clock_range:session.ends_at }}  10.00–11.30 uur
{{ moment|clock }}  {{ moment|day }}
"""

from django import template

from ikpob_portal.kernel import moments

register = template.Library()

register.filter("clock", moments.clock)
register.filter("clock_range", moments.clock_range)
register.filter("day", moments.day)
register.filter("moment", moments.moment)
register.filter("period", moments.period)
register.filter("period_html", moments.period_html, is_safe=True)
