"""The production shape: Keystone over MariaDB (Debian's mariadb-server, PyMySQL) behind 4 gunicorn
workers, and the batch forms' ``parallel`` writes against it.

- A parallel batch gives the serial run's per-item results, diffs, failures and messages, in the
  same order, and the same server state; each write reaches Keystone exactly once.
- A token that expires in the middle of a batch is renewed once - by one thread for all those a
  401 hit at once - and no write is lost or sent twice (Keystone's access log, read back state).

Session-scoped: ``prod_keystone`` (one MariaDB + Keystone for this file and test_mysql_backend.py,
installed and started by tests/keystone/keystone_server.py, stopped at the end). Marked ``slow``:
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

WORKERS = 4
EXPIRATION = 3     # seconds a token lives in the token test
HOLD = 1.5         # seconds the proxy holds each user create's answer there


@pytest.fixture(scope='session')
def prod_keystone(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp('keystone-prod'))
    env = harness.start(dir=directory, database=harness.MARIADB, workers=WORKERS)
    secret_scan.register(env['password'], 'the production-shaped Keystone admin password')
    env['clouds_yaml'] = directory + '/clouds.yaml'
    yield env
    harness.stop(dir=directory)


@pytest.fixture(scope='module')
def padmin(prod_keystone):
    return Admin(prod_keystone)


@pytest.fixture
def prun(prod_keystone, tmp_path):
    return module_runner(module_environment(prod_keystone['clouds_yaml']),
                         harness.AccessLog(prod_keystone['access_log']), tmp_path)


def test_the_production_shape_is_mariadb_behind_four_workers(prod_keystone):
    assert prod_keystone['workers'] == WORKERS and prod_keystone['database'].startswith('mysql+pymysql://')
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
    items = people(14)
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
    assert fast['msg'].startswith('1 of 17 items failed: name=bad') and 'no-such-group' in fast['msg']
    assert [r['changed'] for r in fast['results']][3:6] == [True, False, False]
    # the same writes, each once: 14 creates, 21 memberships of theirs, keep's update and new group
    assert write_paths(fast, domain['name']) == write_paths(serial, serial_domain['name'])
    assert sum(1 for e in fast.writes if (e.method, e.path, e.status) == ('POST', '/v3/users', 201)) == 14
    puts = [e.path for e in fast.writes if e.method == 'PUT']
    assert len(puts) == 14 + 7 + 1 and len(set(puts)) == len(puts)
    assert all(e.status < 300 for e in fast.writes)
    assert len(fast.entries) == len(serial.entries)  # no read repeated by a thread either
    assert sum(1 for e in fast.entries if e.path == '/v3/auth/tokens') == 1  # one token, shared
    # the server, read back: everybody once, with their e-mail and exactly their groups
    users = dict((u['name'], u) for u in padmin.get('/users', domain_id=domain['id'])['users'])
    assert sorted(users) == sorted(['keep', 'same'] + ['p%02d' % i for i in range(14)])
    assert users['keep']['email'] == 'new@example.com' and users['p07']['email'] == 'p07@example.com'
    assert padmin.password_works(users['p05']['id'], 'Pw-05-secret-x')
    assert members(padmin, groups['staff']['id']) == sorted(['keep'] + ['p%02d' % i for i in range(14)])
    assert members(padmin, groups['research']['id']) == sorted(['keep'] + ['p%02d' % i for i in range(0, 14, 2)])
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
    names = ['m%02d' % i for i in range(16)]
    ids = dict((n, padmin.make_user(n, domain['id'])['id']) for n in names)
    groups = [{'name': 'team-%d' % g, 'users': names[g * 4:g * 4 + 8]} for g in range(3)]

    made = prun('identity_group', domain=domain['name'], groups=groups, parallel=4, _diff=True)
    assert made['changed'] is True and not made.get('failed'), made.result
    assert [r['item']['name'] for r in made['results']] == ['team-0', 'team-1', 'team-2']
    assert [sorted(m['name'] for m in r['members']) for r in made['results']] == [sorted(g['users']) for g in groups]
    for group in groups:
        found = padmin.get('/groups', name=group['name'], domain_id=domain['id'])['groups']
        assert len(found) == 1 and members(padmin, found[0]['id']) == sorted(group['users'])
    puts = [e.path for e in made.writes if e.method == 'PUT']
    assert len(puts) == 24 and len(set(puts)) == 24

    wanted = [{'user': n, 'role': 'admin', 'project': p} for n in names for p in ('proj', 'proj-2')]
    granted = prun('identity_role_assignment', user_domain=domain['name'], assignments=[
        dict(a, project_domain=domain['name']) for a in wanted], parallel=8, _diff=True)
    assert granted['changed'] is True and not granted.get('failed'), granted.result
    assert [r['changed'] for r in granted['results']] == [True] * 32
    grants = [e.path for e in granted.writes]
    assert len(grants) == 32 and len(set(grants)) == 32 and all(e.status == 204 for e in granted.writes)
    held = padmin.get('/role_assignments', **{'scope.project.id': project['id']})['role_assignments']
    held += padmin.get('/role_assignments', **{'scope.project.id': other['id']})['role_assignments']
    assert sorted(a['user']['id'] for a in held) == sorted(list(ids.values()) * 2)

    again = prun('identity_role_assignment', user_domain=domain['name'], assignments=[
        dict(a, project_domain=domain['name']) for a in wanted], parallel=8)
    assert again['changed'] is False and again.writes == []

    gone = prun('identity_role_assignment', user_domain=domain['name'], purge=True,
                assignments=[{'user': n} for n in names], parallel=8, _diff=True)
    assert gone['changed'] is True and len(gone['purged']) == 32 and len(gone['diff']['before']) == 32
    revokes = [e.path for e in gone.writes]
    assert len(revokes) == 32 and set(revokes) == set(grants) and all(e.method == 'DELETE' for e in gone.writes)
    for scope in (project, other):
        assert padmin.get('/role_assignments', **{'scope.project.id': scope['id']})['role_assignments'] == []


# ---- a token expiring mid-batch ---------------------------------------------------------------
@pytest.fixture
def short_tokens(prod_keystone):
    """The production Keystone restarted with tokens that live EXPIRATION seconds (and back)."""
    conf = prod_keystone['dir'] + '/keystone.conf'
    original = open(conf).read()
    shortened = original.replace('[token]\nprovider = fernet\n', '[token]\nprovider = fernet\nexpiration = %d\n' % EXPIRATION)
    assert shortened != original
    open(conf, 'w').write(shortened)
    harness.restart(dir=prod_keystone['dir'])
    try:
        yield prod_keystone
    finally:
        open(conf, 'w').write(original)
        harness.restart(dir=prod_keystone['dir'])


def test_a_token_expiring_mid_batch_is_renewed_once_no_write_lost_or_repeated(short_tokens, tmp_path, uniq):
    keystone = short_tokens
    log = harness.AccessLog(keystone['access_log'])
    with fp.FaultProxy(keystone['auth_url'], lifetime=300) as proxy:
        proxy.fault('POST', r'^/v3/users$', fp.slow_answer(HOLD), count=None)  # every create held
        clouds = proxied_clouds_yaml(keystone, proxy.url, tmp_path / 'clouds.yaml')
        run = module_runner(module_environment(clouds), log, tmp_path)
        outcomes = {}
        for label, count, workers in (('serial', 5, 1), ('parallel', 16, 4)):
            admin = Admin(keystone)  # tokens live seconds here: a fresh admin token for each step
            domain = admin.make_domain('tok-%s-%s' % (label, uniq))
            group = admin.post('/groups', {'group': {'name': 'staff', 'domain_id': domain['id']}})['group']
            items = [{'name': '%s-%02d' % (label, i), 'email': '%02d@example.com' % i} for i in range(count)]
            started = time.monotonic()
            result = run('identity_user', domain=domain['name'], users=items, groups=['staff'],
                         parallel=workers, _timeout=180)
            seconds = time.monotonic() - started
            outcomes[label] = (result, seconds)
            assert result['changed'] is True and not result.get('failed'), result.result
            assert [r['changed'] for r in result['results']] == [True] * count
            entries = result.entries
            tokens = [e for e in entries if (e.method, e.path) == ('POST', '/v3/auth/tokens')]
            refused = [e for e in entries if e.status == 401]
            creates = [e for e in entries if (e.method, e.path) == ('POST', '/v3/users')]
            # the token expired during the run, and every request refused with it was sent again
            assert refused, 'the run ended before its token expired (%.1f s)' % seconds
            assert all(e.method != 'POST' or e.path != '/v3/auth/tokens' for e in refused)
            assert sum(1 for e in creates if e.status == 201) == count          # no create lost nor doubled
            assert len(creates) == count + sum(1 for e in refused if e.path == '/v3/users')
            puts = [e.path for e in entries if e.method == 'PUT' and e.status == 204]
            assert len(puts) == count and len(set(puts)) == count               # each membership once
            # renewed once per expiry, by one thread: never once per thread refused at once
            lifetimes = int(seconds // EXPIRATION) + 1
            assert 2 <= len(tokens) <= lifetimes + 1, (len(tokens), seconds)
            if workers > 1:
                assert len(tokens) - 1 < len(refused), 'expected several threads refused at once'
            admin = Admin(keystone)
            users = admin.get('/users', domain_id=domain['id'])['users']
            assert sorted(u['name'] for u in users) == [i['name'] for i in items]
            assert members(admin, group['id']) == [i['name'] for i in items]
    serial, parallel = outcomes['serial'], outcomes['parallel']
    print('token test: serial %d users %.1f s, parallel %d users %.1f s' % (
        len(serial[0]['results']), serial[1], len(parallel[0]['results']), parallel[1]))
