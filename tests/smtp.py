"""A real SMTP server for tests that send mail (aiosmtpd, in the test process)."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller


@contextmanager
def serving_smtp(settings, handler) -> Iterator[None]:
    """A real SMTP server on this machine (aiosmtpd) with this handler, on a free port, and
    the site's mail sent to it, while the block runs."""
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
    try:
        yield
    finally:
        controller.stop()
