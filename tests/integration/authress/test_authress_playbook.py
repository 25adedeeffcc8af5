"""A real ansible-playbook run against the Authress emulator: an onboarding (connection from the
environment) then an offboarding (connection as module options), at -vvv, in check mode, and
again; no access key, private key or JWT in any output."""

import re

from authress_fixtures import (access_key, authress_env, emulator, emulator_server, playbook,  # noqa: F401 pylint: disable=unused-import
                               service_key)

JWT = re.compile(r'eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+')

ONBOARD = '''
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      provider: authress
  tasks:
    - name: The tenant of Acme's people
      iamops.identity.identity_domain_config:
        domain: ten_acme
        config:
          tenant:
            name: Acme
            domains: [acme.example]
    - name: They log in through it
      iamops.identity.identity_user:
        users:
          - name: "google|ann"
          - name: "google|bob"
        tenant: ten_acme
    - name: The payroll team
      iamops.identity.identity_group:
        name: Payroll
        users: ["google|ann", "google|bob"]
        admins: ["google|ann"]
    - name: Payroll can read payroll data
      iamops.identity.identity_role_assignment:
        assignments:
          - {group: Payroll, role: ro_viewer, resources: ["/payroll/*"], record: Payroll access}
          - {user: "google|ann", role: ro_editor, resources: ["/payroll/*"], record: Payroll editors}
'''

OFFBOARD = '''
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      provider: authress
      api_url: "{{ lookup('env', 'AUTHRESS_URL') }}"
      access_key: "{{ lookup('env', 'AUTHRESS_ACCESS_KEY') }}"
  tasks:
    - name: Ann keeps no record grant
      iamops.identity.identity_role_assignment:
        user: "google|ann"
        assignments: []
        purge: true
    - name: Ann leaves
      iamops.identity.identity_user:
        name: "google|ann"
        state: absent
'''


def recap(stdout):
    found = re.search(r'localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=0\s+failed=(\d+)', stdout)
    assert found, stdout
    return dict(ok=int(found.group(1)), changed=int(found.group(2)), failed=int(found.group(3)))


def assert_no_secret(text, access_key):
    assert access_key not in text
    assert access_key.split('.')[-1] not in text
    assert not JWT.search(text), JWT.search(text).group(0)[:20]


def test_onboarding_and_offboarding_playbook(emulator, playbook, access_key):
    emulator.seed({'users': [{'userId': 'google|ann', 'name': 'Ann'}, {'userId': 'google|bob', 'name': 'Bob'}],
                   'roles': [{'roleId': 'ro_viewer', 'name': 'Viewer', 'permissions': []},
                             {'roleId': 'ro_editor', 'name': 'Editor', 'permissions': []}]})
    check, entries = playbook(ONBOARD, '--check', '--diff', '-vvv')
    assert check.returncode == 0, check.stdout + check.stderr
    assert [e for e in entries if e['write']] == []
    assert_no_secret(check.stdout + check.stderr, access_key)

    real, entries = playbook(ONBOARD, '--diff', '-vvv')
    assert real.returncode == 0, real.stdout + real.stderr
    assert recap(real.stdout) == dict(ok=4, changed=4, failed=0)
    assert_no_secret(real.stdout + real.stderr, access_key)
    writes = [(e['method'], e['path']) for e in entries if e['write']]
    assert sorted(writes) == sorted([
        ('POST', '/v1/tenants'), ('PATCH', '/v1/tenants/ten_acme/users'), ('PATCH', '/v1/tenants/ten_acme/users'),
        ('POST', '/v1/groups'), ('PUT', writes[4][1]), ('POST', '/v1/records'), ('POST', '/v1/records')])
    state = emulator.dump()
    assert state['user_tenant'] == {'google|ann': 'ten_acme', 'google|bob': 'ten_acme'}
    group = [g for g in state['groups'].values() if g['name'] == 'Payroll'][0]
    assert sorted(u['userId'] for u in group['users']) == ['google|ann', 'google|bob']
    by_name = dict((r['name'], r) for r in state['records'].values())
    assert by_name['Payroll access']['groups'] == [{'groupId': group['groupId']}]
    assert by_name['Payroll editors']['users'] == [{'userId': 'google|ann'}]

    again, entries = playbook(ONBOARD, '-vvv')
    assert recap(again.stdout) == dict(ok=4, changed=0, failed=0)
    assert [e for e in entries if e['write']] == []
    assert_no_secret(again.stdout + again.stderr, access_key)

    off, entries = playbook(OFFBOARD, '--diff', '-vvv')
    assert off.returncode == 0, off.stdout + off.stderr
    assert recap(off.stdout) == dict(ok=2, changed=2, failed=0)
    assert_no_secret(off.stdout + off.stderr, access_key)
    state = emulator.dump()
    assert 'google|ann' not in state['users']
    assert state['records'][by_name['Payroll editors']['recordId']]['status'] == 'DELETED'
    assert state['records'][by_name['Payroll access']['recordId']]['status'] == 'ACTIVE'
    off_again, entries = playbook(OFFBOARD)
    assert recap(off_again.stdout) == dict(ok=2, changed=0, failed=0)
    assert [e for e in entries if e['write']] == []


def test_a_bad_key_fails_the_play_without_showing_it(emulator, playbook, access_key):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from authress_fixtures import make_access_key
    wrong = make_access_key(Ed25519PrivateKey.generate())
    proc, entries = playbook(ONBOARD, '-vvv', extra_env={'AUTHRESS_ACCESS_KEY': wrong})
    assert proc.returncode != 0
    assert 'HTTP 401' in proc.stdout and 'The token signature is invalid.' in proc.stdout
    assert [e['status'] for e in entries] == [401]
    assert_no_secret(proc.stdout + proc.stderr, wrong)
    assert_no_secret(proc.stdout + proc.stderr, access_key)
