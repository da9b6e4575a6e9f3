"""Shared helpers for the HTTP benchmarks (run.py, registrations.py, two_instances.py).

Everything here talks to this machine only: PostgreSQL and Redis on 127.0.0.1, gunicorn bound
to 127.0.0.1. Whatever is started (a gunicorn, a throwaway database) is stopped again, also
after an exception or Ctrl-C: gunicorn through a context manager plus an atexit hook, and the
callers drop their databases in `finally`.
"""

import atexit
import contextlib
import html.parser
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
PG_HOST = "127.0.0.1"
PG_PORT = "5432"
PG_USER = "postgres"
STATIC_ROOT = Path(tempfile.gettempdir()) / "ikpob-bench-static"
# A Redis database of its own: flushed at every start, so never the application's db 0.
# BENCH_REDIS_DB chooses another one, so two benches can run side by side.
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "5"))


def say(text: str = "", end: str = "\n") -> None:
    sys.stdout.write(text + end)
    sys.stdout.flush()


# --- Only this machine -------------------------------------------------------------------


def require_local_host(host: str | None) -> str:
    host = (host or "").strip("[]")
    if host not in LOCAL_HOSTS:
        sys.exit(f"bench: refusing host {host!r}: only {', '.join(sorted(LOCAL_HOSTS))}")
    return host


def require_local_url(url: str) -> str:
    """The URL, if it points at this machine (a database URL or an http URL)."""
    require_local_host(urllib.parse.urlsplit(url).hostname)
    return url


def require_local_postgres(url: str) -> str:
    if urllib.parse.urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit(f"bench: {url!r} is not a PostgreSQL URL")
    return require_local_url(url)


# --- PostgreSQL ----------------------------------------------------------------------------


