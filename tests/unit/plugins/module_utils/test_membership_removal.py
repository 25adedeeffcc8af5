"""Removing named members (``users_state``/``groups_state: absent``) and ``on_missing`` in the
membership service (``_membership``): the plan logic, pure, then through both modules in-process
with the skeleton provider (``test_flat_provider``)."""

import pytest

from ansible.module_utils.common import warnings as ansible_warnings

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils import _membership

# flat: the skeleton provider's fixture, used by name
from test_flat_provider import SPEC, flat, run  # noqa: F401  # pylint: disable=unused-import
from ansible_collections.iamops.identity.plugins.module_utils.providers._spec import Capability

A, B, C = ({'id': i, 'name': i.upper(), 'domain_id': None} for i in 'abc')


def warnings(result):
    return [w['event']['msg'] if isinstance(w, dict) else w for w in result.get('warnings', ())]


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch):
    monkeypatch.setattr(ansible_warnings, '_global_warnings', {})


@pytest.fixture
def directory(flat, monkeypatch):  # noqa: F811
    """The flat provider with the new options, three users and a group holding ann and bob."""
    caps = dict(SPEC.capabilities)
    caps['identity_user'] = Capability(tuple(caps['identity_user'].options) + ('groups_state', 'on_missing'))
    caps['identity_group'] = Capability(tuple(caps['identity_group'].options) + ('users_state', 'on_missing'))
    monkeypatch.setattr(SPEC, 'capabilities', caps)
    for name in ('ann', 'bob', 'cat'):
        flat['users'][name] = {'id': 'u-' + name, 'name': name, 'domain_id': None}
    for name in ('ops', 'dev'):
        flat['groups'][name] = {'id': 'g-' + name, 'name': name, 'domain_id': None, 'description': None}
    flat['members'].update(ops={'ann', 'bob'}, dev={'ann'})
    return flat


# ---- the plan, pure --------------------------------------------------------------------------

def test_absent_removes_the_listed_current_ones_only_and_adds_nothing():
    assert _membership.plan([B, C], [A, B], purge=False, state='absent') == ([], [B], [A])
    assert _membership.plan([C], [A, B], purge=False, state='absent') == ([], [], [A, B])
    assert _membership.plan([B, B], [A, B], purge=False, state='absent') == ([], [B], [A])


def test_absent_never_removes_a_predicted_object():
    predicted = {'id': None, 'name': 'B', 'domain_id': None}
    assert _membership.plan([predicted], [A, B], purge=False, state='absent') == ([], [], [A, B])


@pytest.mark.parametrize('params, where', [
    (dict(users_state='absent', purge_users=True, groups=None), ''),
    (dict(users_state='present', purge_users=False,
          groups=[{'name': 'x'}, {'name': 'y', 'users_state': 'absent', 'purge_users': True}]), 'groups[1]: '),
    (dict(users_state='absent', purge_users=False, groups=[{'name': 'x', 'purge_users': True}]), 'groups[0]: '),
])
def test_absent_with_purge_is_refused_in_the_task_and_in_each_item(params, where):
    with pytest.raises(ConfigError) as err:
        _membership.refuse_absent_purge(params, _membership.GROUP_USERS, 'groups')
    assert str(err.value) == where + ('users_state=absent removes only the listed users and purge_users=true all '
                                      'the others: they do not go together')


def test_absent_at_top_level_with_purge_overridden_by_every_item_is_accepted():
    params = dict(groups_state='absent', purge_groups=True, users=[{'name': 'x', 'purge_groups': False}])
    _membership.refuse_absent_purge(params, _membership.USER_GROUPS, 'users')


# ---- through the modules ---------------------------------------------------------------------

def test_users_state_absent_removes_only_the_named_members(directory, capsys):
    args = dict(name='ops', users=['bob', 'cat'], users_state='absent')
    predicted = run(capsys, 'identity_group', _check=True, **args)
    assert predicted['changed'] is True and directory['writes'] == []
    assert predicted['diff'] == {'before': {'users': ['ann', 'bob']}, 'after': {'users': ['ann']}}
    done = run(capsys, 'identity_group', **args)
    assert done['changed'] is True and directory['writes'] == [('remove_member', 'ops', 'bob')]
    assert directory['members']['ops'] == {'ann'} and [m['name'] for m in done['members']] == ['ann']
    again = run(capsys, 'identity_group', **args)
    assert again['changed'] is False and len(directory['writes']) == 1


