"""SCIM: identity_group ``users_state: absent`` and identity_user ``groups_state: absent`` remove
only the named memberships (one PATCH ``remove members[value eq "id"]`` per group); ``on_missing``
fail / warn / ignore for a member that does not exist. State read back with plain requests."""

import pytest


def writes(run):
    return [(e.method, e.path) for e in run.writes]


def warnings(run):
    return ' '.join(w['event']['msg'] if isinstance(w, dict) else w for w in run.get('warnings') or [])


@pytest.fixture
def ops(admin):
    ann, bob, cat = (admin.make_user(n) for n in ('ann', 'bob', 'cat'))
    admin.make_user('dan')
    return admin.make_group('ops', members=[ann, bob, cat])


def test_users_state_absent_removes_only_the_named_members(run_module, admin, ops):
    args = dict(name='ops', users=['bob', 'cat', 'dan'], users_state='absent')
    check = run_module('identity_group', _check=True, _diff=True, **args)
    assert check['changed'] is True and check.writes == [] and admin.members('ops') == ['ann', 'bob', 'cat']
    assert check['diff'] == {'before': {'users': ['ann', 'bob', 'cat']}, 'after': {'users': ['ann']}}
    done = run_module('identity_group', _diff=True, **args)
    assert writes(done) == [('PATCH', '/v2/Groups/%s' % ops['id'])]
    assert admin.members('ops') == ['ann'] and done['diff'] == check['diff']
    again = run_module('identity_group', **args)
    assert again['changed'] is False and again.writes == [] and admin.members('ops') == ['ann']
    refused = run_module('identity_group', purge_users=True, **args)
    assert 'users_state=absent' in refused['msg'] and refused.entries == []


def test_groups_state_absent_leaves_only_the_named_groups(run_module, admin):
    jo = admin.make_user('jo')
    for name in ('a', 'b', 'c'):
        admin.make_group(name, members=[jo])
    args = dict(name='jo', groups=['a', 'b'], groups_state='absent')
    check = run_module('identity_user', _check=True, **args)
    assert check['changed'] is True and check.writes == [] and admin.members('a') == ['jo']
    done = run_module('identity_user', **args)
    assert sorted(writes(done)) == sorted(('PATCH', '/v2/Groups/%s' % admin.group(n)['id']) for n in ('a', 'b'))
    assert (admin.members('a'), admin.members('b'), admin.members('c')) == ([], [], ['jo'])
    again = run_module('identity_user', **args)
    assert again['changed'] is False and again.writes == []


def test_on_missing_fail_writes_nothing(run_module, admin, ops):
    run = run_module('identity_group', name='ops', users=['dan', 'bob', 'ghost'])
    assert run.get('failed') is True and "user 'ghost' not found" in run['msg']
    assert run.writes == [] and admin.members('ops') == ['ann', 'bob', 'cat']


def test_a_missing_member_to_remove_warns_under_fail_and_the_rerun_writes_nothing(run_module, admin, ops):
    """A removal never fails on a member that does not exist (absent already): the default
    on_missing=fail warns, the rest is applied, and the rerun writes nothing."""
    run = run_module('identity_group', name='ops', users=['bob', 'ghost'], users_state='absent')
    assert run.get('failed') is not True and run['changed'] is True and admin.members('ops') == ['ann', 'cat']
    assert 'nothing to remove from users' in warnings(run) and "'ghost'" in warnings(run), warnings(run)
    again = run_module('identity_group', name='ops', users=['bob', 'ghost'], users_state='absent')
    assert again['changed'] is False and again.writes == []


@pytest.mark.parametrize('on_missing', ['warn', 'ignore'])
def test_on_missing_warn_or_ignore_applies_the_existing_ones(run_module, admin, ops, on_missing):
    added = run_module('identity_group', name='ops', users=['dan', 'ghost'], on_missing=on_missing)
    assert added['changed'] is True and admin.members('ops') == ['ann', 'bob', 'cat', 'dan']
    assert ("user 'ghost' not found" in warnings(added)) is (on_missing == 'warn')
    removed = run_module('identity_group', name='ops', users=['ann', 'ghost'], users_state='absent',
                         on_missing=on_missing)
    assert writes(removed) == [('PATCH', '/v2/Groups/%s' % ops['id'])]
    assert admin.members('ops') == ['bob', 'cat', 'dan']
    assert ('ghost' in warnings(removed)) is (on_missing == 'warn')
    user = run_module('identity_user', name='ann', groups=['ops', 'nogroup'], on_missing=on_missing)
    assert user['changed'] is True and admin.members('ops') == ['ann', 'bob', 'cat', 'dan']
    assert ("group 'nogroup' not found" in warnings(user)) is (on_missing == 'warn')
    again = run_module('identity_user', name='ann', groups=['ops', 'nogroup'], on_missing=on_missing)
    assert again['changed'] is False and again.writes == []


def test_user_groups_on_missing_fail_writes_nothing(run_module, admin, ops):
    run = run_module('identity_user', name='dan', groups=['ops', 'nogroup'])
    assert run.get('failed') is True and "group 'nogroup' not found" in run['msg']
    assert run.writes == [] and admin.members('ops') == ['ann', 'bob', 'cat']
