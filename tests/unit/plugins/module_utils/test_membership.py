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


class _Provider:
    name = 'fake'

    def __init__(self, complete=True, members=(), blind=()):
        self.complete, self.members, self.blind, self.asked = complete, set(members), list(blind), []

    def memberships_complete(self, kind, obj):
        return self.complete

    def has_member(self, group, user):
        self.asked.append((group['id'], user['id']))
        return (group['id'], user['id']) in self.members

    def blind_spots(self, what):
        return self.blind


class _Task:
    def __init__(self, provider):
        self.provider, self.result, self.warnings = provider, {}, []

    def warn(self, msg):
        self.warnings.append(msg)


def test_confirm_passes_a_complete_listing_through_without_a_request():
    group, a = {'id': 'g', 'name': 'G'}, {'id': 'a', 'name': 'A'}
    provider = _Provider()
    assert _membership.confirm(_Task(provider), 'group', group, [a], [a], True, 'purge_users') == [a]
    assert provider.asked == []


def test_confirm_refuses_a_purge_over_an_incomplete_listing():
    with pytest.raises(IdentityError) as err:
        _membership.confirm(_Task(_Provider(complete=False)), 'group', {'id': 'g', 'name': 'staff'}, [], [], True,
                            'purge_users')
    assert str(err.value) == ("fake: the list of the members of group 'staff' came back incomplete (see the warning), "
                              'so purge_users cannot tell what to remove; nothing was changed')


def test_confirm_asks_about_each_wanted_one_the_incomplete_listing_does_not_show():
    user = {'id': 'u', 'name': 'U'}
    g1, g2, g3 = ({'id': i, 'name': i} for i in ('g1', 'g2', 'g3'))
    provider = _Provider(complete=False, members=[('g2', 'u')])
    found = _membership.confirm(_Task(provider), 'user', user, [g1], [g1, g2, g3, {'id': None, 'name': 'new'}],
                                False, 'purge_groups')
    assert found == [g1, g2]                               # g2 is a member beyond the listing
    assert provider.asked == [('g2', 'u'), ('g3', 'u')]    # never about a listed or predicted one


def test_blind_spots_are_reported_and_warned_about_only_when_purging():
    task = _Task(_Provider(blind=['groups of domains other than corp']))
    _membership.say_blind_spots(task, False, 'purge_groups')
    assert task.result == {'not_visible': ['groups of domains other than corp']} and task.warnings == []
    _membership.say_blind_spots(task, True, 'purge_groups')
    assert task.warnings == ['purge_groups removed only the memberships this connection can see: it cannot see '
                             'groups of domains other than corp, so any such membership remains']
    clear = _Task(_Provider())
    _membership.say_blind_spots(clear, True, 'purge_groups')
    assert clear.result == {} and clear.warnings == []


class _Nested:
    """A provider stand-in: group id -> the ids of its subgroups."""
    name = 'fake'

    def __init__(self, tree):
        self.tree, self.asked = tree, []

    def group_subgroups(self, group):
        self.asked.append(group['id'])
        return [{'id': i, 'name': i.upper()} for i in self.tree.get(group['id'], ())]


class _NestedTask:
    def __init__(self, provider):
        self.provider = provider


def test_a_group_inside_itself_is_refused_directly_or_through_subgroups():
    provider = _Nested({'b': ['c'], 'c': ['a'], 'x': ['y']})
    a = {'id': 'a', 'name': 'A'}
    with pytest.raises(IdentityError) as err:
        _membership.refuse_cycles(_NestedTask(provider), a, [{'id': 'a', 'name': 'A'}])
    assert "'A' cannot be a member of group 'A'" in str(err.value) and provider.asked == []
    with pytest.raises(IdentityError) as err:
        _membership.refuse_cycles(_NestedTask(provider), a, [{'id': 'x', 'name': 'X'}, {'id': 'b', 'name': 'B'}])
    assert "(itself ('A' -> 'B' -> 'C' -> 'A'))" not in str(err.value)
    assert "'A' -> 'B' -> 'C' -> 'A'" in str(err.value) and 'nothing was changed' in str(err.value)


def test_subgroups_without_a_cycle_pass_and_a_new_group_is_not_walked():
    provider = _Nested({'b': ['c'], 'c': ['b']})              # a loop below does not hang the walk
    _membership.refuse_cycles(_NestedTask(provider), {'id': 'a', 'name': 'A'}, [{'id': 'b', 'name': 'B'}])
    assert sorted(provider.asked) == ['b', 'c']
    _membership.refuse_cycles(_NestedTask(provider), None, [{'id': 'b', 'name': 'B'}])
    _membership.refuse_cycles(_NestedTask(provider), {'id': 'a'}, [{'id': None, 'name': 'predicted'}])
    assert sorted(provider.asked) == ['b', 'c']
