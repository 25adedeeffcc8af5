"""Reliability promises every SaaS provider gets through tests/support/fault_proxy.py, beside the
ones in saas_faults.py: the same as Keystone's in tests/integration/test_faults.py and
test_kill.py (issue 19). Each provider's test file calls these with its own module runner,
emulator and paths. State is read back from the emulator's own dump, not from the module."""

import re
import threading
import time

import fault_proxy as fp
from saas_faults import one_line_failure


def _timed(run_module, module, args):
    started = time.monotonic()
    run = run_module(module, **args)
    return run, time.monotonic() - started


def transient_read_is_retried(run_module, proxy, read_path, module, args, code):
    """A 502, 504 or 503 without Retry-After to a read, twice: retried with backoff, the run
    succeeds; the emulator saw only the successful read."""
    proxy.fault('GET', read_path, fp.status(code), count=2)
    run = run_module(module, **args)
    assert run.get('failed') is not True, run.get('msg')
    sent = [e.sent for e in proxy.events if e.method == 'GET' and re.search(read_path, e.path)]
    assert sent[:3] == [code, code, 200], sent


def persistent_503_fails_in_bounded_time(run_module, proxy, read_path, module, args):
    """Every read answered 503 (Retry-After 1): retried within the budget (at most 4 retries), then
    one line naming the status, no write, in bounded time."""
    proxy.fault('GET', read_path, fp.status(503, retry_after=1), count=None)
    run, seconds = _timed(run_module, module, args)
    msg = one_line_failure(run)
    assert 'HTTP 503' in msg and run.writes == [], msg
    assert seconds < 30, seconds
    assert 1 < len(proxy.fired()) <= 5, proxy.fired()


def _forwarded(proxy, method, path):
    return sum(1 for e in list(proxy.events) if e.method == method and e.forwarded and re.search(path, e.path))


def server_gone_mid_batch(run_module, proxy, module, args, items_option, create_path, held, after=8):
    """The server stops answering (every connection dropped) once ``after`` creates of a batch went
    through: the batch stops after the client's retries instead of waiting through every item, the
    message says which items were done and which were not attempted, and once the server is back a
    rerun converges without a duplicate; the run after that writes nothing.

    ``held()`` returns how many times the server holds each of the batch's names (a dict)."""
    names = [item['name'] for item in args[items_option]]
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            if _forwarded(proxy, 'POST', create_path) >= after:
                proxy.fault(None, r'.', fp.drop_before(), count=None)  # gone: nothing answers
                return
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        run, seconds = _timed(run_module, module, args)
    finally:
        stop.set()
        watcher.join()
    msg = one_line_failure(run)
    assert 'the server stopped answering' in msg and 'not attempted' in msg, msg
    assert seconds < 60, seconds
    results = run['results']
    skipped = [r for r in results if r.get('skipped')]
    done = [r for r in results if not r.get('failed') and not r.get('skipped')]
    assert len(skipped) >= len(names) - after - 2, msg   # not every item waited through retries
    assert len(done) >= after - 1, msg
    assert all(r['msg'] == 'not attempted: the server stopped answering' for r in skipped)

    proxy.clear()  # the server is back
    again = run_module(module, **args)
    assert again.get('failed') is not True, again.get('msg')
    assert held() == dict((name, 1) for name in names)  # each once: nothing duplicated, nothing lost
    last = run_module(module, **args)
    assert last['changed'] is False and last.writes == []
