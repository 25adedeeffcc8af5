"""_parallel with the real HTTP client against a real local server that answers concurrently:
bounded concurrency, item order, a token renewed once for all the threads a 401 hit at once,
per-thread retry logs and write counts, and the gate that keeps the module's code one thread at a
time."""

import json
import threading
import time

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.iamops.identity.plugins.module_utils import _parallel
from ansible_collections.iamops.identity.plugins.module_utils._auth import BearerAuth
from ansible_collections.iamops.identity.plugins.module_utils._http import HTTPClient
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError

HOLD = 0.15  # seconds each /items request is held: long enough for the others to pile up


class Server:
    """127.0.0.1, one thread per connection. ``POST /token`` issues tok-1, tok-2, ...; ``/items/*``
    needs the newest token (an older one answers 401 once ``expire()`` was called), is held
    HOLD seconds, and records the most requests it held at once; ``/flaky`` answers 503 with
    Retry-After 0 ``flaky`` times, then 200; ``/refused`` answers 403."""

    def __init__(self):
        self.lock = threading.Lock()
        self.tokens = 0
        self.valid = None
        self.in_flight = self.peak = 0
        self.log = []  # (method, path, status)
        self.flaky = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):
                pass

            def _answer(self, status, body=None, headers=()):
                data = json.dumps(body).encode() if body is not None else b''
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                for key, value in headers:
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)
                with outer.lock:
                    outer.log.append((self.command, self.path, status))

            def _handle(self):
                length = int(self.headers.get('Content-Length') or 0)
                if length:
                    self.rfile.read(length)
                if self.path == '/token':
                    with outer.lock:
                        outer.tokens += 1
                        outer.valid = 'tok-%d' % outer.tokens
                        token = outer.valid
                    return self._answer(200, {'access_token': token})
                if self.headers.get('Authorization') != 'Bearer %s' % outer.valid:
                    return self._answer(401, {'message': 'token expired'})
                if self.path == '/flaky':
                    with outer.lock:
                        outer.flaky -= 1
                        fail = outer.flaky >= 0
                    return self._answer(503, {'message': 'busy'}, [('Retry-After', '0')]) if fail else self._answer(200, {})
                if self.path == '/refused':
                    return self._answer(403, {'message': 'no'})
                with outer.lock:
                    outer.in_flight += 1
                    outer.peak = max(outer.peak, outer.in_flight)
                time.sleep(HOLD)
                with outer.lock:
                    outer.in_flight -= 1
                return self._answer(200, {'path': self.path})

            do_GET = do_PUT = do_POST = do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def expire(self):
        with self.lock:
            self.valid = 'expired'

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Grant(BearerAuth):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def obtain(self, client):
        self.calls += 1
        return client.json('POST', '/token')['access_token']


@pytest.fixture
def srv():
    server = Server()
    yield server
    server.close()


def client_of(srv):
    return HTTPClient(srv.url, 'test', timeout=10, backoff_factor=0, auth=Grant())


def test_items_run_at_most_n_at_once_and_come_back_in_order(srv):
    client = client_of(srv)
    items = list(range(12))
    started = time.monotonic()
    outcomes = _parallel.run(items, lambda i: client.json('PUT', '/items/%d' % i)['path'], 4, client)
    wall = time.monotonic() - started
    assert outcomes == [('/items/%d' % i, None) for i in items]
    assert srv.peak == 4                      # bounded, and really concurrent
    assert wall < 12 * HOLD * 0.6             # 3 rounds of 4, not 12 one after the other
    assert srv.tokens == 1 and client.auth.calls == 1  # the first requests shared one token
    assert client.stats['requests'] == 12 and client.stats['writes'] == 12 and client.changes == 12
    assert client.gate is None                # the gate is gone after the run


def test_one_worker_runs_in_the_calling_thread(srv):
    client = client_of(srv)
    threads = []
    outcomes = _parallel.run([1, 2, 3], lambda i: threads.append(threading.current_thread()) or i, 1, client)
    assert outcomes == [(1, None), (2, None), (3, None)]
    assert set(threads) == {threading.current_thread()}


