"""Servers for the index and report tests, from Debian's packages only (`make install` installs them): a
throwaway PostgreSQL server, and Debian's chromium driven by Playwright (which never downloads a browser).

    with PostgresServer() as server:
        engine = create_engine(server.url)

    with chromium_browser() as browser:
        page, errors = open_page(browser, tmp_path / "index.html")
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path
from types import TracebackType

from playwright.sync_api import Browser, ConsoleMessage, Error, Page, sync_playwright

# Debian's `chromium` package. Playwright's own browser download is never used (CI has no access to it).
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium's own connections are refused on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Debian's `postgresql` package puts its server binaries outside PATH, one folder per major version.
POSTGRES_BIN_GLOB = "/usr/lib/postgresql/*/bin"
# A URL's scheme (RFC 3986); two letters at least, so that no path is taken for one.
URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")
START_TIMEOUT = 30  # seconds
LOG_TAIL_LINES = 30


class ServerError(RuntimeError):
    """A test server could not be found, started or stopped."""


def postgres_bin_dir() -> Path:
    """The folder of initdb and pg_ctl: Debian's newest version, else the one on PATH."""
    candidates = [Path(d) for d in glob.glob(POSTGRES_BIN_GLOB) if (Path(d) / "initdb").is_file()]
    if candidates:
        return max(candidates, key=lambda d: _version_key(d.parent.name))
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    raise ServerError(
        f"PostgreSQL's initdb is neither under {POSTGRES_BIN_GLOB} nor on PATH: "
        "install Debian's `postgresql` package (`make install` does)"
    )


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the server binds it a moment later)."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _unprivileged_user() -> str:
    """PostgreSQL refuses to run as root: the user its binaries run as then (Debian's `postgres`)."""
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise ServerError("running as root, and no `postgres` or `nobody` user exists to run PostgreSQL as")


class PostgresServer:
    """A PostgreSQL server in a temporary folder, on a free port of 127.0.0.1 (and a unix socket inside
    the folder), trusting every local connection, with one database. Stopped and deleted on exit."""

    def __init__(
        self,
        database: str = "tenge",
        user: str = "tenge",
        settings: Mapping[str, str] | None = None,
        attempts: int = 3,
    ) -> None:
        self.database = database
        self.user = user
        # Server settings (`-c name=value`) on top of the test ones: no fsync, as the data is thrown away.
        self.settings = {
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            **(settings or {}),
        }
        self.attempts = attempts
        self.bin_dir = postgres_bin_dir()
        self.port = 0
        self.root: Path | None = None
        self._started = False
        self._run_as = _unprivileged_user() if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the database (psycopg 3 driver, over TCP)."""
        if not self._started:
            raise ServerError("the PostgreSQL server is not running")
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{self.database}"

    @property
    def data_dir(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        assert self.root is not None
        return self.root / "socket"

    @property
    def log_file(self) -> Path:
        assert self.root is not None
        return self.root / "server.log"

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        # In the system's temporary folder, not pytest's (root-only) one: the server's user must reach it.
        self.root = Path(tempfile.mkdtemp(prefix="tenge-postgres-"))
        try:
            self.socket_dir.mkdir()
            if self._run_as is not None:
                entry = pwd.getpwnam(self._run_as)
                for path in (self.root, self.socket_dir):
                    os.chown(path, entry.pw_uid, entry.pw_gid)
            self._run(
                "initdb",
                "--pgdata",
                str(self.data_dir),
                "--username",
                self.user,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--no-locale",
                "--no-sync",
            )
            self._start_server()
            self._run(
                "createdb",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--username",
                self.user,
                self.database,
            )
        except BaseException:
            self.stop()
            raise

    def _start_server(self) -> None:
        # A port found free can be taken before the server binds it: then another port, a few times.
        for attempt in range(1, self.attempts + 1):
            self.port = free_port()
            settings = {"listen_addresses": "127.0.0.1", "port": str(self.port), **self.settings}
            settings["unix_socket_directories"] = str(self.socket_dir)
            options = " ".join(f"-c {shlex.quote(f'{name}={value}')}" for name, value in settings.items())
            result = self._run(
                "pg_ctl",
                "start",
                "--pgdata",
                str(self.data_dir),
                "--log",
                str(self.log_file),
                "--options",
                options,
                "--wait",
                "--timeout",
                str(START_TIMEOUT),
                check=False,
                timeout=START_TIMEOUT + 10,
            )
            if result.returncode == 0:
                self._started = True
                return
            log = self.log_tail()
            if "could not bind" not in log or attempt == self.attempts:
                raise ServerError(
                    f"PostgreSQL failed to start on port {self.port} (waiting up to {START_TIMEOUT} s) "
                    f"(pg_ctl exit {result.returncode}: {result.stdout.strip()})\n"
                    f"--- last lines of {self.log_file} ---\n{log}"
                )
            self._run("pg_ctl", "stop", "--pgdata", str(self.data_dir), "--mode", "immediate", check=False)

    def stop(self) -> None:
        """Stops the server (fast: open connections are closed) and deletes its folder."""
        if self.root is None:
            return
        try:
            if self.data_dir.joinpath("postmaster.pid").exists():
                result = self._run(
                    "pg_ctl", "stop", "--pgdata", str(self.data_dir), "--mode", "fast", "--wait", check=False
                )
                if result.returncode != 0:
                    raise ServerError(f"pg_ctl stop failed: {result.stdout.strip()}\n{self.log_tail()}")
        finally:
            self._started = False
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    def _run(
        self, tool: str, *args: str, check: bool = True, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / tool), *args]
        if self._run_as is not None:
            command = ["runuser", "-u", self._run_as, "--", *command]
        environment = {**os.environ, "LC_ALL": "C", "PGTZ": "UTC"}
        for name in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGDATA"):
            environment.pop(name, None)
        result = subprocess.run(
            command,
            cwd=self.root,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise ServerError(
                f"{tool} failed (exit {result.returncode}):\n{result.stdout.strip()}\n"
                f"--- last lines of the server log ---\n{self.log_tail()}"
            )
        return result


@contextmanager
def chromium_browser() -> Iterator[Browser]:
    """Debian's chromium, headless, through Playwright's sync API; closed on exit."""
    if not os.access(CHROMIUM, os.X_OK):
        raise ServerError(f"{CHROMIUM} not found: install Debian's `chromium` package (`make install` does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Browser, url_or_path: str | os.PathLike[str]) -> tuple[Page, list[str]]:
    """Opens a URL (file:, http:, data:, about:...) or a local file (a path, or a string without a scheme)
    in a fresh page, waiting for its load event. Returns the page and a list that collects, from before the
    first byte, every console error and uncaught exception of the page. The caller closes the page."""
    target = os.fspath(url_or_path)
    if isinstance(url_or_path, os.PathLike) or not URL_SCHEME.match(target):
        target = Path(target).resolve().as_uri()
    page = browser.new_page()
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console.error: {message.text}")

    def on_page_error(error: Error) -> None:
        errors.append(f"uncaught: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    try:
        page.goto(target, wait_until="load")
    except BaseException:
        page.close()
        raise
    return page, errors
