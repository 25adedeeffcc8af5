"""identity_user new_name on a real scim2-server: PATCH ``replace userName`` (one request with the
other changed attributes); the user keeps its id, groups, roles and password; the server compares
userName case-insensitively (RFC 7643 ``caseExact: false``) and refuses a taken one."""

PASSWORD = 'it-scim-Rename-7d2a'
PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'


def writes(run):
    return [(e.method, e.path) for e in run.writes]


def seed(run_module, admin):
    made = run_module('identity_user', name='jdoe', email='jdoe@example.com', password=PASSWORD)
    assert made['changed'] is True
    user = admin.user('jdoe')
    admin.make_group('payroll', members=[user])
    granted = run_module('identity_role_assignment', role='auditor', user='jdoe')
    assert granted['changed'] is True
    admin.make_user('other')
    return admin.user('jdoe')


def test_server_refuses_a_taken_username(admin):
    """What scim2-server itself answers to a PATCH onto another user's userName (any case)."""
    one, two = admin.make_user('ann'), admin.make_user('bea')
    body = {'schemas': [PATCH_OP], 'Operations': [{'op': 'replace', 'path': 'userName', 'value': 'BEA'}]}
    answer = admin.session.patch('%s/Users/%s' % (admin.url, one['id']), json=body, timeout=30)
    assert answer.status_code == 409, answer.text
    assert answer.json().get('scimType') == 'uniqueness'
    assert admin.user('ann')['id'] == one['id'] and admin.user('bea')['id'] == two['id']


def test_rename_keeps_id_groups_roles(run_module, admin):
    user = seed(run_module, admin)
    checked = run_module('identity_user', _check=True, _diff=True, name='jdoe', new_name='jane.doe')
    assert checked['changed'] is True and checked.writes == []
    assert checked['diff'] == {'before': {'name': 'jdoe'}, 'after': {'name': 'jane.doe'}}
    renamed = run_module('identity_user', _diff=True, name='jdoe', new_name='jane.doe', title='Clerk')
    assert renamed['changed'] is True, renamed.result
    assert writes(renamed) == [('PATCH', '/v2/Users/%s' % user['id'])]       # userName and title in one
    now = admin.user('jane.doe')
    assert (now['id'], now['title']) == (user['id'], 'Clerk') and admin.user('jdoe') is None
    assert admin.members('payroll') == ['jane.doe']
    assert [r['value'] for r in now.get('roles') or []] == ['auditor']
    again = run_module('identity_user', name='jdoe', new_name='jane.doe', title='Clerk')
    assert again['changed'] is False and again.writes == []
    assert again['user']['id'] == user['id'] and again['user']['name'] == 'jane.doe'


def test_case_only_rename_then_noop(run_module, admin):
    user = admin.make_user('jdoe')
    renamed = run_module('identity_user', name='jdoe', new_name='JDoe')
    assert renamed['changed'] is True and writes(renamed) == [('PATCH', '/v2/Users/%s' % user['id'])]
    assert admin.user('JDoe')['id'] == user['id']
    for name in ('jdoe', 'JDoe'):
        again = run_module('identity_user', name=name, new_name='JDoe')
        assert again['changed'] is False and again.writes == [], again.result


def test_conflict_and_not_found_fail_before_any_write(run_module, admin):
    one, two = admin.make_user('jdoe'), admin.make_user('other')
    taken = run_module('identity_user', name='jdoe', new_name='other')
    assert taken.get('failed') is True and taken.writes == []
    assert "cannot rename user 'jdoe' to 'other': another user is called 'other' already (ID %s)" % two['id'] in taken['msg']
    missing = run_module('identity_user', name='ghost', new_name='phantom')
    assert missing.get('failed') is True and missing.writes == []
    assert "user 'ghost' not found, so it cannot be renamed to 'phantom'" in missing['msg']
    assert admin.user('jdoe')['id'] == one['id']


def test_batch_rename(run_module, admin):
    made = [admin.make_user('u%d' % i) for i in range(3)]
    items = [dict(name='u%d' % i, new_name='user-%d' % i) for i in range(3)]
    done = run_module('identity_user', users=items)
    assert done['changed'] is True, done.result
    assert writes(done) == [('PATCH', '/v2/Users/%s' % u['id']) for u in made]
    assert [admin.user('user-%d' % i)['id'] for i in range(3)] == [u['id'] for u in made]
    again = run_module('identity_user', users=items)
    assert again['changed'] is False and again.writes == []