def database_url(name: str) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def pg_tool(tool: str, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
    if shutil.which(tool) is None:
        sys.exit(f"bench: {tool} not found; it needs the PostgreSQL client tools")
    command = [tool, "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, *extra]
    return subprocess.run(
        command, check=check, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )


def database_exists(name: str) -> bool:
    result = pg_tool("psql", "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    return result.stdout.strip() == "1"


def create_database(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"bench: unusual database name {name!r}")
    pg_tool("createdb", name)
    return database_url(name)


def drop_database(name: str) -> None:
    pg_tool("dropdb", "--if-exists", "--force", name, check=False)


def postgres_version() -> str:
    return pg_tool("psql", "-Atc", "SHOW server_version").stdout.strip()


# --- Environment, Django, Redis -------------------------------------------------------------


def server_env(database: str, *, redis_db: int = REDIS_DB, **extra: str) -> dict[str, str]:
    """Production-like settings for a gunicorn on 127.0.0.1 (plain HTTP, console mail)."""
    require_local_postgres(database)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join([str(BENCH), str(ROOT)]),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database,
        REDIS_URL=f"redis://127.0.0.1:6379/{redis_db}",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_LOG_LEVEL="WARNING",
        # No access log (gunicorn.conf.py): thousands of lines per run that nobody reads, and
        # the numbers stay comparable with the runs before it existed.
        DJANGO_ACCESS_LOG="off",
        # Empty: mail goes to the console backend (gunicorn's log), never to an SMTP server.
        DJANGO_EMAIL_HOST="",
        DJANGO_SITE_URL="http://127.0.0.1:8000",
        PYTHONUNBUFFERED="1",
        BENCH_STATIC_ROOT=str(STATIC_ROOT),
        # Every simulated visitor is 127.0.0.1 and posts a form the moment it has it: no
        # minimum fill time (ikpob_portal/platform/antispam.py) and no search rate limit.
        DJANGO_FORM_MIN_FILL_SECONDS="0",
        DJANGO_SEARCH_RATE_LIMIT_PER_MINUTE="1000000000",
        # Nor the list filter limit and the cap on filtered renders at once: wrk on a
        # filtered list would measure 429 answers and uncounted pages (bench/crawl measures
        # those two, with the site's own values).
        DJANGO_LIST_FILTER_RATE_LIMIT_PER_MINUTE="1000000000",
        DJANGO_LIST_FILTER_CONCURRENCY="0",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdin=subprocess.DEVNULL,
    )


def migrate_and_collect(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")


def setup_django(env: dict[str, str]) -> None:
    """Django in this process, on the benchmark database (for the ORM: events, users)."""
    for path in (str(ROOT), str(BENCH)):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ.update(env)
    # In this process Django only writes; the connection need not outlive a request.
    os.environ["DATABASE_CONN_MAX_AGE"] = "0"
    import django

    django.setup()


def flush_redis(redis_db: int = REDIS_DB) -> None:
    if redis_db == 0:
        sys.exit("bench: refusing to flush Redis db 0")
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=redis_db, socket_timeout=5).flushdb()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- gunicorn --------------------------------------------------------------------------------

_running: set["Gunicorn | TaskWorker"] = set()


@atexit.register
def _stop_all() -> None:
    for server in list(_running):
        server.stop()


def _stop_on_sigterm(signum, frame) -> None:
    raise SystemExit(128 + signum)  # unwinds the `with` blocks, then atexit


signal.signal(signal.SIGTERM, _stop_on_sigterm)


def spawn(command: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """A server process of the bench, its output appended to `log_path`, in a process group of
    its own (Ctrl-C reaches the bench, which stops it, not the process itself)."""
    with log_path.open("ab") as log:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


class Gunicorn:
    """gunicorn on 127.0.0.1:<free port>, its own process group, log in a temp dir.

    with Gunicorn(env, workers=2) as server:
        server.url("/")
    """

    def __init__(self, env: dict[str, str], *, workers: int = 2, port: int | None = None):
        self.env = env
        self.workers = workers
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        self.log_dir = Path(tempfile.mkdtemp(prefix="ikpob-bench-"))
        self.log_path = self.log_dir / "gunicorn.log"

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self, timeout: float = 60) -> "Gunicorn":
        command = [
            str(VENV_BIN / "gunicorn"),
            "ikpob_portal.wsgi",
            # The production settings of gunicorn itself (proxy headers, no Server banner).
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--chdir",
            str(ROOT),
            "--pythonpath",
            f"{BENCH},{ROOT}",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            "120",
            "--graceful-timeout",
            "5",
        ]
        self.process = spawn(command, self.env, self.log_path)
        _running.add(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                sys.exit(f"bench: gunicorn exited early; see {self.log_path}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url("/healthz/"), timeout=5) as response:
                    if response.status == 200 and len(self.worker_pids()) >= self.workers:
                        return self
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"bench: gunicorn did not answer /healthz/ in {timeout:.0f} s; {self.log_path}")

    def stop(self) -> None:
        process, self.process = self.process, None
        _running.discard(self)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            process.wait(timeout=15)  # the master exits after its workers
        except subprocess.TimeoutExpired:
            # Still there, so its process group is still this server's: end all of it.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)

    def __enter__(self) -> "Gunicorn":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        return children(self.process.pid)

    def worker_rss_mb(self) -> dict[int, float]:
        return {pid: rss_mb(pid) for pid in self.worker_pids()}

    def worker_cpu_seconds(self) -> float:
        """CPU time used by the workers so far (they live as long as the server)."""
        return sum(cpu_seconds(pid) for pid in self.worker_pids())

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def errors_in_log(self) -> list[str]:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        return [line for line in text.splitlines() if "Traceback" in line or "[ERROR]" in line]


class TaskWorker:
    """The mail worker as `make serve` (`manage.py serve`) starts it: `manage.py db_worker`,
    niced, in a process group of its own, log in a temp dir (the console mail backend prints there).

    with TaskWorker(env):
        ...
    """

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.process: subprocess.Popen | None = None
        self.log_path = Path(tempfile.mkdtemp(prefix="ikpob-bench-worker-")) / "db_worker.log"

    def start(self) -> "TaskWorker":
        command = ["nice", "-n", "10", str(VENV_BIN / "python"), "manage.py", "db_worker"]
        command += ["--no-reload", "--interval", "1", "--no-startup-delay", "--verbosity", "0"]
        self.process = spawn(command, self.env, self.log_path)
        _running.add(self)
        return self

    def stop(self) -> None:
        process, self.process = self.process, None
        _running.discard(self)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)  # finishes the mail it is sending, then stops
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def rss_mb(self) -> float:
        return rss_mb(self.process.pid) if self.process is not None else 0.0

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.process.pid) if self.process is not None else 0.0

    def __enter__(self) -> "TaskWorker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def errors_in_log(self) -> list[str]:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        return [line for line in text.splitlines() if "Traceback" in line or '"ERROR"' in line]


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(child) for child in path.read_text().split()]
    except OSError:
        return []


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far, 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the command name: state is field 3, utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident set size (VmRSS) of a process in MB, 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# --- A small HTTP client with cookies and forms -----------------------------------------------


