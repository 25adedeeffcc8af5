"""The posit_connect provider against the emulator: what it sends, how many requests, what it
refuses before any request. State is read back with the emulator's dump."""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import (
    APIError, ConfigError, IdentityError, NotFoundError, UnsupportedError)  # noqa: F401
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect.session import api_base

USERS = [{'username': 'ann', 'email': 'ann@x', 'first_name': 'Ann'},
         {'username': 'anna1', 'email': 'a1@x'}, {'username': 'anna2', 'email': 'a2@x'},
         {'username': 'anna3', 'email': 'a3@x'}, {'username': 'bob', 'email': 'bob@x', 'user_role': 'publisher'}]


def calls(entries):
    return [(r['method'], r['path'].replace('/__api__/', ''), r['status']) for r in entries]


def test_api_base_like_the_sdk_and_missing_settings():
    assert api_base('https://connect.example.com') == 'https://connect.example.com/__api__'
    assert api_base('https://connect.example.com/rsc/__api__/') == 'https://connect.example.com/rsc/__api__'
    with pytest.raises(ConfigError, match='has no scheme'):
        api_base('connect.example.com')


def test_missing_settings_name_the_environment_variables(provider):
    with pytest.raises(ConfigError, match='CONNECT_SERVER and CONNECT_API_KEY'):
        provider(api_key=None)


def test_find_user_is_one_prefix_search_exact_match_first(emu, provider):
    guids = emu.seed({'users': USERS})['users']
    emu.settings['page_size_cap'] = 2
    p = provider()
    mark = emu.mark()
    assert p.find_user('anna2')['id'] == guids['anna2']
    assert [(r['path'], r['query']) for r in emu.entries(mark)] == [
        ('/__api__/v1/users', {'prefix': 'anna2', 'page_number': '1', 'page_size': '500'})]
    mark = emu.mark()
    assert p.find_user('Bob') is None   # usernames are case-sensitive (the search is not)
    assert len(emu.entries(mark)) == 1


def test_find_user_lists_everyone_when_the_prefix_page_is_full(emu, provider):
    emu.seed({'users': USERS[1:]})
    emu.settings['page_size_cap'] = 2
    p = provider()
    mark = emu.mark()
    assert p.find_user('ann') is None   # anna1..3 match: one page of 2 cannot prove ann absent
    queries = [r['query'] for r in emu.entries(mark)]
    assert queries[0]['prefix'] == 'ann'
    assert [q['page_number'] for q in queries[1:]] == ['1', '2', '3']   # 5 users, pages of 2
    mark = emu.mark()
    assert p.find_user('bob')['name'] == 'bob'
    assert emu.entries(mark) == []      # the listing now answers every lookup


def test_create_update_lock_unlock(emu, provider, state):
    p = provider()
    mark = emu.mark()
    user = p.create_user({'name': 'jdoe', 'email': 'j@x', 'first_name': 'Jane', 'last_name': 'Doe',
                          'user_role': 'publisher', 'password': 'first-Passw0rd'})
    assert calls(emu.entries(mark)) == [('POST', 'v1/users', 200)]
    stored = state.user('jdoe')
    assert (stored['first_name'], stored['user_role'], stored['locked']) == ('Jane', 'publisher', False)
    assert stored['password_sha256'] is not None and user['id'] == stored['guid']
    mark = emu.mark()
    user = p.update_user(user, {'email': 'jane@x', 'enabled': False})
    # the self-lock check (GET /v1/user) comes before any write
    assert calls(emu.entries(mark)) == [('GET', 'v1/user', 200), ('PUT', 'v1/users/%s' % user['id'], 200),
                                        ('POST', 'v1/users/%s/lock' % user['id'], 200)]
    assert user['locked'] is True and user['email'] == 'jane@x'
    assert state.user('jdoe')['locked'] is True and state.user('jdoe')['email'] == 'jane@x'
    mark = emu.mark()
    user = p.update_user(user, {'locked': False})
    assert calls(emu.entries(mark)) == [('POST', 'v1/users/%s/lock' % user['id'], 200)]   # unlock: no caller check
    assert state.user('jdoe')['locked'] is False


def test_create_only_fields_are_refused_on_update_before_any_request(emu, provider):
    p = provider()
    user = p.create_user({'name': 'jdoe', 'email': 'j@x', 'user_must_set_password': True})
    mark = emu.mark()
    with pytest.raises(ConfigError, match='cannot change password'):
        p.update_user(user, {'password': 'x'})
    with pytest.raises(ConfigError, match='password cannot be set when user_must_set_password'):
        p.create_user({'name': 'x', 'password': 'p', 'user_must_set_password': True})
    assert emu.entries(mark) == []


