"""SCIM integration fixtures: a real ``scim2-server`` (tests/scim/scim_server.py: PyPI's
scim2-server in its own venv under the cache dir, in-memory backend, bearer token required) on
127.0.0.1, started once per session and emptied before each test; a second one announcing a
minimal ServiceProviderConfig (no PATCH, filter, ETag, bulk or password change), for the
fallbacks; and the shared module runner pointed at them.

State is read back with :class:`Admin` - plain ``requests`` against the SCIM server, sharing
nothing with the collection's code. Request counts come from the server's own request log.
"""

import importlib.util
import os
import sys

import pytest
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(CHECKOUT, os.pardir, os.pardir, os.pardir))
for _path in (os.path.join(CHECKOUT, 'tests', 'support'), COLLECTIONS_ROOT):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import secret_scan  # noqa: E402
from tests.integration.conftest import module_runner, provider_environment, provider_factory, with_connection  # noqa: E402


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


harness = _load('scim_server', os.path.join(CHECKOUT, 'tests', 'scim', 'scim_server.py'))

TOKEN = 'it-scim-bearer-5d9c0b27e1f4'          # long and unique, so a leak is found by grep
MINIMAL_TOKEN = 'it-scim-minimal-8a3f61c2d07e'
USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'


class Admin:
    """An independent SCIM client (plain requests, its own bearer token use) to read and seed
    the server's state."""

    def __init__(self, url, token):
        self.url = url
        self.session = requests.Session()
        self.session.headers.update({'Authorization': 'Bearer %s' % token,
                                     'Content-Type': 'application/scim+json'})

    def _list(self, kind, **params):
        rows, start = [], 1
        for _page in range(1000):
            body = self.session.get('%s/%s' % (self.url, kind), params=dict(params, startIndex=start, count=200),
                                    timeout=30).json()
            page = body.get('Resources') or []
            rows += page
            start += len(page)
            if not page or start > body['totalResults']:
                return rows
        raise AssertionError('listing never ended')

    def users(self):
        return self._list('Users')

    def groups(self):
        return self._list('Groups')

    def user(self, name):
        """The user whose userName is exactly ``name`` (from the full listing: never a filter)."""
        return next((u for u in self.users() if u['userName'] == name), None)

    def group(self, name):
        return next((g for g in self.groups() if g['displayName'] == name), None)

    def members(self, name):
        """userNames of the members of group ``name``, sorted."""
        names = dict((u['id'], u['userName']) for u in self.users())
        return sorted(names.get(m['value'], m['value']) for m in self.group(name).get('members') or [])

    def make_user(self, user_name, **attrs):
        response = self.session.post(self.url + '/Users', json=dict(attrs, schemas=[USER_SCHEMA], userName=user_name),
                                     timeout=30)
        assert response.status_code == 201, response.text
        return response.json()

    def make_group(self, name, members=()):
        body = {'schemas': [GROUP_SCHEMA], 'displayName': name, 'members': [{'value': m['id']} for m in members]}
        response = self.session.post(self.url + '/Groups', json=body, timeout=30)
        assert response.status_code == 201, response.text
        return response.json()

    def put(self, kind, resource):
        body = dict((k, v) for k, v in resource.items() if k != 'meta')
        response = self.session.put('%s/%s/%s' % (self.url, kind, resource['id']), json=body, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def wipe(self):
        for kind, rows in (('Groups', self.groups()), ('Users', self.users())):
            for row in rows:
                self.session.delete('%s/%s/%s' % (self.url, kind, row['id']), timeout=30)


def _server(tmp_path_factory, name, token, config=None):
    secret_scan.register(token, 'the SCIM bearer token (%s)' % name)
    directory = os.environ.get('IAMOPS_SCIM_DIR') or str(tmp_path_factory.mktemp('scim'))
    server = harness.ScimServer(os.path.join(directory, name), token, config=config)
    server.start()
    return server


@pytest.fixture(scope='session')
def scim_server(tmp_path_factory):
    server = _server(tmp_path_factory, 'full', TOKEN)
    yield server
    server.stop()


@pytest.fixture(scope='session')
def scim_minimal(tmp_path_factory):
    server = _server(tmp_path_factory, 'minimal', MINIMAL_TOKEN, harness.MINIMAL_CONFIG)
    yield server
    server.stop()


@pytest.fixture
def admin(scim_server):
    """The independent client, the server emptied before each test."""
    client = Admin(scim_server.url, TOKEN)
    client.wipe()
    return client


@pytest.fixture
def access_log(scim_server, admin):
    return scim_server.log


@pytest.fixture(scope='session')
def module_env():
    """Environment of module runs: the collection importable, no SCIM or OpenStack settings."""
    return provider_environment(('SCIM_',))


@pytest.fixture
def connection(scim_server):
    return {'provider': 'scim', 'api_url': scim_server.url, 'scim_token': TOKEN}


@pytest.fixture
def run_module(run_module, connection):
    """The shared module runner with the SCIM connection options added (``_connection=False``
    leaves them out, ``_env`` adds environment variables)."""
    return with_connection(run_module, connection)


@pytest.fixture
def minimal_admin(scim_minimal):
    client = Admin(scim_minimal.url, MINIMAL_TOKEN)
    client.wipe()
    return client


@pytest.fixture
def run_minimal(scim_minimal, minimal_admin, module_env, tmp_path):
    """The module runner against the server without PATCH, filter, ETag or password change."""
    (tmp_path / 'minimal').mkdir()
    runner = module_runner(module_env, scim_minimal.log, tmp_path / 'minimal')
    return with_connection(runner, {'provider': 'scim', 'api_url': scim_minimal.url, 'scim_token': MINIMAL_TOKEN})


@pytest.fixture
def provider(scim_server, admin):
    """A fresh provider object (one run's worth of caches) talking to the server."""
    from ansible_collections.iamops.identity.plugins.module_utils.providers.scim.provider import ScimProvider

    return provider_factory(ScimProvider, {'api_url': scim_server.url, 'scim_token': TOKEN})
