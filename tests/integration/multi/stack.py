"""The three SaaS emulators (tests/emulators) started together on 127.0.0.1, seeded with what a
people file needs (groups, roles), for the multi-provider role tests, bench/roles_multi.py and
scripts/demo.sh. Test code, never shipped.

``Stack()`` is a context manager: ``stack.connections`` is the ``identity_providers`` mapping of
the three emulators (connection options as module options); ``stack.environment()`` the same as
the environment variables an AWX credential type injects; ``stack.emulators`` name -> emulator
(its ``dump()`` state and request log). ``python stack.py`` serves them until interrupted and
prints the connections as JSON (the demo uses that).
"""

import base64
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(CHECKOUT, os.pardir, os.pardir, os.pardir))
for _path in (COLLECTIONS_ROOT, os.path.join(CHECKOUT, 'tests')):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from cryptography.hazmat.primitives.serialization import (  # noqa: E402
    Encoding, NoEncryption, PrivateFormat, PublicFormat)

from emulators.authress.server import AuthressEmulator  # noqa: E402
from emulators.onelogin.server import OneLoginEmulator  # noqa: E402
from emulators.posit_connect.server import PositConnectEmulator  # noqa: E402

ONELOGIN_CLIENT_ID = OneLoginEmulator.DEFAULT_CLIENT['client_id']
ONELOGIN_CLIENT_SECRET = OneLoginEmulator.DEFAULT_CLIENT['client_secret']
CONNECT_API_KEY = 'multi-connect-admin-key-51c0e9d2a7'
AUTHRESS_CLIENT, AUTHRESS_KEY_ID, AUTHRESS_ACCOUNT = 'sc_multi', 'key_multi', 'acc_emulator'

# what every people file of the tests, the bench and the demo refers to
GROUPS = ('staff', 'research', 'payroll')
ONELOGIN_ROLES = ('Employee', 'Engineering', 'Finance')
AUTHRESS_ROLES = ('ro_reader', 'ro_editor')


def make_access_key(private_key):
    der = private_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return '%s.%s.%s.%s' % (AUTHRESS_CLIENT, AUTHRESS_KEY_ID, AUTHRESS_ACCOUNT, base64.b64encode(der).decode())


class Stack:
    """OneLogin, Authress and Posit Connect emulators, started and seeded."""

    def __init__(self):
        self.onelogin = OneLoginEmulator()
        self.authress = AuthressEmulator()
        self.posit_connect = PositConnectEmulator(api_key=CONNECT_API_KEY)
        self.emulators = {'onelogin': self.onelogin, 'authress': self.authress,
                          'posit_connect': self.posit_connect}
        self.service_key = Ed25519PrivateKey.generate()
        self.access_key = make_access_key(self.service_key)
        self.secrets = {ONELOGIN_CLIENT_SECRET: 'the OneLogin client secret',
                        CONNECT_API_KEY: 'the Connect API key', self.access_key: 'the Authress access key'}

    def start(self):
        for emulator in self.emulators.values():
            emulator.start()
        self.reset()
        return self

    def stop(self):
        for emulator in self.emulators.values():
            emulator.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def reset(self, authress_users=()):
        """Empty every emulator, then seed the groups and roles (and the Authress users given:
        Authress users cannot be created, they appear at their first login)."""
        for emulator in self.emulators.values():
            emulator.reset()
        self.onelogin.seed({'groups': [{'name': g} for g in GROUPS],
                            'roles': [{'name': r} for r in ONELOGIN_ROLES],
                            'config': {'rate_limit': {'limit': 100000}}})
        raw = self.service_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.authress.seed({'clients': [{'clientId': AUTHRESS_CLIENT, 'keys': [
            {'keyId': AUTHRESS_KEY_ID, 'publicKey': base64.b64encode(raw).decode()}]}],
            'settings': {'delete_delay': 0.0},
            'roles': [{'roleId': r, 'name': r, 'permissions': [
                {'action': 'documents:read', 'allow': True, 'grant': False, 'delegate': False}]}
                for r in AUTHRESS_ROLES],
            'groups': [{'groupId': 'grp_' + g, 'name': g, 'users': [], 'admins': []} for g in GROUPS],
            'users': [{'userId': u, 'email': '%s@example.com' % u} for u in authress_users]})
        self.posit_connect.seed({'groups': [{'name': g} for g in GROUPS]})

    def add_authress_users(self, names):
        """People who logged in once (so that Authress knows them)."""
        self.authress.seed({'users': [{'userId': u, 'email': '%s@example.com' % u} for u in names]})

    @property
    def connections(self):
        """identity_providers for the three emulators, connection options given as options."""
        return {
            'onelogin': {'api_url': self.onelogin.url, 'client_id': ONELOGIN_CLIENT_ID,
                         'client_secret': ONELOGIN_CLIENT_SECRET},
            'authress': {'api_url': self.authress.url, 'access_key': self.access_key},
            'posit_connect': {'api_url': self.posit_connect.url, 'api_key': CONNECT_API_KEY},
        }

    def environment(self):
        """The same connections as the environment variables AWX credential types inject."""
        return {'ONELOGIN_URL': self.onelogin.url, 'ONELOGIN_CLIENT_ID': ONELOGIN_CLIENT_ID,
                'ONELOGIN_CLIENT_SECRET': ONELOGIN_CLIENT_SECRET,
                'AUTHRESS_URL': self.authress.url, 'AUTHRESS_ACCESS_KEY': self.access_key,
                'CONNECT_SERVER': self.posit_connect.url, 'CONNECT_API_KEY': CONNECT_API_KEY}

    def marks(self):
        return dict((name, e.mark()) for name, e in self.emulators.items())

    def entries(self, marks):
        return dict((name, e.entries(marks[name])) for name, e in self.emulators.items())

    def writes(self, marks):
        return dict((name, e.writes(marks[name])) for name, e in self.emulators.items())


def main():
    """Serve the stack until SIGTERM/SIGINT; write the connections as JSON to the file named by
    the first argument (mode 0600: it holds the emulators' keys), or print them."""
    stack = Stack().start()
    if len(sys.argv) > 2:
        stack.add_authress_users(sys.argv[2].split(','))
    text = json.dumps({'identity_providers': stack.connections})
    if len(sys.argv) > 1:
        fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w') as handle:
            handle.write(text)
    else:
        print(text, flush=True)
    import signal
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    try:
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, SystemExit):
        stack.stop()


if __name__ == '__main__':
    main()
