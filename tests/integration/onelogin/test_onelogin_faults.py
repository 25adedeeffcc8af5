"""The fault-injecting proxy in front of the OneLogin emulator: the faults Keystone gets
(tests/support/saas_faults.py, issue 8)."""

import pytest

import fault_proxy as fp
import saas_faults


def test_lost_create_answer_is_not_duplicated(run_module, proxy, onelogin, state):
    saas_faults.lost_create_answer(
        run_module, proxy, onelogin, r'^/api/2/users$', 'identity_user',
        dict(api_url=proxy.url, name='lost', email='lost@example.com'),
        lambda: len([u for u in state.dump()['users'] if u['username'] == 'lost']))


def test_throttled_read_is_retried(run_module, proxy):
    saas_faults.throttled_read_is_retried(run_module, proxy, r'^/api/2/users$', 'identity_user_info',
                                          dict(api_url=proxy.url, name='nobody'))


def test_html_page_to_a_listing(run_module, proxy):
    saas_faults.html_page_to_a_listing(run_module, proxy, r'^/api/2/users$', 'identity_user_info',
                                       dict(api_url=proxy.url))


# ---- a write whose answer was lost is read back, never resent (issue 19) -------------------------------
LOST = {'dropped': (fp.drop_after, {}), 'slower than timeout': (lambda: fp.slow_answer(4), {'timeout': 1.5})}


def _lost(proxy, method, path, how):
    action, extra = LOST[how]
    proxy.fault(method, path, action())
    return extra


def _sent(onelogin, mark, method, path):
    return [e for e in onelogin.entries(mark) if (e['method'], e['path']) == (method, path)]


@pytest.mark.parametrize('how', sorted(LOST))
def test_lost_answer_to_add_and_remove_roles_is_read_back(run_module, proxy, onelogin, state, how):
    """The client used to resend: the second add_roles was refused "already included" and the task
    failed with changed false though the role was granted."""
    state.seed(roles=[{'name': 'Staff'}], users=[{'username': 'ann', 'email': 'ann@example.com'}])
    path = '/api/1/users/%d/add_roles' % state.user('ann')['id']
    extra = _lost(proxy, 'PUT', '^%s$' % path, how)
    mark = onelogin.mark()
    granted = run_module('identity_role_assignment', api_url=proxy.url, user='ann', role='Staff', **extra)
    assert granted.get('failed') is not True, granted.get('msg')
    assert granted['changed'] is True and state.role_names('ann') == ['Staff']
    assert len(_sent(onelogin, mark, 'PUT', path)) == 1                      # sent once, never again
    assert any('read back: it was done' in str(w) for w in granted.get('warnings') or []), granted.result
    assert run_module('identity_role_assignment', user='ann', role='Staff').writes == []

    path = path.replace('add_roles', 'remove_roles')
    extra = _lost(proxy, 'PUT', '^%s$' % path, how)
    mark = onelogin.mark()
    removed = run_module('identity_role_assignment', api_url=proxy.url, user='ann', role='Staff', state='absent', **extra)
    assert removed.get('failed') is not True, removed.get('msg')
    assert removed['changed'] is True and state.role_names('ann') == []
    assert len(_sent(onelogin, mark, 'PUT', path)) == 1


@pytest.mark.parametrize('how', sorted(LOST))
def test_lost_answer_to_set_state_and_delete_is_read_back(run_module, proxy, onelogin, state, how):
    state.seed(users=[{'username': 'leaver', 'email': 'leaver@example.com'}])
    user_id = state.user('leaver')['id']
    path = '/api/1/users/%d/set_state' % user_id
    extra = _lost(proxy, 'PUT', '^%s$' % path, how)
    mark = onelogin.mark()
    rejected = run_module('identity_user', api_url=proxy.url, name='leaver', user_state='rejected', **extra)
    assert rejected.get('failed') is not True, rejected.get('msg')
    assert rejected['changed'] is True and state.user('leaver')['state'] == 2
    assert len(_sent(onelogin, mark, 'PUT', path)) == 1
    assert run_module('identity_user', name='leaver', user_state='rejected').writes == []

    path = '/api/2/users/%d' % user_id
    extra = _lost(proxy, 'DELETE', '^%s$' % path, how)
    mark = onelogin.mark()
    gone = run_module('identity_user', api_url=proxy.url, name='leaver', state='absent', **extra)
    assert gone.get('failed') is not True, gone.get('msg')
    assert gone['changed'] is True and state.user('leaver') is None
    assert len(_sent(onelogin, mark, 'DELETE', path)) == 1
    again = run_module('identity_user', name='leaver', state='absent')
    assert again['changed'] is False and again.writes == []


def test_a_5xx_to_add_roles_found_not_done_fails_with_changed_false(run_module, proxy, onelogin, state):
    """A 502 the gateway answered without passing the request on: not resent; read back, the role
    is not there, so the task fails and says nothing changed (which is true)."""
    state.seed(roles=[{'name': 'Staff'}], users=[{'username': 'bob', 'email': 'bob@example.com'}])
    path = '/api/1/users/%d/add_roles' % state.user('bob')['id']
    proxy.fault('PUT', '^%s$' % path, fp.status(502), count=None)
    mark = onelogin.mark()
    failed = run_module('identity_role_assignment', api_url=proxy.url, user='bob', role='Staff')
    msg = saas_faults.one_line_failure(failed)
    assert 'HTTP 502' in msg and failed['changed'] is False, failed.result
    assert state.role_names('bob') == [] and onelogin.writes(mark) == []
    assert len([e for e in proxy.fired() if e.path == path]) == 1          # sent once


CREATE_FAULTS = {'a 502': lambda: fp.status(502), 'a dropped connection': fp.drop_before, 'an HTML page': fp.html}


@pytest.mark.parametrize('fault', sorted(CREATE_FAULTS))
def test_create_that_did_not_happen_says_changed_false(run_module, proxy, onelogin, state, fault):
    """The create's answer was a 5xx, a dropped connection or a proxy's HTML page, and the request
    never reached the emulator: the lookup finds nothing, so the task fails with changed false."""
    proxy.fault('POST', r'^/api/2/users$', CREATE_FAULTS[fault]())
    mark = onelogin.mark()
    failed = run_module('identity_user', api_url=proxy.url, name='never', email='never@example.com')
    saas_faults.one_line_failure(failed)
    assert failed['changed'] is False, failed.result
    assert state.user('never') is None and onelogin.writes(mark) == []
    assert len([e for e in proxy.fired() if e.method == 'POST']) == 1      # a create is never resent
