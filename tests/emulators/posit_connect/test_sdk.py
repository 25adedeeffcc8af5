"""posit-sdk 0.17.0 drives every users, groups and lock call it has against the emulator.

Each test asserts on what the SDK returns (its ``User``/``Group`` dicts, its paging, its
``ClientError``) and, independently, on the emulator's state (``dump``) and request log.
"""

import hashlib
import uuid

import pytest
import requests
from posit.connect import Client
from posit.connect.errors import ClientError

from .server import PositConnectEmulator

KEY = 'connect-admin-key'


@pytest.fixture(scope='module')
def server():
    with PositConnectEmulator(api_key=KEY, page_size_cap=2) as emulator:
        yield emulator


@pytest.fixture
def emu(server):
    server.reset()
    return server


@pytest.fixture
def client(emu):
    return Client(url=emu.url, api_key=KEY)


def state_user(emu, username):
    return next((u for u in emu.dump()['users'] if u['username'] == username), None)


def state_group(emu, name):
    return next((g for g in emu.dump()['groups'] if g['name'] == name), None)


def seed_people(emu, *names, **common):
    users = [dict(common, username=n, email='%s@example.com' % n, first_name=n.capitalize(), last_name='Test')
             for n in names]
    return emu.seed({'users': users})['users']


# ---- server settings, the caller, authentication ---------------------------------------------------
def test_version_comes_from_unauthenticated_server_settings(emu):
    mark = emu.mark()
    assert Client(url=emu.url, api_key='not-a-key').version == '2025.09.0'
    assert [(r['method'], r['path'], r['status']) for r in emu.entries(mark)] == [
        ('GET', '/__api__/server_settings', 200)]


def test_environment_fallbacks_and_me(emu, monkeypatch):
    monkeypatch.setenv('CONNECT_SERVER', emu.url)
    monkeypatch.setenv('CONNECT_API_KEY', KEY)
    mark = emu.mark()
    me = Client().me
    assert me['username'] == 'admin' and me['user_role'] == 'administrator'
    assert me['guid'] == emu.admin['guid']
    assert [r['path'] for r in emu.entries(mark)] == ['/__api__/v1/user']


def test_bad_key_is_connect_401(emu):
    stranger = Client(url=emu.url, api_key='wrong-key')   # the SDK holds its client weakly: keep it
    with pytest.raises(ClientError) as caught:
        stranger.users.find()
    assert caught.value.http_status == 401
    assert caught.value.error_code == 30
    assert caught.value.http_message == 'Unauthorized'
    missing = requests.get(emu.url + '/__api__/v1/users', timeout=5)
    assert missing.status_code == 401
    assert missing.json() == {'code': 24, 'error': 'The requested operation requires authentication.',
                              'payload': None}


def test_unknown_endpoint_and_missing_object(client, emu):
    answer = requests.get(emu.url + '/__api__/v1/nothing', headers={'Authorization': 'Key ' + KEY}, timeout=5)
    assert answer.status_code == 404 and answer.json()['code'] == 2
    with pytest.raises(ClientError) as caught:
        client.users.get(str(uuid.uuid4()))
    assert (caught.value.http_status, caught.value.error_code) == (404, 4)
    assert caught.value.error_message == 'The requested object does not exist.'


# ---- users ----------------------------------------------------------------------------------------
def test_create_with_password_or_user_must_set_password(client, emu):
    mark = emu.mark()
    jdoe = client.users.create(username='jdoe', email='jdoe@example.com', first_name='John', last_name='Doe',
                               password='s3cur3p@ssword', user_role='viewer')
    asmith = client.users.create(username='asmith', email='asmith@example.com', user_must_set_password=True,
                                 user_role='publisher')
    assert jdoe['username'] == 'jdoe' and jdoe['user_role'] == 'viewer' and jdoe['locked'] is False
    assert uuid.UUID(jdoe['guid']) and jdoe['created_time'].endswith('Z')
    assert asmith['user_role'] == 'publisher'
    stored = state_user(emu, 'jdoe')
    assert stored['password_sha256'] == hashlib.sha256(b's3cur3p@ssword').hexdigest()
    assert stored['confirmed'] is True and stored['first_name'] == 'John'
    assert state_user(emu, 'asmith')['password_sha256'] is None
    assert state_user(emu, 'asmith')['confirmed'] is False
    assert [(r['method'], r['path'], r['status']) for r in emu.writes(mark)] == [
        ('POST', '/__api__/v1/users', 200), ('POST', '/__api__/v1/users', 200)]


