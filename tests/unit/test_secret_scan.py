"""tests/support/secret_scan.py: what it registers from an Ansible run's inputs, what it finds in outputs."""

import json
import subprocess
import sys

import pytest

import secret_scan


@pytest.fixture(autouse=True)
def clean():
    secret_scan.reset()
    yield
    secret_scan.reset()


def fake_ansible(tmp_path, args, printed):
    """A process whose argv looks like a module run (an args file) and that prints PRINTED."""
    path = tmp_path / 'args-1.json'
    path.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
    return subprocess.run([sys.executable, '-c', 'import sys; print(sys.argv[2])', 'ansible-playbook', printed,
                           str(path)], capture_output=True, text=True, check=False)


def test_secrets_given_anywhere_in_the_args_are_found_in_any_output(tmp_path):
    args = {'name': 'u1', 'password': 'Top-Secret-1', 'update_password': 'always',
            'extra': {'api_key': 'Key-Secret-2'}, 'auth': {'application_credential_secret': 'Cred-Secret-3'},
            'config': {'ldap': {'password': 'Bind-Secret-4'}}, 'description': 'not-a-secret'}
    with secret_scan.capturing('t1'):
        fake_ansible(tmp_path, args, 'ok: {"extra": {"api_key": "Key-Secret-2"}}')
        fake_ansible(tmp_path, args, 'token gAAAAA' + 'x' * 60)
        fake_ansible(tmp_path, args, 'always u1 not-a-secret ********')
    assert secret_scan.stats()['secrets'] == 4
    found = secret_scan.findings()
    assert sorted((t, label) for t, _w, label in found) == [
        ('t1', 'a Keystone Fernet token'), ('t1', 'a secret given as api_key in args-1.json')]
    lines, failed = secret_scan.report()
    assert failed and not any('Key-Secret-2' in line for line in lines)


def test_json_escaped_forms_and_registered_values(tmp_path):
    secret_scan.register('P\u00e4ss"w\u00f6rd-5')
    secret_scan.register('short')  # too short to scan for
    secret_scan.capture('{"x": "P\\u00e4ss\\"w\\u00f6rd-5"}', 'module', 't2')
    secret_scan.capture('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl', 'module', 't3')
    assert [(t, label) for t, _w, label in secret_scan.findings()] == [('t2', 'a secret'), ('t3', 'a JWT')]


def test_known_leaks_are_strict():
    secret_scan.known_leak('Known-Leak-6', 'defect X')
    secret_scan.capture('prints Known-Leak-6', 'module', 't4')
    assert secret_scan.findings() == [] and not secret_scan.failed()
    secret_scan.reset()
    secret_scan.known_leak('Known-Leak-6', 'defect X')
    assert secret_scan.failed()  # no longer printed: the mark must go


def test_only_ansible_processes_are_watched():
    with secret_scan.capturing('t5'):
        subprocess.run([sys.executable, '-c', 'print("gAAAAA" + "y" * 60)'], capture_output=True, check=False)
    assert subprocess.run is not secret_scan._watching_run
    assert secret_scan.findings() == []


def test_provider_variables_and_http_basic_pairs_are_registered(tmp_path):
    env = {'ONELOGIN_CLIENT_ID': 'cid', 'ONELOGIN_CLIENT_SECRET': 'OneLogin-Secret-5',
           'AUTHRESS_ACCESS_KEY': 'Authress-Key-6', 'CONNECT_API_KEY': 'Connect-Key-7', 'CONNECT_SERVER': 'http://x'}
    import base64
    basic = base64.b64encode(b'cid:OneLogin-Secret-5').decode()
    with secret_scan.capturing('t1'):
        path = tmp_path / 'args-1.json'
        path.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': {'client_id': 'id2', 'client_secret': 'Args-Secret-8'}}))
        subprocess.run([sys.executable, '-c', 'import sys; print(sys.argv[2])', 'ansible-playbook',
                        'Authorization: Basic %s and %s' % (basic, base64.b64encode(b'id2:Args-Secret-8').decode()),
                        str(path)], env=env, capture_output=True, text=True, check=False)
    labels = sorted(label for _t, _w, label in secret_scan.findings())
    assert labels == ['HTTP Basic of client_id:client_secret in args-1.json',
                      'HTTP Basic of environment ONELOGIN_CLIENT_ID:ONELOGIN_CLIENT_SECRET']
    assert secret_scan.stats()['secrets'] >= 6  # the three variables, the args' secret, two Basic forms


