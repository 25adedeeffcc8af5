"""Retries follow what the server said; transport failures are one line saying what happened."""

import socket
import time

import pytest

from ansible_collections.iamops.identity.plugins.module_utils import _requests_lib, _retry
from ansible_collections.iamops.identity.plugins.module_utils._http import HTTPClient
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError


def make(server, **kwargs):
    kwargs.setdefault('backoff_factor', 0)
    kwargs.setdefault('timeout', 5)
    return HTTPClient(server.url + '/api', 'onelogin', **kwargs)


@pytest.mark.parametrize('status,headers', [(429, {}), (429, {'Retry-After': '0'}), (503, {'Retry-After': '0'})])
def test_not_processed_answers_retry_a_post(server, status, headers):
    server.answer((status, {'message': 'later'}, headers), (201, {'id': 1}, None))
    client = make(server)
    assert client.json('POST', '/users', json={'name': 'a'}) == {'id': 1}
    assert [r['method'] for r in server.requests] == ['POST', 'POST']
    assert client.stats == {'requests': 1, 'writes': 1, 'retries': 1, 'auth': 0}


@pytest.mark.parametrize('status', [502, 503, 504])
def test_gateway_errors_never_retry_a_post_and_leave_the_outcome_unknown(server, status):
    server.answer((status, 'upstream trouble', None), (201, {'id': 1}, None))
    client = make(server)
    with pytest.raises(APIError) as err:
        client.json('POST', '/users', json={'name': 'a'})
    assert len(server.requests) == 1
    assert err.value.outcome_unknown and err.value.transient
    assert client.stats['retries'] == 0


def test_a_get_is_not_a_write_whose_outcome_is_unknown(server):
    server.answer((500, 'boom', None))
    with pytest.raises(APIError) as err:
        make(server).get('/users')
    assert not err.value.outcome_unknown and len(server.requests) == 1  # 500 is not retried


def test_a_client_error_to_a_post_is_known_not_done(server):
    server.answer((400, {'message': 'bad email'}, None))
    with pytest.raises(APIError) as err:
        make(server).json('POST', '/users', json={})
    assert not err.value.outcome_unknown


def test_rate_limit_reset_hook_is_honoured_when_there_is_no_retry_after(server):
    seen = []

    def reset(response):
        seen.append(response.status)
        return response.headers.get('X-RateLimit-Reset')

    server.answer((429, {'message': 'rate limited'}, {'X-RateLimit-Reset': '1'}), (200, {'data': []}, None))
    client = make(server, retry_after=reset)
    started = time.monotonic()
    assert client.get('/users') == {'data': []}
    assert 1.0 <= time.monotonic() - started < 3.0
    assert seen == [429] and client.stats['retries'] == 1


def test_retry_after_header_wins_over_the_hook(server):
    server.answer((429, {}, {'Retry-After': '0', 'X-RateLimit-Reset': '30'}), (200, {}, None))
    client = make(server, retry_after=lambda r: float(r.headers['X-RateLimit-Reset']))
    started = time.monotonic()
    client.get('/users')
    assert time.monotonic() - started < 1.0


class _Response:
    def __init__(self, headers):
        self.headers = headers
        self.status = 429


def test_hook_and_header_waits_are_capped_and_junk_is_ignored():
    retry = _retry.make_retry(3, 0, retry_after=lambda r: r.headers.get('X-RateLimit-Reset'))
    assert retry.get_retry_after(_Response({'X-RateLimit-Reset': '86400'})) == _retry.MAX_RETRY_AFTER
    assert retry.get_retry_after(_Response({'X-RateLimit-Reset': '2.5'})) == 2.5
    assert retry.get_retry_after(_Response({'X-RateLimit-Reset': 'soon'})) is None
    assert retry.get_retry_after(_Response({'Retry-After': 'whenever'})) is None
    assert retry.get_retry_after(_Response({})) is None


def test_backoff_has_jitter():
    retry = _retry.make_retry(5, 1.0)
    for attempt in range(3):
        retry = retry.increment('GET', '/x%d' % attempt, error=_requests_lib.urllib3_exceptions.ConnectTimeoutError())
    waits = set(retry.get_backoff_time() for sample in range(20))
    assert len(waits) > 1 and all(4.0 <= w <= 5.0 for w in waits)  # 1.0 * 2**2 + up to 1.0


