"""Run a real OpenLDAP ``slapd`` on 127.0.0.1 for the iamops test-suite.

slapd comes from the distribution's packages (Debian/Ubuntu: ``slapd`` and ``ldap-utils``,
installed by :func:`install` with ``apt-get`` when missing).  Each server directory holds
everything one server needs, so several can run side by side:

    slapd.conf      its own configuration (no cn=config, nothing under /etc/ldap is used
                    except the stock schema files): mdb backend, suffix dc=example,dc=org,
                    rootdn cn=admin,dc=example,dc=org with a random password
    seed.ldif       the seeded directory (see SEED_USERS / SEED_GROUP below), loaded with
                    slapadd before the first start
    data/           the mdb database
    slapd.pid       pid of the daemon
    slapd.log       what slapd printed while starting (start-up failures land here)
    env.json        connection details (mode 600), see start()

The seeded directory::

    dc=example,dc=org
      ou=Users    3 inetOrgPerson entries (uid=alice, bob, carol) with {SSHA} userPassword
      ou=Groups   cn=staff, a groupOfNames with alice and bob

Command line (``python3 tests/ldap/slapd_server.py <cmd>``):

    install                        apt-get install slapd ldap-utils when missing
    start [--dir DIR] [--port N]   fresh server: wipe DIR, seed, serve
    restart [--dir DIR]            start again on the same data and port
    stop [--dir DIR]               stop the server (no error if not running)
    status [--dir DIR]             exit 0 when running, 1 otherwise
    env [--dir DIR] [--show-secrets]  print env.json

The same operations are importable: install(), available(), start(), restart(), stop(),
status(), load_env().  Only the standard library is used.  Linux only (reads /proc).  The pid
file, stop/status and the server directory are managed with tests/support/server_dir.py, shared
with tests/keystone/keystone_server.py.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

# tests/support/server_dir.py, found by this file's location (run as a script or imported by path)
_SUPPORT = str(Path(__file__).resolve().parent.parent / "support")
if _SUPPORT not in sys.path:
    sys.path.insert(0, _SUPPORT)
import server_dir as _shared  # noqa: E402

APT_PACKAGES = ("slapd", "ldap-utils")
SLAPD_CANDIDATES = ("/usr/sbin/slapd", "/usr/local/sbin/slapd", "/usr/local/libexec/slapd")
SLAPADD_CANDIDATES = ("/usr/sbin/slapadd", "/usr/local/sbin/slapadd")
SCHEMA_DIRS = ("/etc/ldap/schema", "/etc/openldap/schema", "/usr/local/etc/openldap/schema")
MODULE_DIRS = ("/usr/lib/ldap", "/usr/lib64/openldap", "/usr/lib/openldap", "/usr/local/libexec/openldap")
SCHEMAS = ("core", "cosine", "inetorgperson")

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = REPO_ROOT / ".build" / "slapd"
HOST = "127.0.0.1"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

SUFFIX = "dc=example,dc=org"
ROOT_DN = "cn=admin," + SUFFIX
USER_TREE_DN = "ou=Users," + SUFFIX
GROUP_TREE_DN = "ou=Groups," + SUFFIX
# uid, given name, surname, mail; each gets a random password at start()
SEED_USERS = (
    ("alice", "Alice", "Archer", "alice@example.org"),
    ("bob", "Bob", "Baker", "bob@example.org"),
    ("carol", "Carol", "Cooper", "carol@example.org"),
)
SEED_GROUP = ("staff", ("alice", "bob"))


class SlapdServerError(RuntimeError):
    """Installing, seeding, starting or stopping slapd failed."""


_SERVER_DIR = _shared.ServerDir(
    "slapd", pid_file="slapd.pid", marker="slapd.conf", label="slapd",
    error=SlapdServerError, url_key="url", stop_timeout=STOP_TIMEOUT)


# --------------------------------------------------------------------------
# install


def _which(candidates, name):
    for path in candidates:
        if os.access(path, os.X_OK):
            return path
    return shutil.which(name)


def _first_dir(candidates, marker):
    for path in candidates:
        if (Path(path) / marker).exists():
            return Path(path)
    return None


def available() -> str | None:
    """None when slapd can run here, else the reason it cannot."""
    if _which(SLAPD_CANDIDATES, "slapd") is None or _which(SLAPADD_CANDIDATES, "slapadd") is None:
        return "slapd/slapadd not found (Debian/Ubuntu: apt-get install slapd ldap-utils)"
    if _first_dir(SCHEMA_DIRS, "inetorgperson.schema") is None:
        return "OpenLDAP schema files (inetorgperson.schema) not found in %s" % ", ".join(SCHEMA_DIRS)
    return None


def install() -> None:
    """Install slapd and ldap-utils with apt-get when they are missing.

    ``apt-get update`` runs only when the first install attempt fails (stale lists).  The
    package's own service is not needed: servers run from their own directory.
    """
    if available() is None:
        return
    if shutil.which("apt-get") is None:
        raise SlapdServerError("slapd is missing and apt-get is not available: " + available())
    _shared.apt_get_install(APT_PACKAGES, SlapdServerError, _log)
    reason = available()
    if reason:
        raise SlapdServerError("installed %s but %s" % (" ".join(APT_PACKAGES), reason))


# --------------------------------------------------------------------------
# server lifecycle


def server_dir(dir=None) -> Path:
    return Path(dir).resolve() if dir else DEFAULT_DIR


def ssha(password: str) -> str:
    """An OpenLDAP ``{SSHA}`` hash of ``password`` (salted SHA-1, what slappasswd makes)."""
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def start(dir=None, port=None) -> dict:
    """Start a fresh, seeded slapd in DIR (wiped first) and return the env dict.

    The env dict (also DIR/env.json) has url, host, port, suffix, bind_dn, bind_password,
    user_tree_dn, group_tree_dn, users ({uid: {dn, password, mail, name}}), group
    ({dn, name, members}), pid and dir.
    """
    install()
    dir = server_dir(dir)
    _reset_dir(dir)
    port = int(port) if port else _shared.free_port(HOST)
    env = {
        "url": f"ldap://{HOST}:{port}",
        "host": HOST,
        "port": port,
        "suffix": SUFFIX,
        "bind_dn": ROOT_DN,
        "bind_password": secrets.token_urlsafe(18),
        "user_tree_dn": USER_TREE_DN,
        "group_tree_dn": GROUP_TREE_DN,
        "users": {
            uid: {"dn": f"uid={uid},{USER_TREE_DN}", "password": "Ldap-" + secrets.token_urlsafe(12),
                  "mail": mail, "name": f"{given} {surname}"}
            for uid, given, surname, mail in SEED_USERS
        },
        "group": {"dn": f"cn={SEED_GROUP[0]},{GROUP_TREE_DN}", "name": SEED_GROUP[0],
                  "members": list(SEED_GROUP[1])},
        "dir": str(dir),
    }
    conf = _write_config(dir, env)
    _shared.write_private(dir / "seed.ldif", _seed_ldif(env))
    _run([_which(SLAPADD_CANDIDATES, "slapadd"), "-q", "-f", str(conf), "-l", str(dir / "seed.ldif")],
         "slapadd")
    env["pid"] = _launch(dir, port)
    _write_env(dir, env)
    return env


def restart(dir=None) -> dict:
    """Start DIR's server again (after stop()) on the same data and port; return the env."""
    return _SERVER_DIR.restart(server_dir(dir), _launch, _write_env)


