"""Membership helpers (module_utils/_membership.py) shared by identity_group and identity_user's groups."""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import IdentityError
from ansible_collections.iamops.identity.plugins.module_utils import _membership


def test_member_refs_accept_strings_ids_and_dicts():
    assert _membership.refs(['jdoe', 4711, {'name': 'svc', 'domain': 'services'}, {'name': 'x'}],
                            'corp', 'users') == [
        ('jdoe', 'corp'), ('4711', 'corp'), ('svc', 'services'), ('x', 'corp')]


@pytest.mark.parametrize('bad', [None, True, '', {'domain': 'x'}, {'name': 'a', 'nmae': 'b'}, ['a']])
def test_member_refs_reject_anything_else(bad):
    with pytest.raises(IdentityError) as err:
        _membership.refs(['ok', bad], 'corp', 'users')
    assert str(err.value).startswith('users[1]: expected a user name or ID')


def test_plan_members_by_id_keeps_order():
    a, b, c = ({'id': i, 'name': i.upper()} for i in 'abc')
    assert _membership.plan([b, c, c], [a, b], purge=False) == ([c], [], [a, b, c])
    assert _membership.plan([c], [a, b], purge=True) == ([c], [a, b], [c])
    assert _membership.plan([], [a], purge=True) == ([], [a], [])
    assert _membership.plan([a], [a], purge=True) == ([], [], [a])


def test_summary_sorts_and_keeps_only_member_keys():
    users = [{'id': '2', 'name': 'b', 'domain_id': 'd', 'email': 'x'}, {'id': '1', 'name': 'a', 'domain_id': 'd'}]
    assert _membership.summary(users) == [{'id': '1', 'name': 'a', 'domain_id': 'd'},
                                          {'id': '2', 'name': 'b', 'domain_id': 'd'}]


def test_user_group_refs():
    assert _membership.refs(['ops', {'name': 'audit', 'domain': 'compliance'}], None, 'groups') == [
        ('ops', None), ('audit', 'compliance')]
    with pytest.raises(IdentityError) as err:
        _membership.refs([{'domain': 'x'}], None, 'groups')
    assert str(err.value).startswith('groups[0]: expected a group name or ID')
