"""identity_role_assignment(_info) against a real Keystone; state read back with the admin client.

Every test checks the server's role assignments (GET /v3/role_assignments through ``admin``,
which shares nothing with the collection), ``changed``, the diff, and the exact requests the
module sent (Keystone's access log).
"""

import pytest

TOKEN = ('POST', '/v3/auth/tokens')


def methods(entries):
    return [(e.method, e.path) for e in entries]


def role_id(admin, name):
    return admin.get('/roles', name=name)['roles'][0]['id']


def key_of(raw):
    """(role id, scope kind, scope id, inherited) of a Keystone role assignment object."""
    scope = raw['scope']
    inherited = scope.get('OS-INHERIT:inherited_to') == 'projects'
    if 'project' in scope:
        return (raw['role']['id'], 'project', scope['project']['id'], inherited)
    if 'domain' in scope:
        return (raw['role']['id'], 'domain', scope['domain']['id'], inherited)
    return (raw['role']['id'], 'system', 'all', inherited)


def held(admin, kind, actor_id, **extra):
    """The server's assignments of a user or group, as a set of keys."""
    return set(key_of(a) for a in admin.get('/role_assignments', **dict({kind + '.id': actor_id}, **extra))['role_assignments'])


class World:
    """A domain with two projects (one with a child), a user and a group, made with ``admin``."""

    def __init__(self, admin, uniq):
        self.admin = admin
        self.domain = admin.make_domain('ra-dom-' + uniq)
        self.project = admin.make_project('ra-proj-' + uniq)
        self.other = admin.make_project('ra-other-' + uniq)
        self.dproject = admin.make_project('ra-dproj-' + uniq, self.domain['id'])
        self.child = admin.post('/projects', {'project': {'name': 'ra-child-' + uniq, 'domain_id': 'default',
                                                          'parent_id': self.project['id']}})['project']
        self.user = admin.make_user('ra-user-' + uniq)
        self.group = admin.post('/groups', {'group': {'name': 'ra-group-' + uniq, 'domain_id': 'default'}})['group']
        self.roles = dict((r['name'], r['id']) for r in admin.get('/roles')['roles'])


@pytest.fixture
def world(admin, uniq):
    return World(admin, uniq)


# ---- single form: every kind of assignment ------------------------------------------------------

def _variants(w):
    """name -> (module args, expected key, actor kind, actor id, PUT path)."""
    u, g, r = w.user['id'], w.group['id'], w.roles
    return {
        'user-project': (dict(user=w.user['name'], role='member', project=w.project['name']),
                         (r['member'], 'project', w.project['id'], False), 'user', u,
                         '/v3/projects/%s/users/%s/roles/%s' % (w.project['id'], u, r['member'])),
        'user-domain': (dict(user=w.user['name'], role='reader', domain=w.domain['name']),
                        (r['reader'], 'domain', w.domain['id'], False), 'user', u,
                        '/v3/domains/%s/users/%s/roles/%s' % (w.domain['id'], u, r['reader'])),
        'group-project': (dict(group=w.group['name'], role='member', project=w.project['id']),
                          (r['member'], 'project', w.project['id'], False), 'group', g,
                          '/v3/projects/%s/groups/%s/roles/%s' % (w.project['id'], g, r['member'])),
        'group-domain': (dict(group=w.group['id'], role='reader', domain=w.domain['id']),
                         (r['reader'], 'domain', w.domain['id'], False), 'group', g,
                         '/v3/domains/%s/groups/%s/roles/%s' % (w.domain['id'], g, r['reader'])),
        'user-system': (dict(user=w.user['id'], role='reader', system='all'),
                        (r['reader'], 'system', 'all', False), 'user', u,
                        '/v3/system/users/%s/roles/%s' % (u, r['reader'])),
        'group-system': (dict(group=w.group['name'], role='reader', system='all'),
                         (r['reader'], 'system', 'all', False), 'group', g,
                         '/v3/system/groups/%s/roles/%s' % (g, r['reader'])),
        'user-domain-inherited': (dict(user=w.user['name'], role='member', domain=w.domain['name'], inherited=True),
                                  (r['member'], 'domain', w.domain['id'], True), 'user', u,
                                  '/v3/OS-INHERIT/domains/%s/users/%s/roles/%s/inherited_to_projects' % (w.domain['id'], u, r['member'])),
        'user-project-inherited': (dict(user=w.user['name'], role='reader', project=w.project['name'], inherited=True),
                                   (r['reader'], 'project', w.project['id'], True), 'user', u,
                                   '/v3/OS-INHERIT/projects/%s/users/%s/roles/%s/inherited_to_projects' % (w.project['id'], u, r['reader'])),
        'group-domain-inherited': (dict(group=w.group['name'], role='reader', domain=w.domain['name'], inherited=True),
                                   (r['reader'], 'domain', w.domain['id'], True), 'group', g,
                                   '/v3/OS-INHERIT/domains/%s/groups/%s/roles/%s/inherited_to_projects' % (w.domain['id'], g, r['reader'])),
        'group-project-inherited': (dict(group=w.group['name'], role='member', project=w.project['name'], inherited=True),
                                    (r['member'], 'project', w.project['id'], True), 'group', g,
                                    '/v3/OS-INHERIT/projects/%s/groups/%s/roles/%s/inherited_to_projects' % (w.project['id'], g, r['member'])),
    }


