"""Names compare the way the server compares them, on a Keystone over MariaDB (Debian's
mariadb-server, PyMySQL): MySQL's default collation is case-insensitive, so ``JDoe`` is the user
``jdoe`` - never renamed, never POSTed again (Keystone would refuse the duplicate: 409) - in the
single and batch forms, groups too. A DEDICATED Keystone (its database is MariaDB, not SQLite)."""

import os
import shutil
import socket
import subprocess
import time

import pytest

from conftest import Admin, harness, module_environment, module_runner

BINARIES = ('mariadbd', 'mariadb-install-db', 'mariadb')


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='module')
def mariadb(tmp_path_factory):
    if not all(shutil.which(b) or os.path.exists('/usr/sbin/' + b) for b in BINARIES):
        env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
        install = ['apt-get', 'install', '-y', '-q', 'mariadb-server']
        try:
            if subprocess.run(install, capture_output=True, env=env, timeout=600, check=False).returncode != 0:
                # a new machine's package lists may be stale or empty: update once, then again
                subprocess.run(['apt-get', 'update', '-q'], capture_output=True, env=env, timeout=600, check=False)
                subprocess.run(install, check=True, capture_output=True, env=env, timeout=600)
        except (OSError, subprocess.SubprocessError) as exc:
            pytest.fail('mariadb-server cannot be installed here: %s' % exc)
    server = shutil.which('mariadbd') or '/usr/sbin/mariadbd'
    data = tmp_path_factory.mktemp('mariadb')
    subprocess.run(['mariadb-install-db', '--no-defaults', '--datadir=%s' % (data / 'db'), '--user=root',
                    '--auth-root-authentication-method=normal', '--skip-test-db'],
                   check=True, capture_output=True, timeout=120)
    port = _free_port()
    log = open(data / 'mariadbd.log', 'wb')
    proc = subprocess.Popen([server, '--no-defaults', '--datadir=%s' % (data / 'db'), '--user=root',
                             '--socket=%s' % (data / 'mysqld.sock'), '--port=%d' % port, '--bind-address=127.0.0.1',
                             '--skip-grant-tables', '--skip-log-bin', '--innodb-buffer-pool-size=32M'],
                            stdout=log, stderr=log)
    try:
        started = time.monotonic()
        while subprocess.run(['mariadb', '--no-defaults', '-h127.0.0.1', '-P%d' % port, '-uroot', '-e',
                              'CREATE DATABASE IF NOT EXISTS keystone'], capture_output=True, check=False).returncode != 0:
            if proc.poll() is not None or time.monotonic() - started > 60:
                raise AssertionError('mariadbd did not start: %s' % (data / 'mariadbd.log').read_text()[-2000:])
            time.sleep(0.5)
        yield 'mysql+pymysql://root@127.0.0.1:%d/keystone?charset=utf8' % port
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@pytest.fixture(scope='module')
def mks(tmp_path_factory, mariadb):
    harness.install(with_mysql=True)
    directory = str(tmp_path_factory.mktemp('keystone-mysql'))
    env = harness.start(dir=directory, database=mariadb)
    env['clouds_yaml'] = os.path.join(directory, 'clouds.yaml')
    yield env
    harness.stop(dir=directory)


@pytest.fixture(scope='module')
def madmin(mks):
    return Admin(mks)


@pytest.fixture
def run(mks, tmp_path):
    return module_runner(module_environment(mks['clouds_yaml']), harness.AccessLog(mks['access_log']), tmp_path)


def test_mysql_names_are_case_insensitive_no_rename_no_duplicate(run, madmin):
    jdoe = madmin.make_user('jdoe', email='old@example.com')
    asmith = madmin.make_user('asmith')
    payroll = madmin.post('/groups', {'group': {'name': 'payroll', 'domain_id': 'default'}})['group']
    madmin.put('/groups/%s/users/%s' % (payroll['id'], jdoe['id']))
    # the server itself: a case variant finds the user, and a duplicate create is refused
    assert [u['id'] for u in madmin.get('/users', name='JDoe')['users']] == [jdoe['id']]
    response = madmin.session.post(madmin.url + '/users', json={'user': {'name': 'JDoe', 'domain_id': 'default'}}, timeout=30)
    assert response.status_code == 409

    single = run('identity_user', name='JDoe', email='new@example.com', groups=['PAYROLL'], _diff=True)
    assert single['changed'] is True, single.result
    assert [(e.method, e.path) for e in single.writes] == [('PATCH', '/v3/users/' + jdoe['id'])]
    assert single['user']['name'] == 'jdoe' and single['diff']['before'] == {'email': 'old@example.com'}
    server = madmin.get('/users/' + jdoe['id'])['user']
    assert (server['name'], server['email']) == ('jdoe', 'new@example.com')     # never renamed

    batch = run('identity_user', users=[{'name': 'JDOE'}, {'name': 'ASmith'}, {'name': 'asmith-2'}])
    assert [r['changed'] for r in batch['results']] == [False, False, True], batch.result
    assert [r['user']['id'] for r in batch['results'][:2]] == [jdoe['id'], asmith['id']]
    assert [(e.method, e.path) for e in batch.writes] == [('POST', '/v3/users')]    # asmith-2 only

    group = run('identity_group', name='PayRoll', users=['JDoe'])
    assert group['changed'] is False and group.writes == []
    assert group['group']['name'] == 'payroll'
    groups = run('identity_group', groups=[{'name': 'PAYROLL', 'description': 'Payroll'}, {'name': 'Payroll-2'}])
    assert [r['changed'] for r in groups['results']] == [True, True]
    assert [(e.method, e.path) for e in groups.writes] == [('PATCH', '/v3/groups/' + payroll['id']), ('POST', '/v3/groups')]
    assert madmin.get('/groups/' + payroll['id'])['group']['name'] == 'payroll'
    assert [g['name'] for g in madmin.get('/groups')['groups'] if g['name'].lower() == 'payroll'] == ['payroll']
    assert [u['name'] for u in madmin.get('/users')['users'] if u['name'].lower() == 'jdoe'] == ['jdoe']
