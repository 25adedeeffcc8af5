"""Check mode predicts a chain of tasks on Posit Connect (a new user, then put in a group, then
given a role): a real ``ansible-playbook --check --diff`` sends no write and reports, task by
task, the diffs and results the real run then reports - the prediction of a new user carries
Connect's defaults (``user_role: viewer``, unlocked), so the role task's ``before`` is the
``viewer`` the real run finds."""

import json

from .test_playbook import recap

PLAY = '''
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      provider: posit_connect
      api_url: %(url)s
      api_key: %(key)s
  tasks:
    - name: a new user
      iamops.identity.identity_user:
        name: newbie
        email: newbie@example.com
        first_name: New
      register: user
    - name: the new user in an existing group
      iamops.identity.identity_group:
        name: Team
        users: [old, newbie]
      register: group
    - name: a role for the new user
      iamops.identity.identity_role_assignment:
        user: newbie
        role: publisher
      register: grant
    - name: what each task said (written in check mode too)
      ansible.builtin.copy:
        dest: %(out)s
        content: "{{ dict(user=user, group=group, grant=grant) | to_json }}"
      check_mode: false
'''

# what only the server knows: when, and whether a password-less user is "confirmed" (it depends on
# the server's authentication provider, which check mode does not read)
NOISE = ('invocation', 'warnings', 'failed', 'created_time', 'updated_time', 'active_time', 'confirmed')


def comparable(value):
    """``value`` without what only the server can know (guids, timestamps) and Ansible's noise."""
    if isinstance(value, dict):
        return dict((k, comparable(v)) for k, v in value.items()
                    if k not in NOISE and not (k in ('id', 'guid') and (v is None or isinstance(v, str))))
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


def test_check_diff_predicts_the_real_run(playbook, emu, state, connection, tmp_path):
    emu.seed({'users': [{'username': 'old', 'email': 'old@x'}], 'groups': [{'name': 'Team', 'members': ['old']}]})
    out = tmp_path / 'results.json'
    text = PLAY % dict(url=emu.url, key=connection['api_key'], out=out)

    proc, entries = playbook(text, '--check', '--diff')
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert [e for e in entries if e['write']] == [] and state.user('newbie') is None
    assert recap(proc.stdout)['changed'] == 4     # the three tasks and the copy
    check = json.loads(out.read_text())

    proc, entries = playbook(text, '--diff')
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    real = json.loads(out.read_text())
    assert [(e['method'], e['path'].rsplit('/', 1)[-1]) for e in entries if e['write']][0] == ('POST', 'users')
    assert len([e for e in entries if e['write']]) == 3      # the user, the member, the role
    assert state.user('newbie')['user_role'] == 'publisher' and state.members('Team') == ['newbie', 'old']

    # Connect's default role (viewer) is what the new user holds in both runs; the grant's one line
    # is the same in check mode as in the real run (the floor role it replaces is not listed)
    for result in (real, check):
        assert result['grant']['diff'] == {'prepared': '+ user_role publisher\n'}, result['grant']['diff']
    assert check['user']['user']['user_role'] == real['user']['user']['user_role'] == 'viewer'
    for task in ('user', 'group', 'grant'):
        assert check[task]['changed'] is True and real[task]['changed'] is True, task
        assert comparable(check[task]['diff']) == comparable(real[task]['diff']), (task, check[task]['diff'],
                                                                                   real[task]['diff'])
        assert comparable(check[task]) == comparable(real[task]), (task, comparable(check[task]), comparable(real[task]))

    proc, entries = playbook(text, '--diff')
    assert proc.returncode == 0 and [e for e in entries if e['write']] == []
    again = json.loads(out.read_text())
    assert [again[task]['changed'] for task in ('user', 'group', 'grant')] == [False, False, False]
