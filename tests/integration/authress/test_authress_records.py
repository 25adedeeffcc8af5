"""identity_role_assignment(_info) against the Authress emulator: access records as role
assignments, one write per record, purge, deletion of emptied records this collection made."""

from run_warnings import warning_text
from authress_fixtures import access_key, authress_env, emulator, emulator_server, run_module, service_key  # noqa: F401 pylint: disable=unused-import

PAYROLL = ['/payroll/*']


def seed(emulator, users=('u_ann', 'u_bob', 'u_cid')):
    emulator.seed({'users': [{'userId': u} for u in users],
                   'roles': [{'roleId': r, 'name': r.title(), 'permissions': []} for r in ('ro_viewer', 'ro_editor')],
                   'groups': [{'groupId': 'grp_audit', 'name': 'Audit', 'users': [], 'admins': []}]})


def records(emulator, status='ACTIVE'):
    return dict((r['name'], r) for r in emulator.dump()['records'].values() if r['status'] == status)


def holders(record):
    return sorted(u['userId'] for u in record.get('users') or []), sorted(g['groupId'] for g in record.get('groups') or [])


def test_grant_creates_a_managed_record_then_rerun_writes_nothing(emulator, run_module):
    seed(emulator)
    args = dict(user='u_ann', role='ro_viewer', resources=PAYROLL, record='Payroll readers')
    check = run_module('identity_role_assignment', _check=True, _diff=True, **args)
    assert check['changed'] is True and check.writes == [] and records(emulator) == {}
    assert check['diff'] == {'prepared': '+ ro_viewer on /payroll/* (record Payroll readers)\n'}
    first = run_module('identity_role_assignment', _diff=True, **args)
    assert first['diff'] == check['diff']
    assert first['changed'] is True
    record = records(emulator)['Payroll readers']
    assert holders(record) == (['u_ann'], [])
    assert record['statements'] == [{'roles': ['ro_viewer'], 'resources': [{'resourceUri': '/payroll/*'}]}]
    assert record['tags'] == {'managed-by': 'iamops.identity'}
    assert [(w['method'], w['path'], w['status']) for w in first.writes] == [('POST', '/v1/records', 201)]
    again = run_module('identity_role_assignment', **args)
    assert again['changed'] is False and again.writes == []
    assert again['assignment']['record']['id'] == record['recordId']


def test_a_team_is_granted_a_record_in_one_write(emulator, run_module):
    seed(emulator, users=['u%02d' % i for i in range(15)])
    items = [dict(user='u%02d' % i, role=role, resources=PAYROLL, record='Payroll')
             for i in range(15) for role in ('ro_viewer', 'ro_editor')]
    first = run_module('identity_role_assignment', assignments=items)
    assert first['changed'] is True and [w['method'] for w in first.writes] == ['POST']
    record = records(emulator)['Payroll']
    assert holders(record)[0] == ['u%02d' % i for i in range(15)]
    assert record['statements'] == [{'roles': ['ro_editor', 'ro_viewer'], 'resources': [{'resourceUri': '/payroll/*'}]}]
    again = run_module('identity_role_assignment', assignments=items)
    assert again['changed'] is False and again.writes == []
    gets = [(e['path'], e['query'].get('cursor') is not None) for e in again.entries]
    assert gets.count(('/v1/records', False)) == 1 and ('/v1/users', False) in gets   # one listing each
    more = items + [dict(user='u00', role='ro_viewer', resources=['/hr/*'], record='Payroll')]
    grown = run_module('identity_role_assignment', assignments=more)
    assert [w['method'] for w in grown.writes] == ['PUT']


def test_grant_to_an_existing_record_and_revoke(emulator, run_module):
    seed(emulator)
    emulator.seed({'records': [{'recordId': 'rec_pay', 'name': 'Payroll', 'users': [{'userId': 'u_bob'}],
                                'statements': [{'roles': ['ro_viewer'], 'resources': [{'resourceUri': '/payroll/*'}]}]}]})
    granted = run_module('identity_role_assignment', group='grp_audit', role='ro_viewer', resources=PAYROLL,
                         record='rec_pay')
    assert granted['changed'] is True and holders(records(emulator)['Payroll']) == (['u_bob'], ['grp_audit'])
    assert [(w['method'], w['path'], w['status']) for w in granted.writes] == [('PUT', '/v1/records/rec_pay', 202)]
    revoked = run_module('identity_role_assignment', user='u_bob', role='ro_viewer', resources=PAYROLL,
                         record='Payroll', state='absent', _diff=True)
    assert revoked['changed'] is True and holders(records(emulator)['Payroll']) == ([], ['grp_audit'])
    assert revoked['diff'] == {'prepared': '- ro_viewer on /payroll/* (record Payroll)\n'}
    again = run_module('identity_role_assignment', user='u_bob', role='ro_viewer', resources=PAYROLL,
                       record='Payroll', state='absent')
    assert again['changed'] is False and again.writes == []