def test_groups_state_absent_leaves_only_the_named_groups(directory, capsys):
    result = run(capsys, 'identity_user', name='ann', groups=['ops'], groups_state='absent')
    assert result['changed'] is True and directory['writes'] == [('remove_member', 'ops', 'ann')]
    assert directory['members'] == {'ops': {'bob'}, 'dev': {'ann'}}
    assert run(capsys, 'identity_user', name='ann', groups=['ops'], groups_state='absent')['changed'] is False


def test_absent_with_purge_fails_before_any_request(directory, capsys):
    result = run(capsys, 'identity_group', name='ops', users=['bob'], users_state='absent', purge_users=True)
    assert result['failed'] is True and 'users_state=absent' in result['msg'] and directory['writes'] == []


def test_on_missing_fail_changes_nothing(directory, capsys):
    result = run(capsys, 'identity_group', name='ops', users=['cat', 'bob', 'ghost'])
    assert result['failed'] is True and "user 'ghost' not found" in result['msg']
    assert directory['writes'] == [] and directory['members']['ops'] == {'ann', 'bob'}


@pytest.mark.parametrize('on_missing, warned', [('fail', True), ('warn', True), ('ignore', False)])
def test_a_missing_member_to_remove_is_absent_already(directory, capsys, on_missing, warned):
    """A removal never fails on what does not exist (a leaver's rerun, the account gone, stays a
    no-op): under the default fail it warns, as under warn; ignore is silent."""
    result = run(capsys, 'identity_group', name='ops', users=['bob', 'ghost'], users_state='absent', on_missing=on_missing)
    assert result['changed'] is True and directory['members']['ops'] == {'ann'}
    expected = ["flat: nothing to remove from users, it does not exist: user 'ghost' not found"] if warned else []
    assert warnings(result) == expected
    again = run(capsys, 'identity_group', name='ops', users=['bob', 'ghost'], users_state='absent', on_missing=on_missing)
    assert again['changed'] is False and again.get('failed') is not True


@pytest.mark.parametrize('on_missing', ['warn', 'ignore'])
def test_on_missing_warn_or_ignore_applies_the_rest(directory, capsys, on_missing):
    result = run(capsys, 'identity_group', name='ops', users=['cat', 'ghost', 'nobody'], on_missing=on_missing)
    assert result['changed'] is True and directory['members']['ops'] == {'ann', 'bob', 'cat'}
    expected = ["flat: on_missing=warn, so these are left out of users and the rest applied: user 'ghost' not "
                "found; user 'nobody' not found"] if on_missing == 'warn' else []
    assert warnings(result) == expected


def test_on_missing_warn_with_absent_removes_the_existing_ones(directory, capsys):
    result = run(capsys, 'identity_user', name='ann', groups=['dev', 'gone'], groups_state='absent', on_missing='warn')
    assert directory['members']['dev'] == set() and directory['members']['ops'] == {'ann', 'bob'}
    assert warnings(result) == ["flat: nothing to remove from groups, it does not exist: group 'gone' not found"]


def test_check_mode_still_predicts_a_missing_member_whatever_on_missing_says(directory, capsys):
    result = run(capsys, 'identity_user', _check=True, name='cat', groups=['newteam'], on_missing='ignore')
    assert [g['name'] for g in result['groups']] == ['newteam'] and directory['writes'] == []
    assert any('check mode takes it as created' in w for w in warnings(result))


def test_batch_items_take_their_own_state_and_the_top_level_on_missing(directory, capsys):
    result = run(capsys, 'identity_group', on_missing='warn', groups=[
        dict(name='ops', users=['bob', 'ghost'], users_state='absent'),
        dict(name='dev', users=['cat'])])
    assert result['changed'] is True, result
    assert directory['members'] == {'ops': {'ann'}, 'dev': {'ann', 'cat'}}
    assert warnings(result) == ["name=ops: flat: nothing to remove from users, it does not exist: user 'ghost' not found"]


@pytest.fixture
def single(directory, monkeypatch):
    """The flat provider as one whose users hold one group (OneLogin's group_id)."""
    from test_flat_provider import FlatProvider
    monkeypatch.setattr(FlatProvider, 'single_group', True)
    return directory


def test_single_group_absent_clears_the_group_only_when_it_is_the_named_one(single, capsys):
    assert run(capsys, 'identity_user', name='bob', groups=['dev'], groups_state='absent')['changed'] is False
    assert single['writes'] == []
    result = run(capsys, 'identity_user', name='bob', groups=['ops'], groups_state='absent')
    assert result['changed'] is True and single['writes'] == [('remove_member', 'ops', 'bob')]


def test_single_group_missing_group_left_out_replaces_nothing(single, capsys):
    result = run(capsys, 'identity_user', name='bob', groups=['gone'], on_missing='ignore')
    assert result['changed'] is False and single['writes'] == [] and single['members']['ops'] == {'ann', 'bob'}