VARIANTS = ['user-project', 'user-domain', 'group-project', 'group-domain', 'user-system', 'group-system',
            'user-domain-inherited', 'user-project-inherited', 'group-domain-inherited', 'group-project-inherited']


@pytest.mark.parametrize('variant', VARIANTS)
def test_assign_rerun_and_revoke_each_kind(run_module, admin, world, variant):
    args, key, kind, actor_id, path = _variants(world)[variant]
    before = held(admin, kind, actor_id)
    assert key not in before

    first = run_module('identity_role_assignment', _diff=True, **args)
    assert first['changed'] is True, first.result
    assert held(admin, kind, actor_id) == before | {key}
    assert methods(first.writes) == [('PUT', path)]
    assignment = first['assignment']
    assert assignment['role']['id'] == key[0]
    assert assignment[kind]['id'] == actor_id
    assert assignment['inherited'] is key[3]
    scope = assignment[key[1]]
    assert (scope if key[1] == 'system' else scope['id']) == key[2]
    assert list(first['diff']['after'].values()) == [assignment]
    assert first['diff']['before'] == {}

    again = run_module('identity_role_assignment', **args)
    assert again['changed'] is False and again.writes == []
    assert again['assignment'] == assignment

    gone = run_module('identity_role_assignment', state='absent', _diff=True, **args)
    assert gone['changed'] is True
    assert methods(gone.writes) == [('DELETE', path)]
    assert held(admin, kind, actor_id) == before
    assert gone['diff'] == {'before': first['diff']['after'], 'after': {}}
    assert gone['assignment'] == assignment

    missing = run_module('identity_role_assignment', state='absent', **args)
    assert missing['changed'] is False and missing.writes == []
    assert missing['assignment'] is None


