"""A throwaway PostgreSQL server for the team store's tests and benchmarks.

``INTAKE_ASSISTANT_TEST_DSN`` names a server to use instead (its user must be allowed to create
databases and roles). Otherwise the server binaries (``pg_config --bindir``, or
``/usr/lib/postgresql/*/bin``) start a cluster in a temporary folder, listening only on a unix
socket there. initdb refuses to run as root, and CI runs as root: there the cluster belongs to
the ``postgres`` user and every server command runs as that user (``runuser``).

Nothing here sleeps for a fixed time: the start waits until ``pg_isready`` says the server
accepts connections, up to a deadline.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DSN_VARIABLE = "INTAKE_ASSISTANT_TEST_DSN"
START_DEADLINE_SECONDS = 60.0


class Unavailable(Exception):
    """Why no PostgreSQL server can be had here (the tests skip with this text)."""


@dataclass(frozen=True, slots=True)
class Server:
    """A server to test against: an administrator's connection string."""

    admin_dsn: str
    #: Where the throwaway cluster lives (None for a server named by the environment).
    folder: Path | None = None


def _bin_dir() -> Path:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                              timeout=10, check=False)
        folder = Path(done.stdout.strip())
        if done.returncode == 0 and (folder / "initdb").is_file():
            return folder
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    raise Unavailable(f"no PostgreSQL server binaries (initdb) found and {DSN_VARIABLE} is not "
                      "set; install the postgresql package")


def _as_server_user() -> tuple[list[str], int | None, int | None]:
    """The command prefix that runs a server command, and the owner of the cluster's folder."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError as exc:
        raise Unavailable("running as root and there is no postgres user to run the server "
                          "as (initdb refuses root)") from exc
    runuser = shutil.which("runuser")
    if runuser is None:
        raise Unavailable("running as root without runuser to start the server as postgres")
    return [runuser, "-u", "postgres", "--"], user.pw_uid, user.pw_gid


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise Unavailable(f"{what} failed: {(done.stderr or done.stdout).strip()[-800:]}")


@contextlib.contextmanager
def throwaway_server(*, durable: bool = False) -> Iterator[Server]:
    """A server for the length of the ``with``: the one named by the environment, or a new
    cluster in a temporary folder, stopped and removed at the end. Tests run it without
    fsync (their data is thrown away); ``durable`` keeps it, for figures a real server gives."""
    named = os.environ.get(DSN_VARIABLE, "").strip()
    if named:
        yield Server(admin_dsn=named)
        return
    bin_dir = _bin_dir()
    prefix, uid, gid = _as_server_user()
    folder = Path(tempfile.mkdtemp(prefix="ia-pg-"))
    data = folder / "data"
    try:
        if uid is not None and gid is not None:
            os.chown(folder, uid, gid)
        # trust over the socket in a folder only its owner may enter: a test cluster, no
        # network at all (listen_addresses empty)
        _run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
              "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], "initdb")
        options = f"-k {folder} -c listen_addresses=''"
        if not durable:
            options += " -c fsync=off -c full_page_writes=off"
        _run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"),
              "-o", options, "-W", "start"], "pg_ctl start")
        try:
            deadline = time.monotonic() + START_DEADLINE_SECONDS
            while True:
                ready = subprocess.run([str(bin_dir / "pg_isready"), "-q", "-h", str(folder),
                                        "-d", "postgres", "-U", "postgres"], check=False,
                                       timeout=30)
                if ready.returncode == 0:
                    break
                if time.monotonic() > deadline:
                    log = (folder / "log").read_text(errors="replace")[-800:]
                    raise Unavailable(f"the test server did not start within "
                                      f"{START_DEADLINE_SECONDS:.0f} s: {log}")
                # pg_isready answers at once; ask again after a short wait for the server
                time.sleep(0.05)
            yield Server(admin_dsn=f"host={folder} dbname=postgres user=postgres", folder=folder)
        finally:
            subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                            "-w", "stop"], capture_output=True, timeout=120, check=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
