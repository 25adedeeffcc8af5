"""Requests per person for Authress work done through the modules' batch forms, against the
Authress emulator (tests/emulators/authress), with real ansible-playbook runs.

    $IAMOPS_CACHE/test-venv/bin/python bench/authress.py [--people 100]

(the test virtualenv that tests/run.sh builds has ansible-core, cryptography and requests).
Each scenario runs twice - the first run and an identical rerun - and the requests come from the
emulator's own request log. Scenarios, 100 people by default:

- link:   identity_user, users: [...], tenant: the people's tenant (onboarding: link each to it)
- grant:  identity_role_assignment, assignments: each person gets roles viewer and editor on
          /payroll/* through one access record (the issue's "granting 100 people a record's roles")
- group:  identity_group, users: every person (one group of 100 members)
- race:   the group scenario for a new group, run by two ansible-playbook processes started at once
          (both runs' requests added up; the line says how many groups of that name exist after:
          always 1, the create IDs being derived from the name)
"""

import argparse
import base64
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(HERE)


def collection_root():
    """A directory where the checkout is ansible_collections/iamops/identity (a symlink)."""
    root = tempfile.mkdtemp(prefix='iamops-bench-')
    os.makedirs(os.path.join(root, 'ansible_collections', 'iamops'))
    os.symlink(CHECKOUT, os.path.join(root, 'ansible_collections', 'iamops', 'identity'))
    return root


ROOT = collection_root()
sys.path.insert(0, ROOT)

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from cryptography.hazmat.primitives.serialization import (Encoding, NoEncryption,  # noqa: E402
                                                          PrivateFormat, PublicFormat)

from ansible_collections.iamops.identity.tests.emulators.authress.server import AuthressEmulator  # noqa: E402

PLAY = '''
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      provider: authress
  tasks:
    - {task}
'''


def scenarios(people):
    names = ['google|p%03d' % i for i in range(people)]
    users = ', '.join('{name: "%s"}' % n for n in names)
    grants = ', '.join('{user: "%s", role: %s, resources: ["/payroll/*"], record: Payroll}' % (n, role)
                       for n in names for role in ('ro_viewer', 'ro_editor'))
    members = ', '.join('"%s"' % n for n in names)
    return [
        ('link users to their tenant (identity_user users:)',
         'iamops.identity.identity_user: {users: [%s], tenant: ten_corp}' % users),
        ("grant a record's 2 roles (identity_role_assignment assignments:)",
         'iamops.identity.identity_role_assignment: {assignments: [%s]}' % grants),
        ('one group of all of them (identity_group users:)',
         'iamops.identity.identity_group: {name: Payroll, users: [%s]}' % members),
    ], names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--people', type=int, default=100)
    args = parser.parse_args()

    key = Ed25519PrivateKey.generate()
    der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    emulator = AuthressEmulator().start()
    access_key = 'sc_bench.k1.%s.%s' % (emulator.settings['account_id'], base64.b64encode(der).decode())
    plays, names = scenarios(args.people)
    emulator.seed({'clients': [{'clientId': 'sc_bench', 'keys': [{'keyId': 'k1', 'publicKey': base64.b64encode(raw).decode()}]}],
                   'users': [{'userId': n} for n in names], 'tenants': [{'tenantId': 'ten_corp'}],
                   'roles': [{'roleId': r, 'name': r, 'permissions': []} for r in ('ro_viewer', 'ro_editor')]})
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=ROOT, AUTHRESS_URL=emulator.url, AUTHRESS_ACCESS_KEY=access_key,
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_NOCOLOR='1',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='0')
    playbook = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
    work = tempfile.mkdtemp(prefix='iamops-bench-play-')
    print('| scenario (%d people) | run | requests | writes | requests per person | seconds |' % args.people)
    print('| --- | --- | --- | --- | --- | --- |')
    try:
        for title, task in plays:
            path = os.path.join(work, 'play.yml')
            with open(path, 'w') as handle:
                handle.write(PLAY.format(task=task))
            for run in ('first', 'rerun'):
                mark = emulator.mark()
                started = time.time()
                proc = subprocess.run([playbook, '-i', 'localhost,', '-c', 'local', path], env=env,
                                      capture_output=True, text=True, check=False)
                elapsed = time.time() - started
                if proc.returncode != 0:
                    sys.exit('%s failed:\n%s%s' % (title, proc.stdout[-3000:], proc.stderr[-3000:]))
                entries = emulator.entries(mark)
                writes = len(emulator.writes(mark))
                per_person = len(entries) / float(args.people)
                print('| %s | %s | %d | %d | %.2f | %.1f |' % (title, run, len(entries), writes, per_person, elapsed))
        race(emulator, env, playbook, work, names)
    finally:
        emulator.stop()


def race(emulator, env, playbook, work, names):
    """Two runs creating one new group with every person at once; one line per round."""
    path = os.path.join(work, 'race.yml')
    with open(path, 'w') as handle:
        handle.write(PLAY.format(task='iamops.identity.identity_group: {name: Race, users: [%s]}'
                                 % ', '.join('"%s"' % n for n in names)))
    for run in ('first (2 at once)', 'rerun (2 at once)'):
        mark = emulator.mark()
        started = time.time()
        procs = [subprocess.Popen([playbook, '-i', 'localhost,', '-c', 'local', path], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        outputs = [proc.communicate(timeout=300)[0] for proc in procs]
        elapsed = time.time() - started
        if any(proc.returncode for proc in procs):
            sys.exit('race failed:\n%s' % '\n'.join(o[-3000:] for o in outputs))
        entries = emulator.entries(mark)
        groups = [g for g in emulator.dump()['groups'].values() if g['name'] == 'Race']
        print('| two runs creating one group (identity_group users:), %d group(s) after | %s | %d | %d | %.2f | %.1f |'
              % (len(groups), run, len(entries), len(emulator.writes(mark)), len(entries) / float(len(names)), elapsed))


if __name__ == '__main__':
    main()
