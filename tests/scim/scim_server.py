"""Run a real SCIM 2.0 server (``scim2-server`` from the python-scim project) on 127.0.0.1 for the
iamops test-suite.

``scim2-server`` (pinned to SCIM2_SERVER_REQUIREMENT, from PyPI) lives in its own virtualenv under
``${IAMOPS_CACHE:-$HOME/.cache/iamops}/scim2-server-venv``, like Keystone's (tests/keystone). Its
``scim2-server`` command serves an in-memory backend (``InMemoryStorage``) on ``/v2`` through
wsgiref's threading server. What its defaults are (read in scim2_server/testserver/cli.py and
resources/default-service-provider-config.json of 0.8.3):

* without ``--bearer-token`` it accepts every request: we always pass one, so every request
  without ``Authorization: Bearer <token>`` is answered 401 (the token is required);
* ``--service-provider-config FILE`` replaces the announced configuration (default: patch,
  bulk, filter (maxResults 1000), changePassword, sort and etag supported); the server then
  refuses with 501 what it does not announce (filter, PATCH, bulk) - so a second server started
  with a restricted file exercises the provider's fallbacks for real;
* the RFC 7643 schemas (User with the enterprise extension, Group) and resource types.

The request log is wsgiref's line format, one line per request on stderr (``"METHOD
/v2/path?query HTTP/1.1" status -``), but written as the response *starts* (tests/scim/serve.py
runs scim2-server's own ``main()`` with that one change): wsgiref writes it after the response,
and on its threading server a later request's line could come first - a barrier logged before
the line of a fixture's request made that request count as the module's. :class:`AccessLog`
sends a barrier request (``?iamops-harness``) and waits for its line: every request answered
before it was sent is in the file. Barriers are never reported.

Command line: ``python3 tests/scim/scim_server.py install``. Only the standard library is used here.
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

SCIM2_SERVER_REQUIREMENT = "scim2-server==0.8.3"
INSTALL_MARKER = "iamops-installed.json"
HOST = "127.0.0.1"
BASE_PATH = "/v2"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
HARNESS_QUERY = "iamops-harness"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<target>\S+) HTTP/[0-9.]+" (?P<status>\d{3}) ')

Entry = collections.namedtuple("Entry", "method path query status duration_s")

# A server that announces only what RFC 7644 requires: no PATCH, no filter, no ETag, no bulk,
# no password change (the provider must fall back to PUT and to full listings).
MINIMAL_CONFIG = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    "patch": {"supported": False},
    "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
    "filter": {"supported": False, "maxResults": 1000},  # maxResults also caps plain listings
    "changePassword": {"supported": False},
    "sort": {"supported": False},
    "etag": {"supported": False},
}


class ScimServerError(RuntimeError):
    """Installing, starting or stopping scim2-server failed."""


def cache_dir() -> Path:
    return Path(os.environ.get("IAMOPS_CACHE") or Path.home() / ".cache" / "iamops")


def venv_dir() -> Path:
    return cache_dir() / "scim2-server-venv"


def _log(text):
    print("[scim_server] %s" % text, file=sys.stderr, flush=True)


def install() -> Path:
    """Create or update scim2-server's venv (idempotent: a marker records what is installed)."""
    venv = venv_dir()
    marker = venv / INSTALL_MARKER
    if (venv / "bin" / "scim2-server").exists() and marker.exists():
        if json.loads(marker.read_text()).get("requirements") == [SCIM2_SERVER_REQUIREMENT]:
            return venv
    started = time.monotonic()
    if not (venv / "bin" / "python").exists():
        python = shutil.which("python3.11") or sys.executable
        subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=300)
    _log("pip install %s into %s" % (SCIM2_SERVER_REQUIREMENT, venv))
    proc = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-qq", "--disable-pip-version-check",
                           SCIM2_SERVER_REQUIREMENT], capture_output=True, text=True, timeout=900, check=False)
    if proc.returncode != 0:
        raise ScimServerError("pip install %s failed:\n%s" % (SCIM2_SERVER_REQUIREMENT, proc.stderr[-3000:]))
    marker.write_text(json.dumps({"requirements": [SCIM2_SERVER_REQUIREMENT]}) + "\n")
    _log("installed in %.1fs" % (time.monotonic() - started))
    return venv


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _status(url, token=None, timeout=5.0):
    request = urllib.request.Request(url, headers={"Authorization": "Bearer %s" % token} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return None


class ScimServer:
    """One ``scim2-server`` process: ``start()``, ``url`` (the SCIM base URL), ``log`` (an
    :class:`AccessLog`), ``stop()``. ``config``: a ServiceProviderConfig document to announce
    instead of the default one."""

    def __init__(self, directory, token, config=None):
        self.directory = Path(directory)
        self.token = token
        self.config = config
        self.port = None
        self.process = None
        self.log = None

    @property
    def url(self):
        return "http://%s:%d%s" % (HOST, self.port, BASE_PATH)

    def start(self):
        venv = install()
        if self.directory.exists():
            shutil.rmtree(self.directory)
        self.directory.mkdir(parents=True)
        self.port = free_port()
        # scim2-server's own main() through serve.py, which logs each request before answering it
        command = [str(venv / "bin" / "python"), str(Path(__file__).with_name("serve.py")),
                   "--hostname", HOST, "--port", str(self.port), "--bearer-token", self.token]
        if self.config is not None:
            path = self.directory / "service-provider-config.json"
            path.write_text(json.dumps(self.config))
            command += ["--service-provider-config", str(path)]
        log_path = self.directory / "server.log"
        # the token is on the command line (scim2-server reads it nowhere else): it is visible in
        # this user's process list on a test machine, never in any output the suite scans
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True, env=dict(os.environ, PYTHONUNBUFFERED="1"))
        self.log = AccessLog(log_path, self.url, self.token)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ScimServerError("scim2-server exited with %s:\n%s" % (
                    self.process.returncode, log_path.read_text()[-3000:]))
            if _status("%s/ServiceProviderConfig?%s" % (self.url, HARNESS_QUERY), self.token, 2.0) == 200:
                return self
            time.sleep(0.2)
        self.stop()
        raise ScimServerError("scim2-server did not answer within %ss" % START_TIMEOUT)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(STOP_TIMEOUT)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class AccessLog:
    """The server's request log, with the interface of Keystone's AccessLog (mark, entries,
    writes). ``mark()`` and ``entries()`` first send a barrier request and wait for its line."""

    def __init__(self, path, url, token):
        self.path = Path(path)
        self.url = url
        self.token = token
        self._barriers = 0

    def _barrier(self):
        self._barriers += 1
        tag = "%s=%d" % (HARNESS_QUERY, self._barriers)
        _status("%s/ServiceProviderConfig?%s" % (self.url, tag), self.token, 30.0)
        deadline = time.monotonic() + 10.0
        while time.monotonic() < deadline:
            if self.path.exists() and tag.encode() in self.path.read_bytes()[-65536:]:
                return
            time.sleep(0.02)
        raise ScimServerError("the barrier request never reached the request log")

    def mark(self) -> int:
        self._barrier()
        return self.path.stat().st_size

    def entries(self, since: int = 0) -> list:
        self._barrier()
        with self.path.open("rb") as handle:
            handle.seek(since)
            data = handle.read()
        found = []
        for line in data.decode("utf-8", "replace").splitlines():
            match = LINE.search(line)
            if not match:
                continue
            target = match.group("target")
            path, _sep, query = target.partition("?")
            if query.startswith(HARNESS_QUERY):
                continue
            found.append(Entry(match.group("method"), path, query, int(match.group("status")), 0.0))
        return found

    def writes(self, since: int = 0) -> list:
        return [e for e in self.entries(since) if e.method in WRITE_METHODS]


if __name__ == "__main__":
    if sys.argv[1:] == ["install"]:
        print(install())
    else:
        raise SystemExit("usage: scim_server.py install")
