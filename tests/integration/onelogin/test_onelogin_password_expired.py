"""identity_user password_expired on the OneLogin emulator: status 4 (Password expired) through
PUT /api/2/users/{id}, read back from the status; refused with enabled=false or locked=true."""

import pytest


def writes(run):
    return [(e['method'], e['path'], e.get('body')) for e in run.writes]


def test_expire_rerun_check_and_back(run_module, state):
    state.seed(users=[{'username': 'pe', 'email': 'pe@example.com', 'status': 1}])
    user_id = state.user('pe')['id']
    check = run_module('identity_user', name='pe', password_expired=True, _check=True, _diff=True)
    assert check['changed'] is True and check.writes == []
    assert check['diff'] == {'before': {'password_expired': False}, 'after': {'password_expired': True}}
    assert state.user('pe')['status'] == 1

    expired = run_module('identity_user', name='pe', password_expired=True)
    assert expired['changed'] is True
    assert [(e['method'], e['path']) for e in expired.writes] == [('PUT', '/api/2/users/%d' % user_id)]
    assert state.user('pe')['status'] == 4
    assert expired['user']['password_expired'] is True and expired['user']['status'] == 'password_expired'
    assert expired['user']['enabled'] is True

    again = run_module('identity_user', name='pe', password_expired=True)
    assert again['changed'] is False and again.writes == []
    assert (len(expired.entries), len(again.entries)) == (3, 2)   # token, lookup (, PUT)

    back = run_module('identity_user', name='pe', password_expired=False)
    assert back['changed'] is True and state.user('pe')['status'] == 1
    assert run_module('identity_user', name='pe', password_expired=False).writes == []


def test_expired_on_create_in_the_one_post(run_module, state):
    created = run_module('identity_user', name='pn', email='pn@example.com', password='Temp-Passw0rd-1',
                         password_expired=True)
    assert [(e['method'], e['path']) for e in created.writes] == [('POST', '/api/2/users')]
    assert state.user('pn')['status'] == 4 and created['user']['password_expired'] is True
    again = run_module('identity_user', name='pn', email='pn@example.com', password='Temp-Passw0rd-1',
                       password_expired=True)
    assert again['changed'] is False and again.writes == []


@pytest.mark.parametrize('other,status', [({'enabled': False}, 'Suspended'), ({'locked': True}, 'Locked')])
def test_combinations_one_status_cannot_hold_are_refused_before_any_request(run_module, other, status):
    result = run_module('identity_user', name='pe', password_expired=True, **other)
    assert result['failed'] is True and result.entries == []
    option, value = list(other.items())[0]
    assert result['msg'] == ('onelogin: password_expired=true (status Password expired) and %s=%s (status %s) are two values '
                             "of a OneLogin user's one status: give one of them" % (option, str(value).lower(), status))
    batch = run_module('identity_user', users=[{'name': 'a'}, dict(other, name='b', password_expired=True)])
    assert batch['failed'] is True and batch.entries == [] and batch['msg'].startswith('onelogin: users[1].password_expired=true')


def test_never_expires_is_refused(run_module):
    result = run_module('identity_user', name='pe', password_never_expires=True)
    assert result['failed'] is True and result.entries == []
    assert "OneLogin's password expiry is a user policy setting" in result['msg']
