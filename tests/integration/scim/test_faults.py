"""The fault-injecting proxy (tests/support/fault_proxy.py) between the modules and scim2-server:
a create whose answer is lost is looked up, not repeated; a PATCH is sent once and, when its
answer is lost, read back and reported truthfully (done: changed; not done: failed, unchanged);
a throttled read is retried. Counts come from the server's own request log."""

import pytest

import fault_proxy as fp


@pytest.fixture
def proxy(scim_server, admin):
    with fp.FaultProxy(scim_server.url, lifetime=120) as found:
        yield found


def test_lost_create_answer_is_looked_up_not_repeated(run_module, proxy, admin):
    proxy.fault('POST', r'^/v2/Users$', fp.drop_after())
    run = run_module('identity_user', api_url=proxy.url, name='lost', email='lost@example.com')
    assert run.get('failed') is not True, run.result
    assert [u['userName'] for u in admin.users()] == ['lost']
    assert [(e.method, e.path) for e in run.writes] == [('POST', '/v2/Users')]
    assert any('exists now; taken as created' in str(w) for w in run.get('warnings') or []), run.result
    again = run_module('identity_user', api_url=proxy.url, name='lost', email='lost@example.com')
    assert again['changed'] is False and again.writes == []


def test_lost_patch_answer_is_sent_once_and_read_back(run_module, proxy, admin):
    admin.make_user('ann')
    group = admin.make_group('ops')
    proxy.fault('PATCH', r'^/v2/Groups/', fp.drop_after())
    run = run_module('identity_group', api_url=proxy.url, name='ops', users=['ann'])
    assert run.get('failed') is not True, run.result
    assert run['changed'] is True
    assert [(e.method, e.path) for e in run.writes] == [('PATCH', '/v2/Groups/%s' % group['id'])]   # once
    assert any('was lost' in str(w) and 'read back: it was done' in str(w) for w in run.get('warnings') or []), run.result
    assert admin.members('ops') == ['ann']
    again = run_module('identity_group', api_url=proxy.url, name='ops', users=['ann'])
    assert again['changed'] is False and again.writes == []


def test_a_patch_the_server_never_got_fails_unchanged(run_module, proxy, admin):
    jo = admin.make_user('jo')
    proxy.fault('PATCH', r'^/v2/Users/', fp.status(502), count=None)
    run = run_module('identity_role_assignment', api_url=proxy.url, user='jo', role='auditor')
    assert run.get('failed') is True and run['changed'] is False, run.result
    assert 'PATCH /v2/Users/%s failed: HTTP 502' % jo['id'] in run['msg']
    assert len(proxy.fired()) == 1                   # not retried: a PATCH is sent once
    assert run.writes == [] and admin.user('jo').get('roles') is None


def test_throttled_read_is_retried(run_module, proxy, admin):
    admin.make_user('ann')
    proxy.fault('GET', r'^/v2/Users$', fp.status(429, retry_after=1))
    run = run_module('identity_user_info', api_url=proxy.url)
    assert run.get('failed') is not True, run.result
    assert [u['name'] for u in run['users']] == ['ann']
    assert len(proxy.fired()) == 1 and proxy.fired()[0].sent == 429
