"""Posit Connect: identity_group ``users_state: absent`` and identity_user ``groups_state:
absent`` remove only the named memberships (one ``DELETE .../members/{user_guid}`` each);
``on_missing`` fail / warn / ignore for a member that does not exist. State read back from the
emulator's dump."""

import pytest


def methods(run):
    return [r['method'] for r in run.writes]


def warnings(run):
    return ' '.join(w['event']['msg'] if isinstance(w, dict) else w for w in run.get('warnings') or [])


@pytest.fixture
def seeded(emu):
    emu.seed({'users': [dict(username=n, email='%s@x' % n) for n in ('ann', 'bob', 'cat', 'dan')],
              'groups': [{'name': 'Data', 'members': ['ann', 'bob', 'cat']}, {'name': 'Ops', 'members': ['ann']},
                         {'name': 'Web', 'members': ['ann']}]})


def test_users_state_absent_removes_only_the_named_members(run_module, state, seeded):
    args = dict(name='Data', users=['bob', 'cat', 'dan'], users_state='absent')
    check = run_module('identity_group', _check=True, _diff=True, **args)
    assert check['changed'] is True and check.writes == [] and state.members('Data') == ['ann', 'bob', 'cat']
    assert check['diff'] == {'before': {'users': ['ann', 'bob', 'cat']}, 'after': {'users': ['ann']}}
    done = run_module('identity_group', _diff=True, **args)
    assert methods(done) == ['DELETE', 'DELETE'] and state.members('Data') == ['ann']
    assert done['diff'] == check['diff']
    again = run_module('identity_group', **args)
    assert again['changed'] is False and again.writes == [] and state.members('Data') == ['ann']
    refused = run_module('identity_group', purge_users=True, **args)
    assert 'users_state=absent' in refused['msg'] and refused.entries == []


def test_groups_state_absent_leaves_only_the_named_groups(run_module, state, seeded):
    args = dict(name='ann', groups=['Data', 'Ops'], groups_state='absent')
    check = run_module('identity_user', _check=True, **args)
    assert check['changed'] is True and check.writes == [] and state.members('Ops') == ['ann']
    done = run_module('identity_user', **args)
    assert methods(done) == ['DELETE', 'DELETE']
    assert (state.members('Data'), state.members('Ops'), state.members('Web')) == (['bob', 'cat'], [], ['ann'])
    again = run_module('identity_user', **args)
    assert again['changed'] is False and again.writes == []


def test_a_missing_member_to_remove_warns_under_fail_and_the_rerun_writes_nothing(run_module, state, seeded):
    """A removal never fails on a member that does not exist (absent already): the default
    on_missing=fail warns, the rest is applied, and the rerun writes nothing."""
    run = run_module('identity_group', name='Data', users=['bob', 'ghost'], users_state='absent')
    assert run.get('failed') is not True and run['changed'] is True and state.members('Data') == ['ann', 'cat']
    assert 'nothing to remove from users' in warnings(run) and "'ghost'" in warnings(run), warnings(run)
    again = run_module('identity_group', name='Data', users=['bob', 'ghost'], users_state='absent')
    assert again['changed'] is False and again.writes == []


def test_on_missing_fail_writes_nothing(run_module, state, seeded):
    run = run_module('identity_group', name='Data', users=['dan', 'bob', 'ghost'])
    assert run.get('failed') is True and "'ghost' not found" in run['msg']
    assert run.writes == [] and state.members('Data') == ['ann', 'bob', 'cat']
    user = run_module('identity_user', name='dan', groups=['Ops', 'Nogroup'])
    assert user.get('failed') is True and user.writes == [] and state.members('Ops') == ['ann']


@pytest.mark.parametrize('on_missing', ['warn', 'ignore'])
def test_on_missing_warn_or_ignore_applies_the_existing_ones(run_module, state, seeded, on_missing):
    added = run_module('identity_group', name='Data', users=['dan', 'ghost'], on_missing=on_missing)
    assert methods(added) == ['POST'] and state.members('Data') == ['ann', 'bob', 'cat', 'dan']
    assert ("'ghost' not found" in warnings(added)) is (on_missing == 'warn'), warnings(added)
    removed = run_module('identity_group', name='Data', users=['ann', 'ghost'], users_state='absent',
                         on_missing=on_missing)
    assert methods(removed) == ['DELETE'] and state.members('Data') == ['bob', 'cat', 'dan']
    assert ('ghost' in warnings(removed)) is (on_missing == 'warn')
    user = run_module('identity_user', name='dan', groups=['Ops', 'Nogroup'], on_missing=on_missing)
    assert methods(user) == ['POST'] and state.members('Ops') == ['ann', 'dan']
    assert ("'Nogroup' not found" in warnings(user)) is (on_missing == 'warn')
    again = run_module('identity_user', name='dan', groups=['Ops', 'Nogroup'], on_missing=on_missing)
    assert again['changed'] is False and again.writes == []
