"""The pure SCIM mapping (providers/scim/_model.py): resources <-> common model, PATCH
Operations, filters, paging and the ServiceProviderConfig, without a server."""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils.providers.scim import _model as m
from ansible_collections.iamops.identity.plugins.module_utils.providers._registry import spec
from ansible_collections.iamops.identity.plugins.module_utils._errors import UnsupportedError

RAW = {'schemas': [m.USER_SCHEMA], 'id': 'u1', 'userName': 'jdoe', 'name': {'givenName': 'Jane', 'familyName': ''},
       'title': 'Clerk', 'externalId': 'hr-1', 'active': False,
       'emails': [{'value': 'home@x', 'type': 'home'}, {'value': 'work@x', 'type': 'work', 'primary': True}],
       'meta': {'version': 'W/"3"', 'resourceType': 'User'}}


def test_user_from_api_maps_scim_names_primary_email_and_active():
    user = m.user_from_api(RAW)
    assert user == {'id': 'u1', 'name': 'jdoe', 'domain_id': None, 'enabled': False, 'email': 'work@x',
                    'description': None, 'extra': {}, 'first_name': 'Jane', 'last_name': None,
                    'title': 'Clerk', 'external_id': 'hr-1', 'department': None, 'company': None, 'manager': None}
    assert m.user_from_api({'id': 'u2', 'userName': 'x'})['enabled'] is True   # no active: taken as active
    assert m.user_from_api({'id': 'u3', 'userName': 'x', 'emails': [{'value': 'a@x'}]})['email'] == 'a@x'


def test_emails_after_replaces_the_primary_and_keeps_the_others():
    assert m.emails_after(RAW, 'new@x') == [{'value': 'home@x', 'type': 'home'},
                                            {'value': 'new@x', 'type': 'work', 'primary': True}]
    assert m.emails_after(RAW, None) == [{'value': 'home@x', 'type': 'home'}]
    assert m.emails_after({}, 'a@x') == [{'value': 'a@x', 'type': 'work', 'primary': True}]


def test_user_operations_are_replace_and_remove_of_the_given_fields_only():
    ops = m.user_operations(RAW, {'title': 'Lead', 'enabled': True, 'last_name': '', 'password': 'pw-xyz-123'})
    assert ops == [
        {'op': 'remove', 'path': 'name.familyName'},
        {'op': 'replace', 'path': 'title', 'value': 'Lead'},
        {'op': 'replace', 'path': 'active', 'value': True},
        {'op': 'replace', 'path': 'password', 'value': 'pw-xyz-123'}]
    assert m.patch_body(ops)['schemas'] == [m.PATCH_SCHEMA] and m.patch_body(ops)['Operations'] is ops
    with pytest.raises(m.ModelError, match='SCIM cannot set description'):
        m.user_operations(RAW, {'description': 'x'})


def test_user_create_body_and_replacement():
    body = m.user_create_body({'name': 'jdoe', 'first_name': 'Jane', 'email': 'j@x', 'enabled': False,
                               'password': 'pw-xyz-123'})
    assert body == {'schemas': [m.USER_SCHEMA], 'userName': 'jdoe', 'name': {'givenName': 'Jane'},
                    'active': False, 'emails': [{'value': 'j@x', 'type': 'work', 'primary': True}],
                    'password': 'pw-xyz-123'}
    put = m.user_replacement(RAW, {'title': None, 'first_name': 'J'})
    assert 'meta' not in put and 'title' not in put and put['name']['givenName'] == 'J'
    assert put['userName'] == 'jdoe' and put['emails'] == RAW['emails']
    with pytest.raises(m.ModelError, match='userName'):
        m.user_create_body({'email': 'x@y'})


def test_filter_literals_are_quoted_like_json_strings():
    assert m.eq('userName', 'a"b\\c') == r'userName eq "a\"b\\c"'
    assert m.eq('active', True) == 'active eq true'
    assert m.any_of('id', ['a', 'b']) == 'id eq "a" or id eq "b"'
    assert m.user_filter({'title': 'x', 'active': False}) == 'active eq false and title eq "x"'
    assert m.user_filter({'filter': 'userName sw "j"', 'title': 'x'}) == '(userName sw "j") and title eq "x"'
    assert m.user_filter(None) is None
    for bad in ({'user name': 'x'}, {'title': ['x']}, {'filter': ''}):
        with pytest.raises(m.ModelError):
            m.user_filter(bad)


def test_paging_follows_start_index_and_total_results():
    page = {'totalResults': 250, 'startIndex': 1, 'itemsPerPage': 100, 'Resources': [{}] * 100}
    assert m.next_start(page, m.page_params()) == 101
    assert m.next_start(dict(page, startIndex=201, Resources=[{}] * 50), {}) is None
    assert m.next_start({'totalResults': 250, 'Resources': []}, {}) is None   # an empty page ends it
    short = {'totalResults': 250, 'startIndex': 1, 'Resources': [{}] * 10}   # the server answered fewer
    assert m.next_start(short, m.page_params()) == 11


