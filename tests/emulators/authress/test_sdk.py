"""The vendor's own SDK (`authress==3.1.126`) drives every call issue 10 names against the emulator.

Each test asserts on what the SDK returns (typed models, pagination, exceptions with the status)
and on the emulator's state and request log, read independently of the SDK.
"""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from authress import AuthressClient
from authress.exceptions import ApiException, NotFoundException, UnauthorizedException
from authress.models import (AccessRecord, Group, GroupCollection, LinkedGroup, PermissionObject, Resource, Role,
                             Statement, Tenant, TenantConnection, TenantData, TenantDomain, TenantUser, User,
                             UserIdentity, UserIdentityCollection)
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from .server import AuthressEmulator

ACCOUNT = 'acc_emulator'
CLIENT = 'sc_ansible'
KEY_ID = 'key_1'


def access_key(private_key, client_id=CLIENT, key_id=KEY_ID, account=ACCOUNT):
    """A service client access key as Authress formats it: clientId.keyId.accountId.base64(PKCS#8 DER)."""
    der = private_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return '%s.%s.%s.%s' % (client_id, key_id, account, base64.b64encode(der).decode())


def public_key(private_key):
    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


@pytest.fixture(scope='module')
def server():
    with AuthressEmulator() as emulator:
        yield emulator


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def emu(server, key):
    server.reset()
    server.seed({'clients': [{'clientId': CLIENT, 'keys': [{'keyId': KEY_ID, 'publicKey': public_key(key)}]}],
                 'settings': {'page_size': 2, 'delete_delay': 0.2}})
    return server


@pytest.fixture
def sdk(emu, key):
    return AuthressClient(authress_api_url=emu.url, service_client_access_key=access_key(key))


def statuses(emu, method=None, path=None):
    return [r['status'] for r in emu.requests(method=method, path=path)]


# ---- authentication ----------------------------------------------------------------------------

def test_sdk_signs_an_eddsa_jwt_the_emulator_accepts(emu, sdk, key):
    token = sdk.get_client_token()
    header = jwt.get_unverified_header(token)
    assert header['alg'] == 'EdDSA' and header['kid'] == KEY_ID
    claims = jwt.decode(token, key.public_key(), algorithms=['EdDSA'], audience=ACCOUNT + '.accounts.authress.io')
    assert claims['iss'] == '%s/v1/clients/%s' % (emu.url, CLIENT)
    assert claims['sub'] == claims['client_id'] == CLIENT
    assert claims['scopes'] == 'openId' and claims['exp'] - claims['iat'] == 86400
    assert isinstance(sdk.users.get_users(limit=1), UserIdentityCollection)
    assert statuses(emu) == [200]


def test_a_key_the_emulator_does_not_know_is_rejected(emu):
    stranger = Ed25519PrivateKey.generate()   # same client and key ids, other key pair: bad signature
    with pytest.raises(UnauthorizedException) as caught:
        AuthressClient(authress_api_url=emu.url, service_client_access_key=access_key(stranger)).users.get_users()
    assert caught.value.status == 401
    assert json.loads(caught.value.body)['title'] == 'The token signature is invalid.'


def test_a_wrong_kid_is_rejected(emu, key):
    client = AuthressClient(authress_api_url=emu.url, service_client_access_key=access_key(key, key_id='key_2'))
    with pytest.raises(UnauthorizedException):
        client.groups.get_groups()
    assert statuses(emu) == [401]


def test_an_expired_or_missing_token_is_rejected(emu, key):
    now = int(time.time())
    expired = jwt.encode({'iss': '%s/v1/clients/%s' % (emu.url, CLIENT), 'aud': ACCOUNT + '.accounts.authress.io',
                          'sub': CLIENT, 'client_id': CLIENT, 'iat': now - 90000, 'exp': now - 3600},
                         key, algorithm='EdDSA', headers={'kid': KEY_ID})
    client = AuthressClient(authress_api_url=emu.url)   # no access key: the token set is sent as is
    client.set_token(expired)
    with pytest.raises(UnauthorizedException) as caught:
        client.users.get_users()
    assert 'expired' in json.loads(caught.value.body)['title']
    with pytest.raises(UnauthorizedException):
        AuthressClient(authress_api_url=emu.url).users.get_users()
    assert statuses(emu) == [401, 401]


