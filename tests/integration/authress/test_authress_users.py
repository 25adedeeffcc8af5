"""identity_user and identity_user_info against the Authress emulator: users exist (no create),
tenant links, asynchronous deletes with wait, refusals before any request, 401 and no secret."""

import json
import re

from authress_fixtures import access_key, authress_env, emulator, emulator_server, run_module, service_key  # noqa: F401 pylint: disable=unused-import

JWT = re.compile(r'eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+')


def calls(run):
    return [(e['method'], e['path'], e['status']) for e in run.entries]


def seed(emulator):
    emulator.seed({'users': [{'userId': 'google|1', 'name': 'Ada', 'email': 'ada@example.com'},
                             {'userId': 'u_bob', 'name': 'Bob'}, {'userId': 'u_carol', 'name': 'Carol'},
                             {'userId': 'u_dan', 'name': 'Dan', 'tenantId': 'ten_old'}],
                   'tenants': [{'tenantId': 'ten_corp'}, {'tenantId': 'ten_old'}]})


def test_present_user_is_linked_to_its_tenant_then_rerun_writes_nothing(emulator, run_module):
    seed(emulator)
    check = run_module('identity_user', name='google|1', tenant='ten_corp', _check=True, _diff=True)
    assert check['changed'] is True and check.writes == []
    assert check['diff'] == {'before': {}, 'after': {'tenant': 'ten_corp'}}     # no nulls
    assert emulator.dump()['user_tenant'] == {'u_dan': 'ten_old'}

    first = run_module('identity_user', name='google|1', tenant='ten_corp', _diff=True)
    assert first['changed'] is True and first['user']['tenant'] == 'ten_corp'
    assert emulator.dump()['user_tenant']['google|1'] == 'ten_corp'
    assert calls(first) == [('GET', '/v1/users/google%7C1', 200), ('GET', '/v1/users', 200),
                            ('PATCH', '/v1/tenants/ten_corp/users', 204)]
    # one search of the tenant for this user, whatever the tenant's size
    assert [e['query'] for e in first.entries if e['path'] == '/v1/users'] == [
        {'tenantId': 'ten_corp', 'filter': 'google|1', 'limit': '100'}]

    again = run_module('identity_user', name='google|1', tenant='ten_corp')
    assert again['changed'] is False and again.writes == []
    assert len(again.entries) == 2


def test_moving_a_user_to_another_tenant(emulator, run_module):
    seed(emulator)
    moved = run_module('identity_user', name='u_dan', tenant='ten_corp', _diff=True)
    assert moved['changed'] is True and moved['diff']['before'] == {}
    assert emulator.dump()['user_tenant'] == {'u_dan': 'ten_corp'}


def test_a_user_that_never_logged_in_cannot_be_created(emulator, run_module):
    seed(emulator)
    for check in (True, False):
        result = run_module('identity_user', name='u_nobody', _check=check)
        assert result['failed'] is True and result.writes == []
        assert "user 'u_nobody' does not exist, and Authress has no API to create users" in result['msg']


def test_rename_is_refused_before_any_request(emulator, run_module):
    seed(emulator)
    for where, args in (('', dict(name='u_bob', new_name='u_robert')),
                        ('users[0]: ', dict(users=[dict(name='u_bob', new_name='u_robert')]))):
        result = run_module('identity_user', **args)
        assert result['failed'] is True and result.entries == []
        assert ('authress does not support %soption new_name of identity_user (Authress users cannot be changed ' % where +
                'through the API: their IDs come from the identity provider they log in with)') in result['msg']


def test_attributes_authress_does_not_let_a_client_set_are_refused_before_any_request(emulator, run_module):
    seed(emulator)
    for args in (dict(email='x@example.com'), dict(password='Secret-1'), dict(enabled=False), dict(domain='corp')):
        result = run_module('identity_user', name='u_bob', **args)
        assert result['failed'] is True and result.entries == []
        option = list(args)[0]
        assert ('authress does not support option %s of identity_user (Authress users come from their identity '
                'provider when they log in' % option) in result['msg']
    check = run_module('identity_user', name='u_bob', tenant='ten_nope', _check=True)
    assert check['changed'] is True and check.writes == []   # an earlier task may create the tenant
    result = run_module('identity_user', name='u_bob', tenant='ten_nope')
    assert result['failed'] is True and result['status'] == 404
    assert 'PATCH /v1/tenants/ten_nope/users failed: HTTP 404' in result['msg'] and 'ten_nope does not exist' in result['msg']
    assert emulator.dump()['user_tenant'] == {'u_dan': 'ten_old'}


