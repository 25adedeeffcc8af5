"""password_expired / password_never_expires in the Keystone and OneLogin user models (pure)."""

from datetime import datetime, timezone

from ansible_collections.iamops.identity.plugins.module_utils._passwords import SYMBOLS, generate_password
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone import _model as keystone
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin import _model as onelogin

NOW = datetime(2026, 12, 3, 12, 0, 0, tzinfo=timezone.utc)


def test_keystone_password_state():
    assert keystone.password_state({'password_expires_at': '2026-12-03T11:59:59.000000'}, NOW) == {
        'password_never_expires': False, 'password_expired': True}
    assert keystone.password_state({'password_expires_at': '2027-01-02T12:00:00.000000', 'options': {
        'ignore_password_expiry': True}}, NOW) == {'password_never_expires': True, 'password_expired': False}
    assert keystone.password_state({'password_expires_at': None}, NOW)['password_expired'] is False


def test_keystone_never_expires_is_the_user_option():
    body = keystone._user_body({'email': 'a@example.com', 'password_never_expires': True})
    assert body == {'user': {'email': 'a@example.com', 'options': {'ignore_password_expiry': True}}}


def test_onelogin_password_expired_is_status_4():
    assert onelogin.user_from_api({'id': 1, 'status': 4})['password_expired'] is True
    assert onelogin.user_from_api({'id': 1, 'status': 1})['password_expired'] is False
    assert onelogin.status_change({'status': 'active'}, password_expired=True) == 4
    assert onelogin.status_change({'status': 'password_expired'}, password_expired=True) is None
    assert onelogin.status_change({'status': 'password_expired'}, password_expired=False) == 1
    assert onelogin.status_change({'status': 'active'}, password_expired=False) is None
    assert onelogin.status_change({'status': 'suspended'}, enabled=True, password_expired=True) == 4


def test_generated_passwords_are_strong_and_distinct():
    passwords = set(generate_password() for _index in range(200))
    assert len(passwords) == 200
    for password in passwords:
        assert len(password) == 24
        assert any(c.isupper() for c in password) and any(c.islower() for c in password)
        assert any(c.isdigit() for c in password) and any(c in SYMBOLS for c in password)
