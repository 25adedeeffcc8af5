"""identity_user new_name on the OneLogin emulator: ``username`` in one ``PUT /api/2/users/{id}``;
the user keeps its ID, group, roles and password; usernames compare case-insensitively."""

ROLES = [{'id': 200001, 'name': 'Staff'}]


def calls(run):
    return [(e['method'], e['path']) for e in run.entries]


def writes(run):
    return [(e['method'], e['path']) for e in run.writes]


def seeded(run_module, state):
    """jdoe with a password (set by a create), a group and a role; another user, other."""
    state.seed(groups=[{'name': 'Payroll'}], roles=ROLES)
    made = run_module('identity_user', name='jdoe', email='jdoe@example.com', password='S3cret-pw-1', groups=['Payroll'])
    assert made['changed'] is True
    granted = run_module('identity_role_assignment', role='Staff', user='jdoe')
    assert granted['changed'] is True
    state.seed(users=[{'username': 'other', 'email': 'other@example.com'}])
    return state.user('jdoe')


def test_rename_keeps_id_group_roles_password(run_module, state):
    user = seeded(run_module, state)
    checked = run_module('identity_user', _check=True, _diff=True, name='jdoe', new_name='jane.doe')
    assert checked['changed'] is True and checked.writes == []
    assert checked['diff'] == {'before': {'name': 'jdoe'}, 'after': {'name': 'jane.doe'}}
    assert state.user('jdoe')['id'] == user['id']

    renamed = run_module('identity_user', _diff=True, name='jdoe', new_name='jane.doe', title='Clerk')
    assert renamed['changed'] is True, renamed.result
    assert writes(renamed) == [('PUT', '/api/2/users/%d' % user['id'])]          # username and title in one
    assert calls(renamed) == [('POST', '/auth/oauth2/v2/token'), ('GET', '/api/2/users'), ('GET', '/api/2/users'),
                              ('PUT', '/api/2/users/%d' % user['id'])]
    now = state.user('jane.doe')
    assert (now['id'], now['title'], now['group_id'], now['password']) == (
        user['id'], 'Clerk', user['group_id'], user['password'])
    assert user['group_id'] is not None and user['password'] and state.role_names('jane.doe') == ['Staff']
    assert state.user('jdoe') is None

    again = run_module('identity_user', name='jdoe', new_name='jane.doe', title='Clerk')
    assert again['changed'] is False and again.writes == []
    assert calls(again) == [('POST', '/auth/oauth2/v2/token'), ('GET', '/api/2/users'), ('GET', '/api/2/users')]
    assert again['user']['id'] == str(user['id']) and again['user']['name'] == 'jane.doe'


def test_case_only_rename_then_noop(run_module, state):
    user = seeded(run_module, state)
    renamed = run_module('identity_user', name='jdoe', new_name='JDoe')
    assert renamed['changed'] is True and writes(renamed) == [('PUT', '/api/2/users/%d' % user['id'])]
    assert state.user('JDoe')['id'] == user['id']
    for name in ('jdoe', 'JDoe'):
        again = run_module('identity_user', name=name, new_name='JDoe')
        assert again['changed'] is False and again.writes == [], again.result


def test_conflict_and_not_found_fail_before_any_write(run_module, state):
    user = seeded(run_module, state)
    taken = run_module('identity_user', name='jdoe', new_name='OTHER')
    assert taken.get('failed') is True and taken.writes == []
    assert "onelogin" in taken['msg'] and "cannot rename user 'jdoe' to 'OTHER': another user is called 'other'" in taken['msg']
    missing = run_module('identity_user', name='ghost', new_name='phantom')
    assert missing.get('failed') is True and missing.writes == []
    assert "user 'ghost' not found, so it cannot be renamed to 'phantom'" in missing['msg']
    assert state.user('jdoe')['id'] == user['id']


def test_batch_rename(run_module, state):
    state.seed(users=[{'username': 'u%d' % i, 'email': 'u%d@example.com' % i} for i in range(3)])
    ids = [state.user('u%d' % i)['id'] for i in range(3)]
    items = [dict(name='u%d' % i, new_name='user-%d' % i) for i in range(3)]
    done = run_module('identity_user', users=items)
    assert done['changed'] is True, done.result
    assert writes(done) == [('PUT', '/api/2/users/%d' % i) for i in ids]
    assert [state.user('user-%d' % i)['id'] for i in range(3)] == ids
    again = run_module('identity_user', users=items)
    assert again['changed'] is False and again.writes == []
    same = run_module('identity_user', users=[dict(name='user-0', new_name='x'), dict(name='user-1', new_name='X')])
    assert same.get('failed') is True and same.entries == []          # names ignore case on OneLogin
