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
