"""password: generate is refused on Authress like any password: before any request."""

from authress_fixtures import access_key, authress_env, emulator, emulator_server, run_module, service_key  # noqa: F401 pylint: disable=unused-import


def test_generate_is_refused_before_any_request(emulator, run_module):
    result = run_module('identity_user', name='u_bob', password='generate')
    assert result['failed'] is True and result.entries == []
    assert result['msg'].startswith('authress does not support option password of identity_user (Authress users '
                                    'come from their identity provider when they log in')


def test_password_expiry_options_are_refused_before_any_request(emulator, run_module):
    for option in ('password_expired', 'password_never_expires'):
        result = run_module('identity_user', name='u_bob', **{option: True})
        assert result['failed'] is True and result.entries == []
        assert result['msg'].startswith('authress does not support option %s of identity_user (Authress users come '
                                        'from their identity provider' % option)
