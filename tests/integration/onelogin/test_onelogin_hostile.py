"""Hostile and ambiguous input to the OneLogin provider (issue 19): refused with one message before
any write (before any request where nothing needs reading), never resolved by a guess. State is
read back from the emulator; requests counted in its log."""

import pytest


def calls(run):
    return [(e['method'], e['path']) for e in run.entries]


def test_usernames_differing_in_case_are_one_user_in_a_batch(run_module, state):
    """OneLogin compares usernames without regard to case: Dana and dana are one user, refused as
    two items about it before any request (the batch used to make one and PUT twice on every run)."""
    both = run_module('identity_user', users=[dict(name='Dana', email='dana@example.com', title='A'),
                                              dict(name='dana', email='dana@example.com', title='B')])
    assert both['failed'] is True and both.entries == [] and state.dump()['users'] == []
    assert both['msg'] == 'users[0] and users[1] are about the same object (name=dana): give each object once', both['msg']
    made = run_module('identity_user', users=[dict(name='Dana', email='dana@example.com', title='A')])
    assert made['changed'] is True and [u['username'] for u in state.dump()['users']] == ['Dana']
    again = run_module('identity_user', users=[dict(name='dana', email='dana@example.com', title='A')])
    assert again['changed'] is False and again.writes == []          # the same user, whatever the case


@pytest.mark.parametrize('check', [False, True])
def test_a_role_name_two_roles_hold_is_refused_naming_both(run_module, state, check):
    state.seed(roles=[{'name': 'Ops'}, {'name': 'Ops'}, {'name': 'Dev'}],
               users=[{'username': 'ann', 'email': 'ann@example.com'}])
    refused = run_module('identity_role_assignment', _check=check, user='ann', role='Ops')
    assert refused['failed'] is True and refused.writes == [] and state.role_names('ann') == []
    assert ("role name 'Ops' is ambiguous: 2 roles have it ('Ops' ID 200001, 'Ops' ID 200002); "
            "give the ID of the one meant") in refused['msg'], refused['msg']
    batch = run_module('identity_role_assignment', _check=check, user='ann', assignments=[dict(role='Dev'), dict(role='Ops')])
    assert batch['failed'] is True and batch.writes == [] and state.role_names('ann') == []   # not even Dev
    assert "role name 'Ops' is ambiguous" in batch['msg'], batch['msg']
    by_id = run_module('identity_role_assignment', _check=check, user='ann', role='200002')
    assert by_id['changed'] is True
    if not check:
        assert state.dump()['users'][0]['role_ids'] == [200002]
        assert run_module('identity_role_assignment', user='ann', role='200002').writes == []


def test_a_group_name_two_groups_hold_is_refused_naming_both(run_module, state):
    state.seed(groups=[{'name': 'Sales'}, {'name': 'Sales'}])
    refused = run_module('identity_user', name='gus', email='gus@example.com', groups=['Sales'])
    assert refused['failed'] is True and refused.writes == [] and state.user('gus') is None
    assert "group name 'Sales' is ambiguous: 2 groups have it ('Sales' ID 300001, 'Sales' ID 300002)" in refused['msg']
    made = run_module('identity_user', name='gus', email='gus@example.com', groups=['300002'])
    assert made['changed'] is True and state.user('gus')['group_id'] == 300002


def test_digits_are_an_id_by_rule_never_a_name_by_guess(run_module, state):
    """A role whose name is another role's ID: the digits are the ID (the documented rule), and a
    digits value that is no ID is not taken as a name: the message gives the ID to use."""
    state.seed(roles=[{'name': 'Staff'}, {'name': '200001'}, {'name': '4711'}],
               users=[{'username': 'bea', 'email': 'bea@example.com'}])
    granted = run_module('identity_role_assignment', user='bea', role='200001')
    assert granted['changed'] is True and state.role_names('bea') == ['Staff']
    assert granted['assignment']['role'] == {'id': '200001', 'name': 'Staff'}
    named = run_module('identity_role_assignment', user='bea', role='4711')
    assert named['failed'] is True and named.writes == []
    assert ("role ID '4711' not found (a value made only of digits is a OneLogin ID, any other value a name; "
            "the role named '4711' has ID 200003: give that)") in named['msg'], named['msg']
    assert state.role_names('bea') == ['Staff']


