"""The production shape: Keystone over MariaDB (Debian's mariadb-server, PyMySQL) behind 4 gunicorn
workers, and the batch forms' ``parallel`` writes against it.

- A parallel batch gives the serial run's per-item results, diffs, failures and messages, in the
  same order, and the same server state; each write reaches Keystone exactly once.
- A token that expires in the middle of a batch is renewed once - by one thread for all those a
  401 hit at once - and no write is lost or sent twice (Keystone's access log, read back state).

Session-scoped: ``prod_keystone`` of conftest.py (one MariaDB + memcached + Keystone for this file
and test_mysql_backend.py, installed and started by tests/keystone/keystone_server.py, stopped at
the end). Marked ``slow``:
part of the test command, deselect with ``-m 'not slow'``.
"""

import collections
import re
import subprocess
import time

import pytest

import fault_proxy as fp
import secret_scan
from conftest import Admin, harness, module_environment, module_runner
from test_faults import proxied_clouds_yaml

pytestmark = pytest.mark.slow

WORKERS = 4  # conftest.PROD_WORKERS
EXPIRATION = 4     # seconds a token lives in the token test
HOLD = 2.0         # seconds the proxy holds each user create's answer there


@pytest.fixture(scope='module')
def padmin(prod_keystone):
    return Admin(prod_keystone)


@pytest.fixture
def prun(prod_keystone, tmp_path):
    return module_runner(module_environment(prod_keystone['clouds_yaml']),
                         harness.AccessLog(prod_keystone['access_log']), tmp_path)


def test_the_production_shape_is_mariadb_behind_four_workers(prod_keystone):
    assert prod_keystone['workers'] == WORKERS and prod_keystone['database'].startswith('mysql+pymysql://')
    assert prod_keystone['cache'].startswith('127.0.0.1:')  # the workers share one memcached
    conf = open(prod_keystone['dir'] + '/keystone.conf').read()
    assert 'backend = dogpile.cache.pymemcache\nmemcache_servers = %s' % prod_keystone['cache'] in conf
    workers = [line for line in open(prod_keystone['dir'] + '/gunicorn-error.log') if 'Booting worker' in line]
    assert len(workers) >= WORKERS
    tables = subprocess.run(harness.mariadb_command(prod_keystone['dir']) + ['-N', '-e', 'SHOW TABLES'],
                            capture_output=True, text=True, check=True).stdout.split()
    assert 'user' in tables and 'assignment' in tables


# ---- helpers --------------------------------------------------------------------------------
def masked(value, domain_name):
    """VALUE with every ID (32 hex) masked and the run's domain name replaced: what must be equal
    between the serial and the parallel run, which work in two domains."""
    if isinstance(value, dict):
        return dict((k, masked(v, domain_name)) for k, v in value.items())
    if isinstance(value, list):
        return [masked(v, domain_name) for v in value]
    if isinstance(value, str):
        return re.sub(r'\b[0-9a-f]{32}\b', '<id>', value.replace(domain_name, '<domain>'))
    return value


def seed_domain(admin, name):
    domain = admin.make_domain(name)
    groups = dict((g, admin.post('/groups', {'group': {'name': g, 'domain_id': domain['id']}})['group'])
                  for g in ('staff', 'research'))
    keep = admin.make_user('keep', domain['id'], email='old@example.com')
    admin.make_user('same', domain['id'], email='same@example.com')
    admin.put('/groups/%s/users/%s' % (groups['staff']['id'], keep['id']))
    return domain, groups


def people(count):
    items = [{'name': 'p%02d' % i, 'email': 'p%02d@example.com' % i, 'password': 'Pw-%02d-secret-x' % i,
              'groups': ['staff'] if i % 2 else ['staff', 'research']} for i in range(count)]
    items[3:3] = [{'name': 'keep', 'email': 'new@example.com', 'groups': ['research']},
                  {'name': 'same', 'email': 'same@example.com'},
                  {'name': 'bad', 'groups': ['no-such-group']}]
    return items


def write_paths(run, domain_name):
    return collections.Counter((e.method, masked(e.path, domain_name), e.status) for e in run.writes)


def members(admin, group_id):
    return sorted(u['name'] for u in admin.get('/groups/%s/users' % group_id)['users'])


