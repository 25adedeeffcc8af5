"""Posit Connect integration fixtures: the emulator (tests/emulators/posit_connect) for the session,
reset before each test, and the module and playbook runners of tests/integration/conftest.py
pointed at it.

State is read back with the emulator's ``dump()`` (never through the collection); request counts
come from its request log, which speaks the AccessLog interface (mark/entries/writes).
"""

import os
import sys

import pytest

import fault_proxy as fp

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(CHECKOUT, os.pardir, os.pardir, os.pardir))
for _path in (os.path.join(CHECKOUT, 'tests'), COLLECTIONS_ROOT):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from emulators.posit_connect.server import PositConnectEmulator  # noqa: E402
from tests.integration.conftest import provider_environment, provider_factory, with_connection  # noqa: E402

API_KEY = 'it-admin-key-7c1d0a55e3'   # long and unique, so a leak is found by grep


@pytest.fixture(scope='session')
def connect_server():
    with PositConnectEmulator(api_key=API_KEY) as emulator:
        yield emulator


@pytest.fixture
def emu(connect_server):
    """The emulator, emptied (only its bootstrap administrator left) before each test."""
    connect_server.reset()
    return connect_server


@pytest.fixture
def access_log(emu):
    """The emulator's request log stands for Keystone's access log in the shared runners."""
    return emu


@pytest.fixture(scope='session')
def module_env():
    """Environment of module runs: the collection importable, no Connect or OpenStack settings."""
    return provider_environment(('CONNECT_',))


@pytest.fixture
def provider(emu):
    """A fresh provider object (one run's worth of caches) talking to the emulator."""
    from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect.provider import (
        PositConnectProvider)

    return provider_factory(PositConnectProvider, {'api_url': emu.url, 'api_key': API_KEY})


@pytest.fixture
def connection(emu):
    return {'provider': 'posit_connect', 'api_url': emu.url, 'api_key': API_KEY}


@pytest.fixture
def run_module(run_module, connection):
    """The shared module runner with the Connect connection options added (``_connection=False``
    leaves them out, ``_env`` adds environment variables)."""
    return with_connection(run_module, connection)


class State:
    """The emulator's state, read independently of the collection (its ``dump``)."""

    def __init__(self, emu):
        self.emu = emu

    def user(self, username):
        return next((u for u in self.emu.dump()['users'] if u['username'] == username), None)

    def group(self, name):
        return next((g for g in self.emu.dump()['groups'] if g['name'] == name), None)

    def count_users(self, username):
        return len([u for u in self.emu.dump()['users'] if u['username'] == username])

    def members(self, name):
        """Usernames of the members of group ``name``, sorted."""
        names = dict((u['guid'], u['username']) for u in self.emu.dump()['users'])
        return sorted(names[g] for g in self.group(name)['members'])


@pytest.fixture
def state(emu):
    return State(emu)


@pytest.fixture
def proxy(emu):
    """The fault-injecting proxy (tests/support/fault_proxy.py) in front of the emulator."""
    with fp.FaultProxy(emu.url, lifetime=180) as found:
        yield found
