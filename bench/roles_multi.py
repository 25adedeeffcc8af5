"""Multi-provider onboarding benchmark: the onboarding role on Keystone and the three SaaS
emulators at once, N people (default 100), first run and rerun.

Starts its own Keystone (tests/keystone/keystone_server.py, in bench/.out/keystone-multi, or
``--no-keystone`` for the three emulators only) and the emulators (tests/integration/multi/
stack.py), onboards N people with ONE real ``ansible-playbook`` run of the
``iamops.identity.onboarding`` role, then runs it again. Requests are counted per provider in
Keystone's access log and the emulators' request logs; each run is checked against the servers'
state (every person has an account on every provider; the rerun writes nothing). Prints a
Markdown table (requests per person per provider, writes, wall time).

    python bench/roles_multi.py [--people 100] [--no-keystone] [--json out.json]

Run it with a python that has ansible-core, requests and cryptography (the test venv of
tests/run.sh, say); the collection is copied from this working tree as tests/run.sh copies it.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / 'tests' / 'integration' / 'multi'))
sys.path.insert(0, str(REPO / 'tests' / 'keystone'))

import stack as multi  # noqa: E402

PLAY = """
- hosts: localhost
  gather_facts: false
  roles:
    - iamops.identity.onboarding
"""
WRITES = ('POST', 'PUT', 'PATCH', 'DELETE')


def collection_tree(root):
    """The working tree copied to <root>/ansible_collections/iamops/identity (git's view of it)."""
    dest = root / 'ansible_collections' / 'iamops' / 'identity'
    files = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                           cwd=REPO, capture_output=True, check=True).stdout.decode().split('\0')
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return root


def people(count):
    found = []
    for index in range(count):
        name = 'p%03d' % index
        found.append({
            'name': name, 'email': '%s@example.com' % name, 'first_name': 'P', 'last_name': name,
            'password': 'Bench-Passw0rd-%s' % name, 'groups': ['staff', 'research' if index % 2 else 'payroll'],
            'keystone': {'roles': [{'role': 'member', 'project': 'research' if index % 2 else 'payroll'}]},
            'onelogin': {'groups': ['staff'], 'roles': [{'role': 'Employee'}]},
            'authress': {'roles': [{'role': 'ro_reader', 'resources': ['/documents/*'], 'record': 'Bench readers'}]},
            'posit_connect': {'user_role': 'publisher' if index % 3 == 0 else 'viewer'},
        })
    return found


class Keystone:
    def __init__(self, directory):
        import keystone_server as harness
        self.harness, self.directory = harness, directory
        self.env = harness.start(dir=str(directory))
        self.log = harness.AccessLog(self.env['access_log'])
        self.clouds = str(Path(directory) / 'clouds.yaml')
        body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
            'name': self.env['username'], 'domain': {'name': self.env['user_domain_name']},
            'password': self.env['password']}}},
            'scope': {'project': {'name': self.env['project_name'], 'domain': {'name': self.env['project_domain_name']}}}}}
        answer = requests.post(self.env['auth_url'] + '/auth/tokens', json=body, timeout=30)
        answer.raise_for_status()
        self.session = requests.Session()
        self.session.headers['X-Auth-Token'] = answer.headers['X-Subject-Token']

    def call(self, method, path, body=None, **params):
        answer = self.session.request(method, self.env['auth_url'] + path, json=body, params=params, timeout=30)
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def seed(self, domain):
        dom = self.call('POST', '/domains', {'domain': {'name': domain}})['domain']
        for name in ('research', 'payroll'):
            self.call('POST', '/projects', {'project': {'name': name, 'domain_id': dom['id']}})
        for name in ('staff', 'research', 'payroll'):
            self.call('POST', '/groups', {'group': {'name': name, 'domain_id': dom['id']}})
        return dom

    def users(self, domain_id):
        return self.call('GET', '/users', domain_id=domain_id)['users']

    def stop(self):
        self.harness.stop(dir=str(self.directory))


