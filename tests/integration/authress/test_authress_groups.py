"""identity_group and identity_group_info against the Authress emulator: members and admins held in
the group, one PUT per group with If-Unmodified-Since, 412 recovery, check mode, diff, reruns."""

from authress_fixtures import access_key, authress_env, emulator, emulator_server, run_module, service_key  # noqa: F401 pylint: disable=unused-import
from tests.integration.conftest import refuses_subgroups


def calls(run):
    return [(e['method'], e['path'], e['status']) for e in run.entries]


def seed(emulator):
    emulator.seed({'users': [{'userId': u} for u in ('u_ann', 'u_bob', 'u_cid', 'u_dee')]})


def stored(emulator, name):
    found = [g for g in emulator.dump()['groups'].values() if g['name'] == name]
    assert len(found) <= 1
    return found[0] if found else None


def members(group):
    return sorted(u['userId'] for u in group['users'])


def test_create_with_members_and_admins_then_rerun(emulator, run_module):
    seed(emulator)
    args = dict(name='Payroll', users=['u_ann', 'u_bob'], admins=['u_cid'])
    check = run_module('identity_group', _check=True, _diff=True, **args)
    assert check['changed'] is True and check.writes == [] and stored(emulator, 'Payroll') is None
    first = run_module('identity_group', _diff=True, **args)
    assert first['changed'] is True
    group = stored(emulator, 'Payroll')
    assert members(group) == ['u_ann', 'u_bob'] and group['admins'] == [{'userId': 'u_cid'}]
    assert group['groupId'].startswith('grp_') and first['group']['id'] == group['groupId']
    assert [(m, s) for m, p, s in calls(first) if m != 'GET'] == [('POST', 201), ('PUT', 200)]
    assert first['diff']['before'] == {'users': []}
    assert first['diff']['after'] == {'name': 'Payroll', 'admins': ['u_cid'], 'users': ['u_ann', 'u_bob']}
    assert [m['name'] for m in first['members']] == ['u_ann', 'u_bob']
    again = run_module('identity_group', **args)
    assert again['changed'] is False and again.writes == []
    assert [p for m, p, s in calls(again)] == ['/v1/groups']   # members known from the group itself


def test_members_added_and_purged_in_one_put(emulator, run_module):
    seed(emulator)
    emulator.seed({'groups': [{'groupId': 'grp_ops', 'name': 'Ops', 'users': [{'userId': 'u_ann'}, {'userId': 'u_bob'}],
                               'admins': []}]})
    added = run_module('identity_group', name='Ops', users=['u_cid'], _diff=True)
    assert added['changed'] is True and members(stored(emulator, 'Ops')) == ['u_ann', 'u_bob', 'u_cid']
    check = run_module('identity_group', name='grp_ops', users=['u_dee'], purge_users=True, _check=True, _diff=True)
    assert check.writes == [] and check['diff'] == {'before': {'users': ['u_ann', 'u_bob', 'u_cid']},
                                                    'after': {'users': ['u_dee']}}
    purged = run_module('identity_group', name='grp_ops', users=['u_dee'], purge_users=True)
    assert purged['changed'] is True and members(stored(emulator, 'Ops')) == ['u_dee']
    assert [(w['method'], w['path']) for w in purged.writes] == [('PUT', '/v1/groups/grp_ops')]
    assert run_module('identity_group', name='Ops', users=['u_dee'], purge_users=True).writes == []


def test_admins_are_the_whole_list(emulator, run_module):
    seed(emulator)
    emulator.seed({'groups': [{'groupId': 'grp_x', 'name': 'X', 'users': [], 'admins': [{'userId': 'u_ann'}]}]})
    result = run_module('identity_group', name='X', admins=['u_dee', 'u_bob'], _diff=True)
    assert result['changed'] is True and result['diff'] == {'before': {'admins': ['u_ann']},
                                                            'after': {'admins': ['u_bob', 'u_dee']}}
    assert [a['userId'] for a in stored(emulator, 'X')['admins']] == ['u_bob', 'u_dee']
    assert run_module('identity_group', name='X', admins=['u_bob', 'u_dee']).writes == []


