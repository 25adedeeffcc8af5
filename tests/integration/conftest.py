"""Integration fixtures: a real Keystone on 127.0.0.1, an independent admin client, module runners.

The Keystone server is installed and started by tests/keystone/keystone_server.py (its own venv,
SQLite, one worker) once per test session, in ``IAMOPS_KEYSTONE_DIR`` (default
``<checkout>/.build/keystone-it``), and stopped at the end unless ``IAMOPS_KEEP_KEYSTONE=1``.

State is always read back with :class:`Admin`, plain ``requests`` calls that share nothing with
the collection's code. Write counts come from Keystone's own access log.
"""

import importlib.util
import json
import os
import subprocess
import sys
import uuid

import pytest
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(os.path.dirname(HERE))
# <root>/ansible_collections/iamops/identity -> <root>
COLLECTIONS_ROOT = os.path.abspath(os.path.join(CHECKOUT, os.pardir, os.pardir, os.pardir))


def _load_harness():
    spec = importlib.util.spec_from_file_location(
        'keystone_server', os.path.join(CHECKOUT, 'tests', 'keystone', 'keystone_server.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


harness = _load_harness()
sys.path.insert(0, os.path.join(CHECKOUT, 'tests', 'support'))

import secret_scan  # noqa: E402  tests/support/secret_scan.py: the session-wide secret scan


@pytest.fixture(autouse=True)
def _secret_scan(request):
    """Keep every byte each test's Ansible runs print, and the secrets they were given."""
    with secret_scan.capturing(request.node.nodeid):
        yield


def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: a test on a Keystone of its own (the MariaDB production shape); '
                                       'part of the test command, deselect with -m "not slow"')


def pytest_terminal_summary(terminalreporter):
    lines, leaked = secret_scan.report()
    for line in lines:
        terminalreporter.write_line(line, red=leaked)


def pytest_sessionfinish(session):
    if secret_scan.failed():  # a leak fails the session, whatever the tests said
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if os.environ.get('IAMOPS_SECRET_SCAN_DUMP'):  # tests/run.sh merges the sessions' scans
        secret_scan.dump(os.environ['IAMOPS_SECRET_SCAN_DUMP'])


class Admin:
    """An independent Keystone admin client (plain requests) to read and seed server state."""

    def __init__(self, env):
        self.url = env['auth_url']
        self.env = env
        body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
            'name': env['username'], 'domain': {'name': env['user_domain_name']},
            'password': env['password']}}},
            'scope': {'project': {'name': env['project_name'], 'domain': {'name': env['project_domain_name']}}}}}
        response = requests.post(self.url + '/auth/tokens', json=body, timeout=30)
        response.raise_for_status()
        self.token = response.headers['X-Subject-Token']
        secret_scan.register(self.token, 'the admin client\'s token')
        self.session = requests.Session()
        self.session.headers['X-Auth-Token'] = self.token

    def get(self, path, **params):
        response = self.session.get(self.url + path, params=params, timeout=30)
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return response.json()

    def post(self, path, body):
        response = self.session.post(self.url + path, json=body, timeout=30)
        response.raise_for_status()
        return response.json()

    def put(self, path, body=None):
        response = self.session.put(self.url + path, json=body, timeout=30)
        response.raise_for_status()
        return response.json() if response.content else None

    def delete(self, path):
        self.session.delete(self.url + path, timeout=30)

    # convenience readers ------------------------------------------------------------------
    def domain(self, name):
        found = self.get('/domains', name=name)['domains']
        return found[0] if found else None

    def user(self, name, domain_id='default'):
        found = self.get('/users', name=name, domain_id=domain_id)['users']
        return found[0] if found else None

    def make_domain(self, name):
        return self.domain(name) or self.post('/domains', {'domain': {'name': name}})['domain']

    def make_project(self, name, domain_id='default'):
        found = self.get('/projects', name=name, domain_id=domain_id)['projects']
        return found[0] if found else self.post(
            '/projects', {'project': {'name': name, 'domain_id': domain_id}})['project']

    def make_user(self, name, domain_id='default', **attrs):
        return self.user(name, domain_id) or self.post(
            '/users', {'user': dict(attrs, name=name, domain_id=domain_id)})['user']

    def password_works(self, user_id, password):
        body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
            'id': user_id, 'password': password}}}}}
        return requests.post(self.url + '/auth/tokens', json=body, timeout=30).status_code == 201


