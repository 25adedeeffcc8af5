"""identity_user and identity_user_info on Posit Connect, through real module runs against the
emulator: state read back with its dump, writes and requests counted in its log."""

import hashlib
import json

PASSWORD = 'Initial-Passw0rd-9d1e'
JANE = dict(name='jdoe', email='jdoe@example.com', first_name='Jane', last_name='Doe', user_role='publisher')


def kinds(entries):
    return [(r['method'], r['path'].replace('/__api__/', '')) for r in entries]


def test_create_check_mode_rerun_and_diff(run_module, state, emu):
    predicted = run_module('identity_user', _check=True, _diff=True, password=PASSWORD, **JANE)
    assert predicted['changed'] is True and predicted.writes == []
    assert predicted['user']['id'] is None and predicted['user']['user_role'] == 'publisher'
    assert state.user('jdoe') is None

    created = run_module('identity_user', _diff=True, password=PASSWORD, **JANE)
    assert created['changed'] is True
    assert kinds(created.entries) == [('GET', 'v1/users'), ('POST', 'v1/users')]
    stored = state.user('jdoe')
    assert (stored['email'], stored['first_name'], stored['last_name'], stored['user_role'], stored['locked']) == (
        'jdoe@example.com', 'Jane', 'Doe', 'publisher', False)
    assert stored['password_sha256'] == hashlib.sha256(PASSWORD.encode()).hexdigest()
    assert created['user']['id'] == stored['guid'] and created['user']['name'] == 'jdoe'
    assert created['diff']['before'] == {}
    assert created['diff']['after']['password'] == '********'
    assert created['diff']['after']['first_name'] == 'Jane'
    assert PASSWORD not in json.dumps(created.result)

    again = run_module('identity_user', _diff=True, password=PASSWORD, **JANE)
    assert again['changed'] is False and again.writes == []
    assert len(again.entries) == 1 and again['diff'] == {'before': {}, 'after': {}}


def test_update_sends_only_the_managed_changes(run_module, state, emu):
    emu.seed({'users': [dict(username='jdoe', email='old@example.com', first_name='Jane', last_name='Doe',
                             user_role='viewer')]})
    result = run_module('identity_user', _diff=True, **JANE)
    assert result['changed'] is True
    assert kinds(result.writes) == [('PUT', 'v1/users/%s' % state.user('jdoe')['guid'])]
    assert result['diff'] == {'before': {'email': 'old@example.com', 'user_role': 'viewer'},
                              'after': {'email': 'jdoe@example.com', 'user_role': 'publisher'}}
    assert state.user('jdoe')['email'] == 'jdoe@example.com' and state.user('jdoe')['user_role'] == 'publisher'
    # a field the task does not give is not managed
    assert run_module('identity_user', name='jdoe', email='jdoe@example.com').writes == []


def test_user_must_set_password_and_unique_id_go_with_the_create_only(run_module, state, emu):
    created = run_module('identity_user', _diff=True, name='ann', email='ann@example.com',
                         user_must_set_password=True, unique_id='ann-42')
    assert created['changed'] is True and created['diff']['after']['user_must_set_password'] is True
    stored = state.user('ann')
    assert stored['unique_id'] == 'ann-42' and stored['password_sha256'] is None and stored['confirmed'] is False
    again = run_module('identity_user', name='ann', email='ann@example.com', user_must_set_password=True,
                       unique_id='ann-42')
    assert again['changed'] is False and again.writes == []


def test_lock_and_unlock_through_the_lock_endpoint(run_module, state, emu):
    guid = emu.seed({'users': [dict(username='leaver', email='l@example.com')]})['users']['leaver']
    check = run_module('identity_user', _check=True, _diff=True, name='leaver', locked=True)
    assert check['changed'] is True and check.writes == []
    assert check['diff'] == {'before': {'enabled': True, 'locked': False}, 'after': {'enabled': False, 'locked': True}}
    assert check['user']['locked'] is True and check['user']['enabled'] is False
    locked = run_module('identity_user', name='leaver', locked=True)
    assert kinds(locked.entries) == [('GET', 'v1/users'), ('GET', 'v1/user'), ('POST', 'v1/users/%s/lock' % guid)]
    assert state.user('leaver')['locked'] is True
    assert run_module('identity_user', name='leaver', enabled=False).writes == []   # the same thing
    unlocked = run_module('identity_user', name='leaver', enabled=True)
    assert kinds(unlocked.writes) == [('POST', 'v1/users/%s/lock' % guid)]
    assert state.user('leaver')['locked'] is False


