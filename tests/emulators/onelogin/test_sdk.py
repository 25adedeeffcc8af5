"""OneLogin's own SDK (onelogin==4.0.1) against the emulator, call by call.

Every call the issue names goes through the SDK: the SDK builds the request (path, query, body,
auth header) and, where its typed models match OneLogin's documented answers, parses the answer.
The SDK's UsersV1Api was generated from a spec that types v1 answers as bare objects; OneLogin's
documented v1 answers are envelopes (``{"status": ..., "data": [...]}``). For those calls the
tests take the raw answer (``_preload_content=False``) and parse its parts with the SDK's own models
(``User``, ``Error``, ``GetUserApps200ResponseInner``), and one test shows the typed call failing on
the documented body, so a drift either way is caught. Each test also reads the emulator's state
or log independently of the SDK.
"""

import base64
import hashlib
import json
import time

import onelogin
import pydantic
import pytest
import requests
from onelogin.exceptions import ApiException, NotFoundException, UnauthorizedException

from .server import OneLoginEmulator

CLIENT_ID = OneLoginEmulator.DEFAULT_CLIENT['client_id']
CLIENT_SECRET = OneLoginEmulator.DEFAULT_CLIENT['client_secret']


@pytest.fixture(scope='module')
def server():
    with OneLoginEmulator() as emulator:
        yield emulator


@pytest.fixture
def emu(server):
    server.reset()
    return server


@pytest.fixture
def client(emu):
    """An SDK ApiClient with a token obtained through the SDK (HTTP Basic, as the SDK sends it)."""
    config = onelogin.Configuration(host=emu.url, username=CLIENT_ID, password=CLIENT_SECRET)
    with onelogin.ApiClient(config) as api:
        token = onelogin.OAuth2Api(api).generate_token({'grant_type': 'client_credentials'})
        config.access_token = token.access_token
        yield api


def seed(emu, **body):
    return emu.seed(json.loads(json.dumps(body)))


def raw(response):
    """(status, JSON body) of a ``_preload_content=False`` SDK answer."""
    data = response.raw_data
    return response.status_code, (json.loads(data) if data else None)


def people(emu, count, **extra):
    return seed(emu, users=[dict({'username': 'user%02d' % i, 'email': 'user%02d@example.com' % i,
                                  'firstname': 'First%02d' % i, 'lastname': 'Last%02d' % i}, **extra)
                            for i in range(count)])['users']


# ---- OAuth2 ----------------------------------------------------------------------------------------
def test_token_basic_auth_through_sdk(emu):
    config = onelogin.Configuration(host=emu.url, username=CLIENT_ID, password=CLIENT_SECRET)
    with onelogin.ApiClient(config) as api:
        first = onelogin.OAuth2Api(api).generate_token({'grant_type': 'client_credentials'})
        again = onelogin.OAuth2Api(api).generate_token({'grant_type': 'client_credentials'})
    assert isinstance(first, onelogin.OauthToken)
    assert first.token_type == 'bearer' and first.expires_in == 36000 and first.account_id == 555555
    assert again.access_token == first.access_token          # same credentials, same token
    tokens = emu.requests(path='^/auth/oauth2/v2/token$')
    assert [(r['method'], r['status']) for r in tokens] == [('POST', 200), ('POST', 200)]
    assert emu.writes() == []                                 # a token request writes no state


def test_token_legacy_header_through_sdk(emu):
    config = onelogin.Configuration(host=emu.url)             # no Basic credentials configured
    with onelogin.ApiClient(config) as api:
        token = onelogin.OAuth2Api(api).generate_token(
            {'grant_type': 'client_credentials'},
            _headers={'Authorization': 'client_id:%s, client_secret:%s' % (CLIENT_ID, CLIENT_SECRET)})
    assert token.access_token and emu.dump()['tokens'] == 1