def stop(dir=None) -> bool:
    """Stop DIR's server: SIGTERM, SIGKILL after STOP_TIMEOUT. True if one ran."""
    return _SERVER_DIR.stop(server_dir(dir))


def status(dir=None) -> dict:
    """Return {"running": bool, "pid": int|None, "url": str|None, "dir": str}."""
    return _SERVER_DIR.status(server_dir(dir))


def load_env(dir=None) -> dict:
    """Return DIR/env.json as a dict (the server need not be running)."""
    return _SERVER_DIR.load_env(server_dir(dir))


def _reset_dir(dir: Path) -> None:
    _SERVER_DIR.reset(dir)
    (dir / "data").mkdir(mode=0o700)


def _write_config(dir: Path, env: dict) -> Path:
    schema_dir = _first_dir(SCHEMA_DIRS, "inetorgperson.schema")
    module_dir = _first_dir(MODULE_DIRS, "back_mdb.la") or _first_dir(MODULE_DIRS, "back_mdb.so")
    modules = f"modulepath {module_dir}\nmoduleload back_mdb\n" if module_dir else ""
    includes = "".join(f"include {schema_dir / (name + '.schema')}\n" for name in SCHEMAS)
    conf = dir / "slapd.conf"
    _shared.write_private(conf, f"""\
{includes}
pidfile {dir / "slapd.pid"}
argsfile {dir / "slapd.args"}
{modules}
database mdb
maxsize 10485760
suffix "{env["suffix"]}"
rootdn "{env["bind_dn"]}"
rootpw {ssha(env["bind_password"])}
directory {dir / "data"}
index objectClass eq
index uid eq

access to attrs=userPassword
    by self write
    by anonymous auth
    by * none
access to *
    by users read
    by * none
""")
    return conf


