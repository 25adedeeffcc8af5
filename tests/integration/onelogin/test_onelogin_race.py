"""Two ansible-playbook runs at once creating the same OneLogin user: both succeed, the emulator
holds the user once (issue 19).

The race is made certain, not left to timing, as Keystone's (tests/integration/test_race.py): each
run talks to the emulator through its own fault proxy, which forwards the run's first user
listing at once but holds its answer ``HOLD`` seconds, so both runs look the user up before either
creates it. The loser's create is answered 422 "Username has already been taken", which the
provider marks as a conflict: the loser looks the user up and adopts it, like a Keystone 409.
"""

import threading

import fault_proxy as fp
from tests.integration.conftest import playbook_runner

HOLD = 3.0
PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: the same person, onboarded by two runs at once
      iamops.identity.identity_user:
        name: racer
        email: racer@example.com
        first_name: Rae
        title: {title}
        groups: [Staff]
        password: Race-Pa55word
    - name: and given a role
      iamops.identity.identity_role_assignment:
        user: racer
        role: Staff
"""


def test_two_runs_creating_one_user_at_once(onelogin, onelogin_env, state, tmp_path):
    state.seed(groups=[{'name': 'Staff'}], roles=[{'name': 'Staff'}])
    mark = onelogin.mark()
    outcomes = {}
    with fp.FaultProxy(onelogin.url, lifetime=120) as one, fp.FaultProxy(onelogin.url, lifetime=120) as two:
        runs = []
        for key, proxy, title in (('first', one, 'One'), ('second', two, 'Two')):
            proxy.fault('GET', r'^/api/2/users$', fp.slow_answer(HOLD))
            directory = tmp_path / key
            directory.mkdir()
            runner = playbook_runner(dict(onelogin_env, ONELOGIN_URL=proxy.url), onelogin, directory)
            runs.append(threading.Thread(target=lambda key=key, runner=runner, title=title: outcomes.__setitem__(
                key, runner(PLAY.format(title=title), '--diff')[0])))
        for thread in runs:
            thread.start()
        for thread in runs:
            thread.join(200)
        held = [e for p in (one, two) for e in p.fired()]
    entries = onelogin.entries(mark)
    # the race happened: both lookups reached the emulator before the first create
    assert len(held) == 2
    creates = [i for i, e in enumerate(entries) if (e['method'], e['path']) == ('POST', '/api/2/users')]
    lookups = [i for i, e in enumerate(entries) if (e['method'], e['path']) == ('GET', '/api/2/users')]
    assert len(lookups) >= 2 and lookups[1] < creates[0], entries
    assert [entries[i]['status'] for i in creates] == [201, 422]          # one create each, never repeated
    for key in ('first', 'second'):
        proc = outcomes[key]
        assert proc.returncode == 0, '%s run failed:\n%s' % (key, (proc.stdout + proc.stderr)[-3000:])
        assert 'failed=0' in proc.stdout
    text = ' '.join((outcomes['first'].stdout + outcomes['first'].stderr + outcomes['second'].stdout
                     + outcomes['second'].stderr).split())
    assert text.count("user 'racer' was created by someone else meanwhile") == 1, text[-3000:]
    assert 'Username has already been taken' in text
    # the emulator holds the user once, with what the later run wanted
    users = [u for u in state.dump()['users'] if u['username'].lower() == 'racer']
    assert len(users) == 1
    user = users[0]
    assert user['group_id'] == state.dump()['groups'][0]['id'] and state.role_names('racer') == ['Staff']
    assert user['title'] in ('One', 'Two') and user['password'] is not None
    # the loser updated the winner's user to its own title: one PUT, and no other write on the user
    puts = [e for e in entries if e['method'] == 'PUT' and e['path'] == '/api/2/users/%d' % user['id']]
    assert len(puts) == 1
