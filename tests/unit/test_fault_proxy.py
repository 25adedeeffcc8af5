"""tests/support/fault_proxy.py against tests/support/scripted_server.py: each action, matching, bounds."""

import json
import time

import pytest
import requests

import fault_proxy as fp


@pytest.fixture
def proxy(server):
    server.answer((200, {'ok': True, 'self': server.url + '/v3/users/1'}, {'Location': server.url + '/v3/x'}))
    with fp.FaultProxy(server.url + '/v3', lifetime=60) as prx:
        yield prx


def get(url, method='GET', timeout=5, **kwargs):
    """One request, no retries: what the proxy sends is what we see."""
    with requests.Session() as session:
        return session.request(method, url, timeout=timeout, **kwargs)


def test_forwards_and_rewrites_the_upstream_origin(proxy, server):
    assert proxy.url.startswith('http://127.0.0.1:') and proxy.url.endswith('/v3')
    response = get(proxy.url + '/users?name=a', method='POST', json={'user': {'name': 'a'}})
    assert response.status_code == 200
    # the upstream's origin never leaks: bodies (Keystone's catalog) and Location point at the proxy
    assert response.json()['self'] == proxy.origin + '/v3/users/1'
    assert response.headers['Location'] == proxy.origin + '/v3/x'
    assert [(r['method'], r['path'], json.loads(r['body'])) for r in server.requests] == [
        ('POST', '/v3/users?name=a', {'user': {'name': 'a'}})]
    assert proxy.events == [fp.Event('POST', '/v3/users', 'forward', None, 200, 200, True)]


@pytest.mark.parametrize('code,retry_after', [(429, 3), (502, None), (503, 1), (504, None)])
def test_status_answers_without_forwarding(proxy, server, code, retry_after):
    proxy.fault('GET', r'^/v3/users$', fp.status(code, retry_after))
    response = get(proxy.url + '/users')
    assert response.status_code == code
    assert response.headers.get('Retry-After') == (None if retry_after is None else str(retry_after))
    assert server.requests == []
    assert get(proxy.url + '/users').status_code == 200  # count=1: only the first one
    assert len(server.requests) == 1
    assert [e.sent for e in proxy.events] == [code, 200]


def test_nth_and_count_select_the_occurrences(proxy, server):
    rule = proxy.fault(None, r'/users', fp.status(503), nth=2, count=2)
    codes = [get(proxy.url + '/users').status_code for dummy in range(5)]
    assert codes == [200, 503, 503, 200, 200]
    assert (rule.seen, rule.fired) == (5, 2)
    assert len(server.requests) == 3


def test_method_and_path_must_both_match_and_first_rule_wins(proxy, server):
    proxy.fault('DELETE', r'^/v3/users/\w+$', fp.status(429))
    proxy.fault(None, r'^/v3/users', fp.status(502), count=None)
    assert get(proxy.url + '/users/abc', method='DELETE').status_code == 429
    assert get(proxy.url + '/users/abc', method='DELETE').status_code == 502
    assert get(proxy.url + '/groups').status_code == 200
    assert [e.rule for e in proxy.events] == [0, 1, None]


def test_drop_before_never_reaches_the_server(proxy, server):
    proxy.fault('POST', r'/users', fp.drop_before())
    with pytest.raises(requests.exceptions.ConnectionError):
        get(proxy.url + '/users', method='POST', json={})
    assert server.requests == []
    assert proxy.events[0].sent is None and not proxy.events[0].forwarded


def test_drop_after_reaches_the_server_and_loses_the_answer(proxy, server):
    proxy.fault('POST', r'/users', fp.drop_after())
    with pytest.raises(requests.exceptions.ConnectionError):
        get(proxy.url + '/users', method='POST', json={'user': {}})
    assert [r['method'] for r in server.requests] == ['POST']
    assert proxy.events == [fp.Event('POST', '/v3/users', 'drop_after', 0, 200, None, True)]


def test_delay_past_the_read_timeout(proxy, server):
    proxy.fault('GET', r'/slow', fp.delay(2))
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        get(proxy.url + '/slow', timeout=(2, 0.5))
    assert time.monotonic() - started < 1.5
    time.sleep(1.8)  # the proxy still forwards once the delay is over
    assert [r['path'] for r in server.requests] == ['/v3/slow']
    proxy.fault('GET', r'/slow', fp.delay(0.2, forward=False))
    assert get(proxy.url + '/slow').status_code == 504
    assert len(server.requests) == 1


@pytest.mark.parametrize('action,content_type', [(fp.html(), 'text/html'), (fp.garbage(), 'application/json'),
                                                 (fp.truncated_json(), 'application/json')])
def test_broken_bodies_with_200(proxy, server, action, content_type):
    proxy.fault('GET', r'/users', action)
    response = get(proxy.url + '/users')
    assert response.status_code == 200 and response.headers['Content-Type'].startswith(content_type)
    with pytest.raises(ValueError):
        response.json()
    assert server.requests == []


