"""identity_domain_config(_info) against a real Keystone, and a real OpenLDAP slapd behind it.

Domain configurations change which identity driver Keystone loads, and a bad one breaks Keystone
for everybody (only one domain may use a domain-specific SQL driver; an unreachable LDAP server
makes the domain's user requests answer 500). So every test here runs on a DEDICATED Keystone
(module-scoped fixture ``dks``), never on the shared session server. State is read back with the
independent ``Admin`` client; requests come from that server's own access log.
"""

import json
import os
import subprocess
import sys
import uuid

import pytest
import requests

from conftest import Admin, COLLECTIONS_ROOT, CHECKOUT, harness, module_environment, module_runner

MASK = '********'
DUMMY_URL = 'ldap://127.0.0.1:9'  # never contacted: no test lists the users of these domains
BIND_PASSWORD = 'Bind-Secret-7Qx2-%s' % uuid.uuid4().hex[:6]


def _load_slapd_harness():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'slapd_server', os.path.join(CHECKOUT, 'tests', 'ldap', 'slapd_server.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


slapd = _load_slapd_harness()


# ---- fixtures: a dedicated Keystone, its admin client, a module runner ----------------------
@pytest.fixture(scope='module')
def dks(tmp_path_factory):
    harness.install(with_ldap=True)  # python-ldap + ldappool in Keystone's venv, for driver ldap
    directory = str(tmp_path_factory.mktemp('keystone-domain-config'))
    env = harness.start(dir=directory)
    env['clouds_yaml'] = os.path.join(directory, 'clouds.yaml')
    yield env
    harness.stop(dir=directory)


@pytest.fixture(scope='module')
def dadmin(dks):
    return DomainAdmin(dks)


@pytest.fixture(scope='module')
def dlog(dks):
    return harness.AccessLog(dks['access_log'])


@pytest.fixture
def run(dks, dlog, tmp_path):
    """Run a module against the dedicated Keystone (conftest's runner)."""
    return module_runner(module_environment(dks['clouds_yaml']), dlog, tmp_path)


class DomainAdmin(Admin):
    """Admin plus domain-config helpers (plain requests, nothing shared with the collection)."""

    def config(self, domain_id):
        return (self.get('/domains/%s/config' % domain_id) or {}).get('config')

    def set_config(self, domain_id, config):
        response = self.session.put('%s/domains/%s/config' % (self.url, domain_id),
                                    json={'config': config}, timeout=30)
        assert response.status_code in (200, 201), response.text
        return response.json()['config']

    def users_status(self, domain_id):
        response = self.session.get(self.url + '/users', params={'domain_id': domain_id}, timeout=30)
        return response.status_code, (response.json() if response.status_code == 200 else response.text)

    def drop_domain(self, domain_id):
        self.session.delete('%s/domains/%s/config' % (self.url, domain_id), timeout=30)
        self.session.patch('%s/domains/%s' % (self.url, domain_id), json={'domain': {'enabled': False}}, timeout=30)
        self.session.delete('%s/domains/%s' % (self.url, domain_id), timeout=30)


def methods(entries):
    return [(e.method, e.path) for e in entries]


def base_config(**ldap):
    options = {'url': DUMMY_URL, 'user_tree_dn': 'ou=Users,dc=example,dc=org', 'user_objectclass': 'inetOrgPerson'}
    options.update(ldap)
    return {'identity': {'driver': 'ldap'}, 'ldap': options}


def assert_clean_failure(result, expected):
    assert result.get('failed') is True, result.result
    assert 'exception' not in result.result
    assert 'Traceback' not in result.stderr
    assert '\n' not in result['msg']
    assert expected in result['msg'], result['msg']
    return result['msg']


# ---- create, rerun, update, purge --------------------------------------------------------
def test_create_with_a_secret_then_identical_rerun(run, dadmin, dlog):
    dom = dadmin.make_domain('dc-create-' + uuid.uuid4().hex[:8])
    args = dict(domain=dom['name'], config=base_config(page_size=50, chase_referrals=False),
                sensitive_config={'ldap': {'password': BIND_PASSWORD}})
    first = run('identity_domain_config', _diff=True, **args)
    assert first['changed'] is True
    expected = base_config(page_size=50, chase_referrals=False)
    assert dadmin.config(dom['id']) == expected            # values keep their JSON type
    assert first['config'] == expected                     # no password in the result
    assert first['diff'] == {'before': {}, 'after': dict(expected, ldap=dict(expected['ldap'], password=MASK))}
    assert BIND_PASSWORD not in run.stdout + first.stderr
    assert methods(first.entries) == [
        ('POST', '/v3/auth/tokens'), ('GET', '/v3/domains'), ('GET', '/v3/domains/%s/config' % dom['id']),
        ('PUT', '/v3/domains/%s/config' % dom['id'])]
    assert [e.status for e in first.writes] == [201]

    again = run('identity_domain_config', _diff=True, **args)
    assert again['changed'] is False
    assert again.writes == []
    assert again['config'] == expected
    assert again['diff'] == {'before': {}, 'after': {}}
    assert methods(again.entries) == methods(first.entries)[:3]


def test_values_compare_the_way_keystone_reads_them(run, dadmin):
    dom = dadmin.make_domain('dc-types-' + uuid.uuid4().hex[:8])
    dadmin.set_config(dom['id'], base_config(page_size='50', use_tls='True', user_attribute_ignore='a,b'))
    same = run('identity_domain_config', domain=dom['id'],
               config=base_config(page_size=50, use_tls=True, user_attribute_ignore=['a', 'b']))
    assert same['changed'] is False and same.writes == []
    assert same['config']['ldap']['page_size'] == '50'     # the server's value, untouched
    other = run('identity_domain_config', domain=dom['id'], config={'ldap': {'page_size': 51}}, _diff=True)
    assert other['changed'] is True
    assert other['diff'] == {'before': {'ldap': {'page_size': '50'}}, 'after': {'ldap': {'page_size': 51}}}
    assert dadmin.config(dom['id'])['ldap']['page_size'] == 51


def test_merge_update_patches_only_what_differs(run, dadmin):
    dom = dadmin.make_domain('dc-merge-' + uuid.uuid4().hex[:8])
    dadmin.set_config(dom['id'], base_config(user_filter='(objectClass=*)', page_size=10))
    result = run('identity_domain_config', domain=dom['name'], _diff=True,
                 config={'ldap': {'url': 'ldap://127.0.0.1:10', 'page_size': 10, 'user_mail_attribute': 'mail'}})
    assert result['changed'] is True
    assert methods(result.writes) == [('PATCH', '/v3/domains/%s/config' % dom['id'])]
    server = dadmin.config(dom['id'])
    assert server == base_config(user_filter='(objectClass=*)', page_size=10, url='ldap://127.0.0.1:10',
                                 user_mail_attribute='mail')  # options not given are kept
    assert result['config'] == server
    assert result['diff'] == {'before': {'ldap': {'url': DUMMY_URL}},
                              'after': {'ldap': {'url': 'ldap://127.0.0.1:10', 'user_mail_attribute': 'mail'}}}
    again = run('identity_domain_config', domain=dom['name'],
                config={'ldap': {'url': 'ldap://127.0.0.1:10', 'page_size': 10, 'user_mail_attribute': 'mail'}})
    assert again['changed'] is False and again.writes == []


def test_null_removes_an_option_or_a_group(run, dadmin):
    dom = dadmin.make_domain('dc-null-' + uuid.uuid4().hex[:8])
    dadmin.set_config(dom['id'], base_config(user_filter='(uid=*)', user_enabled_invert=False))
    path = '/v3/domains/%s/config' % dom['id']
    result = run('identity_domain_config', domain=dom['name'], _diff=True,
                 config={'ldap': {'user_filter': None, 'user_enabled_invert': None, 'suffix': None}})
    assert result['changed'] is True
    # user_enabled_invert is false: Keystone's DELETE cannot see a falsy option, so it is first
    # patched to the string 'false' (which Keystone reads as the same value), then deleted
    assert methods(result.writes) == [('PATCH', path), ('DELETE', path + '/ldap/user_filter'),
                                      ('DELETE', path + '/ldap/user_enabled_invert')]
    assert [e.status for e in result.writes] == [200, 204, 204]
    assert dadmin.config(dom['id']) == base_config() == result['config']
    assert result['diff'] == {'before': {'ldap': {'user_filter': '(uid=*)', 'user_enabled_invert': False}},
                              'after': {}}
    again = run('identity_domain_config', domain=dom['name'], config={'ldap': {'user_filter': None}})
    assert again['changed'] is False and again.writes == []

    group = run('identity_domain_config', domain=dom['name'], config={'ldap': None}, _diff=True)
    assert methods(group.writes) == [('DELETE', path + '/ldap')]
    assert dadmin.config(dom['id']) == {'identity': {'driver': 'ldap'}} == group['config']
    assert group['diff'] == {'before': {'ldap': base_config()['ldap']}, 'after': {}}


def test_purge_removes_unlisted_options_and_groups(run, dadmin):
    dom = dadmin.make_domain('dc-purge-' + uuid.uuid4().hex[:8])
    path = '/v3/domains/%s/config' % dom['id']
    start = base_config(page_size=0, user_enabled_invert=False, user_filter='(uid=*)')
    start['identity']['list_limit'] = 100
    dadmin.set_config(dom['id'], start)
    wanted = {'identity': {'driver': 'ldap'}, 'ldap': {'url': 'ldap://127.0.0.1:11', 'user_tree_dn': 'ou=Users,dc=example,dc=org'}}
    predicted = run('identity_domain_config', domain=dom['name'], config=wanted, purge=True, _check=True, _diff=True)
    assert predicted['changed'] is True and predicted.writes == []
    assert dadmin.config(dom['id']) == start

    result = run('identity_domain_config', domain=dom['name'], config=wanted, purge=True, _diff=True)
    assert result['changed'] is True
    # one PATCH (the new url, and the falsy options made deletable), then one DELETE per option
    assert methods(result.writes) == [
        ('PATCH', path), ('DELETE', path + '/identity/list_limit'), ('DELETE', path + '/ldap/page_size'),
        ('DELETE', path + '/ldap/user_enabled_invert'), ('DELETE', path + '/ldap/user_filter'),
        ('DELETE', path + '/ldap/user_objectclass')]
    assert dadmin.config(dom['id']) == wanted == result['config'] == predicted['config']
    assert result['diff'] == predicted['diff'] == {
        'before': {'identity': {'list_limit': 100},
                   'ldap': {'url': DUMMY_URL, 'user_objectclass': 'inetOrgPerson', 'page_size': 0,
                            'user_enabled_invert': False, 'user_filter': '(uid=*)'}},
        'after': {'ldap': {'url': 'ldap://127.0.0.1:11'}}}
    again = run('identity_domain_config', domain=dom['name'], config=wanted, purge=True)
    assert again['changed'] is False and again.writes == []

    # a group named by neither config nor sensitive_config goes whole, in one request
    only_identity = run('identity_domain_config', domain=dom['name'], config={'identity': {'driver': 'ldap'}}, purge=True)
    assert methods(only_identity.writes) == [('DELETE', path + '/ldap')]
    assert dadmin.config(dom['id']) == {'identity': {'driver': 'ldap'}}


def test_purge_keeps_a_group_named_only_by_sensitive_config(run, dadmin):
    dom = dadmin.make_domain('dc-purge-secret-' + uuid.uuid4().hex[:8])
    path = '/v3/domains/%s/config' % dom['id']
    dadmin.set_config(dom['id'], dict(base_config(), ldap=dict(base_config()['ldap'], password=BIND_PASSWORD)))
    result = run('identity_domain_config', domain=dom['name'], config={'identity': {'driver': 'ldap'}},
                 sensitive_config={'ldap': {'password': BIND_PASSWORD}}, purge=True)
    # on_create: the password is not sent; the ldap group stays (its password with it), its
    # visible options are removed one by one
    assert methods(result.writes) == [('DELETE', path + '/ldap/url'), ('DELETE', path + '/ldap/user_objectclass'),
                                      ('DELETE', path + '/ldap/user_tree_dn')]
    assert dadmin.config(dom['id']) == {'identity': {'driver': 'ldap'}}
    # the password is still there: Keystone deletes it (204), which it refuses (404) for a missing option
    assert dadmin.session.delete(dadmin.url + path[3:] + '/ldap/password', timeout=30).status_code == 204
    assert dadmin.session.delete(dadmin.url + path[3:] + '/ldap/password', timeout=30).status_code == 404


# ---- check mode, diff, secrets -----------------------------------------------------------
def test_check_mode_predicts_create_and_update_without_writing(run, dadmin):
    dom = dadmin.make_domain('dc-check-' + uuid.uuid4().hex[:8])
    args = dict(domain=dom['name'], config=base_config(), sensitive_config={'ldap': {'password': BIND_PASSWORD}})
    predicted = run('identity_domain_config', _check=True, _diff=True, **args)
    assert predicted['changed'] is True and predicted.writes == []
    assert dadmin.config(dom['id']) is None
    real = run('identity_domain_config', _diff=True, **args)
    assert (real['changed'], real['config'], real['diff']) == (True, predicted['config'], predicted['diff'])

    update = dict(domain=dom['name'], config={'ldap': {'user_filter': '(uid=a*)', 'url': DUMMY_URL}})
    predicted = run('identity_domain_config', _check=True, _diff=True, **update)
    assert predicted['changed'] is True and predicted.writes == []
    assert dadmin.config(dom['id']) == base_config()
    real = run('identity_domain_config', _diff=True, **update)
    assert (real['changed'], real['config'], real['diff']) == (True, predicted['config'], predicted['diff'])
    assert real['diff'] == {'before': {}, 'after': {'ldap': {'user_filter': '(uid=a*)'}}}

    predicted = run('identity_domain_config', _check=True, domain=dom['name'], state='absent')
    assert predicted['changed'] is True and predicted.writes == []
    assert dadmin.config(dom['id']) == real['config']


def test_update_secrets_always_sends_only_the_secret_and_masks_it(run, dadmin):
    dom = dadmin.make_domain('dc-secret-' + uuid.uuid4().hex[:8])
    dadmin.set_config(dom['id'], base_config())
    args = dict(domain=dom['name'], config=base_config(), sensitive_config={'ldap': {'password': BIND_PASSWORD}})
    on_create = run('identity_domain_config', _diff=True, **args)
    assert on_create['changed'] is False and on_create.writes == []
    for _attempt in range(2):  # always: sent and reported on every run
        always = run('identity_domain_config', _diff=True, update_secrets='always', **args)
        assert always['changed'] is True
        assert methods(always.writes) == [('PATCH', '/v3/domains/%s/config' % dom['id'])]
        assert always['diff'] == {'before': {}, 'after': {'ldap': {'password': MASK}}}
        assert always['config'] == base_config()
        assert BIND_PASSWORD not in run.stdout + always.stderr
    # the secret alone (no config) rotates it on an existing configuration
    alone = run('identity_domain_config', domain=dom['name'], update_secrets='always',
                sensitive_config={'ldap': {'password': BIND_PASSWORD + 'x'}})
    assert alone['changed'] is True and len(alone.writes) == 1
    assert dadmin.config(dom['id']) == base_config()


def test_no_secret_in_playbook_output_at_vvvv_with_diff(dks, dadmin, tmp_path):
    dom = dadmin.make_domain('dc-play-' + uuid.uuid4().hex[:8])
    play = tmp_path / 'play.yml'
    play.write_text("""
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      cloud: iamops-test
  tasks:
    - iamops.identity.identity_domain_config:
        domain: %(domain)s
        config: %(config)s
        sensitive_config: {ldap: {password: "%(pw)s"}}
        update_secrets: always
      loop: [1, 2]
    - iamops.identity.identity_domain_config:
        domain: %(domain)s
        config: {ldap: {password: "%(pw)s"}}
      ignore_errors: true
""" % dict(domain=dom['name'], config=json.dumps(base_config()), pw=BIND_PASSWORD))
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith('OS_'))
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, OS_CLIENT_CONFIG_FILE=dks['clouds_yaml'],
               ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0',
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    proc = subprocess.run(['ansible-playbook', '-i', 'localhost,', '-c', 'local', '--diff', '-vvvv', str(play)],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    assert 'changed=1' in output and 'ignored=1' in output
    assert 'give it in sensitive_config' in output
    assert BIND_PASSWORD not in output
    assert MASK in output
    assert dadmin.config(dom['id']) == base_config()


# ---- absent ---------------------------------------------------------------------------------
def test_absent_deletes_the_config_and_is_idempotent(run, dadmin):
    dom = dadmin.make_domain('dc-absent-' + uuid.uuid4().hex[:8])
    dadmin.set_config(dom['id'], base_config())
    gone = run('identity_domain_config', domain=dom['name'], state='absent', _diff=True)
    assert gone['changed'] is True and gone['config'] is None
    assert gone['diff'] == {'before': base_config(), 'after': {}}
    assert methods(gone.writes) == [('DELETE', '/v3/domains/%s/config' % dom['id'])]
    assert dadmin.config(dom['id']) is None
    again = run('identity_domain_config', domain=dom['name'], state='absent')
    assert again['changed'] is False and again.writes == []
    assert methods(again.entries) == [('POST', '/v3/auth/tokens'), ('GET', '/v3/domains'),
                                      ('GET', '/v3/domains/%s/config' % dom['id'])]
    missing = run('identity_domain_config', domain='dc-nodomain-' + uuid.uuid4().hex[:8], state='absent')
    assert missing['changed'] is False and missing['config'] is None and missing.writes == []


# ---- bad input --------------------------------------------------------------------------
def test_unknown_domain(run):
    name = 'dc-nodomain-' + uuid.uuid4().hex[:8]
    bad = run('identity_domain_config', domain=name, config=base_config())
    assert_clean_failure(bad, "keystone: domain %r not found (looked up by name and by id)" % name)
    assert bad.writes == []


TOKEN_AND_DOMAIN = [('POST', '/v3/auth/tokens'), ('GET', '/v3/domains')]


@pytest.mark.parametrize('config,sensitive,expected,requests_made', [
    ({'assignment': {'driver': 'sql'}}, None,
     'keystone: config: Keystone refuses assignment.driver: Invalid domain specific configuration: Group '
     'assignment is not supported for domain specific configurations (checked with GET '
     '/v3/domains/config/assignment/driver/default; nothing was written)',
     TOKEN_AND_DOMAIN + [('GET', '/v3/domains/config/assignment/driver/default')]),
    ({'ldap': {'user_tree_db': 'ou=x'}}, None,
     'keystone: config: Keystone refuses ldap.user_tree_db: Invalid domain specific configuration: Option '
     'user_tree_db in group ldap is not supported for domain specific configurations',
     TOKEN_AND_DOMAIN + [('GET', '/v3/domains/config/ldap/user_tree_db/default')]),
    ({'ldap': {'password': 'Oops-Secret-1'}}, None,
     'keystone: config: ldap.password is a sensitive option (Keystone stores it apart and never returns it): '
     'give it in sensitive_config', TOKEN_AND_DOMAIN),
    ({'identity': {'driver': 'ldap'}}, {'ldap': {'url': 'ldap://x'}},
     'keystone: sensitive_config: ldap.url is not a sensitive option', TOKEN_AND_DOMAIN),
    # shape errors are found before any request
    ({'ldap': 'ldap://x'}, None, 'keystone: config: the value of group ldap should be a dictionary of options', []),
    ({'ldap': {}}, None, 'keystone: config: the value of group ldap should be a dictionary of options', []),
    ({'identity': {'driver': 'ldap'}}, {'ldap': {'password': None}}, 'keystone: sensitive_config: ldap.password is null', []),
])
def test_bad_config_is_refused_before_any_write(run, dadmin, config, sensitive, expected, requests_made):
    dom = dadmin.make_domain('dc-bad-' + uuid.uuid4().hex[:8])
    args = dict(domain=dom['name'], config=config)
    if sensitive:
        args['sensitive_config'] = sensitive
    for check in (True, False):
        bad = run('identity_domain_config', _check=check, **args)
        assert_clean_failure(bad, expected)
        assert 'Oops-Secret-1' not in run.stdout  # not even in the echoed module args
        assert methods(bad.entries) == requests_made
    assert dadmin.config(dom['id']) is None


def test_state_rules(run, dadmin):
    dom = dadmin.make_domain('dc-rules-' + uuid.uuid4().hex[:8])
    assert_clean_failure(run('identity_domain_config', domain=dom['name']),
                         'state is present but any of the following are missing: config, sensitive_config')
    absent = run('identity_domain_config', domain=dom['name'], state='absent', config=base_config())
    assert_clean_failure(absent, 'state=absent deletes the whole configuration of domain')
    secret_only = run('identity_domain_config', domain=dom['name'], sensitive_config={'ldap': {'password': BIND_PASSWORD}})
    assert_clean_failure(secret_only, "domain %r has no configuration (or only sensitive options" % dom['name'])
    assert secret_only.writes == [] and BIND_PASSWORD not in run.stdout


# ---- the one-SQL-driver rule -------------------------------------------------------------
def test_second_sql_driver_is_undone_and_keystone_survives_a_restart(run, dks, dadmin, dlog):
    first = dadmin.make_domain('dc-sql-a-' + uuid.uuid4().hex[:8])
    second = dadmin.make_domain('dc-sql-b-' + uuid.uuid4().hex[:8])
    third = dadmin.make_domain('dc-sql-c-' + uuid.uuid4().hex[:8])
    try:
        # the first domain-specific SQL driver is fine; the module checks it with one user lookup
        ok = run('identity_domain_config', domain=first['name'], config={'identity': {'driver': 'sql'}})
        assert ok['changed'] is True
        assert [(e.method, e.path, e.status) for e in ok.entries][-2:] == [
            ('PUT', '/v3/domains/%s/config' % first['id'], 201), ('GET', '/v3/users', 200)]
        assert dadmin.users_status(first['id'])[0] == 200

        # a second one: Keystone takes the PUT, then cannot load the driver; the module undoes it
        bad = run('identity_domain_config', domain=second['name'], config={'identity': {'driver': 'sql'}})
        msg = assert_clean_failure(bad, "keystone: the configuration of domain %r makes Keystone load a "
                                        "domain-specific SQL identity driver, but Keystone could not load it" % second['name'])
        assert 'Keystone allows a domain-specific SQL driver for one domain only' in msg
        assert msg.endswith('the configuration just created was removed')
        assert [(e.method, e.path, e.status) for e in bad.writes] == [
            ('PUT', '/v3/domains/%s/config' % second['id'], 201),
            ('DELETE', '/v3/domains/%s/config' % second['id'], 204)]
        assert dadmin.config(second['id']) is None
        assert dadmin.users_status(second['id'])[0] == 200

        # an LDAP domain switched to SQL (driver removed by purge: no driver = SQL) is set back
        dadmin.set_config(third['id'], base_config())
        switch = run('identity_domain_config', domain=third['name'], config={'ldap': {'url': DUMMY_URL}}, purge=True)
        msg = assert_clean_failure(switch, 'a configuration without identity.driver uses the SQL driver')
        assert msg.endswith("identity.driver was set back to 'ldap'")
        assert dadmin.config(third['id'])['identity'] == {'driver': 'ldap'}

        # the claim of the first domain outlives its configuration: still refused, still undone
        dadmin.session.delete('%s/domains/%s/config' % (dadmin.url, first['id']), timeout=30)
        stale = run('identity_domain_config', domain=second['name'], config={'identity': {'driver': 'sql'}})
        assert_clean_failure(stale, 'the claim stays after its configuration is deleted')
        assert dadmin.config(second['id']) is None

        # left in place, the second SQL driver would make every request fail after a restart
        env = harness.restart(dks['dir'])
        assert DomainAdmin(env).users_status(second['id'])[0] == 200
    finally:
        for dom in (first, second, third):
            dadmin.drop_domain(dom['id'])  # deleting the domain releases its SQL claim


def test_check_mode_warns_about_the_sql_driver_and_missing_driver(run, dadmin):
    dom = dadmin.make_domain('dc-sql-check-' + uuid.uuid4().hex[:8])
    result = run('identity_domain_config', _check=True, domain=dom['name'], config={'ldap': {'url': DUMMY_URL}})
    assert result['changed'] is True and result.writes == []
    warnings = ' '.join(w['event']['msg'] if isinstance(w, dict) else w for w in result.get('warnings') or [])
    assert 'has ldap options but no identity.driver' in warnings
    assert 'check mode cannot tell whether Keystone accepts the SQL identity driver' in warnings


# ---- info ---------------------------------------------------------------------------------
def test_info_whole_group_option_defaults_and_query(run, dadmin):
    dom = dadmin.make_domain('dc-info-' + uuid.uuid4().hex[:8])
    config = base_config(page_size=5)
    dadmin.set_config(dom['id'], dict(config, ldap=dict(config['ldap'], password=BIND_PASSWORD)))
    path = '/v3/domains/%s/config' % dom['id']

    whole = run('identity_domain_config_info', domain=dom['name'])
    assert whole['changed'] is False and whole['config'] == config
    assert methods(whole.entries) == [('POST', '/v3/auth/tokens'), ('GET', '/v3/domains'), ('GET', path)]
    group = run('identity_domain_config_info', domain=dom['id'], group='ldap')
    assert group['config'] == {'ldap': config['ldap']}
    assert methods(group.entries)[-1] == ('GET', path + '/ldap')
    option = run('identity_domain_config_info', domain=dom['name'], group='ldap', option='page_size',
                 query='config.ldap.page_size')
    assert option['config'] == {'ldap': {'page_size': 5}} and option['query_result'] == 5
    assert methods(option.entries)[-1] == ('GET', path + '/ldap/page_size')
    unset = run('identity_domain_config_info', domain=dom['name'], group='ldap', option='user_filter')
    assert unset['config'] == {} and 'failed' not in unset
    defaults = run('identity_domain_config_info', default=True, query='config.identity.driver')
    assert defaults['config']['ldap']['user_objectclass'] == 'inetOrgPerson' and defaults['query_result'] == 'sql'
    assert methods(defaults.entries) == [('POST', '/v3/auth/tokens'), ('GET', '/v3/domains/config/default')]
    one_default = run('identity_domain_config_info', default=True, group='ldap', option='page_size')
    assert one_default['config'] == {'ldap': {'page_size': 0}}
    assert methods(one_default.entries)[-1] == ('GET', '/v3/domains/config/ldap/page_size/default')
    nothing = run('identity_domain_config_info', domain=dadmin.make_domain('dc-info-none-' + uuid.uuid4().hex[:8])['name'])
    assert nothing['config'] == {}


def test_info_bad_input(run, dadmin):
    dom = dadmin.make_domain('dc-info-bad-' + uuid.uuid4().hex[:8])
    assert_clean_failure(run('identity_domain_config_info', domain=dom['name'], group='ldap', option='password'),
                         'keystone: ldap.password is a sensitive option: Keystone never returns it')
    assert_clean_failure(run('identity_domain_config_info', domain=dom['name'], group='assignment'),
                         'HTTP 403: Invalid domain specific configuration: Group assignment is not supported')
    assert_clean_failure(run('identity_domain_config_info', option='url', domain=dom['name']),
                         'missing parameter(s) required by \'option\': group')
    assert_clean_failure(run('identity_domain_config_info'), 'default is False but all of the following are missing: domain')
    assert_clean_failure(run('identity_domain_config_info', default=True, domain=dom['name']),
                         'default=true reads Keystone\'s defaults')


# ---- a real LDAP directory behind Keystone ----------------------------------------------------
@pytest.fixture(scope='module')
def ldap_server(tmp_path_factory):
    try:
        slapd.install()
    except slapd.SlapdServerError as exc:
        pytest.skip('OpenLDAP slapd cannot be installed here: %s' % exc)
    directory = str(tmp_path_factory.mktemp('slapd'))
    env = slapd.start(dir=directory)
    yield env
    slapd.stop(dir=directory)


def test_real_ldap_domain_configured_by_the_module(run, dks, dadmin, ldap_server):
    dom = dadmin.make_domain('dc-ldap-' + uuid.uuid4().hex[:8])
    config = {
        'identity': {'driver': 'ldap'},
        'ldap': {
            'url': ldap_server['url'], 'user': ldap_server['bind_dn'], 'suffix': ldap_server['suffix'],
            'query_scope': 'one', 'user_tree_dn': ldap_server['user_tree_dn'],
            'user_objectclass': 'inetOrgPerson', 'user_id_attribute': 'uid', 'user_name_attribute': 'uid',
            'user_mail_attribute': 'mail', 'group_tree_dn': ldap_server['group_tree_dn'],
            'group_objectclass': 'groupOfNames', 'group_id_attribute': 'cn', 'group_name_attribute': 'cn',
            'group_member_attribute': 'member', 'use_pool': False, 'use_auth_pool': False,
        },
    }
    secret = {'ldap': {'password': ldap_server['bind_password']}}
    made = run('identity_domain_config', domain=dom['name'], config=config, sensitive_config=secret)
    assert made['changed'] is True, made.result
    assert ldap_server['bind_password'] not in run.stdout

    # Keystone lists the directory's users through the configuration the module wrote
    status, body = dadmin.users_status(dom['id'])
    assert status == 200, body
    users = dict((u['name'], u) for u in body['users'])
    assert sorted(users) == ['alice', 'bob', 'carol']
    assert users['alice']['email'] == 'alice@example.org' and users['alice']['domain_id'] == dom['id']
    groups = dadmin.get('/groups', domain_id=dom['id'])['groups']
    assert [g['name'] for g in groups] == ['staff']

    # an LDAP user authenticates through Keystone with its LDAP password, and only with it
    def authenticate(name, password):
        body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
            'name': name, 'domain': {'id': dom['id']}, 'password': password}}}}}
        return requests.post(dks['auth_url'] + '/auth/tokens', json=body, timeout=30)

    token = authenticate('bob', ldap_server['users']['bob']['password'])
    assert token.status_code == 201, token.text
    assert token.json()['token']['user']['id'] == users['bob']['id']
    assert authenticate('bob', 'Not-Bobs-Password-1').status_code == 401
    assert authenticate('bob', ldap_server['users']['alice']['password']).status_code == 401

    # our own info module reads them too; a rerun of the config task writes nothing and keeps
    # the bind password (on_create), so the directory is still readable
    info = run('identity_user_info', domain=dom['name'], name='carol')
    assert [(u['name'], u['email']) for u in info['users']] == [('carol', 'carol@example.org')]
    again = run('identity_domain_config', domain=dom['name'], config=config, sensitive_config=secret, purge=True)
    assert again['changed'] is False and again.writes == []
    assert dadmin.users_status(dom['id'])[0] == 200

    # a wrong bind password (update_secrets: always) breaks the listing; the right one fixes it
    wrong = run('identity_domain_config', domain=dom['name'], update_secrets='always',
                sensitive_config={'ldap': {'password': 'Wrong-Bind-Password-1'}})
    assert wrong['changed'] is True
    assert dadmin.users_status(dom['id'])[0] >= 500
    right = run('identity_domain_config', domain=dom['name'], update_secrets='always', sensitive_config=secret)
    assert right['changed'] is True
    assert dadmin.users_status(dom['id'])[0] == 200

    # the LDAP server goes away: our user lookups fail with a message saying why
    slapd.stop(ldap_server['dir'])
    try:
        down = run('identity_user_info', domain=dom['name'])
        msg = assert_clean_failure(down, 'keystone: GET /v3/users?domain_id=%s&limit=1000 failed: HTTP 500' % dom['id'])
        assert ("Keystone could not read the users of domain %r: its identity driver is ldap: the LDAP "
                "server of its domain configuration (%s) is unreachable" % (dom['name'], ldap_server['url'])) in msg
        # reading and removing the configuration still works while the directory is down
        assert run('identity_domain_config_info', domain=dom['name'])['config'] == config
    finally:
        slapd.restart(ldap_server['dir'])
    assert run('identity_user_info', domain=dom['name'], name='alice')['users'][0]['name'] == 'alice'
    gone = run('identity_domain_config', domain=dom['name'], state='absent')
    assert gone['changed'] is True
    # back on Keystone's own SQL driver: only the shadow record Keystone keeps of bob, the one LDAP
    # user that authenticated, is left
    status, body = dadmin.users_status(dom['id'])
    assert status == 200 and [u['name'] for u in body['users']] == ['bob']