def test_manager_is_resolved_and_must_exist(run_module, state):
    """A manager given by a username made of digits was stored as that number, and one that does
    not exist was stored: now both are refused before any write, by username and by ID work."""
    state.seed(users=[{'username': '4711', 'email': 'digits@example.com'}, {'username': 'boss', 'email': 'b@example.com'}])
    digits_id, boss_id = state.user('4711')['id'], state.user('boss')['id']
    for manager, text in (('ghost', "manager: user 'ghost' not found"),
                          ('4711', "manager: user ID '4711' not found (a value made only of digits is a OneLogin ID, "
                                   "any other value a name; the user named '4711' has ID %d: give that)" % digits_id),
                          ('999999', "manager: user ID '999999' not found")):
        refused = run_module('identity_user', name='worker', email='w@example.com', manager=manager)
        assert refused['failed'] is True and refused.writes == [] and state.user('worker') is None, manager
        assert text in refused['msg'], refused['msg']
    by_id = run_module('identity_user', name='worker', email='w@example.com', manager=str(digits_id))
    assert by_id['changed'] is True and state.user('worker')['manager_user_id'] == str(digits_id)
    by_name = run_module('identity_user', _diff=True, name='worker', manager='BOSS')   # usernames ignore case
    assert by_name['changed'] is True and state.user('worker')['manager_user_id'] == str(boss_id)
    assert by_name['diff'] == {'before': {'manager': str(digits_id)}, 'after': {'manager': str(boss_id)}}
    again = run_module('identity_user', name='worker', manager='boss')
    assert again['changed'] is False and again.writes == []
    gone = run_module('identity_user', _check=True, name='worker', manager='ghost')
    assert gone['failed'] is True and gone.writes == [] and state.user('worker')['manager_user_id'] == str(boss_id)


@pytest.mark.parametrize('args, text', [
    (dict(locked=True, lock_minutes=-5),
     "onelogin: lock_minutes: -5 is not a number of minutes from 0 (the policy's lock period) to 2147483647"),
    (dict(locked=True, lock_minutes=10 ** 12),
     "onelogin: lock_minutes: 1000000000000 is not a number of minutes from 0 (the policy's lock period) to 2147483647"),
    (dict(password='Pa55-word-x', password_algorithm='salt+sha256', password_salt='s' * 41),
     'onelogin: password_salt: 41 characters; OneLogin takes a salt of at most 40'),
])
def test_documented_limits_are_refused_before_any_request(run_module, state, args, text):
    """These were sent: the user was created, then the lock failed (or the server answered 500, or
    took a salt longer than documented)."""
    refused = run_module('identity_user', name='limits', email='limits@example.com', **args)
    assert refused['failed'] is True and refused['changed'] is False
    assert refused.entries == [] and state.dump()['users'] == []
    assert refused['msg'] == text
    assert 'Traceback' not in refused.stderr
    batch = run_module('identity_user', users=[dict(name='fine', email='fine@example.com'),
                                               dict(args, name='limits', email='limits@example.com')])
    assert batch['failed'] is True and batch.entries == [] and state.dump()['users'] == []
    assert batch['msg'] == text.replace('onelogin: ', 'onelogin: users[1].')


def test_the_limits_themselves_are_accepted(run_module, state):
    made = run_module('identity_user', name='edge', email='edge@example.com', password='Pa55-word-x',
                      password_algorithm='salt+sha256', password_salt='s' * 40, locked=True, lock_minutes=2 ** 31 - 1)
    assert made['changed'] is True, made.get('msg')
    user = state.user('edge')
    assert user['status'] == 3 and user['password']['salt'] == 's' * 40
    assert [m for m, _p in calls(made) if m != 'GET'] == ['POST', 'POST', 'PUT']    # token, create, lock
