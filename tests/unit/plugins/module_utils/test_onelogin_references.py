"""OneLogin's reference rule and documented limits (pure functions, issue 19)."""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin import _model as m
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin.directory import check_limits

ROLES = [{'id': '200001', 'name': 'Staff'}, {'id': '200002', 'name': '200001'}, {'id': '200003', 'name': 'Ops'},
         {'id': '200004', 'name': 'Ops'}, {'id': '200005', 'name': 'dana'}]


@pytest.mark.parametrize('ref, expected', [('123', True), (123, True), ('12a', False), ('', False), ('-1', False),
                                           (True, False), ('Staff', False)])
def test_digits_are_ids(ref, expected):
    assert m.is_id(ref) is expected


def test_pick_by_the_rule():
    assert m.pick('role', '200001', ROLES)['name'] == 'Staff'          # an ID, though another role has it as name
    assert m.pick('role', 'Staff', ROLES)['id'] == '200001'
    assert m.pick('role', '999', ROLES) is None and m.pick('role', 'staff', ROLES) is None
    assert m.pick('user', 'DANA', ROLES, fold=True)['id'] == '200005'
    with pytest.raises(ValueError) as caught:
        m.pick('role', 'Ops', ROLES)
    assert str(caught.value) == ("role name 'Ops' is ambiguous: 2 roles have it ('Ops' ID 200003, 'Ops' ID 200004); "
                                 "give the ID of the one meant")


def test_id_hint_names_the_id_to_give():
    items = [{'id': '7', 'name': '4711'}]
    assert m.id_hint('role', '4711', items) == (' (a value made only of digits is a OneLogin ID, any other value a '
                                                "name; the role named '4711' has ID 7: give that)")
    assert m.id_hint('role', 'Ops', items) == '' and m.id_hint('role', '99', items) == ''


@pytest.mark.parametrize('params', [{'lock_minutes': 0, 'password_salt': 's' * 40}, {'lock_minutes': 2 ** 31 - 1},
                                    {'users': [{'name': 'a', 'lock_minutes': 5}]}, {}])
def test_limits_accepted(params):
    check_limits(params)


@pytest.mark.parametrize('params, text', [
    ({'lock_minutes': -1}, 'lock_minutes: -1 is not a number of minutes'),
    ({'lock_minutes': 2 ** 31}, 'lock_minutes: 2147483648 is not a number of minutes'),
    ({'password_salt': 's' * 41}, 'password_salt: 41 characters; OneLogin takes a salt of at most 40'),
    ({'users': [{'name': 'a'}, {'name': 'b', 'password_salt': 'x' * 50}]}, 'users[1].password_salt: 50 characters'),
])
def test_limits_refused(params, text):
    with pytest.raises(ConfigError) as caught:
        check_limits(params)
    assert text in str(caught.value) and str(caught.value).startswith('onelogin: ')