def test_a_concurrent_change_answers_412_and_the_module_reads_again_and_retries_once(emulator, run_module):
    seed(emulator)
    emulator.seed({'groups': [{'groupId': 'grp_ops', 'name': 'Ops', 'users': [{'userId': 'u_ann'}], 'admins': []}],
                   'settings': {'bump_after_read': {'groups/grp_ops': 1}}})
    result = run_module('identity_group', name='Ops', users=['u_bob'])
    assert result['changed'] is True and members(stored(emulator, 'Ops')) == ['u_ann', 'u_bob']
    puts = [(m, p, s) for m, p, s in calls(result) if m != 'GET' or p == '/v1/groups/grp_ops']
    assert puts == [('PUT', '/v1/groups/grp_ops', 412), ('GET', '/v1/groups/grp_ops', 200),
                    ('PUT', '/v1/groups/grp_ops', 200)]


def test_a_group_that_keeps_changing_fails_clearly(emulator, run_module):
    seed(emulator)
    emulator.seed({'groups': [{'groupId': 'grp_ops', 'name': 'Ops', 'users': [], 'admins': []}],
                   'settings': {'bump_after_read': {'groups/grp_ops': 2}}})
    result = run_module('identity_group', name='Ops', users=['u_bob'])
    assert result['failed'] is True and result['status'] == 412
    assert 'group grp_ops kept changing while this task updated it' in result['msg']
    assert members(stored(emulator, 'Ops')) == []


def test_delete_and_absent_rerun(emulator, run_module):
    seed(emulator)
    emulator.seed({'groups': [{'groupId': 'grp_ops', 'name': 'Ops', 'users': [], 'admins': []}]})
    check = run_module('identity_group', name='Ops', state='absent', _check=True)
    assert check['changed'] is True and check.writes == []
    gone = run_module('identity_group', name='Ops', state='absent', _diff=True)
    assert gone['changed'] is True and stored(emulator, 'Ops') is None
    assert [(w['method'], w['path'], w['status']) for w in gone.writes] == [('DELETE', '/v1/groups/grp_ops', 204)]
    again = run_module('identity_group', name='Ops', state='absent')
    assert again['changed'] is False and again.writes == []


def test_unknown_member_changes_nothing_and_description_is_refused(emulator, run_module):
    seed(emulator)
    missing = run_module('identity_group', name='New', users=['u_ann', 'u_nobody'])
    assert missing['failed'] is True and "user 'u_nobody' not found" in missing['msg'] and missing.writes == []
    refused = run_module('identity_group', name='New', description='x')
    assert refused['failed'] is True and refused.entries == []
    assert 'an Authress group has a name, users and admins, no description' in refused['msg']


def test_batch_of_groups_one_listing(emulator, run_module):
    seed(emulator)
    groups = [dict(name='G%d' % i, users=['u_ann']) for i in range(4)]
    first = run_module('identity_group', groups=groups)
    assert first['changed'] is True and len(emulator.dump()['groups']) == 4
    assert [w['method'] for w in first.writes] == ['POST', 'PUT'] * 4
    again = run_module('identity_group', groups=groups)
    assert again['changed'] is False and again.writes == []
    # one listing (two pages of 3) serves every item; members are known from the groups themselves
    assert [(e['path'], 'cursor' in e['query']) for e in again.entries] == [('/v1/groups', False), ('/v1/groups', True)]


def test_group_info_with_members(emulator, run_module):
    seed(emulator)
    emulator.seed({'groups': [{'groupId': 'grp_%d' % i, 'name': 'G%d' % i, 'users': [{'userId': 'u_ann'}],
                               'admins': []} for i in range(4)]})
    info = run_module('identity_group_info', with_members=True, query='groups[].name')
    assert info['query_result'] == ['G0', 'G1', 'G2', 'G3']
    assert info['groups'][0]['users'] == [{'id': 'u_ann', 'name': 'u_ann', 'domain_id': None}]
    assert [e['path'] for e in info.entries] == ['/v1/groups', '/v1/groups']   # two pages of 3, no member reads
    one = run_module('identity_group_info', name='grp_2')
    assert [g['name'] for g in one['groups']] == ['G2']


