"""identity_user and identity_user_info against the OneLogin emulator (state read back from the
emulator, requests counted in its log)."""

import hashlib
import json

WRITE = ('POST', 'PUT', 'DELETE')


def calls(run):
    return [(e['method'], e['path']) for e in run.entries]


def writes(run):
    return [(e['method'], e['path']) for e in run.writes]


def test_create_rerun_update_delete(run_module, state):
    state.seed(groups=[{'name': 'Payroll'}], custom_attributes=['cost_center', 'employee_no'])
    args = dict(name='jdoe', email='jdoe@example.com', first_name='Jane', last_name='Doe', title='Clerk',
                password='S3cret-pw-1', groups=['Payroll'], custom_attributes={'cost_center': 'A1'})
    created = run_module('identity_user', _diff=True, **args)
    assert created['changed'] is True, created.result
    user = state.user('jdoe')
    assert (user['email'], user['firstname'], user['title']) == ('jdoe@example.com', 'Jane', 'Clerk')
    assert user['custom_attributes'] == {'cost_center': 'A1', 'employee_no': None}
    assert user['group_id'] == state.dump()['groups'][0]['id'] and user['status'] == 1
    assert user['password']['hash'] == hashlib.sha256((user['password']['salt'] + 'S3cret-pw-1').encode()).hexdigest()
    assert writes(created) == [('POST', '/api/2/users')]                  # password and group included
    assert created['diff']['after']['password'] == '********' and created['diff']['after']['groups'] == ['Payroll']
    assert created['user']['id'] == str(user['id']) and created['rate_limit']['limit'] == 5000
    assert 'S3cret-pw-1' not in json.dumps(created.result)

    again = run_module('identity_user', **args)
    assert again['changed'] is False and again.writes == []
    assert calls(again) == [('POST', '/auth/oauth2/v2/token'), ('GET', '/api/2/users'), ('GET', '/api/1/groups')]

    updated = run_module('identity_user', _diff=True, name='jdoe', title='Senior clerk', description='moved',
                         custom_attributes={'employee_no': '42'})
    assert updated['changed'] is True
    assert updated['diff'] == {'before': {'title': 'Clerk'},      # no nulls
                               'after': {'title': 'Senior clerk', 'description': 'moved',
                                         'custom_attributes': {'employee_no': '42'}}}
    user = state.user('jdoe')
    assert user['title'] == 'Senior clerk' and user['comment'] == 'moved'
    assert user['custom_attributes'] == {'cost_center': 'A1', 'employee_no': '42'}   # other keys left alone
    assert writes(updated) == [('PUT', '/api/2/users/%d' % user['id'])]

    gone = run_module('identity_user', name='jdoe', state='absent')
    assert gone['changed'] is True and state.user('jdoe') is None
    assert writes(gone) == [('DELETE', '/api/2/users/%d' % user['id'])]
    assert run_module('identity_user', name='jdoe', state='absent')['changed'] is False


def test_check_mode_predicts_and_writes_nothing(run_module, state):
    state.seed(users=[{'username': 'ann', 'email': 'ann@example.com', 'title': 'A'}])
    new = run_module('identity_user', _check=True, _diff=True, name='bob', email='bob@example.com', password='pw-Secret-2')
    assert new['changed'] is True and new.writes == [] and state.user('bob') is None
    assert new['user']['id'] is None and new['diff']['after']['password'] == '********'
    change = run_module('identity_user', _check=True, _diff=True, name='ann', title='B', enabled=False,
                        locked=False, user_state='rejected', logout=True)
    assert change['changed'] is True and change.writes == []
    assert change['diff']['before'] == {'title': 'A', 'enabled': True, 'user_state': 'approved'}
    assert change['diff']['after'] == {'title': 'B', 'enabled': False, 'user_state': 'rejected', 'logout': True}
    assert state.user('ann')['title'] == 'A' and state.user('ann')['logouts'] == 0


