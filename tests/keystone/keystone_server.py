"""Run a real OpenStack Keystone on 127.0.0.1 for the iamops test-suite.

Keystone (pinned to KEYSTONE_REQUIREMENT) lives in its own virtualenv under
``${IAMOPS_CACHE:-$HOME/.cache/iamops}/keystone-venv`` and serves one server
directory (default ``<repo>/.build/keystone``) holding everything it needs:

    keystone.conf       SQLite database, fernet tokens, in-memory cache,
                        domain-specific identity drivers stored in the database
    keystone.db         the SQLite database
    fernet-keys/        token (and receipt) keys, mode 700
    credential-keys/    credential encryption keys, mode 700
    keystone.log        Keystone's own log
    keystone_wsgi.py    WSGI wrapper: keystone.wsgi.api parses sys.argv
    gunicorn.pid        pid of the gunicorn master (daemonised)
    gunicorn-error.log  gunicorn's error log (start-up tracebacks land here)
    access.log          one line per request: method, path, query, status and
                        duration in microseconds, tab-separated
    env.json            connection details (mode 600), see start()
    env.sh, clouds.yaml the same for the openstack CLI / openstacksdk
                        (cloud ``iamops-test``), mode 600

Gunicorn runs one worker with one thread: SQLite does not take concurrent
writes, and a single worker serialises requests, which AccessLog relies on.

Command line (``python3 tests/keystone/keystone_server.py <cmd>``):

    install [--with-ldap]          create/update the venv (idempotent)
    start [--dir DIR] [--port N]   fresh server: wipe DIR, bootstrap, serve
    restart [--dir DIR]            restart gunicorn on the same data and port
    stop [--dir DIR]               stop the server (no error if not running)
    status [--dir DIR]             exit 0 when running, 1 otherwise
    env [--dir DIR] [--show-secrets]  print env.json

The same operations are importable: install(), start(), restart(), stop(),
status(), load_env() and AccessLog.  Only the standard library is used here;
Keystone runs in its own venv.  Linux only (process checks read /proc).  The pid
file, stop/status and the server directory are managed with tests/support/server_dir.py,
shared with tests/ldap/slapd_server.py.
"""

from __future__ import annotations

import argparse
import collections
import grp
import json
import os
import pwd
import secrets
import shlex
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# tests/support/server_dir.py, found by this file's location (run as a script or imported by path)
_SUPPORT = str(Path(__file__).resolve().parent.parent / "support")
if _SUPPORT not in sys.path:
    sys.path.insert(0, _SUPPORT)
import server_dir as _shared  # noqa: E402

KEYSTONE_REQUIREMENT = "keystone==30.0.0"
BASE_REQUIREMENTS = (KEYSTONE_REQUIREMENT, "gunicorn==27.0.1")
LDAP_REQUIREMENTS = ("python-ldap==3.4.8", "ldappool==3.0.0")
LDAP_APT_PACKAGES = ("libldap2-dev", "libsasl2-dev")
MYSQL_REQUIREMENTS = ("PyMySQL==1.1.1",)  # for a MySQL/MariaDB database (start(database=...))

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = REPO_ROOT / ".build" / "keystone"
INSTALL_MARKER = "iamops-installed.json"

HOST = "127.0.0.1"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
ADMIN = "admin"
REGION = "RegionOne"
CLOUD_NAME = "iamops-test"

ACCESS_LOG_FORMAT = "\t".join(("%(m)s", "%(U)s", "%(q)s", "%(s)s", "%(D)s"))
TOKEN_PATH = "/v3/auth/tokens"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Requests the harness itself makes (readiness probes, AccessLog barriers)
# carry this query string; AccessLog never reports them.
HARNESS_QUERY = "iamops-harness"

WSGI_WRAPPER = '''\
"""Keystone WSGI entry point: keystone.wsgi.api parses sys.argv, which holds
gunicorn's arguments here, so hide them before importing it."""
import sys

sys.argv = sys.argv[:1]

from keystone.wsgi.api import application  # noqa: E402,F401
'''


class KeystoneServerError(RuntimeError):
    """Installing, starting or stopping Keystone failed."""


# gunicorn --daemon runs in a session of its own: SIGKILL to its process group takes the worker too.
_SERVER_DIR = _shared.ServerDir(
    "gunicorn", pid_file="gunicorn.pid", marker="keystone.conf", label="Keystone",
    error=KeystoneServerError, url_key="auth_url", kill_group=True, stop_timeout=STOP_TIMEOUT)


