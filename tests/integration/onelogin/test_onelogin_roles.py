"""identity_role_assignment(_info) against the OneLogin emulator, and a real ansible-playbook run
at -vvv with every output searched for the client secret and the access tokens."""

from run_warnings import warning_text

ROLES = [{'name': 'Staff'}, {'name': 'Admins'}, {'name': 'Auditors'}]


def writes(run):
    return [(e['method'], e['path']) for e in run.writes]


def test_one_role_rerun_and_removal(run_module, state):
    state.seed(roles=ROLES, users=[{'username': 'ann', 'email': 'ann@example.com'}])
    user_id = state.user('ann')['id']
    granted = run_module('identity_role_assignment', _diff=True, user='ann', role='Staff')
    assert granted['changed'] is True and state.role_names('ann') == ['Staff']
    assert writes(granted) == [('PUT', '/api/1/users/%d/add_roles' % user_id)]
    assert granted['assignment'] == {'role': {'id': '200001', 'name': 'Staff'}, 'user': {'id': str(user_id), 'name': 'ann'}}
    assert granted['diff'] == {'prepared': '+ Staff\n'}      # one line, no IDs
    again = run_module('identity_role_assignment', user='ann', role='200001')     # by ID: the same role
    assert again['changed'] is False and again.writes == []
    checked = run_module('identity_role_assignment', _check=True, user='ann', role='Staff', state='absent')
    assert checked['changed'] is True and checked.writes == [] and state.role_names('ann') == ['Staff']
    removed = run_module('identity_role_assignment', user='ann', role='Staff', state='absent')
    assert removed['changed'] is True and state.role_names('ann') == []
    assert writes(removed) == [('PUT', '/api/1/users/%d/remove_roles' % user_id)]
    unknown = run_module('identity_role_assignment', user='ann', role='Nope')
    assert unknown['failed'] is True and "role 'Nope' not found" in unknown['msg'] and unknown.writes == []


def test_exclusive_roles_with_purge(run_module, state):
    state.seed(roles=ROLES, users=[{'username': 'bob', 'email': 'bob@example.com', 'role_ids': [200001, 200003]}])
    user_id = state.user('bob')['id']
    args = dict(user='bob', purge=True, assignments=[dict(role='Admins'), dict(role='Staff')])
    predicted = run_module('identity_role_assignment', _check=True, _diff=True, **args)
    assert predicted['changed'] is True and predicted.writes == []
    assert predicted['diff'] == {'prepared': '- Auditors\n+ Admins\n'}
    result = run_module('identity_role_assignment', **args)
    assert result['changed'] is True and state.role_names('bob') == ['Admins', 'Staff']
    assert writes(result) == [('PUT', '/api/1/users/%d/add_roles' % user_id),
                              ('PUT', '/api/1/users/%d/remove_roles' % user_id)]
    assert [a['role']['name'] for a in result['purged']] == ['Auditors']
    rerun = run_module('identity_role_assignment', **args)
    assert rerun['changed'] is False and rerun.writes == []
    assert [(e['method'], e['path']) for e in rerun.entries] == [
        ('POST', '/auth/oauth2/v2/token'), ('GET', '/api/2/users'), ('GET', '/api/2/roles')]
    wiped = run_module('identity_role_assignment', user='bob', purge=True, assignments=[dict(user='bob')])
    assert wiped['changed'] is True and state.role_names('bob') == []


def test_many_users_in_one_task(run_module, state):
    state.seed(roles=ROLES, users=[{'username': 'u%d' % i, 'email': 'u%d@example.com' % i} for i in range(5)])
    items = [dict(user='u%d' % i, role=role) for i in range(5) for role in ('Staff', 'Auditors')]
    result = run_module('identity_role_assignment', assignments=items)
    assert result['changed'] is True and len(result.writes) == 10
    assert len(result.entries) == 13                       # token, one user listing, one role listing
    assert all(state.role_names('u%d' % i) == ['Auditors', 'Staff'] for i in range(5))
    rerun = run_module('identity_role_assignment', assignments=items)
    assert rerun['changed'] is False and rerun.writes == [] and len(rerun.entries) == 3
    info = run_module('identity_role_assignment_info', role='Auditors')
    assert sorted(a['user']['name'] for a in info['role_assignments']) == ['u%d' % i for i in range(5)]
    mine = run_module('identity_role_assignment_info', user='u0', query='role_assignments[].role.name')
    assert sorted(mine['query_result']) == ['Auditors', 'Staff']
    every = run_module('identity_role_assignment_info')
    assert len(every['role_assignments']) == 10 and every['role_assignments'][0]['raw']['role_id'] in (200001, 200003)


