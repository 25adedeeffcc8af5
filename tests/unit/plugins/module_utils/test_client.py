import socket

import pytest

from ansible_collections.iamops.identity.plugins.module_utils import _retry
from ansible_collections.iamops.identity.plugins.module_utils._http import HTTPClient
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError


def make(server, **kwargs):
    kwargs.setdefault('backoff_factor', 0)
    return HTTPClient(server.url + '/v3', 'keystone', timeout=5, **kwargs)


def test_get_retries_transient_statuses_then_succeeds(server):
    server.answer((503, 'busy', None), (502, 'bad gateway', None), (200, {'ok': True}, None))
    client = make(server)
    assert client.get('/things') == {'ok': True}
    assert [r['method'] for r in server.requests] == ['GET', 'GET', 'GET']
    assert client.stats == {'requests': 1, 'writes': 0, 'retries': 2, 'auth': 0}


def test_retry_after_is_honoured_and_capped():
    retry = _retry.make_retry(3, 0)

    class Resp:
        headers = {'Retry-After': '7'}

        def getheader(self, name, default=None):
            return self.headers.get(name, default)

    assert retry.get_retry_after(Resp()) == 7
    Resp.headers = {'Retry-After': '86400'}
    assert retry.get_retry_after(Resp()) == _retry.MAX_RETRY_AFTER


def test_429_with_retry_after_zero_is_retried(server):
    server.answer((429, {'error': {'message': 'slow down'}}, {'Retry-After': '0'}), (200, {'ok': 1}, None))
    assert make(server).get('/x') == {'ok': 1}
    assert len(server.requests) == 2


def test_retries_are_bounded(server):
    server.answer((503, {'error': {'message': 'down for maintenance', 'code': 503}}, None))
    client = make(server, retries=2)
    with pytest.raises(APIError) as err:
        client.get('/users')
    assert len(server.requests) == 3  # first try + 2 retries
    assert err.value.status == 503
    assert 'down for maintenance' in str(err.value)


def test_post_is_never_retried_on_a_status(server):
    server.answer((503, 'busy', None), (201, {'user': {}}, None))
    client = make(server)
    with pytest.raises(APIError) as err:
        client.json('POST', '/users', json={'user': {'name': 'x'}})
    assert len(server.requests) == 1
    assert err.value.transient


def test_put_patch_delete_are_retried(server):
    for method in ('PUT', 'PATCH', 'DELETE'):
        server.answer((504, '', None), (204, '', None))
        make(server).request(method, '/groups/g/users/u')
        assert len(server.requests) == 2, method


def test_error_message_names_request_and_server_text(server):
    server.answer((404, {'error': {'code': 404, 'message': 'Could not find domain: nope.', 'title': 'Not Found'}}, None))
    with pytest.raises(APIError) as err:
        make(server).get('/domains/nope', params={'name': 'x'})
    assert str(err.value) == 'keystone: GET /v3/domains/nope?name=x failed: HTTP 404: Could not find domain: nope.'


@pytest.mark.parametrize('body,expected', [
    ({'status': {'error': True, 'code': 400, 'message': 'role_id_array is empty'}}, 'role_id_array is empty'),
    ({'message': 'Validation failed: x', 'statusCode': 422}, 'Validation failed: x'),
    ({'title': 'Group not found'}, 'Group not found'),
    ({'code': 4, 'error': 'The requested object does not exist.', 'payload': None}, 'The requested object does not exist.'),
    ({'status': {'error': True, 'message': {'attribute': 'last', 'description': 'last is not a valid attribute'}}},
     'last is not a valid attribute'),
])
def test_error_text_of_each_provider_shape(server, body, expected):
    server.answer((400, body, None))
    with pytest.raises(APIError) as err:
        make(server).get('/x')
    assert err.value.server_message == expected


def test_non_json_error_answer(server):
    server.answer((500, '<html><body><h1>Internal Server Error</h1></body></html>', None))
    with pytest.raises(APIError) as err:
        make(server, retries=0).get('/x')
    assert 'non-JSON answer (text/html): Internal Server Error' in str(err.value)


