"""The fault-injecting proxy in front of the Posit Connect emulator: the faults Keystone gets
(tests/support/saas_faults.py, issue 8)."""

import re

import pytest

import fault_proxy as fp
import saas_faults


def test_lost_create_answer_is_not_duplicated(run_module, proxy, emu):
    saas_faults.lost_create_answer(
        run_module, proxy, emu, r'^/__api__/v1/users$', 'identity_user',
        dict(api_url=proxy.url, name='lost', email='lost@example.com', user_must_set_password=True),
        lambda: len([u for u in emu.dump()['users'] if u['username'] == 'lost']))


def test_throttled_read_is_retried(run_module, proxy):
    saas_faults.throttled_read_is_retried(run_module, proxy, r'^/__api__/v1/users$', 'identity_user_info',
                                          dict(api_url=proxy.url))


def test_html_page_to_a_listing(run_module, proxy):
    saas_faults.html_page_to_a_listing(run_module, proxy, r'^/__api__/v1/users$', 'identity_user_info',
                                       dict(api_url=proxy.url))


# ---- every Connect write, its answer lost (issue 19) -------------------------------------------
# Each scenario: what the emulator holds first, the module and its arguments, the write whose answer
# the proxy loses (method, path regex), how many times that write reaches Connect (1: a POST or a
# DELETE, sent once and read back; 2: a PUT, which the client resends - harmless, it sets fields),
# and what the emulator must hold after (read back with dump()).
def _team(emu):
    return emu.seed({'users': [{'username': 'ann', 'email': 'ann@x'}, {'username': 'bob', 'email': 'bob@x'}],
                     'groups': [{'name': 'Data', 'members': ['ann']}]})


def _locked(emu, name, value=True):
    return emu.seed({'users': [{'username': name, 'email': name + '@x', 'locked': value}]})


LOST = {
    'user create, then its lock': (
        lambda emu: None, 'identity_user', dict(name='new', email='new@x', locked=True),
        ('POST', r'^/__api__/v1/users$'), 1,
        lambda st: st.user('new')['locked'] is True and st.count_users('new') == 1),
    'user update': (
        _team, 'identity_user', dict(name='ann', email='ann@new', first_name='Ann'),
        ('PUT', r'^/__api__/v1/users/[^/]+$'), 2,
        lambda st: (st.user('ann')['email'], st.user('ann')['first_name']) == ('ann@new', 'Ann')),
    'role change': (
        _team, 'identity_role_assignment', dict(user='ann', role='publisher'),
        ('PUT', r'^/__api__/v1/users/[^/]+$'), 2,
        lambda st: st.user('ann')['user_role'] == 'publisher'),
    'lock': (
        _team, 'identity_user', dict(name='bob', locked=True),
        ('POST', r'^/__api__/v1/users/[^/]+/lock$'), 1,
        lambda st: st.user('bob')['locked'] is True),
    'unlock': (
        lambda emu: _locked(emu, 'cat'), 'identity_user', dict(name='cat', enabled=True),
        ('POST', r'^/__api__/v1/users/[^/]+/lock$'), 1,
        lambda st: st.user('cat')['locked'] is False),
    'group create': (
        lambda emu: None, 'identity_group', dict(name='Ops'),
        ('POST', r'^/__api__/v1/groups$'), 1,
        lambda st: len([g for g in st.emu.dump()['groups'] if g['name'] == 'Ops']) == 1),
    'group rename': (
        _team, 'identity_group', dict(name='Data', new_name='Science'),
        ('POST', r'^/__api__/v1/groups/[^/]+$'), 1,
        lambda st: st.group('Data') is None and st.members('Science') == ['ann']),
    'group delete': (
        _team, 'identity_group', dict(name='Data', state='absent'),
        ('DELETE', r'^/__api__/v1/groups/[^/]+$'), 1,
        lambda st: st.emu.dump()['groups'] == []),
    'member add': (
        _team, 'identity_group', dict(name='Data', users=['ann', 'bob']),
        ('POST', r'^/__api__/v1/groups/[^/]+/members$'), 1,
        lambda st: st.members('Data') == ['ann', 'bob'] and len(st.group('Data')['members']) == 2),
    'member remove': (
        _team, 'identity_group', dict(name='Data', users=[], purge_users=True),
        ('DELETE', r'^/__api__/v1/groups/[^/]+/members/[^/]+$'), 1,
        lambda st: st.members('Data') == []),
}