def test_enabled_state_lock_and_logout(run_module, state):
    state.seed(users=[{'username': 'leaver', 'email': 'leaver@example.com', 'status': 1, 'sessions': 3}])
    user_id = state.user('leaver')['id']
    off = run_module('identity_user', name='leaver', enabled=False, user_state='unlicensed', logout=True)
    assert off['changed'] is True
    user = state.user('leaver')
    assert (user['status'], user['state'], user['sessions'], user['logouts']) == (2, 3, 0, 1)
    assert writes(off) == [('PUT', '/api/2/users/%d' % user_id), ('PUT', '/api/1/users/%d/set_state' % user_id),
                           ('PUT', '/api/1/users/%d/logout' % user_id)]
    again = run_module('identity_user', name='leaver', enabled=False, user_state='unlicensed')
    assert again['changed'] is False and again.writes == []
    logout_again = run_module('identity_user', name='leaver', logout=True)          # never a no-op
    assert logout_again['changed'] is True and writes(logout_again) == [('PUT', '/api/1/users/%d/logout' % user_id)]

    back = run_module('identity_user', name='leaver', enabled=True, user_state='approved')
    assert back['changed'] is True and (state.user('leaver')['status'], state.user('leaver')['state']) == (1, 1)
    locked = run_module('identity_user', name='leaver', locked=True, lock_minutes=30)
    assert locked['changed'] is True and state.user('leaver')['status'] == 3
    assert state.user('leaver')['locked_until'] is not None
    assert writes(locked) == [('PUT', '/api/1/users/%d/lock_user' % user_id)]
    assert run_module('identity_user', name='leaver', locked=True).writes == []
    unlocked = run_module('identity_user', name='leaver', locked=False)
    assert unlocked['changed'] is True and state.user('leaver')['status'] == 1
    both = run_module('identity_user', name='leaver', enabled=False, locked=True)
    assert both['failed'] is True and 'give one of them' in both['msg'] and both.writes == []


def test_passwords_cleartext_and_salted(run_module, state):
    state.seed(users=[{'username': 'pw', 'email': 'pw@example.com'}])
    user_id = state.user('pw')['id']
    kept = run_module('identity_user', name='pw', password='N3w-secret')            # on_create: not sent
    assert kept['changed'] is False and kept.writes == []
    clear = run_module('identity_user', name='pw', password='N3w-secret', update_password='always')
    assert writes(clear) == [('PUT', '/api/1/users/set_password_clear_text/%d' % user_id)]
    stored = state.user('pw')['password']
    assert stored['hash'] == hashlib.sha256((stored['salt'] + 'N3w-secret').encode()).hexdigest()
    salted = run_module('identity_user', name='pw', password='N3w-secret', update_password='always',
                        password_algorithm='salt+sha256', password_salt='pepper')
    assert writes(salted) == [('PUT', '/api/1/users/set_password_using_salt/%d' % user_id)]
    assert state.user('pw')['password'] == {'algorithm': 'salt+sha256', 'salt': 'pepper',
                                            'hash': hashlib.sha256(b'pepperN3w-secret').hexdigest()}
    new = run_module('identity_user', name='hashed', email='h@example.com', password='Cr3ate-pw',
                     password_algorithm='salt+sha256', password_salt='s1')
    assert writes(new) == [('POST', '/api/2/users')]
    assert state.user('hashed')['password']['hash'] == hashlib.sha256(b's1Cr3ate-pw').hexdigest()


def test_one_group_per_user(run_module, state):
    state.seed(groups=[{'name': 'Payroll'}, {'name': 'Sales'}])
    groups = dict((g['name'], g['id']) for g in state.dump()['groups'])
    state.seed(users=[{'username': 'mover', 'email': 'm@example.com', 'group_id': groups['Payroll']}])
    moved = run_module('identity_user', _diff=True, name='mover', groups=['Sales'])
    assert moved['changed'] is True and state.user('mover')['group_id'] == groups['Sales']
    assert moved['diff'] == {'before': {'groups': ['Payroll']}, 'after': {'groups': ['Sales']}}
    assert len(moved.writes) == 1
    assert run_module('identity_user', name='mover', groups=['Sales']).writes == []
    assert run_module('identity_user', name='mover', groups=[]).writes == []          # no purge: nothing
    out = run_module('identity_user', name='mover', groups=[], purge_groups=True)
    assert out['changed'] is True and state.user('mover')['group_id'] is None
    two = run_module('identity_user', name='mover', groups=['Payroll', 'Sales'])
    assert two['failed'] is True and two.entries == []
    assert two['msg'].endswith('onelogin does not support more than 1 item in option groups of identity_user '
                               '(a OneLogin user belongs to one group, its group_id)')
    missing = run_module('identity_user', name='mover', groups=['Nope'])
    assert missing['failed'] is True and "group 'Nope' not found" in missing['msg'] and missing.writes == []


