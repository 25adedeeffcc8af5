"""Hostile input to the Posit Connect provider: refused before any write (or, where the rule is
Connect's own, done exactly as Connect would).

- Names or guids: a UUID-shaped value is looked up as a name and as a guid; when it is the name of
  one object and the guid of another, or two groups hold one name, the task fails naming the
  candidates, before any write.
- Connect's documented limits are checked before the first request: a group name is shorter than
  4096 characters (error 14); roles are administrator, publisher, viewer.
- Usernames are case sensitive (Connect's error 8), group names compare exactly: a batch holding
  ``Ann`` and ``ann`` is two objects, not a duplicate.
"""

import uuid

import pytest

LONG = 'g' * 4096


def no_traceback(run):
    assert run.get('failed') is True, run.result
    assert 'exception' not in run.result and 'Traceback' not in run.stderr
    assert '\n' not in run['msg']
    return run['msg']


def test_a_group_named_like_another_groups_guid_is_ambiguous(run_module, emu, state):
    made = emu.seed({'users': [{'username': 'ann', 'email': 'a@x'}], 'groups': [{'name': 'real'}]})
    real = made['groups']['real']
    emu.seed({'groups': [{'name': real}]})        # a second group whose name is the first one's guid
    impostor = emu.dump()['groups'][1]['guid']
    # (identity_group's own name is a name by its documentation: the group called so)
    for module, args in (('identity_user', dict(name='ann', groups=[real])),
                         ('identity_user', dict(users=[{'name': 'ann', 'groups': [real]}])),
                         ('identity_group_info', dict(name=real))):
        run = run_module(module, **args)
        assert run.get('failed') is True and 'Traceback' not in run.stderr, run.result
        msg = run['msg']
        assert 'ambiguous' in msg and real in msg and impostor in msg and "'real'" in msg, msg
        assert run.writes == []
    assert state.members('real') == [] and state.group(real)['members'] == []


def test_two_groups_with_one_name_are_ambiguous(run_module, emu, state):
    emu.seed({'users': [{'username': 'ann', 'email': 'a@x'}], 'groups': [{'name': 'Dup'}, {'name': 'Dup'}]})
    guids = sorted(g['guid'] for g in emu.dump()['groups'])
    # (module, arguments, whether nothing at all may be written: a batch item not naming Dup may go on)
    cases = (('identity_group', dict(name='Dup', users=['ann']), True),          # one prefix search
             ('identity_group', dict(groups=[{'name': 'Dup', 'users': ['ann']}, {'name': 'Other'}]), False),  # a listing
             ('identity_user', dict(name='ann', groups=['Dup']), True),
             ('identity_user', dict(users=[{'name': 'ann', 'groups': ['Dup']}, {'name': 'bob', 'email': 'b@x'}]), False))
    for module, args, nothing in cases:
        run = run_module(module, **args)
        assert run.get('failed') is True, run.result
        text = str(run.result)
        assert 'ambiguous' in text and guids[0] in text and guids[1] in text, text
        if nothing:
            assert run.writes == [], run.writes
        else:   # at most the other item's create (Other, or bob): never a membership
            assert [(e['method'], e['path']) for e in run.writes] in (
                [], [('POST', '/__api__/v1/groups')], [('POST', '/__api__/v1/users')]), run.writes
    # the batch items that do not name Dup may go on; no membership was given to either Dup
    assert [g['members'] for g in emu.dump()['groups'] if g['name'] == 'Dup'] == [[], []]


def test_a_username_equal_to_another_users_guid_is_ambiguous(run_module, emu, state):
    made = emu.seed({'users': [{'username': 'ann', 'email': 'a@x'}]})
    ann = made['users']['ann']
    emu.seed({'users': [{'username': ann, 'email': 'odd@x'}]})
    run = run_module('identity_role_assignment', user=ann, role='publisher')
    msg = no_traceback(run)
    assert 'ambiguous' in msg and "'ann'" in msg and msg.count(ann) >= 2, msg
    assert run.writes == [] and state.user('ann')['user_role'] == 'viewer'


def test_a_guid_that_is_no_name_resolves_to_its_object(run_module, emu, state):
    made = emu.seed({'users': [{'username': 'ann', 'email': 'a@x'}], 'groups': [{'name': 'Data'}]})
    run = run_module('identity_user', name='ann', groups=[made['groups']['Data']])
    assert run.get('failed') is not True and run['changed'] is True, run.result
    assert state.members('Data') == ['ann'] and len(run.writes) == 1
    again = run_module('identity_user', name='ann', groups=['Data'])
    assert again['changed'] is False and again.writes == []
    role = run_module('identity_role_assignment', user=made['users']['ann'], role='publisher')
    assert role['changed'] is True and state.user('ann')['user_role'] == 'publisher'
    assert [e['method'] for e in role.writes] == ['PUT']


