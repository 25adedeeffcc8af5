"""OneLogin: a user holds one group (``group_id``). identity_user ``groups_state: absent`` clears it
only when it is the named group; ``on_missing`` fail / warn / ignore for a group that does not
exist (left out, it replaces nothing). identity_group is refused (groups are read-only), whatever
its options. State read back from the emulator."""

import pytest

TOKEN = ('POST', '/auth/oauth2/v2/token')


def calls(run):
    return [(e['method'], e['path']) for e in run.entries]


def warnings(run):
    return ' '.join(w['event']['msg'] if isinstance(w, dict) else w for w in run.get('warnings') or [])


@pytest.fixture
def groups(state):
    state.seed(groups=[{'name': 'Payroll'}, {'name': 'Sales'}])
    found = dict((g['name'], g['id']) for g in state.dump()['groups'])
    state.seed(users=[{'username': 'mover', 'email': 'm@example.com', 'group_id': found['Payroll']}])
    return found


def test_groups_state_absent_clears_the_group_only_when_it_is_the_named_one(run_module, state, groups):
    other = run_module('identity_user', _diff=True, name='mover', groups=['Sales'], groups_state='absent')
    assert other['changed'] is False and other.writes == [] and state.user('mover')['group_id'] == groups['Payroll']
    assert calls(other) == [TOKEN, ('GET', '/api/2/users'), ('GET', '/api/1/groups')]
    args = dict(name='mover', groups=['Payroll'], groups_state='absent')
    check = run_module('identity_user', _check=True, _diff=True, **args)
    assert check['changed'] is True and check.writes == [] and state.user('mover')['group_id'] == groups['Payroll']
    assert check['diff'] == {'before': {'groups': ['Payroll']}, 'after': {'groups': []}}
    done = run_module('identity_user', _diff=True, **args)
    assert done['changed'] is True and state.user('mover')['group_id'] is None
    assert [(e['method'], e['path']) for e in done.writes] == [('PUT', '/api/2/users/%s' % state.user('mover')['id'])]
    again = run_module('identity_user', **args)
    assert again['changed'] is False and again.writes == []
    refused = run_module('identity_user', purge_groups=True, **args)
    assert 'groups_state=absent' in refused['msg'] and refused.entries == []


def test_on_missing_fail_writes_nothing(run_module, state, groups):
    run = run_module('identity_user', name='mover', groups=['Nope'])
    assert run.get('failed') is True and "group 'Nope' not found" in run['msg']
    assert run.writes == [] and state.user('mover')['group_id'] == groups['Payroll']


def test_a_missing_group_to_leave_warns_under_fail_and_writes_nothing(run_module, state, groups):
    """Leaving a group that does not exist: the user is in it no more than before - no failure
    under the default on_missing=fail, a warning, no write; its own group stays."""
    run = run_module('identity_user', name='mover', groups=['Nope'], groups_state='absent')
    assert run.get('failed') is not True and run['changed'] is False and run.writes == []
    assert state.user('mover')['group_id'] == groups['Payroll']
    assert 'nothing to remove from groups' in warnings(run) and "'Nope'" in warnings(run), warnings(run)


@pytest.mark.parametrize('on_missing', ['warn', 'ignore'])
def test_on_missing_warn_or_ignore_leaves_the_group_out(run_module, state, groups, on_missing):
    kept = run_module('identity_user', name='mover', groups=['Nope'], on_missing=on_missing)
    assert kept['changed'] is False and kept.writes == [] and state.user('mover')['group_id'] == groups['Payroll']
    assert ("group 'Nope' not found" in warnings(kept)) is (on_missing == 'warn'), warnings(kept)
    new = run_module('identity_user', name='joiner', email='j@example.com', groups=['Nope'], on_missing=on_missing)
    assert new['changed'] is True and state.user('joiner')['group_id'] is None
    assert [e['method'] for e in new.writes] == ['POST']
    moved = run_module('identity_user', name='joiner', groups=['Sales'], on_missing=on_missing)
    assert moved['changed'] is True and state.user('joiner')['group_id'] == groups['Sales']
    again = run_module('identity_user', name='joiner', groups=['Sales'], on_missing=on_missing)
    assert again['changed'] is False and again.writes == []


def test_identity_group_is_refused_with_the_new_options_too(run_module, state):
    result = run_module('identity_group', name='g', users=['x'], users_state='absent', on_missing='warn')
    assert result['failed'] is True and result.entries == []
    assert result['msg'] == 'onelogin does not support identity_group (groups are read-only in the OneLogin API)'