def test_purge_removes_the_user_from_every_unlisted_record(emulator, run_module):
    seed(emulator)
    statement = [{'roles': ['ro_viewer'], 'resources': [{'resourceUri': '/a/*'}]}]
    emulator.seed({'records': [
        {'recordId': 'rec_a', 'name': 'A', 'users': [{'userId': 'u_ann'}, {'userId': 'u_bob'}], 'statements': statement},
        {'recordId': 'rec_b', 'name': 'B', 'users': [{'userId': 'u_ann'}], 'statements': statement},
        {'recordId': 'rec_c', 'name': 'C', 'users': [{'userId': 'u_ann'}], 'statements': statement,
         'tags': {'managed-by': 'iamops.identity'}},
        {'recordId': 'rec_d', 'name': 'D', 'users': [{'userId': 'u_bob'}], 'statements': statement}]})
    keep = dict(role='ro_viewer', resources=['/a/*'], record='A')
    check = run_module('identity_role_assignment', user='u_ann', assignments=[keep], purge=True, _check=True)
    assert check['changed'] is True and check.writes == []
    assert sorted(a['record']['name'] for a in check['purged']) == ['B', 'C']
    purged = run_module('identity_role_assignment', user='u_ann', assignments=[keep], purge=True)
    assert purged['changed'] is True
    writes = sorted((w['method'], w['path']) for w in purged.writes)
    assert writes == [('DELETE', '/v1/records/rec_c'), ('PUT', '/v1/records/rec_b')]
    active = records(emulator)
    assert holders(active['A']) == (['u_ann', 'u_bob'], []) and holders(active['D']) == (['u_bob'], [])
    assert holders(active['B']) == ([], [])              # made elsewhere: left, empty
    assert 'C' in records(emulator, 'DELETED')          # made by this collection and emptied: deleted
    again = run_module('identity_role_assignment', user='u_ann', assignments=[keep], purge=True)
    assert again['changed'] is False and again.writes == []


def test_revoking_one_role_of_a_shared_record_keeps_everyone_elses_access(emulator, run_module):
    seed(emulator)
    emulator.seed({'records': [{'recordId': 'rec_s', 'name': 'Shared', 'users': [{'userId': 'u_ann'}, {'userId': 'u_bob'}],
                                'statements': [{'roles': ['ro_viewer', 'ro_editor'],
                                                'resources': [{'resourceUri': '/s/*'}]}]}]})
    result = run_module('identity_role_assignment', user='u_ann', role='ro_editor', resources=['/s/*'],
                        record='Shared', state='absent')
    assert result['changed'] is True
    info = run_module('identity_role_assignment_info', record='Shared')
    held = sorted((a['user']['id'], a['role']['id']) for a in info['role_assignments'])
    assert held == [('u_ann', 'ro_viewer'), ('u_bob', 'ro_editor'), ('u_bob', 'ro_viewer')]
    assert all(a['record'] == {'id': 'rec_s', 'name': 'Shared', 'status': 'ACTIVE'} for a in info['role_assignments'])


def test_a_concurrent_record_change_is_retried_once(emulator, run_module):
    seed(emulator)
    emulator.seed({'records': [{'recordId': 'rec_pay', 'name': 'Payroll', 'users': [{'userId': 'u_bob'}],
                                'statements': [{'roles': ['ro_viewer'], 'resources': [{'resourceUri': '/payroll/*'}]}]}],
                   'settings': {'bump_after_read': {'records/rec_pay': 1}}})
    result = run_module('identity_role_assignment', user='u_ann', role='ro_viewer', resources=PAYROLL, record='Payroll')
    assert result['changed'] is True
    assert [(e['method'], e['status']) for e in result.entries if e['path'] == '/v1/records/rec_pay'] == [
        ('PUT', 412), ('GET', 200), ('PUT', 202)]
    assert holders(records(emulator)['Payroll']) == (['u_ann', 'u_bob'], [])


def test_refusals_and_404s_before_any_write(emulator, run_module):
    seed(emulator)
    no_scope = run_module('identity_role_assignment', user='u_ann', role='ro_viewer', record='X')
    assert no_scope['failed'] is True and no_scope.entries == []
    assert 'role ro_viewer needs resources: an Authress role is granted on resources' in no_scope['msg']
    keystone_scope = run_module('identity_role_assignment', user='u_ann', role='ro_viewer', project='p')
    assert keystone_scope['failed'] is True and keystone_scope.entries == []
    assert 'authress does not support option project of identity_role_assignment' in keystone_scope['msg']
    no_role = run_module('identity_role_assignment', user='u_ann', role='ro_nope', resources=PAYROLL, record='X')
    assert no_role['failed'] is True and "role 'ro_nope' not found" in no_role['msg'] and no_role.writes == []
    no_user = run_module('identity_role_assignment', user='u_nobody', role='ro_viewer', resources=PAYROLL, record='X')
    assert no_user['failed'] is True and "user 'u_nobody' not found" in no_user['msg'] and no_user.writes == []


