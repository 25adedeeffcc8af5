"""A reference not found in the domain a task names never matches an object of another domain by
its ID: users, groups, projects and roles, in identity_user groups, identity_group users and
identity_role_assignment. Each refusal is checked against its positive control (the same ID with
its own domain works), sends no write, and names the domain the object is in."""

import pytest

MEMBER = 'member'


def assert_refused(run, text):
    assert run.get('failed') is True, run.result
    assert 'Traceback' not in run.stderr and '\n' not in run['msg']
    assert text in run['msg'], run['msg']
    assert run.writes == []


@pytest.fixture
def two(admin, uniq):
    """Domains A and B; in B a user, a group, a project and a domain-specific role; in A a user."""
    class Two:
        pass
    t = Two()
    t.a = admin.make_domain('bnd-a-' + uniq)
    t.b = admin.make_domain('bnd-b-' + uniq)
    t.user_a = admin.make_user('ua-' + uniq, t.a['id'])
    t.user_b = admin.make_user('ub-' + uniq, t.b['id'])
    t.group_b = admin.post('/groups', {'group': {'name': 'gb-' + uniq, 'domain_id': t.b['id']}})['group']
    t.project_a = admin.make_project('pa-' + uniq, t.a['id'])
    t.project_b = admin.make_project('pb-' + uniq, t.b['id'])
    t.role_b = admin.post('/roles', {'role': {'name': 'rb-' + uniq, 'domain_id': t.b['id']}})['role']
    return t


def elsewhere(kind, ref, a, b):
    """The refusal: the other domain by ID (no request is spent on its name)."""
    return ("keystone: %s %r not found in domain %r (the %s with ID %s is in domain %s; name that domain "
            "to use it)" % (kind, ref, a['name'], kind, ref, b['id']))


def test_identity_group_users_by_id_of_another_domain(run_module, admin, two, uniq):
    name = 'g-' + uniq
    run = run_module('identity_group', name=name, domain=two.a['name'], users=[two.user_b['id']])
    assert_refused(run, elsewhere('user', two.user_b['id'], two.a, two.b))
    assert admin.get('/groups', name=name, domain_id=two.a['id'])['groups'] == []   # not even the group
    # the batch form and the {name, domain} form say the same
    batch = run_module('identity_group', domain=two.a['name'], groups=[{'name': name, 'users': [two.user_b['id']]}])
    assert batch['failed'] is True and batch.writes == []
    assert elsewhere('user', two.user_b['id'], two.a, two.b) in batch['results'][0]['msg']
    # control: the same ID with its domain is that user
    ok = run_module('identity_group', name=name, domain=two.a['name'],
                    users=[{'name': two.user_b['id'], 'domain': two.b['name']}])
    assert ok['changed'] is True and [m['id'] for m in ok['members']] == [two.user_b['id']]


def test_identity_user_groups_by_id_of_another_domain(run_module, admin, two):
    run = run_module('identity_user', name=two.user_a['name'], domain=two.a['name'], groups=[two.group_b['id']])
    assert_refused(run, elsewhere('group', two.group_b['id'], two.a, two.b))
    assert admin.get('/users/%s/groups' % two.user_a['id'])['groups'] == []
    ok = run_module('identity_user', name=two.user_a['name'], domain=two.a['name'],
                    groups=[{'name': two.group_b['id'], 'domain': two.b['id']}])
    assert ok['changed'] is True
    assert [g['id'] for g in admin.get('/users/%s/groups' % two.user_a['id'])['groups']] == [two.group_b['id']]


def test_role_assignment_actor_project_and_role_of_another_domain(run_module, admin, two):
    a, b = two.a, two.b
    # a user (and a group) by the ID of another domain's
    run = run_module('identity_role_assignment', user=two.user_b['id'], user_domain=a['name'], role=MEMBER,
                     project=two.project_a['name'], project_domain=a['name'])
    assert_refused(run, elsewhere('user', two.user_b['id'], a, b))
    run = run_module('identity_role_assignment', group=two.group_b['id'], group_domain=a['name'], role=MEMBER,
                     project=two.project_a['name'], project_domain=a['name'])
    assert_refused(run, elsewhere('group', two.group_b['id'], a, b))
    # a project by the ID of another domain's project
    run = run_module('identity_role_assignment', user=two.user_a['name'], user_domain=a['name'], role=MEMBER,
                     project=two.project_b['id'], project_domain=a['name'])
    assert_refused(run, elsewhere('project', two.project_b['id'], a, b))
    # the same in an item of the list form, with purge: refused before anything is revoked
    admin.put('/projects/%s/users/%s/roles/%s' % (two.project_a['id'], two.user_a['id'],
                                                  admin.get('/roles', name=MEMBER)['roles'][0]['id']))
    run = run_module('identity_role_assignment', user=two.user_a['name'], user_domain=a['name'], purge=True,
                     assignments=[dict(role=MEMBER, project=two.project_b['id'], project_domain=a['name'])])
    assert_refused(run, elsewhere('project', two.project_b['id'], a, b).replace('keystone: ', 'keystone: assignments[0]: '))
    assert len(admin.get('/role_assignments', **{'user.id': two.user_a['id']})['role_assignments']) == 1
    # a domain-specific role by the ID of another domain's role
    run = run_module('identity_role_assignment', user=two.user_a['name'], user_domain=a['name'],
                     role=two.role_b['id'], role_domain=a['name'], project=two.project_a['name'], project_domain=a['name'])
    assert_refused(run, "keystone: role %r not found in domain %r" % (two.role_b['id'], a['name']))
    # controls: each ID with its own domain (or, for a project or role, with no domain named) works
    ok = run_module('identity_role_assignment', user=two.user_b['id'], user_domain=b['name'], role=two.role_b['id'],
                    role_domain=b['name'], project=two.project_b['id'], project_domain=b['name'])
    assert ok['changed'] is True, ok.result
    same = run_module('identity_role_assignment', user=two.user_b['id'], user_domain=b['id'], role=two.role_b['id'],
                      project=two.project_b['id'])
    assert same['changed'] is False and same.writes == []
    assert admin.get('/role_assignments', **{'user.id': two.user_b['id']})['role_assignments'][0]['role']['id'] == two.role_b['id']
