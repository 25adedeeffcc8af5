"""The scim provider's session against a scripted HTTP server: the bearer token, the
ServiceProviderConfig read once and its fallbacks, If-Match only where ETags are offered."""

import json

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers.scim import session
from ansible_collections.iamops.identity.plugins.module_utils.providers.scim.provider import ScimProvider

TOKEN = 'unit-scim-token-4f1c'
FULL = {'patch': {'supported': True}, 'filter': {'supported': True, 'maxResults': 10},
        'etag': {'supported': True}, 'changePassword': {'supported': True}, 'bulk': {'supported': True}}
JDOE = {'id': 'u1', 'userName': 'jdoe', 'active': True, 'meta': {'version': 'W/"7"'}}


def listing(*rows, total=None):
    return (200, {'schemas': ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
                  'totalResults': len(rows) if total is None else total, 'startIndex': 1,
                  'itemsPerPage': len(rows), 'Resources': list(rows)}, None)


def make(server, warnings=None):
    return ScimProvider({'api_url': server.url + '/scim/v2/', 'scim_token': TOKEN, 'timeout': 5},
                        warn=(warnings.append if warnings is not None else None))


@pytest.mark.parametrize('url', ['', 'idp.example.com/scim/v2', 'ftp://idp.example.com'])
def test_api_url_must_be_absolute_http(url):
    with pytest.raises(ConfigError, match='api_url must be the absolute http'):
        session.api_base(url)
    assert session.api_base('https://idp.example.com/scim/v2/') == 'https://idp.example.com/scim/v2'


def test_bearer_token_and_one_service_provider_config_per_run(server):
    server.answer((200, FULL, None), listing(JDOE))
    scim = make(server)
    assert scim.find_user('jdoe')['id'] == 'u1'
    paths = [r['path'] for r in server.requests]
    assert paths[0] == '/scim/v2/ServiceProviderConfig' and paths.count('/scim/v2/ServiceProviderConfig') == 1
    assert 'filter=userName+eq+%22jdoe%22' in paths[1] and 'count=10' in paths[1]   # maxResults caps count
    assert all(r['headers']['Authorization'] == 'Bearer ' + TOKEN for r in server.requests)
    assert TOKEN in scim.client.secrets


def test_no_service_provider_config_means_no_filter_and_a_warning(server):
    warnings = []
    server.answer((404, {'status': '404', 'detail': 'no such endpoint'}, None), listing(JDOE, {'id': 'u2', 'userName': 'x'}))
    scim = make(server, warnings)
    assert scim.find_user('JDOE')['name'] == 'jdoe'     # matched here, case-insensitively
    assert scim.find_user('x')['id'] == 'u2'            # from the one listing: no request
    assert len(server.requests) == 2 and 'filter' not in server.requests[1]['path']
    assert 'serves no ServiceProviderConfig' in warnings[0]
    assert scim.features.summary() == dict(patch=False, filter=False, etag=False, bulk=False, change_password=False)


def test_patch_carries_if_match_and_a_204_is_read_back(server):
    server.answer((200, FULL, None), listing(JDOE), (204, '', None), (200, dict(JDOE, active=False), None))
    scim = make(server)
    user = scim.update_user(scim.find_user('jdoe'), {'enabled': False})
    patch = server.requests[2]
    assert (patch['method'], patch['headers'].get('If-Match')) == ('PATCH', 'W/"7"')
    assert json.loads(patch['body'])['Operations'] == [{'op': 'replace', 'path': 'active', 'value': False}]
    assert patch['headers']['Content-Type'] == 'application/scim+json'
    assert server.requests[3]['method'] == 'GET' and user['enabled'] is False


def test_without_patch_and_etag_a_put_without_if_match(server):
    config = dict(FULL, patch={'supported': False}, etag={'supported': False})
    server.answer((200, config, None), listing(JDOE), (200, dict(JDOE, title='Lead'), None))
    scim = make(server)
    user = scim.update_user(scim.find_user('jdoe'), {'title': 'Lead'})
    put = server.requests[2]
    assert put['method'] == 'PUT' and 'If-Match' not in put['headers']
    assert json.loads(put['body']) == {'id': 'u1', 'userName': 'jdoe', 'active': True, 'title': 'Lead',
                                       'schemas': ['urn:ietf:params:scim:schemas:core:2.0:User']}
    assert user['title'] == 'Lead'


def test_a_412_says_the_resource_changed_and_nothing_was_written(server):
    server.answer((200, FULL, None), listing(JDOE),
                  (412, {'schemas': ['urn:ietf:params:scim:api:messages:2.0:Error'], 'status': '412',
                         'detail': 'Resource has changed'}, None))
    scim = make(server)
    with pytest.raises(Exception) as caught:
        scim.update_user(scim.find_user('jdoe'), {'title': 'x'})
    assert 'HTTP 412: Resource has changed' in str(caught.value)
    assert "user 'jdoe' changed on the server since this run read it" in str(caught.value)


def test_roles_refused_before_any_write_when_the_user_schema_has_none(server):
    from ansible_collections.iamops.identity.plugins.module_utils._errors import UnsupportedError
    schema = {'id': 'urn:ietf:params:scim:schemas:core:2.0:User', 'attributes': [{'name': 'userName'}]}
    server.answer((200, FULL, None), listing(JDOE), (200, schema, None))
    scim = make(server)
    user = scim.find_user('jdoe')
    with pytest.raises(UnsupportedError, match='no writable roles attribute'):
        scim.resolve_assignment('user', user, {'role': 'auditor'})
    assert [r['method'] for r in server.requests] == ['GET', 'GET', 'GET']
    assert server.requests[2]['path'] == '/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User'


def test_enterprise_attributes_refused_when_the_resource_type_has_no_extension(server):
    from ansible_collections.iamops.identity.plugins.module_utils._errors import UnsupportedError
    server.answer((200, {'id': 'User', 'schema': 'urn:ietf:params:scim:schemas:core:2.0:User'}, None))
    scim = make(server)
    with pytest.raises(UnsupportedError, match='no enterprise extension'):
        scim.user_fields({'department': 'Pay'})
    assert [r['path'] for r in server.requests] == ['/scim/v2/ResourceTypes/User']
    assert scim.user_fields({'title': 'x'}) == {'title': 'x'} and len(server.requests) == 1


def test_a_users_groups_listing_cut_short_is_not_complete(server):
    warnings = []
    group = {'id': 'g1', 'displayName': 'a'}
    page = (200, {'totalResults': 5, 'startIndex': 1, 'itemsPerPage': 1, 'Resources': [group]}, None)
    server.answer((200, FULL, None), page, page)   # the second page repeats the first: stopped
    scim = make(server, warnings)
    user = {'id': 'u1', 'name': 'jdoe'}
    assert [g['name'] for g in scim.user_groups(user)] == ['a']
    assert scim.memberships_complete('user', user) is False
    assert scim.memberships_complete('group', group) is True
    assert 'stopped early' in warnings[0]