@pytest.mark.parametrize('printed', [
    'Authress-Key%2F9',                                   # URL-encoded
    'QXV0aHJlc3MtS2V5LzE=',                               # base64 of the secret... of another: not found
    '{"msg": "x \\"a\\": \\"Authress-Key/9\\\\\\"\\" y"}',   # JSON inside a JSON string
])
def test_encoded_and_nested_forms_are_found(printed):
    secret_scan.register('Authress-Key/9', 'k')
    secret_scan.capture(printed, 'm', 't')
    found = secret_scan.findings()
    assert (found == []) == printed.startswith('QXV0'), (printed, found)


def fake_module(tmp_path, args, printed):
    """A process whose argv looks like a direct module run and that prints PRINTED."""
    path = tmp_path / 'args-1.json'
    path.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
    return subprocess.run([sys.executable, '-c', 'import sys; print(sys.argv[2])',
                           'ansible_collections.iamops.identity.plugins.modules.identity_user', printed, str(path)],
                          capture_output=True, text=True, check=False)


def test_a_modules_generated_password_key_is_the_one_allowed_place(tmp_path):
    """password: generate is no secret; the generated value may be in a module's result key
    generated_password (top level, batch results), and nowhere else, nor in a playbook's output."""
    generated, other = 'Gen-Erated-Passw0rd-1', 'Gen-Erated-Passw0rd-2'
    secret_scan.register(generated, 'a generated password')
    secret_scan.register(other, 'another generated password')
    args = {'name': 'u1', 'password': 'generate'}
    with secret_scan.capturing('t1'):
        fake_module(tmp_path, args, json.dumps({'changed': True, 'generated_password': generated,
                                                'item': {'password': 'generate'}}))
        fake_module(tmp_path, args, json.dumps({'results': [{'generated_password': other}]}))
    assert secret_scan.findings() == []
    with secret_scan.capturing('t2'):
        fake_module(tmp_path, args, json.dumps({'generated_password': generated, 'diff': {'after': {'password': other}}}))
        fake_ansible(tmp_path, args, json.dumps({'generated_password': generated}))
    assert sorted((t, w, label) for t, w, label in secret_scan.findings()) == [
        ('t2', 'ansible-playbook  (stdout)', 'a generated password'),
        ('t2', 'module identity_user (stdout)', 'another generated password')]


def test_merged_sessions_check_each_ones_secrets_against_every_output(tmp_path):
    """Two pytest sessions' scans dumped and merged: a secret registered in one is found in the
    other's output; the dump file is 0600; a clean merge exits 0, a leak 1, without the secret."""
    secret_scan.register('Session-A-Secret-91', 'a secret of session A')
    secret_scan.capture('nothing secret here', 'module identity_user (stdout)', 'a::t1')
    first = tmp_path / 'a.json'
    secret_scan.dump(str(first))
    assert first.stat().st_mode & 0o777 == 0o600
    secret_scan.reset()
    secret_scan.capture('it printed Session-A-Secret-91 by mistake', 'ansible-playbook play.yml (stdout)', 'b::t2')
    second = tmp_path / 'b.json'
    secret_scan.dump(str(second))
    assert secret_scan.findings() == []  # session B alone does not know A's secret
    script = secret_scan.__file__
    clean = subprocess.run([sys.executable, script, 'merge', str(first)], capture_output=True, text=True, check=False)
    assert clean.returncode == 0 and 'merged 1 sessions: secret scan: 1 secrets checked in 1 outputs' in clean.stdout
    leaked = subprocess.run([sys.executable, script, 'merge', str(first), str(second)],
                            capture_output=True, text=True, check=False)
    assert leaked.returncode == 1
    assert 'LEAK: a secret of session A found in the output of ansible-playbook play.yml (stdout) [b::t2]' in leaked.stdout
    assert 'Session-A-Secret-91' not in leaked.stdout
