"""Check mode predicts what the real run does, for a OneLogin chain (issue 19): a real
``ansible-playbook --check --diff`` of a play that creates a user, puts it in a group and grants it
a role, then the real run. What each task returns and its diff are the same in both, but for the
IDs the server gives; a new user's prediction carries OneLogin's defaults (state approved, status
password pending or active, no role, no manager). Zero writes in check mode (the emulator's log);
a second run writes nothing and changes nothing."""

import json

PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: a new user
      iamops.identity.identity_user:
        name: chain
        email: chain@example.com
        first_name: Chai
        title: Intern
      register: created
    - name: another, with a password and suspended
      iamops.identity.identity_user:
        users:
          - {{name: link, email: link@example.com, password: Link-Pa55word, enabled: false, user_state: unapproved,
             groups: [Staff]}}
      register: batch
    - name: then the first one's group
      iamops.identity.identity_user:
        name: chain
        groups: [Staff]
      register: grouped
    - name: then a role
      iamops.identity.identity_role_assignment:
        user: chain
        role: Staff
      register: granted
    - name: what each task said (written in check mode too)
      ansible.builtin.copy:
        dest: {out}
        content: "{{{{ dict(created=created, batch=batch, grouped=grouped, granted=granted) | to_json }}}}"
      check_mode: false
"""
TASKS = ('created', 'batch', 'grouped', 'granted')


def without_ids(value):
    """``value`` without the IDs the server gives and the noise of a registered result."""
    if isinstance(value, dict):
        return dict((k, without_ids(v)) for k, v in value.items()
                    if k not in ('id', 'invocation', 'warnings', 'rate_limit', 'failed', 'item', 'locked_until'))
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def writes_of(entries):
    """Writes of state (a token request is a POST that changes nothing the play manages)."""
    return [e for e in entries if e['write'] and not e['path'].startswith('/auth/oauth2/')]


def test_check_mode_chain_predicts_the_real_run(playbook, state, tmp_path):
    state.seed(groups=[{'name': 'Staff'}], roles=[{'name': 'Staff'}])
    out = tmp_path / 'out.json'
    proc, entries = playbook(PLAY.format(out=out), '--check', '--diff')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert writes_of(entries) == [] and state.dump()['users'] == []
    check = json.loads(out.read_text())

    proc, entries = playbook(PLAY.format(out=out), '--diff')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    real = json.loads(out.read_text())
    chain, link = state.user('chain'), state.user('link')
    assert (chain['title'], chain['group_id'], state.role_names('chain')) == ('Intern', 300001, ['Staff'])
    assert (link['status'], link['state'], link['group_id']) == (2, 0, 300001)
    assert [(e['method'], e['path']) for e in writes_of(entries)] == [
        ('POST', '/api/2/users'), ('POST', '/api/2/users'), ('PUT', '/api/2/users/%d' % chain['id']),
        ('PUT', '/api/1/users/%d/add_roles' % chain['id'])]

    # the prediction of a new user is the user the real run made, defaults included
    assert check['created']['user']['id'] is None and real['created']['user']['id'] == str(chain['id'])
    assert without_ids(check['created']['user']) == without_ids(real['created']['user'])
    assert check['created']['user']['status'] == 'password_pending' and check['created']['user']['user_state'] == 'approved'
    assert check['batch']['results'][0]['user']['status'] == 'suspended'
    assert check['batch']['results'][0]['user']['group_id'] == '300001'
    assert check['created']['diff'] == real['created']['diff']
    for task in ('created', 'batch', 'granted'):
        assert check[task]['changed'] is True and real[task]['changed'] is True, task
        assert without_ids(check[task]) == without_ids(real[task]), task
    # the group: the same change predicted (check mode cannot know that the first task made the
    # user, so it also predicts its create: the 'name' in its diff)
    assert check['grouped']['groups'] == real['grouped']['groups'] == [{'id': '300001', 'name': 'Staff', 'domain_id': None}]
    assert check['grouped']['diff']['before'] == real['grouped']['diff']['before'] == {'groups': []}
    assert check['grouped']['diff']['after']['groups'] == real['grouped']['diff']['after']['groups'] == ['Staff']

    # a second run, checked then real, changes and writes nothing
    for options in (('--check', '--diff'), ('--diff',)):
        proc, entries = playbook(PLAY.format(out=out), *options)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        again = json.loads(out.read_text())
        assert [again[t]['changed'] for t in TASKS] == [False] * 4, options
        assert writes_of(entries) == []
