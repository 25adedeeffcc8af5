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
        groups: [{group}]
        password: Race-Pa55word
    - name: and given a role
      iamops.identity.identity_role_assignment:
        user: racer
        role: Staff
"""


def test_two_runs_creating_one_user_at_once(onelogin, onelogin_env, state, tmp_path):
    state.seed(groups=[{'name': 'Staff'}, {'name': 'Sales'}], roles=[{'name': 'Staff'}])
    mark = onelogin.mark()
    outcomes = {}
    with fp.FaultProxy(onelogin.url, lifetime=120) as one, fp.FaultProxy(onelogin.url, lifetime=120) as two:
        runs = []
        for key, proxy, title, group in (('first', one, 'One', 'Staff'), ('second', two, 'Two', 'Sales')):
            proxy.fault('GET', r'^/api/2/users$', fp.slow_answer(HOLD))
            directory = tmp_path / key
            directory.mkdir()
            runner = playbook_runner(dict(onelogin_env, ONELOGIN_URL=proxy.url), onelogin, directory)
            play = PLAY.format(title=title, group=group)
            runs.append(threading.Thread(target=lambda key=key, runner=runner, play=play: outcomes.__setitem__(
                key, runner(play, '--diff')[0])))
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
    texts = dict((key, ' '.join((proc.stdout + proc.stderr).split())) for key, proc in outcomes.items())
    losers = [key for key, text in texts.items() if "user 'racer' was created by someone else meanwhile" in text]
    assert len(losers) == 1, texts
    assert 'Username has already been taken' in texts[losers[0]]
    # the emulator holds the user once; the loser reconciled it with what it wanted (its title and
    # its group), in one PUT each
    users = [u for u in state.dump()['users'] if u['username'].lower() == 'racer']
    assert len(users) == 1
    user = users[0]
    title, group = {'first': ('One', 'Staff'), 'second': ('Two', 'Sales')}[losers[0]]
    groups = dict((g['name'], g['id']) for g in state.dump()['groups'])
    assert (user['title'], user['group_id']) == (title, groups[group]), user
    assert state.role_names('racer') == ['Staff'] and user['password'] is not None
    puts = [e for e in entries if e['method'] == 'PUT' and e['path'] == '/api/2/users/%d' % user['id']]
    assert len(puts) == 2
