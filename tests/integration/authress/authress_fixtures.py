"""Integration fixtures for Authress (a plugin module the tests import, not a conftest.py: a second
``conftest`` module would shadow tests/integration/conftest.py, which the Keystone tests import by
that name): the emulator (tests/emulators/authress) on 127.0.0.1 for the
session, a service client key pair registered with it, module and playbook runners.

State is read back from the emulator's own state (``emulator.dump()``), never through the
collection; request counts come from the emulator's request log.
"""

import base64
import os
import sys

import pytest
import fault_proxy as fp
from conftest import module_runner, playbook_runner  # tests/integration/conftest.py: the shared runners
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(CHECKOUT, os.pardir, os.pardir, os.pardir))

if COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, COLLECTIONS_ROOT)
from ansible_collections.iamops.identity.tests.emulators.authress.server import AuthressEmulator  # noqa: E402

CLIENT_ID = 'sc_iamops'
KEY_ID = 'key_it'
ACCOUNT = 'acc_emulator'


def make_access_key(private_key, client_id=CLIENT_ID, key_id=KEY_ID, account=ACCOUNT):
    """The access key string as Authress formats it: clientId.keyId.accountId.base64(PKCS#8 DER)."""
    der = private_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return '%s.%s.%s.%s' % (client_id, key_id, account, base64.b64encode(der).decode())


@pytest.fixture(scope='session')
def service_key():
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope='session')
def access_key(service_key):
    return make_access_key(service_key)


@pytest.fixture(scope='session')
def emulator_server():
    with AuthressEmulator() as server:
        yield server


@pytest.fixture
def emulator(emulator_server, service_key):
    """The emulator, emptied, with the service client's public key registered."""
    emulator_server.reset()
    raw = service_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    emulator_server.seed({'clients': [{'clientId': CLIENT_ID, 'keys': [
        {'keyId': KEY_ID, 'publicKey': base64.b64encode(raw).decode()}]}],
        'settings': {'page_size': 3, 'delete_delay': 0.3}})
    return emulator_server


@pytest.fixture
def authress_env(emulator, access_key):
    """What an AWX credential type would inject."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('OS_', 'AUTHRESS_')))
    env['PYTHONPATH'] = COLLECTIONS_ROOT + os.pathsep + env.get('PYTHONPATH', '')
    env.update(AUTHRESS_URL=emulator.url, AUTHRESS_ACCESS_KEY=access_key)
    return env


@pytest.fixture
def run_module(emulator, authress_env, tmp_path):
    """Run a module with ``provider: authress``, the connection from the environment."""
    runner = module_runner(authress_env, emulator, tmp_path)

    def run(module, **args):
        args.setdefault('provider', 'authress')
        return runner(module, _connection=False, **args)

    return run


@pytest.fixture
def playbook(emulator, authress_env, tmp_path):
    """A real ansible-playbook against the emulator; returns (CompletedProcess, entries)."""
    return playbook_runner(authress_env, emulator, tmp_path)


@pytest.fixture
def proxy(emulator):
    """The fault-injecting proxy (tests/support/fault_proxy.py) in front of the emulator, as one of
    the account's custom domains (so the JWT's issuer is the proxy's URL)."""
    with fp.FaultProxy(emulator.url, lifetime=180) as found:
        emulator.custom_domains = [found.url]
        yield found
        emulator.custom_domains = []
