"""A real ansible-playbook run against scim2-server (module_defaults for the action group):
check mode writes nothing, the run writes, the rerun writes nothing - at -vvv, with neither the
bearer token nor a password anywhere in the output (the secret scan checks every output too)."""

import re

from .conftest import TOKEN

PASSWORD = 'it-scim-play-Passw0rd-6b2e'

PLAY = '''
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      provider: scim
      api_url: "{{ scim_url }}"
      scim_token: "{{ scim_token }}"
  vars:
    scim_url: %(url)s
    scim_token: %(token)s
  tasks:
    - name: A team
      iamops.identity.identity_group:
        name: staff

    - name: Joiners
      iamops.identity.identity_user:
        users:
          - name: asmith
            email: asmith@example.com
            first_name: Alice
            password: %(password)s
            groups: [staff]
          - name: bjones
            email: bjones@example.com

    - name: Alice audits
      iamops.identity.identity_role_assignment:
        user: asmith
        role: auditor

    - name: A leaver is disabled and out of every group
      iamops.identity.identity_user:
        name: bjones
        enabled: false
        groups: []
        purge_groups: true
'''


def recap(output):
    match = re.search(r'localhost\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)', output)
    assert match, output[-2000:]
    return tuple(int(x) for x in match.groups())


def test_check_run_rerun(playbook, scim_server, admin):
    text = PLAY % {'url': scim_server.url, 'token': TOKEN, 'password': PASSWORD}
    checked, entries = playbook(text, '--check', '-vvv')
    assert recap(checked.stdout) == (4, 4, 0), checked.stdout[-3000:]
    assert [e for e in entries if e.method in ('POST', 'PUT', 'PATCH', 'DELETE')] == []
    assert admin.users() == [] and admin.groups() == []
    run, entries = playbook(text, '-vvv')
    assert recap(run.stdout) == (4, 4, 0), run.stdout[-3000:]
    assert admin.members('staff') == ['asmith']
    assert admin.user('bjones')['active'] is False
    assert [r['value'] for r in admin.user('asmith')['roles']] == ['auditor']
    again, entries = playbook(text, '-vvv')
    assert recap(again.stdout) == (4, 0, 0), again.stdout[-3000:]
    assert [e for e in entries if e.method in ('POST', 'PUT', 'PATCH', 'DELETE')] == []
    for proc in (checked, run, again):
        output = proc.stdout + proc.stderr
        assert TOKEN not in output and PASSWORD not in output
