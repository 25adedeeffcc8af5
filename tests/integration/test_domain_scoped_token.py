"""A domain-scoped token sees only its domain's assignments and groups (Keystone 30, read on the
real server): ``GET /v3/role_assignments`` answers, with 200 and no truncation flag, only the
assignments on the token's domain and its projects; ``GET /v3/users/{id}/groups`` only the groups
of that domain. A purge made with such a token must not pass for complete: it revokes what it can
see, and says exactly what it cannot (a warning and the result's ``not_visible``), while the
system and other-domain access stays - checked on the server with the independent admin client.
"""

import pytest

PASSWORD = 'Domain-Adm1n-Pw'


def warnings(run):
    return ' '.join(w['event']['msg'] if isinstance(w, dict) else w for w in run.get('warnings') or [])


def held(admin, user_id):
    """(role name, scope kind, scope id) of every direct assignment of the user, by the admin."""
    roles = dict((r['id'], r['name']) for r in admin.get('/roles')['roles'])
    found = set()
    for a in admin.get('/role_assignments', **{'user.id': user_id})['role_assignments']:
        scope = a['scope']
        kind = 'project' if 'project' in scope else 'domain' if 'domain' in scope else 'system'
        found.add((roles[a['role']['id']], kind, scope[kind]['id'] if kind != 'system' else 'all'))
    return found


@pytest.fixture
def estate(admin, uniq):
    """Domain one (with its admin, a domain-scoped user) and domain two; the user ``target`` of
    domain one holds access in one, in two and on the system, and is in a group of each."""
    class Estate:
        pass
    e = Estate()
    roles = dict((r['name'], r['id']) for r in admin.get('/roles')['roles'])
    e.one = admin.make_domain('dst-one-' + uniq)
    e.two = admin.make_domain('dst-two-' + uniq)
    e.p1 = admin.make_project('dst-p1-' + uniq, e.one['id'])
    e.p2 = admin.make_project('dst-p2-' + uniq, e.two['id'])
    e.dadmin = admin.make_user('dst-admin-' + uniq, e.one['id'], password=PASSWORD)
    admin.put('/domains/%s/users/%s/roles/%s' % (e.one['id'], e.dadmin['id'], roles['admin']))
    e.target = admin.make_user('dst-target-' + uniq, e.one['id'])
    t = e.target['id']
    admin.put('/domains/%s/users/%s/roles/%s' % (e.one['id'], t, roles['reader']))
    admin.put('/projects/%s/users/%s/roles/%s' % (e.p1['id'], t, roles['member']))
    admin.put('/projects/%s/users/%s/roles/%s' % (e.p2['id'], t, roles['member']))
    admin.put('/domains/%s/users/%s/roles/%s' % (e.two['id'], t, roles['reader']))
    admin.put('/system/users/%s/roles/%s' % (t, roles['reader']))
    e.g1 = admin.post('/groups', {'group': {'name': 'dst-g1-' + uniq, 'domain_id': e.one['id']}})['group']
    e.g2 = admin.post('/groups', {'group': {'name': 'dst-g2-' + uniq, 'domain_id': e.two['id']}})['group']
    admin.put('/groups/%s/users/%s' % (e.g1['id'], t))
    admin.put('/groups/%s/users/%s' % (e.g2['id'], t))
    e.auth = {'auth_url': admin.url, 'username': e.dadmin['name'], 'password': PASSWORD,
              'user_domain_id': e.one['id'], 'domain_id': e.one['id']}
    e.blind = ['system role assignments',
               'role assignments on domains other than %s and on their projects' % e.one['name']]
    return e


def test_purge_with_a_domain_scoped_token_says_what_it_cannot_see(run_module, admin, estate):
    e = estate
    args = dict(user=e.target['name'], user_domain=e.one['name'], purge=True,
                assignments=[dict(role='reader', domain=e.one['name'])])
    run = run_module('identity_role_assignment', auth=e.auth, **args)
    assert run.get('failed') is not True, run.result
    # what it could see, it purged: the member role on the project of its own domain
    assert run['changed'] is True
    assert [(a['role']['name'], a['project']['id']) for a in run['purged']] == [('member', e.p1['id'])]
    assert [(w.method, w.path.split('/')[2]) for w in run.writes] == [('DELETE', 'projects')]
    # what it could not see stays, and the task says so instead of passing for complete
    assert held(admin, e.target['id']) == {('reader', 'domain', e.one['id']), ('member', 'project', e.p2['id']),
                                           ('reader', 'domain', e.two['id']), ('reader', 'system', 'all')}
    assert run['not_visible'] == e.blind
    text = warnings(run)
    assert 'purge revoked only the assignments this connection can see' in text
    assert 'system role assignments nor role assignments on domains other than %s' % e.one['name'] in text
    assert PASSWORD not in repr(run.result) and PASSWORD not in run.stderr

    # the same purge with the project-scoped admin token sees, and revokes, everything
    full = run_module('identity_role_assignment', **args)
    assert 'not_visible' not in full.result and 'purge revoked only' not in warnings(full)
    assert sorted(a['role']['name'] for a in full['purged']) == ['member', 'reader', 'reader']
    assert held(admin, e.target['id']) == {('reader', 'domain', e.one['id'])}


def test_info_and_user_groups_with_a_domain_scoped_token(run_module, admin, estate):
    e = estate
    info = run_module('identity_role_assignment_info', auth=e.auth, user=e.target['name'],
                      user_domain=e.one['name'])
    assert info['not_visible'] == e.blind
    assert 'this connection cannot see system role assignments' in warnings(info)
    scopes = sorted((a['project'] if a.get('project') else a['domain'])['id'] for a in info['role_assignments'])
    assert scopes == sorted([e.one['id'], e.p1['id']])     # not p2, two, nor the system one

    run = run_module('identity_user', auth=e.auth, name=e.target['name'], domain=e.one['name'],
                     groups=[e.g1['name']], purge_groups=True)
    assert run.get('failed') is not True, run.result
    assert run['changed'] is False and run.writes == []          # g2 is not seen, so not removed
    assert run['not_visible'] == ['groups of domains other than %s' % e.one['name']]
    assert 'purge_groups removed only the memberships this connection can see' in warnings(run)
    groups = sorted(g['id'] for g in admin.get('/users/%s/groups' % e.target['id'])['groups'])
    assert groups == sorted([e.g1['id'], e.g2['id']])
