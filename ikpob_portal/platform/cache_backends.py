"""Django's Redis cache, for a site that keeps serving when Redis does not answer.

Everything in the cache can be computed again: stored pages, counts, the content version, rate
limit counters. So when Redis cannot be reached (refused, timed out), every operation answers as
if the key were missing: `get` the default, `get_many` nothing, `add`/`set`/`touch`/`delete`
False, `incr` ValueError (as for a missing key) and so on. The page cache then renders every page
afresh and stores nothing.

Two things keep an outage cheap. Short socket timeouts (`DEFAULT_OPTIONS`), so a Redis host that
has vanished from the network costs a fraction of a second, not the operating system's minutes.
And after a failure the backend does not try Redis again for `RETRY_AFTER_SECONDS`: a page
makes several cache calls, and each would otherwise wait for its own timeout. The outage is
logged as a warning when it starts, then at most once a minute per process (with the number of
failures in between), and once more when Redis answers again.

A Redis that comes back may still hold pages stored before the outage; changes made during it
could not bump the content version, so those pages can be served until they expire
(PAGE_CACHE_SECONDS).
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ikpob_portal.platform.logs import Throttle, without_url_passwords

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# Passed to redis-py's connection pool; settings' OPTIONS may override them.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
# Our own options, taken out of OPTIONS before the rest goes to redis-py.
RETRY_AFTER_OPTION = "RETRY_AFTER_SECONDS"
RETRY_AFTER_SECONDS = 5.0
WARN_EVERY_SECONDS = 60.0


class Outage:
    """Whether one Redis (by location) is failing, shared by every thread of the process.

    Django makes a cache object per thread (and anew whenever the test settings change), so
    the state lives here, keyed by the location, not on the cache object.
    """

    _all: dict[str, "Outage"] = {}
    _all_lock = threading.Lock()

    def __init__(self, location: str) -> None:
        self.location = without_url_passwords(location)  # as logged
        self.failing = False
        self.retry_at = 0.0
        self.warnings = Throttle(WARN_EVERY_SECONDS)

    @classmethod
    def of(cls, location: str) -> "Outage":
        with cls._all_lock:
            if location not in cls._all:
                cls._all[location] = cls(location)
            return cls._all[location]

    def should_try(self) -> bool:
        return not self.failing or time.monotonic() >= self.retry_at

    def failed(self, operation: str, error: Exception, retry_after: float) -> None:
        self.failing = True
        self.retry_at = time.monotonic() + retry_after
        report, held_back = self.warnings.due()
        if report:
            logger.warning(
                "cache unavailable (%s on %s: %s); answering as a miss%s",
                operation,
                self.location,
                error,
                f" ({held_back} more failures since the last warning)" if held_back else "",
            )

    def answered(self) -> None:
        if self.failing:
            self.failing = False
            self.warnings.reset()
            logger.warning("cache reachable again (%s)", self.location)


class ResilientRedisCache(RedisCache):
    """RedisCache whose operations treat an unreachable Redis as a cache miss."""

    def __init__(self, server, params):
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        self.retry_after = float(options.pop(RETRY_AFTER_OPTION, RETRY_AFTER_SECONDS))
        super().__init__(server, {**params, "OPTIONS": options})
        # The first server takes the writes; the site uses one (docs/operations.md).
        self.outage = Outage.of(self._servers[0])

    def _call(self, operation: str, miss, method, *args, **kwargs):
        if not self.outage.should_try():
            return miss()
        try:
            result = method(*args, **kwargs)
        except UNREACHABLE as error:
            self.outage.failed(operation, error, self.retry_after)
            return miss()
        self.outage.answered()
        return result

    def ping(self) -> bool:
        """One round trip to Redis, even within the retry pause (for /healthz/)."""
        try:
            self._cache.get_client(write=True).ping()
        except UNREACHABLE as error:
            self.outage.failed("ping", error, self.retry_after)
            return False
        self.outage.answered()
        return True

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", _false, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", _false, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", _false, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", _false, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", _false, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")

        return self._call("incr", missing, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that could not be stored.
        return self._call("set_many", lambda: list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", _none, super().delete_many, keys, version)

    def clear(self):
        return self._call("clear", _false, super().clear)


def _false() -> bool:
    return False


def _none() -> None:
    return None