@pytest.mark.parametrize('args', [
    dict(name=LONG),
    dict(name='Data', new_name=LONG),
    dict(groups=[{'name': 'fine'}, {'name': LONG}]),
], ids=['name', 'new_name', 'batch item'])
def test_a_group_name_of_4096_characters_is_refused_before_any_request(args, run_module, emu):
    emu.seed({'groups': [{'name': 'Data'}]})
    run = run_module('identity_group', **args)
    msg = no_traceback(run)
    assert 'shorter than 4096 characters' in msg, msg
    assert run.entries == [] and run.get('changed', False) is False
    assert sorted(g['name'] for g in emu.dump()['groups']) == ['Data']


def test_a_group_name_of_4095_characters_is_made(run_module, emu, state):
    run = run_module('identity_group', name='g' * 4095)
    assert run['changed'] is True and state.group('g' * 4095) is not None


@pytest.mark.parametrize('module, args', [
    ('identity_user', dict(name='ann', user_role='root')),
    ('identity_user', dict(users=[{'name': 'ann'}, {'name': 'bob', 'user_role': 'Administrator'}])),
    ('identity_role_assignment', dict(user='ann', role='owner')),
    ('identity_role_assignment', dict(assignments=[{'user': 'ann', 'role': 'viewer'}, {'user': 'ann', 'role': 'VIEWER'}])),
], ids=['user_role', 'batch user_role', 'role', 'batch role'])
def test_a_role_connect_does_not_have_is_refused_before_any_request(module, args, run_module, emu):
    emu.seed({'users': [{'username': 'ann', 'email': 'a@x'}]})
    run = run_module(module, **args)
    no_traceback(run)
    assert run.entries == [], run.entries


def test_names_differing_by_case_are_distinct_objects(run_module, emu, state):
    """Connect: "Usernames are case sensitive"; group names compare exactly (the emulator, as
    inferred): a batch with both spellings makes both, and a rerun changes nothing."""
    users = [{'name': 'Ann', 'email': 'A@x'}, {'name': 'ann', 'email': 'a@x'}]
    groups = [{'name': 'Ops'}, {'name': 'ops'}]
    made = run_module('identity_user', users=users, user_must_set_password=True)
    assert made.get('failed') is not True, made.result
    assert state.count_users('Ann') == 1 and state.count_users('ann') == 1
    assert run_module('identity_group', groups=groups)['changed'] is True
    assert sorted(g['name'] for g in emu.dump()['groups']) == ['Ops', 'ops']
    assert run_module('identity_user', users=users, user_must_set_password=True).writes == []
    assert run_module('identity_group', groups=groups).writes == []


def test_an_unknown_guid_is_not_found_never_a_name_search_guess(run_module, emu):
    ghost = str(uuid.uuid4())
    run = run_module('identity_user', name='x', email='x@x', groups=[ghost])
    msg = no_traceback(run)
    assert ghost in msg and 'not found' in msg and run.writes == []


def test_user_info_by_a_guid_that_is_another_users_name_is_ambiguous(run_module, emu):
    made = emu.seed({'users': [{'username': 'ann', 'email': 'a@x'}]})
    emu.seed({'users': [{'username': made['users']['ann'], 'email': 'odd@x'}]})
    run = run_module('identity_user_info', name=made['users']['ann'])
    msg = no_traceback(run)
    assert 'ambiguous' in msg and "'ann'" in msg, msg
    plain = run_module('identity_user_info', name='ann')
    assert [u['name'] for u in plain['users']] == ['ann']


@pytest.mark.parametrize('args', [
    dict(name='ann', email='a@x', unique_id='  '),
    dict(users=[{'name': 'ann', 'email': 'a@x'}, {'name': 'bob', 'email': 'b@x', 'unique_id': ' \t'}]),
], ids=['single', 'batch item'])
def test_a_blank_unique_id_is_refused_before_any_request(args, run_module, emu, state):
    run = run_module('identity_user', user_must_set_password=True, **args)
    msg = no_traceback(run)
    assert 'unique ID cannot be blank' in msg, msg
    assert run.entries == [] and state.user('ann') is None