@pytest.fixture(scope='session')
def keystone():
    directory = os.environ.get('IAMOPS_KEYSTONE_DIR') or os.path.join(CHECKOUT, '.build', 'keystone-it')
    env = harness.start(dir=directory)
    env['clouds_yaml'] = os.path.join(directory, 'clouds.yaml')
    yield env
    if os.environ.get('IAMOPS_KEEP_KEYSTONE') != '1':
        harness.stop(dir=directory)


PROD_WORKERS = 4


@pytest.fixture(scope='session')
def prod_keystone():
    """The production-shaped Keystone (test_keystone_prod.py, test_mysql_backend.py): its own MariaDB
    (Debian's mariadb-server, installed when missing) and memcached, 4 gunicorn workers; in
    ``IAMOPS_KEYSTONE_PROD_DIR`` (default ``<checkout>/.build/keystone-prod``: not under pytest's
    basetemp, which another pytest run of the same user may prune meanwhile)."""
    directory = os.environ.get('IAMOPS_KEYSTONE_PROD_DIR') or os.path.join(CHECKOUT, '.build', 'keystone-prod')
    env = harness.start(dir=directory, database=harness.MARIADB, workers=PROD_WORKERS)
    secret_scan.register(env['password'], 'the production-shaped Keystone admin password')
    env['clouds_yaml'] = os.path.join(directory, 'clouds.yaml')
    yield env
    if os.environ.get('IAMOPS_KEEP_KEYSTONE') != '1':
        harness.stop(dir=directory)


# every variable an AWX credential could inject: a job (or a role's run) starts without any of them
PROVIDER_PREFIXES = ('OS_', 'ONELOGIN_', 'AUTHRESS_', 'CONNECT_', 'IAMOPS_IDENTITY_')


@pytest.fixture(scope='session')
def saas_stack():
    """The three SaaS emulators started together (tests/integration/multi/stack.py), their secrets
    given to the secret scan: one stack for the session, shared by the roles' and the AWX tests
    (each test resets it)."""
    multi = os.path.join(HERE, 'multi')
    if multi not in sys.path:
        sys.path.insert(0, multi)
    from stack import Stack  # pylint: disable=import-outside-toplevel

    with Stack() as stack:
        for secret, what in stack.secrets.items():
            secret_scan.register(secret, what)
        yield stack


@pytest.fixture(scope='session')
def admin(keystone):
    return Admin(keystone)


@pytest.fixture(scope='session')
def access_log(keystone):
    return harness.AccessLog(keystone['access_log'])


@pytest.fixture
def uniq():
    """A short unique suffix, so tests never see each other's objects."""
    return uuid.uuid4().hex[:8]


class Run:
    """The outcome of one module run: result, and the requests Keystone logged for it."""

    def __init__(self, result, entries, writes, stderr):
        self.result = result
        self.entries = entries
        self.writes = writes
        self.stderr = stderr

    def __getitem__(self, key):
        return self.result[key]

    def __contains__(self, key):
        return key in self.result

    def get(self, key, default=None):
        return self.result.get(key, default)