def test_truncated_forwarded_answer_is_the_real_one_cut(proxy, server):
    proxy.fault('POST', r'/users', fp.truncated_json(forward=True))
    response = get(proxy.url + '/users', method='POST', json={})
    real = json.dumps({'ok': True, 'self': server.url + '/v3/users/1'}).encode()
    assert response.content == real[:len(real) // 2]
    assert len(server.requests) == 1


def test_upstream_down_is_a_502(server):
    server.answer((200, {'ok': True}, None))
    with fp.FaultProxy(server.url) as prx:
        server.close()
        response = get(prx.url + '/anything')
        assert response.status_code == 502 and 'bad gateway' in response.text


def test_control_path(proxy, server):
    created = get(proxy.origin + fp.CONTROL_PREFIX + 'rules', method='POST',
                  json={'method': 'GET', 'path': '/users', 'action': 'status', 'args': [503, 2]})
    assert created.status_code == 201
    response = get(proxy.url + '/users')
    assert response.status_code == 503 and response.headers['Retry-After'] == '2'
    events = get(proxy.origin + fp.CONTROL_PREFIX + 'events').json()
    assert [(e['path'], e['sent']) for e in events] == [('/v3/users', 503)]
    assert get(proxy.origin + fp.CONTROL_PREFIX + 'rules', method='DELETE').status_code == 204
    assert proxy.rules == [] and get(proxy.url + '/users').status_code == 200


def test_bounded_lifetime_and_request_count(server):
    server.answer((200, {'ok': True}, None))
    prx = fp.FaultProxy(server.url, lifetime=0.5, max_requests=2)
    try:
        assert [get(prx.url + '/a').status_code for dummy in range(3)] == [200, 200, 503]
        time.sleep(1.0)
        with pytest.raises(requests.exceptions.ConnectionError):
            get(prx.url + '/a', timeout=2)
    finally:
        prx.close()
    assert len(server.requests) == 2


def test_delay_ends_when_the_proxy_stops(server):
    server.answer((200, {'ok': True}, None))
    prx = fp.FaultProxy(server.url, lifetime=60)
    prx.fault(None, '/', fp.delay(50))
    started = time.monotonic()
    import threading
    threading.Timer(0.5, prx.close).start()
    with pytest.raises(requests.exceptions.RequestException):
        get(prx.url + '/a', timeout=10)
    assert time.monotonic() - started < 8


def test_rules_validate_their_window():
    with pytest.raises(ValueError):
        fp.Rule('GET', '/', fp.status(503), nth=0)
    with pytest.raises(ValueError):
        fp.FaultProxy('ftp://x')


def test_slow_answer_reaches_the_server_at_once(proxy, server):
    proxy.fault('POST', r'/users', fp.slow_answer(1.5))
    with pytest.raises(requests.exceptions.ReadTimeout):
        get(proxy.url + '/users', method='POST', json={}, timeout=(2, 0.5))
    assert [r['method'] for r in server.requests] == ['POST']  # processed while the client waited
    proxy.fault('POST', r'/users', fp.slow_answer(0.3))
    started = time.monotonic()
    assert get(proxy.url + '/users', method='POST', json={}).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_https_front_and_upstream(tmp_path, tls_server):
    """TLS on both sides: the proxy's own certificate in front, a verified upstream behind."""
    import ssl
    tls_server.answer((200, {'ok': True}, None))
    context = ssl.create_default_context(cafile=str(tmp_path / 'cert.pem'))
    front = tmp_path / 'front'
    front.mkdir()
    with fp.FaultProxy(tls_server.url, tls_dir=front, upstream_context=context) as prx:
        assert prx.url.startswith('https://127.0.0.1:')
        prx.fault('GET', '/x', fp.status(503, 1))
        with requests.Session() as session:
            assert session.get(prx.url + '/x', verify=prx.cert_path, timeout=5).status_code == 503
            assert session.get(prx.url + '/x', verify=prx.cert_path, timeout=5).json() == {'ok': True}
    assert [r['path'] for r in tls_server.requests] == ['/x']


@pytest.mark.parametrize('text', [False, True])
def test_echo_quotes_the_request_back_without_forwarding(proxy, server, text):
    proxy.fault('POST', r'/users$', fp.echo(400, text=text))
    response = get(proxy.url + '/users', method='POST', json={'password': 'Echo-Pw-1'},
                   headers={'Authorization': 'Basic ZWNobzpwdw=='})
    assert response.status_code == 400 and server.requests == []
    quoted = response.text if text else response.json()['message']
    assert response.headers['Content-Type'] == ('text/plain' if text else 'application/json')
    assert 'POST /v3/users HTTP/1.1' in quoted and 'Authorization: Basic ZWNobzpwdw==' in quoted
    assert '{"password": "Echo-Pw-1"}' in quoted
    assert proxy.events == [fp.Event('POST', '/v3/users', 'echo 400 (%s)' % response.headers['Content-Type'],
                                     0, None, 400, False)]