def test_create_refuses_password_with_user_must_set_password_and_duplicates(client, emu):
    with pytest.raises(ClientError) as caught:
        client.users.create(username='both', email='b@example.com', password='s3cur3p@ss', user_must_set_password=True)
    assert (caught.value.http_status, caught.value.error_code) == (400, 25)
    assert state_user(emu, 'both') is None
    client.users.create(username='dup', email='d@example.com', user_must_set_password=True)
    with pytest.raises(ClientError) as caught:
        client.users.create(username='dup', email='d2@example.com', user_must_set_password=True)
    assert (caught.value.http_status, caught.value.error_code) == (409, 8)
    with pytest.raises(ClientError) as caught:
        client.users.create(username='norole', email='n@example.com', user_role='owner')
    assert (caught.value.http_status, caught.value.error_code) == (400, 112)


def test_find_iterates_every_page_and_count_reads_total(client, emu):
    seed_people(emu, 'ann', 'bob', 'cat', 'dan', 'eve')
    mark = emu.mark()
    users = client.users.find()
    assert sorted(u['username'] for u in users) == ['admin', 'ann', 'bob', 'cat', 'dan', 'eve']
    pages = emu.entries(mark)
    assert [(r['query']['page_number'], r['query']['page_size']) for r in pages] == [
        ('1', '500'), ('2', '500'), ('3', '500')]
    mark = emu.mark()
    assert client.users.count() == 6
    assert [r['query'] for r in emu.entries(mark)] == [{'page_size': '1'}]


def test_find_filters_or_and_prefix(client, emu):
    recent = '2026-01-01T00:00:00Z'
    emu.seed({'users': [
        {'username': 'v1', 'first_name': 'Vera', 'user_role': 'viewer', 'email': 'v1@x'},
        {'username': 'p1', 'first_name': 'Paul', 'user_role': 'publisher', 'email': 'p1@x', 'active_time': recent},
        {'username': 'p2', 'first_name': 'Pia', 'user_role': 'publisher', 'email': 'p2@x', 'locked': True},
    ]})
    emu.settings['active_days'] = 100000   # "recently active" covers the seeded active_time
    by_role = client.users.find(user_role='viewer|publisher')
    assert sorted(u['username'] for u in by_role) == ['p1', 'p2', 'v1']
    assert [u['username'] for u in client.users.find(user_role='administrator')] == ['admin']
    # admin's own requests make it active: licensed
    status = client.users.find(account_status='locked|licensed')
    assert sorted(u['username'] for u in status) == ['admin', 'p1', 'p2']
    assert [u['username'] for u in client.users.find(account_status='inactive')] == ['v1']
    assert [u['username'] for u in client.users.find(prefix='PA')] == ['p1']
    assert client.users.find_one(prefix='pi')['username'] == 'p2'
    assert client.users.find_one(prefix='zzz') is None
    with pytest.raises(ClientError) as caught:
        client.users.find(account_status='gone')
    assert (caught.value.http_status, caught.value.error_code) == (400, 115)


def test_get_and_update_merge_the_editable_user(client, emu):
    guid = seed_people(emu, 'jane')['jane']
    user = client.users.get(guid)
    assert user['username'] == 'jane' and user['email'] == 'jane@example.com'
    mark = emu.mark()
    user.update(email='jane@new.example', user_role='publisher', first_name='Janet')
    assert user['email'] == 'jane@new.example' and user['user_role'] == 'publisher'
    assert user['first_name'] == 'Janet' and user['updated_time'].endswith('Z')
    stored = state_user(emu, 'jane')
    assert (stored['email'], stored['user_role'], stored['first_name']) == ('jane@new.example', 'publisher', 'Janet')
    assert [(r['method'], r['path']) for r in emu.writes(mark)] == [('PUT', '/__api__/v1/users/' + guid)]


