"""Check mode predicts across tasks: a real ``ansible-playbook --check`` of an ordinary onboarding
play (a user created, then put in a group by identity_group; a group created, then named in a
user's ``groups``; a role granted to a new user) succeeds with warnings, sends no write to
Keystone (its access log), and predicts what the real run then does."""

import json

PLAY = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      cloud: iamops-test
  tasks:
    - name: a new user
      iamops.identity.identity_user:
        name: {ann}
        domain: {domain}
        email: {ann}@example.com
      register: ann
    - name: a new group, with the new user in it
      iamops.identity.identity_group:
        name: {ops}
        domain: {domain}
        description: operators
        users: [{ann}]
      register: ops
    - name: another new group
      iamops.identity.identity_group:
        name: {dev}
        domain: {domain}
      register: dev
    - name: a new user named in the new group and in an existing one
      iamops.identity.identity_user:
        name: {bob}
        domain: {domain}
        groups: [{dev}, {old}]
      register: bob
    - name: a role for the new user
      iamops.identity.identity_role_assignment:
        user: {ann}
        user_domain: {domain}
        role: member
        project: {project}
        project_domain: {domain}
      register: grant
    - name: what each task said (written in check mode too)
      ansible.builtin.copy:
        dest: {out}
        content: "{{{{ dict(ann=ann, ops=ops, dev=dev, bob=bob, grant=grant) | to_json }}}}"
      check_mode: false
"""


def writes_of(entries):
    return [e for e in entries if e.method in ('POST', 'PUT', 'PATCH', 'DELETE') and e.path != '/v3/auth/tokens']


def without_ids(value):
    """``value`` with every ``id`` and ``*_id`` of a user, group or actor dropped, and the
    noise of a registered result (invocation, warnings, diff) removed: what check mode can
    predict of a run that creates objects."""
    if isinstance(value, dict):
        return dict((k, without_ids(v)) for k, v in value.items()
                    if k not in ('id', 'invocation', 'warnings', 'diff', 'failed', 'default_project_id',
                                 'password_expires_at', 'options'))
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def test_check_mode_predicts_a_chain_of_creates_then_the_real_run_matches(playbook, admin, access_log, uniq, tmp_path):
    dom = admin.make_domain('chain-' + uniq)
    project = admin.make_project('chain-proj-' + uniq, dom['id'])
    old = admin.post('/groups', {'group': {'name': 'old-' + uniq, 'domain_id': dom['id']}})['group']
    names = dict(ann='ann-' + uniq, bob='bob-' + uniq, ops='ops-' + uniq, dev='dev-' + uniq, old=old['name'],
                 domain=dom['name'], project=project['name'])
    out = tmp_path / 'results.json'

    proc, entries = playbook(PLAY.format(out=out, **names), '--check')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert writes_of(entries) == []
    assert admin.user(names['ann'], dom['id']) is None and admin.user(names['bob'], dom['id']) is None
    assert admin.get('/groups', name=names['ops'], domain_id=dom['id'])['groups'] == []
    text = ' '.join((proc.stdout + proc.stderr).split())
    for warned in ("user %r not found in domain %r" % (names['ann'], dom['name']),
                   "group %r not found in domain %r" % (names['dev'], dom['name'])):
        assert warned in text, proc.stderr
    assert text.count('check mode takes it as created by an earlier task') == 3, proc.stderr
    check = json.loads(out.read_text())

    proc, entries = playbook(PLAY.format(out=out, **names))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'check mode takes it as created' not in proc.stdout + proc.stderr
    real = json.loads(out.read_text())

    # the server holds what the real run reported
    ann = admin.user(names['ann'], dom['id'])
    bob = admin.user(names['bob'], dom['id'])
    ops = admin.get('/groups', name=names['ops'], domain_id=dom['id'])['groups'][0]
    dev = admin.get('/groups', name=names['dev'], domain_id=dom['id'])['groups'][0]
    assert [u['id'] for u in admin.get('/groups/%s/users' % ops['id'])['users']] == [ann['id']]
    assert sorted(g['id'] for g in admin.get('/users/%s/groups' % bob['id'])['groups']) == sorted([dev['id'], old['id']])
    grants = admin.get('/role_assignments', **{'user.id': ann['id']})['role_assignments']
    assert [(a['role']['id'], a['scope']['project']['id']) for a in grants] == [
        (admin.get('/roles', name='member')['roles'][0]['id'], project['id'])]
    assert real['ann']['user']['id'] == ann['id'] and real['ops']['group']['id'] == ops['id']
    assert real['grant']['assignment']['user']['id'] == ann['id']
    # ann; ops and its member; dev; bob and its two groups; the grant
    assert [e.method for e in writes_of(entries)] == ['POST', 'POST', 'PUT', 'POST', 'POST', 'PUT', 'PUT', 'PUT']

    # what check mode predicted is what happened, but for the IDs the server gave
    for task in ('ann', 'ops', 'dev', 'bob', 'grant'):
        assert check[task]['changed'] is True and real[task]['changed'] is True, task
        assert without_ids(check[task]) == without_ids(real[task]), task
    assert check['ann']['user']['id'] is None and check['grant']['assignment']['user']['id'] is None
    assert check['bob']['groups'] == sorted([
        {'id': None, 'name': names['dev'], 'domain_id': dom['id']},
        {'id': old['id'], 'name': old['name'], 'domain_id': dom['id']}], key=lambda g: g['name'])

    # and a second check run, now that everything exists, predicts nothing and warns of nothing
    proc, entries = playbook(PLAY.format(out=out, **names), '--check')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    again = json.loads(out.read_text())
    assert [again[t]['changed'] for t in ('ann', 'ops', 'dev', 'bob', 'grant')] == [False] * 5
    assert 'check mode takes it as created' not in proc.stdout + proc.stderr
    assert writes_of(entries) == []
