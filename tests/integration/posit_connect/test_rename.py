"""identity_user new_name on Posit Connect: ``username`` in one ``PUT /__api__/v1/users/{guid}``; the
user keeps its guid, groups, role and password; usernames are case-sensitive (a case variant is
another name)."""

PASSWORD = 'Rename-Passw0rd-3b8c'


def kinds(entries):
    return [(r['method'], r['path'].replace('/__api__/', '')) for r in entries]


def seed(emu, state):
    emu.seed({'users': [dict(username='jdoe', email='jdoe@example.com', user_role='publisher', password=PASSWORD),
                        dict(username='other', email='other@example.com')],
              'groups': [{'name': 'payroll', 'members': ['jdoe']}]})
    return state.user('jdoe')


def test_rename_keeps_guid_groups_role_password(run_module, state, emu):
    user = seed(emu, state)
    checked = run_module('identity_user', _check=True, _diff=True, name='jdoe', new_name='jane.doe')
    assert checked['changed'] is True and checked.writes == []
    assert checked['diff'] == {'before': {'name': 'jdoe'}, 'after': {'name': 'jane.doe'}}
    assert checked['user']['name'] == 'jane.doe' and state.user('jdoe')['guid'] == user['guid']

    renamed = run_module('identity_user', _diff=True, name='jdoe', new_name='jane.doe', first_name='Jane')
    assert renamed['changed'] is True, renamed.result
    assert kinds(renamed.entries) == [('GET', 'v1/users'), ('GET', 'v1/users'), ('PUT', 'v1/users/%s' % user['guid'])]
    now = state.user('jane.doe')
    assert (now['guid'], now['first_name'], now['user_role']) == (user['guid'], 'Jane', 'publisher')
    assert user['password_sha256'] is not None and now['password_sha256'] == user['password_sha256']
    assert state.user('jdoe') is None and state.members('payroll') == ['jane.doe']

    again = run_module('identity_user', name='jdoe', new_name='jane.doe', first_name='Jane')
    assert again['changed'] is False and again.writes == []
    assert kinds(again.entries) == [('GET', 'v1/users'), ('GET', 'v1/users')]
    assert again['user']['id'] == user['guid']


def test_case_only_rename_then_noop(run_module, state, emu):
    user = seed(emu, state)
    renamed = run_module('identity_user', name='jdoe', new_name='JDoe')
    assert renamed['changed'] is True and kinds(renamed.writes) == [('PUT', 'v1/users/%s' % user['guid'])]
    assert state.user('JDoe')['guid'] == user['guid'] and state.user('jdoe') is None
    again = run_module('identity_user', name='jdoe', new_name='JDoe')
    assert again['changed'] is False and again.writes == []


def test_conflict_and_not_found_fail_before_any_write(run_module, state, emu):
    user = seed(emu, state)
    taken = run_module('identity_user', name='jdoe', new_name='other')
    assert taken.get('failed') is True and taken.writes == []
    assert "cannot rename user 'jdoe' to 'other': another user is called 'other' already" in taken['msg']
    missing = run_module('identity_user', name='ghost', new_name='phantom')
    assert missing.get('failed') is True and missing.writes == []
    assert "user 'ghost' not found, so it cannot be renamed to 'phantom'" in missing['msg']
    assert state.user('jdoe')['guid'] == user['guid']


def test_batch_rename_with_groups(run_module, state, emu):
    emu.seed({'users': [dict(username='u%d' % i, email='u%d@example.com' % i) for i in range(3)],
              'groups': [{'name': 'staff'}]})
    guids = [state.user('u%d' % i)['guid'] for i in range(3)]
    items = [dict(name='u%d' % i, new_name='user-%d' % i) for i in range(3)]
    done = run_module('identity_user', users=items, groups=['staff'])
    assert done['changed'] is True, done.result
    assert [w for w in kinds(done.writes) if w[0] == 'PUT'] == [('PUT', 'v1/users/%s' % g) for g in guids]
    assert [state.user('user-%d' % i)['guid'] for i in range(3)] == guids
    assert state.members('staff') == ['user-0', 'user-1', 'user-2']
    again = run_module('identity_user', users=items, groups=['staff'])
    assert again['changed'] is False and again.writes == []
    same = run_module('identity_user', users=[dict(name='user-0', new_name='x'), dict(name='user-1', new_name='x')])
    assert same.get('failed') is True and same.entries == []