def test_total_wait_is_bounded_and_reported(server):
    server.answer((503, {'message': 'maintenance'}, {'Retry-After': '1'}))
    client = make(server, retries=10, max_total_wait=2.5)
    started = time.monotonic()
    with pytest.raises(APIError) as err:
        client.get('/users')
    assert 2.0 <= time.monotonic() - started < 4.0
    assert len(server.requests) == 3  # first try + 2 retries of 1 s; a third would pass 2.5 s
    assert client.stats['retries'] == 2 and err.value.retries == 2
    text = str(err.value)
    assert text.startswith('onelogin: GET /api/users failed: HTTP 503: maintenance (after 2 retries over 2.')
    assert text.endswith(' s)') and '\n' not in text


def test_read_timeout_of_a_get_is_retried_then_reported(server):
    server.answer((200, {}, None, {'delay': 1.0}))
    client = make(server, timeout=0.3, retries=1)
    with pytest.raises(APIError) as err:
        client.get('/users')
    assert len(server.requests) == 2
    assert str(err.value).startswith(
        'onelogin: GET /api/users failed: no answer from %s within 0.3 s (after 1 retry over ' % server.url)
    assert err.value.transient and not err.value.outcome_unknown


def test_read_timeout_of_a_post_is_never_retried_and_its_outcome_is_unknown(server):
    server.answer((201, {'id': 1}, None, {'delay': 1.0}))
    with pytest.raises(APIError) as err:
        make(server, timeout=0.3).json('POST', '/users', json={'name': 'a'})
    assert len(server.requests) == 1
    assert str(err.value) == 'onelogin: POST /api/users failed: no answer from %s within 0.3 s' % server.url
    assert err.value.outcome_unknown


def test_dropped_connection(server):
    server.answer((201, {}, None, {'drop': True}))
    with pytest.raises(APIError) as err:
        make(server).json('POST', '/users', json={'name': 'a'})
    assert len(server.requests) == 1 and err.value.outcome_unknown
    assert str(err.value).startswith(
        'onelogin: POST /api/users failed: the connection to %s was dropped before an answer (' % server.url)
    server.answer((200, {}, None, {'drop': True}), (200, {'ok': 1}, None))
    assert make(server).get('/users') == {'ok': 1} and len(server.requests) == 2


def test_connect_errors_retry_any_method():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    client = HTTPClient('http://127.0.0.1:%d' % port, 'authress', retries=2, backoff_factor=0)
    with pytest.raises(APIError) as err:
        client.json('POST', '/v1/users', json={})
    assert client.stats['retries'] == 2 and not err.value.outcome_unknown
    assert 'cannot connect to http://127.0.0.1:%d: [Errno 111] Connection refused (after 2 retries' % port in str(err.value)


def test_connect_timeout():
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    backlog = []
    for filler_number in range(3):  # fill the accept queue: the kernel drops the next connection attempts
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(('127.0.0.1', port))
        backlog.append(filler)
    time.sleep(0.1)
    try:
        client = HTTPClient('http://127.0.0.1:%d' % port, 'authress', timeout=0.3, retries=0)
        with pytest.raises(APIError) as err:
            client.get('/v1/users')
        assert str(err.value) == 'authress: GET /v1/users failed: could not connect to http://127.0.0.1:%d within 0.3 s' % port
        assert not err.value.outcome_unknown
    finally:
        for filler in backlog:
            filler.close()
        listener.close()


def test_missing_ca_path_is_a_config_error(tmp_path):
    missing = str(tmp_path / 'nope' / 'ca.pem')
    with pytest.raises(ConfigError) as err:
        HTTPClient('https://127.0.0.1:1', 'keystone', ca_path=missing)
    assert str(err.value) == ('keystone: ca_path %s does not exist (give the CA bundle that signed the '
                              'server certificate)' % missing)
    HTTPClient('https://127.0.0.1:1', 'keystone', ca_path=missing, validate_certs=False)  # not used


