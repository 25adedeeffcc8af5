"""Keystone killed hard (SIGKILL to gunicorn's process group) in the middle of a 300-person batch.

Runs on a DEDICATED Keystone (a killed server must not take the session's down). The batch is one
identity_user process creating 300 people; once Keystone has logged ``KILL_AFTER`` of its user
creates, gunicorn's master and worker are SIGKILLed and Keystone stays down until the run ends
(at most ``RUN_LIMIT`` seconds); then it is restarted on the same data and the batch is run again.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import Admin, harness, module_environment

PEOPLE = 300
KILL_AFTER = 100
RUN_LIMIT = 40  # seconds the killed run may take; the server stays down that long


@pytest.fixture(scope='module')
def killed(tmp_path_factory):
    """Start a dedicated Keystone, kill it mid-batch, restart it, run again; return what happened."""
    directory = str(tmp_path_factory.mktemp('keystone-kill'))
    env = harness.start(dir=directory)
    env['clouds_yaml'] = os.path.join(directory, 'clouds.yaml')
    try:
        yield _scenario(env, directory, tmp_path_factory.mktemp('kill-runs'))
    finally:
        harness.stop(dir=directory)


def _run(env, args, path, limit):
    """One identity_user process (its args in PATH); (result or None, stderr, seconds, timed out)."""
    path.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': dict(args, cloud='iamops-test', _ansible_diff=False,
                                                            _ansible_check_mode=False)}))
    started = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, '-m', 'ansible_collections.iamops.identity.plugins.modules.identity_user',
                               str(path)], env=module_environment(env['clouds_yaml']), capture_output=True,
                              text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired as exc:
        return None, (exc.stderr or b'').decode('utf-8', 'replace') if isinstance(exc.stderr, bytes) \
            else (exc.stderr or ''), time.monotonic() - started, True
    try:
        result = json.loads(proc.stdout)
    except ValueError:
        result = None
    return result, proc.stderr, time.monotonic() - started, False


def _user_creates(log_path):
    try:
        with open(log_path, 'rb') as handle:
            return sum(1 for line in handle if line.startswith(b'POST\t/v3/users\t'))
    except OSError:
        return 0


def _scenario(env, directory, runs):
    admin = Admin(env)
    domain = admin.make_domain('killed')
    names = ['k%03d' % i for i in range(PEOPLE)]
    args = dict(domain='killed', users=[{'name': n, 'email': n + '@example.com'} for n in names])
    outcome = {}

    def first_run():
        outcome['first'] = _run(env, args, runs / 'first.json', RUN_LIMIT)

    thread = threading.Thread(target=first_run)
    thread.start()
    deadline = time.monotonic() + 120
    while _user_creates(env['access_log']) < KILL_AFTER and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.05)
    pid = harness.status(dir=directory)['pid']
    assert pid, 'Keystone is not running'
    os.killpg(os.getpgid(pid), signal.SIGKILL)
    killed_at = time.monotonic()
    outcome['created_before_kill'] = _user_creates(env['access_log'])
    thread.join(RUN_LIMIT + 30)
    outcome['first_seconds_after_kill'] = time.monotonic() - killed_at
    harness.restart(dir=directory)
    admin = Admin(env)
    log = harness.AccessLog(env['access_log'])
    mark = log.mark()
    outcome['rerun'] = _run(env, args, runs / 'rerun.json', 180)
    outcome['rerun_writes'] = log.writes(mark)
    mark = log.mark()
    outcome['third'] = _run(env, args, runs / 'third.json', 180)
    outcome['third_writes'] = log.writes(mark)
    outcome['server_names'] = [u['name'] for u in admin.get('/users', domain_id=domain['id'])['users']]
    outcome['names'] = names
    return outcome


def test_rerun_after_a_hard_kill_converges_without_duplicates(killed):
    assert KILL_AFTER <= killed['created_before_kill'] < PEOPLE  # killed in the middle
    result, stderr, _seconds, _timed_out = killed['rerun']
    assert result is not None and result.get('failed') is not True, (result, stderr[-2000:])
    assert 'Traceback' not in stderr
    names = killed['server_names']
    assert sorted(names) == killed['names']  # every person, each exactly once
    created = [r['user']['name'] for r in result['results'] if r['changed']]
    assert len(created) == len(killed['rerun_writes'])  # one POST per person still missing, nothing else
    assert all(e.method == 'POST' and e.path == '/v3/users' for e in killed['rerun_writes'])
    assert 0 < len(created) <= PEOPLE - KILL_AFTER
    third, _stderr, _s, _t = killed['third']
    assert third['changed'] is False and killed['third_writes'] == []


def test_killed_run_stops_and_says_which_items_were_done(killed):
    result, stderr, seconds, timed_out = killed['first']
    assert not timed_out, 'the run was still going %ds after the kill' % RUN_LIMIT
    assert result is not None and result.get('failed') is True, stderr[-2000:]
    assert 'Traceback' not in stderr and 'exception' not in result
    msg = result['msg']
    assert '\n' not in msg and 'not attempted' in msg, msg
    done = [r for r in result['results'] if r.get('changed') and not r.get('failed')]
    assert KILL_AFTER - 1 <= len(done) <= killed['created_before_kill'] + 1
    assert set(r['item']['name'] for r in done) <= set(killed['server_names'])
