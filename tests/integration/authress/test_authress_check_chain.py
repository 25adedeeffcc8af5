"""Check mode predicts a chain of Authress creates: a real ``ansible-playbook --check --diff`` of a
play that creates a tenant, a group with members, and an access record granting the new group
(and a new-group's member) a role, sends no write, and predicts the diffs and results the real
run then gives, but for the IDs the server hands out (issue 19)."""

import json

from authress_fixtures import access_key, authress_env, emulator, emulator_server, playbook, service_key  # noqa: F401 pylint: disable=unused-import

PLAY = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      provider: authress
  tasks:
    - name: a new tenant
      iamops.identity.identity_domain_config:
        domain: ten_chain
        config: {{tenant: {{name: Chain, domains: [chain.example]}}}}
      register: tenant
    - name: a new group with members and an admin
      iamops.identity.identity_group:
        name: chain-team
        users: [u_ann, u_bob]
        admins: [u_ann]
      register: team
    - name: a new record granting the new group a role
      iamops.identity.identity_role_assignment:
        group: chain-team
        role: ro_viewer
        resources: [/chain/*]
        record: chain-access
      register: grant
    - name: the new group in a user's groups
      iamops.identity.identity_user:
        name: u_cid
        groups: [chain-team]
        tenant: ten_chain
      register: cid
    - name: what each task said (written in check mode too)
      ansible.builtin.copy:
        dest: {out}
        content: "{{{{ dict(tenant=tenant, team=team, grant=grant, cid=cid) | to_json }}}}"
      check_mode: false
"""
TASKS = ('tenant', 'team', 'grant', 'cid')


def without_ids(value):
    """What check mode can predict of a run that creates objects: the result without the IDs the
    server gives (a group's, a record's) and without the noise of a registered result."""
    if isinstance(value, dict):
        return dict((k, without_ids(v)) for k, v in value.items()
                    if k not in ('id', 'invocation', 'warnings', 'failed', 'raw', 'last_updated'))
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def writes_of(entries):
    return [(e['method'], e['path']) for e in entries if e['write']]


def test_check_mode_predicts_the_chain_then_the_real_run_matches(emulator, playbook, tmp_path):
    emulator.seed({'users': [{'userId': u} for u in ('u_ann', 'u_bob', 'u_cid')],
                   'roles': [{'roleId': 'ro_viewer', 'name': 'Viewer', 'permissions': []}]})
    out = tmp_path / 'results.json'
    text = PLAY.format(out=out)

    proc, entries = playbook(text, '--check', '--diff')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert writes_of(entries) == []
    state = emulator.dump()
    assert state['groups'] == {} and state['records'] == {} and state['tenants'] == {}
    check = json.loads(out.read_text())

    proc, entries = playbook(text, '--diff')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not [line for line in (proc.stdout + proc.stderr).splitlines()
                if 'WARNING' in line and 'check mode takes it as created' in line]
    real = json.loads(out.read_text())
    # the server holds what the real run reported
    state = emulator.dump()
    (group,) = state['groups'].values()
    assert group['name'] == 'chain-team' and sorted(u['userId'] for u in group['users']) == ['u_ann', 'u_bob', 'u_cid']
    (record,) = state['records'].values()
    assert record['groups'] == [{'groupId': group['groupId']}] and record['name'] == 'chain-access'
    assert state['user_tenant'] == {'u_cid': 'ten_chain'}
    assert real['team']['group']['id'] == group['groupId']
    assert real['grant']['assignment']['record']['id'] == record['recordId']

    for task in TASKS:
        assert check[task]['changed'] is True and real[task]['changed'] is True, task
        assert without_ids(check[task]) == without_ids(real[task]), (task, check[task], real[task])

    # a second run, and a second check run, change and predict nothing
    proc, entries = playbook(text, '--check', '--diff')
    assert proc.returncode == 0 and writes_of(entries) == []
    again = json.loads(out.read_text())
    assert [again[t]['changed'] for t in TASKS] == [False] * 4
    proc, entries = playbook(text)
    assert proc.returncode == 0 and writes_of(entries) == []
