"""identity_role_assignment(_info) against a real Keystone; state read back with the admin client.

Every test checks the server's role assignments (GET /v3/role_assignments through ``admin``,
which shares nothing with the collection), ``changed``, the diff, and the exact requests the
module sent (Keystone's access log).
"""

import json

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


def model_key(assignment):
    """(role id, scope kind, scope id, inherited) of a common-model assignment (info modules)."""
    for kind in ('project', 'domain'):
        if assignment.get(kind):
            return (assignment['role']['id'], kind, assignment[kind]['id'], assignment['inherited'])
    return (assignment['role']['id'], 'system', assignment['system'], assignment['inherited'])


def info_keys(run):
    """The keys of an info module's role assignments; each common-model item agrees with the
    Keystone object it keeps under ``raw``."""
    found = run['role_assignments']
    assert [model_key(a) for a in found] == [key_of(a['raw']) for a in found]
    return [model_key(a) for a in found]


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
    # one line, the assignment's names only: no ID, no null
    assert first['diff']['prepared'].startswith('+ ') and first['diff']['prepared'].count('\n') == 1
    assert actor_id not in first['diff']['prepared'] and key[0] not in first['diff']['prepared']

    again = run_module('identity_role_assignment', **args)
    assert again['changed'] is False and again.writes == []
    assert again['assignment'] == assignment

    gone = run_module('identity_role_assignment', state='absent', _diff=True, **args)
    assert gone['changed'] is True
    assert methods(gone.writes) == [('DELETE', path)]
    assert held(admin, kind, actor_id) == before
    assert gone['diff'] == {'prepared': '-' + first['diff']['prepared'][1:]}
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
    assert first['diff'] == {'prepared': '+ member on project %s (Default)\n' % w.project['name']}

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
    assert [e.query for e in first.entries if e.path == '/v3/roles'] == ['domain_id=%s&limit=1000' % w.domain['id']]
    assert first['assignment']['role'] == {'id': role['id'], 'name': role['name'], 'domain': {'id': w.domain['id'], 'name': w.domain['name']}}
    label = '%s (role of domain %s) on project %s (%s)' % (role['name'], w.domain['name'], w.dproject['name'], w.domain['name'])
    assert first['diff'] == {'prepared': '+ %s\n' % label}
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
    assert real['diff'] == {'prepared': '+ member on domain %s\n' % w.domain['name']}
    assert revoke['diff'] == {'prepared': '- member on domain %s\n' % w.domain['name']}
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

    label_c = 'member on project %s (Default)' % w.other['name']
    label_d = '%s (role of domain %s) on domain %s' % (clerk['name'], w.domain['name'], w.domain['name'])
    # one line each, revocations first
    assert run['diff']['prepared'].splitlines() == sorted(['- ' + label_c, '- ' + label_d]) + sorted([
        '+ reader on project %s (Default)' % w.project['name'], '+ reader on system all'])
    assert sorted(a['role']['id'] for a in run['purged']) == sorted([r['member'], clerk['id']])
    # the first item of the user also reports its purge
    assert [x['changed'] for x in run['results']] == [True, False, True, True]
    assert len(run['assignments']) == 4
    # check mode predicted exactly this
    assert predicted['diff'] == run['diff']
    assert predicted['purged'] == run['purged']
    assert [x['changed'] for x in predicted['results']] == [True, False, True, True]

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
    lines = run['diff']['prepared'].splitlines()
    assert len(lines) == 4 and all(line.startswith('- ') for line in lines), lines
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
    (dict(project=None), 'keystone: role member needs a scope: give one of project, domain and system'),
    (dict(purge=True), 'purge is True but all of the following are missing: assignments'),
    (dict(project_domain='Default', project=None, domain='Default'), 'missing parameter(s) required by \'project_domain\': project'),
    (dict(role=None, project=None, assignments=[dict(role='member', project='x', domain='y')]),
     'parameters are mutually exclusive: project|domain|system found in assignments'),
    (dict(role=None, project=None, assignments=[dict(role='member', system='all', inherited=True)]),
     'parameters are mutually exclusive: system|inherited found in assignments'),
    # items may name their own user or group (not both); an item without role is a declaration,
    # so a scope or inherited without role is refused, and a role needs one scope
    (dict(role=None, project=None, assignments=[dict(role='member', project='x', user='a', group='b')]),
     'parameters are mutually exclusive: user|group found in assignments'),
    (dict(role=None, project=None, assignments=[dict(project='x')]),
     "missing parameter(s) required by 'project': role found in assignments"),
    (dict(role=None, project=None, assignments=[dict(user='a', inherited=True)]),
     'inherited is True but all of the following are missing: role found in assignments'),
    (dict(role=None, project=None, assignments=[dict(user_domain='corp')]),
     "missing parameter(s) required by 'user_domain': user found in assignments"),
    (dict(role=None, project=None, assignments=[dict(user='a'), dict(role='member', user='b')]),
     'keystone: assignments[1]: role member needs a scope: give one of project, domain and system'),
    (dict(user=None, role=None, project=None, assignments=[dict(user='a'), dict(role='member', system='all')]),
     'keystone: assignments[1] names no user or group: give user or group in the item, or at top level for every item'),
    (dict(user=None, user_domain='Default', group='g', role=None, project=None, assignments=[dict(role='member', system='all')]),
     'keystone: user_domain is given but no user is (at top level or in an item of assignments)'),
    (dict(group='g', user=None, user_domain='Default'),
     'keystone: user_domain is given but no user is (at top level or in an item of assignments)'),
])
def test_contradictory_options(run_module, world, extra, expected):
    args = dict(user=world.user['name'], role='member', project=world.project['name'])
    args.update(extra)
    args = dict((k, v) for k, v in args.items() if v is not None)
    run = run_module('identity_role_assignment', **args)
    assert_clean_failure(run, expected)
    assert run.entries == []   # refused before any request