def test_role_batch_over_the_budget_is_refused_before_any_write(run_module, state):
    state.seed(roles=ROLES, users=[{'username': 'v%d' % i, 'email': 'v%d@example.com' % i} for i in range(4)],
               config={'rate_limit': {'limit': 5, 'window': 600}})
    items = [dict(user='v%d' % i, role='Staff') for i in range(4)]
    refused = run_module('identity_role_assignment', assignments=items)
    assert refused['failed'] is True and refused.writes == []
    assert 'the batch of 4 assignments needs at least 4 requests but only 3 of the rate limit' in refused['msg']


def test_playbook_at_vvv_shows_no_secret(playbook, state, onelogin, onelogin_env):
    state.seed(roles=ROLES, groups=[{'name': 'Staff'}])
    play = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: onboard
      iamops.identity.identity_user:
        users:
          - {name: pb1, email: pb1@example.com, first_name: P, groups: [Staff]}
          - {name: pb2, email: pb2@example.com, first_name: Q, groups: [Staff]}
        password: Initial-Pa55word
    - name: roles
      iamops.identity.identity_role_assignment:
        assignments:
          - {user: pb1, role: Staff}
          - {user: pb2, role: Admins}
    - name: offboard pb2
      iamops.identity.identity_user:
        name: pb2
        enabled: false
        logout: true
        password: Other-Pa55word
        update_password: always
      register: offboarded
    - name: what the role run reports
      ansible.builtin.debug:
        var: offboarded
"""
    proc, entries = playbook(play, '-vvv', '--diff')
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    assert 'changed=3' in output and 'failed=0' in output
    assert state.user('pb2')['status'] == 2 and state.user('pb2')['logouts'] == 1
    assert state.role_names('pb1') == ['Staff'] and state.role_names('pb2') == ['Admins']
    tokens = list(onelogin.tokens) + [t['refresh_token'] for t in onelogin.tokens.values()]
    assert tokens and len(entries) > 10
    for secret in [onelogin_env['ONELOGIN_CLIENT_SECRET'], 'Initial-Pa55word', 'Other-Pa55word'] + tokens:
        assert secret not in output, 'a secret is in the -vvv output'
    again, entries = playbook(play.replace('update_password: always', 'update_password: on_create'), '-vvv')
    assert 'changed=1' in again.stdout      # only the logout, which is never a no-op
    assert [(e['method'], e['path']) for e in entries if e['method'] in ('PUT', 'DELETE') or
            (e['method'] == 'POST' and not e['path'].startswith('/auth/'))] == [
        ('PUT', '/api/1/users/%d/logout' % state.user('pb2')['id'])]


def test_playbook_check_diff_errors_and_purge(playbook, state, onelogin):
    state.seed(roles=ROLES, config={'page_size': 2, 'max_page_size': 2},
               users=[{'username': 'p%d' % i, 'email': 'p%d@example.com' % i} for i in range(3)])
    state.seed(users=[{'username': 'keeper', 'email': 'keeper@example.com', 'role_ids': [200001, 200003]}])
    play = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: predicted only
      iamops.identity.identity_user: {name: newbie, email: newbie@example.com, title: Intern}
      check_mode: true
      register: predicted
    - name: a duplicate e-mail
      iamops.identity.identity_user: {name: other, email: p0@example.com}
      ignore_errors: true
      register: duplicate
    - name: bad credentials
      iamops.identity.identity_user_info: {client_secret: not-the-secret}
      ignore_errors: true
      register: denied
    - name: exactly Admins
      iamops.identity.identity_role_assignment:
        user: keeper
        purge: true
        assignments: [{role: Admins}]
      register: purged
    - name: every user, over pages
      iamops.identity.identity_user_info: {query: "users[].name"}
      register: everyone
    - name: what happened
      ansible.builtin.assert:
        that:
          - predicted is changed and predicted.user.id is none
          - predicted.diff.after.title == 'Intern'
          - duplicate is failed and duplicate.msg is search('HTTP 422. Validation failed. Email has already been taken')
          - denied is failed and denied.status == 401 and denied.msg is search('Authentication Failure')
          - purged is changed and purged.purged | map(attribute='role.name') | sort == ['Auditors', 'Staff']
          - everyone.query_result == ['p0', 'p1', 'p2', 'keeper']
"""
    proc, entries = playbook(play, '--diff')
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert state.user('newbie') is None and state.role_names('keeper') == ['Admins']
    # --diff prints the purge as one line per revoked role, right under its task's banner
    task = proc.stdout[proc.stdout.index('TASK [exactly Admins]'):]
    assert task.splitlines()[1:3] == ['- Auditors', '- Staff'], task[:500]
    pages = [e for e in entries if e['path'] == '/api/2/users' and e['method'] == 'GET']
    assert len(pages) >= 2 + 1                                 # the info listing took two pages
    assert 'not-the-secret' not in proc.stdout + proc.stderr