def test_info_filters(emulator, run_module):
    seed(emulator)
    emulator.seed({'records': [
        {'recordId': 'rec_%d' % i, 'name': 'R%d' % i, 'users': [{'userId': 'u_ann'}], 'groups': [{'groupId': 'grp_audit'}],
         'statements': [{'roles': ['ro_viewer'], 'resources': [{'resourceUri': '/r%d' % i}]}]} for i in range(4)]})
    by_user = run_module('identity_role_assignment_info', user='u_ann')
    assert [a['resources'] for a in by_user['role_assignments']] == [['/r0'], ['/r1'], ['/r2'], ['/r3']]
    by_group = run_module('identity_role_assignment_info', group='Audit', role='ro_viewer',
                          query='role_assignments[].record.name')
    assert by_group['query_result'] == ['R0', 'R1', 'R2', 'R3']
    assert run_module('identity_role_assignment_info', role='ro_editor')['role_assignments'] == []


def test_a_role_deleted_since_can_still_be_revoked_from_a_record(emulator, run_module):
    seed(emulator)
    emulator.seed({'records': [{'recordId': 'rec_o', 'name': 'Old', 'users': [{'userId': 'u_ann'}, {'userId': 'u_bob'}],
                                'statements': [{'roles': ['ro_gone'], 'resources': [{'resourceUri': '/o'}]}]}]})
    result = run_module('identity_role_assignment', user='u_ann', role='ro_gone', resources=['/o'], record='Old',
                        state='absent')
    assert result['changed'] is True and holders(records(emulator)['Old']) == (['u_bob'], [])
    assert not any(e['path'].startswith('/v1/roles') for e in result.entries)


def test_group_assignments_show_the_group_name(emulator, run_module):
    seed(emulator)
    granted = run_module('identity_role_assignment', group='Audit', role='ro_viewer', resources=['/a'], record='A')
    assert granted['assignment']['group'] == {'id': 'grp_audit', 'name': 'Audit'}
    info = run_module('identity_role_assignment_info', group='Audit')
    assert [a['group'] for a in info['role_assignments']] == [{'id': 'grp_audit', 'name': 'Audit'}]


# ---- on_missing ----------------------------------------------------------------------------------

def test_on_missing_role_with_purge(emulator, run_module):
    seed(emulator)
    emulator.seed({'records': [{'recordId': 'rec_old', 'name': 'Old', 'users': [{'userId': 'u_ann'}],
                                'statements': [{'roles': ['ro_editor'], 'resources': [{'resourceUri': '/hr/*'}]}]}]})
    args = dict(user='u_ann', purge=True, assignments=[
        dict(role='ro_viewer', resources=PAYROLL, record='Payroll'), dict(role='ro_ghost', resources=PAYROLL, record='Payroll')])
    failed = run_module('identity_role_assignment', **args)
    assert failed['failed'] is True and "assignments[1]: role 'ro_ghost' not found" in failed['msg']
    assert failed.writes == [] and sorted(records(emulator)) == ['Old']
    check = run_module('identity_role_assignment', _check=True, on_missing='warn', **args)
    assert check['changed'] is True and check.writes == []
    result = run_module('identity_role_assignment', on_missing='warn', **args)
    assert "assignments[1]: left out, nothing granted: authress: role 'ro_ghost' not found" in warning_text(result)
    now = records(emulator)
    assert now['Payroll']['statements'] == [{'roles': ['ro_viewer'], 'resources': [{'resourceUri': '/payroll/*'}]}]
    assert holders(now['Payroll']) == (['u_ann'], []) and holders(now['Old']) == ([], [])   # purged, kept (not ours)
    assert sorted(w['method'] for w in result.writes) == ['POST', 'PUT']
    again = run_module('identity_role_assignment', on_missing='ignore', **args)
    assert again['changed'] is False and again.writes == [] and warning_text(again) == ''


def test_on_missing_user_and_group(emulator, run_module):
    seed(emulator)
    items = [dict(user='u_nobody', role='ro_viewer', resources=PAYROLL, record='Payroll'),
             dict(group='grp_nobody', role='ro_viewer', resources=PAYROLL, record='Payroll'),
             dict(user='u_bob', role='ro_viewer', resources=PAYROLL, record='Payroll')]
    failed = run_module('identity_role_assignment', assignments=items)
    assert failed['failed'] is True and 'u_nobody' in failed['msg'] and failed.writes == [] and records(emulator) == {}
    result = run_module('identity_role_assignment', on_missing='warn', assignments=items)
    assert 'assignments[0]: left out, nothing granted' in warning_text(result) and 'u_nobody' in warning_text(result)
    assert 'assignments[1]: left out, nothing granted' in warning_text(result) and 'grp_nobody' in warning_text(result)
    assert holders(records(emulator)['Payroll']) == (['u_bob'], []) and len(result.writes) == 1
    alone = run_module('identity_role_assignment', on_missing='ignore', user='u_nobody', purge=True, assignments=[])
    assert alone['changed'] is False and alone.writes == [] and warning_text(alone) == ''
    again = run_module('identity_role_assignment', on_missing='warn', assignments=items)
    assert again['changed'] is False and again.writes == []