# ---- users -------------------------------------------------------------------------------------

def seed_users(emu):
    emu.seed({'users': [{'userId': 'google|1001', 'name': 'Ada Lovelace', 'email': 'ada@example.com'},
                        {'userId': 'u_bob', 'name': 'Bob Builder', 'email': 'bob@example.com'},
                        {'userId': 'u_carol', 'name': 'Carol', 'email': 'carol@corp.example'},
                        {'userId': 'u_dan', 'name': 'Dan', 'email': 'dan@corp.example'},
                        {'userId': 'u_eve', 'name': 'Eve', 'email': 'eve@example.com'}],
              'tenants': [{'tenantId': 'corp', 'data': {'name': 'Corp'}}]})


def test_users_list_pages_with_cursor_and_links(emu, sdk):
    seed_users(emu)
    seen, cursor, pages = [], None, []
    while True:
        page = sdk.users.get_users(limit=10, cursor=cursor)
        pages.append(page)
        seen += [u.user_id for u in page.users]
        if page.pagination is None or page.pagination.next is None:
            break
        assert page.links.next.href.startswith(emu.url + '/v1/users?')
        cursor = page.pagination.next.cursor
    assert seen == ['google|1001', 'u_bob', 'u_carol', 'u_dan', 'u_eve']
    assert [len(p.users) for p in pages] == [2, 2, 1]          # page_size 2 caps limit=10
    assert pages[-1].links.next is None and pages[0].links.var_self.href.startswith(emu.url)
    assert [r['query'].get('cursor') is not None for r in emu.requests('GET', '/v1/users$')] == [False, True, True]


def test_users_filter_and_tenant(emu, sdk):
    seed_users(emu)
    emu.seed({'settings': {'page_size': 100}})
    found = sdk.users.get_users(filter='CORP.example')
    assert [u.user_id for u in found.users] == ['u_carol', 'u_dan']
    assert sdk.users.get_users(tenant_id='corp').users == []
    assert sdk.tenants.link_tenant_user('corp', TenantUser(userId='u_bob')) is None
    assert [u.user_id for u in sdk.users.get_users(tenant_id='corp').users] == ['u_bob']
    assert emu.dump()['user_tenant'] == {'u_bob': 'corp'}
    assert statuses(emu, 'PATCH') == [204]
    with pytest.raises(NotFoundException):
        sdk.tenants.link_tenant_user('corp', TenantUser(userId='u_nobody'))
    with pytest.raises(NotFoundException):
        sdk.tenants.link_tenant_user('no_such_tenant', TenantUser(userId='u_bob'))


def test_get_user_url_encodes_the_id(emu, sdk):
    seed_users(emu)
    user = sdk.users.get_user('google|1001')
    assert isinstance(user, UserIdentity) and user.email == 'ada@example.com' and user.name == 'Ada Lovelace'
    assert emu.requests('GET')[0]['path'] == '/v1/users/google%7C1001'
    with pytest.raises(NotFoundException) as caught:
        sdk.users.get_user('u_nobody')
    assert caught.value.status == 404


def test_delete_user_is_asynchronous(emu, sdk):
    seed_users(emu)
    emu.seed({'groups': [{'groupId': 'grp_x', 'name': 'X', 'users': [{'userId': 'u_eve'}], 'admins': []}]})
    assert sdk.users.delete_user('u_eve') is None
    assert statuses(emu, 'DELETE') == [202]
    assert sdk.users.get_user('u_eve').user_id == 'u_eve'      # still there right after the 202
    assert emu.dump()['deleting'] == ['u_eve']
    time.sleep(0.3)
    with pytest.raises(NotFoundException):
        sdk.users.get_user('u_eve')
    state = emu.dump()
    assert 'u_eve' not in state['users'] and state['deleting'] == []
    assert state['groups']['grp_x']['users'] == []             # the access granted to the user went too
    with pytest.raises(NotFoundException):
        sdk.users.delete_user('u_eve')