def provider_environment(prefixes=()):
    """Environment for module runs: the collection importable, no OS_* variable nor any whose name
    starts with one of ``prefixes`` (a provider's own settings, which a run must not inherit)."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('OS_',) + tuple(prefixes)))
    env['PYTHONPATH'] = COLLECTIONS_ROOT + os.pathsep + env.get('PYTHONPATH', '')
    return env


def module_environment(clouds_yaml):
    """Environment for Keystone module runs: :func:`provider_environment`, clouds.yaml findable."""
    env = provider_environment()
    env['OS_CLIENT_CONFIG_FILE'] = clouds_yaml
    return env


def module_runner(base_env, access_log, tmp_path):
    """A function that runs a module of the collection the way Ansible does on the target (an
    args file), fast: ``run('identity_user', name='x', _check=True, _diff=True)``. Connection
    defaults to ``cloud: iamops-test`` unless ``cloud``/``auth`` are given or ``_connection`` is
    False; ``_env`` adds environment variables; ``_timeout`` (seconds, default 120) fails a run
    that would not end. Returns a :class:`Run`."""
    counter = [0]

    def run(module, _check=False, _diff=False, _env=None, _connection=True, _timeout=120, **args):
        if _connection and 'auth' not in args and 'cloud' not in args:
            args['cloud'] = 'iamops-test'
        args['_ansible_check_mode'] = _check
        args['_ansible_diff'] = _diff
        counter[0] += 1
        path = tmp_path / ('args-%d.json' % counter[0])
        path.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
        mark = access_log.mark()
        env = dict(base_env, **(_env or {}))
        try:
            proc = subprocess.run(
                [sys.executable, '-m', 'ansible_collections.iamops.identity.plugins.modules.' + module, str(path)],
                env=env, capture_output=True, text=True, timeout=_timeout, check=False)
        except subprocess.TimeoutExpired:
            raise AssertionError('%s did not end within %s s (a listing that never ends?)' % (module, _timeout))
        try:
            result = json.loads(proc.stdout)
        except ValueError:
            raise AssertionError('module printed no JSON:\n%s\n%s' % (proc.stdout, proc.stderr))
        run.stdout = proc.stdout
        return Run(result, access_log.entries(mark), access_log.writes(mark), proc.stderr)

    return run


def with_connection(run_module, connection):
    """``run_module`` (a :func:`module_runner`) with the ``connection`` options added to every run:
    a provider folder's ``run_module`` fixture. ``_connection=False`` leaves them out."""

    def run(module, _connection=True, **args):
        if _connection:
            args = dict(connection, **args)
        return run_module(module, _connection=False, **args)

    return run


def provider_factory(provider_class, connection):
    """``make(**params)``: a fresh provider object (one run's worth of caches) over ``connection``."""

    def make(**params):
        return provider_class(dict(connection, **params))

    return make


@pytest.fixture(scope='session')
def module_env(keystone):
    return module_environment(keystone['clouds_yaml'])


@pytest.fixture
def run_module(access_log, module_env, tmp_path):
    """:func:`module_runner` against the session's Keystone."""
    return module_runner(module_env, access_log, tmp_path)


def playbook_runner(base_env, access_log, tmp_path):
    """A function that runs a real ``ansible-playbook`` of ``text`` on localhost with ``options``
    and ``extra_env``; returns ``(CompletedProcess, the requests the server logged for it)``.
    ``access_log`` is Keystone's AccessLog or an emulator (the same mark/entries interface)."""

    def run(text, *options, extra_env=None):
        path = tmp_path / 'play.yml'
        path.write_text(text)
        env = dict(base_env, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1',
                   ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0',
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable, **(extra_env or {}))
        mark = access_log.mark()
        proc = subprocess.run(['ansible-playbook', '-i', 'localhost,', '-c', 'local', str(path)] + list(options),
                              env=env, capture_output=True, text=True, timeout=300, check=False)
        return proc, access_log.entries(mark)

    return run


@pytest.fixture
def playbook(access_log, module_env, tmp_path):
    """:func:`playbook_runner` against the session's Keystone (or, where a provider's folder
    overrides ``access_log`` and ``module_env``, against its emulator)."""
    return playbook_runner(module_env, access_log, tmp_path)


@pytest.fixture
def free_port():
    import socket
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def refuses_subgroups(run_module, provider, name, reason):
    """``subgroups`` (single form and batch item) and ``purge_subgroups`` of identity_group fail on
    ``provider`` with one message naming it, the option and ``reason``, before any request."""
    for args, what in ((dict(name=name, subgroups=['other']), 'option subgroups'),
                       (dict(name=name, subgroups=[], purge_subgroups=True), 'option purge_subgroups'),
                       (dict(groups=[dict(name=name, subgroups=['other'])]), 'groups[0]: option subgroups')):
        run = run_module('identity_group', **args)
        assert run['failed'] is True and run.entries == [], (args, run.entries)
        assert run['msg'] == '%s does not support %s of identity_group (%s)' % (provider, what, reason)
