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

The production shape (``start(database="mariadb", workers=4)``, command line
``start --mariadb --workers 4``): Debian's mariadb-server (installed with
apt-get when missing, like slapd for the LDAP tests), one mariadbd of the
server directory's own in DIR/mariadb (127.0.0.1, a free port, PyMySQL in
Keystone's venv), several gunicorn workers, and - as in production - one
memcached (Debian's, in DIR/memcached.pid) that every worker's cache shares:
a per-worker in-memory cache would go stale on another worker's writes, and
without a cache every request costs Keystone about a second on this machine.
``token_expiration`` (seconds) sets ``[token] expiration`` for tests of a token
that expires during a run.

Command line (``python3 tests/keystone/keystone_server.py <cmd>``):

    install [--with-ldap] [--with-mysql]  create/update the venv (idempotent)
    start [--dir DIR] [--port N] [--mariadb] [--workers N] [--token-expiration S]
                                   fresh server: wipe DIR, bootstrap, serve
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
import tempfile
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
MEMCACHED_REQUIREMENTS = ("pymemcache==4.0.0",)  # Keystone's shared cache of the production shape

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = REPO_ROOT / ".build" / "keystone"
INSTALL_MARKER = "iamops-installed.json"

MARIADB_APT_PACKAGES = ("mariadb-server",)
MEMCACHED_APT_PACKAGES = ("memcached",)
MARIADB = "mariadb"  # start(database=MARIADB): a MariaDB of the server directory's own

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
_MEMCACHED_DIR = _shared.ServerDir(
    "memcached", pid_file="memcached.pid", marker="keystone.conf", label="Keystone",
    error=KeystoneServerError, url_key="cache", stop_timeout=10.0)
# the MariaDB of a production-shaped server directory (start(database=MARIADB)), in DIR/mariadb
_MARIADB_DIR = _shared.ServerDir(
    "mariadbd", pid_file="mariadb/mariadbd.pid", marker="keystone.conf", label="Keystone",
    error=KeystoneServerError, url_key="database", stop_timeout=30.0)


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
    wanted |= set(MYSQL_REQUIREMENTS + MEMCACHED_REQUIREMENTS) if with_mysql else set()
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


def install_mariadb() -> str:
    """Debian's mariadb-server, installed when its server binary is missing; return its path."""
    return _debian_binary("mariadbd", MARIADB_APT_PACKAGES)


def install_memcached() -> str:
    """Debian's memcached, installed when missing; return its path."""
    return _debian_binary("memcached", MEMCACHED_APT_PACKAGES)


def _debian_binary(name, packages) -> str:
    """The path of NAME, apt-get installing PACKAGES first when it is missing. ``apt-get
    install`` waits for another apt run's lock (several test suites may install at once) and
    runs ``apt-get update`` first only when the install fails (stale lists)."""
    found = _binary(name)
    if found:
        return found
    _log(f"apt-get install {' '.join(packages)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    lock = ["-o", "DPkg::Lock::Timeout=600"]
    command = ["apt-get", "install", "-y", "-q", *lock, *packages]
    if subprocess.run(command, env=env, capture_output=True, check=False).returncode != 0:
        _run(["apt-get", "update", "-q", *lock], "apt-get update", env=env)
        _run(command, f"apt-get install {' '.join(packages)}", env=env)
    found = _binary(name)
    if not found:
        raise KeystoneServerError(f"{' '.join(packages)} is installed but {name} is not found")
    return found


def _binary(name):
    for candidate in (shutil.which(name), f"/usr/sbin/{name}", f"/usr/bin/{name}"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _dpkg_installed(package: str) -> bool:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], check=False,
                            capture_output=True, text=True)
    return result.returncode == 0 and result.stdout.endswith(" installed")


# --------------------------------------------------------------------------
# server lifecycle


def server_dir(dir=None) -> Path:
    return Path(dir).resolve() if dir else DEFAULT_DIR


def start(dir=None, port=None, database=None, workers=1, token_expiration=None, extra_config=None) -> dict:
    """Start a fresh Keystone in DIR (wiped first) and return the env dict.

    ``database``: an SQLAlchemy URL (``mysql+pymysql://...``; install(with_mysql=True) first)
    instead of DIR's SQLite file, or ``"mariadb"``: a MariaDB of DIR's own (installed with
    apt-get when missing, started in DIR/mariadb, stopped by stop()). ``workers``: gunicorn
    workers (more than one needs a database other than SQLite). ``token_expiration``: seconds
    a token is valid (Keystone's default: an hour). ``extra_config``: text appended to
    keystone.conf (further sections, such as ``[security_compliance]``).

    The env dict (also written to DIR/env.json) has auth_url, username,
    password, project_name, user_domain_name, project_domain_name, port,
    access_log, pid, dir, workers and database (the URL, or "sqlite").
    """
    workers = int(workers or 1)
    if workers > 1 and database is None:
        raise KeystoneServerError("several workers need a database other than SQLite (database=...)")
    venv = install(with_mysql=database is not None)
    dir = server_dir(dir)
    if dir.exists() and (dir / "keystone.conf").exists():
        _MARIADB_DIR.stop(dir)
        _MEMCACHED_DIR.stop(dir)
    _SERVER_DIR.reset(dir)
    port = int(port) if port else _shared.free_port(HOST)
    schema = cache = None
    if database == MARIADB:
        database = _start_mariadb(dir)
        schema = _schema_dump()
    if workers > 1:
        cache = f"{HOST}:{_shared.free_port(HOST)}"
        _launch_memcached(dir, cache)
    conf = _write_config(dir, database, cache=cache or True, token_expiration=token_expiration, extra_config=extra_config)
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    owner = ["--keystone-user", user, "--keystone-group", group]
    url = f"http://{HOST}:{port}/v3"
    password = secrets.token_urlsafe(24)
    if schema is not None and schema.exists():
        # db_sync on MariaDB runs every migration (about a minute): load the schema it made once
        with schema.open("rb") as dump:
            subprocess.run(mariadb_command(dir), stdin=dump, check=True, capture_output=True)
    else:
        _run([str(venv / "bin" / "keystone-manage"), "--config-file", str(conf), "db_sync"],
             "keystone-manage db_sync")
        if schema is not None:
            _save_schema(dir, schema)
    for args in (
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
        "dir": str(dir),
        "workers": workers,
        "database": database or "sqlite",
        "cache": cache or "memory",
    }
    env["pid"] = _launch(dir, port, workers)
    _write_env_files(dir, env)
    return env


def restart(dir=None) -> dict:
    """Restart gunicorn on DIR's existing data, keys and port; return the env dict (DIR's own
    MariaDB keeps running, or is started again if it was stopped)."""
    dir = server_dir(dir)
    env = load_env(dir)
    if (dir / "mariadb" / "data").exists() and _MARIADB_DIR.pid(dir) is None:
        _launch_mariadb(dir, int(env["database"].split(":")[2].split("/")[0]))
    if env.get("cache", "memory") != "memory" and _MEMCACHED_DIR.pid(dir) is None:
        _launch_memcached(dir, env["cache"])
    return _SERVER_DIR.restart(dir, lambda d, port: _launch(d, port, env.get("workers", 1)),
                               _write_env_files)


def stop(dir=None) -> bool:
    """Stop DIR's server (and its own MariaDB): SIGTERM, SIGKILL after STOP_TIMEOUT. True if
    Keystone ran."""
    dir = server_dir(dir)
    stopped = _SERVER_DIR.stop(dir)
    if _MARIADB_DIR.stop(dir) and (dir / "mariadb" / "socket").exists():
        shutil.rmtree(_mariadb_socket(dir).parent, ignore_errors=True)
    _MEMCACHED_DIR.stop(dir)
    return stopped


def _launch_memcached(dir: Path, address: str) -> int:
    """Start memcached (daemonised, 127.0.0.1 only, 64 MB) for DIR's workers; return its pid."""
    host, port = address.rsplit(":", 1)
    _run([install_memcached(), "-d", "-u", "root", "-l", host, "-p", port, "-U", "0", "-m", "64",
          "-P", str(dir / "memcached.pid")], "memcached")
    started = time.monotonic()
    while time.monotonic() - started < 10:
        pid = _MEMCACHED_DIR.pid(dir)
        if pid is not None:
            return pid
        time.sleep(0.1)
    raise KeystoneServerError("memcached did not start")


# --------------------------------------------------------------------------
# DIR's own MariaDB (the production shape)


def _mariadb_socket(dir: Path) -> Path:
    """DIR's MariaDB socket, in a short directory of its own under the temp dir (a Unix socket path
    has at most 107 bytes, and a build dir under ~/.cache, as in CI, makes DIR/mariadb/mysqld.sock
    longer). Made once per initialised MariaDB and named in DIR/mariadb/socket, so a restart finds
    it and a server another run left behind never holds the path a new one needs."""
    record = Path(dir) / "mariadb" / "socket"
    if not record.exists():
        record.write_text(str(Path(tempfile.mkdtemp(prefix="iamops-mdb-")) / "mysqld.sock"))
    return Path(record.read_text().strip())


def _start_mariadb(dir: Path) -> str:
    """Initialise and start a MariaDB in DIR/mariadb; return Keystone's SQLAlchemy URL."""
    install_mariadb()
    data = dir / "mariadb" / "data"
    data.parent.mkdir()
    _run(["mariadb-install-db", "--no-defaults", f"--datadir={data}", "--user=root",
          "--auth-root-authentication-method=normal", "--skip-test-db"], "mariadb-install-db")
    port = _shared.free_port(HOST)
    _launch_mariadb(dir, port)
    _run(["mariadb", "--no-defaults", f"--socket={_mariadb_socket(dir)}", "-uroot", "-e",
          "CREATE DATABASE keystone CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"],
         "creating the keystone database")
    return f"mysql+pymysql://root@{HOST}:{port}/keystone?charset=utf8mb4"


def _launch_mariadb(dir: Path, port: int) -> int:
    """Start mariadbd on DIR/mariadb/data (detached, in its own session); wait until it answers."""
    server = install_mariadb()
    base = dir / "mariadb"
    log = base / "mariadbd.log"
    (base / "mariadbd.pid").unlink(missing_ok=True)
    # no grant tables: 127.0.0.1 only, a test server; flush the log once a second (not at every
    # commit), like many production setups that accept losing a second on a power cut
    with open(log, "ab") as output:
        subprocess.Popen([
            server, "--no-defaults", f"--datadir={base / 'data'}", "--user=root",
            f"--socket={_mariadb_socket(dir)}", f"--pid-file={base / 'mariadbd.pid'}",
            f"--port={port}", f"--bind-address={HOST}", "--skip-grant-tables", "--skip-log-bin",
            "--innodb-buffer-pool-size=256M", "--innodb-flush-log-at-trx-commit=2",
            "--max-connections=500", "--character-set-server=utf8mb4",
        ], stdout=output, stderr=output, stdin=subprocess.DEVNULL, start_new_session=True)
    started = time.monotonic()
    while time.monotonic() - started < START_TIMEOUT:
        pid = _MARIADB_DIR.pid(dir)
        if pid is not None and subprocess.run(
                ["mariadb", "--no-defaults", f"--socket={_mariadb_socket(dir)}", "-uroot", "-e", "SELECT 1"],
                capture_output=True, check=False).returncode == 0:
            return pid
        time.sleep(0.3)
    raise KeystoneServerError(f"mariadbd did not start; tail of {log}:\n{_shared.tail(log)}")


def _schema_dump() -> Path:
    """Where the schema ``db_sync`` makes on MariaDB is kept (per Keystone release), in the cache."""
    return cache_dir() / f"keystone-mariadb-schema-{KEYSTONE_REQUIREMENT.rsplit('==', maxsplit=1)[-1]}.sql"


def _save_schema(dir: Path, target: Path) -> None:
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    command = mariadb_command(dir)
    with partial.open("wb") as output:
        subprocess.run(["mariadb-dump", *command[1:-1], "--single-transaction", "keystone"],
                       stdout=output, check=True)
    partial.replace(target)  # atomic: a concurrent start reads the old file or the new one


def mariadb_command(dir=None) -> list:
    """The ``mariadb`` client command line for DIR's own MariaDB (database keystone)."""
    return ["mariadb", "--no-defaults", f"--socket={_mariadb_socket(server_dir(dir))}",
            "-uroot", "keystone"]


def status(dir=None) -> dict:
    """Return {"running": bool, "pid": int|None, "auth_url": str|None, "dir": str}."""
    return _SERVER_DIR.status(server_dir(dir))


def load_env(dir=None) -> dict:
    """Return DIR/env.json as a dict (the server need not be running)."""
    return _SERVER_DIR.load_env(server_dir(dir))


def _write_config(dir: Path, database=None, cache=True, token_expiration=None, extra_config=None) -> Path:
    """keystone.conf; ``cache``: True (in-memory), False (none) or a memcached ``host:port``."""
    key_dirs = {name: dir / name for name in ("fernet-keys", "credential-keys")}
    for path in key_dirs.values():
        path.mkdir(mode=0o700)
        path.chmod(0o700)  # mkdir's mode is subject to the umask
    conf = dir / "keystone.conf"
    if cache in (True, None):
        cache_backend = "backend = dogpile.cache.memory"
    else:
        cache_backend = "backend = dogpile.cache.pymemcache\nmemcache_servers = %s" % cache
    conf.write_text(f"""\
[DEFAULT]
debug = false
log_file = {dir / "keystone.log"}

[database]
connection = {database or "sqlite:///" + str(dir / "keystone.db")}

[token]
provider = fernet
{f"expiration = {int(token_expiration)}" if token_expiration else ""}

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
enabled = {"true" if cache else "false"}
{cache_backend}
{extra_config or ""}
""")
    (dir / "keystone_wsgi.py").write_text(WSGI_WRAPPER)
    return conf


def _launch(dir: Path, port: int, workers: int = 1) -> int:
    """Start gunicorn daemonised on DIR; wait until /v3 answers; return its pid."""
    venv = install()
    pid_file, error_log = dir / "gunicorn.pid", dir / "gunicorn-error.log"
    pid_file.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_KEYSTONE_")}
    env["OS_KEYSTONE_CONFIG_FILES"] = str(dir / "keystone.conf")
    _run([
        str(venv / "bin" / "gunicorn"),
        "--daemon", "--chdir", str(dir), "--pythonpath", str(dir),
        "--workers", str(int(workers)), "--threads", "1", "--graceful-timeout", "5",
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
    every earlier request is logged (with several workers, once the log has
    also stopped growing for a moment).  Harness requests (barriers, readiness
    probes) are never reported.
    """

    SETTLE = 0.3  # seconds without a new line that end a barrier on a server with several workers

    def __init__(self, path):
        self.path = Path(path)

    def mark(self) -> int:
        self._barrier()
        return self.path.stat().st_size if self.path.exists() else 0

    def entries(self, since: int = 0) -> list:
        self._barrier()
        try:
            with self.path.open("rb") as handle:
                handle.seek(max(0, since - 1))
                data = handle.read()
        except FileNotFoundError:
            return []
        if since > 0:
            # a mark taken while a line was half written (the barrier's own line, logged as the
            # barrier is answered) starts inside that line: the rest of it is not after the mark
            cut = 0 if data[:1] == b"\n" else data.find(b"\n")
            data = b"" if cut < 0 else data[cut + 1:]
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
        env = json.loads(env_file.read_text())
        # Queued behind any request in progress (gunicorn's worker timeout is 30 s).
        _http_status(f"{env['auth_url']}?{HARNESS_QUERY}", timeout=60)
        if env.get("workers", 1) > 1:
            # several workers: the barrier may be answered by an idle one while another has
            # answered its last request but not logged it yet (a moment's work after the
            # response): wait until the log has not grown for SETTLE seconds (at most 10 s)
            deadline, size, since = time.monotonic() + 10, -1, time.monotonic()
            while time.monotonic() < deadline:
                current = self.path.stat().st_size if self.path.exists() else 0
                if current != size:
                    size, since = current, time.monotonic()
                elif time.monotonic() - since >= self.SETTLE:
                    break
                time.sleep(0.05)


def _is_token_issue(entry: Entry) -> bool:
    return entry.method == "POST" and entry.path == TOKEN_PATH


# --------------------------------------------------------------------------
# command line


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    installer = commands.add_parser("install", help="create/update Keystone's venv")
    installer.add_argument("--with-ldap", action="store_true", help="also python-ldap and ldappool")
    installer.add_argument("--with-mysql", action="store_true", help="also PyMySQL and mariadb-server")
    _shared.add_server_commands(commands, DEFAULT_DIR, start="start a fresh server",
                                restart="restart on the same data and port")
    starter = commands.choices["start"]
    starter.add_argument("--mariadb", action="store_true",
                         help="a MariaDB of the server directory's own instead of SQLite")
    starter.add_argument("--workers", type=int, default=1, help="gunicorn workers (default 1; >1 needs --mariadb)")
    starter.add_argument("--token-expiration", type=int, help="seconds a token is valid")
    args = parser.parse_args(argv)

    try:
        if args.command == "install":
            print(install(with_ldap=args.with_ldap, with_mysql=args.with_mysql))
            if args.with_mysql:
                print(install_mariadb())
        elif args.command in ("start", "restart"):
            started = time.monotonic()
            env = start(args.dir, args.port, database=MARIADB if args.mariadb else None,
                        workers=args.workers, token_expiration=args.token_expiration) \
                if args.command == "start" else restart(args.dir)
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