# ---- on_missing ----------------------------------------------------------------------------------

def test_on_missing_role(run_module, state):
    state.seed(roles=ROLES, users=[{'username': 'cat', 'email': 'cat@example.com', 'role_ids': [200003]}])
    user_id = state.user('cat')['id']
    args = dict(user='cat', purge=True, assignments=[dict(role='Staff'), dict(role='Ghosts')])
    failed = run_module('identity_role_assignment', **args)
    assert failed['failed'] is True and "assignments[1]: role 'Ghosts' not found" in failed['msg'] and failed.writes == []
    assert 'Traceback' not in failed.stderr and state.role_names('cat') == ['Auditors']
    absent = run_module('identity_role_assignment', user='cat', role='Ghosts', state='absent')
    assert absent.get('failed') is not True and absent['changed'] is False and absent.writes == []  # revoked already: a warning
    assert 'nothing to revoke' in str(absent.get('warnings')), absent.get('warnings')
    check = run_module('identity_role_assignment', _check=True, _diff=True, on_missing='warn', **args)
    assert check['changed'] is True and check.writes == [] and check['diff'] == {'prepared': '- Auditors\n+ Staff\n'}
    result = run_module('identity_role_assignment', on_missing='warn', **args)
    assert "assignments[1]: left out, nothing granted: onelogin: role 'Ghosts' not found" in warning_text(result)
    assert state.role_names('cat') == ['Staff']    # the purge kept the listed role that exists, nothing more
    assert writes(result) == [('PUT', '/api/1/users/%d/add_roles' % user_id), ('PUT', '/api/1/users/%d/remove_roles' % user_id)]
    rerun = run_module('identity_role_assignment', on_missing='ignore', **args)
    assert rerun['changed'] is False and rerun.writes == [] and warning_text(rerun) == ''
    assert len(rerun.entries) == 3   # token, users, roles
    single = run_module('identity_role_assignment', on_missing='warn', user='cat', role='Ghosts', state='absent')
    assert single['changed'] is False and single.writes == [] and "nothing to revoke: onelogin: role 'Ghosts'" in warning_text(single)


def test_on_missing_user(run_module, state):
    state.seed(roles=ROLES, users=[{'username': 'dan', 'email': 'dan@example.com'}])
    failed = run_module('identity_role_assignment', user='nobody', role='Staff')
    assert failed['failed'] is True and "user 'nobody' not found" in failed['msg'] and failed.writes == []
    items = [dict(user='nobody', role='Staff'), dict(user='dan', role='Staff')]
    check = run_module('identity_role_assignment', _check=True, on_missing='warn', assignments=items)
    assert check['changed'] is True and check.writes == [] and 'check mode takes it as created' in warning_text(check)
    result = run_module('identity_role_assignment', on_missing='warn', assignments=items)
    assert "assignments[0]: left out, nothing granted: onelogin: user 'nobody' not found" in warning_text(result)
    assert state.role_names('dan') == ['Staff'] and len(result.writes) == 1
    alone = run_module('identity_role_assignment', on_missing='ignore', user='nobody', role='Staff')
    assert alone['changed'] is False and alone.writes == [] and warning_text(alone) == ''
    rerun = run_module('identity_role_assignment', on_missing='warn', assignments=items)
    assert rerun['changed'] is False and rerun.writes == []


def test_left_out_items_do_not_count_against_the_rate_limit_budget(run_module, state):
    state.seed(roles=ROLES, users=[{'username': 'w%d' % i, 'email': 'w%d@example.com' % i} for i in range(2)],
               config={'rate_limit': {'limit': 5, 'window': 600}})
    items = [dict(user='w%d' % i, role=role) for i in range(2) for role in ('Staff', 'Ghosts')]
    result = run_module('identity_role_assignment', on_missing='warn', assignments=items)
    assert result.get('failed') is not True, result.result
    assert len(result.writes) == 2 and state.role_names('w0') == ['Staff'] and state.role_names('w1') == ['Staff']
