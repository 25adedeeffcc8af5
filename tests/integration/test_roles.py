"""The onboarding and offboarding roles, run by real ansible-playbook against a real Keystone."""

import json
import stat

import pytest

import secret_scan


def recap(output):
    line = [l for l in output.splitlines() if l.startswith('localhost')][-1]
    return dict(part.split('=') for part in line.split(':', 1)[1].split())


@pytest.fixture
def team(admin, uniq):
    """A domain with two projects and two groups, and the people file of three joiners."""
    dom = admin.make_domain('team-' + uniq)
    research = admin.make_project('research', dom['id'])
    payroll = admin.make_project('payroll', dom['id'])
    groups = dict((name, admin.post('/groups', {'group': {'name': name, 'domain_id': dom['id']}})['group'])
                  for name in ('staff', 'research'))
    people = [
        {'name': 'ada-' + uniq, 'email': 'ada@example.com', 'password': 'Ada-Passw0rd-' + uniq,
         'groups': ['staff', 'research'],
         'roles': [{'role': 'member', 'project': 'research'}, {'role': 'reader', 'project': 'payroll'}]},
        {'name': 'grace-' + uniq, 'email': 'grace@example.com', 'password': 'Grace-Passw0rd-' + uniq,
         'groups': ['staff'], 'roles': [{'role': 'member', 'project': 'payroll'}]},
        {'name': 'alan-' + uniq, 'groups': ['staff'], 'roles': [{'role': 'reader', 'domain': dom['name']}]},
    ]
    return dict(domain=dom, projects={'research': research, 'payroll': payroll}, groups=groups, people=people)


def run_role(playbook, role, variables, tmp_path, *options, returncode=0):
    path = tmp_path / ('%s-vars.json' % role)
    path.write_text(json.dumps(variables))
    play = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      cloud: iamops-test
  roles:
    - iamops.identity.%s