# --------------------------------------------------------------------------
# install


def cache_dir() -> Path:
    return Path(os.environ.get("IAMOPS_CACHE") or Path.home() / ".cache" / "iamops")


def venv_dir() -> Path:
    return cache_dir() / "keystone-venv"


def install(with_ldap: bool = False, with_mysql: bool = False) -> Path:
    """Create or update Keystone's venv; return its path.

    A marker file in the venv records the requirements installed; when it
    already covers the requested ones nothing is run.
    """
    venv = venv_dir()
    wanted = set(BASE_REQUIREMENTS) | (set(LDAP_REQUIREMENTS) if with_ldap else set())
    wanted |= set(MYSQL_REQUIREMENTS) if with_mysql else set()
    marker = venv / INSTALL_MARKER
    installed = set()
    if (venv / "bin" / "python").exists() and marker.exists():
        installed = set(json.loads(marker.read_text())["requirements"])
    missing = wanted - installed
    if not missing:
        return venv

    started = time.monotonic()
    if not (venv / "bin" / "python").exists():
        python = shutil.which("python3.11") or sys.executable
        _run([python, "-m", "venv", str(venv)], "creating the venv")
    if with_ldap:
        _ensure_apt_packages(LDAP_APT_PACKAGES)
    _log(f"pip install {' '.join(sorted(missing))} into {venv}")
    _run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-qq",
         "--disable-pip-version-check", *sorted(missing)],
        "pip install", capture=False,
    )
    marker.write_text(json.dumps({"requirements": sorted(installed | wanted)}, indent=2) + "\n")
    _log(f"installed in {time.monotonic() - started:.1f}s")
    return venv


def _ensure_apt_packages(packages) -> None:
    missing = [p for p in packages if not _dpkg_installed(p)]
    if missing:
        _shared.apt_get_install(missing, KeystoneServerError, _log)


def _dpkg_installed(package: str) -> bool:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], check=False,
                            capture_output=True, text=True)
    return result.returncode == 0 and result.stdout.endswith(" installed")


# --------------------------------------------------------------------------
# server lifecycle


def server_dir(dir=None) -> Path:
    return Path(dir).resolve() if dir else DEFAULT_DIR


def start(dir=None, port=None, database=None) -> dict:
    """Start a fresh Keystone in DIR (wiped first) and return the env dict.

    ``database``: an SQLAlchemy URL (``mysql+pymysql://...``; install(with_mysql=True) first)
    instead of DIR's SQLite file.

    The env dict (also written to DIR/env.json) has auth_url, username,
    password, project_name, user_domain_name, project_domain_name, port,
    access_log, pid and dir.
    """
    venv = install()
    dir = server_dir(dir)
    _SERVER_DIR.reset(dir)
    port = int(port) if port else _shared.free_port(HOST)
    conf = _write_config(dir, database)
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    owner = ["--keystone-user", user, "--keystone-group", group]
    url = f"http://{HOST}:{port}/v3"
    password = secrets.token_urlsafe(24)
    for args in (
        ["db_sync"],
        ["fernet_setup", *owner],
        ["credential_setup", *owner],
        ["bootstrap",
         "--bootstrap-username", ADMIN, f"--bootstrap-password={password}",
         "--bootstrap-project-name", ADMIN, "--bootstrap-role-name", ADMIN,
         "--bootstrap-region-id", REGION, "--bootstrap-admin-url", url,
         "--bootstrap-internal-url", url, "--bootstrap-public-url", url],
    ):
        _run([str(venv / "bin" / "keystone-manage"), "--config-file", str(conf), *args],
             f"keystone-manage {args[0]}")
    env = {
        "auth_url": url,
        "username": ADMIN,
        "password": password,
        "project_name": ADMIN,
        "user_domain_name": "Default",
        "project_domain_name": "Default",
        "port": port,
        "access_log": str(dir / "access.log"),
        "pid": _launch(dir, port),
        "dir": str(dir),
    }
    _write_env_files(dir, env)
    return env


def restart(dir=None) -> dict:
    """Restart gunicorn on DIR's existing data, keys and port; return the env dict."""
    return _SERVER_DIR.restart(server_dir(dir), _launch, _write_env_files)


def stop(dir=None) -> bool:
    """Stop DIR's server: SIGTERM, SIGKILL after STOP_TIMEOUT. True if one ran."""
    return _SERVER_DIR.stop(server_dir(dir))


