"""A fault-injecting HTTP reverse proxy on 127.0.0.1 for the test-suite.

It sits between a module (or ``ansible-playbook``) and an upstream base URL - the real Keystone
today, the SaaS emulators later: nothing in here knows any provider. Every request is forwarded
unchanged except when a *rule* matches it; the rule then decides what the client sees::

    with FaultProxy(keystone['auth_url']) as proxy:       # proxy.url replaces the upstream URL
        proxy.add(Rule('POST', r'^/v3/users$', drop_after()))   # the create happens, its answer is lost
        ...
        proxy.events                                        # what the proxy did, request by request

Matching: ``method`` (None = any) and ``path`` (a regex searched in the path without the query),
then occurrences: the rule counts every request it matches and fires on the ``nth`` to the
``nth + count - 1`` of them (1-based; ``count=None`` means every one from ``nth`` on). The first
rule, in order of addition, whose window holds the request fires; the others only count it.

Actions (functions below, each returning an :class:`Action`):

    status(code, retry_after=None)   answer CODE (429/502/503/504...) without forwarding
    drop_before()                    close the connection before forwarding (server saw nothing)
    drop_after()                     forward, then close the connection without answering
                                     (the request reached the server, its answer is lost)
    delay(seconds, forward=True)     wait, then forward (or answer 504 if not forward): a delay
                                     past the client's read timeout, in a gateway's queue
    slow_answer(seconds)             forward at once, hold the answer SECONDS: a slow server (the
                                     request is processed while the client gives up)
    html() / garbage() / truncated_json(forward=...)
                                     answer 200 with an HTML page, random bytes, or JSON cut in
                                     half (the upstream's real answer, cut, when forwarded)
    echo(code=400, text=False)       answer CODE, not forwarded, with an error that quotes the
                                     request back: its line, every header (Authorization
                                     included) and its body, as a JSON {"message"} (or plain
                                     text): a server that echoes what it was sent

Responses are rewritten so the upstream origin never leaks out: the upstream's
``scheme://host:port`` in bodies (Keystone's service catalog) and ``Location`` headers becomes the
proxy's own, so a client that follows a catalog keeps talking through the proxy.

Bounded everywhere: it listens on 127.0.0.1 only; each connection serves at most
``MAX_REQUESTS_PER_CONNECTION`` requests and times out after ``SOCKET_TIMEOUT`` idle seconds; the
whole proxy serves at most ``max_requests`` requests and stops by itself after ``lifetime``
seconds; delays are capped at ``MAX_DELAY`` and cut short when the proxy stops. ``close()`` (or
leaving the ``with`` block / the pytest fixture) stops it.

An optional control path, for clients in other processes: ``GET /__fault_proxy__/events``,
``POST /__fault_proxy__/rules`` (a JSON rule: method, path, nth, count, action, args),
``DELETE /__fault_proxy__/rules``. Only the standard library is used.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import ssl
import struct
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

CONTROL_PREFIX = '/__fault_proxy__/'
MAX_DELAY = 60.0
SOCKET_TIMEOUT = 30.0
UPSTREAM_TIMEOUT = 60.0
MAX_REQUESTS_PER_CONNECTION = 1000
MAX_BODY = 64 * 1024 * 1024
HOP_BY_HOP = frozenset(('connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te',
                        'trailers', 'transfer-encoding', 'upgrade', 'content-length', 'host'))

HTML_PAGE = (b'<!DOCTYPE html><html><head><title>Access denied</title></head><body>'
             b'<h1>Corporate gateway</h1><p>Please sign in to continue.</p></body></html>')


# ---- actions ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    """What a firing rule does. Build one with the functions below."""
    kind: str                 # status | drop_before | drop_after | delay | slow_answer | body | echo
    status: int = 200
    retry_after: str | None = None
    seconds: float = 0.0
    forward: bool = False
    body: bytes = b''
    content_type: str = 'application/json'

    def describe(self) -> str:
        if self.kind == 'status':
            return 'status %d%s' % (self.status, '' if self.retry_after is None else
                                    ' Retry-After: %s' % self.retry_after)
        if self.kind == 'slow_answer':
            return 'forward, answer after %.1fs' % self.seconds
        if self.kind == 'delay':
            return 'delay %.1fs%s' % (self.seconds, ' then forward' if self.forward else ' then 504')
        if self.kind == 'echo':
            return 'echo %d (%s)' % (self.status, self.content_type)
        if self.kind == 'body':
            return 'body %s%s' % (self.content_type, ' (forwarded, cut)' if self.forward else '')
        return self.kind


def status(code: int, retry_after=None) -> Action:
    """Answer CODE without forwarding; with ``Retry-After: retry_after`` when given."""
    return Action('status', status=int(code), retry_after=None if retry_after is None else str(retry_after),
                  body=json.dumps({'error': {'code': int(code), 'message': 'injected by fault_proxy',
                                             'title': http.client.responses.get(int(code), '')}}).encode())


def drop_before() -> Action:
    """Close the connection without forwarding: the server never sees the request."""
    return Action('drop_before')


def drop_after() -> Action:
    """Forward, then close the connection without answering: the outcome is unknown to the client."""
    return Action('drop_after', forward=True)


def delay(seconds: float, forward: bool = True) -> Action:
    """Wait SECONDS (capped at MAX_DELAY), then forward (or answer 504 without forwarding)."""
    return Action('delay', seconds=min(float(seconds), MAX_DELAY), forward=forward, status=504)


def slow_answer(seconds: float) -> Action:
    """Forward at once, then hold the server's answer SECONDS (capped at MAX_DELAY)."""
    return Action('slow_answer', seconds=min(float(seconds), MAX_DELAY), forward=True)


