"""Settings for the portal as a gunicorn process in tests (tests/faults.py): production's, plus:

- Static files without the manifest (no collectstatic in a test), as tests/conftest.py does.
- A middleware that queries the database before the view when a request asks for it with a
  header, so a test can make the database fail inside a middleware, not only in a view.
"""

from ikpob_portal.settings import *  # noqa: F403
from ikpob_portal.settings import MIDDLEWARE, STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MIDDLEWARE = [*MIDDLEWARE, "tests.faults.QueryInMiddleware"]