def test_features_read_what_the_service_provider_config_supports():
    full = m.Features({'patch': {'supported': True}, 'filter': {'supported': True, 'maxResults': 50},
                       'etag': {'supported': True}, 'bulk': {'supported': False},
                       'changePassword': {'supported': True}})
    assert full.summary() == {'patch': True, 'filter': True, 'etag': True, 'bulk': False, 'change_password': True}
    assert full.page_size() == 50
    nothing = m.Features(None)
    assert nothing.summary() == {'patch': False, 'filter': False, 'etag': False, 'bulk': False,
                                 'change_password': False}
    assert nothing.page_size() == m.PAGE_SIZE
    assert m.Features({'patch': {'supported': 'yes'}}).patch is False   # only a JSON true counts


def test_group_members_operations_and_replacement():
    assert m.member_ids({'members': [{'value': 'u1'}, {'value': 'g9', 'type': 'Group'}, {'value': 'u2', 'type': 'User'}]}) \
        == ['u1', 'u2']
    assert m.member_operations(['u1'], ['u2']) == [
        {'op': 'add', 'path': 'members', 'value': [{'value': 'u1'}]},
        {'op': 'remove', 'path': 'members[value eq "u2"]'}]
    put = m.group_replacement({'id': 'g', 'displayName': 'd', 'meta': {}, 'members': [
        {'value': 'g9', 'type': 'Group'}, {'value': 'u1'}]}, members=['u2'])
    assert put['members'] == [{'value': 'g9', 'type': 'Group'}, {'value': 'u2'}] and 'meta' not in put
    assert m.group_operations({'name': 'new'}) == [{'op': 'replace', 'path': 'displayName', 'value': 'new'}]
    with pytest.raises(m.ModelError):
        m.group_create_body({'name': 'g', 'description': 'd'})


def test_subgroups_are_the_members_of_type_group_and_users_the_others():
    raw = {'members': [{'value': 'u1'}, {'value': 'g9', 'type': 'Group'}, {'value': 'u2', 'type': 'User'}]}
    assert m.member_ids(raw, m.GROUP_MEMBER) == ['g9'] and m.member_ids(raw) == ['u1', 'u2']
    assert m.member_operations(['g1'], ['g9'], m.GROUP_MEMBER) == [
        {'op': 'add', 'path': 'members', 'value': [{'value': 'g1', 'type': 'Group'}]},
        {'op': 'remove', 'path': 'members[value eq "g9"]'}]
    put = m.group_replacement(dict(raw, id='g', displayName='d'), members=['g2'], member_type=m.GROUP_MEMBER)
    assert put['members'] == [{'value': 'u1'}, {'value': 'u2', 'type': 'User'}, {'value': 'g2', 'type': 'Group'}]


def test_error_query_reads_scim_type_and_detail():
    jmespath = pytest.importorskip('jmespath')
    assert jmespath.search(m.ERROR_QUERY, {'schemas': [m.ERROR_SCHEMA], 'status': '409', 'scimType': 'uniqueness',
                                           'detail': 'taken'}) == 'uniqueness: taken'
    assert jmespath.search(m.ERROR_QUERY, {'status': '401', 'detail': 'no token'}) == 'no token'


def test_spec_refuses_what_scim_cannot_do_before_any_request():
    scim = spec('scim')
    with pytest.raises(UnsupportedError, match='scim does not support option description of identity_user'):
        scim.check('identity_user', {'name': 'x', 'description': 'd'}, {})
    with pytest.raises(UnsupportedError, match='option group of identity_role_assignment .a SCIM Group holds no roles'):
        scim.check('identity_role_assignment', {'role': 'r', 'group': 'g'}, {})
    with pytest.raises(UnsupportedError, match='identity_domain_config .SCIM has no domains to configure'):
        scim.check('identity_domain_config', {'domain': 'd'}, {})
    scim.check('identity_role_assignment', {'role': 'r', 'user': 'u'}, {})
    scim.check('identity_user', {'name': 'x', 'email': 'e', 'enabled': False, 'title': 't', 'external_id': 'e'}, {})
    assert scim.configured({}, {'SCIM_TOKEN': 'x'}) and not scim.configured({}, {'CONNECT_API_KEY': 'x'})


def test_enterprise_extension_mapping():
    raw = dict(RAW, schemas=[m.USER_SCHEMA, m.ENTERPRISE],
               **{m.ENTERPRISE: {'department': 'Pay', 'organization': 'ACME', 'manager': {'value': 'u9'}}})
    user = m.user_from_api(raw)
    assert (user['department'], user['company'], user['manager']) == ('Pay', 'ACME', 'u9')
    assert m.user_from_api(RAW)['manager'] is None
    body = m.user_create_body({'name': 'x', 'department': 'Pay', 'manager': 'u9'})
    assert body['schemas'] == [m.USER_SCHEMA, m.ENTERPRISE]
    assert body[m.ENTERPRISE] == {'department': 'Pay', 'manager': {'value': 'u9'}}
    assert m.user_operations(raw, {'company': None, 'manager': 'u8'}) == [
        {'op': 'remove', 'path': m.ENTERPRISE + ':organization'},
        {'op': 'replace', 'path': m.ENTERPRISE + ':manager', 'value': {'value': 'u8'}}]
    put = m.user_replacement(RAW, {'department': 'HR'})
    assert put[m.ENTERPRISE] == {'department': 'HR'} and m.ENTERPRISE in put['schemas']
