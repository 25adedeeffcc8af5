import pytest

from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect import _model as m

RAW = {'email': 'alice@connect.example', 'username': 'al', 'first_name': 'Alice', 'last_name': 'User',
       'user_role': 'publisher', 'created_time': '2017-08-08T15:24:32Z', 'updated_time': '2023-03-02T20:25:06Z',
       'active_time': '2018-05-09T16:58:45Z', 'confirmed': True, 'locked': False,
       'guid': 'a01792e3-2e67-402e-99af-be04a48da074'}


def test_user_from_api_maps_connect_names_and_lock_to_enabled():
    user = m.user_from_api(RAW)
    assert user['id'] == RAW['guid'] and user['name'] == 'al'
    assert (user['email'], user['first_name'], user['last_name']) == ('alice@connect.example', 'Alice', 'User')
    assert user['user_role'] == 'publisher'
    assert user['enabled'] is True and user['locked'] is False and user['domain_id'] is None
    assert user['description'] is None and user['extra'] == {}
    locked = m.user_from_api(dict(RAW, locked=True, email='', last_name=''))
    assert locked['enabled'] is False and locked['locked'] is True
    assert locked['email'] is None and locked['last_name'] is None


def test_merge_update_takes_the_editable_user_answer():
    user = m.user_from_api(RAW)
    after = m.merge_update(user, {'email': 'a@new', 'username': 'al', 'first_name': 'Alice', 'last_name': 'User',
                                  'user_role': 'viewer', 'updated_time': '2026-01-01T00:00:00Z'})
    assert after['email'] == 'a@new' and after['user_role'] == 'viewer'
    assert after['updated_time'] == '2026-01-01T00:00:00Z'
    assert after['id'] == user['id'] and after['created_time'] == user['created_time']


def test_create_body_renames_and_keeps_create_only_fields():
    body = m.user_create_body({'name': 'jdoe', 'email': 'j@x', 'first_name': 'John', 'user_role': 'viewer',
                               'password': 'pw123456', 'unique_id': 'u-1', 'enabled': False, 'last_name': None})
    assert body == {'username': 'jdoe', 'email': 'j@x', 'first_name': 'John', 'user_role': 'viewer',
                    'password': 'pw123456', 'unique_id': 'u-1'}


@pytest.mark.parametrize('fields, text', [
    ({'email': 'x'}, 'username'),
    ({'name': 'a', 'password': 'p', 'user_must_set_password': True}, 'user_must_set_password'),
    ({'name': 'a', 'user_role': 'owner'}, 'user_role must be one of'),
])
def test_create_body_refuses_what_connect_refuses(fields, text):
    with pytest.raises(m.ModelError, match=text):
        m.user_create_body(fields)


def test_must_set_password_without_password_is_sent():
    assert m.user_create_body({'name': 'a', 'user_must_set_password': True}) == {
        'username': 'a', 'user_must_set_password': True}


def test_update_body_splits_the_lock():
    assert m.user_update_body({'email': 'n@x', 'name': 'al2'}) == ({'email': 'n@x', 'username': 'al2'}, None)
    assert m.user_update_body({'enabled': False}) == ({}, True)
    assert m.user_update_body({'locked': False, 'user_role': 'viewer'}) == ({'user_role': 'viewer'}, False)
    with pytest.raises(m.ModelError, match='cannot change password'):
        m.user_update_body({'password': 'x'})
    with pytest.raises(m.ModelError, match='contradicts'):
        m.lock_wanted({'locked': True, 'enabled': True})
    assert m.lock_body(True) == {'locked': True}


def test_user_filters_take_lists_or_pipes_and_check_values():
    assert m.user_filters('jo', ['viewer', 'publisher'], 'locked|licensed') == {
        'prefix': 'jo', 'user_role': 'viewer|publisher', 'account_status': 'locked|licensed'}
    assert m.user_filters() == {}
    with pytest.raises(m.ModelError, match='user_role'):
        m.user_filters(user_role='viewer|owner')
    with pytest.raises(m.ModelError, match='account_status'):
        m.user_filters(account_status='|')


