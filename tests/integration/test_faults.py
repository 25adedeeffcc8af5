"""Faults injected between the modules and the real Keystone (tests/support/fault_proxy.py).

Each test puts one fault class on one request, runs a module through the proxy, and judges the
outcome on Keystone's own state (read back with ``Admin``, straight to Keystone) and Keystone's
access log (what really reached the server), plus the proxy's event log (what the client saw).
Every test asserts the behaviour the code has; none is an xfail.
"""

import json
import os
import time

import pytest

import fault_proxy as fp
from conftest import module_environment, module_runner

MODULE_TIMEOUT = 2.0  # the modules' read timeout in these tests: delays go past it


@pytest.fixture
def proxy(keystone):
    with fp.FaultProxy(keystone['auth_url'], lifetime=600) as prx:
        yield prx


def proxied_clouds_yaml(keystone, url, path):
    """A clouds.yaml like the session's, its auth_url at URL (JSON strings are YAML scalars)."""
    keys = ('username', 'password', 'project_name', 'user_domain_name', 'project_domain_name')
    lines = ['clouds:', '  iamops-test:', '    auth:', '      auth_url: %s' % json.dumps(url)]
    lines += ['      %s: %s' % (key, json.dumps(keystone[key])) for key in keys]
    lines += ['    region_name: RegionOne', '    interface: public', '    identity_api_version: 3', '']
    path.write_text('\n'.join(lines))
    os.chmod(str(path), 0o600)
    return str(path)


@pytest.fixture
def via(keystone, access_log, proxy, tmp_path):
    """module_runner whose clouds.yaml points at the proxy (Keystone's catalog is rewritten by it)."""
    clouds = proxied_clouds_yaml(keystone, proxy.url, tmp_path / 'clouds.yaml')
    runner = module_runner(module_environment(clouds), access_log, tmp_path)

    def run(module, **args):
        started = time.monotonic()
        result = runner(module, **args)
        result.seconds = time.monotonic() - started
        return result

    return run


def one_line_failure(run):
    """A failed run with one msg: a single line, no traceback anywhere."""
    assert run.get('failed') is True, run.result
    assert 'exception' not in run.result, run.result.get('exception')
    assert 'Traceback' not in run.stderr and 'Traceback' not in json.dumps(run.result)
    assert run['msg'] and '\n' not in run['msg'], run['msg']
    return run['msg']


def users_named(admin, name):
    """Every user of the Default domain called NAME, read straight from Keystone."""
    return admin.get('/users', name=name, domain_id='default')['users']


def calls(run, method, path):
    return [e for e in run.entries if e.method == method and e.path == path]


def test_the_proxy_is_on_the_path(via, proxy, admin, uniq):
    """Without faults every request goes through the proxy, the catalog's too."""
    run = via('identity_user', name='plain-' + uniq)
    assert run['changed'] is True and len(users_named(admin, 'plain-' + uniq)) == 1
    seen = [(e.method, e.path) for e in proxy.events]
    assert [(e.method, e.path) for e in run.entries] == seen
    assert ('POST', '/v3/users') in seen and proxy.fired() == []


# ---- lost answers: the outcome is unknown, the frame must look before failing --------------
def test_lost_create_answer_is_not_duplicated(via, proxy, admin, uniq):
    name = 'lost-' + uniq
    proxy.fault('POST', r'^/v3/users$', fp.drop_after())
    run = via('identity_user', name=name, email=name + '@example.com')
    assert run.get('failed') is not True, run.result
    assert run['changed'] is True and run['user']['name'] == name
    assert 'taken as created' in json.dumps(run.get('warnings')), run.result
    assert len(calls(run, 'POST', '/v3/users')) == 1  # never sent twice
    assert [u['email'] for u in users_named(admin, name)] == [name + '@example.com']
    again = via('identity_user', name=name, email=name + '@example.com')
    assert again['changed'] is False and again.writes == []


