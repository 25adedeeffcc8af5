"""identity_role_assignment(_info) on Posit Connect: the role is the user's one user_role."""

from run_warnings import warning_text


def seed(emu, **roles):
    return emu.seed({'users': [dict(username=n, email='%s@x' % n, user_role=r) for n, r in roles.items()]})['users']


def test_assign_check_mode_rerun(run_module, state, emu):
    guid = seed(emu, ann='viewer')['ann']
    check = run_module('identity_role_assignment', _check=True, _diff=True, user='ann', role='publisher')
    assert check['changed'] is True and check.writes == []
    result = run_module('identity_role_assignment', _diff=True, user='ann', role='publisher')
    assert [(r['method'], r['path']) for r in result.writes] == [('PUT', '/__api__/v1/users/' + guid)]
    assert state.user('ann')['user_role'] == 'publisher'
    assert result['assignment'] == {'role': {'id': 'publisher', 'name': 'publisher'}, 'user': {'id': guid, 'name': 'ann'}}
    # the viewer role the grant replaced is the floor every user holds: not listed (check mode
    # could not list it for a user an earlier task creates)
    assert result['diff'] == {'prepared': '+ user_role publisher\n'}
    assert check['diff'] == result['diff']      # check mode predicts the same lines
    again = run_module('identity_role_assignment', user='ann', role='publisher')
    assert again['changed'] is False and again.writes == [] and len(again.entries) == 1


def test_revoking_the_held_role_demotes_to_viewer_and_viewer_is_the_floor(run_module, state, emu):
    seed(emu, bob='administrator')
    revoked = run_module('identity_role_assignment', user='bob', role='administrator', state='absent')
    assert revoked['changed'] is True and state.user('bob')['user_role'] == 'viewer'
    assert len(revoked.writes) == 1
    for args in (dict(role='viewer', state='absent'), dict(role='publisher', state='absent')):
        nothing = run_module('identity_role_assignment', user='bob', **args)
        assert nothing['changed'] is False and nothing.writes == []
    purge = run_module('identity_role_assignment', user='bob', assignments=[], purge=True)
    assert purge['changed'] is False and purge.writes == [] and purge['purged'] == []


def test_team_roles_with_purge(run_module, state, emu):
    seed(emu, ann='viewer', bob='publisher', cat='administrator')
    items = [dict(user='ann', role='publisher'), dict(user='bob', role='publisher'), dict(user='cat')]
    result = run_module('identity_role_assignment', _diff=True, assignments=items, purge=True)
    assert result['changed'] is True
    assert (state.user('ann')['user_role'], state.user('bob')['user_role'], state.user('cat')['user_role']) == (
        'publisher', 'publisher', 'viewer')
    assert len(result.writes) == 2          # ann up, cat down to viewer; bob untouched
    reads = [r for r in result.entries if not r['write']]
    assert len(reads) == 1                  # one users page resolves the three, their roles included
    assert result['diff']['prepared'].splitlines() == [
        '+ user ann: user_role publisher', '- user cat: user_role administrator']
    assert result['purged'][0]['role']['name'] == 'administrator'
    again = run_module('identity_role_assignment', assignments=items, purge=True)
    assert again['changed'] is False and again.writes == []


def test_refusals_before_any_request(run_module, emu):
    seed(emu, ann='viewer')
    mark = emu.mark()
    two = run_module('identity_role_assignment', user='ann', assignments=[dict(role='publisher'),
                                                                          dict(role='administrator')])
    assert two['failed'] is True and 'holds only one user_role' in two['msg']
    assert emu.writes(mark) == []
    mark = emu.mark()
    for args, text in ((dict(group='ops', role='viewer'), "option group of identity_role_assignment (a Connect role "
                                                          "is a user's user_role; groups hold none)"),
                       (dict(user='ann', role='viewer', project='p'), 'option project of identity_role_assignment'),
                       (dict(user='ann', role='owner'), 'role must be one of administrator, publisher, viewer')):
        result = run_module('identity_role_assignment', **args)
        assert result['failed'] is True and text in result['msg'], result['msg']
    assert emu.entries(mark) == []


def test_role_assignment_info(run_module, emu):
    seed(emu, ann='viewer', bob='publisher', cat='publisher')
    publishers = run_module('identity_role_assignment_info', role='publisher', query='role_assignments[].user.name')
    assert sorted(publishers['query_result']) == ['bob', 'cat']
    assert publishers.entries[0]['query']['user_role'] == 'publisher'
    ann = run_module('identity_role_assignment_info', user='ann')
    assert [a['role']['name'] for a in ann['role_assignments']] == ['viewer']


# ---- on_missing: only a missing user applies (an unknown role is refused by its choices) ---------

def test_on_missing_user(run_module, state, emu):
    seed(emu, ann='viewer', bob='administrator')
    items = [dict(user='nobody', role='publisher'), dict(user='ann', role='publisher'), dict(user='bob')]
    failed = run_module('identity_role_assignment', assignments=items, purge=True)
    assert failed['failed'] is True and "posit_connect: assignments[0]: user 'nobody' not found" in failed['msg']
    assert failed.writes == [] and state.user('ann')['user_role'] == 'viewer'
    check = run_module('identity_role_assignment', _check=True, on_missing='warn', assignments=items, purge=True)
    assert check['changed'] is True and check.writes == [] and 'check mode takes it as created' in warning_text(check)
    result = run_module('identity_role_assignment', on_missing='warn', assignments=items, purge=True)
    assert "assignments[0]: left out, nothing granted: posit_connect: user 'nobody' not found" in warning_text(result)
    assert (state.user('ann')['user_role'], state.user('bob')['user_role']) == ('publisher', 'viewer')
    assert len(result.writes) == 2
    again = run_module('identity_role_assignment', on_missing='ignore', assignments=items, purge=True)
    assert again['changed'] is False and again.writes == [] and warning_text(again) == ''
    absent = run_module('identity_role_assignment', user='nobody', role='publisher', state='absent')
    assert absent.get('failed') is not True and absent['changed'] is False and absent.writes == []  # nothing to revoke: a warning
    assert 'nothing to revoke' in str(absent.get('warnings')), absent.get('warnings')
    gone = run_module('identity_role_assignment', on_missing='warn', user='nobody', role='publisher', state='absent')
    assert gone['changed'] is False and gone.writes == [] and "nothing to revoke: posit_connect: user 'nobody'" in warning_text(gone)


def test_on_missing_does_not_cover_an_unknown_user_role(run_module, emu):
    seed(emu, ann='viewer')
    mark = emu.mark()
    refused = run_module('identity_role_assignment', on_missing='ignore', user='ann', role='owner')
    assert refused['failed'] is True and 'role must be one of' in refused['msg'] and emu.entries(mark) == []
