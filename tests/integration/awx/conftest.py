"""Fixtures of the AWX and access report tests: the three SaaS emulators started together
(tests/integration/multi/stack.py: the same emulators the provider folders start, seeded with
the groups and roles a people file names), one request log over them and Keystone, and the
environment a job gets in AWX (no OS_* nor provider variables unless a credential injects them).
"""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(CHECKOUT, os.pardir, os.pardir, os.pardir))
for _path in (os.path.join(CHECKOUT, 'tests', 'integration', 'multi'), os.path.join(CHECKOUT, 'tests', 'support')):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from tests.integration.conftest import PROVIDER_PREFIXES, provider_environment  # noqa: E402


@pytest.fixture
def saas(saas_stack):
    """The three emulators, emptied and seeded with the people file's groups and roles."""
    saas_stack.reset()
    return saas_stack


class Logs:
    """Keystone's access log and the emulators' request logs behind one mark/entries interface:
    ``entries(mark)`` -> provider -> the requests it logged, as ``(method, path)`` pairs."""

    def __init__(self, stack, keystone_log=None):
        self.stack, self.keystone_log = stack, keystone_log

    def mark(self):
        return (self.stack.marks(), self.keystone_log.mark() if self.keystone_log else None)

    def entries(self, mark):
        found = dict((name, [(e['method'], e['path']) for e in entries])
                     for name, entries in self.stack.entries(mark[0]).items())
        if self.keystone_log is not None:
            found['keystone'] = [(e.method, e.path) for e in self.keystone_log.entries(mark[1])]
        return found


WRITE_METHODS = ('POST', 'PUT', 'PATCH', 'DELETE')
TOKEN_PATHS = ('/v3/auth/tokens', '/auth/oauth2/v2/token')


def writes(entries):
    """provider -> its write requests (a token request is not a write)."""
    return dict((name, [e for e in found if e[0] in WRITE_METHODS and e[1] not in TOKEN_PATHS])
                for name, found in entries.items())


def job_environment(extra=None):
    """The environment of a job: the collection importable, no provider setting inherited."""
    env = provider_environment(PROVIDER_PREFIXES)
    env.update(extra or {})
    return env