# ---- groups ------------------------------------------------------------------------------------

def test_groups_create_get_list_update_delete(emu, sdk):
    created = sdk.groups.create_group(Group(groupId='grp_ops', name='Ops', users=[User(userId='u_bob')], admins=[]))
    assert isinstance(created, Group) and created.group_id == 'grp_ops' and created.last_updated is not None
    generated = sdk.groups.create_group(Group(name='Other', users=[], admins=[User(userId='u_carol')]))
    assert generated.group_id.startswith('grp_')
    sdk.groups.create_group(Group(groupId='grp_three', name='Three', users=[], admins=[]))
    assert statuses(emu, 'POST') == [201, 201, 201]

    first = sdk.groups.get_groups(limit=20)
    assert isinstance(first, GroupCollection) and len(first.groups) == 2 and first.pagination.next
    rest = sdk.groups.get_groups(limit=20, cursor=first.pagination.next.cursor)
    assert len(rest.groups) == 1 and rest.pagination.next is None
    assert [g.name for g in sdk.groups.get_groups(filter='ops').groups] == ['Ops']

    group = sdk.groups.get_group('grp_ops')
    group.users.append(User(userId='u_dan'))
    updated = sdk.groups.update_group('grp_ops', group, expected_last_modified_time=group.last_updated.isoformat())
    assert [u.user_id for u in updated.users] == ['u_bob', 'u_dan'] and updated.last_updated > group.last_updated
    assert emu.dump()['groups']['grp_ops']['users'] == [{'userId': 'u_bob'}, {'userId': 'u_dan'}]

    with pytest.raises(ApiException) as caught:   # the same stale precondition again
        sdk.groups.update_group('grp_ops', group, expected_last_modified_time=group.last_updated.isoformat())
    assert caught.value.status == 412
    with pytest.raises(ApiException) as caught:
        sdk.groups.create_group(Group(groupId='grp_ops', name='Again', users=[], admins=[]))
    assert caught.value.status == 409

    assert sdk.groups.delete_group('grp_ops') is None
    with pytest.raises(NotFoundException):
        sdk.groups.get_group('grp_ops')
    assert statuses(emu, 'PUT') == [200, 412] and statuses(emu, 'DELETE') == [204]
    assert 'grp_ops' not in emu.dump()['groups']


def test_a_group_id_chosen_by_the_client_must_begin_with_grp(emu, sdk):
    # the SDK's Group.groupId: "can be specified on record creation. Must begin with grp_."
    with pytest.raises(ApiException) as caught:
        sdk.groups.create_group(Group(groupId='ops', name='Ops', users=[], admins=[]))
    assert caught.value.status == 400 and emu.dump()['groups'] == {}
    chosen = sdk.groups.create_group(Group(groupId='grp_0123abcd', name='Ops', users=[], admins=[]))
    assert chosen.group_id == 'grp_0123abcd' and list(emu.dump()['groups']) == ['grp_0123abcd']


def test_a_concurrent_writer_makes_the_next_update_stale(emu, sdk):
    emu.seed({'groups': [{'groupId': 'grp_c', 'name': 'C', 'users': [], 'admins': []}],
              'settings': {'bump_after_read': {'groups/grp_c': 1}}})
    group = sdk.groups.get_group('grp_c')
    with pytest.raises(ApiException) as caught:
        sdk.groups.update_group('grp_c', group, expected_last_modified_time=group.last_updated.isoformat())
    assert caught.value.status == 412
    fresh = sdk.groups.get_group('grp_c')
    assert sdk.groups.update_group('grp_c', fresh, expected_last_modified_time=fresh.last_updated.isoformat())


