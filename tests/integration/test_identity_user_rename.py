"""identity_user new_name against a real Keystone: the user keeps its ID, groups, role assignments
and password; check mode and reruns write nothing; conflicts and missing users fail before any write."""

PASSWORD = 'Rename-Passw0rd-7c1e'


def methods(entries):
    return [(e.method, e.path) for e in entries]


def seeded_user(admin, name):
    """A user with a password, a group and a role on a project (read back after the rename)."""
    user = admin.make_user(name, password=PASSWORD)
    group = admin.post('/groups', {'group': {'name': 'grp-' + name, 'domain_id': 'default'}})['group']
    admin.put('/groups/%s/users/%s' % (group['id'], user['id']))
    project = admin.make_project('prj-' + name)
    role = admin.get('/roles', name='member')['roles'][0]
    admin.put('/projects/%s/users/%s/roles/%s' % (project['id'], user['id'], role['id']))
    return user, group, project, role


def test_rename_keeps_id_groups_roles_password(run_module, admin, uniq):
    old, new = 'ren-' + uniq, 'renamed-' + uniq
    user, group, project, role = seeded_user(admin, old)
    checked = run_module('identity_user', _check=True, _diff=True, name=old, new_name=new)
    assert checked['changed'] is True and checked.writes == []
    assert checked['diff'] == {'before': {'name': old}, 'after': {'name': new}}
    assert checked['user']['name'] == new and checked['user']['id'] == user['id']
    assert admin.user(old)['id'] == user['id'] and admin.user(new) is None

    renamed = run_module('identity_user', _diff=True, name=old, new_name=new, email=new + '@example.com')
    assert renamed['changed'] is True
    assert renamed['diff'] == {'before': {'name': old}, 'after': {'name': new, 'email': new + '@example.com'}}
    # token + lookup of each name + one PATCH carrying the name and the e-mail
    assert methods(renamed.entries) == [('POST', '/v3/auth/tokens'), ('GET', '/v3/users'), ('GET', '/v3/users'),
                                        ('PATCH', '/v3/users/%s' % user['id'])]
    server = admin.user(new)
    assert server['id'] == user['id'] and server['email'] == new + '@example.com'
    assert admin.user(old) is None
    assert [g['id'] for g in admin.get('/users/%s/groups' % user['id'])['groups']] == [group['id']]
    held = admin.get('/role_assignments', **{'user.id': user['id']})['role_assignments']
    assert [(a['role']['id'], a['scope']['project']['id']) for a in held] == [(role['id'], project['id'])]
    assert admin.password_works(user['id'], PASSWORD)

    again = run_module('identity_user', _check=True, name=old, new_name=new, email=new + '@example.com')
    assert again['changed'] is False and again.writes == []
    again = run_module('identity_user', name=old, new_name=new, email=new + '@example.com')
    assert again['changed'] is False and again.writes == []
    assert methods(again.entries) == [('POST', '/v3/auth/tokens'), ('GET', '/v3/users'), ('GET', '/v3/users')]
    assert again['user']['id'] == user['id'] and again['user']['name'] == new


def test_rerun_manages_other_options_on_the_renamed_user(run_module, admin, uniq):
    old, new = 'ren2-' + uniq, 'renamed2-' + uniq
    user = admin.make_user(old)
    run_module('identity_user', name=old, new_name=new)
    later = run_module('identity_user', _diff=True, name=old, new_name=new, description='moved')
    assert later['changed'] is True
    assert methods(later.writes) == [('PATCH', '/v3/users/%s' % user['id'])]
    assert later['diff'] == {'before': {}, 'after': {'description': 'moved'}}
    assert admin.user(new)['description'] == 'moved'


