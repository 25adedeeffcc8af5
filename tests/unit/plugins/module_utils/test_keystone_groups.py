"""KeystoneProvider's groups-and-membership section against a scripted local HTTP server."""

import json

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone.provider import KeystoneProvider

DEFAULT = {'id': 'default', 'name': 'Default'}


@pytest.fixture
def provider(server):
    # an unscoped token given as an option: no token request, so every request seen is ours
    prov = KeystoneProvider({'auth': {'auth_url': server.url + '/v3', 'token': 'tok-123456'}}, environ={})
    prov._cache_domain(dict(DEFAULT))
    return prov


def paths(server):
    return [(r['method'], r['path']) for r in server.requests]


def test_group_model_reads_empty_description_as_null(server, provider):
    server.answer((200, {'groups': [{'id': 'g1', 'name': 'ops', 'domain_id': 'default', 'description': '',
                                     'links': {'self': 'x'}}], 'links': {}}, None))
    assert provider.find_group('ops') == {'id': 'g1', 'name': 'ops', 'domain_id': 'default', 'description': None}
    assert paths(server) == [('GET', '/v3/groups?name=ops&domain_id=default')]


def test_resolve_user_matches_a_known_listing_without_a_request(server, provider):
    members = [{'id': 'u1', 'name': 'jdoe', 'domain_id': 'default'},
               {'id': 'u2', 'name': 'asmith', 'domain_id': 'other'}]
    assert provider.resolve_user('jdoe', 'default', known=members)['id'] == 'u1'
    assert provider.resolve_user('u1', 'default', known=members)['name'] == 'jdoe'  # by ID, same domain
    assert server.requests == []
    # asmith by name in Default is not the member of domain "other": it is looked up
    server.answer((200, {'users': [{'id': 'u9', 'name': 'asmith', 'domain_id': 'default'}], 'links': {}}, None))
    assert provider.resolve_user('asmith', 'default', known=members)['id'] == 'u9'
    assert provider.resolve_user('asmith', 'Default')['id'] == 'u9'              # cached
    assert paths(server) == [('GET', '/v3/users?name=asmith&domain_id=default')]


def test_resolve_user_falls_back_to_id_then_fails_clearly(server, provider):
    server.answer((200, {'users': [], 'links': {}}, None),
                  (200, {'user': {'id': 'abc', 'name': 'jdoe', 'domain_id': 'default'}}, None))
    assert provider.resolve_user('abc')['name'] == 'jdoe'
    assert paths(server) == [('GET', '/v3/users?name=abc&domain_id=default'), ('GET', '/v3/users/abc')]
    # a name not found in the domain never means an object of another domain by ID
    server.answer((200, {'users': [], 'links': {}}, None),
                  (200, {'user': {'id': 'def', 'name': 'jroe', 'domain_id': 'x'}}, None))
    with pytest.raises(NotFoundError) as err:
        provider.resolve_user('def')
    assert str(err.value) == ("keystone: user 'def' not found in domain 'Default' (the user with ID def "
                              "is in domain x; name that domain to use it)")
    server.answer((200, {'users': [], 'links': {}}, None),
                  (404, {'error': {'code': 404, 'message': 'Could not find user: nobody.'}}, None))
    with pytest.raises(NotFoundError) as err:
        provider.resolve_user('nobody')
    assert str(err.value) == "keystone: user 'nobody' not found in domain 'Default' (looked up by name and by id)"


def test_resolve_group_known_and_not_found(server, provider):
    known = [{'id': 'g1', 'name': 'ops', 'domain_id': 'default', 'description': None}]
    assert provider.resolve_group('ops', known=known)['id'] == 'g1'
    assert server.requests == []
    server.answer((200, {'groups': [], 'links': {}}, None), (404, {'error': {'message': 'no'}}, None))
    with pytest.raises(NotFoundError) as err:
        provider.resolve_group('nogroup')
    assert str(err.value) == "keystone: group 'nogroup' not found in domain 'Default' (looked up by name and by id)"


def test_prefetch_serves_lookups_and_follows_creates_and_deletes(server, provider):
    server.answer((200, {'groups': [{'id': 'g1', 'name': 'ops', 'domain_id': 'default'}], 'links': {}}, None))
    provider.prefetch_groups()
    assert provider.find_group('ops')['id'] == 'g1'
    assert provider.find_group('dev') is None
    assert len(server.requests) == 1
    server.answer((201, {'group': {'id': 'g2', 'name': 'dev', 'domain_id': 'default', 'description': 'd'}}, None))
    created = provider.create_group({'name': 'dev', 'description': 'd'})
    assert json.loads(server.requests[0]['body']) == {'group': {'name': 'dev', 'description': 'd', 'domain_id': 'default'}}
    assert provider.find_group('dev') == created
    server.answer((204, '', None))
    provider.delete_group(created)
    assert provider.find_group('dev') is None
    assert paths(server) == [('DELETE', '/v3/groups/g2')]
    # cached=False asks the server (used to look after a create whose answer was lost)
    server.answer((200, {'groups': [], 'links': {}}, None))
    assert provider.find_group('ops', cached=False) is None
    assert len(server.requests) == 1


def test_membership_writes_and_missing_member_on_remove(server, provider):
    group, user = {'id': 'g1'}, {'id': 'u1'}
    server.answer((204, '', None))
    provider.add_group_user(group, user)
    provider.remove_group_user(group, user)
    assert paths(server) == [('PUT', '/v3/groups/g1/users/u1'), ('DELETE', '/v3/groups/g1/users/u1')]
    server.answer((404, {'error': {'message': 'not a member'}}, None))
    provider.remove_group_user(group, user)   # already not a member: the desired state holds
    server.answer((403, {'error': {'message': 'forbidden'}}, None))
    with pytest.raises(APIError) as err:
        provider.add_group_user(group, user)
    assert 'PUT /v3/groups/g1/users/u1 failed: HTTP 403: forbidden' in str(err.value)


def test_list_groups_skips_a_failing_domain_with_a_warning(server):
    warnings = []
    prov = KeystoneProvider({'auth': {'auth_url': server.url + '/v3', 'token': 'tok-123456'}},
                            warn=warnings.append, environ={})
    server.answer(
        (200, {'domains': [{'id': 'd1', 'name': 'one'}, {'id': 'd2', 'name': 'ldap'}], 'links': {}}, None),
        (200, {'groups': [{'id': 'g1', 'name': 'ops', 'domain_id': 'd1'}], 'links': {}}, None),
        (500, {'error': {'message': 'LDAP down'}}, None))
    found = list(prov.list_groups())
    assert [g['id'] for g in found] == ['g1']
    assert len(warnings) == 1 and "groups of domain 'ldap' were skipped" in warnings[0]


def test_a_patch_answer_echoing_the_extra_blob_is_not_an_extra_attribute():
    from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone._model import _user
    patched = {'id': 'u1', 'name': 'jdoe', 'cost_center': 'cc-2', 'badge': 'b',
               'extra': {'cost_center': 'cc-2', 'badge': 'b'}}          # Keystone 30's PATCH answer
    assert _user(patched)['extra'] == {'cost_center': 'cc-2', 'badge': 'b'}
    own = {'id': 'u1', 'name': 'jdoe', 'extra': {'nested': 'value'}}    # an attribute called extra
    assert _user(own)['extra'] == {'extra': {'nested': 'value'}}
