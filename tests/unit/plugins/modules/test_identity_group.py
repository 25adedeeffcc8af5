"""Pure helpers of identity_group and of identity_user's groups option."""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import IdentityError
from ansible_collections.iamops.identity.plugins.modules import identity_group, identity_user


def test_member_refs_accept_strings_ids_and_dicts():
    assert identity_group.refs(['jdoe', 4711, {'name': 'svc', 'domain': 'services'}, {'name': 'x'}],
                               'corp', 'users') == [
        ('jdoe', 'corp'), ('4711', 'corp'), ('svc', 'services'), ('x', 'corp')]


@pytest.mark.parametrize('bad', [None, True, '', {'domain': 'x'}, {'name': 'a', 'nmae': 'b'}, ['a']])
def test_member_refs_reject_anything_else(bad):
    with pytest.raises(IdentityError) as err:
        identity_group.refs(['ok', bad], 'corp', 'users')
    assert str(err.value).startswith('users[1]: expected a name or ID')


def test_plan_members_by_id_keeps_order():
    a, b, c = ({'id': i, 'name': i.upper()} for i in 'abc')
    assert identity_group.plan_members([b, c, c], [a, b], purge=False) == ([c], [], [a, b, c])
    assert identity_group.plan_members([c], [a, b], purge=True) == ([c], [a, b], [c])
    assert identity_group.plan_members([], [a], purge=True) == ([], [a], [])
    assert identity_group.plan_members([a], [a], purge=True) == ([], [], [a])


def test_summary_sorts_and_keeps_only_member_keys():
    users = [{'id': '2', 'name': 'b', 'domain_id': 'd', 'email': 'x'}, {'id': '1', 'name': 'a', 'domain_id': 'd'}]
    assert identity_group.summary(users) == [{'id': '1', 'name': 'a', 'domain_id': 'd'},
                                             {'id': '2', 'name': 'b', 'domain_id': 'd'}]


def test_user_group_refs():
    assert identity_user.group_refs(['ops', {'name': 'audit', 'domain': 'compliance'}], None) == [
        ('ops', None), ('audit', 'compliance')]
    with pytest.raises(IdentityError) as err:
        identity_user.group_refs([{'domain': 'x'}], None)
    assert str(err.value).startswith('groups[0]: expected a group name or ID')