def test_non_json_success_answer(server):
    server.answer((200, '<html>a proxy login page</html>', None))
    with pytest.raises(APIError) as err:
        make(server).get('/users')
    assert 'expected JSON' in str(err.value) and 'a proxy login page' in str(err.value)


def test_sensitive_query_values_and_secrets_are_redacted(server):
    server.answer((401, {'error': {'message': 'token hunter2-token is invalid'}}, None))
    client = make(server)
    client.add_secret('hunter2-token')
    with pytest.raises(APIError) as err:
        client.get('/x', params={'api_key': 'abc123', 'name': 'jdoe'})
    text = str(err.value)
    assert 'hunter2-token' not in text and 'abc123' not in text
    assert 'api_key=%2A%2A%2A' in text or 'api_key=***' in text
    assert 'name=jdoe' in text


def test_pagination_follows_next_links(server):
    server.answer(
        (200, {'users': [{'id': 1}, {'id': 2}], 'links': {'next': server.url + '/v3/users?marker=2'}}, None),
        (200, {'users': [{'id': 3}], 'links': {'next': None}}, None),
    )
    client = make(server)

    def nxt(body, response, params):
        link = body['links']['next']
        return (link, None) if link else None

    items = list(client.paginate('/users', {'name': 'x'}, lambda b: b['users'], nxt))
    assert [i['id'] for i in items] == [1, 2, 3]
    assert [r['path'] for r in server.requests] == ['/v3/users?name=x', '/v3/users?marker=2']


def test_unreachable_server():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    client = HTTPClient('http://127.0.0.1:%d/v3' % port, 'keystone', retries=1, backoff_factor=0)
    with pytest.raises(APIError) as err:
        client.get('/users')
    assert str(err.value) == ('keystone: GET /v3/users failed: cannot connect to http://127.0.0.1:%d: '
                              '[Errno 111] Connection refused (after 1 retry over 0.0 s)' % port)
    assert err.value.transient and not err.value.outcome_unknown
    assert client.stats['retries'] == 1


def test_untrusted_certificate_is_explained(tls_server):
    tls_server.answer((200, {'users': []}, None))
    client = HTTPClient(tls_server.url + '/v3', 'keystone', retries=0)
    with pytest.raises(APIError) as err:
        client.get('/users')
    text = str(err.value)
    assert text.startswith('keystone: GET /v3/users failed: the TLS certificate of %s could not be verified' % tls_server.url)
    assert 'CERTIFICATE_VERIFY_FAILED' in text and 'ca_path' in text
    assert tls_server.requests == []


def test_ca_path_and_validate_certs_false_work(tls_server, tmp_path):
    tls_server.answer((200, {'users': []}, None))
    assert HTTPClient(tls_server.url, 'keystone', ca_path=str(tmp_path / 'cert.pem')).get('/users') == {'users': []}
    assert HTTPClient(tls_server.url, 'keystone', validate_certs=False).get('/users') == {'users': []}


def test_plain_http_server_behind_https_url(server):
    client = HTTPClient(server.url.replace('http://', 'https://'), 'keystone', retries=0)
    with pytest.raises(APIError) as err:
        client.get('/users')
    assert 'TLS handshake with https://127.0.0.1' in str(err.value)


def test_counts_writes(server):
    server.answer((201, {'user': {}}, None))
    client = make(server)
    client.json('POST', '/users', json={})
    client.json('POST', '/users', json={})
    assert client.stats['writes'] == 2 and client.by_method == {'POST': 2}


def test_writes_refused_with_a_4xx_changed_nothing(server):
    client = make(server)
    server.answer((201, {'ok': True}, None), (403, {'error': {'message': 'no'}}, None),
                  (500, {'error': {'message': 'boom'}}, None))
    client.request('POST', '/things', json={}, ok=(201,))
    with pytest.raises(APIError):
        client.request('PUT', '/things/1', json={}, ok=(204,))
    with pytest.raises(APIError):
        client.request('POST', '/things', json={}, ok=(201,))
    # every write is counted; the refused one changed nothing, the 500 may have
    assert [r['method'] for r in server.requests] == ['POST', 'PUT', 'POST']
    assert client.stats['writes'] == 3 and client.changes == 2