def test_a_login_page_instead_of_json(server):
    page = '<!DOCTYPE html><html><head><title>Corp SSO</title></head><body>' + 'Please sign in. ' * 30 + '</body></html>'
    server.answer((200, page, {'Content-Type': 'text/html; charset=utf-8'}))
    with pytest.raises(APIError) as err:
        make(server).get('/users')
    text = str(err.value)
    assert text.startswith('onelogin: GET /api/users failed: HTTP 200: expected JSON, got text/html: Corp SSO Please sign in.')
    assert len(text.split('got text/html: ')[1]) == 200


def test_path_segments_are_quoted(server):
    server.answer((200, {}, None))
    client = make(server)
    path = client.path('/v1/users/{}/groups/{}', 'oauth2|google|1234', 42)
    assert path == '/v1/users/oauth2%7Cgoogle%7C1234/groups/42'
    assert client.path('/users/{}', 'a/b?c d') == '/users/a%2Fb%3Fc%20d'
    client.get(path)
    assert server.requests[0]['path'] == '/api/v1/users/oauth2%7Cgoogle%7C1234/groups/42'


@pytest.mark.parametrize('method', ['PUT', 'DELETE', 'PATCH'])
def test_an_idempotent_write_is_retried_after_a_lost_answer(server, method):
    server.answer((200, {}, None, {'drop': True}), (200, {'ok': 1}, None))
    assert make(server).json(method, '/users/1') == {'ok': 1}
    assert [r['method'] for r in server.requests] == [method, method]


@pytest.mark.parametrize('answer', [(200, {}, None, {'drop': True}), (502, 'upstream', None),
                                    (504, 'gateway timeout', None), (200, {}, None, {'delay': 1.0})])
def test_a_write_marked_not_idempotent_is_sent_once_and_its_outcome_is_unknown(server, answer):
    server.answer(answer, (200, {'ok': 1}, None))
    client = make(server, timeout=0.3)
    with pytest.raises(APIError) as err:
        client.json('PUT', '/users/1/add_roles', json={'role_id_array': [1]}, idempotent=False)
    assert len(server.requests) == 1
    assert err.value.outcome_unknown
    # the internal marker never leaves the client
    assert not any(k.lower() == _retry.ONCE_HEADER.lower() for k in server.requests[0]['headers'])


@pytest.mark.parametrize('status,headers', [(429, {'Retry-After': '0'}), (503, {'Retry-After': '0'})])
def test_a_write_marked_not_idempotent_is_resent_when_the_server_did_not_process_it(server, status, headers):
    server.answer((status, {'message': 'later'}, headers), (200, {'ok': 1}, None))
    assert make(server).json('PUT', '/users/1/add_roles', json={}, idempotent=False) == {'ok': 1}
    assert [r['method'] for r in server.requests] == ['PUT', 'PUT']


def test_confirm_write_reads_back_a_lost_answer(server):
    warnings = []
    server.answer((200, {}, None, {'drop': True}))
    client = make(server)
    result = client.confirm_write(
        lambda: client.json('PUT', '/users/1/add_roles', json={}, idempotent=False),
        lambda: True, 'the role grant', warn=warnings.append)
    assert result is None and len(server.requests) == 1
    assert client.changes == 1
    assert len(warnings) == 1 and 'read back: it was done' in warnings[0]


def test_confirm_write_that_did_not_happen_fails_unchanged(server):
    server.answer((200, {}, None, {'drop': True}))
    client = make(server)
    with pytest.raises(APIError) as err:
        client.confirm_write(lambda: client.json('DELETE', '/groups/1', idempotent=False),
                             lambda: False, 'the delete')
    assert not err.value.outcome_unknown and client.changes == 0


def test_confirm_write_passes_a_refusal_through_without_reading_back(server):
    server.answer((422, {'message': 'role_id_array is already included'}, None))
    client = make(server)
    read = []
    with pytest.raises(APIError) as err:
        client.confirm_write(lambda: client.json('PUT', '/users/1/add_roles', json={}, idempotent=False),
                             lambda: read.append(1) or True, 'the role grant')
    assert err.value.status == 422 and read == []
