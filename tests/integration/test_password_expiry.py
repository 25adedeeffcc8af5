"""Password expiry on a real Keystone configured with [security_compliance] password_expires_days
(a Keystone of its own for this module): password_expires_at and password_expired reported,
password_never_expires is the user option ignore_password_expiry, password_expired refused."""

import os

import pytest

from conftest import CHECKOUT, Admin, harness, module_runner, module_environment

PASSWORD = 'Expiry-Passw0rd-4c1e'


@pytest.fixture(scope='module')
def expiry_keystone():
    directory = os.path.join(CHECKOUT, '.build', 'keystone-expiry')
    env = harness.start(dir=directory, extra_config='[security_compliance]\npassword_expires_days = 30\n')
    env['clouds_yaml'] = os.path.join(directory, 'clouds.yaml')
    yield env
    harness.stop(dir=directory)


@pytest.fixture
def expiry(expiry_keystone, tmp_path):
    log = harness.AccessLog(expiry_keystone['access_log'])
    return Admin(expiry_keystone), module_runner(module_environment(expiry_keystone['clouds_yaml']), log, tmp_path)


def test_expiry_reported_and_never_expires_set_and_read_back(expiry, uniq):
    admin, run = expiry
    name = 'exp-' + uniq
    created = run('identity_user', name=name, password=PASSWORD)
    assert created['changed'] is True
    server = admin.user(name)
    assert server['password_expires_at'] is not None   # 30 days from now
    assert created['user']['password_expires_at'] == server['password_expires_at']
    assert created['user']['password_expired'] is False and created['user']['password_never_expires'] is False
    info = run('identity_user_info', name=name)
    assert info['users'][0]['password_expires_at'] == server['password_expires_at']
    assert info['users'][0]['password_expired'] is False

    check = run('identity_user', name=name, password_never_expires=True, _check=True, _diff=True)
    assert check['changed'] is True and check.writes == []
    assert check['diff'] == {'before': {'password_never_expires': False}, 'after': {'password_never_expires': True}}
    assert not (admin.get('/users/' + server['id'])['user']['options'] or {}).get('ignore_password_expiry')

    exempt = run('identity_user', name=name, password_never_expires=True)
    assert exempt['changed'] is True and [(w.method, w.path) for w in exempt.writes] == [('PATCH', '/v3/users/' + server['id'])]
    held = admin.get('/users/' + server['id'])['user']
    assert held['options'] == {'ignore_password_expiry': True}
    assert exempt['user']['password_never_expires'] is True
    assert exempt['user']['password_expires_at'] == held['password_expires_at']
    assert admin.password_works(server['id'], PASSWORD)

    again = run('identity_user', name=name, password_never_expires=True)
    assert again['changed'] is False and again.writes == []
    assert (len(exempt.entries), len(again.entries)) == (3, 2)   # token, lookup (, PATCH)

    back = run('identity_user', name=name, password_never_expires=False)
    assert back['changed'] is True
    assert admin.get('/users/' + server['id'])['user']['options'] == {'ignore_password_expiry': False}


def test_never_expires_on_create(expiry, uniq):
    admin, run = expiry
    name = 'expc-' + uniq
    created = run('identity_user', name=name, password=PASSWORD, password_never_expires=True)
    held = admin.user(name)
    assert held['options'] == {'ignore_password_expiry': True}
    assert created['user']['password_never_expires'] is True
    again = run('identity_user', name=name, password=PASSWORD, password_never_expires=True)
    assert again['changed'] is False and again.writes == []


def test_password_expired_is_refused_on_keystone_before_any_request(expiry, uniq):
    _admin, run = expiry
    result = run('identity_user', name='x-' + uniq, password_expired=True)
    assert result['failed'] is True and result.entries == []
    assert result['msg'].startswith('keystone does not support option password_expired of identity_user (Keystone '
                                    'cannot be told to expire a password')
