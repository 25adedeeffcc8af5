"""Batch forms on the real Keystone: duplicate and conflicting items are refused before any write
(textual duplicates before any request), an empty list is a no-op, ``extra`` diffs show only the
managed keys, and a purge never revokes the access of an actor the items did not declare.
(An item that fails half-way: tests/integration/test_ldap_backend.py, where Keystone refuses a
membership across backends after the user's create.)"""

import pytest

TOKEN = ('POST', '/v3/auth/tokens')


def calls(run):
    return [(e.method, e.path) for e in run.entries]


def refused(run, text):
    assert run.get('failed') is True, run.result
    assert text in run['msg'], run['msg']
    assert run.writes == []


# ---- duplicates and conflicts ------------------------------------------------------------------------

@pytest.mark.parametrize('module,option', [('identity_user', 'users'), ('identity_group', 'groups')])
def test_the_same_item_twice_is_refused_before_any_request(run_module, uniq, module, option):
    name = 'dup-' + uniq
    run = run_module(module, **{option: [{'name': name}, {'name': 'other-' + uniq}, {'name': name}]})
    refused(run, '%s[0] and %s[2] are about the same object (name=%s): give each object once' % (option, option, name))
    assert run.entries == []


@pytest.mark.parametrize('module,option', [('identity_user', 'users'), ('identity_group', 'groups')])
def test_one_object_named_two_ways_is_refused_before_any_write(run_module, admin, uniq, module, option):
    dom = admin.make_domain('dupd-' + uniq)
    name = 'dup-' + uniq
    # the domain by name and by ID
    run = run_module(module, **{option: [{'name': name, 'domain': dom['name']}, {'name': name, 'domain': dom['id']}]})
    refused(run, '%s[0] and %s[1] are about the same object (name=%s, domain=%s and name=%s, domain=%s)'
            % (option, option, name, dom['name'], name, dom['id']))
    # the default domain omitted and named
    run = run_module(module, **{option: [{'name': name}, {'name': name, 'domain': 'Default'}]})
    refused(run, '%s[0] and %s[1] are about the same object' % (option, option))
    assert admin.user(name) is None and admin.get('/groups', name=name)['groups'] == []
    # the same name in two domains is two objects
    both = run_module(module, **{option: [{'name': name}, {'name': name, 'domain': dom['name']}]})
    assert both['changed'] is True and len(both.writes) == 2


def test_conflicting_role_assignment_items_are_refused_before_any_write(run_module, admin, uniq):
    user = admin.make_user('conf-' + uniq)
    project = admin.make_project('conf-p-' + uniq)
    run = run_module('identity_role_assignment', user=user['name'], assignments=[
        dict(role='member', project=project['name']),
        dict(role='reader', project=project['name']),
        dict(role='member', project=project['id'], state='absent')])   # the same one, by ID
    refused(run, 'assignments[0] and assignments[2] ask for the same assignment (member on project %s '
                 '(Default)) both present and absent' % project['name'])
    assert admin.get('/role_assignments', **{'user.id': user['id']})['role_assignments'] == []


# ---- empty lists ----------------------------------------------------------------------------------------

def test_an_empty_list_is_a_no_op(run_module, admin, uniq):
    for module, option in (('identity_user', 'users'), ('identity_group', 'groups')):
        run = run_module(module, _diff=True, **{option: []})
        assert run['changed'] is False and run['results'] == [] and run['diff'] == []
        assert run.entries == []     # not even a token
    # no assignment listed and no purge: nothing is revoked, nothing granted
    user = admin.make_user('empty-' + uniq)
    project = admin.make_project('empty-p-' + uniq)
    admin.put('/projects/%s/users/%s/roles/%s' % (project['id'], user['id'], admin.get('/roles', name='member')['roles'][0]['id']))
    run = run_module('identity_role_assignment', user=user['name'], assignments=[])
    assert run['changed'] is False and run.writes == [] and run['purged'] == []
    assert len(admin.get('/role_assignments', **{'user.id': user['id']})['role_assignments']) == 1