def test_username_change_keeps_guid_and_a_taken_username_is_409(client, emu):
    """``User.update(username=...)``: one PUT, same guid, groups kept; another user's username is
    Connect's error 8 (409); usernames are case-sensitive, so a case variant is free."""
    guids = seed_people(emu, 'jane', 'bob')
    group = client.groups.create(name='Ops')
    group.members.add(user_guid=guids['jane'])
    user = client.users.get(guids['jane'])
    mark = emu.mark()
    user.update(username='jane.doe')
    assert user['username'] == 'jane.doe' and user['guid'] == guids['jane']
    assert state_user(emu, 'jane.doe')['guid'] == guids['jane'] and state_user(emu, 'jane') is None
    assert [m['guid'] for m in group.members.find()] == [guids['jane']]
    assert [(r['method'], r['path']) for r in emu.writes(mark)] == [('PUT', '/__api__/v1/users/' + guids['jane'])]
    with pytest.raises(ClientError) as caught:
        user.update(username='bob')
    assert (caught.value.http_status, caught.value.error_code) == (409, 8)
    assert state_user(emu, 'jane.doe') is not None
    user.update(username='Bob')
    assert state_user(emu, 'Bob')['guid'] == guids['jane'] and state_user(emu, 'bob')['guid'] == guids['bob']


def test_the_only_administrator_cannot_be_demoted(client, emu):
    with pytest.raises(ClientError) as caught:
        client.me.update(user_role='viewer')
    assert (caught.value.http_status, caught.value.error_code) == (400, 61)
    assert state_user(emu, 'admin')['user_role'] == 'administrator'


def test_lock_and_unlock_another_user(client, emu):
    guid = seed_people(emu, 'leaver')['leaver']
    user = client.users.get(guid)
    mark = emu.mark()
    user.lock()
    assert user['locked'] is True and state_user(emu, 'leaver')['locked'] is True
    assert [(r['method'], r['path']) for r in emu.entries(mark)] == [
        ('GET', '/__api__/v1/user'), ('POST', '/__api__/v1/users/%s/lock' % guid)]
    assert [u['username'] for u in client.users.find(account_status='locked')] == ['leaver']
    user.unlock()
    assert user['locked'] is False and state_user(emu, 'leaver')['locked'] is False


def test_locking_yourself_needs_force_and_then_the_key_stops_working(client, emu):
    me = client.me
    mark = emu.mark()
    with pytest.raises(RuntimeError):
        me.lock()
    assert emu.writes(mark) == []
    me.lock(force=True)
    assert state_user(emu, 'admin')['locked'] is True
    with pytest.raises(ClientError) as caught:
        client.users.find()
    assert (caught.value.http_status, caught.value.error_code) == (403, 50)


def test_a_viewer_may_lock_only_itself_and_create_nothing(emu):
    guids = seed_people(emu, 'viewer', 'other', user_role='viewer')
    emu.seed({'users': [{'username': 'keyed', 'email': 'k@x', 'user_role': 'viewer', 'api_key': 'viewer-key'}]})
    viewer = Client(url=emu.url, api_key='viewer-key')
    with pytest.raises(ClientError) as caught:
        viewer.users.create(username='nope', email='n@x', user_must_set_password=True)
    assert (caught.value.http_status, caught.value.error_code) == (403, 22)
    with pytest.raises(ClientError) as caught:
        viewer.users.get(guids['other']).lock()
    assert (caught.value.http_status, caught.value.error_code) == (403, 49)
    with pytest.raises(ClientError) as caught:
        viewer.me.update(user_role='administrator')
    assert (caught.value.http_status, caught.value.error_code) == (403, 23)
    viewer.me.lock(force=True)
    assert state_user(emu, 'keyed')['locked'] is True and state_user(emu, 'other')['locked'] is False


