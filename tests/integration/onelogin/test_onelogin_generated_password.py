"""identity_user password: generate on the OneLogin emulator: drawn on create only, sent in the
create (cleartext, or hashed here with password_algorithm), returned once, masked in the diff."""

import hashlib

import secret_scan


def writes(run):
    return [(e['method'], e['path']) for e in run.writes]


def test_generate_cleartext_and_salted_create_rerun_check(run_module, state):
    check = run_module('identity_user', name='gen', email='gen@example.com', password='generate', _check=True, _diff=True)
    assert check['changed'] is True and check.writes == [] and 'generated_password' not in check
    assert check['diff']['after']['password'] == '********' and state.user('gen') is None

    created = run_module('identity_user', name='gen', email='gen@example.com', password='generate', _diff=True)
    password = created['generated_password']
    secret_scan.register(password, 'a password identity_user generated (OneLogin)')
    assert writes(created) == [('POST', '/api/2/users')]
    assert created['diff']['after']['password'] == '********'
    stored = state.user('gen')['password']
    assert stored['hash'] == hashlib.sha256((stored['salt'] + password).encode()).hexdigest()  # the emulator's check
    assert state.user('gen')['status'] == 1   # a password was set: not 7 (Password Pending)

    again = run_module('identity_user', name='gen', email='gen@example.com', password='generate')
    assert again['changed'] is False and again.writes == [] and 'generated_password' not in again
    assert state.user('gen')['password'] == stored

    salted = run_module('identity_user', name='salted', email='s@example.com', password='generate',
                        password_algorithm='salt+sha256', password_salt='pepper')
    password = salted['generated_password']
    secret_scan.register(password, 'a password identity_user generated and hashed (OneLogin)')
    assert writes(salted) == [('POST', '/api/2/users')]
    assert state.user('salted')['password'] == {'algorithm': 'salt+sha256', 'salt': 'pepper',
                                                'hash': hashlib.sha256(('pepper' + password).encode()).hexdigest()}


def test_generate_with_update_password_always_is_refused_before_any_request(run_module):
    result = run_module('identity_user', name='gen', password='generate', update_password='always')
    assert result['failed'] is True and result.entries == []
    assert 'cannot be combined with update_password: always' in result['msg']
