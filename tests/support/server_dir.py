"""Process and directory management shared by the test-suite's real-server harnesses.

tests/keystone/keystone_server.py (Keystone under gunicorn) and tests/ldap/slapd_server.py
(OpenLDAP slapd) each run one daemon out of a *server directory* holding its configuration,
its data, the daemon's pid file and ``env.json`` (connection details, mode 600).  The parts
that are the same for both live here; what differs is a parameter of :class:`ServerDir`:

    process      the daemon's name: its /proc/<pid>/cmdline must hold it, and messages use it
    pid_file     the pid file the daemon writes in the directory
    marker       the file (the daemon's configuration) that makes a directory a server
                 directory: only such a directory, or an empty one, is ever wiped
    label        how messages name such a directory ("not a <label> server directory")
    error        the harness's exception class, raised for every failure
    url_key      the key of env.json that status() reports
    kill_group   send the SIGKILL to the daemon's whole process group instead of its pid, to
                 take gunicorn's worker too
    stop_timeout seconds between SIGTERM and SIGKILL

and the module functions free_port(), write_private(), alive(), wait_dead(), run(),
apt_get_install(), text() and tail(), and add_server_commands(): the harnesses' common
command line (start, restart, stop, status and env, each with ``--dir``).

The harnesses are run as scripts and imported by file path, so each puts this directory on
``sys.path`` by its own location and imports this file as the top-level module ``server_dir``.
Only the standard library is used.  Linux only (process checks read /proc).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path


class ServerDir:
    """Process and directory operations on one kind of server directory.

    Every method takes the server directory as a resolved :class:`~pathlib.Path`; the
    harness maps its optional ``dir`` argument (default directory) to one.
    """

    def __init__(self, process: str, pid_file: str, marker: str, label: str, error: type,
                 url_key: str, kill_group: bool = False, stop_timeout: float = 10.0):
        self.process = process
        self.pid_file = pid_file
        self.marker = marker
        self.label = label
        self.error = error
        self.url_key = url_key
        self.kill_group = kill_group
        self.stop_timeout = stop_timeout

    def pid(self, dir: Path):
        """Pid of DIR's live daemon, or None."""
        try:
            pid = int((dir / self.pid_file).read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return None
        return pid if self.process.encode() in cmdline and alive(pid) else None

    def stop(self, dir: Path) -> bool:
        """Stop DIR's daemon: SIGTERM, SIGKILL after stop_timeout. True if one ran."""
        pid = self.pid(dir)
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            if not wait_dead(pid, self.stop_timeout):
                if self.kill_group:  # gunicorn --daemon: setsid, then fork, so the master is
                    os.killpg(os.getpgid(pid), signal.SIGKILL)  # not the group's leader
                else:
                    os.kill(pid, signal.SIGKILL)
                if not wait_dead(pid, 5):
                    raise self.error(f"{self.process} pid {pid} survived SIGKILL")
        (dir / self.pid_file).unlink(missing_ok=True)
        return pid is not None

    def status(self, dir: Path) -> dict:
        """Return {"running": bool, "pid": int|None, <url_key>: str|None, "dir": str}."""
        pid = self.pid(dir)
        env_file = dir / "env.json"
        url = json.loads(env_file.read_text())[self.url_key] if env_file.exists() else None
        return {"running": pid is not None, "pid": pid, self.url_key: url, "dir": str(dir)}

    def load_env(self, dir: Path) -> dict:
        """Return DIR/env.json as a dict (the server need not be running)."""
        env_file = dir / "env.json"
        if not env_file.exists():
            raise self.error(f"{env_file} missing: run start first")
        return json.loads(env_file.read_text())

    def restart(self, dir: Path, launch, save) -> dict:
        """Stop DIR's daemon and launch it again on the same data and port; return the env.

        ``launch(dir, port)`` starts the daemon and returns its pid, ``save(dir, env)``
        writes env.json (and whatever else the harness derives from it).
        """
        env = self.load_env(dir)
        dir = Path(env["dir"])
        self.stop(dir)
        env["pid"] = launch(dir, env["port"])
        save(dir, env)
        return env

    def reset(self, dir: Path) -> None:
        """Make DIR an empty directory, stopping and wiping the server directory it was."""
        if dir.exists():
            if any(dir.iterdir()) and not (dir / self.marker).exists():
                raise self.error(f"refusing to wipe {dir}: not a {self.label} server directory")
            self.stop(dir)
            shutil.rmtree(dir)
        dir.mkdir(parents=True)


def add_server_commands(commands, default_dir: Path, start: str, restart: str) -> None:
    """Add the subcommands start, restart, stop, status and env (with their options) to the
    argparse ``add_subparsers()`` result COMMANDS; START and RESTART are their help texts."""
    for name, summary in (("start", start),
                          ("restart", restart),
                          ("stop", "stop the server"),
                          ("status", "exit 0 if running, 1 otherwise"),
                          ("env", "print env.json")):
        command = commands.add_parser(name, help=summary)
        command.add_argument("--dir", help=f"server directory (default {default_dir})")
        if name == "start":
            command.add_argument("--port", type=int, help="default: a free port")
        if name == "env":
            command.add_argument("--show-secrets", action="store_true")


def free_port(host: str) -> int:
    """A TCP port on HOST that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def write_private(path: Path, text: str) -> None:
    """Write TEXT to PATH, readable by its owner only (mode 600 from the start)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    path.chmod(0o600)


def alive(pid: int) -> bool:
    """True while PID runs; a zombie counts as dead."""
    # A zombie still answers kill(pid, 0); PID 1 here may never reap it.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split(maxsplit=1)[0] not in ("Z", "X")


def wait_dead(pid: int, timeout: float) -> bool:
    """Wait up to TIMEOUT seconds for PID to end; True if it did."""
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def run(command, what: str, error: type, capture: bool = True, env=None, join=shlex.join) -> None:
    """Run COMMAND; raise ERROR naming WHAT, the command (as JOIN writes it) and the tail of
    its output (when CAPTUREd) if it fails."""
    result = subprocess.run(command, env=env, capture_output=capture, text=True, check=False)
    if result.returncode != 0:
        output = (result.stdout or "") + (result.stderr or "") if capture else ""
        raise error(f"{what} failed (exit {result.returncode}): {join(command)}\n"
                    + "\n".join(output.splitlines()[-40:]))


def apt_get_install(packages, error: type, log) -> None:
    """``apt-get install`` PACKAGES; ``apt-get update`` only when that fails (stale lists)."""
    log(f"apt-get install {' '.join(packages)}")
    # another suite's apt-get may hold the dpkg lock: wait for it rather than fail at once
    command = ["apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-q", *packages]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(command, env=env, capture_output=True, check=False).returncode != 0:
        run(["apt-get", "update", "-q"], "apt-get update", error, env=env)
        run(command, "apt-get install", error, env=env)


def text(path: Path) -> str:
    """PATH's text, or "" when it cannot be read."""
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def tail(path: Path, lines: int = 40) -> str:
    """The last LINES lines of PATH, or "(empty)"."""
    return "\n".join(text(path).splitlines()[-lines:]) or "(empty)"
