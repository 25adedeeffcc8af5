"""identity_user password: generate on the Posit Connect emulator (password authentication): drawn
on create only, sent in the create, returned once, masked in the diff."""

import hashlib

import secret_scan


def kinds(entries):
    return [(r['method'], r['path'].replace('/__api__/', '')) for r in entries]


def test_generate_create_rerun_check(run_module, state, emu):
    args = dict(name='gen', email='gen@example.com', password='generate')
    check = run_module('identity_user', _check=True, _diff=True, **args)
    assert check['changed'] is True and check.writes == [] and 'generated_password' not in check
    assert check['diff']['after']['password'] == '********' and state.user('gen') is None

    created = run_module('identity_user', _diff=True, **args)
    password = created['generated_password']
    secret_scan.register(password, 'a password identity_user generated (Connect)')
    assert kinds(created.entries) == [('GET', 'v1/users'), ('POST', 'v1/users')]
    assert created['diff']['after']['password'] == '********'
    stored = state.user('gen')
    assert stored['password_sha256'] == hashlib.sha256(password.encode()).hexdigest()
    assert stored['confirmed'] is True

    again = run_module('identity_user', **args)
    assert again['changed'] is False and again.writes == [] and len(again.entries) == 1
    assert 'generated_password' not in again
    assert state.user('gen')['password_sha256'] == stored['password_sha256']


def test_generate_with_user_must_set_password_is_refused_before_any_request(run_module):
    result = run_module('identity_user', name='gen', email='gen@example.com', password='generate',
                        user_must_set_password=True)
    assert result['failed'] is True and result.entries == []
    assert 'mutually exclusive' in result['msg']


def test_password_expiry_options_are_refused_and_confirmed_is_reported(run_module, state):
    for option, reason in (('password_expired', 'Connect has no password expiry: user_must_set_password makes'),
                           ('password_never_expires', 'Connect has no password expiry')):
        result = run_module('identity_user', name='gen', **{option: True})
        assert result['failed'] is True and result.entries == []
        assert result['msg'].startswith('posit_connect does not support option %s of identity_user (%s' % (option, reason))
    forced = run_module('identity_user', name='ann', email='ann@example.com', user_must_set_password=True)
    assert forced['user']['confirmed'] is False and state.user('ann')['confirmed'] is False