def test_an_expired_token_is_renewed_once_for_every_thread_it_failed(srv):
    client = client_of(srv)
    client.authenticate()
    srv.expire()  # every in-flight thread's next request is answered 401 with the old token
    items = list(range(8))
    outcomes = _parallel.run(items, lambda i: client.json('PUT', '/items/%d' % i)['path'], 4, client)
    assert [o[1] for o in outcomes] == [None] * 8
    assert srv.tokens == 2 and client.auth.calls == 2   # renewed once, not once per thread
    unauthorized = [p for m, p, s in srv.log if s == 401]
    assert len(unauthorized) >= 2                        # several threads were refused at once...
    done = [p for m, p, s in srv.log if m == 'PUT' and s == 200]
    assert sorted(done) == sorted('/items/%d' % i for i in items)  # ...and each write landed once


def test_retry_logs_and_write_counts_are_per_thread(srv):
    client = client_of(srv)
    srv.flaky = 2

    def item(path):
        before = client.thread_changes()
        try:
            client.json('PUT', path)
        except APIError as exc:
            return ('failed', exc.retries, client.thread_changes() - before)
        return ('ok', client._last_retries, client.thread_changes() - before)

    outcomes = _parallel.run(['/flaky', '/items/1', '/refused', '/items/2'], item, 4, client)
    assert [o[0] for o in outcomes] == [('ok', 2, 1), ('ok', 0, 1), ('failed', 0, 0), ('ok', 0, 1)]
    assert client.stats['retries'] == 2 and client.changes == 3  # the 403 changed nothing


def test_the_gate_keeps_the_code_between_requests_one_thread_at_a_time(srv):
    client = client_of(srv)
    inside = []
    overlaps = []

    def item(i):
        for _round in range(2):
            inside.append(i)
            if len(inside) > 1:
                overlaps.append(list(inside))
            time.sleep(0.01)  # Python code holding the gate: nobody else may run now
            inside.remove(i)
            client.json('PUT', '/items/%d' % i)  # the gate is given up while waiting here
        return i

    outcomes = _parallel.run(range(6), item, 3, client)
    assert [o[0] for o in outcomes] == list(range(6)) and overlaps == []
    assert srv.peak == 3


def test_a_stop_leaves_the_items_not_started_yet(srv):
    client = client_of(srv)
    failed = []

    def item(i):
        if i == 0:
            failed.append(i)
            raise APIError('test', 'PUT', '/items/0', reason='the server stopped answering', transient=True)
        return client.json('PUT', '/items/%d' % i)['path']

    outcomes = _parallel.run(range(10), item, 2, client, stop=lambda: bool(failed))
    assert isinstance(outcomes[0][1], APIError)
    skipped = [i for i, o in enumerate(outcomes) if o is _parallel.SKIPPED]
    assert skipped and skipped == list(range(10 - len(skipped), 10))  # the tail, never a gap
    assert len(skipped) >= 7


def test_a_nested_list_in_a_parallel_item_runs_in_its_thread(srv):
    client = client_of(srv)

    def item(i):
        inner = _parallel.run([1, 2], lambda j: threading.current_thread(), 4, client)
        return all(t is threading.current_thread() for t, _exc in inner)

    assert [o[0] for o in _parallel.run(range(4), item, 4, client)] == [True] * 4


def test_effective_bounds_and_provider_default():
    class Keystoneish:
        default_parallel = 4

    assert _parallel.effective(None, Keystoneish()) == 4
    assert _parallel.effective(None, object()) == 1
    assert _parallel.effective(1, Keystoneish()) == 1
    assert _parallel.effective(99, object()) == _parallel.MAX_PARALLEL
    assert _parallel.argument_spec()['parallel']['choices'] == list(range(1, 17))


def test_warnings_come_out_in_item_order_whatever_the_timing(srv):
    client = client_of(srv)
    given = []
    ordered = _parallel.OrderedWarnings(given.append)

    def item(i):
        if i % 2 == 0:
            client.json('PUT', '/items/%d' % i)  # the even items warn after the odd ones
        ordered('item %d first' % i)
        ordered('item %d second' % i)
        return i

    _parallel.run(range(6), item, 6, client, warnings=ordered)
    assert given == []  # kept until the run is over
    ordered.flush()
    assert given == ['item %d %s' % (i, w) for i in range(6) for w in ('first', 'second')]
    ordered('outside a run')
    assert given[-1] == 'outside a run'