def test_groups_map_owner_and_refuse_what_connect_cannot_change():
    group = m.group_from_api({'guid': 'g1', 'name': 'Team', 'owner_guid': 'u1'})
    assert group == {'id': 'g1', 'name': 'Team', 'owner_id': 'u1', 'domain_id': None, 'description': None}
    assert m.group_create_body({'name': 'Team'}) == {'name': 'Team'}
    assert m.group_update_body({'name': 'Crew', 'owner_id': 'u2'}) == {'name': 'Crew', 'owner_guid': 'u2'}
    with pytest.raises(m.ModelError, match='description'):
        m.group_update_body({'description': 'x'})
    with pytest.raises(m.ModelError, match='name'):
        m.group_create_body({})
    assert m.member_body({'id': 'u1'}) == {'user_guid': 'u1'}


def test_one_role_per_user():
    user = m.user_from_api(RAW)
    assignment = m.assignment_of(user)
    assert assignment == {'role': {'id': 'publisher', 'name': 'publisher'}, 'user': {'id': RAW['guid'], 'name': 'al'}}
    assert m.role('viewer') == {'id': 'viewer', 'name': 'viewer', 'domain_id': None}
    assert m.role_after('viewer', 'publisher', 'present') == 'publisher'
    assert m.role_after('publisher', 'publisher', 'absent') == 'viewer'     # demoted, documented
    assert m.role_after('publisher', 'administrator', 'absent') == 'publisher'
    with pytest.raises(m.ModelError, match='role must be one of'):
        m.role('owner')


def test_paging_stops_like_the_sdk_and_never_pages_a_prefix_search():
    params = m.page_params({'user_role': 'viewer'})
    assert params == {'user_role': 'viewer', 'page_number': 1, 'page_size': 500}
    page = {'results': [{}, {}], 'current_page': 1, 'total': 5}
    assert m.next_page(page, 2, params) == dict(params, page_number=2)
    assert m.next_page(dict(page, total=2), 2, params) is None
    assert m.next_page({'results': [], 'total': 9}, 2, params) is None
    search = m.page_params({'prefix': 'al'})
    assert m.next_page(page, 2, search) is None
    assert m.truncated_prefix_search(page, search) is True
    assert m.truncated_prefix_search(dict(page, total=2), search) is False


def test_guids_are_recognised():
    assert m.looks_like_guid(RAW['guid'])
    assert not m.looks_like_guid('al') and not m.looks_like_guid(None)


def test_group_names_shorter_than_4096_characters():
    m.check_group_name('g' * 4095)
    m.check_group_name(None)   # not given: nothing to check
    for bad in ('g' * 4096, '   ', ''):
        with pytest.raises(m.ModelError):
            m.check_group_name(bad)
    with pytest.raises(m.ModelError, match='shorter than 4096'):
        m.group_create_body({'name': 'g' * 5000})
    with pytest.raises(m.ModelError, match='new_name'):
        m.group_update_body({'name': 'g' * 4096})
    assert m.group_update_body({'name': 'ok'}) == {'name': 'ok'}


def test_only_uuid_shaped_values_are_tried_as_guids():
    assert m.looks_like_guid('a01792e3-2e67-402e-99af-be04a48da074')
    assert m.looks_like_guid('A01792E3-2E67-402E-99AF-BE04A48DA074')
    for name in ('al', 'a01792e3', 'a01792e3-2e67-402e-99af-be04a48da07', 'a01792e3-2e67-402e-99af-be04a48da074x', None):
        assert not m.looks_like_guid(name)


def test_a_new_user_holds_the_default_role():
    assert m.DEFAULT_ROLE == 'viewer' and m.DEFAULT_ROLE in m.ROLES
    user = {'id': None, 'name': 'new', 'user_role': m.DEFAULT_ROLE}
    assert m.assignment_of(user) == {'role': {'id': 'viewer', 'name': 'viewer'}, 'user': {'id': None, 'name': 'new'}}