def test_manager_by_username(run_module, state):
    state.seed(users=[{'username': 'boss', 'email': 'boss@example.com'}])
    result = run_module('identity_user', name='worker', email='w@example.com', manager='boss')
    assert result['changed'] is True
    assert state.user('worker')['manager_user_id'] == str(state.user('boss')['id'])
    assert run_module('identity_user', name='worker', manager='boss').writes == []


def test_info_filters_fields_pagination_apps_roles(run_module, state, onelogin):
    state.seed(config={'page_size': 2, 'max_page_size': 2}, custom_attributes=['cost_center'],
               apps=[{'name': 'Slack'}], roles=[{'name': 'Staff', 'apps': [400001]}])
    state.seed(users=[{'username': 'u%d' % i, 'email': 'u%d@example.com' % i, 'role_ids': [200001] if i == 0 else [],
                       'custom_attributes': {'cost_center': 'CC%d' % (i % 2)}} for i in range(5)])
    everyone = run_module('identity_user_info')
    assert [u['name'] for u in everyone['users']] == ['u0', 'u1', 'u2', 'u3', 'u4']
    assert [e['query'].get('cursor') is not None for e in everyone.entries if e['path'] == '/api/2/users'] == [
        False, True, True]                                                             # three pages
    assert everyone['users'][0]['raw']['username'] == 'u0' and everyone['users'][0]['domain_id'] is None
    odd = run_module('identity_user_info', filters={'custom_attributes': {'cost_center': 'CC1'}})
    assert [u['name'] for u in odd['users']] == ['u1', 'u3']
    one = run_module('identity_user_info', name='u0', with_roles=True, with_apps=True, fields=['username', 'role_ids'],
                     custom_attribute_names=True, query='users[0].roles[].name')
    assert one['query_result'] == ['Staff'] and one['custom_attribute_names'] == ['cost_center']
    assert [a['name'] for a in one['users'][0]['apps']] == ['Slack']
    assert set(one['users'][0]['raw']) == {'id', 'username', 'role_ids'}
    by_email = run_module('identity_user_info', filters={'email': 'u3@*', 'created_since': '2020-01-01T00:00:00Z'})
    assert [u['name'] for u in by_email['users']] == ['u3']
    bad = run_module('identity_user_info', filters={'group': 'x'})
    assert bad['failed'] is True and "unknown filter 'group' for OneLogin users" in bad['msg'] and bad.entries == []


def test_batch_onboarding_rerun_and_budget(run_module, state, onelogin):
    state.seed(groups=[{'name': 'Staff'}])
    users = [dict(name='new%02d' % i, email='new%02d@example.com' % i, first_name='N%d' % i, groups=['Staff'])
             for i in range(5)]
    first = run_module('identity_user', users=users, password='Welcome-1')
    assert first['changed'] is True and [r['changed'] for r in first['results']] == [True] * 5
    assert len(first.writes) == 5 and len(first.entries) == 8          # token, users, groups + one POST each
    assert all(u['group_id'] == state.dump()['groups'][0]['id'] for u in state.dump()['users'])
    rerun = run_module('identity_user', users=users, password='Welcome-1')
    assert rerun['changed'] is False and rerun.writes == []
    assert calls(rerun) == [('POST', '/auth/oauth2/v2/token'), ('GET', '/api/2/users'), ('GET', '/api/1/groups')]

    state.seed(config={'rate_limit': {'limit': 6, 'window': 600}})
    more = [dict(name='more%d' % i, email='more%d@example.com' % i) for i in range(6)]
    refused = run_module('identity_user', users=more)
    assert refused['failed'] is True and refused.writes == []
    assert 'the batch of 6 users needs at least 6 requests but only 5 of the rate limit' in refused['msg']
    assert refused['rate_limit']['remaining'] == 5


def test_rate_limited_answer_waits_for_the_reset_then_succeeds(run_module, state, onelogin):
    state.seed(users=[{'username': 'slow', 'email': 'slow@example.com'}], config={'rate_limit': {'limit': 1, 'window': 2}})
    result = run_module('identity_user', name='slow', title='T')
    assert result['changed'] is True and state.user('slow')['title'] == 'T'
    path = '/api/2/users/%d' % state.user('slow')['id']
    assert [(e['method'], e['path'], e['status']) for e in result.entries] == [
        ('POST', '/auth/oauth2/v2/token', 200), ('GET', '/api/2/users', 200), ('PUT', path, 429), ('PUT', path, 200)]
    waited = result.entries[3]['time'] - result.entries[2]['time']
    assert 0.5 < waited < 5                                       # X-RateLimit-Reset, not the backoff
    assert result['rate_limit'] == {'limit': 1, 'remaining': 0, 'reset': result['rate_limit']['reset']}


