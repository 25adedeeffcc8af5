"""identity_role_assignment against a real scim2-server: a role is a value of the User's
``roles`` (RFC 7643 4.1.2), granted and revoked with one PATCH per user; purge, check mode and
reruns read back with plain requests; groups and scopes refused before any request."""

from run_warnings import warning_text


def roles(admin, name):
    return sorted(r['value'] for r in admin.user(name).get('roles') or [])


def test_grant_rerun_revoke(run_module, admin):
    jo = admin.make_user('jo')
    run = run_module('identity_role_assignment', user='jo', role='auditor', _diff=True)
    assert run['changed'] is True, run.result
    assert [(e.method, e.path) for e in run.writes] == [('PATCH', '/v2/Users/%s' % jo['id'])]
    assert roles(admin, 'jo') == ['auditor']
    # /Schemas is read once per run, before any write, to learn that the server has roles
    assert [e.path for e in run.entries].count('/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User') == 1
    again = run_module('identity_role_assignment', user='jo', role='auditor')
    assert again['changed'] is False and again.writes == []
    checked = run_module('identity_role_assignment', user='jo', role='auditor', state='absent', _check=True)
    assert checked['changed'] is True and checked.writes == [] and roles(admin, 'jo') == ['auditor']
    gone = run_module('identity_role_assignment', user='jo', role='auditor', state='absent')
    assert gone['changed'] is True and len(gone.writes) == 1 and roles(admin, 'jo') == []


def test_purge_is_one_patch_per_user(run_module, admin):
    jo = admin.make_user('jo', roles=[{'value': 'a'}, {'value': 'b'}, {'value': 'c', 'display': 'C'}])
    run = run_module('identity_role_assignment', user='jo', assignments=[{'role': 'c'}, {'role': 'd'}], purge=True,
                     _diff=True)
    assert [(e.method, e.path) for e in run.writes] == [('PATCH', '/v2/Users/%s' % jo['id'])]
    assert roles(admin, 'jo') == ['c', 'd']
    assert next(r for r in admin.user('jo')['roles'] if r['value'] == 'c')['display'] == 'C'   # kept as it was
    again = run_module('identity_role_assignment', user='jo', assignments=[{'role': 'c'}, {'role': 'd'}], purge=True)
    assert again['changed'] is False and again.writes == []


def test_info_lists_role_values(run_module, admin):
    admin.make_user('ann', roles=[{'value': 'auditor'}])
    admin.make_user('bob', roles=[{'value': 'auditor'}, {'value': 'admin'}])
    admin.make_user('cat')
    every = run_module('identity_role_assignment_info')
    assert sorted((a['user']['name'], a['role']['name']) for a in every['role_assignments']) == [
        ('ann', 'auditor'), ('bob', 'admin'), ('bob', 'auditor')]
    auditors = run_module('identity_role_assignment_info', role='auditor')
    assert sorted(a['user']['name'] for a in auditors['role_assignments']) == ['ann', 'bob']
    assert any('roles.value' in e.query for e in auditors.entries)
    assert auditors.writes == [] and every.writes == []


def test_groups_and_scopes_refused_before_any_request(run_module, admin):
    for args, text in ((dict(group='g', role='r'), 'option group of identity_role_assignment'),
                       (dict(user='u', role='r', project='p'), 'has no scope')):
        run = run_module('identity_role_assignment', **args)
        assert run.get('failed') is True and text in run['msg'] and run.entries == [], run.result


def test_unknown_user_fails_before_any_write(run_module, admin):
    run = run_module('identity_role_assignment', user='nobody', role='r')
    assert run.get('failed') is True and 'nobody' in run['msg'] and run.writes == []


def test_roles_without_patch_are_a_put(run_minimal, minimal_admin):
    minimal_admin.make_user('jo', roles=[{'value': 'old', 'primary': True}])
    run = run_minimal('identity_role_assignment', user='jo', assignments=[{'role': 'new'}], purge=True)
    assert [e.method for e in run.writes] == ['PUT'], run.result
    assert [r['value'] for r in minimal_admin.user('jo')['roles']] == ['new']
    again = run_minimal('identity_role_assignment', user='jo', assignments=[{'role': 'new'}], purge=True)
    assert again['changed'] is False and again.writes == []


# ---- on_missing: a role is any value (never missing), so only a missing user applies -------------

def test_on_missing_user(run_module, admin):
    jo = admin.make_user('jo', roles=[{'value': 'old'}])
    items = [{'user': 'nobody', 'role': 'auditor'}, {'user': 'jo', 'role': 'auditor'}]
    failed = run_module('identity_role_assignment', assignments=items, purge=True)
    assert failed.get('failed') is True and "assignments[0]: user 'nobody' not found" in failed['msg']
    assert failed.writes == [] and roles(admin, 'jo') == ['old']
    absent = run_module('identity_role_assignment', user='nobody', role='auditor', state='absent')
    assert absent.get('failed') is not True and absent['changed'] is False and absent.writes == []  # nothing to revoke: a warning
    assert 'nothing to revoke' in str(absent.get('warnings')), absent.get('warnings')
    check = run_module('identity_role_assignment', _check=True, on_missing='warn', assignments=items, purge=True)
    assert check['changed'] is True and check.writes == [] and 'check mode takes it as created' in warning_text(check)
    run = run_module('identity_role_assignment', on_missing='warn', assignments=items, purge=True)
    assert "assignments[0]: left out, nothing granted: scim: user 'nobody' not found" in warning_text(run)
    assert [(e.method, e.path) for e in run.writes] == [('PATCH', '/v2/Users/%s' % jo['id'])]
    assert roles(admin, 'jo') == ['auditor']
    again = run_module('identity_role_assignment', on_missing='ignore', assignments=items, purge=True)
    assert again['changed'] is False and again.writes == [] and warning_text(again) == ''
    alone = run_module('identity_role_assignment', on_missing='warn', user='nobody', assignments=[], purge=True)
    assert alone['changed'] is False and alone.writes == [] and "nothing to revoke: scim: user 'nobody'" in warning_text(alone)