# ---- extra: only the managed keys ---------------------------------------------------------------------

def test_batch_extra_diff_shows_only_the_managed_keys(run_module, admin, uniq):
    dom = admin.make_domain('extra-' + uniq)
    names = ['x%d-%s' % (i, uniq) for i in range(2)]
    for name in names:
        admin.make_user(name, dom['id'], employee_id='E-' + name, cost_center='cc-1', badge='b-1')
    users = [{'name': names[0], 'extra': {'cost_center': 'cc-2'}},
             {'name': names[1], 'extra': {'cost_center': 'cc-1', 'badge': 'b-2'}}]
    run = run_module('identity_user', domain=dom['name'], users=users, _diff=True)
    assert run['changed'] is True
    assert [(d['before'], d['after']) for d in run['diff']] == [
        ({'extra': {'cost_center': 'cc-1'}}, {'extra': {'cost_center': 'cc-2'}}),
        ({'extra': {'badge': 'b-1'}}, {'extra': {'badge': 'b-2'}})]
    # the keys the task does not manage stay on the server, and in the returned user
    for name, expected in zip(names, ({'cost_center': 'cc-2', 'badge': 'b-1'}, {'cost_center': 'cc-1', 'badge': 'b-2'})):
        server = admin.user(name, dom['id'])
        assert (server['employee_id'], server['cost_center'], server['badge']) == ('E-' + name, expected['cost_center'], expected['badge'])
    assert run['results'][0]['user']['extra'] == {'employee_id': 'E-' + names[0], 'cost_center': 'cc-2', 'badge': 'b-1'}
    again = run_module('identity_user', domain=dom['name'], users=users, _diff=True)
    assert again['changed'] is False and again.writes == [] and again['diff'] == []


# ---- purge: only the declared actors -------------------------------------------------------------------

def test_purge_never_touches_an_actor_the_items_did_not_declare(run_module, admin, uniq):
    roles = dict((r['name'], r['id']) for r in admin.get('/roles')['roles'])
    project = admin.make_project('pur-p-' + uniq)
    declared = admin.make_user('pur-a-' + uniq)
    bystander = admin.make_user('pur-b-' + uniq)
    group = admin.post('/groups', {'group': {'name': 'pur-g-' + uniq, 'domain_id': 'default'}})['group']
    admin.put('/groups/%s/users/%s' % (group['id'], declared['id']))   # the declared user's group too
    for kind, actor in (('users', declared), ('users', bystander), ('groups', group)):
        for role in ('member', 'reader'):
            admin.put('/projects/%s/%s/%s/roles/%s' % (project['id'], kind, actor['id'], roles[role]))

    def held(kind, actor):
        return sorted(a['role']['id'] for a in admin.get('/role_assignments', **{kind + '.id': actor['id']})['role_assignments'])

    run = run_module('identity_role_assignment', purge=True, _diff=True,
                     assignments=[dict(user=declared['name'], role='member', project=project['name'])])
    assert run['changed'] is True
    assert [(a['user']['id'], a['role']['name']) for a in run['purged']] == [(declared['id'], 'reader')]
    assert [(w.method, w.path) for w in run.writes] == [
        ('DELETE', '/v3/projects/%s/users/%s/roles/%s' % (project['id'], declared['id'], roles['reader']))]
    assert held('user', declared) == [roles['member']]
    assert held('user', bystander) == sorted([roles['member'], roles['reader']])     # never declared
    assert held('group', group) == sorted([roles['member'], roles['reader']])        # nor the group
    assert run['diff'] == {'prepared': '- reader on project %s (Default)\n' % project['name']}
    # one actor: its assignments read with one listing, never every actor's
    assert [e.query for e in run.entries if e.path == '/v3/role_assignments'] == [
        'user.id=%s&include_names=true' % declared['id']]