def test_expired_token_is_renewed_once(run_module, state, onelogin):
    state.seed(users=[{'username': 'tok', 'email': 'tok@example.com'}],
               faults=[{'method': 'GET', 'path': '^/api/2/users$', 'status': 401}])
    result = run_module('identity_user_info', name='tok')
    assert [u['name'] for u in result['users']] == ['tok']
    assert [(e['path'], e['status']) for e in result.entries] == [
        ('/auth/oauth2/v2/token', 200), ('/api/2/users', 401), ('/auth/oauth2/v2/token', 200), ('/api/2/users', 200)]


def test_errors_name_the_request_and_the_server_text(run_module, state, onelogin_env):
    state.seed(users=[{'username': 'taken', 'email': 'taken@example.com'}], custom_attributes=['cc'])
    dup = run_module('identity_user', name='other', email='taken@example.com')
    assert dup['failed'] is True and dup['status'] == 422
    assert dup['msg'] == 'onelogin: POST /api/2/users failed: HTTP 422: Validation failed: Email has already been taken'
    bad_attr = run_module('identity_user', name='taken', custom_attributes={'nope': 1})
    assert bad_attr['failed'] is True and 'nope is not a custom attribute of this account' in bad_attr['msg']
    denied = run_module('identity_user_info', _env={'ONELOGIN_CLIENT_SECRET': 'wrong-secret'})
    assert denied['failed'] is True and denied['status'] == 401
    assert denied['msg'] == 'onelogin: POST /auth/oauth2/v2/token failed: HTTP 401: Authentication Failure'
    assert 'wrong-secret' not in json.dumps(denied.result)
    negative = run_module('identity_user', name='taken', locked=True, lock_minutes=-5)   # refused before any request
    assert negative['failed'] is True and negative['changed'] is False and negative.entries == []
    assert negative['msg'] == ("onelogin: lock_minutes: -5 is not a number of minutes from 0 (the policy's lock "
                               "period) to 2147483647")
    state.seed(clients=[{'client_id': 'users-only', 'client_secret': 'users-only-secret', 'scope': 'manage_users'}],
               roles=[{'name': 'Staff'}])
    forbidden = run_module('identity_role_assignment', user='taken', role='Staff',
                           _env={'ONELOGIN_CLIENT_ID': 'users-only', 'ONELOGIN_CLIENT_SECRET': 'users-only-secret'})
    assert forbidden['failed'] is True and forbidden['status'] == 403 and 'add_roles failed: HTTP 403: Forbidden' in forbidden['msg']
    nowhere = run_module('identity_user_info', _env={'ONELOGIN_URL': ''})
    assert nowhere['failed'] is True and 'onelogin needs the API URL' in nowhere['msg']


def test_unsupported_modules_fail_before_any_request(run_module, state):
    for module, args, text in (
            ('identity_group', dict(name='g'), 'onelogin does not support identity_group (groups are read-only in the OneLogin API)'),
            ('identity_domain_config', dict(domain='d', config={}), 'onelogin does not support identity_domain_config (OneLogin has no domains)'),
            ('identity_user', dict(name='x', domain='corp'), 'onelogin does not support option domain of identity_user (OneLogin has no domains)'),
            ('identity_role_assignment', dict(group='g', role='r'), 'onelogin does not support option group of identity_role_assignment')):
        result = run_module(module, **args)
        assert result['failed'] is True and text in result['msg'], result['msg']
        assert result.entries == []


def test_group_info_read_only_groups_with_members(run_module, state):
    state.seed(groups=[{'name': 'Payroll'}, {'name': 'Sales'}])
    payroll = state.dump()['groups'][0]['id']
    state.seed(users=[{'username': 'p1', 'email': 'p1@example.com', 'group_id': payroll},
                      {'username': 's1', 'email': 's1@example.com'}])
    result = run_module('identity_group_info', with_members=True)
    assert [(g['name'], [u['name'] for u in g['users']]) for g in result['groups']] == [('Payroll', ['p1']), ('Sales', [])]
    assert result.writes == [] and result['groups'][0]['raw'] == {'id': payroll, 'name': 'Payroll', 'reference': None}