def status(dir=None) -> dict:
    """Return {"running": bool, "pid": int|None, "auth_url": str|None, "dir": str}."""
    return _SERVER_DIR.status(server_dir(dir))


def load_env(dir=None) -> dict:
    """Return DIR/env.json as a dict (the server need not be running)."""
    return _SERVER_DIR.load_env(server_dir(dir))


def _write_config(dir: Path, database=None) -> Path:
    key_dirs = {name: dir / name for name in ("fernet-keys", "credential-keys")}
    for path in key_dirs.values():
        path.mkdir(mode=0o700)
        path.chmod(0o700)  # mkdir's mode is subject to the umask
    conf = dir / "keystone.conf"
    conf.write_text(f"""\
[DEFAULT]
debug = false
log_file = {dir / "keystone.log"}

[database]
connection = {database or "sqlite:///" + str(dir / "keystone.db")}

[token]
provider = fernet

[fernet_tokens]
key_repository = {key_dirs["fernet-keys"]}

[fernet_receipts]
key_repository = {key_dirs["fernet-keys"]}

[credential]
key_repository = {key_dirs["credential-keys"]}

[identity]
domain_specific_drivers_enabled = true
domain_configurations_from_database = true
password_hash_rounds = 4

[cache]
enabled = true
backend = dogpile.cache.memory
""")
    (dir / "keystone_wsgi.py").write_text(WSGI_WRAPPER)
    return conf


def _launch(dir: Path, port: int) -> int:
    """Start gunicorn daemonised on DIR; wait until /v3 answers; return its pid."""
    venv = install()
    pid_file, error_log = dir / "gunicorn.pid", dir / "gunicorn-error.log"
    pid_file.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_KEYSTONE_")}
    env["OS_KEYSTONE_CONFIG_FILES"] = str(dir / "keystone.conf")
    _run([
        str(venv / "bin" / "gunicorn"),
        "--daemon", "--chdir", str(dir), "--pythonpath", str(dir),
        "--workers", "1", "--threads", "1", "--graceful-timeout", "5",
        "--no-control-socket",  # gunicorn >= 25.1 would share ~/.gunicorn/gunicorn.ctl
        "--bind", f"{HOST}:{port}", "--pid", str(pid_file),
        "--error-logfile", str(error_log),
        "--access-logfile", str(dir / "access.log"),
        "--access-logformat", ACCESS_LOG_FORMAT,
        "keystone_wsgi:application",
    ], "gunicorn", env=env)

    url = f"http://{HOST}:{port}/v3"
    started = time.monotonic()
    while (waited := time.monotonic() - started) < START_TIMEOUT:
        pid = _SERVER_DIR.pid(dir)  # gunicorn's master
        # Until our master has bound the port, a 200 may come from another server.
        listening = f"Listening at: http://{HOST}:{port} ({pid})"
        if (pid is not None and listening in _shared.text(error_log)
                and _http_status(f"{url}?{HARNESS_QUERY}") == 200):
            return pid
        # gunicorn writes its pid file at once and removes it when it gives up.
        if pid is None and waited > 5:
            break
        time.sleep(0.2)
    last_lines = _shared.tail(error_log)
    stop(dir)
    raise KeystoneServerError(
        f"Keystone did not answer 200 on {url}; tail of {error_log}:\n{last_lines}")


def _write_env_files(dir: Path, env: dict) -> None:
    exports = {
        "OS_AUTH_URL": env["auth_url"],
        "OS_USERNAME": env["username"],
        "OS_PASSWORD": env["password"],
        "OS_PROJECT_NAME": env["project_name"],
        "OS_USER_DOMAIN_NAME": env["user_domain_name"],
        "OS_PROJECT_DOMAIN_NAME": env["project_domain_name"],
        "OS_REGION_NAME": REGION,
        "OS_IDENTITY_API_VERSION": "3",
        "OS_INTERFACE": "public",
    }
    auth_keys = ("auth_url", "username", "password", "project_name",
                 "user_domain_name", "project_domain_name")
    # JSON strings are valid YAML scalars, so no YAML library is needed.
    clouds = "\n".join([
        "clouds:",
        f"  {CLOUD_NAME}:",
        "    auth:",
        *(f"      {key}: {json.dumps(env[key])}" for key in auth_keys),
        f"    region_name: {REGION}",
        "    interface: public",
        "    identity_api_version: 3",
        "",
    ])
    _shared.write_private(dir / "env.json", json.dumps(env, indent=2) + "\n")
    _shared.write_private(dir / "env.sh", "".join(
        f"export {key}={shlex.quote(value)}\n" for key, value in exports.items()))
    _shared.write_private(dir / "clouds.yaml", clouds)