@pytest.mark.parametrize('form', ['form', 'json'])
def test_token_credentials_in_body(emu, form):
    body = {'grant_type': 'client_credentials', 'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET}
    kwargs = {'data': body} if form == 'form' else {'json': body}
    answer = requests.post(emu.url + '/auth/oauth2/v2/token', timeout=10, **kwargs)
    assert answer.status_code == 200
    token = onelogin.OauthToken.from_dict(answer.json())
    assert token.access_token and token.expires_in == 36000


def test_token_bad_credentials_and_grant(emu):
    config = onelogin.Configuration(host=emu.url, username=CLIENT_ID, password='wrong')
    with onelogin.ApiClient(config) as api:
        with pytest.raises(UnauthorizedException) as caught:
            onelogin.OAuth2Api(api).generate_token({'grant_type': 'client_credentials'})
    assert caught.value.status == 401
    assert json.loads(caught.value.body)['status'] == {
        'error': True, 'code': 401, 'type': 'Unauthorized', 'message': 'Authentication Failure'}
    config = onelogin.Configuration(host=emu.url, username=CLIENT_ID, password=CLIENT_SECRET)
    with onelogin.ApiClient(config) as api:
        with pytest.raises(ApiException) as caught:
            onelogin.OAuth2Api(api).generate_token({'grant_type': 'password'})
    assert caught.value.status == 400
    assert json.loads(caught.value.body)['status']['message'] == 'grant_type is incorrect/absent'
    assert emu.dump()['tokens'] == 0


def test_token_expires_and_bearer_spellings(emu):
    seed(emu, config={'token_lifetime': 1})
    token = requests.post(emu.url + '/auth/oauth2/v2/token', json={'grant_type': 'client_credentials'},
                          auth=(CLIENT_ID, CLIENT_SECRET), timeout=10).json()['access_token']
    for spelling in ('Bearer %s', 'bearer %s', 'bearer:%s'):
        answer = requests.get(emu.url + '/api/2/users', headers={'Authorization': spelling % token}, timeout=10)
        assert answer.status_code == 200, spelling
    time.sleep(1.2)
    config = onelogin.Configuration(host=emu.url, access_token=token)
    with onelogin.ApiClient(config) as api:
        with pytest.raises(UnauthorizedException) as caught:
            onelogin.UsersV2Api(api).list_users2()
        assert json.loads(caught.value.body) == {'statusCode': 401, 'name': 'UnauthorizedError',
                                                 'message': 'Unauthorized'}
        with pytest.raises(UnauthorizedException) as caught:
            onelogin.UsersV1Api(api).get_custom_attributes()
        assert json.loads(caught.value.body)['status']['code'] == 401


def test_rate_limit_endpoint_and_headers(client, emu):
    seed(emu, config={'rate_limit': {'limit': 3, 'window': 60}})
    v2 = onelogin.UsersV2Api(client)
    answer = v2.list_users2_with_http_info()
    assert answer.headers['X-RateLimit-Limit'] == '3' and answer.headers['X-RateLimit-Remaining'] == '2'
    assert 0 < int(answer.headers['X-RateLimit-Reset']) <= 60
    limits = onelogin.OAuth2Api(client).get_rate_limit()
    assert limits.data.x_rate_limit_limit == 3 and limits.data.x_rate_limit_remaining == 1
    v2.list_users2()
    with pytest.raises(ApiException) as caught:
        v2.list_users2()
    assert caught.value.status == 429
    assert caught.value.headers['X-RateLimit-Remaining'] == '0'
    assert json.loads(caught.value.body)['name'] == 'TooManyRequestsError'
    with pytest.raises(ApiException) as caught:
        onelogin.UsersV1Api(client).get_custom_attributes()
    assert caught.value.status == 429 and json.loads(caught.value.body)['status']['code'] == 429
    assert [r['status'] for r in emu.requests(path='^/api/')][-2:] == [429, 429]


def test_rate_limit_window_resets(client, emu):
    seed(emu, config={'rate_limit': {'limit': 1, 'window': 1}})
    v2 = onelogin.UsersV2Api(client)
    v2.list_users2()
    with pytest.raises(ApiException):
        v2.list_users2()
    time.sleep(1.1)
    assert v2.list_users2_with_http_info().headers['X-RateLimit-Remaining'] == '0'


# ---- UsersV1Api: the fifteen calls of the seed -----------------------------------------------------------
def test_v1_create_get_update_delete_user(client, emu):
    seed(emu, groups=[{'name': 'Payroll'}], custom_attributes=['employee_no'])
    group_id = emu.dump()['groups'][0]['id']
    v1 = onelogin.UsersV1Api(client)
    new = onelogin.User(firstname='Jane', lastname='Doe', email='jdoe@example.com', username='jdoe',
                        title='Clerk', group_id=group_id)
    status, body = raw(v1.create_user_with_http_info(user=new, _preload_content=False))
    assert status == 200 and body['status']['message'] == 'Success'
    created = onelogin.User.from_dict(body['data'][0])
    assert created.id > 0 and created.username == 'jdoe' and created.group_id == group_id
    assert created.state == 1 and created.status == 7               # approved; password pending

    status, body = raw(v1.get_user_by_id_with_http_info(created.id, _preload_content=False))
    assert status == 200 and onelogin.User.from_dict(body['data'][0]).email == 'jdoe@example.com'
    assert body['data'][0]['role_id'] == [] and 'role_ids' not in body['data'][0]

    status, body = raw(v1.update_user_with_http_info(
        created.id, user=onelogin.User(title='Senior clerk', custom_attributes={'employee_no': '42'}),
        _preload_content=False))
    assert status == 200 and body['data'][0]['title'] == 'Senior clerk'
    stored = emu.dump()['users'][0]
    assert stored['title'] == 'Senior clerk' and stored['custom_attributes'] == {'employee_no': '42'}

    status, body = raw(v1.delete_user_with_http_info(created.id, _preload_content=False))
    assert status == 200 and body == {'status': {'error': False, 'code': 200, 'type': 'success',
                                                 'message': 'Success'}}
    assert emu.dump()['users'] == []
    with pytest.raises(NotFoundException) as caught:
        v1.get_user_by_id(created.id)
    assert json.loads(caught.value.body)['status']['message'] == 'User for id %d was not found' % created.id
    assert [(r['method'], r['path']) for r in emu.writes()] == [
        ('POST', '/api/1/users'), ('PUT', '/api/1/users/%d' % created.id),
        ('DELETE', '/api/1/users/%d' % created.id)]


def test_v1_create_user_errors(client, emu):
    people(emu, 1)
    v1 = onelogin.UsersV1Api(client)
    with pytest.raises(ApiException) as caught:
        v1.create_user(user=onelogin.User(firstname='A', lastname='B', email='user00@example.com',
                                          username='other'))
    assert caught.value.status == 422
    assert json.loads(caught.value.body)['status'] == {
        'error': True, 'code': 422, 'type': 'unprocessable entity',
        'message': 'Validation failed: Email has already been taken'}
    status, body = raw(v1.create_user_with_http_info(
        user=onelogin.User(firstname='A', lastname='B', email='a@example.com', username='a'),
        _preload_content=False, _headers={}))
    assert status == 200
    answer = requests.post(emu.url + '/api/1/users', json={'username': 'x', 'employee_number': 1},
                           headers={'Authorization': client.configuration.auth_settings()['OAuth2']['value']},
                           timeout=10)
    assert answer.status_code == 400 and answer.json()['status']['message'] == {
        'attribute': 'employee_number', 'description': 'employee_number is not a valid attribute for user model'}
    assert len(emu.dump()['users']) == 2


def test_v1_list_users_filters_fields_and_pagination(client, emu):
    seed(emu, config={'page_size': 2, 'max_page_size': 2})
    ids = people(emu, 5)
    v1 = onelogin.UsersV1Api(client)
    seen, cursor, pages = [], None, 0
    while True:
        status, body = raw(v1.list_users_with_http_info(cursor=cursor, _preload_content=False))
        assert status == 200 and set(body['pagination']) == {'before_cursor', 'after_cursor',
                                                             'previous_link', 'next_link'}
        seen += [onelogin.User.from_dict(u).id for u in body['data']]
        pages += 1
        cursor = body['pagination']['after_cursor']
        if not cursor:
            break
    assert seen == ids and pages == 3
    # the documented way: follow next_link (?after_cursor=...)
    headers = {'Authorization': client.configuration.auth_settings()['OAuth2']['value']}
    first = requests.get(emu.url + '/api/1/users', headers=headers, timeout=10).json()
    second = requests.get(emu.url + first['pagination']['next_link'], headers=headers, timeout=10).json()
    assert [u['id'] for u in second['data']] == ids[2:4]
    assert second['pagination']['before_cursor'] and 'after_cursor=' in second['pagination']['next_link']

    status, body = raw(v1.list_users_with_http_info(email='USER03@example.com', _preload_content=False))
    assert [u['id'] for u in body['data']] == [ids[3]]
    status, body = raw(v1.list_users_with_http_info(username='user0*', fields='email',
                                                    _preload_content=False))
    assert body['data'][0] == {'id': ids[0], 'email': 'user00@example.com'}
    status, body = raw(v1.list_users_with_http_info(user_ids='%d,%d' % (ids[1], ids[4]),
                                                    _preload_content=False))
    assert [u['id'] for u in body['data']] == [ids[1], ids[4]]


def test_v1_list_users_date_and_custom_attribute_filters(client, emu):
    seed(emu, custom_attributes=['cost_center'],
         users=[{'username': 'old', 'email': 'old@example.com', 'created_at': '2020-01-01T00:00:00.000Z',
                 'last_login': '2020-02-01T00:00:00.000Z', 'custom_attributes': {'cost_center': 'A1'}},
                {'username': 'new', 'email': 'new@example.com', 'custom_attributes': {'cost_center': 'B2'}}])
    v1 = onelogin.UsersV1Api(client)
    _status, body = raw(v1.list_users_with_http_info(created_until='2021-01-01T00:00:00Z', _preload_content=False))
    assert [u['username'] for u in body['data']] == ['old']
    _status, body = raw(v1.list_users_with_http_info(created_since='2021-01-01T00:00:00Z', _preload_content=False))
    assert [u['username'] for u in body['data']] == ['new']
    _status, body = raw(v1.list_users_with_http_info(last_login_since='2019-01-01T00:00:00Z', _preload_content=False))
    assert [u['username'] for u in body['data']] == ['old']
    # the SDK cannot name the attribute (it sends ``custom_attributes.{attribute_name}`` literally)
    _status, body = raw(v1.list_users_with_http_info(custom_attributes_attribute_name='B2', _preload_content=False))
    assert body['data'] == []
    assert emu.requests(path='^/api/1/users$')[-1]['query'] == {'custom_attributes.{attribute_name}': 'B2'}
    headers = {'Authorization': client.configuration.auth_settings()['OAuth2']['value']}
    answer = requests.get(emu.url + '/api/1/users', params={'custom_attributes.cost_center': 'B*'},
                          headers=headers, timeout=10).json()
    assert [u['username'] for u in answer['data']] == ['new']


def test_v1_roles_of_a_user(client, emu):
    roles = seed(emu, roles=[{'name': 'Admins'}, {'name': 'Staff'}, {'name': 'Guests'}])['roles']
    user_id = people(emu, 1)[0]
    v1 = onelogin.UsersV1Api(client)
    status, body = raw(v1.get_user_roles_with_http_info(user_id, _preload_content=False))
    assert status == 200 and body['data'] == [[]]                  # nested list, empty => [[]]

    status, body = raw(v1.add_roles_to_user_with_http_info(
        user_id, onelogin.AddRolesToUserRequest(role_id_array=roles[:2]), _preload_content=False))
    assert status == 200 and onelogin.Error.from_dict(body['status']).code == 200
    assert emu.dump()['users'][0]['role_ids'] == roles[:2]
    assert raw(v1.get_user_roles_with_http_info(user_id, _preload_content=False))[1]['data'] == [roles[:2]]

    with pytest.raises(ApiException) as caught:
        v1.add_roles_to_user(user_id, onelogin.AddRolesToUserRequest(role_id_array=roles[:1]))
    assert json.loads(caught.value.body)['status']['message'] == 'input role_id_array is already included as user roles'
    with pytest.raises(ApiException) as caught:
        v1.add_roles_to_user(user_id, onelogin.AddRolesToUserRequest(role_id_array=[999]))
    assert json.loads(caught.value.body)['status']['message'].startswith('role_id_array should be a subset of')

    # the SDK's model sends [{"role_id": N}], the documentation [N]: both are taken
    request = onelogin.RemoveUserRoleRequest(
        role_id_array=[onelogin.RemoveUserRoleRequestRoleIdArrayInner(role_id=roles[0])])
    status, body = raw(v1.remove_user_role_with_http_info(user_id, request, _preload_content=False))
    assert status == 200 and body['status']['type'] == 'success'
    assert emu.dump()['users'][0]['role_ids'] == [roles[1]]
    with pytest.raises(ApiException) as caught:
        v1.remove_user_role(user_id, request)
    assert caught.value.status == 400
    assert json.loads(caught.value.body)['status']['message'] == 'input role_id_array is not included as user roles'
    assert emu.dump()['roles'][1]['users'] == [user_id]


def test_v1_state_lock_logout(client, emu):
    user_id = people(emu, 1, sessions=2)[0]
    v1 = onelogin.UsersV1Api(client)
    status, body = raw(v1.set_user_state_with_http_info(user_id, onelogin.SetUserStateRequest(state=3),
                                                        _preload_content=False))
    assert status == 200 and body['status']['code'] == 200
    assert emu.dump()['users'][0]['state'] == 3
    with pytest.raises(ApiException) as caught:
        v1.set_user_state(user_id, onelogin.SetUserStateRequest(state=3))
    assert json.loads(caught.value.body)['status']['message'] == 'user is already in this state'

    status, body = raw(v1.lock_account_user_with_http_info(
        user_id, onelogin.LockAccountUserRequest(locked_until=30), _preload_content=False))
    user = emu.dump()['users'][0]
    assert status == 200 and body['status']['type'] == 'success'
    assert user['status'] == 3 and user['locked_until'].endswith('Z')
    status, body = raw(v1.lock_account_user_with_http_info(
        user_id, onelogin.LockAccountUserRequest(locked_until=0), _preload_content=False))
    assert body['status']['code'] == 200 and emu.dump()['users'][0]['locked_until'] is None   # until unlocked

    assert emu.dump()['users'][0]['sessions'] == 2
    status, body = raw(v1.log_out_user_with_http_info(user_id, _preload_content=False))
    assert status == 200 and body['status']['message'] == 'Success'
    user = emu.dump()['users'][0]
    assert user['sessions'] == 0 and user['logouts'] == 1
    assert [r['path'].rsplit('/', 1)[1] for r in emu.writes()] == [
        'set_state', 'set_state', 'lock_user', 'lock_user', 'logout']


def test_v1_passwords(client, emu):
    user_id = people(emu, 1)[0]
    v1 = onelogin.UsersV1Api(client)
    status, body = raw(v1.update_password_insecure_with_http_info(
        user_id, onelogin.UpdatePasswordInsecureRequest(password='S3cret!pw', password_confirmation='S3cret!pw'),
        _preload_content=False))
    stored = emu.dump()['users'][0]
    assert status == 200 and body == {'status': {'error': False, 'code': 200, 'type': 'success', 'message': 'Success'}}
    assert stored['status'] == 1 and stored['password_changed_at']
    assert stored['password']['hash'] == hashlib.sha256(
        (stored['password']['salt'] + 'S3cret!pw').encode()).hexdigest()
    with pytest.raises(ApiException) as caught:
        v1.update_password_insecure(user_id, onelogin.UpdatePasswordInsecureRequest(
            password='a', password_confirmation='b'))
    assert caught.value.status == 400

    digest = hashlib.sha256(b'pepperS3cret!pw').hexdigest()
    status, body = raw(v1.update_password_secure_with_http_info(user_id, onelogin.UpdatePasswordSecureRequest(
        password=digest, password_confirmation=digest, password_algorithm='salt+sha256', password_salt='pepper'),
        _preload_content=False))
    assert status == 200 and body['status']['code'] == 200 and emu.dump()['users'][0]['password'] == {
        'algorithm': 'salt+sha256', 'salt': 'pepper', 'hash': digest}
    with pytest.raises(ApiException) as caught:
        v1.update_password_secure(user_id, onelogin.UpdatePasswordSecureRequest(
            password=digest, password_confirmation=digest, password_algorithm='md5'))
    assert json.loads(caught.value.body)['status']['message'] == 'password_algorithm should be -> salt+sha256'
    assert [r['path'] for r in emu.writes()][0] == '/api/1/users/set_password_clear_text/%d' % user_id


def test_documented_limits_are_refused_not_a_500(client, emu):
    """lock_user's minutes (0 or more; a 32-bit integer) and a salt of at most 40 characters (the
    SDK's UpdatePasswordSecureRequest.password_salt): refused with the API's error, never a 500,
    and nothing changed."""
    user_id = people(emu, 1)[0]
    v1 = onelogin.UsersV1Api(client)
    for minutes in (-5, 10 ** 12):
        with pytest.raises(ApiException) as caught:
            v1.lock_account_user(user_id, onelogin.LockAccountUserRequest(locked_until=minutes))
        assert caught.value.status == 400, minutes
        assert json.loads(caught.value.body)['status']['message'] == 'locked_until should be -> integer'
    status, _body = raw(v1.lock_account_user_with_http_info(
        user_id, onelogin.LockAccountUserRequest(locked_until=2 ** 31 - 1), _preload_content=False))
    assert status == 200 and emu.dump()['users'][0]['status'] == 3
    digest = hashlib.sha256(b'x' * 41 + b'pw').hexdigest()
    with pytest.raises(ApiException) as caught:
        v1.update_password_secure(user_id, onelogin.UpdatePasswordSecureRequest(
            password=digest, password_confirmation=digest, password_algorithm='salt+sha256', password_salt='x' * 41))
    assert caught.value.status == 400 and emu.dump()['users'][0]['password'] is None
    v2 = onelogin.UsersV2Api(client)
    with pytest.raises(ApiException) as caught:
        v2.create_user2(user=onelogin.User(
            username='salty', email='salty@example.com', password=digest,
            password_confirmation=digest, password_algorithm='salt+sha256', salt='x' * 41))
    assert caught.value.status == 422
    assert json.loads(caught.value.body)['message'] == 'Validation failed: Salt is too long (maximum is 40 characters)'
    assert [u['username'] for u in emu.dump()['users']] == ['user00']
    made = v2.create_user2(user=onelogin.User(
        username='salty', email='salty@example.com', password=digest,
        password_confirmation=digest, password_algorithm='salt+sha256', salt='x' * 40))
    assert made.username == 'salty' and emu.dump()['users'][1]['password']['salt'] == 'x' * 40


def test_v1_custom_attributes_and_apps(client, emu):
    seed(emu, custom_attributes=['employee_no', 'cost_center'],
         apps=[{'name': 'Salesforce', 'provisioning_enabled': True}, {'name': 'Hidden', 'visible': False}])
    apps = [a['id'] for a in emu.dump()['apps']]
    roles = seed(emu, roles=[{'name': 'Sales', 'apps': apps}])['roles']
    user_id = people(emu, 1, role_ids=roles)[0]
    v1 = onelogin.UsersV1Api(client)
    attributes = v1.get_custom_attributes()                         # typed: matches the documented body
    assert attributes.data == [['employee_no', 'cost_center']] and attributes.status.code == 200

    status, body = raw(v1.get_user_apps_with_http_info(user_id, _preload_content=False))
    parsed = [onelogin.GetUserApps200ResponseInner.from_dict(a) for a in body['data']]
    assert status == 200 and [a.name for a in parsed] == ['Salesforce']
    assert parsed[0].provisioning_enabled is True and parsed[0].provisioning_status == 'enabled'
    status, body = raw(v1.get_user_apps_with_http_info(user_id, ignore_visibility=True, _preload_content=False))
    assert [a['name'] for a in body['data']] == ['Salesforce', 'Hidden']


@pytest.mark.parametrize('call', [
    lambda v1, uid, rid: v1.get_user_by_id(uid),
    lambda v1, uid, rid: v1.list_users(),
    lambda v1, uid, rid: v1.get_user_roles(uid),
    lambda v1, uid, rid: v1.get_user_apps(uid),
    lambda v1, uid, rid: v1.add_roles_to_user(uid, onelogin.AddRolesToUserRequest(role_id_array=[rid])),
    lambda v1, uid, rid: v1.log_out_user(uid),
], ids=['get_user_by_id', 'list_users', 'get_user_roles', 'get_user_apps', 'add_roles_to_user', 'log_out_user'])
def test_v1_typed_answers_follow_the_docs_not_the_sdk_spec(client, emu, call):
    """The documented v1 envelope does not fit the SDK's generated return types: the typed call
    fails to deserialise, although the request succeeded on the server."""
    role_id = seed(emu, roles=[{'name': 'R'}])['roles'][0]
    user_id = people(emu, 1)[0]
    with pytest.raises((pydantic.ValidationError, ValueError, TypeError, AttributeError)):
        call(onelogin.UsersV1Api(client), user_id, role_id)
    assert emu.requests(path='^/api/1/')[-1]['status'] == 200


# ---- v2 users (UsersV2Api) -------------------------------------------------------------------------
def test_v2_users_crud_typed(client, emu):
    roles = seed(emu, roles=[{'name': 'Staff'}])['roles']
    v2 = onelogin.UsersV2Api(client)
    created = v2.create_user2(user=onelogin.User(username='jdoe', email='jdoe@example.com', firstname='Jane',
                                                 role_ids=roles, password='Pw-123456',
                                                 password_confirmation='Pw-123456'))
    assert isinstance(created, onelogin.User) and created.role_ids == roles and created.status == 1
    assert v2.get_user2(created.id).username == 'jdoe'
    updated = v2.update_user2(created.id, user=onelogin.User(department='Finance', role_ids=[]))
    assert updated.department == 'Finance' and updated.role_ids == []
    assert emu.dump()['roles'][0]['users'] == []
    assert v2.delete_user2(created.id) is None
    with pytest.raises(NotFoundException) as caught:
        v2.get_user2(created.id)
    assert json.loads(caught.value.body) == {'statusCode': 404, 'name': 'NotFoundError',
                                             'message': 'The resource with the given id could not be found'}
    assert [(r['method'], r['status']) for r in emu.writes()] == [('POST', 201), ('PUT', 200), ('DELETE', 204)]


def test_v2_errors(client, emu):
    people(emu, 1)
    v2 = onelogin.UsersV2Api(client)
    with pytest.raises(ApiException) as caught:
        v2.create_user2(user=onelogin.User(username='user00', email='other@example.com'))
    assert caught.value.status == 422
    assert json.loads(caught.value.body) == {'statusCode': 422, 'name': 'UnprocessableEntityError',
                                             'message': 'Validation failed: Username has already been taken'}
    headers = {'Authorization': client.configuration.auth_settings()['OAuth2']['value']}
    answer = requests.post(emu.url + '/api/2/users', json={'username': 'x', 'employee_number': 1},
                           headers=headers, timeout=10)
    assert answer.status_code == 400 and answer.json() == {
        'statusCode': 400, 'name': 'BadRequestError', 'message': 'unknown attribute: employee_number'}
    assert len(emu.dump()['users']) == 1


def test_v2_list_users_pagination_headers(client, emu):
    seed(emu, config={'page_size': 2, 'max_page_size': 2})
    ids = people(emu, 5)
    v2 = onelogin.UsersV2Api(client)
    first = v2.list_users2_with_http_info(limit=100)
    assert [u.id for u in first.data] == ids[:2]
    assert first.headers['Total-Count'] == '5' and first.headers['Total-Pages'] == '3'
    assert base64.b64decode(first.headers['After-Cursor']).decode() == 'limit=2&page=2'
    assert 'rel="next"' in first.headers['Link'] and 'Before-Cursor' not in first.headers
    seen, cursor = [], None
    while True:
        page = v2.list_users2_with_http_info(cursor=cursor)
        seen += [u.id for u in page.data]
        cursor = page.headers.get('After-Cursor')
        if not cursor:
            break
    assert seen == ids and page.headers['Current-Page'] == '3' and page.headers['Page-Items'] == '1'
    assert [u.id for u in v2.list_users2(page=2)] == ids[2:4]
    assert [u.email for u in v2.list_users2(email='*@example.com', fields='email')][:1] == ['user00@example.com']
    assert v2.list_users2(fields='email')[0].username is None


def test_v2_user_apps(client, emu):
    seed(emu, apps=[{'name': 'Slack'}])
    roles = seed(emu, roles=[{'name': 'Chat', 'apps': [emu.dump()['apps'][0]['id']]}])['roles']
    user_id = people(emu, 1, role_ids=roles)[0]
    apps = onelogin.UsersV2Api(client).get_user_apps2(user_id)
    assert [a.name for a in apps] == ['Slack'] and apps[0].login_id


# ---- roles and groups ------------------------------------------------------------------------------
def test_roles_v2_and_v1(client, emu):
    ids = people(emu, 3)
    roles = onelogin.RolesApi(client)
    made = roles.create_role(onelogin.Role(name='Auditors'))
    role_id = str(made.id)
    assert roles.get_role(role_id).name == 'Auditors'
    assert [r.name for r in roles.list_roles(role_name='Aud*')] == ['Auditors']
    assert [r.id for r in roles.add_role_users(role_id, ids[:2])] == ids[:2]
    assert sorted(emu.dump()['users'][0]['role_ids']) == [made.id]
    assert [u.id for u in roles.get_role_users(role_id)] == ids[:2]
    assert roles.remove_role_users(role_id, [ids[0]]) is None
    assert [u.id for u in roles.get_role_users(role_id)] == [ids[1]]
    by_name = roles.get_role_by_name(name='Auditors')
    assert by_name.data[0].id == made.id and by_name.pagination.after_cursor is None
    assert roles.get_role_by_id(role_id).data[0].name == 'Auditors'
    assert roles.update_role(role_id, {'name': 'Audit'}).id == made.id
    roles.add_role_admins(role_id, [ids[2]])
    assert [u.id for u in roles.get_role_admins(role_id)] == [ids[2]]
    roles.delete_role(role_id)
    assert emu.dump()['roles'] == [] and emu.dump()['users'][1]['role_ids'] == []
    with pytest.raises(NotFoundException):
        roles.get_role(role_id)


def test_groups_read_only(client, emu):
    seed(emu, config={'page_size': 1}, groups=[{'name': 'Payroll'}, {'name': 'Sales'}])
    groups = onelogin.GroupsApi(client)
    first = groups.get_groups()
    assert [g.name for g in first.data] == ['Payroll'] and first.status.code == 200
    headers = {'Authorization': client.configuration.auth_settings()['OAuth2']['value']}
    pagination = json.loads(groups.get_groups_with_http_info(_preload_content=False).raw_data)['pagination']
    page = requests.get(emu.url + '/api/1/groups', params={'after_cursor': pagination['after_cursor']},
                        headers=headers, timeout=10).json()
    assert [g['name'] for g in page['data']] == ['Sales'] and page['pagination']['after_cursor'] is None
    group_id = str(emu.dump()['groups'][1]['id'])
    assert groups.get_group_by_id(group_id).data[0].name == 'Sales'
    answer = requests.post(emu.url + '/api/1/groups', json={'name': 'x'}, headers=headers, timeout=10)
    assert answer.status_code == 405 and answer.json()['status']['error'] is True


# ---- scopes and faults -------------------------------------------------------------------------------
def test_scope_manage_users_cannot_assign_roles(emu):
    seed(emu, clients=[{'client_id': 'mu', 'client_secret': 'mu-secret', 'scope': 'manage_users'}])
    role_id = seed(emu, roles=[{'name': 'R'}])['roles'][0]
    user_id = people(emu, 1)[0]
    config = onelogin.Configuration(host=emu.url, username='mu', password='mu-secret')
    with onelogin.ApiClient(config) as api:
        config.access_token = onelogin.OAuth2Api(api).generate_token({'grant_type': 'client_credentials'}).access_token
        v1 = onelogin.UsersV1Api(api)
        with pytest.raises(ApiException) as caught:
            v1.add_roles_to_user(user_id, onelogin.AddRolesToUserRequest(role_id_array=[role_id]))
        assert caught.value.status == 403
        assert onelogin.UsersV2Api(api).update_user2(user_id, user=onelogin.User(title='x')).title == 'x'
    assert emu.dump()['users'][0]['role_ids'] == []


def test_injected_fault_answers_once(client, emu):
    seed(emu, faults=[{'method': 'GET', 'path': '^/api/2/users$', 'status': 503}])
    v2 = onelogin.UsersV2Api(client)
    with pytest.raises(ApiException) as caught:
        v2.list_users2()
    assert caught.value.status == 503 and json.loads(caught.value.body)['name'] == 'ServiceUnavailableError'
    assert v2.list_users2() == []


def test_v2_username_change_and_duplicate_through_sdk(client, emu):
    """A username is changed by ``PUT /api/2/users/{id}`` (same ID, roles and group kept); another
    user's username, in any case, is refused with OneLogin's 422."""
    seeded = seed(emu, roles=[{'name': 'Staff'}], groups=[{'name': 'Payroll'}])
    people(emu, 2)
    v2 = onelogin.UsersV2Api(client)
    first = [u for u in emu.dump()['users'] if u['username'] == 'user00'][0]
    v2.update_user2(first['id'], user=onelogin.User(role_ids=seeded['roles'], group_id=emu.dump()['groups'][0]['id']))
    renamed = v2.update_user2(first['id'], user=onelogin.User(username='Ada.Lovelace'))
    assert (renamed.id, renamed.username, renamed.role_ids) == (first['id'], 'Ada.Lovelace', seeded['roles'])
    assert v2.get_user2(first['id']).group_id == emu.dump()['groups'][0]['id']
    assert [u.username for u in v2.list_users2(username='Ada.Lovelace')] == ['Ada.Lovelace']
    with pytest.raises(ApiException) as caught:
        v2.update_user2(first['id'], user=onelogin.User(username='USER01'))
    assert caught.value.status == 422
    assert json.loads(caught.value.body)['message'] == 'Validation failed: Username has already been taken'
    case_only = v2.update_user2(first['id'], user=onelogin.User(username='ada.lovelace'))   # its own name, any case
    assert case_only.username == 'ada.lovelace'
