"""`make serve` runs `manage.py serve`: gunicorn and the mail worker (`manage.py db_worker`) start
together and stop together, on Ctrl-C or when either one exits. Run for real, with production
settings on a migrated SQLite file (tests/faults.py's environment)."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.faults import LOCALHOST, NO_CONTROL_SOCKET, closed_port, server_env


def children(pid: int) -> list[int]:
    try:
        return [
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    except OSError:
        return []


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.fixture
def serve(tmp_path):
    """`manage.py serve` on a free port; yields (process, gunicorn's pid, the worker's pid)."""
    env = server_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity=0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=300,
    )
    port = closed_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "serve",
            "--bind",
            f"{LOCALHOST}:{port}",
            "--workers",
            "1",
            "--",
            *NO_CONTROL_SOCKET,
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a process group of its own, like a terminal's foreground job
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                with urllib.request.urlopen(f"http://{LOCALHOST}:{port}/healthz/", timeout=5):
                    break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn never answered"
                time.sleep(0.3)
        # The worker says so once its signal handlers are in place.
        while "Starting worker" not in (tmp_path / "serve.log").read_text(errors="replace"):
            assert time.monotonic() < deadline, "the mail worker never started"
            time.sleep(0.3)
        started = {command_line(pid): pid for pid in children(process.pid)}
        [web] = [pid for line, pid in started.items() if "gunicorn" in line]
        [worker] = [pid for line, pid in started.items() if "db_worker" in line]
        yield process, web, worker
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            for pid in children(process.pid):
                os.kill(pid, signal.SIGKILL)
        process.wait(30)
        log.close()


def test_ctrl_c_stops_the_web_server_and_the_mail_worker(serve):
    process, web, worker = serve

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends

    assert process.wait(60) == 128 + signal.SIGINT
    assert gone(web)
    assert gone(worker)


def test_when_the_mail_worker_stops_the_web_server_stops_too(serve):
    process, web, worker = serve

    os.kill(worker, signal.SIGTERM)

    assert process.wait(60) == 0  # the worker's own status: it stopped cleanly
    assert gone(web)
