"""Two onboarding runs at once over overlapping people: both succeed, the server holds the union.

The race is made certain, not left to timing: each ``ansible-playbook`` talks to Keystone through
its own fault proxy, which forwards the run's user listing at once but holds its answer
``HOLD`` seconds. Both runs therefore list the domain's users before either creates one, and both
then create the people they share.
"""

import json
import subprocess
import sys
import threading

import fault_proxy as fp
from conftest import COLLECTIONS_ROOT, module_environment
from test_faults import proxied_clouds_yaml
# team is a fixture, used by name
from test_roles import assignments_of, recap, team  # noqa: F401  pylint: disable=unused-import

HOLD = 4.0
PLAY = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      cloud: iamops-test
  roles:
    - iamops.identity.onboarding
"""


def onboard(keystone, proxy, people, domain, directory):
    """One ansible-playbook run of the onboarding role through PROXY; returns the CompletedProcess."""
    directory.mkdir()
    clouds = proxied_clouds_yaml(keystone, proxy.url, directory / 'clouds.yaml')
    (directory / 'play.yml').write_text(PLAY)
    (directory / 'vars.json').write_text(json.dumps({'onboarding_domain': domain, 'onboarding_people': people}))
    env = dict(module_environment(clouds), ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0',
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    return subprocess.run(['ansible-playbook', '-i', 'localhost,', '-c', 'local', str(directory / 'play.yml'),
                           '-e', '@' + str(directory / 'vars.json')],
                          env=env, capture_output=True, text=True, timeout=180, check=False)


def test_two_onboarding_runs_racing_over_shared_people(keystone, admin, access_log, team, tmp_path, uniq):  # noqa: F811
    dom = team['domain']
    ada, grace, alan = team['people']
    dora = {'name': 'dora-' + uniq, 'email': 'dora@example.com', 'groups': ['research'],
            'roles': [{'role': 'member', 'project': 'research'}]}
    first, second = [ada, grace, alan], [grace, alan, dora]  # grace and alan in both
    mark = access_log.mark()
    outcomes = {}
    with fp.FaultProxy(keystone['auth_url'], lifetime=300) as one, \
            fp.FaultProxy(keystone['auth_url'], lifetime=300) as two:
        for proxy in (one, two):
            proxy.fault('GET', r'^/v3/users$', fp.slow_answer(HOLD))
        threads = [threading.Thread(target=lambda key, p, people: outcomes.__setitem__(
            key, onboard(keystone, p, people, dom['name'], tmp_path / key)), args=(key, p, people))
            for key, p, people in (('first', one, first), ('second', two, second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(200)
    entries = access_log.entries(mark)
    # the race happened: both user listings reached Keystone before the first user create
    first_post = next(i for i, e in enumerate(entries) if (e.method, e.path) == ('POST', '/v3/users'))
    assert [e.path for e in entries[:first_post]].count('/v3/users') >= 2
    for key in ('first', 'second'):
        proc = outcomes[key]
        assert proc.returncode == 0, '%s run failed:\n%s' % (key, (proc.stdout + proc.stderr)[-3000:])
        assert recap(proc.stdout)['failed'] == '0'
    # the server holds exactly the union, each person once
    names = sorted(u['name'] for u in admin.get('/users', domain_id=dom['id'])['users'])
    assert names == sorted(p['name'] for p in (ada, grace, alan, dora))
    users = dict((p['name'], admin.user(p['name'], dom['id'])) for p in (ada, grace, alan, dora))
    for person in (ada, grace, alan, dora):
        groups = sorted(g['name'] for g in admin.get('/users/%s/groups' % users[person['name']]['id'])['groups'])
        assert groups == sorted(person['groups'])
    assert assignments_of(admin, users[ada['name']]['id']) == [('member', 'research'), ('reader', 'payroll')]
    assert assignments_of(admin, users[grace['name']]['id']) == [('member', 'payroll')]
    assert assignments_of(admin, users[alan['name']]['id']) == [('reader', dom['name'])]
    assert assignments_of(admin, users[dora['name']]['id']) == [('member', 'research')]
    # each create was sent once per run that needed it, never repeated within a run
    creates = [e for e in entries if (e.method, e.path) == ('POST', '/v3/users')]
    assert 4 <= len(creates) <= 6
