"""Real faults for tests: a port nobody listens on, a TCP proxy to stop, a server to run.

Nothing here mocks the portal's code: a service is made unreachable the way it is in
production (refused connections, connections cut off), and the site is run as a real
gunicorn process where a test needs one.
"""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import gunicorn
from django.conf import settings
from django.db import connection

LOCALHOST = "127.0.0.1"
# gunicorn 27 opens ~/.gunicorn/gunicorn.ctl, shared with any other gunicorn running.
NO_CONTROL_SOCKET = ["--no-control-socket"] if gunicorn.version_info >= (27,) else []
# Straight to the local server, whatever proxy the environment names.
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def closed_port() -> int:
    """A local port that refuses connections: bound to get a free number, then closed."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOCALHOST, 0))
        return probe.getsockname()[1]


def is_listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class TcpProxy:
    """Forwards connections on a local port to `target`; stop() is the target going away.

    stop() closes the listening socket and cuts every open connection in both directions, so
    clients see what they would see if the server went down: established connections break and
    new ones are refused. start() listens on the same port again.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = closed_port()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.connections = 0  # accepted and forwarded, since the proxy was made

    @property
    def running(self) -> bool:
        return self._listener is not None

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((LOCALHOST, self.port))
        listener.listen(16)
        listener.settimeout(0.1)
        self._listener = listener
        self._spawn(self._accept, listener)

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        threads, self._threads = self._threads, []
        for thread in threads:
            thread.join(timeout=5)

    def __enter__(self) -> "TcpProxy":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by stop()
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # stopped meanwhile
                    client.close()
                    upstream.close()
                    return
                self._sockets |= {client, upstream}
                self.connections += 1
            self._spawn(self._pump, client, upstream)
            self._spawn(self._pump, upstream, client)

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        # One side ended: end the other too, as a server going away would.
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


class AppServer:
    """The portal in a gunicorn process on a free local port (one worker, one thread).

    One sync worker keeps one persistent database connection across requests, as in
    production. Its log (stderr) is kept in `log_path`.
    """

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = closed_port()
        self.log_path = log_path
        self.env = env
        self._process: subprocess.Popen | None = None
        self._log = None

    @property
    def url(self) -> str:
        return f"http://{LOCALHOST}:{self.port}"

    def start(self, *, ready_path: str = "/healthz/", timeout: float = 60) -> None:
        self._log = self.log_path.open("wb")
        self._process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "ikpob_portal.wsgi",
                "--config",
                str(Path(settings.BASE_DIR) / "gunicorn.conf.py"),
                "--bind",
                f"{LOCALHOST}:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "60",
                *NO_CONTROL_SOCKET,
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log()}")
            try:
                self.get(ready_path)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s: {self.log()}")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def log(self) -> str:
        if self._log is not None:
            self._log.flush()
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with _direct.open(request, timeout=30) as response:
                return Answer(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read().decode())


QUERY_IN_MIDDLEWARE = "X-Test-Query-In-Middleware"


class QueryInMiddleware:
    """Queries the database before the view for a request with QUERY_IN_MIDDLEWARE set.

    Only in tests/fault_settings.py: a database error raised by a middleware, not a view.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if QUERY_IN_MIDDLEWARE in request.headers:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        return self.get_response(request)


def server_env(**overrides: str) -> dict[str, str]:
    """Production-like settings (no DEBUG, JSON logs, console mail) for AppServer.

    The test process's own settings variables are left out; `overrides` are added.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_URL"))
    }
    env.update(
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(settings.BASE_DIR),
        DJANGO_SETTINGS_MODULE="tests.fault_settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=LOCALHOST,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_EMAIL_HOST="",  # mail to ADMINS, if any, is printed into the server's log
    )
    env.update(overrides)
    return env


@contextlib.contextmanager
def app_server(env: dict[str, str], log_path: Path, **start) -> Iterator[AppServer]:
    server = AppServer(env, log_path)
    try:
        server.start(**start)
        yield server
    finally:
        server.stop()