# ---- access records ----------------------------------------------------------------------------

def record(record_id, users=(), groups=(), roles=('ro_viewer',), resources=('/projects/*',)):
    return AccessRecord(recordId=record_id, name='Record %s' % record_id,
                        users=[User(userId=u) for u in users], groups=[LinkedGroup(groupId=g) for g in groups],
                        statements=[Statement(roles=list(roles),
                                              resources=[Resource(resourceUri=r) for r in resources])])


def test_records_create_list_update_delete(emu, sdk):
    created = sdk.access_records.create_record(record('rec_a', users=['u_bob'], groups=['grp_ops']))
    assert isinstance(created, AccessRecord) and created.status == 'ACTIVE'
    assert created.account.account_id == ACCOUNT and created.last_updated is not None
    for name in ('rec_b', 'rec_c'):
        sdk.access_records.create_record(record(name, users=['u_carol']))

    first = sdk.access_records.get_records(limit=20)
    assert [r.record_id for r in first.records] == ['rec_a', 'rec_b']
    rest = sdk.access_records.get_records(cursor=first.pagination.next.cursor)
    assert [r.record_id for r in rest.records] == ['rec_c'] and rest.pagination.next is None
    assert all(r['query']['status'] == 'ACTIVE' for r in emu.requests('GET', '/v1/records$'))

    current = sdk.access_records.get_record('rec_a')
    changed = record('rec_a', users=['u_bob', 'u_dan'], roles=['ro_viewer', 'ro_editor'])
    assert sdk.access_records.update_record('rec_a', changed,
                                            expected_last_modified_time=current.last_updated.isoformat()) is None
    stored = emu.dump()['records']['rec_a']
    assert stored['users'] == [{'userId': 'u_bob'}, {'userId': 'u_dan'}]
    assert stored['statements'][0]['roles'] == ['ro_viewer', 'ro_editor']
    with pytest.raises(ApiException) as caught:
        sdk.access_records.update_record('rec_a', changed, expected_last_modified_time=current.last_updated.isoformat())
    assert caught.value.status == 412
    with pytest.raises(ApiException) as caught:
        sdk.access_records.create_record(record('rec_a'))
    assert caught.value.status == 409

    assert sdk.access_records.delete_record('rec_b') is None
    assert [r.record_id for r in sdk.access_records.get_records().records] == ['rec_a', 'rec_c']
    assert sdk.access_records.get_record('rec_b').status == 'DELETED'
    assert statuses(emu, 'PUT') == [202, 412] and statuses(emu, 'DELETE') == [204]
    assert statuses(emu, 'POST') == [201, 201, 201, 409]


def test_record_limits_are_refused(emu, sdk):
    # the SDK models' bounds: record users <= 1000 and groups <= 100; a statement's roles and
    # resources <= 100 each, its groups <= 10; a resourceUri <= 512 characters
    # (the SDK itself refuses a model over its bounds: the over-wide statement below is grown after
    # validation, as a client not checking them would send it)
    wide = AccessRecord(recordId='rec_wide', name='wide', statements=[Statement(
        roles=['ro_viewer'], resources=[Resource(resourceUri='/p/%d' % i) for i in range(100)],
        groups=[LinkedGroup(groupId='grp_%d' % i) for i in range(10)])])
    assert sdk.access_records.create_record(wide).record_id == 'rec_wide'
    emu.seed({})
    too_wide = wide.copy(update={'record_id': 'rec_wider'})
    too_wide.statements[0].groups.append(LinkedGroup(groupId='grp_10'))
    with pytest.raises(ApiException) as caught:
        sdk.access_records.create_record(too_wide)
    assert caught.value.status == 400 and sorted(emu.dump()['records']) == ['rec_wide']


def test_record_users_at_both_levels_is_a_bad_request(emu, sdk):
    both = record('rec_x', users=['u_bob'])
    both.statements[0].users = [User(userId='u_carol')]
    with pytest.raises(ApiException) as caught:
        sdk.access_records.create_record(both)
    assert caught.value.status == 400 and emu.dump()['records'] == {}