def _write_env(dir: Path, env: dict) -> None:
    _shared.write_private(dir / "env.json", json.dumps(env, indent=2) + "\n")


def _seed_ldif(env: dict) -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\n"
        "o: Example\ndc: example\n",
        f"dn: {USER_TREE_DN}\nobjectClass: organizationalUnit\nou: Users\n",
        f"dn: {GROUP_TREE_DN}\nobjectClass: organizationalUnit\nou: Groups\n",
    ]
    for uid, given, surname, mail in SEED_USERS:
        user = env["users"][uid]
        entries.append(
            f"dn: {user['dn']}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {given} {surname}\n"
            f"givenName: {given}\nsn: {surname}\nmail: {mail}\n"
            f"description: seeded by slapd_server.py\nuserPassword: {ssha(user['password'])}\n")
    group = env["group"]
    members = "".join(f"member: {env['users'][uid]['dn']}\n" for uid in group["members"])
    entries.append(f"dn: {group['dn']}\nobjectClass: groupOfNames\ncn: {group['name']}\n{members}")
    return "\n".join(entries)


def _launch(dir: Path, port: int) -> int:
    """Start slapd daemonised on DIR; wait until it accepts connections; return its pid."""
    (dir / "slapd.pid").unlink(missing_ok=True)
    log = (dir / "slapd.log").open("ab")
    # Without -d it detaches once listening and writes its pid file; what it prints before
    # (configuration errors) lands in slapd.log.  -s 0: nothing to syslog.
    command = [_which(SLAPD_CANDIDATES, "slapd"), "-f", str(dir / "slapd.conf"),
               "-h", f"ldap://{HOST}:{port}/", "-s", "0"]
    result = subprocess.run(command, stdout=log, stderr=log, check=False)
    log.close()
    if result.returncode != 0:
        raise SlapdServerError(f"slapd exited with {result.returncode}; tail of {dir / 'slapd.log'}:\n"
                               + _shared.tail(dir / "slapd.log"))
    started = time.monotonic()
    while time.monotonic() - started < START_TIMEOUT:
        pid = _SERVER_DIR.pid(dir)
        if pid is not None and _accepts(port):
            return pid
        time.sleep(0.1)
    stop(dir)
    raise SlapdServerError(f"slapd did not listen on {HOST}:{port}; tail of {dir / 'slapd.log'}:\n"
                           + _shared.tail(dir / "slapd.log"))


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


# --------------------------------------------------------------------------
# processes


def _run(command, what: str, env=None) -> None:
    _shared.run(command, what, SlapdServerError, env=env, join=" ".join)


def _log(message: str) -> None:
    print(f"slapd_server: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# command line


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("install", help="apt-get install slapd ldap-utils when missing")
    _shared.add_server_commands(commands, DEFAULT_DIR, start="start a fresh seeded server",
                                restart="start again on the same data and port")
    args = parser.parse_args(argv)
    try:
        if args.command == "install":
            install()
            print("slapd available")
        elif args.command in ("start", "restart"):
            env = start(args.dir, args.port) if args.command == "start" else restart(args.dir)
            print(f"slapd {args.command}ed at {env['url']} (pid {env['pid']}, dir {env['dir']})")
        elif args.command == "stop":
            print("stopped" if stop(args.dir) else "not running")
        elif args.command == "status":
            state = status(args.dir)
            print(f"running, pid {state['pid']}, {state['url']}" if state["running"] else "not running")
            return 0 if state["running"] else 1
        else:
            env = load_env(args.dir)
            if not args.show_secrets:
                env.pop("bind_password")
                for user in env["users"].values():
                    user.pop("password")
            print(json.dumps(env, indent=2))
    except SlapdServerError as error:
        print(f"slapd_server: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
