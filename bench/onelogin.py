"""OneLogin onboarding benchmark: requests per person through the batch forms, first run and rerun.

Onboards N people (default 100) against the OneLogin emulator (tests/emulators/onelogin) with one
real ``ansible-playbook`` run of two batch tasks - ``identity_user`` ``users:`` (e-mail, names,
password, one group) and ``identity_role_assignment`` ``assignments:`` (one role each) - then runs
the identical playbook again. Requests are counted in the emulator's log; every run is checked
against the emulator's state. Prints a Markdown table.

    python bench/onelogin.py [--people 100] [--page-size 100]

Run it with a python that has ansible-core and requests (the test venv of tests/run.sh, say);
the collection is copied from this working tree as tests/run.sh copies it.
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.emulators.onelogin.server import OneLoginEmulator  # noqa: E402

PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: accounts
      iamops.identity.identity_user:
        password: "{{ initial_password }}"
        users: "{{ people }}"
    - name: roles
      iamops.identity.identity_role_assignment:
        assignments: "{{ roles }}"
"""


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


def measure(emulator, play, extra_vars, env):
    mark = emulator.mark()
    started = time.monotonic()
    proc = subprocess.run(['ansible-playbook', '-i', 'localhost,', '-c', 'local', str(play),
                           '-e', '@' + str(extra_vars)], env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit('ansible-playbook failed:\n%s\n%s' % (proc.stdout[-3000:], proc.stderr[-3000:]))
    entries = emulator.entries(mark)
    return {'seconds': seconds, 'requests': len(entries), 'writes': len(emulator.writes(mark)),
            'tokens': sum(1 for e in entries if e['path'] == '/auth/oauth2/v2/token'),
            'listing_pages': sum(1 for e in entries if e['method'] == 'GET' and e['path'] in (
                '/api/2/users', '/api/2/roles', '/api/1/groups'))}


def verify(emulator, people):
    state = emulator.dump()
    staff = [g['id'] for g in state['groups'] if g['name'] == 'Staff'][0]
    role = [r['id'] for r in state['roles'] if r['name'] == 'Staff'][0]
    users = dict((u['username'], u) for u in state['users'])
    for person in people:
        user = users.get(person['name'])
        if not user or user['email'] != person['email'] or user['group_id'] != staff or user['role_ids'] != [role]:
            raise SystemExit('VERIFY FAILED for %s: %r' % (person['name'], user))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--people', type=int, default=100)
    parser.add_argument('--page-size', type=int, default=100, help="the emulator's largest page (OneLogin: 100)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix='onelogin-bench-'))
    try:
        collection_tree(work)
        people = [{'name': 'person%03d' % i, 'email': 'person%03d@example.com' % i,
                   'first_name': 'First%d' % i, 'last_name': 'Last%d' % i, 'groups': ['Staff']}
                  for i in range(args.people)]
        roles = [{'user': p['name'], 'role': 'Staff'} for p in people]
        extra_vars = work / 'vars.yml'
        extra_vars.write_text(json.dumps({'people': people, 'roles': roles, 'initial_password': 'Bench-Passw0rd'}))
        play = work / 'onboard.yml'
        play.write_text(PLAY)
        with OneLoginEmulator() as emulator:
            emulator.seed({'groups': [{'name': 'Staff'}], 'roles': [{'name': 'Staff'}, {'name': 'Engineering'}],
                           'config': {'max_page_size': args.page_size}})
            env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(work), ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                       ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0',
                       ONELOGIN_URL=emulator.url, ONELOGIN_CLIENT_ID=OneLoginEmulator.DEFAULT_CLIENT['client_id'],
                       ONELOGIN_CLIENT_SECRET=OneLoginEmulator.DEFAULT_CLIENT['client_secret'])
            first = measure(emulator, play, extra_vars, env)
            verify(emulator, people)
            rerun = measure(emulator, play, extra_vars, env)
            verify(emulator, people)
        if rerun['writes']:
            raise SystemExit('VERIFY FAILED: the rerun wrote %d times' % rerun['writes'])
        print('| OneLogin onboarding, %d people (identity_user users: + identity_role_assignment '
              'assignments:) | requests | per person | writes | tokens | listing pages | wall s |' % args.people)
        print('| --- | --- | --- | --- | --- | --- | --- |')
        for label, run in (('first run', first), ('rerun', rerun)):
            print('| %s | %d | %.2f | %d | %d | %d | %.1f |' % (
                label, run['requests'], run['requests'] / float(args.people), run['writes'], run['tokens'],
                run['listing_pages'], run['seconds']))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