# ---- roles -------------------------------------------------------------------------------------

def test_roles(emu, sdk):
    viewer = Role(roleId='ro_viewer', name='Viewer',
                  permissions=[PermissionObject(action='documents:read', allow=True, grant=False, delegate=False)])
    assert sdk.roles.create_role(viewer).role_id == 'ro_viewer'
    sdk.roles.create_role(Role(roleId='ro_editor', name='Editor', permissions=[]))
    sdk.roles.create_role(Role(roleId='ro_owner', name='Owner', permissions=[]))
    first = sdk.roles.get_roles()
    rest = sdk.roles.get_roles(cursor=first.pagination.next.cursor)
    assert [r.role_id for r in first.roles + rest.roles] == ['ro_editor', 'ro_owner', 'ro_viewer']
    got = sdk.roles.get_role('ro_viewer')
    assert got.permissions[0].action == 'documents:read' and got.permissions[0].allow is True
    got.description = 'reads documents'
    assert sdk.roles.update_role('ro_viewer', got).description == 'reads documents'
    with pytest.raises(ApiException) as caught:
        sdk.roles.create_role(viewer)
    assert caught.value.status == 409
    sdk.roles.delete_role('ro_owner')
    with pytest.raises(NotFoundException):
        sdk.roles.get_role('ro_owner')
    assert sorted(emu.dump()['roles']) == ['ro_editor', 'ro_viewer']


# ---- tenants -----------------------------------------------------------------------------------

def test_tenants(emu, sdk):
    emu.seed({'connections': [{'connectionId': 'con_okta', 'type': 'OAUTH2'}], 'users': [{'userId': 'u_bob'}]})
    created = sdk.tenants.create_tenant(Tenant(tenantId='ten_acme', tenantLookupIdentifier='acme',
                                               data=TenantData(name='Acme'),
                                               domains=[TenantDomain(domain='acme.example')],
                                               connection=TenantConnection(connectionId='con_okta')))
    assert isinstance(created, Tenant) and created.created_time is not None
    assert created.domains[0].domain == 'acme.example' and created.connection.connection_id == 'con_okta'
    sdk.tenants.create_tenant(Tenant(tenantId='ten_beta', data=TenantData(name='Beta')))
    listed = sdk.tenants.get_tenants()
    assert [t.tenant_id for t in listed.tenants] == ['ten_acme', 'ten_beta']

    tenant = sdk.tenants.get_tenant('ten_acme')
    tenant.domains.append(TenantDomain(domain='acme.test'))
    tenant.data.name = 'Acme Inc'
    updated = sdk.tenants.update_tenant('ten_acme', tenant)
    assert [d.domain for d in updated.domains] == ['acme.example', 'acme.test']
    assert updated.created_time == created.created_time
    assert emu.dump()['tenants']['ten_acme']['data'] == {'name': 'Acme Inc'}

    sdk.tenants.link_tenant_user('ten_acme', TenantUser(userId='u_bob'))
    assert sdk.tenants.delete_tenant('ten_acme') is None
    with pytest.raises(NotFoundException):
        sdk.tenants.get_tenant('ten_acme')
    state = emu.dump()
    assert sorted(state['tenants']) == ['ten_beta'] and state['user_tenant'] == {}
    assert statuses(emu, 'POST') == [201, 201] and statuses(emu, 'PUT') == [200]
    assert statuses(emu, 'DELETE') == [204] and statuses(emu, 'PATCH') == [204]


def test_every_write_is_logged_as_one(emu, sdk):
    mark = emu.mark()
    sdk.groups.create_group(Group(groupId='grp_w', name='W', users=[], admins=[]))
    sdk.groups.get_group('grp_w')
    assert [(w['method'], w['path']) for w in emu.writes(mark)] == [('POST', '/v1/groups')]