def test_a_single_group_is_found_with_one_search_not_the_whole_listing(emulator, run_module):
    seed(emulator)
    emulator.seed({'groups': [{'groupId': 'grp_%02d' % i, 'name': 'Team %02d' % i, 'users': [], 'admins': []}
                              for i in range(25)]})
    result = run_module('identity_group', name='Team 07', users=['u_ann'])
    assert result['changed'] is True and members(stored(emulator, 'Team 07')) == ['u_ann']
    assert [(e['method'], e['path'], e['query'].get('filter')) for e in result.entries] == [
        ('GET', '/v1/groups', 'Team 07'), ('GET', '/v1/users/u_ann', None), ('PUT', '/v1/groups/grp_07', None)]


def test_a_users_groups_through_identity_user(emulator, run_module):
    seed(emulator)
    emulator.seed({'groups': [{'groupId': 'grp_old', 'name': 'Old', 'users': [{'userId': 'u_ann'}], 'admins': []},
                              {'groupId': 'grp_ops', 'name': 'Ops', 'users': [{'userId': 'u_bob'}], 'admins': []},
                              {'groupId': 'grp_aud', 'name': 'Audit', 'users': [], 'admins': []}]})
    args = dict(name='u_ann', groups=['Ops', 'grp_aud'], purge_groups=True)
    check = run_module('identity_user', _check=True, _diff=True, **args)
    assert check.writes == [] and check['diff'] == {'before': {'groups': ['Old']}, 'after': {'groups': ['Audit', 'Ops']}}
    result = run_module('identity_user', **args)
    assert result['changed'] is True
    assert sorted(w['path'] for w in result.writes) == ['/v1/groups/grp_aud', '/v1/groups/grp_old', '/v1/groups/grp_ops']
    state = emulator.dump()['groups']
    assert members(state['grp_ops']) == ['u_ann', 'u_bob'] and members(state['grp_aud']) == ['u_ann']
    assert members(state['grp_old']) == []
    assert run_module('identity_user', **args).writes == []


def test_subgroups_are_refused_before_any_request(emulator, run_module):
    """An Authress group holds users and admins, no groups: one message, no request."""
    seed(emulator)
    refuses_subgroups(run_module, 'authress', 'Payroll', 'an Authress group holds users and admins only, no groups')
    assert stored(emulator, 'Payroll') is None


def test_rename_keeps_the_group_id_and_members_rerun_and_conflict(emulator, run_module):
    """new_name: one PUT carrying the new name; the group keeps its ID, users and admins; a rerun
    finds it under the new name and writes nothing; a rename onto another group fails before any write."""
    seed(emulator)
    emulator.seed({'groups': [{'groupId': 'grp_ops', 'name': 'Ops', 'users': [{'userId': 'u_ann'}],
                               'admins': [{'userId': 'u_cid'}]},
                              {'groupId': 'grp_dev', 'name': 'Dev', 'users': [], 'admins': []}]})
    check = run_module('identity_group', name='Ops', new_name='Platform', _check=True, _diff=True)
    assert check['changed'] is True and check.writes == [] and stored(emulator, 'Platform') is None
    assert check['diff'] == {'before': {'name': 'Ops'}, 'after': {'name': 'Platform'}}
    renamed = run_module('identity_group', name='Ops', new_name='Platform')
    assert renamed['changed'] is True
    assert [(w['method'], w['path']) for w in renamed.writes] == [('PUT', '/v1/groups/grp_ops')]
    group = stored(emulator, 'Platform')
    assert group['groupId'] == 'grp_ops' and stored(emulator, 'Ops') is None
    assert members(group) == ['u_ann'] and group['admins'] == [{'userId': 'u_cid'}]
    again = run_module('identity_group', name='Ops', new_name='Platform')
    assert again['changed'] is False and again.writes == [] and again['group']['id'] == 'grp_ops'
    taken = run_module('identity_group', name='Platform', new_name='Dev')
    assert taken['failed'] is True and taken.writes == []
    assert "another group is called 'Dev' already (ID grp_dev)" in taken['msg']
    assert stored(emulator, 'Platform')['groupId'] == 'grp_ops' and stored(emulator, 'Dev')['groupId'] == 'grp_dev'