def test_locking_the_api_keys_own_account_needs_force(run_module, state):
    refused = run_module('identity_user', name='admin', locked=True)
    assert refused['failed'] is True and refused.writes == []
    assert 'account of the API key in use' in refused['msg'] and 'force: true' in refused['msg']
    forced = run_module('identity_user', name='admin', locked=True, force=True)
    assert forced['changed'] is True and state.user('admin')['locked'] is True


def test_no_delete_and_other_refusals_before_any_request(run_module, emu):
    cases = [
        (dict(name='jdoe', state='absent'), 'state=absent in identity_user (Connect has no user delete API: '
                                            'offboard the user with locked: true)'),
        (dict(name='jdoe', domain='corp'), 'option domain of identity_user (Connect has no domains)'),
        (dict(name='jdoe', description='x'), 'option description of identity_user'),
        (dict(name='jdoe', password='x', update_password='always'), 'takes a password only when it creates'),
        (dict(users=[dict(name='a', extra={'k': 'v'})]), 'users[0]: option extra of identity_user'),
    ]
    mark = emu.mark()
    for args, text in cases:
        result = run_module('identity_user', **args)
        assert result['failed'] is True and text in result['msg'], result['msg']
        assert result['msg'].startswith('posit_connect does not support')
    both = run_module('identity_user', name='x', password='Mutex-Connect-pw-81', user_must_set_password=True)
    assert both['failed'] is True and 'mutually exclusive: password|user_must_set_password' in both['msg']
    assert emu.entries(mark) == []


def test_groups_and_purge(run_module, state, emu):
    emu.seed({'users': [dict(username='ann', email='a@x')],
              'groups': [{'name': 'staff'}, {'name': 'payroll', 'members': ['ann']}, {'name': 'old', 'members': ['ann']}]})
    added = run_module('identity_user', _diff=True, name='ann', groups=['staff', 'payroll'])
    assert added['changed'] is True
    assert [g['name'] for g in added['groups']] == ['payroll', 'staff']
    assert added['diff'] == {'before': {'groups': ['payroll']}, 'after': {'groups': ['payroll', 'staff']}}
    assert len(added.writes) == 1 and state.members('staff') == ['ann'] and state.members('old') == ['ann']
    purged = run_module('identity_user', _diff=True, name='ann', groups=['staff'], purge_groups=True)
    assert purged['diff']['after'] == {'groups': ['staff']}
    assert [r['method'] for r in purged.writes] == ['DELETE', 'DELETE']
    assert state.members('payroll') == [] and state.members('old') == [] and state.members('staff') == ['ann']
    again = run_module('identity_user', name='ann', groups=['staff'], purge_groups=True)
    assert again['changed'] is False and again.writes == []


def test_an_unknown_group_fails_before_any_write(run_module, emu):
    missing = '6f300623-1e0c-48e6-a473-ddf630c0c0c3'
    result = run_module('identity_user', name='ann', email='a@x', groups=[missing])
    assert result['failed'] is True and "group %r not found" % missing in result['msg']
    assert result.writes == []
    assert ('GET', '/__api__/v1/groups/' + missing, 404) in [(r['method'], r['path'], r['status']) for r in result.entries]


def test_batch_onboarding_one_listing_then_only_writes(run_module, state, emu):
    emu.seed({'groups': [{'name': 'staff'}]})
    people = [dict(name='u%d' % i, email='u%d@example.com' % i, first_name='U%d' % i) for i in range(5)]
    first = run_module('identity_user', users=people, groups=['staff'], user_must_set_password=True)
    assert first['changed'] is True and [r['changed'] for r in first['results']] == [True] * 5
    reads = [r for r in first.entries if not r['write']]
    assert kinds(reads) == [('GET', 'v1/users'), ('GET', 'v1/groups')]   # one users page, one groups page
    assert len(first.writes) == 10    # 5 creates, 5 member adds
    assert state.members('staff') == ['u0', 'u1', 'u2', 'u3', 'u4']
    rerun = run_module('identity_user', users=people, groups=['staff'], user_must_set_password=True)
    assert rerun['changed'] is False and rerun.writes == []
    assert kinds(rerun.entries) == [('GET', 'v1/users'), ('GET', 'v1/groups'), ('GET', 'v1/groups/%s/members'
                                                                                % state.group('staff')['guid'])]


