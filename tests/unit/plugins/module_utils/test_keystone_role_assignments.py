"""KeystoneProvider's roles-and-role-assignments section against a scripted local HTTP server."""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone.provider import KeystoneProvider

DEFAULT = {'id': 'default', 'name': 'Default'}
GLOBAL_ROLES = {'roles': [{'id': 'r1', 'name': 'member', 'domain_id': None, 'links': {}},
                          {'id': 'r2', 'name': 'reader', 'domain_id': None, 'links': {}}],
                'links': {'next': None}}


@pytest.fixture
def provider(server):
    # an unscoped token given as an option: no token request, so every request seen is ours
    prov = KeystoneProvider({'auth': {'auth_url': server.url + '/v3', 'token': 'tok-123456'}}, environ={})
    prov._cache_domain(dict(DEFAULT))
    return prov


def paths(server):
    return [(r['method'], r['path']) for r in server.requests]


def test_one_listing_serves_every_global_role(server, provider):
    server.answer((200, GLOBAL_ROLES, None))
    assert provider.resolve_role('member')['id'] == 'r1'
    assert provider.resolve_role('reader') == {'id': 'r2', 'name': 'reader', 'domain_id': None}
    assert provider.resolve_role('r1')['name'] == 'member'   # by id, same listing
    assert paths(server) == [('GET', '/v3/roles?limit=1000')]


def test_domain_specific_role_by_id_without_role_domain(server, provider):
    server.answer((200, GLOBAL_ROLES, None),
                  (200, {'role': {'id': 'dr1', 'name': 'clerk', 'domain_id': 'd1'}}, None))
    assert provider.resolve_role('dr1') == {'id': 'dr1', 'name': 'clerk', 'domain_id': 'd1'}
    assert provider.resolve_role('dr1')['id'] == 'dr1'        # remembered
    assert paths(server) == [('GET', '/v3/roles?limit=1000'), ('GET', '/v3/roles/dr1')]


def test_domain_roles_are_listed_per_domain_and_unknown_ones_fail_clearly(server, provider):
    server.answer((200, {'roles': [{'id': 'dr1', 'name': 'clerk', 'domain_id': 'default'}], 'links': {}}, None))
    assert provider.resolve_role('clerk', 'Default')['id'] == 'dr1'
    with pytest.raises(NotFoundError) as err:
        provider.resolve_role('boss', 'default')
    assert str(err.value) == "keystone: role 'boss' not found in domain 'Default' (looked up by name and by id)"
    assert err.value.what == 'role'   # on_missing applies to it (a missing domain has no 'what')
    assert paths(server) == [('GET', '/v3/roles?domain_id=default&limit=1000')]


def test_unknown_global_role(server, provider):
    server.answer((200, GLOBAL_ROLES, None), (404, {'error': {'message': 'Could not find role: a/b.'}}, None))
    with pytest.raises(NotFoundError) as err:
        provider.resolve_role('a/b')
    assert str(err.value) == ("keystone: role 'a/b' not found among the global roles (looked up by name and by id; "
                              "a domain-specific role needs its role_domain)")
    assert err.value.what == 'role'
    assert paths(server) == [('GET', '/v3/roles?limit=1000'), ('GET', '/v3/roles/a%2Fb')]


USER = {'id': 'u1', 'name': 'jdoe', 'domain': {'id': 'd1', 'name': 'corp'}}
LISTING = {'role_assignments': [
    {'scope': {'project': {'id': 'p1', 'name': 'alpha', 'domain': {'id': 'd1', 'name': 'corp'}}},
     'user': USER, 'role': {'id': 'r1', 'name': 'member'}, 'links': {}},
    {'scope': {'domain': {'id': 'd2', 'name': 'lab'}, 'OS-INHERIT:inherited_to': 'projects'},
     'user': USER, 'role': {'id': 'dr1', 'name': 'clerk', 'domain': {'id': 'd2', 'name': 'lab'}}, 'links': {}},
    {'scope': {'system': {'all': True}}, 'user': USER, 'role': {'id': 'r2', 'name': 'reader'}, 'links': {}},
], 'links': {'next': None}}


