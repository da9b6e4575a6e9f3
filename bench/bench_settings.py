"""The portal's own settings, plus the benchmark's floor view (bench_urls)."""

import os
from pathlib import Path

from ikpob_portal.settings import *  # noqa: F403
from ikpob_portal.settings import MIDDLEWARE, STATIC_ROOT

ROOT_URLCONF = "bench_urls"
MIDDLEWARE = [
    "bench_urls.PageCacheExceptFloor"
    if name == "ikpob_portal.platform.cache.PageCacheMiddleware"
    else name
    for name in MIDDLEWARE
]
# The benchmark collects static files into a directory of its own, not the work tree's
# staticfiles/ that `make serve` uses.
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT))
