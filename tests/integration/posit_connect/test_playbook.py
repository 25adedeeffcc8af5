"""Real ansible-playbook runs against the Connect emulator: check mode, the run, the rerun, and
the failures (401, 404) - with -vvv, and no API key or password anywhere in the output."""

import re

PASSWORDS = ('Onboard-Passw0rd-a1b2c3', 'Onboard-Passw0rd-d4e5f6')

PLAY = '''
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      provider: posit_connect
      api_url: "{{ connect_url }}"
      api_key: "{{ connect_key }}"
  vars:
    connect_url: %(url)s
    connect_key: %(key)s
  tasks:
    - name: Teams
      iamops.identity.identity_group:
        groups:
          - name: staff
          - name: data

    - name: Joiners
      iamops.identity.identity_user:
        groups: [staff]
        users:
          - name: asmith
            email: asmith@example.com
            first_name: Alice
            last_name: Smith
            password: %(pw0)s
          - name: bjones
            email: bjones@example.com
            password: %(pw1)s
            user_role: publisher
            groups: [staff, data]

    - name: Alice administers
      iamops.identity.identity_role_assignment:
        user: asmith
        role: administrator

    - name: A leaver is locked
      iamops.identity.identity_user:
        name: leaver
        locked: true
        groups: []
        purge_groups: true
'''

CHANGES = '''
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      provider: posit_connect
  tasks:
    - name: Alice moves teams and changes her address
      iamops.identity.identity_user:
        name: asmith
        email: alice.smith@example.com
        groups: [data]
        purge_groups: true

    - name: The leaver comes back
      iamops.identity.identity_user:
        name: leaver
        locked: false

    - name: Bob is no longer a publisher
      iamops.identity.identity_role_assignment:
        user: bjones
        role: publisher
        state: absent
'''

FAILURES = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: A group that does not exist (404)
      iamops.identity.identity_user:
        provider: posit_connect
        api_url: %(url)s
        api_key: %(key)s
        name: asmith
        groups: [6f300623-1e0c-48e6-a473-ddf630c0c0c3]
      register: missing
      ignore_errors: true

    - name: A wrong key (401)
      iamops.identity.identity_user_info:
        provider: posit_connect
        api_url: %(url)s
        api_key: wrong-%(key)s
        name: asmith
      register: unauthorized
      ignore_errors: true

    - name: Both fail with one clear message
      ansible.builtin.assert:
        that:
          - missing is failed
          - "'not found' in missing.msg"
          - unauthorized is failed
          - unauthorized.status == 401
          - "\\"couldn't log you in\\" in unauthorized.msg"
'''


def recap(stdout):
    found = re.search(r'localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)', stdout)
    assert found, stdout[-3000:]
    return dict(zip(('ok', 'changed', 'unreachable', 'failed'), map(int, found.groups())))


def no_secret(proc, key):
    text = proc.stdout + proc.stderr
    for secret in (key,) + PASSWORDS:
        assert secret not in text, 'a secret leaked into the ansible-playbook output'


def test_onboarding_play_check_run_rerun_at_vvv(playbook, emu, state, connection):
    emu.seed({'users': [dict(username='leaver', email='l@x')], 'groups': [{'name': 'old', 'members': ['leaver']}]})
    key = connection['api_key']
    text = PLAY % dict(url=emu.url, key=key, pw0=PASSWORDS[0], pw1=PASSWORDS[1])

    proc, entries = playbook(text, '--check', '--diff', '-vvv')
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert recap(proc.stdout)['changed'] == 4
    assert [r for r in entries if r['write']] == []
    assert state.user('asmith') is None
    no_secret(proc, key)

    proc, entries = playbook(text, '--diff', '-vvv')
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert recap(proc.stdout)['changed'] == 4
    assert '********' in proc.stdout     # the passwords in the diff
    no_secret(proc, key)
    writes = [(r['method'], r['path'].split('/')[-1] if r['path'].endswith('lock') else r['path'].split('/')[3])
              for r in entries if r['write']]
    assert len(writes) == 2 + 2 + 3 + 1 + 2      # groups, users, memberships, role, lock + purge
    assert state.user('asmith')['user_role'] == 'administrator' and state.user('asmith')['first_name'] == 'Alice'
    assert state.user('bjones')['user_role'] == 'publisher'
    assert state.members('staff') == ['asmith', 'bjones'] and state.members('data') == ['bjones']
    assert state.user('leaver')['locked'] is True and state.members('old') == []

    proc, entries = playbook(text, '--diff', '-vvv')
    assert proc.returncode == 0
    assert recap(proc.stdout)['changed'] == 0
    assert [r for r in entries if r['write']] == []
    no_secret(proc, key)


def test_update_unlock_and_role_change_play_from_the_environment(playbook, emu, state, connection):
    """Connection from CONNECT_SERVER / CONNECT_API_KEY, as AWX would inject them."""
    emu.seed({'users': [dict(username='asmith', email='asmith@example.com'),
                        dict(username='bjones', email='b@x', user_role='publisher'),
                        dict(username='leaver', email='l@x', locked=True)],
              'groups': [{'name': 'staff', 'members': ['asmith']}, {'name': 'data'}]})
    key = connection['api_key']
    env = {'CONNECT_SERVER': emu.url, 'CONNECT_API_KEY': key}
    proc, entries = playbook(CHANGES, '--check', '--diff', '-vvv', extra_env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert recap(proc.stdout)['changed'] == 3 and [r for r in entries if r['write']] == []
    assert 'alice.smith@example.com' in proc.stdout          # the diff shows the new address
    no_secret(proc, key)

    proc, entries = playbook(CHANGES, '--diff', extra_env=env)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert recap(proc.stdout)['changed'] == 3
    assert len([r for r in entries if r['write']]) == 5   # PUT email, member add + remove, unlock, PUT role
    assert state.user('asmith')['email'] == 'alice.smith@example.com'
    assert state.members('data') == ['asmith'] and state.members('staff') == []
    assert state.user('leaver')['locked'] is False and state.user('bjones')['user_role'] == 'viewer'

    proc, entries = playbook(CHANGES, extra_env=env)
    assert recap(proc.stdout)['changed'] == 0 and [r for r in entries if r['write']] == []


def test_failures_are_one_clear_message_at_vvv(playbook, emu, connection):
    emu.seed({'users': [dict(username='asmith', email='a@x')]})
    key = connection['api_key']
    proc, entries = playbook(FAILURES % dict(url=emu.url, key=key), '-vvv')
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert recap(proc.stdout)['failed'] == 0
    assert [r for r in entries if r['write']] == []
    assert [r['status'] for r in entries if r['path'].startswith('/__api__/v1/groups/')] == [404]
    assert 401 in [r['status'] for r in entries]
    assert 'Traceback' not in proc.stdout + proc.stderr
    no_secret(proc, key)
