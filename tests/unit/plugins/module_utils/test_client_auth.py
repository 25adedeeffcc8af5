"""CredentialAuth: a credential obtained once per run, renewed once on a 401, scrubbed everywhere."""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._auth import BearerAuth, CredentialAuth
from ansible_collections.iamops.identity.plugins.module_utils._http import HTTPClient
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError


class PasswordGrant(BearerAuth):
    """obtain() POSTs to /oauth/token through the client itself, as a provider would."""

    def __init__(self, renewable=True):
        super().__init__()
        self.renewable = renewable
        self.calls = 0

    def obtain(self, client):
        self.calls += 1
        return client.json('POST', '/oauth/token', json={'grant_type': 'client_credentials'})['access_token']


def token(value):
    return (200, {'access_token': value}, None)


def make(server, auth, **kwargs):
    return HTTPClient(server.url + '/api', 'onelogin', timeout=5, backoff_factor=0, auth=auth, **kwargs)


def sent(server):
    return [(r['method'], r['path'], r['headers'].get('Authorization')) for r in server.requests]


def test_credential_is_obtained_lazily_once_and_counted_apart(server):
    server.answer(token('tok-aaaa-1'), (200, {'data': []}, None))
    auth = PasswordGrant()
    client = make(server, auth)
    assert server.requests == [] and client.credential is None
    client.get('/users')
    client.get('/groups')
    assert sent(server) == [('POST', '/api/oauth/token', None),
                            ('GET', '/api/users', 'Bearer tok-aaaa-1'),
                            ('GET', '/api/groups', 'Bearer tok-aaaa-1')]
    assert auth.calls == 1 and client.credential == 'tok-aaaa-1'
    assert client.stats == {'requests': 2, 'writes': 0, 'retries': 0, 'auth': 1}
    assert client.by_method == {'GET': 2}


def test_a_401_renews_once_and_resends_once(server):
    server.answer(token('tok-old-1'), (401, {'message': 'expired'}, None), token('tok-new-2'),
                  (201, {'id': 7}, None))
    client = make(server, PasswordGrant())
    assert client.json('POST', '/users', json={'name': 'x'}) == {'id': 7}
    assert sent(server) == [('POST', '/api/oauth/token', None), ('POST', '/api/users', 'Bearer tok-old-1'),
                            ('POST', '/api/oauth/token', None), ('POST', '/api/users', 'Bearer tok-new-2')]
    assert client.stats == {'requests': 2, 'writes': 2, 'retries': 0, 'auth': 2}
    assert client.credential == 'tok-new-2'


def test_a_second_401_is_the_error(server):
    server.answer(token('tok-old-1'), (401, {'message': 'no access for tok-old-1'}, None), token('tok-new-2'),
                  (401, {'message': 'no access for tok-new-2'}, None))
    client = make(server, PasswordGrant())
    with pytest.raises(APIError) as err:
        client.get('/users')
    assert str(err.value) == 'onelogin: GET /api/users failed: HTTP 401: no access for ********'
    assert len(server.requests) == 4


def test_a_credential_that_cannot_be_renewed_fails_on_the_first_401(server):
    server.answer(token('tok-old-1'), (401, {'message': 'expired'}, None))
    with pytest.raises(APIError) as err:
        make(server, PasswordGrant(renewable=False)).get('/users')
    assert err.value.status == 401 and len(server.requests) == 2


def test_a_failed_obtain_is_the_error_and_nothing_else_is_sent(server):
    server.answer((400, {'message': 'invalid client secret'}, None))
    with pytest.raises(APIError) as err:
        make(server, PasswordGrant()).get('/users')
    assert str(err.value) == 'onelogin: POST /api/oauth/token failed: HTTP 400: invalid client secret'
    assert len(server.requests) == 1


class KeystoneStyle(CredentialAuth):
    """obtain() returns an object (the token's body); apply() takes the header value from it."""
    header = 'X-Auth-Token'

    def obtain(self, client):
        response = client.request('POST', '/auth/tokens', json={}, ok=(201,))
        return {'id': response.headers['X-Subject-Token'], 'body': client.decode(response)['token']}

    def apply(self, request, credential):
        request.headers['X-Auth-Token'] = credential['id']


def test_object_credential_header_is_scrubbed(server):
    server.answer((201, {'token': {'user': {'name': 'admin'}}}, {'X-Subject-Token': 'gAAAA-subject-token'}),
                  (403, {'error': {'message': 'token gAAAA-subject-token may not list users'}}, None))
    client = HTTPClient(server.url + '/v3', 'keystone', timeout=5, auth=KeystoneStyle())
    with pytest.raises(APIError) as err:
        client.get('/users')
    assert str(err.value) == 'keystone: GET /v3/users failed: HTTP 403: token ******** may not list users'
    assert client.credential['body'] == {'user': {'name': 'admin'}}
    assert server.requests[1]['headers']['X-Auth-Token'] == 'gAAAA-subject-token'
    assert 'X-Auth-Token' not in server.requests[0]['headers']


def test_explicit_auth_false_bypasses_the_strategy(server):
    server.answer((200, {'version': 1}, None))
    auth = PasswordGrant()
    client = make(server, auth)
    client.request('GET', '/version', auth=False)
    assert auth.calls == 0 and 'Authorization' not in server.requests[0]['headers']