def test_slow_create_past_the_read_timeout_is_not_duplicated(via, proxy, admin, uniq):
    """Keystone makes the user, its answer comes after the client gave up: found, not re-sent."""
    name = 'slow-' + uniq
    proxy.fault('POST', r'^/v3/users$', fp.slow_answer(MODULE_TIMEOUT + 2))
    run = via('identity_user', name=name, timeout=MODULE_TIMEOUT)
    assert run.get('failed') is not True, run.result
    assert len(users_named(admin, name)) == 1 and len(calls(run, 'POST', '/v3/users')) == 1


def test_truncated_answer_to_a_create_is_an_unknown_outcome(via, proxy, admin, uniq):
    """The create happened, its 200/201 body is cut: look it up rather than fail."""
    name = 'cut-' + uniq
    proxy.fault('POST', r'^/v3/users$', fp.truncated_json(forward=True))
    run = via('identity_user', name=name)
    assert len(users_named(admin, name)) == 1 and len(calls(run, 'POST', '/v3/users')) == 1
    if run.get('failed'):
        one_line_failure(run)
    assert run.get('failed') is not True, run['msg']


def test_create_dropped_before_the_server_fails_cleanly(via, proxy, admin, uniq):
    """The create never reached Keystone: a lookup finds nothing, so a clear failure, no user."""
    name = 'nodrop-' + uniq
    proxy.fault('POST', r'^/v3/users$', fp.drop_before())
    run = via('identity_user', name=name)
    msg = one_line_failure(run)
    assert 'POST /v3/users' in msg
    assert users_named(admin, name) == [] and calls(run, 'POST', '/v3/users') == []
    assert [e.action for e in proxy.fired()] == ['drop_before']


# ---- transient statuses --------------------------------------------------------------------
@pytest.mark.parametrize('code,retry_after', [(429, 1), (502, None), (503, 1), (504, None)])
def test_transient_status_to_a_read_is_retried(via, proxy, admin, uniq, code, retry_after):
    name = 'retry-%d-%s' % (code, uniq)
    proxy.fault('GET', r'^/v3/users$', fp.status(code, retry_after), count=2)
    run = via('identity_user', name=name)
    assert run.get('failed') is not True, run.result
    assert len(users_named(admin, name)) == 1
    assert [e.sent for e in proxy.events if e.method == 'GET' and e.path == '/v3/users'][:3] == [code, code, 200]
    assert len(calls(run, 'GET', '/v3/users')) == 1  # Keystone saw only the successful one
    if retry_after:
        assert run.seconds >= 2 * retry_after  # Retry-After honoured between the tries


def test_persistent_503_on_reads_fails_in_bounded_time_with_one_line(via, proxy, uniq):
    proxy.fault('GET', r'^/v3/users$', fp.status(503, 1), count=None)
    run = via('identity_user', name='down-' + uniq)
    msg = one_line_failure(run)
    assert 'HTTP 503' in msg and run.writes == []
    assert run.seconds < 30
    assert 1 < len(proxy.fired()) <= 5  # retried, within the retry budget


def test_gateway_error_gets_no_ldap_hint_on_a_sql_domain(via, proxy, admin, uniq):
    dom = admin.make_domain('gw-' + uniq)  # no domain config: the SQL driver
    proxy.fault('GET', r'^/v3/users$', fp.status(502), count=None)
    run = via('identity_user', name='gw-' + uniq, domain=dom['name'])
    msg = one_line_failure(run)
    assert 'HTTP 502' in msg
    assert 'LDAP' not in msg and 'ldap' not in msg, msg


@pytest.mark.parametrize('code', [429, 503])
def test_throttled_create_is_retried_after_retry_after(via, proxy, admin, uniq, code):
    name = 'throttled-%d-%s' % (code, uniq)
    proxy.fault('POST', r'^/v3/users$', fp.status(code, 1))
    run = via('identity_user', name=name)
    assert run.get('failed') is not True, run.get('msg')
    assert len(users_named(admin, name)) == 1 and len(calls(run, 'POST', '/v3/users')) == 1


