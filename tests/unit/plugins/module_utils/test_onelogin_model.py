"""OneLogin bodies <-> common model (pure functions)."""

import hashlib

import pytest

from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin import _model as m

V2_USER = {'id': 100001, 'comment': None, 'username': 'jdoe', 'email': 'jdoe@example.com', 'firstname': 'Jane',
           'lastname': 'Doe', 'title': 'Clerk', 'department': None, 'company': 'ACME', 'phone': None,
           'external_id': 'E-1', 'manager_user_id': 100000, 'custom_attributes': {'cost_center': 'A1'},
           'state': 1, 'status': 1, 'group_id': 300001, 'role_ids': [200001, 200002],
           'locked_until': None}


def test_user_from_v2_body():
    user = m.user_from_api(V2_USER)
    assert user == {'id': '100001', 'domain_id': None, 'description': None, 'name': 'jdoe', 'email': 'jdoe@example.com', 'first_name': 'Jane',
                    'last_name': 'Doe', 'title': 'Clerk', 'department': None, 'company': 'ACME',
                    'phone': None, 'external_id': 'E-1', 'manager': '100000',
                    'custom_attributes': {'cost_center': 'A1'}, 'user_state': 'approved', 'status': 'active',
                    'enabled': True, 'locked': False, 'password_expired': False, 'locked_until': None, 'group_id': '300001',
                    'role_ids': ['200001', '200002']}


def test_user_from_v1_body_uses_role_id_and_reads_status():
    body = dict(V2_USER, status=3, state=3)
    del body['role_ids']
    body['role_id'] = [7]
    user = m.user_from_api(body)
    assert user['role_ids'] == ['7'] and user['locked'] is True and user['enabled'] is True
    assert user['user_state'] == 'unlicensed' and user['status'] == 'locked'
    assert m.user_from_api(dict(V2_USER, status=2))['enabled'] is False
    assert m.user_from_api({'id': 1, 'username': 'x'})['enabled'] is None   # fields= without status


def test_user_to_api_only_given_keys():
    assert m.user_to_api({'name': 'jdoe', 'first_name': 'Jane', 'user_state': 'unapproved',
                          'description': 'temp'}) == {
        'username': 'jdoe', 'firstname': 'Jane', 'state': 0, 'comment': 'temp'}
    assert m.user_to_api({'manager': 42, 'group_id': '300001', 'role_ids': ['5'],
                          'custom_attributes': {'a': '1'}}) == {
        'manager_user_id': '42', 'group_id': 300001, 'role_ids': [5], 'custom_attributes': {'a': '1'}}
    assert m.user_to_api({'group_id': None, 'manager': None}) == {'group_id': None, 'manager_user_id': None}
    assert m.user_to_api({}) == {}


@pytest.mark.parametrize('status, enabled, locked, expected', [
    ('active', False, None, m.SUSPENDED),
    ('suspended', False, None, None),
    ('locked', False, True, m.SUSPENDED),       # suspending wins over locking
    ('suspended', True, None, m.ACTIVE),
    ('active', True, None, None),
    ('locked', None, False, m.ACTIVE),
    ('locked', True, None, None),              # enabled does not unlock
    ('active', None, True, None),              # locking is lock_user's job
    ('suspended', True, True, None),           # lock_user also reactivates
    (None, None, None, None),
])
def test_status_change(status, enabled, locked, expected):
    current = {'status': status} if status else None
    assert m.status_change(current, enabled=enabled, locked=locked) == expected


def test_wants_lock():
    assert m.wants_lock({'status': 'active'}, locked=True)
    assert not m.wants_lock({'status': 'locked'}, locked=True)
    assert not m.wants_lock({'status': 'active'}, enabled=False, locked=True)
    assert not m.wants_lock({'status': 'active'}, locked=None)
    assert m.wants_lock(None, locked=True)


def test_password_requests():
    endpoint, body = m.password_request('S3cret!')
    assert endpoint == 'set_password_clear_text'
    assert body == {'password': 'S3cret!', 'password_confirmation': 'S3cret!', 'validate_policy': False}
    endpoint, body = m.password_request('S3cret!', 'salt+sha256', 'pepper')
    digest = hashlib.sha256(b'pepperS3cret!').hexdigest()
    assert endpoint == 'set_password_using_salt'
    assert body == {'password': digest, 'password_confirmation': digest, 'password_algorithm': 'salt+sha256',
                    'password_salt': 'pepper'}
    assert 'S3cret!' not in repr(body)
    assert 'password_salt' not in m.password_request('x', 'salt+sha256')[1]
    with pytest.raises(ValueError, match='salt\\+sha256'):
        m.password_request('x', 'md5')


def test_roles_groups_and_envelopes():
    assert m.role_from_api({'id': 5, 'name': 'Admins'}) == {'id': '5', 'name': 'Admins'}
    assert m.group_from_api({'id': 9, 'name': 'Payroll', 'reference': None}) == {
        'id': '9', 'name': 'Payroll', 'reference': None}
    assert m.v1_data({'status': {}, 'data': [{'id': 1}]}) == [{'id': 1}]
    assert m.v1_data({'status': {}}) == []
    assert m.v1_role_ids({'status': {}, 'data': [[5, 6]]}) == ['5', '6']
    assert m.v1_role_ids({'status': {}, 'data': [[]]}) == []
    assert m.v1_role_ids({'status': {}, 'data': [5]}) == ['5']      # tolerate a flat list


def test_pagination():
    body = {'pagination': {'after_cursor': 'abc', 'next_link': 'x'}}
    assert m.v1_next(body, '/api/1/users', {'email': 'x'}) == ('/api/1/users', {'email': 'x', 'after_cursor': 'abc'})
    assert m.v1_next({'pagination': {'after_cursor': None}}, '/api/1/users', {}) is None
    assert m.v1_next({}, '/api/1/users', {}) is None
    assert m.v2_next({'After-Cursor': 'Y3Vy'}, '/api/2/users', {'limit': 100, 'page': 1}) == (
        '/api/2/users', {'limit': 100, 'cursor': 'Y3Vy'})
    assert m.v2_next({}, '/api/2/users', {}) is None


def test_rate_limit_headers():
    assert m.rate_limit({'X-RateLimit-Limit': '5000', 'X-RateLimit-Remaining': '4988',
                         'X-RateLimit-Reset': '832'}) == {'limit': 5000, 'remaining': 4988, 'reset': 832}
    assert m.rate_limit({'X-RateLimit-Remaining': 'n/a'}) is None
    assert m.rate_limit({}) is None
