"""Two ``ansible-playbook`` runs at once create the same Authress group (and the same access
record): both succeed, the server holds one of each, with every member and grant, and a later
run changes nothing.

Authress names are not unique, so the provider creates a group or record with an ID derived from
its name (``_model.stable_ids``): the two runs send the same ID, one is answered 409 (or finds the
other's object when it checks the ID) and adopts it. The race is made certain, not left to timing:
each run talks to the emulator through its own fault proxy (one of the account's custom domains),
which forwards the run's search or listing at once but holds its answer ``HOLD`` seconds, so both
runs look before either creates.
"""

import json
import subprocess
import sys
import threading

import pytest

import fault_proxy as fp
import secret_scan
from authress_fixtures import COLLECTIONS_ROOT, access_key, authress_env, emulator, emulator_server, service_key  # noqa: F401 pylint: disable=unused-import
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress._model import stable_ids  # noqa: E402

HOLD = 3.0
USERS = ('u_ann', 'u_bob', 'u_cid')

GROUP_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - iamops.identity.identity_group:
        provider: authress
        name: race-team
        users: {users}
        admins: [u_ann]
"""

RECORD_PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - iamops.identity.identity_role_assignment:
        provider: authress
        user: {user}
        role: ro_viewer
        resources: [/projects/race]
        record: race-record
"""


def play(env, url, text, directory, *options):
    directory.mkdir(exist_ok=True)
    (directory / 'play.yml').write_text(text)
    run_env = dict(env, AUTHRESS_URL=url, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1',
                   ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0',
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    return subprocess.run(['ansible-playbook', '-i', 'localhost,', '-c', 'local', str(directory / 'play.yml')]
                          + list(options), env=run_env, capture_output=True, text=True, timeout=180, check=False)


def recap(stdout):
    line = [x for x in stdout.splitlines() if x.startswith('localhost')][-1]
    return dict(part.split('=') for part in line.split()[2:])


def race(emulator, env, tmp_path, texts, held):
    """Run the playbooks ``texts`` at once, each through its own proxy holding the answers to
    ``held`` (a GET path regex); returns the CompletedProcesses and the emulator's log of them."""
    mark = emulator.mark()
    outcomes = {}
    with fp.FaultProxy(emulator.url, lifetime=240) as one, fp.FaultProxy(emulator.url, lifetime=240) as two:
        emulator.custom_domains = [one.url, two.url]
        try:
            for proxy in (one, two):
                proxy.fault('GET', held, fp.slow_answer(HOLD))
            threads = [threading.Thread(target=lambda key, url, text: outcomes.__setitem__(
                key, play(env, url, text, tmp_path / key)), args=(key, proxy.url, text))
                for key, proxy, text in zip(('first', 'second'), (one, two), texts)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(200)
        finally:
            emulator.custom_domains = []
    for key, proc in outcomes.items():
        assert proc.returncode == 0, '%s run failed:\n%s' % (key, (proc.stdout + proc.stderr)[-3000:])
        assert recap(proc.stdout)['failed'] == '0'
    assert sorted(outcomes) == ['first', 'second']
    return outcomes, emulator.entries(mark)


@pytest.fixture
def seeded(emulator, access_key):
    secret_scan.register(access_key, 'the Authress access key')
    emulator.seed({'users': [{'userId': u} for u in USERS],
                   'roles': [{'roleId': 'ro_viewer', 'name': 'Viewer', 'permissions': [
                       {'action': 'projects:read', 'allow': True, 'grant': False, 'delegate': False}]}]})
    return emulator


def test_two_runs_creating_one_group_leave_one_group(seeded, authress_env, tmp_path):
    text = GROUP_PLAY.format(users=json.dumps(list(USERS)))
    outcomes, entries = race(seeded, authress_env, tmp_path, (text, text), r'^/v1/groups$')
    # the race happened: both searches reached the server before the first create
    first_post = next(i for i, e in enumerate(entries) if e['method'] == 'POST')
    assert [e['path'] for e in entries[:first_post]].count('/v1/groups') == 2
    groups = [g for g in seeded.dump()['groups'].values() if g['name'] == 'race-team']
    assert len(groups) == 1, groups
    group = groups[0]
    assert sorted(u['userId'] for u in group['users']) == list(USERS)
    assert group['admins'] == [{'userId': 'u_ann'}]
    # one create landed; the other run's was answered 409 or never sent (it found the group by ID)
    creates = [e['status'] for e in entries if e['method'] == 'POST']
    assert creates.count(201) == 1 and set(creates) <= {201, 409}, creates
    assert group['groupId'] == stable_ids('grp_', 'group', 'race-team')[0]
    assert not [e for e in entries if e['method'] == 'DELETE']
    # a later run changes nothing
    again = play(authress_env, seeded.url, text, tmp_path / 'again')
    assert again.returncode == 0 and recap(again.stdout)['changed'] == '0', again.stdout[-2000:]
    assert len([g for g in seeded.dump()['groups'].values() if g['name'] == 'race-team']) == 1


def test_two_runs_creating_one_record_leave_one_record_with_both_grants(seeded, authress_env, tmp_path):
    texts = (RECORD_PLAY.format(user='u_ann'), RECORD_PLAY.format(user='u_bob'))
    outcomes, entries = race(seeded, authress_env, tmp_path, texts, r'^/v1/records$')
    first_post = next(i for i, e in enumerate(entries) if e['method'] == 'POST')
    assert [e['path'] for e in entries[:first_post]].count('/v1/records') == 2
    records = [r for r in seeded.dump()['records'].values() if r['name'] == 'race-record' and r['status'] == 'ACTIVE']
    assert len(records) == 1, records
    record = records[0]
    assert sorted(u['userId'] for u in record['users']) == ['u_ann', 'u_bob']
    assert record['statements'] == [{'roles': ['ro_viewer'], 'resources': [{'resourceUri': '/projects/race'}]}]
    assert record['tags'] == {'managed-by': 'iamops.identity'}
    creates = [e['status'] for e in entries if e['method'] == 'POST']
    assert creates.count(201) == 1 and set(creates) <= {201, 409}, creates
    assert record['recordId'] == stable_ids('rec_', 'record', 'race-record')[0]
    assert not [e for e in entries if e['method'] == 'DELETE']
    for text, key in zip(texts, ('again-ann', 'again-bob')):
        again = play(authress_env, seeded.url, text, tmp_path / key)
        assert again.returncode == 0 and recap(again.stdout)['changed'] == '0', again.stdout[-2000:]
    assert len([r for r in seeded.dump()['records'].values() if r['status'] == 'ACTIVE']) == 1
