"""HTTPClient.paginate: listings that always end, next links rebased onto the configured origin."""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._auth import BearerAuth
from ansible_collections.iamops.identity.plugins.module_utils._http import HTTPClient
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError
from scripted_server import ScriptedServer


def make(server, **kwargs):
    kwargs.setdefault('backoff_factor', 0)
    return HTTPClient(server.url + '/v3', 'keystone', timeout=5, **kwargs)


def link(body, response, params):
    nxt = (body.get('links') or {}).get('next')
    return (nxt, None) if nxt else None


def page(ids, nxt=None):
    return (200, {'users': [{'id': i} for i in ids], 'links': {'next': nxt}}, None)


def users(body):
    return body['users']


@pytest.fixture
def other():
    srv = ScriptedServer()
    yield srv
    srv.close()


def test_complete_listing(server):
    server.answer(page([1, 2], server.url + '/v3/users?marker=2'), page([3]))
    listing = make(server).paginate('/users', {'limit': 2}, users, link)
    assert listing.complete is None
    assert [u['id'] for u in listing] == [1, 2, 3]
    assert (listing.complete, listing.reason, listing.pages) == (True, None, 2)
    assert [r['path'] for r in server.requests] == ['/v3/users?limit=2', '/v3/users?marker=2']


def test_server_ignoring_the_marker_ends_after_the_page_that_brings_nothing_new(server):
    # an LDAP-backed listing: every page is the first one, with the same next link
    server.answer(page([1, 2], '/v3/users?marker=2'))
    listing = make(server).paginate('/users', None, users, link)
    assert [u['id'] for u in listing] == [1, 2]
    assert listing.complete is False
    assert listing.reason == 'page 2 (/v3/users?marker=2) brought no new item but linked a next page'
    assert len(server.requests) == 2


def test_repeated_next_link_stops_before_fetching_it_again(server):
    server.answer(page([1, 2], '/v3/users?marker=2'), page([3], '/v3/users?marker=2'))
    listing = make(server).paginate('/users', None, users, link)
    assert [u['id'] for u in listing] == [1, 2, 3]
    assert listing.complete is False and listing.reason == 'the server linked /v3/users?marker=2 again'
    assert [r['path'] for r in server.requests] == ['/v3/users', '/v3/users?marker=2']


def test_page_cap(server):
    server.answer(*[page([n], '/v3/users?page=%d' % (n + 1)) for n in range(1, 10)])
    listing = make(server, max_pages=5).paginate('/users', None, users, link)
    assert [u['id'] for u in listing] == [1, 2, 3, 4, 5]
    assert listing.complete is False and listing.reason.startswith('stopped after 5 pages')
    assert len(server.requests) == 5
    server.answer(*[page([n], '/v3/users?page=%d' % (n + 1)) for n in range(1, 10)])
    assert len(list(make(server).paginate('/users', None, users, link, max_pages=2))) == 2


def test_items_seen_on_an_earlier_page_are_not_repeated_ids_compared_as_strings(server):
    server.answer(page([1, '2'], '/v3/users?page=2'), page(['1', 3]))
    listing = make(server).paginate('/users', None, users, link)
    assert [u['id'] for u in listing] == [1, '2', 3]
    assert listing.complete is True


def test_custom_key(server):
    server.answer((200, {'users': [{'name': 'a'}, {'name': 'b'}], 'links': {'next': '/v3/users?p=2'}}, None),
                  (200, {'users': [{'name': 'a'}], 'links': {'next': '/v3/users?p=3'}}, None))
    listing = make(server).paginate('/users', None, users, link, key=lambda u: u['name'])
    assert [u['name'] for u in listing] == ['a', 'b']
    assert listing.complete is False and len(server.requests) == 2


def test_provider_marks_a_truncated_listing(server):
    # Keystone: "truncated": true without a next link, the listing was cut at list_limit
    server.answer((200, {'users': [{'id': 1}], 'truncated': True, 'links': {'next': None}}, None))

    def items(body):
        if body.get('truncated') and not body['links']['next']:
            listing.mark_incomplete('cut at list_limit')
        return body['users']

    listing = make(server).paginate('/users', None, items, link)
    assert [u['id'] for u in listing] == [1]
    assert (listing.complete, listing.reason) == (False, 'cut at list_limit')


@pytest.mark.parametrize('nxt,expected', [
    ('?marker=2', '/v3/users?marker=2'),
    ('users?marker=2', '/v3/users?marker=2'),
    ('/v3/users?marker=2', '/v3/users?marker=2'),
    ('/groups?marker=2', '/v3/groups?marker=2'),  # an API path, like the first page's
    ('http://keystone.internal:5000/v3/users?marker=2', '/v3/users?marker=2'),
])
def test_relative_and_foreign_next_links(server, nxt, expected):
    server.answer(page([1], nxt), page([2]))
    assert [u['id'] for u in make(server).paginate('/users', None, users, link)] == [1, 2]
    assert [r['path'] for r in server.requests] == ['/v3/users', expected]


class Token(BearerAuth):
    def obtain(self, client):
        return 'secret-token-1'


def test_next_link_to_another_origin_is_rebased_and_never_gets_the_token(server, other):
    other.answer(page([99]))
    server.answer(page([1], other.url + '/v3/users?marker=1'), page([2]))
    client = make(server, auth=Token(), headers={'X-Auth-Token': 'legacy-session-token'})
    assert [u['id'] for u in client.paginate('/users', None, users, link)] == [1, 2]
    assert other.requests == []
    assert [r['headers']['Authorization'] for r in server.requests] == ['Bearer secret-token-1'] * 2


def test_no_credential_is_sent_to_another_origin(server, other):
    other.answer((200, {'ok': True}, None))
    server.answer((200, {'ok': True}, None))
    client = make(server, auth=Token(), headers={'X-Auth-Token': 'legacy-session-token'})
    assert client.get(other.url + '/elsewhere') == {'ok': True}
    sent = other.requests[0]['headers']
    assert 'Authorization' not in sent and 'X-Auth-Token' not in sent
    assert client.stats['auth'] == 0  # nothing needed the credential yet
    client.get('/here')
    assert server.requests[0]['headers']['Authorization'] == 'Bearer secret-token-1'
    assert server.requests[0]['headers']['X-Auth-Token'] == 'legacy-session-token'


def test_a_page_that_is_not_json_is_one_line(server):
    server.answer(page([1], '/v3/users?marker=1'), (200, '<html><body>\n<h1>Sign in</h1>\n</body></html>', None))
    with pytest.raises(APIError) as err:
        list(make(server).paginate('/users', None, users, link))
    assert str(err.value) == ('keystone: GET /v3/users?marker=1 failed: HTTP 200: '
                              'expected JSON, got text/html: Sign in')