def test_neither_name_exists_fails_before_any_write(run_module, admin, uniq):
    result = run_module('identity_user', name='ghost-' + uniq, new_name='phantom-' + uniq)
    assert result.get('failed') is True and result.writes == []
    assert "user 'ghost-%s' not found, so it cannot be renamed to 'phantom-%s'" % (uniq, uniq) in result['msg']
    assert 'Traceback' not in result.stderr
    assert admin.user('phantom-' + uniq) is None


def test_both_names_taken_fails_before_any_write(run_module, admin, uniq):
    one, two = admin.make_user('one-' + uniq), admin.make_user('two-' + uniq)
    result = run_module('identity_user', name=one['name'], new_name=two['name'], email='x@example.com')
    assert result.get('failed') is True and result.writes == [] and result['changed'] is False
    assert "cannot rename user 'one-%s' to 'two-%s': another user is called 'two-%s' already (ID %s)" % (
        uniq, uniq, uniq, two['id']) in result['msg']
    assert admin.user(one['name'])['id'] == one['id'] and admin.user(two['name'])['id'] == two['id']
    assert admin.user(one['name']).get('email') is None


def test_new_name_with_state_absent_is_refused_before_any_request(run_module, admin, uniq):
    user = admin.make_user('abs-' + uniq)
    result = run_module('identity_user', name=user['name'], new_name='x-' + uniq, state='absent')
    assert result.get('failed') is True and result.entries == []
    assert 'new_name is given with state=absent' in result['msg']
    assert admin.user(user['name'])['id'] == user['id']


def test_case_only_rename_on_a_case_sensitive_backend(run_module, admin, uniq):
    old = 'ada-' + uniq
    user = admin.make_user(old)
    renamed = run_module('identity_user', name=old, new_name=old.capitalize())
    assert renamed['changed'] is True and methods(renamed.writes) == [('PATCH', '/v3/users/%s' % user['id'])]
    assert admin.user(old.capitalize())['id'] == user['id']
    again = run_module('identity_user', name=old, new_name=old.capitalize())
    assert again['changed'] is False and again.writes == []


def test_batch_rename(run_module, admin, uniq):
    users = [admin.make_user('b%d-%s' % (i, uniq)) for i in range(3)]
    items = [dict(name=u['name'], new_name='nb%d-%s' % (i, uniq)) for i, u in enumerate(users)]
    checked = run_module('identity_user', _check=True, users=items)
    assert checked['changed'] is True and checked.writes == []
    assert [r['user']['name'] for r in checked['results']] == [i['new_name'] for i in items]
    result = run_module('identity_user', users=items)
    assert result['changed'] is True
    # token + one listing of the domain's users (both names of every item) + one PATCH each
    assert methods(result.entries) == [('POST', '/v3/auth/tokens'), ('GET', '/v3/users')] + [
        ('PATCH', '/v3/users/%s' % u['id']) for u in users]
    for user, item in zip(users, items):
        assert admin.user(item['new_name'])['id'] == user['id'] and admin.user(item['name']) is None
    again = run_module('identity_user', users=items)
    assert again['changed'] is False and again.writes == []
    assert methods(again.entries) == [('POST', '/v3/auth/tokens'), ('GET', '/v3/users')]


def test_batch_two_items_renaming_to_one_name_refused_before_any_request(run_module, admin, uniq):
    one, two = admin.make_user('c1-' + uniq), admin.make_user('c2-' + uniq)
    same = [dict(name=one['name'], new_name='same-' + uniq), dict(name=two['name'], new_name='same-' + uniq)]
    result = run_module('identity_user', users=same)
    assert result.get('failed') is True and result.entries == []
    assert "users[0] new_name and users[1] new_name both name 'same-%s'" % uniq in result['msg']
    chain = [dict(name=one['name'], new_name=two['name']), dict(name=two['name'], email='c@example.com')]
    chain = run_module('identity_user', users=chain)
    assert chain.get('failed') is True and chain.entries == []
    assert admin.user(one['name'])['id'] == one['id'] and admin.user(two['name'])['id'] == two['id']