# ---- parallel = serial ------------------------------------------------------------------------
def test_parallel_user_batch_is_the_serial_run_done_at_once(prun, padmin, uniq):
    serial_domain, serial_groups = seed_domain(padmin, 'ser-' + uniq)
    domain, groups = seed_domain(padmin, 'par-' + uniq)
    items = people(8)
    for item in items:
        if item.get('password'):
            secret_scan.register(item['password'], 'a test user password')

    serial = prun('identity_user', domain=serial_domain['name'], users=items, parallel=1, _diff=True)
    started = time.monotonic()
    fast = prun('identity_user', domain=domain['name'], users=items, parallel=8, _diff=True)
    wall = time.monotonic() - started

    # the same outcome, item by item, in the same order: results, diffs, the failure and its message
    assert serial['failed'] is True and fast['failed'] is True
    assert [r['item']['name'] for r in fast['results']] == [i['name'] for i in items]
    assert masked(fast['results'], domain['name']) == masked(serial['results'], serial_domain['name'])
    assert masked(fast['diff'], domain['name']) == masked(serial['diff'], serial_domain['name'])
    assert masked(fast['msg'], domain['name']) == masked(serial['msg'], serial_domain['name'])
    assert fast['msg'].startswith('1 of 11 items failed: name=bad') and 'no-such-group' in fast['msg']
    assert [r['changed'] for r in fast['results']][3:6] == [True, False, False]
    # the same writes, each once: 8 creates, 12 memberships of theirs, keep's update and new group
    assert write_paths(fast, domain['name']) == write_paths(serial, serial_domain['name'])
    assert sum(1 for e in fast.writes if (e.method, e.path, e.status) == ('POST', '/v3/users', 201)) == 8
    puts = [e.path for e in fast.writes if e.method == 'PUT']
    assert len(puts) == 8 + 4 + 1 and len(set(puts)) == len(puts)
    assert all(e.status < 300 for e in fast.writes)
    assert len(fast.entries) == len(serial.entries)  # no read repeated by a thread either
    assert sum(1 for e in fast.entries if e.path == '/v3/auth/tokens') == 1  # one token, shared
    # the server, read back: everybody once, with their e-mail and exactly their groups
    users = dict((u['name'], u) for u in padmin.get('/users', domain_id=domain['id'])['users'])
    assert sorted(users) == sorted(['keep', 'same'] + ['p%02d' % i for i in range(8)])
    assert users['keep']['email'] == 'new@example.com' and users['p07']['email'] == 'p07@example.com'
    assert padmin.password_works(users['p05']['id'], 'Pw-05-secret-x')
    assert members(padmin, groups['staff']['id']) == sorted(['keep'] + ['p%02d' % i for i in range(8)])
    assert members(padmin, groups['research']['id']) == sorted(['keep'] + ['p%02d' % i for i in range(0, 8, 2)])
    print('serial batch %d writes, parallel=8 batch %.2f s' % (len(serial.writes), wall))

    good = [i for i in items if i['name'] != 'bad']
    check = prun('identity_user', domain=domain['name'], users=good, parallel=8, _check=True)
    rerun = prun('identity_user', domain=domain['name'], users=good, parallel=8)
    assert check.writes == [] and check['changed'] is False
    assert rerun.writes == [] and rerun['changed'] is False and not rerun.get('failed')


def test_parallel_groups_and_role_assignments_on_and_offboarding(prun, padmin, uniq):
    domain = padmin.make_domain('team-' + uniq)
    project = padmin.make_project('proj', domain['id'])
    other = padmin.make_project('proj-2', domain['id'])
    names = ['m%02d' % i for i in range(8)]
    ids = dict((n, padmin.make_user(n, domain['id'])['id']) for n in names)
    groups = [{'name': 'team-%d' % g, 'users': names[g * 2:g * 2 + 4]} for g in range(3)]

    made = prun('identity_group', domain=domain['name'], groups=groups, parallel=4, _diff=True)
    assert made['changed'] is True and not made.get('failed'), made.result
    assert [r['item']['name'] for r in made['results']] == ['team-0', 'team-1', 'team-2']
    assert [sorted(m['name'] for m in r['members']) for r in made['results']] == [sorted(g['users']) for g in groups]
    for group in groups:
        found = padmin.get('/groups', name=group['name'], domain_id=domain['id'])['groups']
        assert len(found) == 1 and members(padmin, found[0]['id']) == sorted(group['users'])
    puts = [e.path for e in made.writes if e.method == 'PUT']
    assert len(puts) == 12 and len(set(puts)) == 12

    wanted = [{'user': n, 'role': 'admin', 'project': p} for n in names for p in ('proj', 'proj-2')]
    granted = prun('identity_role_assignment', user_domain=domain['name'], assignments=[
        dict(a, project_domain=domain['name']) for a in wanted], parallel=8, _diff=True)
    assert granted['changed'] is True and not granted.get('failed'), granted.result
    assert [r['changed'] for r in granted['results']] == [True] * 16
    grants = [e.path for e in granted.writes]
    assert len(grants) == 16 and len(set(grants)) == 16 and all(e.status == 204 for e in granted.writes)
    held = padmin.get('/role_assignments', **{'scope.project.id': project['id']})['role_assignments']
    held += padmin.get('/role_assignments', **{'scope.project.id': other['id']})['role_assignments']
    assert sorted(a['user']['id'] for a in held) == sorted(list(ids.values()) * 2)

    again = prun('identity_role_assignment', user_domain=domain['name'], assignments=[
        dict(a, project_domain=domain['name']) for a in wanted], parallel=8)
    assert again['changed'] is False and again.writes == []

    gone = prun('identity_role_assignment', user_domain=domain['name'], purge=True,
                assignments=[{'user': n} for n in names], parallel=8, _diff=True)
    revoked = [line for line in gone['diff']['prepared'].splitlines() if line.startswith('- ')]
    assert gone['changed'] is True and len(gone['purged']) == 16 and len(revoked) == 16
    revokes = [e.path for e in gone.writes]
    assert len(revokes) == 16 and set(revokes) == set(grants) and all(e.method == 'DELETE' for e in gone.writes)
    for scope in (project, other):
        assert padmin.get('/role_assignments', **{'scope.project.id': scope['id']})['role_assignments'] == []


