"""identity_group / identity_user groups against a real scim2-server: members added and removed
with one PATCH per group (``add members`` / ``remove members[value eq "id"]``), purge, rename,
delete; reruns and check mode send no write; state read back with plain requests."""

import json


def writes(run):
    return [(e.method, e.path) for e in run.writes]


def test_group_with_members_then_rerun(run_module, admin):
    ann, bob = admin.make_user('ann'), admin.make_user('bob')
    run = run_module('identity_group', name='devs', users=['ann', 'bob'], _diff=True)
    assert run['changed'] is True
    created = admin.group('devs')
    assert writes(run) == [('POST', '/v2/Groups'), ('PATCH', '/v2/Groups/%s' % created['id'])]
    assert admin.members('devs') == ['ann', 'bob']
    assert sorted(m['name'] for m in run['members']) == ['ann', 'bob']
    again = run_module('identity_group', name='devs', users=['ann', bob['id']])   # by userName and by id
    assert again['changed'] is False and again.writes == []
    assert ann['id'] in [m['value'] for m in created['members']]


def test_add_remove_and_purge_are_one_patch(run_module, admin):
    ann, bob, cat = (admin.make_user(n) for n in ('ann', 'bob', 'cat'))
    group = admin.make_group('ops', members=[ann, bob])
    added = run_module('identity_group', name='ops', users=['cat'])
    assert writes(added) == [('PATCH', '/v2/Groups/%s' % group['id'])]
    assert admin.members('ops') == ['ann', 'bob', 'cat']
    checked = run_module('identity_group', name='ops', users=['cat'], purge_users=True, _check=True, _diff=True)
    assert checked['changed'] is True and checked.writes == []
    assert admin.members('ops') == ['ann', 'bob', 'cat']
    purged = run_module('identity_group', name='ops', users=['cat'], purge_users=True, _diff=True)
    assert writes(purged) == [('PATCH', '/v2/Groups/%s' % group['id'])]
    assert admin.members('ops') == ['cat']
    assert purged['diff'] == checked['diff']
    emptied = run_module('identity_group', name='ops', users=[], purge_users=True)
    assert len(emptied.writes) == 1 and admin.members('ops') == []
    again = run_module('identity_group', name='ops', users=[], purge_users=True)
    assert again['changed'] is False and again.writes == []


def test_user_groups_read_by_members_filter_and_purged(run_module, admin):
    jo = admin.make_user('jo')
    a, b = admin.make_group('a', members=[jo]), admin.make_group('b')
    admin.make_group('c', members=[jo])
    run = run_module('identity_user', name='jo', groups=['b'], _diff=True)
    assert writes(run) == [('PATCH', '/v2/Groups/%s' % b['id'])]
    assert admin.members('b') == ['jo']
    purged = run_module('identity_user', name='jo', groups=['a'], purge_groups=True)
    assert sorted(p for _m, p in writes(purged)) == sorted(
        '/v2/Groups/%s' % admin.group(n)['id'] for n in ('b', 'c'))
    assert [g['name'] for g in purged['groups']] == ['a']
    assert (admin.members('a'), admin.members('b'), admin.members('c')) == (['jo'], [], [])
    # the user's groups come from one members.value filter, not from every group
    assert any('members.value' in e.query for e in purged.entries)
    again = run_module('identity_user', name='jo', groups=['a'], purge_groups=True)
    assert again['changed'] is False and again.writes == []
    assert a['id']


def test_new_user_with_groups(run_module, admin):
    admin.make_group('staff')
    run = run_module('identity_user', name='fresh', groups=['staff'])
    assert [m for m, _p in writes(run)] == ['POST', 'PATCH']
    assert admin.members('staff') == ['fresh']


def test_rename_and_delete(run_module, admin):
    group = admin.make_group('old')
    renamed = run_module('identity_group', name='old', new_name='new')
    assert writes(renamed) == [('PATCH', '/v2/Groups/%s' % group['id'])]
    assert admin.group('new')['id'] == group['id'] and admin.group('old') is None
    again = run_module('identity_group', name='old', new_name='new')
    assert again['changed'] is False and again.writes == []
    deleted = run_module('identity_group', name='new', state='absent')
    assert writes(deleted) == [('DELETE', '/v2/Groups/%s' % group['id'])]
    assert admin.groups() == []


def test_unknown_member_fails_before_any_write(run_module, admin):
    admin.make_user('ann')
    run = run_module('identity_group', name='g', users=['ann', 'nobody'])
    assert run.get('failed') is True and run.writes == []
    assert "user 'nobody' not found" in run['msg']
    assert admin.group('g') is None


def test_group_info_with_members(run_module, admin):
    ann = admin.make_user('ann')
    admin.make_group('g1', members=[ann])
    admin.make_group('g2')
    info = run_module('identity_group_info', with_members=True)
    shown = dict((g['name'], [u['name'] for u in g['users']]) for g in info['groups'])
    assert shown == {'g1': ['ann'], 'g2': []}
    assert info.writes == []
    assert json.dumps(info.result).count('"resourceType": "Group"') == 2


def test_a_domain_in_a_list_item_is_refused_before_any_request(run_module, admin):
    """The capability check sees a domain inside list items too (a provider without containers)."""
    admin.make_user('ann')
    admin.make_group('g')
    run = run_module('identity_user', name='ann', groups=[{'name': 'g', 'domain': 'corp'}])
    assert run.get('failed') is True and run.entries == []
    assert run['msg'] == 'scim does not support option groups[0].domain of identity_user (SCIM has no domains)'
    members = run_module('identity_group', name='g', users=['bob', {'name': 'ann', 'domain': 'corp'}])
    assert members.get('failed') is True and members.entries == []
    assert members['msg'] == 'scim does not support option users[1].domain of identity_group (SCIM has no domains)'


def test_check_mode_group_create_with_members_writes_nothing(run_module, admin):
    admin.make_user('ann')
    run = run_module('identity_group', name='new', users=['ann'], _check=True, _diff=True)
    assert run['changed'] is True and run.writes == []
    assert run['group']['id'] is None and [m['name'] for m in run['members']] == ['ann']
    assert admin.groups() == []
    real = run_module('identity_group', name='new', users=['ann'], _diff=True)
    assert real['diff'] == run['diff'] and admin.members('new') == ['ann']


def test_rename_onto_another_group_is_refused_before_any_write(run_module, admin):
    old, taken = admin.make_group('old'), admin.make_group('taken')
    run = run_module('identity_group', name='old', new_name='taken')
    assert run.get('failed') is True and run.writes == []
    assert "cannot rename group 'old' to 'taken': another group is called 'taken' already (ID %s)" % taken['id'] in run['msg']
    assert admin.group('old')['id'] == old['id']
