"""Authress: identity_group ``users_state: absent`` and identity_user ``groups_state: absent``
remove only the named memberships (one PUT per group); ``on_missing`` fail / warn / ignore for a
member that does not exist. State read back from the emulator's dump."""

import pytest

from authress_fixtures import access_key, authress_env, emulator, emulator_server, run_module, service_key  # noqa: F401 pylint: disable=unused-import


def puts(run):
    return [(w['method'], w['path']) for w in run.writes]


def warnings(run):
    return ' '.join(w['event']['msg'] if isinstance(w, dict) else w for w in run.get('warnings') or [])


def members(emulator, group_id):
    return sorted(u['userId'] for u in emulator.dump()['groups'][group_id]['users'])


@pytest.fixture
def seeded(emulator):
    emulator.seed({'users': [{'userId': u} for u in ('u_ann', 'u_bob', 'u_cid', 'u_dee')]})
    emulator.seed({'groups': [
        {'groupId': 'grp_ops', 'name': 'Ops', 'users': [{'userId': u} for u in ('u_ann', 'u_bob', 'u_cid')], 'admins': []},
        {'groupId': 'grp_dev', 'name': 'Dev', 'users': [{'userId': 'u_ann'}], 'admins': []},
        {'groupId': 'grp_web', 'name': 'Web', 'users': [{'userId': 'u_ann'}], 'admins': []}]})
    return emulator


def test_users_state_absent_removes_only_the_named_members(run_module, seeded):
    args = dict(name='Ops', users=['u_bob', 'u_cid', 'u_dee'], users_state='absent')
    check = run_module('identity_group', _check=True, _diff=True, **args)
    assert check['changed'] is True and check.writes == [] and members(seeded, 'grp_ops') == ['u_ann', 'u_bob', 'u_cid']
    assert check['diff'] == {'before': {'users': ['u_ann', 'u_bob', 'u_cid']}, 'after': {'users': ['u_ann']}}
    done = run_module('identity_group', _diff=True, **args)
    assert puts(done) == [('PUT', '/v1/groups/grp_ops')] and members(seeded, 'grp_ops') == ['u_ann']
    again = run_module('identity_group', **args)
    assert again['changed'] is False and again.writes == [] and members(seeded, 'grp_ops') == ['u_ann']
    refused = run_module('identity_group', purge_users=True, **args)
    assert 'users_state=absent' in refused['msg'] and refused.entries == []


def test_groups_state_absent_leaves_only_the_named_groups(run_module, seeded):
    args = dict(name='u_ann', groups=['Ops', 'grp_dev'], groups_state='absent')
    check = run_module('identity_user', _check=True, **args)
    assert check['changed'] is True and check.writes == [] and members(seeded, 'grp_dev') == ['u_ann']
    done = run_module('identity_user', **args)
    assert sorted(puts(done)) == [('PUT', '/v1/groups/grp_dev'), ('PUT', '/v1/groups/grp_ops')]
    assert [members(seeded, g) for g in ('grp_ops', 'grp_dev', 'grp_web')] == [['u_bob', 'u_cid'], [], ['u_ann']]
    again = run_module('identity_user', **args)
    assert again['changed'] is False and again.writes == []


def test_a_missing_member_to_remove_warns_under_fail_and_the_rerun_writes_nothing(run_module, seeded):
    """A removal never fails on a member that does not exist (absent already): the default
    on_missing=fail warns, the rest is applied, and the rerun writes nothing."""
    run = run_module('identity_group', name='Ops', users=['u_bob', 'u_ghost'], users_state='absent')
    assert run.get('failed') is not True and run['changed'] is True
    assert members(seeded, 'grp_ops') == ['u_ann', 'u_cid']
    assert 'nothing to remove from users' in warnings(run) and "'u_ghost'" in warnings(run), warnings(run)
    again = run_module('identity_group', name='Ops', users=['u_bob', 'u_ghost'], users_state='absent')
    assert again['changed'] is False and again.writes == []


def test_on_missing_fail_writes_nothing(run_module, seeded):
    run = run_module('identity_group', name='Ops', users=['u_dee', 'u_bob', 'u_ghost'])
    assert run.get('failed') is True and "'u_ghost' not found" in run['msg'], run['msg']
    assert run.writes == [] and members(seeded, 'grp_ops') == ['u_ann', 'u_bob', 'u_cid']
    user = run_module('identity_user', name='u_dee', groups=['Dev', 'Nogroup'])
    assert user.get('failed') is True and user.writes == [] and members(seeded, 'grp_dev') == ['u_ann']


@pytest.mark.parametrize('on_missing', ['warn', 'ignore'])
def test_on_missing_warn_or_ignore_applies_the_existing_ones(run_module, seeded, on_missing):
    added = run_module('identity_group', name='Ops', users=['u_dee', 'u_ghost'], on_missing=on_missing)
    assert puts(added) == [('PUT', '/v1/groups/grp_ops')]
    assert members(seeded, 'grp_ops') == ['u_ann', 'u_bob', 'u_cid', 'u_dee']
    assert ("'u_ghost' not found" in warnings(added)) is (on_missing == 'warn'), warnings(added)
    removed = run_module('identity_group', name='Ops', users=['u_ann', 'u_ghost'], users_state='absent',
                         on_missing=on_missing)
    assert members(seeded, 'grp_ops') == ['u_bob', 'u_cid', 'u_dee']
    assert ('u_ghost' in warnings(removed)) is (on_missing == 'warn')
    user = run_module('identity_user', name='u_dee', groups=['Dev', 'Nogroup'], on_missing=on_missing)
    assert puts(user) == [('PUT', '/v1/groups/grp_dev')] and members(seeded, 'grp_dev') == ['u_ann', 'u_dee']
    assert ("'Nogroup' not found" in warnings(user)) is (on_missing == 'warn')
    again = run_module('identity_user', name='u_dee', groups=['Dev', 'Nogroup'], on_missing=on_missing)
    assert again['changed'] is False and again.writes == []
