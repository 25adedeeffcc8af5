"""identity_user password: generate on a real scim2-server: drawn on create only, sent in the one
POST, returned once, masked in the diff. SCIM's password is write-only (returned: never): the
server's state cannot show it, only that the create was one POST and that a rerun sends nothing."""

import secret_scan


def writes(run):
    return [(e.method, e.path) for e in run.writes]


def test_generate_create_rerun_check(run_module, admin):
    check = run_module('identity_user', name='gen', email='gen@example.com', password='generate', _check=True, _diff=True)
    assert check['changed'] is True and check.writes == [] and 'generated_password' not in check
    assert check['diff']['after']['password'] == '********' and admin.user('gen') is None

    created = run_module('identity_user', name='gen', email='gen@example.com', password='generate', _diff=True)
    password = created['generated_password']
    secret_scan.register(password, 'a password identity_user generated (SCIM)')
    assert writes(created) == [('POST', '/v2/Users')]
    assert created['diff']['after']['password'] == '********'
    held = admin.user('gen')
    assert held is not None and 'password' not in held

    again = run_module('identity_user', name='gen', email='gen@example.com', password='generate')
    assert again['changed'] is False and again.writes == [] and 'generated_password' not in again


def test_password_expiry_options_are_refused_before_any_request(run_module, access_log):
    for option in ('password_expired', 'password_never_expires'):
        mark = access_log.mark()
        result = run_module('identity_user', name='gen', **{option: True})
        assert result['failed'] is True and access_log.entries(mark) == []
        assert result['msg'].startswith('scim does not support option %s of identity_user (the SCIM core User schema '
                                        'has no password expiry' % option)