def test_actor_listing_is_one_request_and_seeds_the_name_caches(server, provider):
    server.answer((200, LISTING, None))
    found, complete = provider.list_actor_assignments('user', {'id': 'u1'})
    assert complete is True
    assert paths(server) == [('GET', '/v3/role_assignments?user.id=u1&include_names=true')]
    assert found == [
        {'role': {'id': 'r1', 'name': 'member', 'domain': None}, 'user': USER,
         'project': {'id': 'p1', 'name': 'alpha', 'domain': {'id': 'd1', 'name': 'corp'}}, 'inherited': False},
        {'role': {'id': 'dr1', 'name': 'clerk', 'domain': {'id': 'd2', 'name': 'lab'}}, 'user': USER,
         'domain': {'id': 'd2', 'name': 'lab'}, 'inherited': True},
        {'role': {'id': 'r2', 'name': 'reader', 'domain': None}, 'user': USER, 'system': 'all', 'inherited': False},
    ]
    # the names it carried cost nothing afterwards
    assert provider.resolve_domain('corp')['id'] == 'd1'
    assert provider.resolve_domain('lab')['id'] == 'd2'
    assert provider.resolve_project('alpha', 'corp')['id'] == 'p1'
    assert provider.resolve_project('p1', 'd1')['name'] == 'alpha'
    assert len(server.requests) == 1


def test_truncated_listing_is_reported(server, provider):
    server.answer((200, dict(LISTING, truncated=True), None))
    found, complete = provider.list_actor_assignments('group', {'id': 'g1'})
    assert complete is False and len(found) == 3
    assert paths(server) == [('GET', '/v3/role_assignments?group.id=g1&include_names=true')]


def test_make_assignment_uses_known_domain_names_only(server, provider):
    role = {'id': 'r1', 'name': 'member', 'domain_id': None}
    user = {'id': 'u1', 'name': 'jdoe', 'domain_id': 'default'}
    project = {'id': 'p9', 'name': 'zeta', 'domain_id': 'unknown-domain'}
    assert provider.make_assignment('user', user, role, 'project', project) == {
        'role': {'id': 'r1', 'name': 'member', 'domain': None},
        'user': {'id': 'u1', 'name': 'jdoe', 'domain': DEFAULT},
        'project': {'id': 'p9', 'name': 'zeta', 'domain': {'id': 'unknown-domain', 'name': None}},
        'inherited': False}
    assert server.requests == []


@pytest.mark.parametrize('kind,scope,inherited,path', [
    ('user', ('project', 'p1'), False, '/v3/projects/p1/users/a1/roles/r1'),
    ('group', ('project', 'p1'), False, '/v3/projects/p1/groups/a1/roles/r1'),
    ('user', ('domain', 'd1'), False, '/v3/domains/d1/users/a1/roles/r1'),
    ('group', ('domain', 'd1'), False, '/v3/domains/d1/groups/a1/roles/r1'),
    ('user', ('system', None), False, '/v3/system/users/a1/roles/r1'),
    ('group', ('system', None), False, '/v3/system/groups/a1/roles/r1'),
    ('user', ('domain', 'd1'), True, '/v3/OS-INHERIT/domains/d1/users/a1/roles/r1/inherited_to_projects'),
    ('group', ('domain', 'd1'), True, '/v3/OS-INHERIT/domains/d1/groups/a1/roles/r1/inherited_to_projects'),
    ('user', ('project', 'p1'), True, '/v3/OS-INHERIT/projects/p1/users/a1/roles/r1/inherited_to_projects'),
    ('group', ('project', 'p1'), True, '/v3/OS-INHERIT/projects/p1/groups/a1/roles/r1/inherited_to_projects'),
])
def test_every_assignment_kind_has_its_path(server, provider, kind, scope, inherited, path):
    scope_kind, scope_id = scope
    assignment = provider.make_assignment(kind, {'id': 'a1', 'domain_id': 'default'},
                                          {'id': 'r1', 'name': 'member'}, scope_kind,
                                          {'id': scope_id} if scope_id else None, inherited)
    server.answer((204, '', None))
    provider.assign_role(assignment)
    provider.unassign_role(assignment)
    assert paths(server) == [('PUT', path), ('DELETE', path)]