def test_503_without_retry_after_to_a_create_fails_cleanly(via, proxy, admin, uniq):
    """No Retry-After: the gateway may or may not have passed it on; not found, so a clear failure."""
    name = 'gw503-' + uniq
    proxy.fault('POST', r'^/v3/users$', fp.status(503))
    run = via('identity_user', name=name)
    assert 'HTTP 503' in one_line_failure(run)
    assert users_named(admin, name) == [] and run.writes == []


def test_dropped_connection_on_a_read_is_retried(via, proxy, admin, uniq):
    name = 'rst-' + uniq
    proxy.fault('GET', r'^/v3/users$', fp.drop_before())
    run = via('identity_user', name=name)
    assert run.get('failed') is not True, run.result
    assert len(users_named(admin, name)) == 1
    assert [e.action for e in proxy.fired()] == ['drop_before']


# ---- slow answers ----------------------------------------------------------------------------
def test_one_slow_read_is_retried(via, proxy, admin, uniq):
    proxy.fault('GET', r'^/v3/users$', fp.delay(MODULE_TIMEOUT + 1.5))
    run = via('identity_user', name='late-' + uniq, timeout=MODULE_TIMEOUT)
    assert run.get('failed') is not True, run.result
    assert len(users_named(admin, 'late-' + uniq)) == 1


def test_reads_past_the_timeout_fail_in_bounded_time_with_one_line(via, proxy, uniq):
    proxy.fault('GET', r'^/v3/users$', fp.delay(1.5, forward=False), count=None)
    run = via('identity_user_info', name='never-' + uniq, timeout=1)
    msg = one_line_failure(run)
    assert 'GET /v3/users' in msg and proxy.origin in msg, msg  # the URL configured, not the upstream's
    assert 2 <= len(proxy.fired()) <= 5  # retried, within the retry budget
    assert run.seconds < 25
    assert run.writes == []


def test_reads_past_the_timeout_are_named_a_timeout(via, proxy, uniq):
    proxy.fault('GET', r'^/v3/users$', fp.delay(1.5, forward=False), count=None)
    run = via('identity_user_info', name='never-' + uniq, timeout=1)
    msg = one_line_failure(run)
    assert 'no answer from %s within 1 s' % proxy.origin in msg, msg
    assert 'HTTPConnectionPool' not in msg


# ---- broken bodies with 200 ------------------------------------------------------------------
@pytest.mark.parametrize('action', ['html', 'garbage', 'truncated_json'])
def test_broken_200_body_to_a_listing_gives_one_line(via, proxy, uniq, action):
    proxy.fault('GET', r'^/v3/users$', fp.ACTIONS[action](), count=None)
    run = via('identity_user_info', name='x-' + uniq)
    msg = one_line_failure(run)
    assert 'GET /v3/users' in msg and 'HTTP 200' in msg, msg
    assert len(msg) < 400
    assert run.writes == []


@pytest.mark.parametrize('action', ['html', 'garbage', 'truncated_json'])
def test_broken_200_body_to_a_single_read_gives_one_line(via, proxy, admin, uniq, action):
    dom = admin.make_domain('body-' + uniq)
    proxy.fault('GET', r'^/v3/domains/\w+$', fp.ACTIONS[action](), count=None)
    run = via('identity_user', name='x-' + uniq, domain=dom['id'])
    msg = one_line_failure(run)
    assert 'GET /v3/domains/%s' % dom['id'] in msg and 'HTTP 200' in msg, msg
    assert len(msg) < 400
    assert run.writes == [] and admin.user('x-' + uniq, dom['id']) is None


def test_broken_200_body_to_the_token_request_gives_one_line(via, proxy, uniq):
    proxy.fault('POST', r'^/v3/auth/tokens$', fp.garbage())
    run = via('identity_user_info', name='x-' + uniq)
    msg = one_line_failure(run)
    assert 'POST /v3/auth/tokens' in msg and len(msg) < 400, msg