# ---- a token expiring mid-batch ---------------------------------------------------------------
def short_tokens(keystone, seconds):
    """Restart the production Keystone with tokens that live SECONDS (None: the default again)."""
    conf = keystone['dir'] + '/keystone.conf'
    text = re.sub(r'\[token\]\nprovider = fernet\n(expiration = \d+\n)?', '[token]\nprovider = fernet\n%s' % (
        'expiration = %d\n' % seconds if seconds else ''), open(conf).read())
    open(conf, 'w').write(text)
    harness.restart(dir=keystone['dir'])


def test_a_token_expiring_mid_batch_is_renewed_once_no_write_lost_or_repeated(prod_keystone, padmin, tmp_path, uniq):
    keystone = prod_keystone
    log = harness.AccessLog(keystone['access_log'])
    runs = (('serial', 4, 1), ('parallel', 12, 4))
    seeded = {}
    for label, count, _workers in runs:  # seeded with normal tokens: the admin's lives an hour
        domain = padmin.make_domain('tok-%s-%s' % (label, uniq))
        group = padmin.post('/groups', {'group': {'name': 'staff', 'domain_id': domain['id']}})['group']
        seeded[label] = (domain, group)
    outcomes = {}
    short_tokens(keystone, EXPIRATION)
    try:
        with fp.FaultProxy(keystone['auth_url'], lifetime=300) as proxy:
            proxy.fault('POST', r'^/v3/users$', fp.slow_answer(HOLD), count=None)  # every create held
            clouds = proxied_clouds_yaml(keystone, proxy.url, tmp_path / 'clouds.yaml')
            run = module_runner(module_environment(clouds), log, tmp_path)
            for label, count, workers in runs:
                items = [{'name': '%s-%02d' % (label, i), 'email': '%02d@example.com' % i} for i in range(count)]
                started = time.monotonic()
                result = run('identity_user', domain=seeded[label][0]['name'], users=items, groups=['staff'],
                             parallel=workers, _timeout=240)
                outcomes[label] = (items, result, time.monotonic() - started)
    finally:
        short_tokens(keystone, None)
    admin = Admin(keystone)
    for label, count, workers in runs:
        items, result, seconds = outcomes[label]
        domain, group = seeded[label]
        assert result['changed'] is True and not result.get('failed'), result.result
        assert [r['changed'] for r in result['results']] == [True] * count
        entries = result.entries
        tokens = [e for e in entries if (e.method, e.path) == ('POST', '/v3/auth/tokens')]
        refused = [e for e in entries if e.status == 401]
        creates = [e for e in entries if (e.method, e.path) == ('POST', '/v3/users')]
        # the token expired during the run, and every request refused with it was sent again
        assert refused, 'the %s run ended before its token expired (%.1f s)' % (label, seconds)
        assert sum(1 for e in creates if e.status == 201) == count          # no create lost nor doubled
        assert len(creates) == count + sum(1 for e in refused if e.path == '/v3/users')
        puts = [e.path for e in entries if e.method == 'PUT' and e.status == 204]
        assert len(puts) == count and len(set(puts)) == count               # each membership once
        # renewed once per expiry, by one thread: never once per thread refused at once
        lifetimes = int(seconds // EXPIRATION) + 1
        assert 2 <= len(tokens) <= lifetimes + 1, (label, len(tokens), seconds)
        assert len(tokens) - 1 <= len(refused)  # a renewal only after a refusal, never one per thread
        # (that several threads refused at once renew once is proven deterministically by
        # tests/unit/plugins/module_utils/test_parallel.py: here it depends on the timing)
        users = admin.get('/users', domain_id=domain['id'])['users']
        assert sorted(u['name'] for u in users) == [i['name'] for i in items]
        assert members(admin, group['id']) == [i['name'] for i in items]
        print('token test, %s: %d users in %.1f s, %d tokens, %d requests refused 401' % (
            label, count, seconds, len(tokens), len(refused)))