def test_unassign_of_a_gone_assignment_is_fine_and_other_errors_are_not(server, provider):
    assignment = {'role': {'id': 'r1'}, 'user': {'id': 'u1'}, 'system': 'all', 'inherited': False}
    server.answer((404, {'error': {'message': 'Could not find role assignment'}}, None))
    provider.unassign_role(assignment)
    server.answer((403, {'error': {'message': 'You are not authorized'}}, None))
    with pytest.raises(APIError) as err:
        provider.unassign_role(assignment)
    assert str(err.value) == 'keystone: DELETE /v3/system/users/u1/roles/r1 failed: HTTP 403: You are not authorized'


def test_info_listing_filters_and_keeps_only_inherited_ones(server, provider):
    server.answer((200, LISTING, None))
    found = list(provider.list_role_assignments(
        {'user': {'id': 'u1'}, 'role': None, 'project': None, 'domain': None, 'system': None},
        include_names=True, inherited=True))
    # Keystone's inherited_to filter lets system assignments through: dropped here
    assert [a['role']['id'] for a in found] == ['dr1']
    assert paths(server) == [('GET', '/v3/role_assignments?user.id=u1&include_names=true'
                                     '&scope.OS-INHERIT%3Ainherited_to=projects')]


def test_exists_is_one_head(server, provider):
    assignment = {'role': {'id': 'r1'}, 'group': {'id': 'g1'}, 'project': {'id': 'p1'}, 'inherited': True}
    server.answer((204, '', None), (404, '', None))
    assert provider.role_assignment_exists(assignment) is True
    assert provider.role_assignment_exists(assignment) is False
    path = '/v3/OS-INHERIT/projects/p1/groups/g1/roles/r1/inherited_to_projects'
    assert paths(server) == [('HEAD', path), ('HEAD', path)]


# ---- many actors: one listing of every assignment, one listing of a domain's users ------------

OTHER = {'id': 'u2', 'name': 'asmith', 'domain': {'id': 'd1', 'name': 'corp'}}
TEAM = {'id': 'g1', 'name': 'team', 'domain': {'id': 'd1', 'name': 'corp'}}
EVERYONE = {'role_assignments': LISTING['role_assignments'] + [
    {'scope': {'project': {'id': 'p1', 'name': 'alpha', 'domain': {'id': 'd1', 'name': 'corp'}}},
     'user': OTHER, 'role': {'id': 'r2', 'name': 'reader'}, 'links': {}},
    {'scope': {'system': {'all': True}}, 'group': TEAM, 'role': {'id': 'r1', 'name': 'member'}, 'links': {}},
], 'links': {'next': None}}


def test_prefetch_reads_every_actor_once_and_groups_by_actor(server, provider):
    server.answer((200, EVERYONE, None))
    assert provider.prefetch_assignments() is True
    assert provider.prefetch_assignments() is True   # once per run
    assert paths(server) == [('GET', '/v3/role_assignments?include_names=true')]
    mine, complete = provider.list_actor_assignments('user', {'id': 'u1'})
    assert complete is True and [a['role']['id'] for a in mine] == ['r1', 'dr1', 'r2']
    assert all(a['user'] == USER for a in mine)
    theirs, complete = provider.list_actor_assignments('user', {'id': 'u2'})
    assert complete is True and theirs == [
        {'role': {'id': 'r2', 'name': 'reader', 'domain': None}, 'user': OTHER,
         'project': {'id': 'p1', 'name': 'alpha', 'domain': {'id': 'd1', 'name': 'corp'}}, 'inherited': False}]
    team, dummy = provider.list_actor_assignments('group', {'id': 'g1'})
    assert [(a['group']['id'], a['system']) for a in team] == [('g1', 'all')]
    # a user id and a group id never mix, and an actor holding nothing holds nothing
    assert provider.list_actor_assignments('group', {'id': 'u1'}) == ([], True)
    assert provider.list_actor_assignments('user', {'id': 'u9'}) == ([], True)
    assert len(server.requests) == 1   # everything above came from the one listing
    assert provider.resolve_project('alpha', 'corp')['id'] == 'p1' and len(server.requests) == 1