def test_absent_for_a_deleted_user_under_warn_warns_and_changes_nothing(run_module, uniq):
    run = run_module('identity_role_assignment', user='gone-' + uniq, assignments=[], purge=True, on_missing='warn')
    assert run['changed'] is False and run.writes == []
    assert run['assignments'] == []
    assert "nothing to revoke: keystone: user 'gone-%s' not found" % uniq in warnings(run)


# ---- identity_role_assignment_info ---------------------------------------------------------------

def test_info_filters(run_module, admin, world, uniq):
    w, r, u, g = world, world.roles, world.user['id'], world.group['id']
    _seed_six(admin, w, uniq)

    mine = run_module('identity_role_assignment_info', user=w.user['name'], include_names=True)
    assert set(info_keys(mine)) == held(admin, 'user', u)
    assert len(mine['role_assignments']) == 4
    names = set(a['role']['name'] for a in mine['role_assignments'])
    assert names == {'member', 'reader', 'ra-dsr-' + uniq}
    assert all(a['user'] == {'id': u, 'name': w.user['name'], 'domain': {'id': 'default', 'name': 'Default'}}
               for a in mine['role_assignments'])
    assert all('scope' not in a and 'links' not in a for a in mine['role_assignments'])
    # the shape identity_role_assignment returns for the same assignment
    same = run_module('identity_role_assignment', user=w.user['name'], role='member', project=w.project['name'])
    assert same['changed'] is False
    on_project = [a for a in mine['role_assignments'] if a.get('project', {}).get('id') == w.project['id']]
    assert [dict((k, v) for k, v in a.items() if k != 'raw') for a in on_project] == [same['assignment']]
    assert methods(mine.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/role_assignments')]
    assert mine.writes == []

    effective = run_module('identity_role_assignment_info', user=w.user['id'], effective=True)
    assert (r['manager'], 'project', w.dproject['id'], True) in set(info_keys(effective))
    assert 'name' not in effective['role_assignments'][0]['raw']['role']
    assert effective['role_assignments'][0]['role']['name'] is None   # names only with include_names

    group = run_module('identity_role_assignment_info', group=w.group['name'])
    assert set(info_keys(group)) == {(r['manager'], 'domain', w.domain['id'], True)}
    assert [a['group']['id'] for a in group['role_assignments']] == [g]

    on_project = run_module('identity_role_assignment_info', project=w.project['name'], role='member')
    assert info_keys(on_project) == [(r['member'], 'project', w.project['id'], False)]
    assert on_project['role_assignments'][0]['user']['id'] == u

    on_domain = run_module('identity_role_assignment_info', domain=w.domain['name'], inherited=True,
                           query='role_assignments[].role.id')
    assert sorted(on_domain['query_result']) == sorted([r['reader'], r['manager']])

    inherited = run_module('identity_role_assignment_info', user=w.user['name'], inherited=True)
    assert info_keys(inherited) == [(r['reader'], 'domain', w.domain['id'], True)]


def test_info_system_subtree_and_unknown(run_module, admin, world, uniq):
    w, r, u = world, world.roles, world.user['id']
    admin.put('/system/users/%s/roles/%s' % (u, r['reader']))
    admin.put('/projects/%s/users/%s/roles/%s' % (w.child['id'], u, r['member']))
    system = run_module('identity_role_assignment_info', system='all', role='reader', include_names=True)
    assert u in [a['user']['id'] for a in system['role_assignments'] if a.get('user')]
    assert all(a['system'] == 'all' and 'system' in a['raw']['scope'] for a in system['role_assignments'])
    assert set(info_keys(system)) == {(r['reader'], 'system', 'all', False)}

    subtree = run_module('identity_role_assignment_info', project=w.project['name'], include_subtree=True,
                         user=w.user['name'])
    assert info_keys(subtree) == [(r['member'], 'project', w.child['id'], False)]

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
    assert 'member on project %s (Default)' % w.other['name'] in output
    assert 'reader on domain %s, inherited to projects' % w.domain['name'] in output
    assert held(admin, 'user', w.user['id']) == set()
    assert sorted(e.method for e in entries if e.method in ('PUT', 'DELETE')) == ['DELETE'] * 4


# ---- list form with many users and groups: team onboarding and offboarding ----------------------

class Team:
    """Five users, a sixth who is never named, a group holding a role, and two projects (Default)."""

    def __init__(self, admin, uniq):
        self.admin = admin
        self.users = [admin.make_user('ra-t%d-%s' % (n, uniq)) for n in range(5)]
        self.bystander = admin.make_user('ra-stay-' + uniq)
        self.group = admin.post('/groups', {'group': {'name': 'ra-tg-' + uniq, 'domain_id': 'default'}})['group']
        self.payroll = admin.make_project('ra-payroll-' + uniq)
        self.ledger = admin.make_project('ra-ledger-' + uniq)
        self.roles = dict((r['name'], r['id']) for r in admin.get('/roles')['roles'])

    def grant_path(self, user, role, project):
        return '/v3/projects/%s/users/%s/roles/%s' % (project['id'], user['id'], self.roles[role])

    def onboarding(self):
        """Each user: member on payroll, reader on ledger (10 items)."""
        return [dict(user=u['name'], role=role, project=project['name'])
                for u in self.users for role, project in (('member', self.payroll), ('reader', self.ledger))]

    def label(self, user, role, project):
        return 'user %s (Default): %s on project %s (Default)' % (user['name'], role, project['name'])


@pytest.fixture
def team(admin, uniq):
    return Team(admin, uniq)


def test_team_onboarding_in_one_task(run_module, admin, team):
    t, r = team, team.roles
    args = dict(user_domain='Default', assignments=t.onboarding())
    predicted = run_module('identity_role_assignment', _check=True, _diff=True, **args)
    assert predicted['changed'] is True and predicted.writes == []
    assert all(held(admin, 'user', u['id']) == set() for u in t.users)

    run = run_module('identity_role_assignment', _diff=True, **args)
    assert run['changed'] is True, run.result
    puts = [('PUT', t.grant_path(u, role, project)) for u in t.users
            for role, project in (('member', t.payroll), ('reader', t.ledger))]
    # one users listing of the domain, one listing of every assignment, one of the global roles,
    # one lookup per project, then only the ten grants, in item order
    assert methods(run.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/role_assignments'), ('GET', '/v3/roles'),
                                    ('GET', '/v3/projects'), ('GET', '/v3/projects')] + puts
    assert [e.query for e in run.entries[1:3]] == ['domain_id=default&limit=1000', 'include_names=true']
    for u in t.users:
        assert held(admin, 'user', u['id']) == {(r['member'], 'project', t.payroll['id'], False),
                                                (r['reader'], 'project', t.ledger['id'], False)}
    labels = [t.label(u, role, project) for u in t.users for role, project in (('member', t.payroll), ('reader', t.ledger))]
    assert run['diff']['prepared'].splitlines() == ['+ ' + label for label in sorted(labels)]
    assert run['results'][0]['assignment']['user'] == {
        'id': t.users[0]['id'], 'name': t.users[0]['name'], 'domain': {'id': 'default', 'name': 'Default'}}
    assert [x['changed'] for x in run['results']] == [True] * 10
    assert [x['assignment']['user']['id'] for x in run['results']] == [u['id'] for u in t.users for dummy in (1, 2)]
    assert len(run['assignments']) == 10 and run['purged'] == []
    assert predicted['diff'] == run['diff'] and predicted['results'] == run['results']

    # identical rerun: no write; the projects come with the assignments listing, no lookup
    again = run_module('identity_role_assignment', **args)
    assert again['changed'] is False and again.writes == []
    assert methods(again.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/role_assignments'), ('GET', '/v3/roles')]
    assert [x['assignment'] for x in again['results']] == [x['assignment'] for x in run['results']]


def _seed_leavers(admin, t, uniq):
    """Each user holds a project role; some a domain or system one too; the group holds one."""
    r = t.roles
    domain = admin.make_domain('ra-tdom-' + uniq)
    for n, u in enumerate(t.users + [t.bystander]):
        admin.put('/projects/%s/users/%s/roles/%s' % (t.payroll['id'], u['id'], r['member']))
        if n % 2 == 0 or u is t.bystander:
            admin.put('/OS-INHERIT/domains/%s/users/%s/roles/%s/inherited_to_projects' % (domain['id'], u['id'], r['reader']))
        if n == 3:
            admin.put('/system/users/%s/roles/%s' % (u['id'], r['reader']))
        admin.put('/groups/%s/users/%s' % (t.group['id'], u['id']))
    admin.put('/projects/%s/groups/%s/roles/%s' % (t.ledger['id'], t.group['id'], r['reader']))
    return domain


def test_team_offboarding_with_declarations_and_purge(run_module, admin, team, uniq):
    t, r = team, team.roles
    domain = _seed_leavers(admin, t, uniq)
    group_before = held(admin, 'group', t.group['id'])
    bystander_before = held(admin, 'user', t.bystander['id'])
    assert len(bystander_before) == 2
    args = dict(user_domain='Default', purge=True, assignments=[dict(user=u['name']) for u in t.users])

    revoked = {}
    for n, u in enumerate(t.users):
        revoked[t.label(u, 'member', t.payroll)] = t.grant_path(u, 'member', t.payroll)
        if n % 2 == 0:
            revoked['user %s (Default): reader on domain %s, inherited to projects' % (u['name'], domain['name'])] = (
                '/v3/OS-INHERIT/domains/%s/users/%s/roles/%s/inherited_to_projects' % (domain['id'], u['id'], r['reader']))
        if n == 3:
            revoked['user %s (Default): reader on system all' % u['name']] = '/v3/system/users/%s/roles/%s' % (u['id'], r['reader'])
    assert len(revoked) == 9

    predicted = run_module('identity_role_assignment', _check=True, _diff=True, **args)
    assert predicted['changed'] is True and predicted.writes == []
    assert predicted['diff']['prepared'].splitlines() == ['- ' + label for label in sorted(revoked)]
    assert held(admin, 'user', t.users[0]['id']) != set()

    run = run_module('identity_role_assignment', _diff=True, **args)
    assert run['changed'] is True, run.result
    # revoked in label order; no roles listing (no item names a role)
    assert methods(run.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/role_assignments')] + [
        ('DELETE', revoked[label]) for label in sorted(revoked)]
    assert all(held(admin, 'user', u['id']) == set() for u in t.users)
    assert held(admin, 'user', t.bystander['id']) == bystander_before           # not named: untouched
    assert held(admin, 'group', t.group['id']) == group_before == {(r['reader'], 'project', t.ledger['id'], False)}
    assert (r['reader'], 'project', t.ledger['id'], False) in held(admin, 'user', t.users[0]['id'], effective='true')
    assert run['diff'] == predicted['diff']
    assert [a['user']['name'] for a in run['purged']] == [label.split(' ')[1] for label in sorted(revoked)]
    assert predicted['purged'] == run['purged']
    declared = [dict(user=u['name'], user_domain=None, group=None, group_domain=None, role=None, role_domain=None,
                     project=None, project_domain=None, domain=None, system=None, inherited=False, resources=None,
                     record=None) for u in t.users]
    # each declaration reports its actor's purge: changed, with that actor's lines (so a task in a
    # loop, whose entries' diffs the callback prints, shows every line too)
    assert [dict((k, v) for k, v in x.items() if k != 'diff') for x in run['results']] == [
        dict(item=dict(item, state='present'), changed=True, assignment=None) for item in declared]
    for entry, user in zip(run['results'], t.users):
        lines = entry['diff']['prepared'].splitlines()
        assert lines and all(line.startswith('- user %s (Default): ' % user['name']) for line in lines)
    assert sorted(line for x in run['results'] for line in x['diff']['prepared'].splitlines()) == \
        run['diff']['prepared'].splitlines()
    assert run['assignments'] == []

    again = run_module('identity_role_assignment', **args)
    assert again['changed'] is False and again.writes == []
    assert methods(again.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/role_assignments')]


def test_mixed_users_and_a_group_with_per_actor_purge(run_module, admin, team):
    t, r = team, team.roles
    a, b, c = t.users[:3]
    g = t.group['id']
    admin.put('/projects/%s/users/%s/roles/%s' % (t.ledger['id'], a['id'], r['member']))     # a: not listed -> purged
    admin.put('/projects/%s/users/%s/roles/%s' % (t.payroll['id'], b['id'], r['member']))    # b: listed for c only
    admin.put('/projects/%s/groups/%s/roles/%s' % (t.ledger['id'], g, r['reader']))          # group: listed, kept
    admin.put('/system/groups/%s/roles/%s' % (g, r['reader']))                               # group: purged
    args = dict(user=c['name'], purge=True, assignments=[
        dict(role='member', project=t.payroll['name']),                                      # the top-level user c
        dict(user=a['name'], role='reader', project=t.payroll['name']),
        dict(user=b['id']),                                                                 # b by id, declared
        dict(group=t.group['name'], group_domain='Default', role='reader', project=t.ledger['name']),
    ])
    run = run_module('identity_role_assignment', _diff=True, **args)
    assert run['changed'] is True, run.result
    grants = [('PUT', t.grant_path(c, 'member', t.payroll)), ('PUT', t.grant_path(a, 'reader', t.payroll))]
    revokes = {
        t.label(a, 'member', t.ledger): t.grant_path(a, 'member', t.ledger),
        t.label(b, 'member', t.payroll): t.grant_path(b, 'member', t.payroll),
        'group %s (Default): reader on system all' % t.group['name']: '/v3/system/groups/%s/roles/%s' % (g, r['reader']),
    }
    assert methods(run.writes) == grants + [('DELETE', revokes[label]) for label in sorted(revokes)]
    # the three users (one by id) cost one users listing, the group one lookup
    gets = methods(e for e in run.entries if e.method == 'GET')
    assert gets.count(('GET', '/v3/users')) == 1 and gets.count(('GET', '/v3/groups')) == 1
    assert gets.count(('GET', '/v3/role_assignments')) == 1 and ('GET', '/v3/users/%s' % b['id']) not in gets
    assert held(admin, 'user', c['id']) == {(r['member'], 'project', t.payroll['id'], False)}
    assert held(admin, 'user', a['id']) == {(r['reader'], 'project', t.payroll['id'], False)}
    assert held(admin, 'user', b['id']) == set()
    assert held(admin, 'group', g) == {(r['reader'], 'project', t.ledger['id'], False)}
    # grouped by actor (group before user, then by name), each actor's revocations first
    expected = sorted([(label.split(':')[0], 0, label) for label in revokes] + [
        (label.split(':')[0], 1, label) for label in (t.label(c, 'member', t.payroll), t.label(a, 'reader', t.payroll))])
    assert run['diff']['prepared'].splitlines() == ['-+'[sign] + ' ' + label for _actor, sign, label in expected]
    # b's declaration and the group's item report their purges
    assert [x['changed'] for x in run['results']] == [True, True, True, True]
    assert run['results'][3]['assignment']['group']['id'] == g
    assert sorted(x.get('user', x.get('group'))['id'] for x in run['assignments']) == sorted([c['id'], a['id'], g])

    again = run_module('identity_role_assignment', **args)
    assert again['changed'] is False and again.writes == []


def test_an_unknown_user_among_several_fails_before_any_write(run_module, admin, team, uniq):
    t = team
    items = t.onboarding()[:4] + [dict(user='nosuch-' + uniq, role='member', project=t.payroll['name'])]
    run = run_module('identity_role_assignment', purge=True, assignments=[dict(user=t.users[4]['name'])] + items)
    assert_clean_failure(run, "keystone: assignments[5]: user 'nosuch-%s' not found in domain 'Default' "
                              "(looked up by name and by id)" % uniq)
    # the domain's users listing, then the unknown name tried as an id; nothing read or written after
    assert methods(run.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/users/nosuch-' + uniq)]
    assert all(held(admin, 'user', u['id']) == set() for u in t.users)


def test_an_unknown_project_in_one_users_item_fails_the_whole_team(run_module, admin, team, uniq):
    t = team
    items = t.onboarding() + [dict(user=t.users[0]['name'], role='member', project='nosuch-' + uniq)]
    run = run_module('identity_role_assignment', assignments=items)
    assert_clean_failure(run, "keystone: assignments[10]: project 'nosuch-%s' not found in domain 'Default'" % uniq)
    assert all(held(admin, 'user', u['id']) == set() for u in t.users)


def test_leavers_already_deleted_warn_and_the_rest_are_offboarded(run_module, admin, team, uniq):
    t, r = team, team.roles
    admin.put('/projects/%s/users/%s/roles/%s' % (t.payroll['id'], t.users[0]['id'], r['member']))
    run = run_module('identity_role_assignment', purge=True, on_missing='warn', assignments=[
        dict(user='gone-' + uniq), dict(user=t.users[0]['name'])])
    assert run['changed'] is True
    assert methods(run.writes) == [('DELETE', t.grant_path(t.users[0], 'member', t.payroll))]
    assert "assignments[0]: nothing to revoke: keystone: user 'gone-%s' not found" % uniq in warnings(run)
    # one actor left: its own filtered listing
    assert [e.query for e in run.entries if e.path == '/v3/role_assignments'] == [
        'user.id=%s&include_names=true' % t.users[0]['id']]
    assert held(admin, 'user', t.users[0]['id']) == set()


def test_team_forms_of_the_examples_in_a_real_playbook(playbook, admin, team):
    t, r = team, team.roles
    play = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      cloud: iamops-test
  vars:
    newcomers: %s
    grants:
      - {role: member, project: %s}
      - {role: reader, project: %s}
  tasks:
    - name: onboard
      iamops.identity.identity_role_assignment:
        user_domain: Default
        assignments: "{{ newcomers | product(grants) | map('combine') }}"
      register: onboard
    - ansible.builtin.assert:
        that:
          - onboard is changed
          - onboard.results | length == 10
    - name: offboard
      iamops.identity.identity_role_assignment:
        user_domain: Default
        purge: true
        assignments: "{{ newcomers }}"
      register: offboard
    - ansible.builtin.assert:
        that:
          - offboard is changed
          - offboard.purged | length == 10
          - offboard.purged | map(attribute='user.name') | unique | length == 5
""" % ([{'user': u['name']} for u in t.users], t.payroll['name'], t.ledger['name'])
    proc, entries = playbook(play, '--diff')
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    assert t.label(t.users[2], 'reader', t.ledger) in output
    assert [e.method for e in entries if e.method in ('PUT', 'DELETE')] == ['PUT'] * 10 + ['DELETE'] * 10
    assert all(held(admin, 'user', u['id']) == set() for u in t.users)


def test_check_mode_predicts_grants_for_a_user_the_play_would_create(run_module, admin, team, uniq):
    t = team
    newcomer = 'ra-new-' + uniq   # an earlier identity_user task of the play would create it
    items = t.onboarding()[:2] + [dict(user=newcomer, role='member', project=t.payroll['name'])]
    predicted = run_module('identity_role_assignment', _check=True, _diff=True, assignments=items)
    assert predicted['changed'] is True and predicted.writes == []
    assert ("assignments[2]: keystone: user '%s' not found in domain 'Default' (looked up by name and by id): "
            "check mode takes it as created by an earlier task" % newcomer) in warnings(predicted)
    assert predicted['diff']['prepared'].splitlines() == ['+ ' + label for label in sorted([
        t.label(t.users[0], 'member', t.payroll), t.label(t.users[0], 'reader', t.ledger),
        'user %s (Default): member on project %s (Default)' % (newcomer, t.payroll['name'])])]
    assert predicted['results'][2]['assignment']['user'] == {'id': None, 'name': newcomer,
                                                             'domain': {'id': 'default', 'name': 'Default'}}
    # one existing user: its own filtered listing
    assert [e.query for e in predicted.entries if e.path == '/v3/role_assignments'] == [
        'user.id=%s&include_names=true' % t.users[0]['id']]
    real = run_module('identity_role_assignment', assignments=items)
    assert_clean_failure(real, "keystone: assignments[2]: user '%s' not found in domain 'Default'" % newcomer)
    assert held(admin, 'user', t.users[0]['id']) == set()


def diff_lines(stdout, task):
    """What ansible-playbook --diff printed between the banner of ``task`` and its status line."""
    lines = stdout.split('TASK [%s] ' % task, 1)[1].splitlines()[1:]
    end = next(i for i, line in enumerate(lines) if line.startswith(('changed:', 'ok:', 'fatal:', 'skipping:')))
    return [line for line in lines[:end] if line]


def test_playbook_diff_shows_one_line_per_assignment_the_same_in_check_mode(playbook, admin, team):
    """What a person reads: five new assignments are five lines under the task's banner, with
    names only (no ID, no null), identical in --check --diff and in the real run."""
    t = team
    play = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      cloud: iamops-test
  tasks:
    - name: onboard
      iamops.identity.identity_role_assignment:
        user_domain: Default
        assignments: %s
""" % json.dumps([dict(user=u['name'], role='member', project=t.payroll['name']) for u in t.users])
    expected = ['+ ' + t.label(u, 'member', t.payroll) for u in sorted(t.users, key=lambda u: u['name'])]
    assert expected[0] == '+ user %s (Default): member on project %s (Default)' % (
        sorted(u['name'] for u in t.users)[0], t.payroll['name'])

    check, entries = playbook(play, '--check', '--diff')
    assert check.returncode == 0, check.stdout[-3000:]
    assert [e for e in entries if e.method in ('PUT', 'DELETE', 'POST', 'PATCH') and e.path != '/v3/auth/tokens'] == []
    assert diff_lines(check.stdout, 'onboard') == expected, check.stdout[-3000:]

    real, entries = playbook(play, '--diff')
    assert real.returncode == 0, real.stdout[-3000:]
    assert [e.method for e in entries if e.method in ('PUT', 'DELETE')] == ['PUT'] * 5
    assert diff_lines(real.stdout, 'onboard') == expected          # the very lines check mode showed
    assert all(held(admin, 'user', u['id']) == {(t.roles['member'], 'project', t.payroll['id'], False)} for u in t.users)
    ids = [u['id'] for u in t.users] + [t.payroll['id'], t.roles['member']]
    for output in (check.stdout, real.stdout):
        assert not [i for i in ids if i in output], 'an ID in the output'
        assert 'null' not in output and 'None' not in output

    again, entries = playbook(play, '--diff')
    assert 'changed=0' in again.stdout and diff_lines(again.stdout, 'onboard') == []
    assert [e for e in entries if e.method in ('PUT', 'DELETE')] == []


# ---- on_missing: a role or a user/group that does not exist --------------------------------------

def _with_missing_role(w, uniq, **extra):
    return dict(dict(user=w.user['name'], assignments=[
        dict(role='member', project=w.project['name']), dict(role='nosuch-' + uniq, project=w.project['name'])]), **extra)


def test_on_missing_role_fail_warn_ignore(run_module, admin, world, uniq):
    w, u = world, world.user['id']
    member = (w.roles['member'], 'project', w.project['id'], False)
    failed = run_module('identity_role_assignment', **_with_missing_role(w, uniq))
    assert_clean_failure(failed, "keystone: assignments[1]: role 'nosuch-%s' not found among the global roles" % uniq)
    assert held(admin, 'user', u) == set()
    # a role to revoke that does not exist is revoked already: under fail too, a warning, no write
    absent = run_module('identity_role_assignment', user=w.user['name'], role='nosuch-' + uniq, project=w.project['name'],
                        state='absent')
    assert absent.get('failed') is not True and absent['changed'] is False and absent.writes == []
    assert "nothing to revoke: keystone: role 'nosuch-%s' not found" % uniq in warnings(absent)

    check = run_module('identity_role_assignment', _check=True, _diff=True, on_missing='warn', **_with_missing_role(w, uniq))
    assert check['changed'] is True and check.writes == [] and held(admin, 'user', u) == set()
    warned = run_module('identity_role_assignment', _diff=True, on_missing='warn', **_with_missing_role(w, uniq))
    assert warned['changed'] is True
    assert "assignments[1]: left out, nothing granted: keystone: role 'nosuch-%s' not found" % uniq in warnings(warned)
    assert methods(warned.writes) == [('PUT', '/v3/projects/%s/users/%s/roles/%s' % (w.project['id'], u, w.roles['member']))]
    assert held(admin, 'user', u) == {member}
    assert warned['diff'] == check['diff'] == {'prepared': '+ member on project %s (Default)\n' % w.project['name']}
    assert [(r['changed'], r['assignment'] is None) for r in warned['results']] == [(True, False), (False, True)]
    # rerun: token, user, listing, roles, the missing role tried as an ID; no write
    again = run_module('identity_role_assignment', on_missing='ignore', **_with_missing_role(w, uniq))
    assert again['changed'] is False and again.writes == [] and warnings(again) == ''
    assert methods(again.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/role_assignments'), ('GET', '/v3/roles'),
                                      ('GET', '/v3/roles/nosuch-' + uniq)]
    gone = run_module('identity_role_assignment', on_missing='warn', user=w.user['name'], role='nosuch-' + uniq,
                      project=w.project['name'], state='absent')
    assert gone['changed'] is False and gone.writes == [] and gone['assignment'] is None
    assert "nothing to revoke: keystone: role 'nosuch-%s' not found" % uniq in warnings(gone)


def test_on_missing_warn_with_purge_keeps_exactly_the_listed_existing_ones(run_module, admin, world, uniq):
    w, r, u = world, world.roles, world.user['id']
    admin.put('/projects/%s/users/%s/roles/%s' % (w.project['id'], u, r['member']))
    admin.put('/projects/%s/users/%s/roles/%s' % (w.other['id'], u, r['reader']))
    args = dict(user=w.user['name'], purge=True, on_missing='warn', assignments=[
        dict(role='member', project=w.project['name']), dict(role='nosuch-' + uniq, project=w.other['name'])])
    check = run_module('identity_role_assignment', _check=True, **args)
    assert check['changed'] is True and check.writes == []
    run = run_module('identity_role_assignment', **args)
    assert run['changed'] is True
    assert methods(run.writes) == [('DELETE', '/v3/projects/%s/users/%s/roles/%s' % (w.other['id'], u, r['reader']))]
    assert "assignments[1]: left out, nothing granted: keystone: role 'nosuch-%s' not found" % uniq in warnings(run)
    assert held(admin, 'user', u) == {(r['member'], 'project', w.project['id'], False)}
    assert [key_of_model(a) for a in run['purged']] == [(r['reader'], 'project', w.other['id'], False)]
    again = run_module('identity_role_assignment', **args)
    assert again['changed'] is False and again.writes == []


def key_of_model(assignment):
    return model_key(dict(assignment, inherited=bool(assignment.get('inherited'))))


def test_on_missing_actor(run_module, admin, world, uniq):
    w = world
    args = dict(user='gone-' + uniq, role='member', project=w.project['name'])
    failed = run_module('identity_role_assignment', **args)
    assert_clean_failure(failed, "keystone: user 'gone-%s' not found in domain 'Default'" % uniq)
    revoked = run_module('identity_role_assignment', state='absent', **args)  # a leaver's rerun: its account is gone
    assert revoked.get('failed') is not True and revoked['changed'] is False and revoked.writes == []
    assert "nothing to revoke: keystone: user 'gone-%s' not found" % uniq in warnings(revoked)
    warned = run_module('identity_role_assignment', on_missing='warn', **args)
    assert warned['changed'] is False and warned.writes == [] and warned['assignment'] is None
    assert "left out, nothing granted: keystone: user 'gone-%s' not found" % uniq in warnings(warned)
    assert methods(warned.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/users/gone-' + uniq)]
    ignored = run_module('identity_role_assignment', on_missing='ignore', **args)
    assert ignored['changed'] is False and ignored.writes == [] and warnings(ignored) == ''
    # in a team: the others are applied; check mode predicts the missing one (an earlier task may create it)
    team = dict(on_missing='warn', assignments=[dict(user='gone-' + uniq, role='member', project=w.project['name']),
                                                dict(user=w.user['name'], role='member', project=w.project['name'])])
    check = run_module('identity_role_assignment', _check=True, **team)
    assert check['changed'] is True and check.writes == [] and 'check mode takes it as created' in warnings(check)
    run = run_module('identity_role_assignment', **team)
    assert methods(run.writes) == [('PUT', '/v3/projects/%s/users/%s/roles/%s' % (w.project['id'], w.user['id'], w.roles['member']))]
    assert held(admin, 'user', w.user['id']) == {(w.roles['member'], 'project', w.project['id'], False)}
    again = run_module('identity_role_assignment', **team)
    assert again['changed'] is False and again.writes == []
    # an unknown domain is not a missing actor: it fails whatever on_missing says
    bad = run_module('identity_role_assignment', on_missing='ignore', user_domain='nosuch-' + uniq, **args)
    assert_clean_failure(bad, "keystone: domain 'nosuch-%s' not found" % uniq)