def test_locking_the_api_keys_own_account_needs_force(emu, provider, state):
    p = provider()
    me = p.resolve_user('admin')
    mark = emu.mark()
    with pytest.raises(IdentityError, match='account of the API key in use.*force: true'):
        p.update_user(me, {'locked': True})
    assert emu.writes(mark) == [] and state.user('admin')['locked'] is False
    provider(force=True).update_user(me, {'locked': True})
    assert state.user('admin')['locked'] is True
    with pytest.raises(APIError) as caught:
        provider().find_user('admin')
    assert caught.value.status == 403 and 'This user is locked' in str(caught.value)


def test_no_user_delete(provider):
    with pytest.raises(UnsupportedError, match='locked: true'):
        provider().delete_user({'id': 'x', 'name': 'x'})


def test_groups_rename_members_and_a_users_groups(emu, provider, state):
    guids = emu.seed({'users': USERS})['users']
    emu.seed({'groups': [{'name': 'Data', 'members': ['ann', 'bob']}, {'name': 'Ops', 'members': ['bob']},
                         {'name': 'Empty'}]})
    p = provider()
    ann, bob = p.resolve_user('ann'), p.resolve_user(guids['bob'])
    mark = emu.mark()
    assert [g['name'] for g in p.user_groups(bob)] == ['Data', 'Ops']
    assert len(emu.entries(mark)) == 4          # the groups, then each group's members
    mark = emu.mark()
    assert [g['name'] for g in p.user_groups(ann)] == ['Data']
    assert [g['name'] for g in p.user_groups(ann, among=[('Ops', None), ('Data', None)])] == ['Data']
    assert emu.entries(mark) == []              # indexed for the run
    ops = p.resolve_group('Ops')
    p.add_group_user(ops, ann)
    p.add_group_user(ops, ann)                  # already a member: Connect's 409 is the desired state
    p.remove_group_user(p.resolve_group('Data'), bob)
    p.remove_group_user(p.resolve_group('Data'), bob)   # 404: already out
    assert state.members('Ops') == ['ann', 'bob'] and state.members('Data') == ['ann']
    renamed = p.update_group(ops, {'name': 'Operations'})
    assert renamed['name'] == 'Operations' and state.group('Operations')['guid'] == ops['id']
    p.delete_group(p.resolve_group('Empty'))
    p.delete_group({'id': ops['id'], 'name': 'Operations'})
    p.delete_group({'id': ops['id'], 'name': 'Operations'})   # gone already: fine
    assert state.group('Empty') is None and state.group('Operations') is None
    with pytest.raises(NotFoundError):
        provider().resolve_group('Empty')


def test_one_role_per_user(emu, provider, state):
    emu.seed({'users': USERS})
    p = provider()
    bob = p.resolve_user('bob')
    mark = emu.mark()
    [(held, complete)] = p.actor_assignments([('user', bob)])
    assert complete and [a['role']['name'] for a in held] == ['publisher'] and emu.entries(mark) == []
    admin = p.resolve_assignment('user', bob, {'role': 'administrator'})
    assert not p.assignment_exists(admin)
    assert p.assignment_slot(admin) == p.assignment_slot(held[0]) == 'user_role'
    mark = emu.mark()
    p.grant(admin)
    assert state.user('bob')['user_role'] == 'administrator'
    assert calls(emu.entries(mark)) == [('PUT', 'v1/users/%s' % bob['id'], 200)]
    mark = emu.mark()
    p.revoke(held[0])                 # publisher, replaced by the grant: nothing left to do
    assert emu.entries(mark) == []
    p.revoke(admin)
    assert state.user('bob')['user_role'] == 'viewer'                 # demoted to the floor
    assert not p.revocable(p.resolve_assignment('user', bob, {'role': 'viewer'}))
    with pytest.raises(ConfigError, match='role must be one of'):
        p.check_assignment({'role': 'owner'}, 'assignments[0]')


def test_bad_key_is_one_clear_error_without_the_key(emu, provider):
    with pytest.raises(APIError) as caught:
        provider(api_key='wrong-key-123456').find_user('ann')
    text = str(caught.value)
    assert caught.value.status == 401 and "couldn't log you in" in text
    assert 'wrong-key-123456' not in text and text.startswith('posit_connect: GET /__api__/v1/users')


def test_transient_errors_are_retried_on_reads(emu, provider):
    emu.seed({'faults': [{'method': 'GET', 'path': 'v1/users$', 'status': 503, 'times': 2, 'retry_after': 0}]})
    p = provider()
    assert p.find_user('admin')['name'] == 'admin'
    assert [r['status'] for r in emu.requests(path='v1/users$')] == [503, 503, 200]
    assert p.client.stats['retries'] == 2