def test_user_on_project_requests_labels_and_names(run_module, admin, world):
    w = world
    args = dict(user=w.user['name'], role='member', project=w.project['name'])
    first = run_module('identity_role_assignment', _diff=True, **args)
    path = '/v3/projects/%s/users/%s/roles/%s' % (w.project['id'], w.user['id'], w.roles['member'])
    # token, user, the user's assignments (one listing), every global role (one listing), project, grant
    assert methods(first.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/role_assignments'),
                                      ('GET', '/v3/roles'), ('GET', '/v3/projects'), ('PUT', path)]
    expected = {'role': {'id': w.roles['member'], 'name': 'member', 'domain': None},
                'user': {'id': w.user['id'], 'name': w.user['name'], 'domain': {'id': 'default', 'name': 'Default'}},
                'project': {'id': w.project['id'], 'name': w.project['name'], 'domain': {'id': 'default', 'name': 'Default'}},
                'inherited': False}
    assert first['assignment'] == expected
    assert first['diff'] == {'before': {}, 'after': {'member on project %s in domain Default' % w.project['name']: expected}}

    # no-op rerun: the project comes with the user's listing, so it costs no lookup
    again = run_module('identity_role_assignment', **args)
    assert methods(again.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/role_assignments'), ('GET', '/v3/roles')]
    assert again['changed'] is False and again['assignment'] == expected


def test_inherited_assignments_reach_the_projects_below(run_module, admin, world):
    w = world
    run_module('identity_role_assignment', user=w.user['name'], role='reader', project=w.project['name'], inherited=True)
    run_module('identity_role_assignment', user=w.user['name'], role='member', domain=w.domain['name'], inherited=True)
    effective = held(admin, 'user', w.user['id'], effective='true')
    # inherited to the child project, not on the project itself; the domain's to its projects
    assert (w.roles['reader'], 'project', w.child['id'], True) in effective
    assert not any(k[2] == w.project['id'] for k in effective)
    assert (w.roles['member'], 'project', w.dproject['id'], True) in effective
    direct = held(admin, 'user', w.user['id'])
    assert direct == {(w.roles['reader'], 'project', w.project['id'], True),
                      (w.roles['member'], 'domain', w.domain['id'], True)}


def test_domain_specific_role(run_module, admin, world, uniq):
    w = world
    role = admin.post('/roles', {'role': {'name': 'ra-clerk-' + uniq, 'domain_id': w.domain['id']}})['role']
    args = dict(user=w.user['name'], role=role['name'], role_domain=w.domain['name'], project=w.dproject['name'],
                project_domain=w.domain['name'])
    first = run_module('identity_role_assignment', _diff=True, **args)
    assert first['changed'] is True, first.result
    assert held(admin, 'user', w.user['id']) == {(role['id'], 'project', w.dproject['id'], False)}
    assert methods(first.writes) == [('PUT', '/v3/projects/%s/users/%s/roles/%s' % (w.dproject['id'], w.user['id'], role['id']))]
    assert ('GET', '/v3/roles') in methods(first.entries)   # ?domain_id=: the domain's roles
    assert [e.query for e in first.entries if e.path == '/v3/roles'] == ['domain_id=%s' % w.domain['id']]
    assert first['assignment']['role'] == {'id': role['id'], 'name': role['name'], 'domain': {'id': w.domain['id'], 'name': w.domain['name']}}
    label = '%s (role of domain %s) on project %s in domain %s' % (role['name'], w.domain['name'], w.dproject['name'], w.domain['name'])
    assert list(first['diff']['after']) == [label]
    again = run_module('identity_role_assignment', **args)
    assert again['changed'] is False and again.writes == []
    # by ID, without role_domain, it is the same assignment
    by_id = run_module('identity_role_assignment', user=w.user['id'], role=role['id'], project=w.dproject['id'])
    assert by_id['changed'] is False and by_id.writes == []
    # a global role name does not find it
    global_lookup = run_module('identity_role_assignment', user=w.user['name'], role=role['name'], project=w.dproject['id'])
    assert global_lookup.get('failed') is True
    assert "role '%s' not found among the global roles" % role['name'] in global_lookup['msg']


def test_check_mode_predicts_and_sends_no_write(run_module, admin, world):
    w = world
    args = dict(user=w.user['name'], role='member', domain=w.domain['name'])
    predicted = run_module('identity_role_assignment', _check=True, _diff=True, **args)
    assert predicted['changed'] is True and predicted.writes == []
    assert held(admin, 'user', w.user['id']) == set()
    real = run_module('identity_role_assignment', _diff=True, **args)
    assert real['changed'] is True
    assert predicted['assignment'] == real['assignment']
    assert predicted['diff'] == real['diff']
    unchanged = run_module('identity_role_assignment', _check=True, **args)
    assert unchanged['changed'] is False and unchanged.writes == []
    revoke = run_module('identity_role_assignment', _check=True, _diff=True, state='absent', **args)
    assert revoke['changed'] is True and revoke.writes == []
    assert revoke['diff'] == {'before': real['diff']['after'], 'after': {}}
    assert held(admin, 'user', w.user['id']) == {(w.roles['member'], 'domain', w.domain['id'], False)}


# ---- list form: access review and offboarding ----------------------------------------------------

def _seed_six(admin, w, uniq):
    """The user holds A, B (to keep), C, D (to purge); its group holds G (never touched)."""
    u, r = w.user['id'], w.roles
    clerk = admin.post('/roles', {'role': {'name': 'ra-dsr-' + uniq, 'domain_id': w.domain['id']}})['role']
    admin.put('/projects/%s/users/%s/roles/%s' % (w.project['id'], u, r['member']))                      # A
    admin.put('/OS-INHERIT/domains/%s/users/%s/roles/%s/inherited_to_projects' % (w.domain['id'], u, r['reader']))  # B
    admin.put('/projects/%s/users/%s/roles/%s' % (w.other['id'], u, r['member']))                        # C
    admin.put('/domains/%s/users/%s/roles/%s' % (w.domain['id'], u, clerk['id']))                        # D
    admin.put('/groups/%s/users/%s' % (w.group['id'], u))
    admin.put('/OS-INHERIT/domains/%s/groups/%s/roles/%s/inherited_to_projects' % (w.domain['id'], w.group['id'], r['manager']))  # G
    return clerk


def _review_args(w):
    return dict(user=w.user['name'], purge=True, assignments=[
        dict(role='member', project=w.project['name']),                           # A, held
        dict(role='reader', domain=w.domain['name'], inherited=True),              # B, held
        dict(role='reader', project=w.project['name']),                           # E, new
        dict(role='reader', system='all'),                                        # F, new
    ])


def test_access_review_adds_listed_and_purges_exactly_the_unlisted(run_module, admin, world, uniq):
    w, r, u = world, world.roles, world.user['id']
    clerk = _seed_six(admin, w, uniq)
    group_before = held(admin, 'group', w.group['id'])

    predicted = run_module('identity_role_assignment', _check=True, _diff=True, **_review_args(w))
    assert predicted['changed'] is True and predicted.writes == []
    assert len(held(admin, 'user', u)) == 4

    run = run_module('identity_role_assignment', _diff=True, **_review_args(w))
    assert run['changed'] is True, run.result
    grant_e = '/v3/projects/%s/users/%s/roles/%s' % (w.project['id'], u, r['reader'])
    grant_f = '/v3/system/users/%s/roles/%s' % (u, r['reader'])
    revoke_c = '/v3/projects/%s/users/%s/roles/%s' % (w.other['id'], u, r['member'])
    revoke_d = '/v3/domains/%s/users/%s/roles/%s' % (w.domain['id'], u, clerk['id'])
    assert methods(run.writes) == [('PUT', grant_e), ('PUT', grant_f), ('DELETE', revoke_c), ('DELETE', revoke_d)]
    # one listing of the user's assignments, one of the global roles; scopes it already held cost nothing
    assert methods(run.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/role_assignments'), ('GET', '/v3/roles'),
                                    ('PUT', grant_e), ('PUT', grant_f), ('DELETE', revoke_c), ('DELETE', revoke_d)]
    assert held(admin, 'user', u) == {(r['member'], 'project', w.project['id'], False),
                                      (r['reader'], 'domain', w.domain['id'], True),
                                      (r['reader'], 'project', w.project['id'], False),
                                      (r['reader'], 'system', 'all', False)}
    # the group's assignment (which the user has through the group) is untouched
    assert held(admin, 'group', w.group['id']) == group_before == {(r['manager'], 'domain', w.domain['id'], True)}
    assert (r['manager'], 'project', w.dproject['id'], True) in held(admin, 'user', u, effective='true')

    label_c = 'member on project %s in domain Default' % w.other['name']
    label_d = '%s (role of domain %s) on domain %s' % (clerk['name'], w.domain['name'], w.domain['name'])
    assert sorted(run['diff']['before']) == sorted([label_c, label_d])
    assert run['diff']['before'][label_c]['project'] == {
        'id': w.other['id'], 'name': w.other['name'], 'domain': {'id': 'default', 'name': 'Default'}}
    assert run['diff']['before'][label_d]['role']['name'] == clerk['name']
    assert sorted(run['diff']['after']) == sorted(['reader on project %s in domain Default' % w.project['name'],
                                                   'reader on system all'])
    assert sorted(a['role']['id'] for a in run['purged']) == sorted([r['member'], clerk['id']])
    assert [x['changed'] for x in run['results']] == [False, False, True, True]
    assert len(run['assignments']) == 4
    # check mode predicted exactly this
    assert predicted['diff'] == run['diff']
    assert predicted['purged'] == run['purged']
    assert [x['changed'] for x in predicted['results']] == [False, False, True, True]

    again = run_module('identity_role_assignment', **_review_args(w))
    assert again['changed'] is False and again.writes == []
    assert methods(again.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/role_assignments'), ('GET', '/v3/roles')]


def test_without_purge_the_unlisted_stay(run_module, admin, world, uniq):
    w = world
    _seed_six(admin, w, uniq)
    args = _review_args(w)
    args['purge'] = False
    run = run_module('identity_role_assignment', **args)
    assert [e.method for e in run.writes] == ['PUT', 'PUT']
    assert len(held(admin, 'user', w.user['id'])) == 6
    assert run['purged'] == []


def test_offboarding_revokes_every_direct_assignment(run_module, admin, world, uniq):
    w, u = world, world.user['id']
    _seed_six(admin, w, uniq)
    group_before = held(admin, 'group', w.group['id'])
    run = run_module('identity_role_assignment', user=w.user['name'], assignments=[], purge=True, _diff=True)
    assert run['changed'] is True
    assert sorted(e.method for e in run.writes) == ['DELETE'] * 4
    assert held(admin, 'user', u) == set()
    assert held(admin, 'group', w.group['id']) == group_before
    assert len(run['diff']['before']) == 4 and run['diff']['after'] == {}
    assert run['assignments'] == []
    again = run_module('identity_role_assignment', user=w.user['name'], assignments=[], purge=True)
    assert again['changed'] is False and again.writes == []


def test_list_form_for_a_group_with_item_states(run_module, admin, world):
    w, r, g = world, world.roles, world.group['id']
    admin.put('/domains/%s/groups/%s/roles/%s' % (w.domain['id'], g, r['reader']))
    run = run_module('identity_role_assignment', group=w.group['name'], assignments=[
        dict(role='reader', domain=w.domain['name'], state='absent'),
        dict(role='member', project=w.project['name'], inherited=True),
    ])
    assert run['changed'] is True
    assert held(admin, 'group', g) == {(r['member'], 'project', w.project['id'], True)}
    assert methods(run.writes) == [
        ('PUT', '/v3/OS-INHERIT/projects/%s/groups/%s/roles/%s/inherited_to_projects' % (w.project['id'], g, r['member'])),
        ('DELETE', '/v3/domains/%s/groups/%s/roles/%s' % (w.domain['id'], g, r['reader']))]
    assert [x['item']['state'] for x in run['results']] == ['absent', 'present']


# ---- bad input: one clear line, no write --------------------------------------------------------

def warnings(run):
    """The warning texts of a run (ansible-core 2.19 reports each as a WarningSummary dict)."""
    found = []
    for warning in run.get('warnings') or []:
        found.append(warning['event']['msg'] if isinstance(warning, dict) else warning)
    return ' '.join(found)


def assert_clean_failure(run, expected):
    assert run.get('failed') is True, run.result
    assert 'exception' not in run.result and 'Traceback' not in run.stderr
    assert '\n' not in run['msg']
    assert expected in run['msg'], run['msg']
    assert run.writes == []


@pytest.mark.parametrize('case,expected', [
    ('role', "keystone: role 'nosuch-{u}' not found among the global roles (looked up by name and by id; a domain-specific role needs its role_domain)"),
    ('role_domain', "keystone: role 'member' not found in domain 'ra-dom-{u}' (looked up by name and by id)"),
    ('user', "keystone: user 'nosuch-{u}' not found in domain 'Default' (looked up by name and by id)"),
    ('group', "keystone: group 'nosuch-{u}' not found in domain 'Default' (looked up by name and by id)"),
    ('project', "keystone: project 'nosuch-{u}' not found in domain 'Default' (looked up by name and by id)"),
    ('domain', "keystone: domain 'nosuch-{u}' not found (looked up by name and by id)"),
    ('user_domain', "keystone: domain 'nosuch-{u}' not found (looked up by name and by id)"),
    ('item', "keystone: assignments[1]: project 'nosuch-{u}' not found in domain 'Default' (looked up by name and by id)"),
])
def test_unknown_names(run_module, world, uniq, case, expected):
    w = world
    args = dict(user=w.user['name'], role='member', project=w.project['name'])
    bad = 'nosuch-' + uniq
    if case == 'role':
        args['role'] = bad
    elif case == 'role_domain':
        args['role_domain'] = w.domain['name']
    elif case == 'user':
        args['user'] = bad
    elif case == 'group':
        del args['user']
        args['group'] = bad
    elif case == 'project':
        args['project'] = bad
    elif case == 'domain':
        del args['project']
        args['domain'] = bad
    elif case == 'user_domain':
        args['user_domain'] = bad
    else:
        args = dict(user=w.user['name'], purge=True, assignments=[
            dict(role='reader', system='all'), dict(role='member', project=bad)])
    assert_clean_failure(run_module('identity_role_assignment', **args), expected.format(u=uniq))


@pytest.mark.parametrize('extra,expected', [
    (dict(domain='Default'), 'parameters are mutually exclusive: project|domain|system|assignments'),
    (dict(group='whoever'), 'parameters are mutually exclusive: user|group'),
    (dict(project=None, system='all', inherited=True), 'parameters are mutually exclusive: system|inherited'),
    (dict(user=None), 'one of the following is required: user, group'),
    (dict(project=None), 'one of the following is required: project, domain, system, assignments'),
    (dict(purge=True), 'purge is True but all of the following are missing: assignments'),
    (dict(project_domain='Default', project=None, domain='Default'), 'missing parameter(s) required by \'project_domain\': project'),
    (dict(role=None, project=None, assignments=[dict(role='member', project='x', domain='y')]),
     'parameters are mutually exclusive: project|domain|system found in assignments'),
    (dict(role=None, project=None, assignments=[dict(role='member', system='all', inherited=True)]),
     'parameters are mutually exclusive: system|inherited found in assignments'),
    (dict(role=None, project=None, assignments=[dict(role='member', project='x', user='other')]),
     'Unsupported parameters for'),
])
def test_contradictory_options(run_module, world, extra, expected):
    args = dict(user=world.user['name'], role='member', project=world.project['name'])
    args.update(extra)
    args = dict((k, v) for k, v in args.items() if v is not None)
    run = run_module('identity_role_assignment', **args)
    assert_clean_failure(run, expected)
    assert run.entries == []   # refused before any request


def test_absent_for_a_deleted_user_warns_and_changes_nothing(run_module, uniq):
    run = run_module('identity_role_assignment', user='gone-' + uniq, assignments=[], purge=True)
    assert run['changed'] is False and run.writes == []
    assert run['assignments'] == []
    assert "nothing to revoke: keystone: user 'gone-%s' not found" % uniq in warnings(run)


# ---- identity_role_assignment_info ---------------------------------------------------------------

def test_info_filters(run_module, admin, world, uniq):
    w, r, u, g = world, world.roles, world.user['id'], world.group['id']
    _seed_six(admin, w, uniq)

    mine = run_module('identity_role_assignment_info', user=w.user['name'], include_names=True)
    assert set(key_of(a) for a in mine['role_assignments']) == held(admin, 'user', u)
    assert len(mine['role_assignments']) == 4
    names = set(a['role']['name'] for a in mine['role_assignments'])
    assert names == {'member', 'reader', 'ra-dsr-' + uniq}
    assert all(a['user']['name'] == w.user['name'] for a in mine['role_assignments'])
    assert methods(mine.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/role_assignments')]
    assert mine.writes == []

    effective = run_module('identity_role_assignment_info', user=w.user['id'], effective=True)
    assert (r['manager'], 'project', w.dproject['id'], True) in set(key_of(a) for a in effective['role_assignments'])
    assert 'name' not in effective['role_assignments'][0]['role']

    group = run_module('identity_role_assignment_info', group=w.group['name'])
    assert set(key_of(a) for a in group['role_assignments']) == {(r['manager'], 'domain', w.domain['id'], True)}

    on_project = run_module('identity_role_assignment_info', project=w.project['name'], role='member')
    assert [key_of(a) for a in on_project['role_assignments']] == [(r['member'], 'project', w.project['id'], False)]
    assert on_project['role_assignments'][0]['user']['id'] == u

    on_domain = run_module('identity_role_assignment_info', domain=w.domain['name'], inherited=True,
                           query='role_assignments[].role.id')
    assert sorted(on_domain['query_result']) == sorted([r['reader'], r['manager']])

    inherited = run_module('identity_role_assignment_info', user=w.user['name'], inherited=True)
    assert [key_of(a) for a in inherited['role_assignments']] == [(r['reader'], 'domain', w.domain['id'], True)]


def test_info_system_subtree_and_unknown(run_module, admin, world, uniq):
    w, r, u = world, world.roles, world.user['id']
    admin.put('/system/users/%s/roles/%s' % (u, r['reader']))
    admin.put('/projects/%s/users/%s/roles/%s' % (w.child['id'], u, r['member']))
    system = run_module('identity_role_assignment_info', system='all', role='reader', include_names=True)
    assert u in [a['user']['id'] for a in system['role_assignments']]
    assert all('system' in a['scope'] for a in system['role_assignments'])

    subtree = run_module('identity_role_assignment_info', project=w.project['name'], include_subtree=True,
                         user=w.user['name'])
    assert [key_of(a) for a in subtree['role_assignments']] == [(r['member'], 'project', w.child['id'], False)]

    unknown = run_module('identity_role_assignment_info', user='nobody-' + uniq)
    assert unknown['role_assignments'] == [] and unknown['changed'] is False
    assert "user 'nobody-%s' not found" % uniq in warnings(unknown)

    run = run_module('identity_role_assignment_info', group=w.group['name'], effective=True)
    assert_clean_failure(run, 'parameters are mutually exclusive: effective|group')
    run = run_module('identity_role_assignment_info', include_subtree=True)
    assert_clean_failure(run, 'include_subtree is True but all of the following are missing: project')


def test_offboarding_in_a_real_playbook_shows_each_revoked_assignment(playbook, keystone, admin, world, uniq):
    w = world
    _seed_six(admin, w, uniq)
    play = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      cloud: iamops-test
  tasks:
    - name: offboard
      iamops.identity.identity_role_assignment:
        user: %s
        assignments: []
        purge: true
      register: offboard
    - ansible.builtin.assert:
        that:
          - offboard is changed
          - offboard.purged | length == 4
          - offboard.assignments == []
""" % w.user['name']
    proc, entries = playbook(play, '--diff')
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    assert 'member on project %s in domain Default' % w.other['name'] in output
    assert 'reader on domain %s, inherited to projects' % w.domain['name'] in output
    assert held(admin, 'user', w.user['id']) == set()
    assert sorted(e.method for e in entries if e.method in ('PUT', 'DELETE')) == ['DELETE'] * 4
