"""The onboarding and offboarding roles, run by real ansible-playbook against a real Keystone."""

import json

import pytest


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


def run_role(playbook, role, variables, tmp_path, *options):
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
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
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

    again, entries = run_role(playbook, 'onboarding', variables, tmp_path)
    assert recap(again.stdout)['changed'] == '0'
    assert writes(entries) == []

    leavers = {'offboarding_domain': dom['name'],
               'offboarding_people': [{'name': 'ada-' + uniq}, {'name': 'grace-' + uniq}, {'name': 'nobody-' + uniq}]}
    off_check, entries = run_role(playbook, 'offboarding', leavers, tmp_path, '--check', '--diff')
    assert writes(entries) == []
    assert 'nobody-' + uniq in off_check.stdout  # reported as having no account
    assert 'member on project research' in off_check.stdout  # each revoked assignment in the diff

    off, entries = run_role(playbook, 'offboarding', leavers, tmp_path)
    for user in (ada, grace):
        assert admin.get('/users/' + user['id'])['user']['enabled'] is False
        assert admin.get('/users/%s/groups' % user['id'])['groups'] == []
        assert assignments_of(admin, user['id']) == []
    assert admin.user('nobody-' + uniq, dom['id']) is None  # never created to be offboarded
    assert assignments_of(admin, alan['id']) == [('reader', dom['name'])]  # others untouched
    assert admin.get('/users/' + alan['id'])['user']['enabled'] is True

    off_again, entries = run_role(playbook, 'offboarding', leavers, tmp_path)
    assert recap(off_again.stdout)['changed'] == '0' and writes(entries) == []

    # a rerun of onboarding never re-enables the leavers
    run_role(playbook, 'onboarding', variables, tmp_path)
    assert admin.get('/users/' + ada['id'])['user']['enabled'] is False


def test_offboarding_delete(playbook, admin, team, tmp_path, uniq):
    dom = team['domain']
    run_role(playbook, 'onboarding', {'onboarding_domain': dom['name'], 'onboarding_people': team['people'][1:2]}, tmp_path)
    grace = admin.user('grace-' + uniq, dom['id'])
    proc, entries = run_role(playbook, 'offboarding', {
        'offboarding_domain': dom['name'], 'offboarding_action': 'delete',
        'offboarding_people': [{'name': 'grace-' + uniq}]}, tmp_path, '--diff')
    assert admin.get('/users/' + grace['id']) is None
    # revoked first (recorded), then deleted
    methods = [(e.method, e.path.split('/')[2]) for e in writes(entries)]
    assert methods[-1] == ('DELETE', 'users') and ('DELETE', 'projects') in methods
