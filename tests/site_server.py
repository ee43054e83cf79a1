"""The real site under gunicorn, on its own database, for tests that need real processes.

Its database is a fresh SQLite file, or, when the suite itself runs on PostgreSQL, a fresh
PostgreSQL database on the same server: either way the same engine the suite runs on.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings

from tests.support import manage, process_env

SECRET = "test-only-secret-key-for-the-gunicorn-tests-0123456789abcdef"
STARTUP_SECONDS = 30


def _site_env(database_url, static_root, cache_dir=None):
    env = {
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(static_root),
    }
    if cache_dir is not None:
        env["DJANGO_CACHE_DIR"] = str(cache_dir)
    return env


@dataclass
class SiteServer:
    url: str
    env: dict
    log: Path
    process: subprocess.Popen

    def query(self, code):
        """Run ORM code in a separate process against the server's database; the code
        sets `result`, which comes back through JSON."""
        script = f"import json\nresult = None\n{code}\nprint('RESULT=' + json.dumps(result))"
        output = manage("shell", "-c", script, env=self.env, check=True).stdout
        return json.loads(output.rsplit("RESULT=", 1)[1])

    def worker_pids(self):
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in found.stdout.split()]

    def log_text(self):
        return self.log.read_text(errors="replace")


def start_site(tmp_path, static_root, *, workers=2):
    database_url, drop = _fresh_database(tmp_path)
    env = _site_env(database_url, static_root, tmp_path / "cache")
    manage("migrate", "--no-input", "-v0", env=env, check=True)
    manage("import_content", env=env, check=True)
    try:
        return _serve(env, tmp_path / "gunicorn.log", workers), drop
    except RuntimeError:
        drop()
        raise


def start_another_server(site, *, workers=1):
    """A second gunicorn serving the same site: same database, same machine-wide cache, as
    a second app server would; stop it with stop_site(server, lambda: None)."""
    return _serve(site.env, site.log.with_name("gunicorn-2.log"), workers)


def _serve(env, log, workers):
    # The test opens the listening socket and hands it to gunicorn: a request made before
    # a worker is up waits in its queue instead of being refused, so the first health
    # check is answered as soon as the site is ready, with no polling.
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    with listener:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "course.project.wsgi",
             "--bind", f"fd://{listener.fileno()}", "--workers", str(workers),
             "--access-logfile", "-", "--error-logfile", "-",
             "--graceful-timeout", "5", "--timeout", "60"],
            env=process_env(env),
            cwd=settings.BASE_DIR,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            pass_fds=[listener.fileno()],
            start_new_session=True,
        )  # fmt: skip
    # Only gunicorn holds the socket now: if it exits, the health check is refused.
    server = SiteServer(f"http://127.0.0.1:{port}", env, log, process)
    try:
        status = Browser(server.url, timeout=STARTUP_SECONDS).get("/healthz/").status
    except (OSError, http.client.HTTPException):
        status = None  # refused, gunicorn having exited, or no answer in STARTUP_SECONDS
    if status != 200:
        stop_site(server, lambda: None)
        raise RuntimeError(f"gunicorn did not start ({status=}):\n{server.log_text()}")
    return server


def stop_site(server, drop):
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.process.pid, signal.SIGKILL)
    drop()


def collect_static(static_root):
    env = _site_env("sqlite:///:memory:", static_root)
    manage("collectstatic", "--no-input", "-v0", env=env, check=True)


def _fresh_database(tmp_path):
    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{tmp_path / 'site.sqlite3'}", lambda: None
    import psycopg

    name = f"course_site_{uuid.uuid4().hex[:12]}"
    params = {"host": default["HOST"] or None, "port": default["PORT"] or None,
              "user": default["USER"], "password": default["PASSWORD"], "dbname": "postgres",
              "autocommit": True}  # fmt: skip
    with psycopg.connect(**params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(**params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    user = f"{default['USER']}:{default['PASSWORD']}@" if default["USER"] else ""
    host = f"{default['HOST'] or 'localhost'}:{default['PORT'] or 5432}"
    return f"postgres://{user}{host}/{name}", drop


@dataclass
class Reply:
    status: int
    headers: dict
    body: str


@dataclass
class Browser:
    """A learner's browser without JavaScript: cookies, CSRF token, one connection."""

    base_url: str
    timeout: float = 60
    cookies: dict = field(default_factory=dict)

    def _request(self, method, path, data=None, headers=None):
        parts = urlsplit(self.base_url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        all_headers = {"Host": f"{parts.hostname}:{parts.port}", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["Origin"] = self.base_url
            all_headers["Referer"] = self.base_url + path
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, text)

    def get(self, path, headers=None):
        return self._request("GET", path, headers=headers)

    def post(self, path, data, *, htmx=False):
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        headers = {"HX-Request": "true"} if htmx else {}
        return self._request("POST", path, data=data, headers=headers)
