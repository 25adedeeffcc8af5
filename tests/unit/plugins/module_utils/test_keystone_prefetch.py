"""Batch prefetches: one listing stands for the whole set only when Keystone did not truncate it."""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone.provider import KeystoneProvider


@pytest.fixture
def provider(server):
    prov = KeystoneProvider({'auth': {'auth_url': server.url + '/v3', 'token': 'tok-123456'}}, environ={})
    prov._cache_domain({'id': 'default', 'name': 'Default'})
    return prov


def paths(server):
    return [(r['method'], r['path']) for r in server.requests]


def test_complete_user_listing_answers_every_lookup(server, provider):
    server.answer((200, {'users': [{'id': 'u1', 'name': 'ada', 'domain_id': 'default'}], 'links': {}}, None))
    provider.prefetch_users('Default')
    assert provider.find_user('ada')['id'] == 'u1'
    assert provider.find_user('bob') is None  # absent: the listing was complete
    assert paths(server) == [('GET', '/v3/users?domain_id=default&limit=1000')]


def test_truncated_user_listing_is_not_taken_for_the_whole_domain(server, provider):
    server.answer((200, {'users': [{'id': 'u1', 'name': 'ada', 'domain_id': 'default'}], 'truncated': True,
                         'links': {}}, None),
                  (200, {'users': [{'id': 'u2', 'name': 'bob', 'domain_id': 'default'}], 'links': {}}, None))
    provider.prefetch_users('Default')
    # bob lies beyond the list_limit: he is looked up, not taken for absent
    assert provider.find_user('bob')['id'] == 'u2'
    assert paths(server) == [('GET', '/v3/users?domain_id=default&limit=1000'), ('GET', '/v3/users?name=bob&domain_id=default')]


def test_truncated_group_listing_is_not_kept(server, provider):
    server.answer((200, {'groups': [{'id': 'g1', 'name': 'ops', 'domain_id': 'default'}], 'truncated': True,
                         'links': {}}, None),
                  (200, {'groups': [{'id': 'g2', 'name': 'dev', 'domain_id': 'default'}], 'links': {}}, None))
    provider.prefetch_groups('Default')
    assert provider.find_group('dev')['id'] == 'g2'
    assert paths(server)[-1] == ('GET', '/v3/groups?name=dev&domain_id=default')


def test_paged_listing_is_followed_and_complete(server, provider):
    """Keystone 2025.2+: a full page says truncated and links the next page: that is not a cut."""
    nxt = server.url + '/v3/users?domain_id=default&limit=1000&marker=u1'
    server.answer((200, {'users': [{'id': 'u1', 'name': 'ada', 'domain_id': 'default'}], 'truncated': True,
                         'links': {'next': nxt}}, None),
                  (200, {'users': [{'id': 'u2', 'name': 'bob', 'domain_id': 'default'}], 'links': {'next': None}}, None))
    provider.prefetch_users('Default')
    assert provider.find_user('bob')['id'] == 'u2'
    assert provider.find_user('carol') is None
    assert paths(server) == [('GET', '/v3/users?domain_id=default&limit=1000'),
                             ('GET', '/v3/users?domain_id=default&limit=1000&marker=u1')]


def group_page(*groups):
    return (200, {'groups': [{'id': g, 'name': g, 'domain_id': 'default'} for g in groups], 'links': {}}, None)


def test_all_memberships_indexed_within_budget(server, provider):
    server.answer((200, {'domains': [{'id': 'default', 'name': 'Default'}], 'links': {}}, None),
                  group_page('g1', 'g2'),
                  (200, {'users': [{'id': 'u1', 'name': 'ada', 'domain_id': 'default'}], 'links': {}}, None),
                  (200, {'users': [], 'links': {}}, None))
    assert provider.prefetch_all_memberships(budget=10) is True
    assert [g['id'] for g in provider.groups_of({'id': 'u1'})] == ['g1']
    assert provider.groups_of({'id': 'u2'}) == []
    assert paths(server) == [('GET', '/v3/domains?limit=1000'), ('GET', '/v3/groups?domain_id=default&limit=1000'),
                             ('GET', '/v3/groups/g1/users?limit=1000'), ('GET', '/v3/groups/g2/users?limit=1000')]


def test_all_memberships_not_indexed_over_budget(server, provider):
    server.answer((200, {'domains': [{'id': 'default', 'name': 'Default'}], 'links': {}}, None),
                  group_page('g1', 'g2', 'g3', 'g4'))
    # 1 domain listing + 1 group listing + 4 member listings is not cheaper than 5 user listings
    assert provider.prefetch_all_memberships(budget=5) is False
    assert provider.groups_of({'id': 'u1'}) is None
    assert len(server.requests) == 2


def test_all_memberships_not_indexed_when_a_listing_is_cut(server, provider):
    server.answer((200, {'domains': [{'id': 'default', 'name': 'Default'}], 'links': {}}, None),
                  group_page('g1'),
                  (200, {'users': [{'id': 'u1', 'name': 'ada', 'domain_id': 'default'}], 'truncated': True,
                         'links': {}}, None))
    assert provider.prefetch_all_memberships(budget=10) is False
    assert provider.groups_of({'id': 'u1'}) is None