def test_writes_keep_the_prefetched_listing_true(server, provider):
    server.answer((200, EVERYONE, None))
    provider.prefetch_assignments()
    held, dummy = provider.list_actor_assignments('user', {'id': 'u2'})
    server.answer((204, '', None))
    provider.unassign_role(held[0])
    granted = provider.make_assignment('user', {'id': 'u2', 'name': 'asmith', 'domain_id': 'd1'},
                                       {'id': 'r1', 'name': 'member'}, 'system', None)
    provider.assign_role(granted)
    assert paths(server) == [('DELETE', '/v3/projects/p1/users/u2/roles/r2'), ('PUT', '/v3/system/users/u2/roles/r1')]
    assert provider.list_actor_assignments('user', {'id': 'u2'}) == ([granted], True)
    provider.assign_role(granted)   # the same again: held once
    assert provider.list_actor_assignments('user', {'id': 'u2'}) == ([granted], True)


@pytest.mark.parametrize('answer', [(200, dict(EVERYONE, truncated=True), None),
                                    (500, {'error': {'message': 'LDAP server unreachable'}}, None)])
def test_a_truncated_or_failed_prefetch_falls_back_to_one_listing_per_actor(server, provider, answer):
    server.answer(answer, (200, LISTING, None))
    assert provider.prefetch_assignments() is False
    found, complete = provider.list_actor_assignments('user', {'id': 'u1'})
    assert complete is True and len(found) == 3
    assert paths(server) == [('GET', '/v3/role_assignments?include_names=true'),
                             ('GET', '/v3/role_assignments?user.id=u1&include_names=true')]


def test_a_refused_prefetch_is_an_error(server, provider):
    server.answer((403, {'error': {'message': 'You are not authorized'}}, None))
    with pytest.raises(APIError) as err:
        provider.prefetch_assignments()
    assert str(err.value) == ('keystone: GET /v3/role_assignments?include_names=true failed: HTTP 403: '
                              'You are not authorized')


USERS_OF_DEFAULT = {'users': [{'id': 'a' * 32, 'name': 'asmith', 'domain_id': 'default', 'enabled': True},
                              {'id': 'b' * 32, 'name': 'bjones', 'domain_id': 'default', 'enabled': True}],
                    'links': {'next': None}}


def test_resolve_actor_after_a_domain_listing_costs_nothing_by_name_or_id(server, provider):
    server.answer((200, USERS_OF_DEFAULT, None), (404, {'error': {'message': 'Could not find user'}}, None))
    provider.prefetch_users('default')
    assert provider.resolve_actor('user', 'asmith')['id'] == 'a' * 32
    assert provider.resolve_actor('user', 'b' * 32, 'Default')['name'] == 'bjones'
    assert paths(server) == [('GET', '/v3/users?domain_id=default&limit=1000')]
    with pytest.raises(NotFoundError) as err:
        provider.resolve_actor('user', 'ghost')
    assert str(err.value) == "keystone: user 'ghost' not found in domain 'Default' (looked up by name and by id)"
    assert paths(server)[1:] == [('GET', '/v3/users/ghost')]   # the id lookup of an unlisted ref


def test_resolve_actor_for_groups(server, provider):
    groups = {'groups': [{'id': 'c' * 32, 'name': 'ops', 'domain_id': 'default', 'description': ''}],
              'links': {'next': None}}
    server.answer((200, groups, None))
    provider.prefetch_groups('Default')
    assert provider.resolve_actor('group', 'ops')['id'] == 'c' * 32
    assert provider.resolve_actor('group', 'c' * 32)['name'] == 'ops'
    assert paths(server) == [('GET', '/v3/groups?domain_id=default&limit=1000')]
    # without a listing, the usual lookup: by name in the domain
    server.answer((200, {'users': [{'id': 'u7', 'name': 'carol', 'domain_id': 'default'}], 'links': {}}, None))
    assert provider.resolve_actor('user', 'carol')['id'] == 'u7'
    assert paths(server) == [('GET', '/v3/users?name=carol&domain_id=default')]
