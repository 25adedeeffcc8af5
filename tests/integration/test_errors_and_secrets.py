"""Bad input: one clear msg, no traceback, no secret anywhere in the output (at -vvvv too)."""

import re

from scripted_server import ScriptedServer  # tests/support: a real local HTTP(S) server

FERNET = re.compile(r'gAAAAA[A-Za-z0-9_-]{20,}')


def assert_clean_failure(run, expected):
    assert run.get('failed') is True, run.result
    assert 'exception' not in run.result, run.result.get('exception')
    assert 'Traceback' not in run.stderr
    msg = run['msg']
    assert '\n' not in msg
    assert expected in msg, msg
    return msg


def test_unknown_domain(run_module, uniq):
    run = run_module('identity_user', name='x', domain='nodomain-' + uniq)
    assert_clean_failure(run, "keystone: domain 'nodomain-%s' not found (looked up by name and by id)" % uniq)
    assert run.writes == []


def test_absent_in_unknown_domain_is_not_an_error(run_module, uniq):
    run = run_module('identity_user', name='x', domain='nodomain-' + uniq, state='absent')
    assert run['changed'] is False and run['user'] is None


def test_unknown_default_project(run_module, uniq):
    run = run_module('identity_user', name='np-' + uniq, default_project='noproject-' + uniq)
    assert_clean_failure(run, "keystone: project 'noproject-%s' not found in domain 'Default'" % uniq)
    assert run.writes == []


def test_wrong_credentials(run_module, keystone):
    auth = dict(auth_url=keystone['auth_url'], username='admin', password='Wrong-Passw0rd-x1',
                user_domain_name='Default', project_name='admin', project_domain_name='Default')
    run = run_module('identity_user_info', auth=auth)
    msg = assert_clean_failure(run, 'keystone: POST /v3/auth/tokens failed: HTTP 401: The request you have made requires authentication.')
    assert 'Wrong-Passw0rd-x1' not in repr(run.result) + run.stderr
    assert run.result['status'] == 401


def test_unreachable_auth_url(run_module, free_port):
    auth = dict(auth_url='http://127.0.0.1:%d' % free_port, username='a', password='Secret-pw-1',
                user_domain_name='Default')
    run = run_module('identity_user_info', auth=auth, timeout=5)
    assert_clean_failure(run, 'keystone: POST /v3/auth/tokens failed: cannot connect to http://127.0.0.1:%d: [Errno 111] Connection refused' % free_port)


def test_tls_failure(run_module, tmp_path):
    server = ScriptedServer(tls_dir=tmp_path)
    try:
        auth = dict(auth_url=server.url + '/v3', username='a', password='Secret-pw-1', user_domain_name='Default')
        run = run_module('identity_user_info', auth=auth)
        assert_clean_failure(run, 'the TLS certificate of %s could not be verified' % server.url)
        assert 'ca_path' in run['msg']
        assert server.requests == []
    finally:
        server.close()


def test_non_json_answer(run_module):
    server = ScriptedServer()
    server.answer((200, '<html><body>Corporate proxy: please log in</body></html>', None))
    try:
        auth = dict(auth_url=server.url, username='a', password='Secret-pw-1', user_domain_name='Default')
        run = run_module('identity_user_info', auth=auth)
        assert_clean_failure(run, 'keystone: POST /v3/auth/tokens failed: HTTP 200: expected JSON')
        assert 'Corporate proxy: please log in' in run['msg']
    finally:
        server.close()


def test_mutually_exclusive_options(run_module, keystone):
    auth = dict(auth_url=keystone['auth_url'], username='admin', password='x-Secret-1',
                user_domain_name='Default', project_name='admin', system_scope='all')
    run = run_module('identity_user_info', auth=auth)
    assert_clean_failure(run, 'parameters are mutually exclusive: system_scope|project_name found in auth')


def test_unknown_option_and_bad_choice(run_module):
    run = run_module('identity_user', name='x', colour='blue')
    assert_clean_failure(run, 'Unsupported parameters for')
    run = run_module('identity_user', name='x', state='gone')
    assert_clean_failure(run, 'value of state must be one of: present, absent, got: gone')


def test_bad_jmespath_query(run_module):
    run = run_module('identity_user_info', query='users[?')
    assert_clean_failure(run, "invalid query 'users[?'")


def test_no_secret_in_any_output_at_vvvv(playbook, keystone, admin, uniq):
    user_password = 'User-Secret-%s-Zz9' % uniq
    play = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      auth:
        auth_url: %(auth_url)s
        username: admin
        password: "{{ lookup('env', 'IAMOPS_TEST_ADMIN_PASSWORD') }}"
        user_domain_name: Default
        project_name: admin
        project_domain_name: Default
  tasks:
    - name: create with a password, diff on
      iamops.identity.identity_user:
        name: vvvv-%(uniq)s
        password: "%(pw)s"
        email: s@example.com
      diff: true
    - name: rotate the password
      iamops.identity.identity_user:
        name: vvvv-%(uniq)s
        password: "%(pw)s"
        update_password: always
      diff: true
    - name: read back
      iamops.identity.identity_user_info:
        name: vvvv-%(uniq)s
    - name: a failing task still leaks nothing
      iamops.identity.identity_user:
        name: vvvv-%(uniq)s
        domain: no-such-domain
        password: "%(pw)s"
      ignore_errors: true
""" % dict(auth_url=keystone['auth_url'], uniq=uniq, pw=user_password)
    proc, entries = playbook(play, '-vvvv', extra_env={'IAMOPS_TEST_ADMIN_PASSWORD': keystone['password']})
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    assert 'changed=2' in output
    assert user_password not in output
    assert keystone['password'] not in output
    assert not FERNET.search(output), 'a Keystone token appears in the output'
    assert '"password": "********"' in output or 'password' in output
    assert admin.password_works(admin.user('vvvv-' + uniq)['id'], user_password)


def test_environment_credentials_are_masked_too(playbook, keystone, uniq):
    """OS_* variables (what AWX credential types inject) never reach the output either."""
    play = """
- hosts: localhost
  gather_facts: false
  tasks:
    - iamops.identity.identity_user:
        name: env-%s
        domain: missing-domain
""" % uniq
    env = {'OS_AUTH_URL': keystone['auth_url'], 'OS_USERNAME': 'admin', 'OS_PASSWORD': keystone['password'],
           'OS_USER_DOMAIN_NAME': 'Default', 'OS_PROJECT_NAME': 'admin', 'OS_PROJECT_DOMAIN_NAME': 'Default',
           'OS_CLIENT_CONFIG_FILE': '/nonexistent'}
    proc, entries = playbook(play, '-vvvv', extra_env=env)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "domain 'missing-domain' not found" in output
    assert keystone['password'] not in output
    assert not FERNET.search(output)