def html() -> Action:
    """Answer 200 with an HTML page (a captive portal, a login page), not forwarded."""
    return Action('body', body=HTML_PAGE, content_type='text/html; charset=utf-8')


def garbage(size: int = 256) -> Action:
    """Answer 200 ``application/json`` with random bytes, not forwarded."""
    return Action('body', body=os.urandom(size))


def truncated_json(forward: bool = False) -> Action:
    """Answer 200 with JSON cut in half: the upstream's real answer when FORWARD, else a made-up one."""
    return Action('body', forward=forward, body=b'{"items": [{"id": "a1", "name": "trunc')


def echo(code: int = 400, text: bool = False) -> Action:
    """Answer CODE without forwarding, quoting the request (line, headers, body) in the error."""
    return Action('echo', status=int(code), content_type='text/plain' if text else 'application/json')


ACTIONS = dict(status=status, echo=echo, drop_before=drop_before, drop_after=drop_after, delay=delay, slow_answer=slow_answer,
               html=html,
               garbage=garbage, truncated_json=truncated_json)


# ---- rules and the event log ----------------------------------------------------------------
@dataclass
class Rule:
    method: str | None
    path: str
    action: Action
    nth: int = 1
    count: int | None = 1
    seen: int = 0
    fired: int = 0
    _regex: re.Pattern = field(init=False, repr=False)

    def __post_init__(self):
        if self.nth < 1 or (self.count is not None and self.count < 1):
            raise ValueError('nth and count start at 1')
        self._regex = re.compile(self.path)
        self.method = self.method.upper() if self.method else None

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and self._regex.search(path) is not None

    def in_window(self) -> bool:
        return self.seen >= self.nth and (self.count is None or self.seen < self.nth + self.count)


@dataclass(frozen=True)
class Event:
    """One request the proxy handled: what it did (``action``: 'forward' or a rule's action) and
    what the client was sent (``sent``: a status, or None when the connection was dropped)."""
    method: str
    path: str
    action: str
    rule: int | None
    upstream_status: int | None
    sent: int | None
    forwarded: bool