# --------------------------------------------------------------------------
# processes


def _http_status(url: str, timeout: float = 5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def _run(command, what: str, capture: bool = True, env=None) -> None:
    _shared.run(command, what, KeystoneServerError, capture=capture, env=env)


def _log(message: str) -> None:
    print(f"keystone_server: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# access log

Entry = collections.namedtuple("Entry", "method path query status duration_s")


class AccessLog:
    """Reader for the gunicorn access log of a server started by start().

    Offsets are byte positions: take ``mark()`` before an action and pass it
    as ``since`` afterwards to see only the requests the action made.

    gunicorn logs a request just *after* sending its response, so a client
    may read the log before its last request's line is written.  mark() and
    entries() therefore first send a barrier request (``GET /v3?iamops-harness``,
    URL taken from env.json beside the log; skipped when the server is not
    running): with one single-threaded worker, once the barrier is answered
    every earlier request is logged.  Harness requests (barriers, readiness
    probes) are never reported.
    """

    def __init__(self, path):
        self.path = Path(path)

    def mark(self) -> int:
        self._barrier()
        return self.path.stat().st_size if self.path.exists() else 0

    def entries(self, since: int = 0) -> list:
        self._barrier()
        try:
            with self.path.open("rb") as handle:
                handle.seek(since)
                data = handle.read()
        except FileNotFoundError:
            return []
        complete = data[:data.rfind(b"\n") + 1].decode("utf-8", "replace")
        entries = [self._parse(line) for line in complete.splitlines() if line]
        return [entry for entry in entries if entry.query != HARNESS_QUERY]

    def writes(self, since: int = 0) -> list:
        """POST/PUT/PATCH/DELETE requests, except token issue (POST /v3/auth/tokens)."""
        return [e for e in self.entries(since)
                if e.method in WRITE_METHODS and not _is_token_issue(e)]

    def token_requests(self, since: int = 0) -> list:
        return [e for e in self.entries(since) if _is_token_issue(e)]

    def busy_seconds(self, since: int = 0) -> float:
        return sum(e.duration_s for e in self.entries(since))

    @staticmethod
    def _parse(line: str) -> Entry:
        # Only the path can hold a tab (PATH_INFO is percent-decoded).
        fields = line.split("\t")
        if len(fields) < 5:
            raise ValueError(f"unexpected access log line: {line!r}")
        return Entry(fields[0], "\t".join(fields[1:-3]), fields[-3],
                     int(fields[-2]), int(fields[-1]) / 1e6)

    def _barrier(self) -> None:
        env_file = self.path.parent / "env.json"
        if not env_file.exists():
            return
        url = json.loads(env_file.read_text())["auth_url"]
        # Queued behind any request in progress (gunicorn's worker timeout is 30 s).
        _http_status(f"{url}?{HARNESS_QUERY}", timeout=60)


def _is_token_issue(entry: Entry) -> bool:
    return entry.method == "POST" and entry.path == TOKEN_PATH


# --------------------------------------------------------------------------
# command line


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("install", help="create/update Keystone's venv").add_argument(
        "--with-ldap", action="store_true", help="also python-ldap and ldappool")
    _shared.add_server_commands(commands, DEFAULT_DIR, start="start a fresh server",
                                restart="restart on the same data and port")
    args = parser.parse_args(argv)

    try:
        if args.command == "install":
            print(install(with_ldap=args.with_ldap))
        elif args.command in ("start", "restart"):
            started = time.monotonic()
            env = start(args.dir, args.port) if args.command == "start" else restart(args.dir)
            print(f"Keystone {args.command}ed at {env['auth_url']} (pid {env['pid']}, "
                  f"dir {env['dir']}) in {time.monotonic() - started:.1f}s")
        elif args.command == "stop":
            print("stopped" if stop(args.dir) else "not running")
        elif args.command == "status":
            state = status(args.dir)
            print(f"running, pid {state['pid']}, {state['auth_url']}" if state["running"]
                  else "not running")
            return 0 if state["running"] else 1
        else:
            env = load_env(args.dir)
            if not args.show_secrets:
                env.pop("password")
            print(json.dumps(env, indent=2))
    except KeystoneServerError as error:
        print(f"keystone_server: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