""" % role
    proc, entries = playbook(play, '-e', '@' + str(path), *options)
    assert proc.returncode == returncode, (proc.stdout + proc.stderr)[-4000:]
    return proc, entries


def writes(entries):
    return [e for e in entries if e.method in ('POST', 'PUT', 'PATCH', 'DELETE') and e.path != '/v3/auth/tokens']


def assignments_of(admin, user_id):
    found = admin.get('/role_assignments', **{'user.id': user_id, 'include_names': 'true'})['role_assignments']
    return sorted((a['role']['name'], (a['scope'].get('project') or a['scope'].get('domain'))['name']) for a in found)


def test_onboarding_then_offboarding(playbook, admin, team, tmp_path, uniq):
    dom = team['domain']
    variables = {'onboarding_domain': dom['name'], 'onboarding_people': team['people']}

    check, entries = run_role(playbook, 'onboarding', variables, tmp_path, '--check', '--diff')
    assert writes(entries) == []
    assert admin.user(team['people'][0]['name'], dom['id']) is None
    assert recap(check.stdout)['changed'] == '2'

    first, entries = run_role(playbook, 'onboarding', variables, tmp_path)
    assert recap(first.stdout)['changed'] == '2'
    ada = admin.user('ada-' + uniq, dom['id'])
    grace = admin.user('grace-' + uniq, dom['id'])
    alan = admin.user('alan-' + uniq, dom['id'])
    assert admin.password_works(ada['id'], 'Ada-Passw0rd-' + uniq)
    assert sorted(g['name'] for g in admin.get('/users/%s/groups' % ada['id'])['groups']) == ['research', 'staff']
    assert assignments_of(admin, ada['id']) == [('member', 'research'), ('reader', 'payroll')]
    assert assignments_of(admin, grace['id']) == [('member', 'payroll')]
    assert assignments_of(admin, alan['id']) == [('reader', dom['name'])]
    # 3 creates, 4 memberships, 4 grants, nothing else
    assert sorted((e.method, e.path.split('/')[2]) for e in writes(entries)) == sorted(
        [('POST', 'users')] * 3 + [('PUT', 'groups')] * 4 + [('PUT', 'projects')] * 3 + [('PUT', 'domains')])

    assert 'ada-%s @ keystone: created' % uniq in first.stdout
    assert 'Totals: 3 created (3 people x providers)' in first.stdout

    again, entries = run_role(playbook, 'onboarding', variables, tmp_path)
    assert recap(again.stdout)['changed'] == '0'
    assert writes(entries) == []
    assert 'Totals: 3 already right (3 people x providers)' in again.stdout

    leavers = {'offboarding_domain': dom['name'], 'offboarding_report_dir': str(tmp_path / 'reports'),
               'offboarding_people': [{'name': 'ada-' + uniq}, {'name': 'grace-' + uniq}, {'name': 'nobody-' + uniq}]}
    off_check, entries = run_role(playbook, 'offboarding', leavers, tmp_path, '--check', '--diff')
    assert writes(entries) == []
    # a person without an account is a warning (and listed), as documented
    warnings = [line for line in off_check.stderr.splitlines() if line.startswith('[WARNING]')]
    assert len(warnings) == 1 and 'nobody-' + uniq in warnings[0] and 'nothing to revoke' in warnings[0], off_check.stderr
    assert 'No account, nothing to offboard: nobody-' + uniq in off_check.stdout
    assert 'member on project research' in off_check.stdout  # each revoked assignment listed (the summary)

    assert not (tmp_path / 'reports').exists()  # check mode writes no report
    off, entries = run_role(playbook, 'offboarding', leavers, tmp_path)
    # before any revoke, everything the leavers held was recorded (mode 0600)
    reports = list((tmp_path / 'reports').iterdir())
    assert len(reports) == 1 and stat.S_IMODE(reports[0].stat().st_mode) == 0o600
    report = json.loads(reports[0].read_text())['people']
    recorded = report['ada-' + uniq]['keystone']
    assert recorded['account']['id'] == ada['id'] and recorded['account']['enabled'] is True
    assert sorted(g['name'] for g in recorded['groups']) == ['research', 'staff']
    assert sorted((a['role']['name'], a['project']['name']) for a in recorded['assignments']) == [
        ('member', 'research'), ('reader', 'payroll')]
    assert report['nobody-' + uniq]['keystone']['account'] is None
    assert 'Ada-Passw0rd-' + uniq not in reports[0].read_text() and '"password"' not in reports[0].read_text()
    assert 'Totals: 2 changed, 1 no account (3 people x providers)' in off.stdout
    for user in (ada, grace):
        assert admin.get('/users/' + user['id'])['user']['enabled'] is False
        assert admin.get('/users/%s/groups' % user['id'])['groups'] == []
        assert assignments_of(admin, user['id']) == []
    assert admin.user('nobody-' + uniq, dom['id']) is None  # never created to be offboarded
    assert assignments_of(admin, alan['id']) == [('reader', dom['name'])]  # others untouched
    assert admin.get('/users/' + alan['id'])['user']['enabled'] is True

    off_again, entries = run_role(playbook, 'offboarding', leavers, tmp_path)
    assert recap(off_again.stdout)['changed'] == '0' and writes(entries) == []

    # a rerun of onboarding with the old list leaves the disabled accounts alone: no write at
    # all (not even the groups and roles back), and says so
    rerun, entries = run_role(playbook, 'onboarding', variables, tmp_path, '--diff')
    assert writes(entries) == [] and recap(rerun.stdout)['changed'] == '0'
    assert 'Disabled, left alone: ada-%s, grace-%s' % (uniq, uniq) in rerun.stdout
    for user in (ada, grace):
        assert admin.get('/users/' + user['id'])['user']['enabled'] is False
        assert admin.get('/users/%s/groups' % user['id'])['groups'] == []
        assert assignments_of(admin, user['id']) == []

    # enabled: true in a person's entry reactivates the account with its listed access
    variables['onboarding_people'][0]['enabled'] = True
    back, entries = run_role(playbook, 'onboarding', variables, tmp_path)
    assert 'Disabled, left alone: grace-' + uniq in back.stdout
    assert admin.get('/users/' + ada['id'])['user']['enabled'] is True
    assert sorted(g['name'] for g in admin.get('/users/%s/groups' % ada['id'])['groups']) == ['research', 'staff']
    assert assignments_of(admin, ada['id']) == [('member', 'research'), ('reader', 'payroll')]
    assert admin.get('/users/' + grace['id'])['user']['enabled'] is False
    assert assignments_of(admin, grace['id']) == []
    # one PATCH (enabled), two memberships, two grants
    assert sorted((e.method, e.path.split('/')[2]) for e in writes(entries)) == sorted(
        [('PATCH', 'users')] + [('PUT', 'groups')] * 2 + [('PUT', 'projects')] * 2)


def test_onboarding_refuses_a_misspelled_key_before_any_write(playbook, admin, team, tmp_path, uniq):
    dom = team['domain']
    people = team['people']
    people[1]['roles'] = [{'role': 'member', 'projet': 'payroll'}]  # misspelled, inside roles
    proc, entries = run_role(playbook, 'onboarding', {'onboarding_domain': dom['name'], 'onboarding_people': people},
                             tmp_path, returncode=2)
    assert 'projet' in proc.stdout and 'onboarding_people' in proc.stdout, proc.stdout[-3000:]
    assert writes(entries) == []
    assert all(admin.user(person['name'], dom['id']) is None for person in people)


def test_onboarding_scope_rules_checked_before_any_write(playbook, admin, team, tmp_path):
    dom = team['domain']
    people = team['people'][:1]
    people[0]['roles'] = [{'role': 'member', 'project': 'research', 'domain': dom['name']}]
    proc, entries = run_role(playbook, 'onboarding', {'onboarding_domain': dom['name'], 'onboarding_people': people},
                             tmp_path, returncode=2)
    assert 'mutually exclusive' in proc.stdout, proc.stdout[-3000:]
    assert writes(entries) == []


def test_onboarding_unknown_group_does_not_stop_the_others(playbook, admin, team, tmp_path, uniq):
    dom = team['domain']
    people = team['people']
    people[0]['groups'] = ['staff', 'no-such-group']
    proc, entries = run_role(playbook, 'onboarding', {'onboarding_domain': dom['name'], 'onboarding_people': people},
                             tmp_path, returncode=2)
    failure = [line for line in proc.stdout.splitlines() if line.startswith('fatal:') and 'Not onboarded' in line]
    assert len(failure) == 1 and 'ada-' + uniq in failure[0] and 'no-such-group' in failure[0], proc.stdout[-3000:]
    assert 'grace-' + uniq not in failure[0]
    # everybody else has their account, groups and roles
    grace = admin.user('grace-' + uniq, dom['id'])
    alan = admin.user('alan-' + uniq, dom['id'])
    assert [g['name'] for g in admin.get('/users/%s/groups' % grace['id'])['groups']] == ['staff']
    assert assignments_of(admin, grace['id']) == [('member', 'payroll')]
    assert assignments_of(admin, alan['id']) == [('reader', dom['name'])]
    # the refused person got no role assignment
    ada = admin.user('ada-' + uniq, dom['id'])
    assert ada is None or assignments_of(admin, ada['id']) == []


def test_offboarding_delete(playbook, admin, team, tmp_path, uniq):
    dom = team['domain']
    run_role(playbook, 'onboarding', {'onboarding_domain': dom['name'], 'onboarding_people': team['people'][1:2]}, tmp_path)
    grace = admin.user('grace-' + uniq, dom['id'])
    proc, entries = run_role(playbook, 'offboarding', {
        'offboarding_domain': dom['name'], 'offboarding_action': 'delete', 'offboarding_report_dir': str(tmp_path / 'reports'),
        'offboarding_people': [{'name': 'grace-' + uniq}]}, tmp_path, '--diff')
    assert admin.get('/users/' + grace['id']) is None
    # revoked first (recorded), then deleted
    methods = [(e.method, e.path.split('/')[2]) for e in writes(entries)]
    assert methods[-1] == ('DELETE', 'users') and ('DELETE', 'projects') in methods


def test_onboarding_generated_passwords_go_to_a_0600_file_and_nowhere_else(playbook, admin, team, tmp_path, uniq):
    dom = team['domain']
    people = [dict(p, password='generate') for p in team['people'][:2]] + [dict(team['people'][2])]
    variables = {'onboarding_domain': dom['name'], 'onboarding_people': people}

    refused, entries = run_role(playbook, 'onboarding', variables, tmp_path, returncode=2)
    assert writes(entries) == []   # no file to write them to: nothing is created
    assert 'set onboarding_password_file' in refused.stdout
    assert admin.user(people[0]['name'], dom['id']) is None

    path = tmp_path / 'secrets' / 'passwords.json'
    path.parent.mkdir()
    variables['onboarding_password_file'] = str(path)
    check, entries = run_role(playbook, 'onboarding', variables, tmp_path, '--check', '--diff', '-vvv')
    assert writes(entries) == [] and not path.exists()

    first, entries = run_role(playbook, 'onboarding', variables, tmp_path, '--diff', '-vvv')
    assert 'Totals: 3 created (3 people x providers)' in first.stdout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = json.loads(path.read_text())
    assert sorted((e['person'], e['provider'], e['username'], e['domain']) for e in saved) == sorted(
        (p['name'], 'keystone', p['name'], dom['name']) for p in people[:2])
    for entry in saved:
        secret_scan.register(entry['password'], 'a password the onboarding role generated')  # no output holds it
        assert admin.password_works(admin.user(entry['username'], dom['id'])['id'], entry['password'])
    assert admin.user(people[2]['name'], dom['id']) is not None   # a person without a password: none set

    again, entries = run_role(playbook, 'onboarding', variables, tmp_path, '-vvv')
    assert recap(again.stdout)['changed'] == '0' and writes(entries) == []
    assert json.loads(path.read_text()) == saved   # a rerun generates nothing and erases nothing

    variables['onboarding_people'] = people + [{'name': 'edsger-' + uniq, 'password': 'generate', 'groups': ['staff']}]
    more, entries = run_role(playbook, 'onboarding', variables, tmp_path, '-vvv')
    merged = json.loads(path.read_text())
    assert merged[:2] == saved and [e['person'] for e in merged[2:]] == ['edsger-' + uniq]
    secret_scan.register(merged[2]['password'], 'a password the onboarding role generated')
    assert admin.password_works(admin.user('edsger-' + uniq, dom['id'])['id'], merged[2]['password'])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
