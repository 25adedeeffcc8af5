"""identity_user and identity_user_info against a real Keystone, state read back independently."""

import pytest

PASSWORD = 'Initial-Passw0rd-9f3a'


def methods(entries):
    return [(e.method, e.path) for e in entries]


def test_create_then_identical_rerun(run_module, admin, uniq):
    name = 'create-' + uniq
    args = dict(name=name, password=PASSWORD, email=name + '@example.com', description='Jane',
                extra={'employee_id': '4711'})
    first = run_module('identity_user', **args)
    assert first['changed'] is True
    server = admin.user(name)
    assert server is not None
    assert server['email'] == name + '@example.com'
    assert server['description'] == 'Jane'
    assert server['employee_id'] == '4711'
    assert server['enabled'] is True
    assert first['user']['id'] == server['id']
    assert 'password' not in first['user']
    assert admin.password_works(server['id'], PASSWORD)
    # token + user lookup + create: the Default domain comes free with the token
    assert methods(first.entries) == [('POST', '/v3/auth/tokens'), ('GET', '/v3/users'), ('POST', '/v3/users')]
    assert methods(first.writes) == [('POST', '/v3/users')]

    again = run_module('identity_user', **args)
    assert again['changed'] is False
    assert again.writes == []
    assert methods(again.entries) == [('POST', '/v3/auth/tokens'), ('GET', '/v3/users')]
    assert admin.user(name)['id'] == server['id']


@pytest.mark.parametrize('option,value,field', [
    ('email', 'new@example.com', 'email'),
    ('description', 'changed description', 'description'),
    ('enabled', False, 'enabled'),
    ('extra', {'employee_id': '0815', 'cost_center': 'X1'}, None),
])
def test_update_each_attribute(run_module, admin, uniq, option, value, field):
    name = 'upd-' + uniq
    admin.make_user(name, email='old@example.com', description='old', employee_id='4711')
    result = run_module('identity_user', name=name, _diff=True, **{option: value})
    assert result['changed'] is True
    server = admin.user(name)
    if field:
        assert server[field] == value
        assert result['diff']['after'] == {field: value}
    else:
        assert server['employee_id'] == '0815' and server['cost_center'] == 'X1'
    assert [e.method for e in result.writes] == ['PATCH']
    again = run_module('identity_user', name=name, **{option: value})
    assert again['changed'] is False and again.writes == []


def test_default_project_by_name_and_its_domain(run_module, admin, uniq):
    dom = admin.make_domain('dp-' + uniq)
    project = admin.make_project('proj-' + uniq, dom['id'])
    name = 'dp-user-' + uniq
    admin.make_user(name)
    result = run_module('identity_user', name=name, default_project=project['name'],
                        default_project_domain=dom['name'], _diff=True)
    assert result['changed'] is True
    assert admin.user(name)['default_project_id'] == project['id']
    assert result['diff'] == {'before': {}, 'after': {'default_project_id': project['id']}}   # no nulls
    again = run_module('identity_user', name=name, default_project=project['id'])
    assert again['changed'] is False and again.writes == []


def test_enabled_omitted_leaves_a_disabled_user_disabled(run_module, admin, uniq):
    name = 'leaver-' + uniq
    admin.make_user(name, enabled=False)
    result = run_module('identity_user', name=name, email=name + '@example.com')
    assert result['changed'] is True
    assert admin.user(name)['enabled'] is False


def test_check_mode_create_update_delete_send_no_write(run_module, admin, uniq):
    name = 'check-' + uniq
    created = run_module('identity_user', name=name, email='a@example.com', password=PASSWORD,
                         _check=True, _diff=True)
    assert created['changed'] is True and created.writes == []
    assert admin.user(name) is None
    assert created['user']['id'] is None and created['user']['email'] == 'a@example.com'
    assert created['diff'] == {'before': {}, 'after': {'name': name, 'email': 'a@example.com', 'password': '********'}}

    admin.make_user(name, email='a@example.com')
    updated = run_module('identity_user', name=name, email='b@example.com', _check=True, _diff=True)
    assert updated['changed'] is True and updated.writes == []
    assert updated['user']['email'] == 'b@example.com'
    assert admin.user(name)['email'] == 'a@example.com'

    deleted = run_module('identity_user', name=name, state='absent', _check=True, _diff=True)
    assert deleted['changed'] is True and deleted.writes == []
    assert admin.user(name) is not None
    assert deleted['diff']['after'] == {}
    assert deleted['diff']['before']['name'] == name

    unchanged = run_module('identity_user', name=name, email='a@example.com', _check=True)
    assert unchanged['changed'] is False


