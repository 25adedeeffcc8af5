"""Names compare the way the server compares them, on a Keystone over MariaDB (Debian's
mariadb-server, PyMySQL): MySQL's default collation is case-insensitive, so ``JDoe`` is the user
``jdoe`` - never renamed, never POSTed again (Keystone would refuse the duplicate: 409) - in the
single and batch forms, groups too. A DEDICATED Keystone (its database is MariaDB, not SQLite): the
production-shaped one of conftest.py (tests/keystone/keystone_server.py installs
mariadb-server with apt-get when it is missing and starts a MariaDB of its own)."""

import pytest

from conftest import Admin, harness, module_environment, module_runner

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def mks(prod_keystone):
    """The production-shaped Keystone (MariaDB, 4 workers) of conftest.py."""
    return prod_keystone


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


def test_mysql_case_only_rename_then_rerun_is_a_noop(run, madmin):
    """``ada`` -> ``Ada``: MariaDB finds one user under both names; it is renamed, the rerun writes nothing."""
    ada = madmin.make_user('ada-lovelace')
    assert [u['id'] for u in madmin.get('/users', name='Ada-Lovelace')['users']] == [ada['id']]
    renamed = run('identity_user', name='ada-lovelace', new_name='Ada-Lovelace', _diff=True)
    assert renamed['changed'] is True, renamed.result
    assert [(e.method, e.path) for e in renamed.writes] == [('PATCH', '/v3/users/' + ada['id'])]
    assert renamed['diff'] == {'before': {'name': 'ada-lovelace'}, 'after': {'name': 'Ada-Lovelace'}}
    assert madmin.get('/users/' + ada['id'])['user']['name'] == 'Ada-Lovelace'
    for args in (dict(name='ada-lovelace', new_name='Ada-Lovelace'), dict(users=[dict(name='ada-lovelace', new_name='Ada-Lovelace')])):
        again = run('identity_user', **args)
        assert again['changed'] is False and again.writes == [], again.result
    assert madmin.get('/users/' + ada['id'])['user']['name'] == 'Ada-Lovelace'
