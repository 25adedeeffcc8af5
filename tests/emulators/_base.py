"""Shared machinery of the SaaS emulators in tests/emulators/ (test code, never shipped).

An emulator is a threaded HTTP server on 127.0.0.1 that speaks one vendor's real protocol from
in-memory state. This module gives each one the same plumbing so that the vendor-specific files
hold only the protocol:

* routing: ``@route('GET', r'/api/2/users/(?P<user_id>[^/]+)')`` on methods of an
  :class:`Emulator` subclass; a handler gets a :class:`Request` and returns a :class:`Reply`
  (or raises :class:`Reply`, handy for errors deep in a handler);
* a request log (method, path, query, status, whether the request was a write) that tests read
  to count requests and to prove that check mode and reruns write nothing;
* control endpoints under ``/__emulator__/`` for tests (``GET log``, ``POST reset``, ``GET state``,
  ``POST seed`` handled by the subclass's ``seed``), never logged;
* :meth:`Emulator.start` / :meth:`Emulator.stop` in a background thread, and a command line
  (``python -m`` style ``main``) that prints the base URL, for running one by hand.

The vendor emulators decide their status codes and bodies themselves; nothing here invents them.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

WRITE_METHODS = frozenset(('POST', 'PUT', 'PATCH', 'DELETE'))
CONTROL_PREFIX = '/__emulator__/'


def route(method, pattern):
    """Mark an :class:`Emulator` method as the handler of ``method`` on paths matching ``pattern``."""
    def mark(func):
        func._route = (method.upper(), re.compile('^' + pattern + '$'))
        return func
    return mark


@dataclass
class Request:
    method: str
    path: str
    query: dict            # name -> list of values (parse_qs)
    headers: dict          # lower-cased names
    body: bytes
    params: dict = field(default_factory=dict)   # named groups of the route's pattern

    def arg(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def json(self):
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            raise Reply(400, {'message': 'request body is not JSON'})

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)


class Reply(Exception):
    """An HTTP answer: ``status``, a JSON-able ``body`` (or bytes/str), extra ``headers``."""

    def __init__(self, status=200, body=None, headers=None, content_type='application/json'):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.content_type = content_type

    def encode(self):
        if self.body is None:
            return b''
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


class Emulator:
    """Base class: subclasses add ``@route`` handlers, ``reset_state()``, ``seed(body)``, ``dump()``."""

    name = 'emulator'

    def __init__(self):
        self.lock = threading.RLock()
        self.log = []
        self._routes = []
        for attr in dir(type(self)):
            func = getattr(type(self), attr)
            if callable(func) and hasattr(func, '_route'):
                method, regex = func._route
                self._routes.append((method, regex, getattr(self, attr)))
        self.httpd = None
        self.thread = None
        self.reset()

    # ---- state, overridden by each emulator ------------------------------------------------
    def reset_state(self):
        """Forget every object (called at start and by ``POST /__emulator__/reset``)."""

    def seed(self, body):
        """Create objects from a test's ``POST /__emulator__/seed`` body; returns what was made."""
        raise Reply(404, {'message': 'this emulator takes no seed'})

    def dump(self):
        """The whole state as JSON, for tests that read it back independently of the module."""
        return {}

    def reset(self):
        with self.lock:
            self.log = []
            self.reset_state()

    # ---- the request log -------------------------------------------------------------------
    def requests(self, method=None, path=None, writes=None):
        """Logged requests, optionally only of ``method``, a ``path`` regex, or writes."""
        with self.lock:
            found = list(self.log)
        if method:
            found = [r for r in found if r['method'] == method.upper()]
        if path:
            found = [r for r in found if re.search(path, r['path'])]
        if writes is not None:
            found = [r for r in found if r['write'] == writes]
        return found

    def writes(self, since=0):
        """Write requests (POST/PUT/PATCH/DELETE) logged since ``since`` (a :meth:`mark`).

        Subclasses leave out what is not a write of state (an OAuth token request, say)."""
        return [r for r in self.entries(since) if r['write']]

    # the AccessLog interface of tests/keystone/keystone_server.py, so one module runner serves both
    def mark(self):
        with self.lock:
            return len(self.log)

    def entries(self, since=0):
        with self.lock:
            return list(self.log[since:])

    # ---- dispatch --------------------------------------------------------------------------
    def handle(self, request):
        """The :class:`Reply` to ``request`` (control endpoints first, then the routes)."""
        if request.path.startswith(CONTROL_PREFIX):
            return self._control(request)
        allowed = False
        for method, regex, handler in self._routes:
            match = regex.match(request.path)
            if not match:
                continue
            allowed = True
            if method != request.method:
                continue
            request.params = match.groupdict()
            try:
                with self.lock:
                    reply = handler(request)
            except Reply as exc:
                reply = exc
            return reply if isinstance(reply, Reply) else Reply(200, reply)
        return self.not_found(request, allowed)

    def not_found(self, request, method_known):
        """The vendor's answer to an unknown path (405 when only the method is wrong)."""
        if method_known:
            return Reply(405, {'message': 'method not allowed'})
        return Reply(404, {'message': 'not found'})

    def _control(self, request):
        what = request.path[len(CONTROL_PREFIX):].strip('/')
        with self.lock:
            if what == 'log' and request.method == 'GET':
                return Reply(200, list(self.log))
            if what == 'reset' and request.method == 'POST':
                self.reset()
                return Reply(204)
            if what == 'state' and request.method == 'GET':
                return Reply(200, self.dump())
            if what == 'seed' and request.method == 'POST':
                try:
                    return Reply(200, self.seed(json.loads(request.body or b'{}')))
                except Reply as exc:
                    return exc
        return Reply(404, {'message': 'unknown control endpoint'})

    def record(self, request, status):
        with self.lock:
            self.log.append({'method': request.method, 'path': request.path,
                             'query': dict((k, v[0] if len(v) == 1 else v) for k, v in request.query.items()),
                             'status': status, 'write': request.method in WRITE_METHODS,
                             'time': time.time()})

    # ---- the server ------------------------------------------------------------------------
    def start(self, host='127.0.0.1', port=0):
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else b''
                request = Request(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                                  dict((k.lower(), v) for k, v in self.headers.items()), body)
                try:
                    reply = emulator.handle(request)
                except Exception as exc:  # an emulator bug must show as a 500, not hang the client
                    reply = Reply(500, {'message': 'emulator error: %r' % exc})
                if not request.path.startswith(CONTROL_PREFIX):
                    emulator.record(request, reply.status)
                payload = reply.encode()
                self.send_response(reply.status)
                if payload or reply.status not in (204, 304):
                    self.send_header('Content-Type', reply.content_type)
                self.send_header('Content-Length', str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if payload and self.command != 'HEAD':
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

            def log_message(self, *args):  # the request log replaces stderr noise
                pass

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name=self.name, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self):
        host, port = self.httpd.server_address[:2]
        return 'http://%s:%d' % (host, port)

    def stop(self):
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def __enter__(self):
        return self.start() if self.httpd is None else self

    def __exit__(self, *exc):
        self.stop()


def main(emulator_class, argv=None):
    """Command line of an emulator: serve on 127.0.0.1 until interrupted, print the base URL."""
    import argparse
    parser = argparse.ArgumentParser(description='Run the %s emulator on 127.0.0.1' % emulator_class.name)
    parser.add_argument('--port', type=int, default=0)
    args = parser.parse_args(argv)
    emulator = emulator_class().start(port=args.port)
    print(emulator.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        emulator.stop()
