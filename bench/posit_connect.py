"""Onboard N people (default 100) into Posit Connect with the batch form, against the emulator, and
print what it costs in requests per person - first run, then the identical rerun.

    PATH=<venv with ansible-core>/bin:$PATH python bench/posit_connect.py [--people 100] [--groups 4]

The venv of tests/run.sh has everything (ansible-core, requests). The Connect emulator
(tests/emulators/posit_connect) runs in this process on 127.0.0.1; requests are counted in its
request log for exactly the window of each ansible-playbook run. The play is one task: an
``identity_user`` batch (``users:``) where each person has a username, e-mail, first and last
name, a role, ``user_must_set_password`` and two of the groups; the groups exist beforehand
(made over the emulator's seed, not measured).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, 'tests'))

from emulators.posit_connect.server import PositConnectEmulator  # noqa: E402

API_KEY = 'bench-connect-admin-key'
ROLES = ('viewer', 'publisher')


def collections_root():
    """A directory holding ansible_collections/iamops/identity -> this checkout."""
    root = tempfile.mkdtemp(prefix='iamops-bench-')
    os.makedirs(os.path.join(root, 'ansible_collections', 'iamops'))
    os.symlink(REPO, os.path.join(root, 'ansible_collections', 'iamops', 'identity'))
    return root


def play(url, people, groups):
    lines = ['- hosts: localhost', '  gather_facts: false', '  tasks:',
             '    - name: Onboard %d people' % people,
             '      iamops.identity.identity_user:',
             '        provider: posit_connect',
             '        api_url: %s' % url,
             '        api_key: %s' % API_KEY,
             '        user_must_set_password: true',
             '        users:']
    for i in range(people):
        lines += ['          - name: person%03d' % i,
                  '            email: person%03d@example.com' % i,
                  '            first_name: Person',
                  '            last_name: "%03d"' % i,
                  '            user_role: %s' % ROLES[i % len(ROLES)],
                  '            groups: [team%d, team%d]' % (i % groups, (i + 1) % groups)]
    return '\n'.join(lines) + '\n'


def run(emulator, playbook, root):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=root, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='0',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='0', ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    mark = emulator.mark()
    start = time.time()
    proc = subprocess.run(['ansible-playbook', '-i', 'localhost,', '-c', 'local', playbook],
                          env=env, capture_output=True, text=True, check=False)
    wall = time.time() - start
    if proc.returncode != 0:
        sys.exit('ansible-playbook failed:\n%s\n%s' % (proc.stdout[-3000:], proc.stderr[-2000:]))
    entries = emulator.entries(mark)
    return {'wall': wall, 'requests': len(entries), 'writes': len([r for r in entries if r['write']])}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--people', type=int, default=100)
    parser.add_argument('--groups', type=int, default=4)
    args = parser.parse_args()
    root = collections_root()
    with PositConnectEmulator(api_key=API_KEY) as emulator:
        emulator.seed({'groups': [{'name': 'team%d' % i} for i in range(args.groups)]})
        path = os.path.join(root, 'onboard.yml')
        with open(path, 'w') as handle:
            handle.write(play(emulator.url, args.people, args.groups))
        rows = [('onboard', run(emulator, path, root)), ('rerun (no change)', run(emulator, path, root))]
        made = len(emulator.dump()['users']) - 1
    print('Posit Connect (emulator), identity_user batch, %d people, %d groups (%d users made)'
          % (args.people, args.groups, made))
    print('| phase | people | wall s | requests | writes | requests/person |')
    print('| --- | --- | --- | --- | --- | --- |')
    for phase, row in rows:
        values = (phase, args.people, row['wall'], row['requests'], row['writes'], row['requests'] / float(args.people))
        print('| %s | %d | %.2f | %d | %d | %.2f |' % values)


if __name__ == '__main__':
    main()