def test_unlock_respects_the_license_limit(client, emu):
    guid = emu.seed({'users': [{'username': 'gone', 'email': 'g@x', 'locked': True}]})['users']['gone']
    emu.settings['user_limit'] = 1   # admin is the one licensed user
    with pytest.raises(ClientError) as caught:
        client.users.get(guid).unlock()
    assert (caught.value.http_status, caught.value.error_code) == (400, 64)
    assert state_user(emu, 'gone')['locked'] is True


# ---- groups and members ---------------------------------------------------------------------------
def test_groups_create_find_get_count_delete(client, emu):
    mark = emu.mark()
    created = [client.groups.create(name=n) for n in ('Data', 'Admins', 'Finance')]
    assert [g['name'] for g in created] == ['Data', 'Admins', 'Finance']
    assert all(g['owner_guid'] == emu.admin['guid'] for g in created)
    assert [r['status'] for r in emu.writes(mark)] == [200, 200, 200]
    mark = emu.mark()
    assert [g['name'] for g in client.groups.find()] == ['Admins', 'Data', 'Finance']
    assert len(emu.entries(mark)) == 2   # two pages of at most two groups
    assert client.groups.find_one(prefix='fin')['name'] == 'Finance'
    assert client.groups.get(created[0]['guid'])['name'] == 'Data'
    assert client.groups.count() == 3
    with pytest.raises(ClientError) as caught:
        client.groups.create(name='Data')
    assert (caught.value.http_status, caught.value.error_code) == (409, 15)
    mark = emu.mark()
    created[0].delete()
    assert [(r['method'], r['status']) for r in emu.writes(mark)] == [('DELETE', 204)]
    assert state_group(emu, 'Data') is None
    with pytest.raises(ClientError) as caught:
        client.groups.get(created[0]['guid'])
    assert (caught.value.http_status, caught.value.error_code) == (404, 4)


def test_group_members_add_find_count_delete(client, emu):
    guids = seed_people(emu, 'ann', 'bob', 'cat')
    group = client.groups.create(name='Team')
    ann = client.users.get(guids['ann'])
    mark = emu.mark()
    group.members.add(ann)
    group.members.add(user_guid=guids['bob'])
    group.members.add(user_guid=guids['cat'])
    assert [(r['method'], r['status']) for r in emu.writes(mark)] == [('POST', 204)] * 3
    assert sorted(state_group(emu, 'Team')['members']) == sorted(guids.values())
    mark = emu.mark()
    assert sorted(u['username'] for u in group.members.find()) == ['ann', 'bob', 'cat']
    assert len(emu.entries(mark)) == 2   # members page too
    assert group.members.count() == 3
    with pytest.raises(ClientError) as caught:
        group.members.add(user_guid=guids['bob'])
    assert (caught.value.http_status, caught.value.error_code) == (409, 16)
    group.members.delete(ann)
    group.members.delete(user_guid=guids['bob'])
    assert state_group(emu, 'Team')['members'] == [guids['cat']]
    with pytest.raises(ClientError) as caught:
        group.members.delete(user_guid=guids['bob'])
    assert caught.value.http_status == 404


def test_user_groups_add_find_delete(client, emu):
    guid = seed_people(emu, 'ann')['ann']
    emu.seed({'groups': [{'name': 'One'}, {'name': 'Two'}]})
    user = client.users.get(guid)
    one = client.groups.find_one(prefix='One')
    user.groups.add(one)
    user.groups.add(state_group(emu, 'Two')['guid'])
    assert sorted(g['name'] for g in user.groups.find()) == ['One', 'Two']
    user.groups.delete(one)
    assert [g['name'] for g in user.groups.find()] == ['Two']
    assert state_group(emu, 'One')['members'] == [] and state_group(emu, 'Two')['members'] == [guid]


# ---- fault knob -----------------------------------------------------------------------------------
def test_seeded_faults_fail_the_next_matching_requests(client, emu):
    emu.seed({'faults': [{'method': 'GET', 'path': '/v1/users$', 'status': 503, 'times': 1, 'retry_after': 0}]})
    with pytest.raises(requests.HTTPError):
        client.users.find()
    assert [u['username'] for u in client.users.find()] == ['admin']
    assert [r['status'] for r in emu.requests(path='/v1/users$')] == [503, 200]
