"""gunicorn's settings for the portal: `make serve`, the bench scripts, the fault tests and
production (docs/operations.md) all start gunicorn with `--config gunicorn.conf.py`.

Bind address and workers stay on the command line; what is set here is what makes gunicorn
agree with Django on security:

- `secure_scheme_headers` / `forwarded_allow_ips`: gunicorn marks a request as HTTPS only by
  the header DJANGO_SECURE_PROXY_SSL_HEADER names, and only from DJANGO_FORWARDED_ALLOW_IPS
  (ikpob_portal/platform/proxyheaders.py, read by settings.py too). gunicorn's defaults trust
  three headers from loopback, which let a local client make Django's is_secure() true even
  with the proxy header "off".
- the access log masks registration, certificate and invitation tokens
  (ikpob_portal/platform/accesslog.py);
- no `Server: gunicorn` banner.
"""

import os
import sys
from pathlib import Path

# gunicorn reads this file before it imports the app (and before --chdir/--pythonpath).
ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gunicorn.http import wsgi  # noqa: E402

from ikpob_portal.platform import proxyheaders  # noqa: E402

# Threads in each worker (gunicorn's gthread worker): a worker waiting on PostgreSQL (a
# registration waiting for its event's row lock, a facet count) or on Redis still
# answers other requests, so a stored page does not queue behind a slow render. Python runs
# one thread at a time per process, so CPU-bound work still scales by workers, not threads.
# bench/crawl measured stored pages during a registration rush at 0.03 of the floor with one
# thread and 0.21 with four (bench/README.md). Each thread keeps its own database connection:
# workers × threads connections per app server. `--threads` on the command line overrides it.
threads = 4

secure_scheme_headers = proxyheaders.gunicorn_secure_scheme_headers()
forwarded_allow_ips = proxyheaders.gunicorn_forwarded_allow_ips()

# The access log on stdout, tokens masked. DJANGO_ACCESS_LOG=off leaves it out (the bench
# scripts, whose thousands of requests would only fill a temporary file).
_access_log = os.environ.get("DJANGO_ACCESS_LOG", "-").strip()
accesslog = None if _access_log.lower() in {"", "0", "off", "none", "false", "no"} else _access_log
logger_class = "ikpob_portal.platform.accesslog.TokenMaskingLogger"


# No Server header. gunicorn has no setting for it and writes "Server: gunicorn" in
# Response.default_headers; the banner only tells a scanner what to try. The patch drops
# that one line and keeps the rest of gunicorn's status line and headers as they are.
# tests/security/test_edges.py fails if a gunicorn upgrade renames the method.
_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self) -> list[str]:
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


wsgi.Response.default_headers = _default_headers_without_server
