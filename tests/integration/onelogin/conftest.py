"""OneLogin integration fixtures: the emulator (tests/emulators/onelogin) for the session, module
and playbook runners pointed at it through the environment an AWX credential type injects.

State is read back from the emulator's own state dump, never through the collection's code;
request counts come from its request log (a token request is not a write).
"""


import pytest
import requests

import fault_proxy as fp

from tests.emulators.onelogin.server import OneLoginEmulator
from tests.integration.conftest import module_runner, playbook_runner, provider_environment

CLIENT_ID = OneLoginEmulator.DEFAULT_CLIENT['client_id']
CLIENT_SECRET = OneLoginEmulator.DEFAULT_CLIENT['client_secret']


@pytest.fixture(scope='session')
def onelogin_server():
    with OneLoginEmulator() as emulator:
        yield emulator


@pytest.fixture
def onelogin(onelogin_server):
    """The emulator, emptied for each test."""
    onelogin_server.reset()
    return onelogin_server


class State:
    """The emulator's state, read over its control endpoint (independent of the collection)."""

    def __init__(self, emulator):
        self.url = emulator.url

    def dump(self):
        return requests.get(self.url + '/__emulator__/state', timeout=10).json()

    def seed(self, **body):
        response = requests.post(self.url + '/__emulator__/seed', json=body, timeout=10)
        response.raise_for_status()
        return response.json()

    def user(self, username):
        found = [u for u in self.dump()['users'] if u['username'] == username]
        return found[0] if found else None

    def role_names(self, username):
        roles = dict((r['id'], r['name']) for r in self.dump()['roles'])
        return sorted(roles[r] for r in self.user(username)['role_ids'])


@pytest.fixture
def state(onelogin):
    return State(onelogin)


@pytest.fixture
def onelogin_env(onelogin):
    """Environment for module runs: the collection importable, ONELOGIN_* set, no OS_*."""
    env = provider_environment(('ONELOGIN_',))
    env.update(ONELOGIN_CLIENT_ID=CLIENT_ID, ONELOGIN_CLIENT_SECRET=CLIENT_SECRET,
               ONELOGIN_URL=onelogin.url, IAMOPS_IDENTITY_PROVIDER='onelogin')
    return env


@pytest.fixture
def run_module(onelogin, onelogin_env, tmp_path):
    """``run('identity_user', name='jdoe', _check=True)``: one module run; a Run with the
    emulator's log entries and writes for it."""
    run = module_runner(onelogin_env, onelogin, tmp_path)

    def call(module, **args):
        return run(module, _connection=False, **args)

    return call


@pytest.fixture
def playbook(onelogin, onelogin_env, tmp_path):
    """A real ansible-playbook against the emulator; returns (CompletedProcess, entries)."""
    return playbook_runner(onelogin_env, onelogin, tmp_path)


@pytest.fixture
def proxy(onelogin):
    """The fault-injecting proxy (tests/support/fault_proxy.py) in front of the emulator."""
    with fp.FaultProxy(onelogin.url, lifetime=180) as found:
        yield found
