"""Two ansible-playbook runs at once against Posit Connect: both succeed, nothing is duplicated.

The race is forced, not left to timing (as for Keystone in tests/integration/test_race.py): each run
talks to the emulator through its own fault proxy, which forwards the run's first lookup at once
but holds its answer ``HOLD`` seconds, so both runs look before either writes, find nothing, and
both create. Connect answers the second create 409 - code 8 "The requested username is already in
use" for a user, code 15 "The requested group name is already in use" for a group, code 16 "The
user is already a member of the group" for a member (its API error table; the emulator does the
same) - and the losing run adopts what the other made. State is read back from the emulator.
"""

import subprocess
import sys
import threading

import fault_proxy as fp
from .conftest import API_KEY, COLLECTIONS_ROOT
from .test_playbook import recap

HOLD = 6.0   # longer than two ansible-playbook start-ups can drift apart on a loaded machine
PLAY = '''
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      provider: posit_connect
      api_url: %(url)s
      api_key: %(key)s
  tasks:
%(tasks)s
'''


def race(module_env, emu, tmp_path, tasks, held):
    """Two concurrent runs of ``tasks`` (or of ``tasks[0]`` and ``tasks[1]``), each through a
    proxy holding the answer of its first request matching ``held`` (a GET path regex). Returns
    the two CompletedProcesses and the emulator's log of both runs."""
    plays = dict(zip(('one', 'two'), (tasks, tasks) if isinstance(tasks, str) else tasks))
    mark = emu.mark()
    outcomes = {}

    def run(key, proxy):
        play = tmp_path / ('%s.yml' % key)
        play.write_text(PLAY % dict(url=proxy.url, key=API_KEY, tasks=plays[key]))
        env = dict(module_env, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1',
                   ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0',
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable)
        outcomes[key] = subprocess.run(['ansible-playbook', '-i', 'localhost,', '-c', 'local', str(play)],
                                       env=env, capture_output=True, text=True, timeout=150, check=False)

    with fp.FaultProxy(emu.url, lifetime=200) as one, fp.FaultProxy(emu.url, lifetime=200) as two:
        for proxy in (one, two):
            proxy.fault('GET', held, fp.slow_answer(HOLD))
        threads = [threading.Thread(target=run, args=(key, proxy)) for key, proxy in (('one', one), ('two', two))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(170)
        assert len(one.fired()) == 1 and len(two.fired()) == 1, 'each run\'s lookup was held'
    for key in ('one', 'two'):
        proc = outcomes[key]
        assert proc.returncode == 0, '%s failed:\n%s' % (key, (proc.stdout + proc.stderr)[-3000:])
        assert recap(proc.stdout)['failed'] == 0
    return outcomes['one'], outcomes['two'], emu.entries(mark)


def both_looked_before_either_wrote(entries, lookup, write):
    first = next(i for i, e in enumerate(entries) if (e['method'], e['path']) == write)
    assert [e['path'] for e in entries[:first] if e['method'] == 'GET'].count(lookup) >= 2, entries


def adopted(one, two):
    text = ' '.join((one.stdout + one.stderr + two.stdout + two.stderr).split())
    return text.count('was created by someone else meanwhile')


def test_two_runs_creating_one_user(module_env, emu, state, tmp_path, playbook):
    """The second run also wants a last name and a second group: whichever run loses, the user
    ends with both runs' fields and groups (the loser adopts the user, updates what it wants and
    the user lacks, and adds its groups - Connect answers 409 code 16 for one already added)."""
    emu.seed({'groups': [{'name': 'Team'}, {'name': 'Data'}]})
    tasks = '''
    - iamops.identity.identity_user:
        name: racer
        email: racer@example.com
        first_name: Rae
        user_role: publisher
        groups: %s
'''
    more = tasks % '[Team, Data]' + '''        last_name: Cer
'''
    tasks = tasks % '[Team]'
    one, two, entries = race(module_env, emu, tmp_path, (tasks, more), r'^/__api__/v1/users$')
    both_looked_before_either_wrote(entries, '/__api__/v1/users', ('POST', '/__api__/v1/users'))
    creates = [e['status'] for e in entries if (e['method'], e['path']) == ('POST', '/__api__/v1/users')]
    assert sorted(creates) == [200, 409]          # both created; Connect refused the second (code 8)
    assert adopted(one, two) == 1
    assert state.count_users('racer') == 1
    user = state.user('racer')
    assert (user['email'], user['first_name'], user['last_name'], user['user_role']) == (
        'racer@example.com', 'Rae', 'Cer', 'publisher')
    assert state.members('Team') == ['racer'] and state.members('Data') == ['racer']
    assert [len(g['members']) for g in emu.dump()['groups']] == [1, 1]
    # the loser adopted the user: no update when the first run lost (nothing it wants differs),
    # one PUT of the last name when the second did
    lost = 'two' if 'created by someone else' in ' '.join((two.stdout + two.stderr).split()) else 'one'
    puts = [e for e in entries if e['method'] == 'PUT']
    assert len(puts) == (1 if lost == 'two' else 0), puts
    adds = [e['status'] for e in entries if e['method'] == 'POST' and e['path'].endswith('/members')]
    # each membership made once; the loser re-plans its groups against the adopted user, so it adds
    # Team again (Connect: 409 code 16) only when the winner had not added it yet
    assert sorted(adds) in ([204, 204], [204, 204, 409]), adds

    proc, again = playbook(PLAY % dict(url=emu.url, key=API_KEY, tasks=more))
    assert proc.returncode == 0 and recap(proc.stdout)['changed'] == 0
    assert [e for e in again if e['write']] == []


def test_two_runs_creating_one_group_with_its_members(module_env, emu, state, tmp_path, playbook):
    emu.seed({'users': [{'username': 'ann', 'email': 'ann@x'}, {'username': 'bob', 'email': 'bob@x'}]})
    tasks = '''
    - iamops.identity.identity_group:
        name: Team
        users: [ann, bob]
'''
    one, two, entries = race(module_env, emu, tmp_path, tasks, r'^/__api__/v1/groups$')
    both_looked_before_either_wrote(entries, '/__api__/v1/groups', ('POST', '/__api__/v1/groups'))
    creates = [e['status'] for e in entries if (e['method'], e['path']) == ('POST', '/__api__/v1/groups')]
    assert sorted(creates) == [200, 409]          # code 15: the name is in use
    assert adopted(one, two) == 1
    groups = [g for g in emu.dump()['groups'] if g['name'] == 'Team']
    assert len(groups) == 1
    assert state.members('Team') == ['ann', 'bob'] and len(groups[0]['members']) == 2
    adds = [e['status'] for e in entries if e['method'] == 'POST' and e['path'].endswith('/members')]
    assert len(adds) <= 4 and adds.count(204) == 2, adds    # each member added once; a 409 is "already"

    proc, again = playbook(PLAY % dict(url=emu.url, key=API_KEY, tasks=tasks))
    assert proc.returncode == 0 and recap(proc.stdout)['changed'] == 0
    assert [e for e in again if e['write']] == []


def test_two_runs_adding_the_same_members(module_env, emu, state, tmp_path, playbook):
    emu.seed({'users': [{'username': n, 'email': n + '@x'} for n in ('ann', 'bob', 'cat')],
              'groups': [{'name': 'Data', 'members': ['cat']}]})
    tasks = '''
    - iamops.identity.identity_group:
        name: Data
        users: [ann, bob, cat]
'''
    one, two, entries = race(module_env, emu, tmp_path, tasks, r'^/__api__/v1/groups/[^/]+/members$')
    adds = [e['status'] for e in entries if e['method'] == 'POST' and e['path'].endswith('/members')]
    assert sorted(adds) == [204, 204, 409, 409], adds    # both added both; Connect: code 16 to the second
    group = state.group('Data')
    assert state.members('Data') == ['ann', 'bob', 'cat'] and len(group['members']) == 3
    for proc in (one, two):
        assert recap(proc.stdout)['changed'] == 1

    proc, again = playbook(PLAY % dict(url=emu.url, key=API_KEY, tasks=tasks))
    assert proc.returncode == 0 and recap(proc.stdout)['changed'] == 0
    assert [e for e in again if e['write']] == []