def counts(entries):
    total = len(entries)
    writes = len([e for e in entries if e[0] in WRITES and not e[1].startswith(('/v3/auth/tokens', '/auth/oauth2/'))])
    return total, writes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--people', type=int, default=100)
    parser.add_argument('--no-keystone', action='store_true')
    parser.add_argument('--json')
    args = parser.parse_args()
    out = REPO / 'bench' / '.out'
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix='roles-multi-', dir=str(out)))
    collection_tree(work)
    keystone = None if args.no_keystone else Keystone(out / 'keystone-multi')
    stack = multi.Stack().start()
    try:
        team = people(args.people)
        stack.reset(authress_users=[p['name'] for p in team])   # Authress users appear at login
        providers = dict(stack.connections)
        domain = None
        if keystone:
            domain = keystone.seed('bench-multi-%d' % int(time.time()))
            providers['keystone'] = {'cloud': 'iamops-test'}
        variables = work / 'people.json'
        fd = os.open(str(variables), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w') as handle:
            json.dump({'identity_providers': providers, 'onboarding_people': team,
                       'onboarding_domain': domain['name'] if domain else 'Default'}, handle)
        (work / 'play.yml').write_text(PLAY)
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('OS_', 'ONELOGIN_', 'AUTHRESS_', 'CONNECT_')))
        env.update(ANSIBLE_COLLECTIONS_PATH=str(work), ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='0',
                   ANSIBLE_INVENTORY_UNPARSED_WARNING='0', ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                   PYTHONPATH=str(work) + os.pathsep + env.get('PYTHONPATH', ''))
        if keystone:
            env['OS_CLIENT_CONFIG_FILE'] = keystone.clouds
        rows = []
        for label in ('first run', 'rerun'):
            marks = stack.marks()
            kmark = keystone.log.mark() if keystone else None
            started = time.monotonic()
            proc = subprocess.run(['ansible-playbook', '-i', 'localhost,', '-c', 'local', str(work / 'play.yml'),
                                   '-e', '@' + str(variables)], env=env, capture_output=True, text=True, timeout=3600, check=False)
            wall = time.monotonic() - started
            if proc.returncode != 0:
                sys.exit('%s failed:\n%s' % (label, (proc.stdout + proc.stderr)[-5000:]))
            entries = dict((name, [(e['method'], e['path']) for e in found]) for name, found in stack.entries(marks).items())
            if keystone:
                entries['keystone'] = [(e.method, e.path) for e in keystone.log.entries(kmark)]
            per = dict((name, counts(found)) for name, found in entries.items())
            rows.append((label, wall, per))
        # checked against the servers' state, read back independently
        names = set(p['name'] for p in team)
        assert names <= set(u['username'] for u in stack.onelogin.dump()['users'])
        assert names <= set(u['username'] for u in stack.posit_connect.dump()['users'])
        readers = [r for r in stack.authress.dump()['records'].values() if r['name'] == 'Bench readers']
        assert len(readers) == 1
        if keystone:
            assert names <= set(u['name'] for u in keystone.users(domain['id']))
        assert all(writes == 0 for _total, writes in rows[1][2].values()), rows[1]
    finally:
        stack.stop()
        if keystone:
            keystone.stop()
        shutil.rmtree(str(work), ignore_errors=True)
    order = [p for p in ('keystone', 'onelogin', 'authress', 'posit_connect') if p in rows[0][2]]
    print('| run | wall time | %s |' % ' | '.join('%s requests (writes), per person' % p for p in order))
    print('| --- | --- | %s |' % ' | '.join('---' for provider in order))
    for label, wall, per in rows:
        print('| %s | %.1f s | %s |' % (label, wall, ' | '.join(
            '%d (%d), %.2f' % (per[p][0], per[p][1], per[p][0] / float(args.people)) for p in order)))
    if args.json:
        Path(args.json).write_text(json.dumps({'people': args.people, 'runs': [
            {'run': label, 'wall_seconds': round(wall, 1),
             'requests': dict((p, {'total': per[p][0], 'writes': per[p][1]}) for p in order)}
            for label, wall, per in rows]}, indent=2))


if __name__ == '__main__':
    main()
