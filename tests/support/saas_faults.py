"""The fault scenarios every SaaS provider gets through tests/support/fault_proxy.py, the same ones
Keystone gets in tests/integration/test_faults.py (issue 8): each provider's test file calls these
with its own module runner, emulator and paths. State is read back from the emulator, not from
the module; request counts from the proxy's and the emulator's logs."""

import fault_proxy as fp


def one_line_failure(run):
    assert run.get('failed') is True, run.result
    assert 'exception' not in run.result and 'Traceback' not in run.stderr, run.stderr[-2000:]
    assert '\n' not in run['msg']
    return run['msg']


def lost_create_answer(run_module, proxy, emulator, create_path, module, args, count):
    """The create reached the server but its answer was lost: the module looks the object up and
    takes it as created; the server holds it once, and exactly one create was sent."""
    proxy.fault('POST', create_path, fp.drop_after())
    mark = emulator.mark()
    run = run_module(module, **args)
    assert run.get('failed') is not True, run.get('msg')
    assert count() == 1
    creates = [e for e in emulator.entries(mark) if e['method'] == 'POST' and e['path'] == create_path.strip('^$')]
    assert len(creates) == 1, creates
    assert any('exists now; taken as created' in str(w) for w in run.get('warnings') or []), run.result
    again = run_module(module, **args)
    assert again['changed'] is False and again.writes == []


def throttled_read_is_retried(run_module, proxy, read_path, module, args):
    """A 429 with Retry-After to a read: waited for, retried, the run succeeds."""
    proxy.fault('GET', read_path, fp.status(429, retry_after=1))
    run = run_module(module, **args)
    assert run.get('failed') is not True, run.get('msg')
    assert len(proxy.fired()) == 1 and proxy.fired()[0].sent == 429


def html_page_to_a_listing(run_module, proxy, read_path, module, args):
    """A proxy's HTML page answered 200 to a listing: one line naming the request, no traceback,
    no write."""
    proxy.fault('GET', read_path, fp.html(), count=None)
    run = run_module(module, **args)
    msg = one_line_failure(run)
    assert 'HTTP 200' in msg and 'text/html' in msg, msg
    assert run.writes == []