def test_offboarding_batch_locks_and_empties_groups(run_module, state, emu):
    emu.seed({'users': [dict(username='u%d' % i, email='u%d@x' % i) for i in range(3)],
              'groups': [{'name': 'a', 'members': ['u0', 'u1']}, {'name': 'b', 'members': ['u1', 'u2']}]})
    result = run_module('identity_user', locked=True, groups=[], purge_groups=True,
                        users=[dict(name='u0'), dict(name='u1'), dict(name='u2')])
    assert result['changed'] is True
    assert all(state.user('u%d' % i)['locked'] for i in range(3))
    assert state.members('a') == [] and state.members('b') == []
    locks = [r for r in result.writes if r['path'].endswith('/lock')]
    assert len(locks) == 3 and len(result.writes) == 7    # 3 locks, 4 member removals
    reads = [r for r in result.entries if not r['write']]
    assert len(reads) == 1 + 1 + 1 + 2   # users page, caller (lock check), groups, each group's members
    rerun = run_module('identity_user', locked=True, groups=[], purge_groups=True,
                       users=[dict(name='u0'), dict(name='u1'), dict(name='u2')])
    assert rerun['changed'] is False and rerun.writes == []
    assert len(rerun.entries) == 4   # users page, groups, each group's members: no lock, no caller check


def test_bad_key_is_a_clear_401_without_the_key(run_module, emu):
    result = run_module('identity_user', _connection=False, provider='posit_connect', api_url=emu.url,
                        api_key='not-the-key-5d0c1b', name='x')
    assert result['failed'] is True and result['status'] == 401
    assert "couldn't log you in with the provided credentials" in result['msg']
    assert result['msg'].startswith('posit_connect: GET /__api__/v1/users')
    assert 'not-the-key-5d0c1b' not in json.dumps(result.result) + result.stderr


def test_environment_fallbacks_select_the_provider(run_module, emu, connection):
    result = run_module('identity_user_info', _connection=False, name='admin',
                        _env={'CONNECT_SERVER': emu.url, 'CONNECT_API_KEY': connection['api_key']})
    assert result['users'][0]['name'] == 'admin' and result['users'][0]['user_role'] == 'administrator'
    assert result['users'][0]['raw']['username'] == 'admin'     # Connect's own object beside the common model


def test_user_info_filters_count_and_query(run_module, emu):
    emu.seed({'users': [dict(username='v%d' % i, email='v%d@x' % i, user_role='viewer') for i in range(3)]
              + [dict(username='pub', email='p@x', user_role='publisher', locked=True)]})
    emu.settings['page_size_cap'] = 2
    listed = run_module('identity_user_info', filters={'user_role': ['viewer', 'publisher']}, query='users[].name')
    assert sorted(listed['query_result']) == ['pub', 'v0', 'v1', 'v2']
    assert len(listed.entries) == 2 and listed['users'][0]['raw']['guid'] == listed['users'][0]['id']
    locked = run_module('identity_user_info', filters={'account_status': 'locked'})
    assert [u['name'] for u in locked['users']] == ['pub'] and locked['users'][0]['enabled'] is False
    counted = run_module('identity_user_info', count=True, filters={'user_role': 'viewer|publisher'})
    assert counted['count'] == 4 and counted['users'] == []
    assert [r['query'] for r in counted.entries] == [{'user_role': 'viewer|publisher', 'page_size': '1'}]
    wrong = run_module('identity_user_info', filters={'user_role': 'owner'})
    assert wrong['failed'] is True and 'user_role must be among' in wrong['msg'] and wrong.entries == []
    unknown = run_module('identity_user_info', filters={'enabled': False})
    assert unknown['failed'] is True and 'unknown filters enabled' in unknown['msg']


def test_domain_config_is_refused(run_module, emu):
    result = run_module('identity_domain_config', domain='corp', config={'identity': {'driver': 'ldap'}})
    assert result['failed'] is True
    assert result['msg'].startswith('posit_connect does not support identity_domain_config')
    assert result.entries == []


def test_a_create_whose_answer_is_lost_is_looked_up_never_repeated(run_module, state, emu):
    emu.seed({'faults': [{'method': 'POST', 'path': 'v1/users$', 'status': 502, 'times': 1}]})
    result = run_module('identity_user', name='jdoe', email='j@example.com', user_must_set_password=True)
    assert result['failed'] is True and 'HTTP 502' in result['msg']
    assert kinds(result.entries) == [('GET', 'v1/users'), ('POST', 'v1/users'), ('GET', 'v1/users')]
    assert state.user('jdoe') is None
    again = run_module('identity_user', name='jdoe', email='j@example.com', user_must_set_password=True)
    assert again['changed'] is True and state.user('jdoe') is not None