def test_delete_waits_until_the_asynchronous_delete_completes(emulator, run_module):
    seed(emulator)
    emulator.seed({'groups': [{'groupId': 'grp_a', 'name': 'A', 'users': [{'userId': 'u_bob'}], 'admins': []}]})
    check = run_module('identity_user', name='u_bob', state='absent', _check=True)
    assert check['changed'] is True and check.writes == []
    gone = run_module('identity_user', name='u_bob', state='absent')
    assert gone['changed'] is True and gone['user']['id'] == 'u_bob'
    state = emulator.dump()
    assert 'u_bob' not in state['users'] and state['deleting'] == []
    assert state['groups']['grp_a']['users'] == []
    methods = [(m, s) for m, p, s in calls(gone)]
    assert methods[:2] == [('GET', 200), ('DELETE', 202)] and methods[-1] == ('GET', 404)
    again = run_module('identity_user', name='u_bob', state='absent')
    assert again['changed'] is False and calls(again) == [('GET', '/v1/users/u_bob', 404)]


def test_delete_without_wait_returns_at_once_and_a_short_wait_fails_clearly(emulator, run_module):
    seed(emulator)
    emulator.seed({'settings': {'delete_delay': 30}})
    quick = run_module('identity_user', name='u_bob', state='absent', wait=False)
    assert quick['changed'] is True and [m for m, p, s in calls(quick)] == ['GET', 'DELETE']
    assert emulator.dump()['deleting'] == ['u_bob']
    slow = run_module('identity_user', name='u_carol', state='absent', wait_timeout=1)
    assert slow['failed'] is True and slow['changed'] is True
    assert "accepted the delete of user 'u_carol' (202) but it still exists after 1 seconds" in slow['msg']


def test_batch_of_users_one_jwt_one_listing_only_needed_writes(emulator, run_module):
    emulator.seed({'users': [{'userId': 'u%02d' % i} for i in range(12)], 'tenants': [{'tenantId': 'ten_corp'}]})
    emulator.seed({'settings': {'page_size': 100}})
    users = [dict(name='u%02d' % i) for i in range(12)]
    first = run_module('identity_user', users=users, tenant='ten_corp')
    assert first['changed'] is True and [r['changed'] for r in first['results']] == [True] * 12
    assert len(first.writes) == 12 and all(w['method'] == 'PATCH' for w in first.writes)
    reads = [e for e in first.entries if e['method'] == 'GET']
    assert [(e['path'], e['query'].get('tenantId')) for e in reads] == [('/v1/users', None), ('/v1/users', 'ten_corp')]
    again = run_module('identity_user', users=users, tenant='ten_corp')
    assert again['changed'] is False and again.writes == [] and len(again.entries) == 2


def test_user_info_by_filter_tenant_and_query(emulator, run_module):
    seed(emulator)
    found = run_module('identity_user_info', filters={'filter': 'ADA'})
    assert [u['id'] for u in found['users']] == ['google|1']
    tenant = run_module('identity_user_info', filters={'tenant': 'ten_old'}, query='users[].full_name')
    assert tenant['query_result'] == ['Dan'] and tenant['users'][0]['tenant'] == 'ten_old'
    every = run_module('identity_user_info')
    assert len(every['users']) == 4
    assert [e['query'].get('cursor') is not None for e in every.entries] == [False, True]   # page_size 3
    one = run_module('identity_user_info', name='google|1')
    assert one['users'][0]['email'] == 'ada@example.com'
    bad = run_module('identity_user_info', filters={'email': 'x'})
    assert bad['failed'] is True and 'Authress lists users by filter and tenant only' in bad['msg']


def test_a_bad_access_key_is_a_401_and_no_secret_is_shown(emulator, run_module, authress_env):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from authress_fixtures import make_access_key
    wrong = make_access_key(Ed25519PrivateKey.generate())
    result = run_module('identity_user_info', _env={'AUTHRESS_ACCESS_KEY': wrong})
    assert result['failed'] is True and result['status'] == 401
    assert 'GET /v1/users' in result['msg'] and 'The token signature is invalid.' in result['msg']
    text = json.dumps(result.result) + result.stderr
    assert wrong not in text and wrong.split('.')[-1] not in text and not JWT.search(text)
    malformed = run_module('identity_user_info', access_key='not-a-key')
    assert malformed['failed'] is True and malformed.entries == []
    assert 'access_key is not an Authress service client access key' in malformed['msg']


def test_a_linked_user_in_a_large_tenant_costs_two_reads(emulator, run_module):
    emulator.seed({'users': [{'userId': 'u%02d' % i, 'tenantId': 'ten_big'} for i in range(20)],
                   'tenants': [{'tenantId': 'ten_big'}]})
    result = run_module('identity_user', name='u05', tenant='ten_big')
    assert result['changed'] is False and result['user']['tenant'] == 'ten_big'
    assert [(e['path'], e['query'].get('filter')) for e in result.entries] == [('/v1/users/u05', None),
                                                                               ('/v1/users', 'u05')]