def test_absent_on_present_and_missing_user(run_module, admin, uniq):
    name = 'gone-' + uniq
    user = admin.make_user(name)
    result = run_module('identity_user', name=name, state='absent', _diff=True)
    assert result['changed'] is True
    assert admin.get('/users/' + user['id']) is None
    assert [(e.method, e.path) for e in result.writes] == [('DELETE', '/v3/users/' + user['id'])]
    assert result['diff']['before']['id'] == user['id']
    again = run_module('identity_user', name=name, state='absent')
    assert again['changed'] is False and again.writes == []
    assert again['user'] is None


def test_update_password_always_really_changes_it(run_module, admin, uniq):
    name = 'pw-' + uniq
    run_module('identity_user', name=name, password=PASSWORD)
    user = admin.user(name)
    kept = run_module('identity_user', name=name, password='Other-Passw0rd-1')
    assert kept['changed'] is False and kept.writes == []
    assert admin.password_works(user['id'], PASSWORD)

    new = 'Rotated-Passw0rd-2b'
    result = run_module('identity_user', name=name, password=new, update_password='always', _diff=True)
    assert result['changed'] is True
    assert result['diff'] == {'before': {}, 'after': {'password': '********'}}
    assert new not in result.stderr and new not in repr(result.result)
    assert admin.password_works(user['id'], new)
    assert not admin.password_works(user['id'], PASSWORD)


def test_same_name_in_two_domains(run_module, admin, uniq):
    one = admin.make_domain('one-' + uniq)
    two = admin.make_domain('two-' + uniq)
    name = 'twin-' + uniq
    a = run_module('identity_user', name=name, domain=one['name'], email='one@example.com')
    b = run_module('identity_user', name=name, domain=two['id'], email='two@example.com')
    assert a['changed'] and b['changed']
    assert a['user']['id'] != b['user']['id']
    assert admin.user(name, one['id'])['email'] == 'one@example.com'
    assert admin.user(name, two['id'])['email'] == 'two@example.com'
    # updating one leaves the other alone
    run_module('identity_user', name=name, domain=one['name'], enabled=False)
    assert admin.user(name, one['id'])['enabled'] is False
    assert admin.user(name, two['id'])['enabled'] is True

    info = run_module('identity_user_info', name=name)
    assert sorted(u['domain_id'] for u in info['users']) == sorted([one['id'], two['id']])
    info = run_module('identity_user_info', name=name, domain=two['name'])
    assert [u['email'] for u in info['users']] == ['two@example.com']


def test_info_by_id_filters_and_query(run_module, admin, uniq):
    dom = admin.make_domain('info-' + uniq)
    for i in range(3):
        admin.make_user('info%d-%s' % (i, uniq), dom['id'], enabled=(i != 1))
    admin.session.patch(admin.url + '/users/' + admin.user('info0-' + uniq, dom['id'])['id'],
                        json={'user': {'employee_id': '4711'}}, timeout=30)
    by_id = run_module('identity_user_info', name=admin.user('info0-' + uniq, dom['id'])['id'])
    assert [u['name'] for u in by_id['users']] == ['info0-' + uniq]
    # the common model (what identity_user returns: extra attributes under extra), Keystone's
    # own user object (extra attributes at its top level) beside it under raw
    user = by_id['users'][0]
    assert user['extra'] == {'employee_id': '4711'} and 'employee_id' not in user
    assert user['raw'] == admin.get('/users/' + user['id'])['user']
    assert user['raw']['employee_id'] == '4711'
    same = run_module('identity_user', name='info0-' + uniq, domain=dom['id'])
    assert same['changed'] is False
    assert dict((k, v) for k, v in user.items() if k != 'raw') == same['user']
    disabled = run_module('identity_user_info', domain=dom['name'], filters={'enabled': False},
                          query='users[].name')
    assert disabled['query_result'] == ['info1-' + uniq]
    assert len(disabled['users']) == 1
    everyone = run_module('identity_user_info', domain=dom['id'], query='length(users)')
    assert everyone['query_result'] == 3
    assert everyone.writes == []
    missing = run_module('identity_user_info', name='nobody-' + uniq)
    assert missing['users'] == [] and missing['changed'] is False