# ---- the proxy --------------------------------------------------------------------------------
class FaultProxy:
    """A threaded reverse proxy on 127.0.0.1 in front of ``upstream`` (a base URL)."""

    def __init__(self, upstream: str, lifetime: float = 900.0, max_requests: int = 20000,
                 upstream_context: ssl.SSLContext | None = None, tls_dir=None, rewrite: bool = True):
        parts = urlsplit(upstream)
        if parts.scheme not in ('http', 'https') or not parts.hostname:
            raise ValueError('upstream must be an http(s) URL: %r' % upstream)
        self.upstream = upstream.rstrip('/')
        self._up_scheme, self._up_host = parts.scheme, parts.hostname
        self._up_port = parts.port or (443 if parts.scheme == 'https' else 80)
        self._up_origin = '%s://%s' % (parts.scheme, parts.netloc)
        self._up_context = upstream_context
        self.rewrite = rewrite
        self.max_requests = max_requests
        self.rules: list[Rule] = []
        self.events: list[Event] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._handled = 0

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), self._handler_class())
        self.httpd.daemon_threads = True
        scheme = 'http'
        if tls_dir:
            from scripted_server import self_signed
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.cert_path, _key = self_signed(tls_dir)
            context.load_cert_chain(self.cert_path, _key)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = 'https'
        self.origin = '%s://127.0.0.1:%d' % (scheme, self.httpd.server_address[1])
        self.url = self.origin + (parts.path.rstrip('/') or '')
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True,
                                        name='fault-proxy')
        self._thread.start()
        self._watchdog = threading.Timer(lifetime, self.close)
        self._watchdog.daemon = True
        self._watchdog.start()

    # ---- the Python API -----------------------------------------------------------------------
    def add(self, rule: Rule) -> Rule:
        with self._lock:
            self.rules.append(rule)
        return rule

    def fault(self, method, path, action, nth=1, count=1) -> Rule:
        """Shortcut for ``add(Rule(method, path, action, nth, count))``."""
        return self.add(Rule(method, path, action, nth=nth, count=count))

    def clear(self):
        """Remove every rule and forget the events."""
        with self._lock:
            self.rules = []
            self.events = []

    def fired(self) -> list:
        """The events where a rule fired."""
        with self._lock:
            return [e for e in self.events if e.rule is not None]

    def close(self):
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._watchdog.cancel()
        threading.Thread(target=self.httpd.shutdown, daemon=True).start()
        self._thread.join(10)
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- internals ----------------------------------------------------------------------------
    def _decide(self, method: str, path: str):
        """Count the request against every matching rule; return (index, rule) of the one that fires."""
        chosen = (None, None)
        with self._lock:
            self._handled += 1
            over = self._handled > self.max_requests
            for index, rule in enumerate(self.rules):
                if rule.matches(method, path):
                    rule.seen += 1
                    if chosen[1] is None and rule.in_window():
                        rule.fired += 1
                        chosen = (index, rule)
        if over:
            return None, Rule(None, '', status(503))  # bounded: refuse past max_requests
        return chosen

    def _record(self, *args):
        with self._lock:
            self.events.append(Event(*args))

    def _forward(self, method, target, headers, body):
        """Send the request upstream; return (status, reason, headers list, body bytes)."""
        if self._up_scheme == 'https':
            conn = http.client.HTTPSConnection(self._up_host, self._up_port, timeout=UPSTREAM_TIMEOUT,
                                               context=self._up_context or ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(self._up_host, self._up_port, timeout=UPSTREAM_TIMEOUT)
        try:
            out = {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP}
            out['Host'] = '%s:%d' % (self._up_host, self._up_port)
            out['Connection'] = 'close'
            conn.request(method, target, body=body if body or method in ('POST', 'PUT', 'PATCH') else None,
                         headers=out)
            response = conn.getresponse()
            data = response.read(MAX_BODY)
            return response.status, response.reason, response.getheaders(), data
        finally:
            conn.close()

    def _rewrite(self, data: bytes) -> bytes:
        if not self.rewrite or not data:
            return data
        return data.replace(self._up_origin.encode(), self.origin.encode())

    def _control(self, handler, method, path, body):
        name = path[len(CONTROL_PREFIX):]
        if name == 'events' and method == 'GET':
            with self._lock:
                payload = [e.__dict__ for e in self.events]
            return 200, payload
        if name == 'rules' and method == 'POST':
            spec = json.loads(body or b'{}')
            action = ACTIONS[spec['action']](*spec.get('args', []))
            self.fault(spec.get('method'), spec['path'], action, spec.get('nth', 1), spec.get('count', 1))
            return 201, {'rules': len(self.rules)}
        if name == 'rules' and method == 'DELETE':
            self.clear()
            return 204, None
        return 404, {'error': 'unknown control path'}

    def _handler_class(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'
            timeout = SOCKET_TIMEOUT
            served = 0

            def log_message(self, *args):
                pass

            def _drop(self):
                """Close the connection at once (RST), without a byte of answer."""
                self.close_connection = True
                try:
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

            def _send(self, code, headers, data, reason=None):
                self.send_response(code, reason)
                for key, value in headers:
                    if key.lower() not in HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header('Content-Length', str(len(data)))
                if self.close_connection:
                    self.send_header('Connection', 'close')
                self.end_headers()
                if self.command != 'HEAD':
                    self.wfile.write(data)

            def _handle(self):
                self.served += 1
                if self.served >= MAX_REQUESTS_PER_CONNECTION:
                    self.close_connection = True
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(min(length, MAX_BODY)) if length else b''
                method, target = self.command, self.path
                path = target.split('?', 1)[0]
                if path.startswith(CONTROL_PREFIX):
                    code, payload = proxy._control(self, method, path, body)
                    data = b'' if payload is None else json.dumps(payload).encode()
                    return self._send(code, [('Content-Type', 'application/json')], data)
                index, rule = proxy._decide(method, path)
                action = rule.action if rule else None
                if action is None:
                    return self._pass(method, target, path, body, None, 'forward')
                described = action.describe()
                # every event is recorded before the client gets anything, so a test that has
                # its answer (or its error) always finds the event
                if action.kind == 'status':
                    headers = [('Content-Type', 'application/json')]
                    if action.retry_after is not None:
                        headers.append(('Retry-After', action.retry_after))
                    proxy._record(method, path, described, index, None, action.status, False)
                    return self._send(action.status, headers, action.body)
                if action.kind == 'echo':
                    quoted = '%s %s %s\n%s\n%s' % (method, target, self.request_version, ''.join(
                        '%s: %s\n' % item for item in self.headers.items()), body.decode('utf-8', 'replace'))
                    data = (quoted if action.content_type == 'text/plain' else json.dumps(
                        {'message': 'bad request, you sent: ' + quoted})).encode()
                    proxy._record(method, path, described, index, None, action.status, False)
                    return self._send(action.status, [('Content-Type', action.content_type)], data)
                if action.kind == 'drop_before':
                    proxy._record(method, path, described, index, None, None, False)
                    return self._drop()
                if action.kind == 'drop_after':
                    upstream = self._upstream(method, target, body)
                    proxy._record(method, path, described, index, upstream[0], None, True)
                    return self._drop()
                if action.kind == 'slow_answer':
                    return self._pass(method, target, path, body, index, described, hold=action.seconds)
                if action.kind == 'delay':
                    if proxy._stopping.wait(action.seconds):  # stopped meanwhile: hang up
                        proxy._record(method, path, described, index, None, None, False)
                        return self._drop()
                    if action.forward:
                        return self._pass(method, target, path, body, index, described)
                    proxy._record(method, path, described, index, None, 504, False)
                    return self._send(504, [('Content-Type', 'text/plain')], b'gateway timeout (injected)')
                # body: a 200 with a broken body
                upstream_status = None
                data = action.body
                if action.forward:
                    upstream_status, _reason, _headers, real = self._upstream(method, target, body)
                    data = real[:max(1, len(real) // 2)]
                proxy._record(method, path, described, index, upstream_status, 200, action.forward)
                return self._send(200, [('Content-Type', action.content_type)], data)

            def _upstream(self, method, target, body):
                try:
                    return proxy._forward(method, target, dict(self.headers.items()), body)
                except OSError as exc:
                    return None, str(exc), [], b''

            def _pass(self, method, target, path, body, index, described, hold=0.0):
                code, reason, headers, data = self._upstream(method, target, body)
                if hold and proxy._stopping.wait(hold):
                    proxy._record(method, path, described, index, code, None, True)
                    return self._drop()
                if code is None:  # upstream down: what a gateway says
                    proxy._record(method, path, described, index, None, 502, True)
                    return self._send(502, [('Content-Type', 'text/plain')], ('bad gateway: %s' % reason).encode())
                headers = [(k, proxy._rewrite(v.encode('latin-1')).decode('latin-1') if k.lower() == 'location'
                            else v) for k, v in headers]
                proxy._record(method, path, described, index, code, code, True)
                self._send(code, headers, proxy._rewrite(data), reason)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

        return Handler
