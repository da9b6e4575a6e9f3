"""`make serve`: gunicorn and the task worker (`manage.py db_worker`, which sends the mail) side
by side, stopped together.

Ctrl-C or SIGTERM stops both; when either one stops by itself, the other is stopped too and
the command exits with the first one's status, so a supervisor notices. In production each
runs under systemd of its own instead (docs/operations.md).

    manage.py serve [--bind 127.0.0.1:8000] [--workers 3] [-- more gunicorn options]
"""

import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "gunicorn and the mail worker side by side, stopped together (make serve)."
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("gunicorn_options", nargs="*", help="after --: more gunicorn options")

    def handle(self, *args, bind: str, workers: int, gunicorn_options: list[str], **options):
        bin_dir = Path(sys.executable).parent
        web_command = [str(bin_dir / "gunicorn"), "ikpob_portal.wsgi", "--config"]
        web_command += ["gunicorn.conf.py", "--bind", bind, "--workers", str(workers)]
        # The worker yields the CPU to the web workers (nice): mail can wait a few seconds in a
        # rush, visitors cannot. It looks for new tasks every second when the queue is empty.
        worker_command = ["nice", "-n", "10", sys.executable, "manage.py", "db_worker"]
        worker_command += ["--no-reload", "--interval", "1"]
        # Each child in a session of its own, so Ctrl-C in the terminal reaches only this
        # command, which then stops each child once (a second signal would make db_worker
        # abandon the mail it is sending).
        children = [
            subprocess.Popen(command, cwd=settings.BASE_DIR, start_new_session=True)
            for command in (web_command + gunicorn_options, worker_command)
        ]
        stopped_by: list[int] = []

        def on_signal(number, _frame) -> None:
            stopped_by.append(number)

        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, on_signal)
        status = None
        while status is None and not stopped_by:
            status = next((c.returncode for c in children if c.poll() is not None), None)
            time.sleep(0.2)
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            child.wait()
        sys.exit(128 + stopped_by[0] if stopped_by else status)