@pytest.mark.parametrize('case', sorted(LOST))
def test_a_write_whose_answer_is_lost_is_read_back_and_reported_done(case, run_module, proxy, emu, state):
    seed, module, args, (method, path), sent, holds = LOST[case]
    seed(emu)
    args = dict(args, api_url=proxy.url)
    check = run_module(module, _check=True, **args)
    assert check['changed'] is True and check.writes == [], check.result

    proxy.fault(method, path, fp.drop_after())
    run = run_module(module, **args)
    assert run.get('failed') is not True, run.get('msg')
    assert run['changed'] is True
    assert len(proxy.fired()) == 1 and proxy.fired()[0].forwarded and proxy.fired()[0].sent is None
    hits = [e for e in run.writes if e['method'] == method and re.search(path, e['path'])]
    assert len(hits) == sent, run.writes
    assert holds(state), emu.dump()
    if sent == 1:   # sent once: read back (a create: looked up), and said so
        said = 'exists now; taken as created' if 'create' in case else 'read back: it was done'
        assert any(said in str(w) for w in run.get('warnings') or []), run.result

    again = run_module(module, **args)
    assert again['changed'] is False and again.writes == [], again.result


def test_a_lock_slower_than_the_timeout_is_read_back(run_module, proxy, emu, state):
    _team(emu)
    proxy.fault('POST', r'/lock$', fp.slow_answer(4))
    run = run_module('identity_user', api_url=proxy.url, timeout=1.5, name='bob', locked=True)
    assert run.get('failed') is not True and run['changed'] is True, run.result
    assert [e['method'] for e in run.writes] == ['POST'] and state.user('bob')['locked'] is True
    assert any('within' in str(w) and 'read back: it was done' in str(w) for w in run['warnings']), run['warnings']


@pytest.mark.parametrize('action', ['status500', 'drop_before', 'html'])
def test_a_create_not_done_is_reported_failed_and_unchanged(action, run_module, proxy, emu, state):
    """The create answered 500 (not forwarded), its connection dropped before Connect saw it, or a
    proxy's HTML page answered it: the lookup finds nothing, so nothing changed."""
    made = {'status500': lambda: fp.status(500), 'drop_before': fp.drop_before, 'html': fp.html}[action]()
    proxy.fault('POST', r'^/__api__/v1/users$', made)
    run = run_module('identity_user', api_url=proxy.url, name='ghost', email='ghost@x')
    msg = saas_faults.one_line_failure(run)
    assert 'POST /__api__/v1/users' in msg, msg
    assert state.user('ghost') is None and run.writes == []
    # looked up once (the prefix search) after the unknown outcome, never resent
    assert [e['path'] for e in run.entries].count('/__api__/v1/users') == 2
    assert len(proxy.fired()) == 1
    assert run['changed'] is False, run.result
    again = run_module('identity_user', api_url=proxy.url, name='ghost', email='ghost@x')
    assert again['changed'] is True and state.user('ghost') is not None


def test_a_create_slower_than_the_timeout_is_looked_up_and_taken_as_created(run_module, proxy, emu, state):
    proxy.fault('POST', r'^/__api__/v1/users$', fp.slow_answer(4))
    run = run_module('identity_user', api_url=proxy.url, timeout=1.5, name='slow', email='slow@x')
    assert run.get('failed') is not True and run['changed'] is True, run.result
    assert [e['method'] for e in run.writes] == ['POST'] and state.count_users('slow') == 1
    assert any('exists now; taken as created' in str(w) for w in run['warnings']), run['warnings']
    again = run_module('identity_user', name='slow', email='slow@x')
    assert again['changed'] is False and again.writes == []


@pytest.mark.parametrize('case', ['lock', 'member add', 'group rename'])
def test_a_write_dropped_before_connect_saw_it_is_read_back_and_reported_unchanged(case, run_module, proxy, emu, state):
    """The connection dropped before the request reached Connect: the read-back finds it not
    done, so the task fails with changed false, one clear line, and Connect holds what it held."""
    seed, module, args, (method, path), _sent, _holds = LOST[case]
    seed(emu)
    before = emu.dump()
    proxy.fault(method, path, fp.drop_before())
    run = run_module(module, api_url=proxy.url, **args)
    msg = saas_faults.one_line_failure(run)
    assert 'dropped' in msg, msg
    assert run['changed'] is False and run.writes == [], run.result
    assert len(proxy.fired()) == 1 and not proxy.fired()[0].forwarded

    def held(dump):   # every field but active_time (each authenticated request moves it)
        return [dict(u, active_time=None) for u in dump['users']], dump['groups']
    assert held(emu.dump()) == held(before)