class _LocalCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Production settings mark the cookies Secure; the benchmark speaks plain HTTP locally."""

    def __init__(self) -> None:
        super().__init__(secure_protocols=("https", "wss", "http"))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    url: str
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Client:
    """One visitor: its own cookies; follows redirects unless told not to."""

    def __init__(self, base_url: str, timeout: float = 60):
        self.base_url = require_local_url(base_url).rstrip("/")
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar(policy=_LocalCookiePolicy())
        cookie_handler = urllib.request.HTTPCookieProcessor(self.cookies)
        self.opener = urllib.request.build_opener(cookie_handler)
        self.opener_no_redirect = urllib.request.build_opener(cookie_handler, _NoRedirect())

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def request(
        self,
        path: str,
        data: dict | list | None = None,
        *,
        headers: dict[str, str] | None = None,
        follow: bool = True,
    ) -> Response:
        url = path if path.startswith("http") else self.base_url + path
        require_local_url(url)
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})
        if body is not None:
            # Django's CSRF check compares the Referer's origin only for HTTPS; send it anyway.
            request.add_header("Referer", url)
        opener = self.opener if follow else self.opener_no_redirect
        try:
            with opener.open(request, timeout=self.timeout) as response:
                return Response(
                    response.status, response.url, dict(response.headers), response.read()
                )
        except urllib.error.HTTPError as error:
            return Response(error.code, url, dict(error.headers), error.read())

    def get(self, path: str, **kwargs) -> Response:
        return self.request(path, **kwargs)

    def post(self, path: str, data: dict | list, **kwargs) -> Response:
        return self.request(path, data, **kwargs)


@dataclass
class FormField:
    tag: str
    name: str
    type: str = ""
    value: str = ""
    required: bool = False
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)


@dataclass
class Form:
    action: str = ""
    method: str = "get"
    attrs: dict[str, str] = field(default_factory=dict)
    fields: list[FormField] = field(default_factory=list)

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)

    def data(self) -> list[tuple[str, str]]:
        """What a browser would submit as the form stands (no submit button)."""
        pairs = []
        for f in self.fields:
            if f.tag == "select":
                chosen = [value for value, selected in f.options if selected]
                if not chosen and f.options and "multiple" not in f.type:
                    chosen = [f.options[0][0]]
                pairs += [(f.name, value) for value in chosen]
            elif f.type in {"checkbox", "radio"}:
                if f.checked:
                    pairs.append((f.name, f.value or "on"))
            elif f.type in {"submit", "button", "image", "reset", "file"}:
                continue
            else:
                pairs.append((f.name, f.value))
        return pairs


class _FormParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._text_field: FormField | None = None  # textarea being read
        self._select: FormField | None = None
        self._option: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower(), a)
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            self._form.fields.append(
                FormField(
                    "input",
                    a["name"],
                    a.get("type", "text").lower(),
                    a.get("value", ""),
                    "required" in a,
                    "checked" in a,
                )
            )
        elif tag == "textarea" and a.get("name"):
            self._text_field = FormField("textarea", a["name"], "textarea", "", "required" in a)
            self._form.fields.append(self._text_field)
        elif tag == "select" and a.get("name"):
            kind = "select-multiple" if "multiple" in a else "select"
            self._select = FormField("select", a["name"], kind, "", "required" in a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select.options.append(("", False))  # replaced at </option>

    def handle_data(self, data):
        if self._text_field is not None:
            self._text_field.value += data
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            if self._text_field is not None and self._text_field.value.startswith("\n"):
                self._text_field.value = self._text_field.value[1:]
            self._text_field = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value = self._option[0] if self._option[0] is not None else self._option[2].strip()
            self._select.options[-1] = (value, self._option[1])
            self._option = None
        elif tag == "select":
            self._select = None


def forms_in(page: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


def form_with(page: str, field_name: str) -> Form:
    """The (first) form on the page that has a field of this name."""
    for form in forms_in(page):
        if form.field(field_name) is not None:
            return form
    raise LookupError(f"no form with a field {field_name!r} on the page")


# --- Facts about the run ----------------------------------------------------------------------


def commit_hash() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    suffix = " (work tree has uncommitted changes)" if dirty.stdout.strip() else ""
    return (result.stdout.strip() or "unknown") + suffix


def nproc() -> int:
    return len(os.sched_getaffinity(0))


def load_average() -> str:
    return " ".join(f"{load:.2f}" for load in os.getloadavg())
