"""Side-by-side benchmark of openstack.cloud and iamops.identity against one real Keystone.

Run it through ``bench/run`` (which prepares the benchmark venv and runs this file with its
python); ``bench/run --help`` lists the options and bench/README.md explains the table.

Every scenario runs real ``ansible-playbook -i localhost, -c local`` against a Keystone this
script starts itself (tests/keystone/keystone_server.py). Wall time is measured around the
ansible-playbook process; requests, writes, token requests and Keystone's busy time come from
Keystone's own access log for exactly that process's window. Every measured run starts from a
snapshot of Keystone's database (fixtures and seeded users made through direct HTTP, never through
Ansible), so every tool starts each scenario from the same server state.
"""

import argparse
import ast
import collections
import datetime
import importlib.util
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import zipfile
from pathlib import Path

import requests
import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = Path(os.environ.get('IAMOPS_CACHE') or Path.home() / '.cache' / 'iamops')
OC_CACHE = CACHE / 'bench'                      # holds ansible_collections/openstack/cloud
OC_REQUIREMENT = 'ansible>=14,<15'
CLOUD = 'iamops-test'
PASSWORD = 'bench-Passw0rd'                     # a throw-away password for throw-away users
USER_PREFIX = 'bench-u'
MEMORY_PREFIX = 'bench-m'
GROUP_PREFIX = 'benchg-'
PROJECT_PREFIX = 'benchp-'
ROLE = 'member'
TOKEN_PATH = '/v3/auth/tokens'
WRITE_METHODS = frozenset(('POST', 'PUT', 'PATCH', 'DELETE'))
HEX_ID = re.compile(r'^[0-9a-f]{32}$')

OC = 'openstack.cloud loop'
LOOP = 'iamops single-form loop'
BATCH = 'iamops batch'
PING = 'ansible.builtin.ping loop'

SCENARIOS = ('ping', 'users-50', 'users-500', 'onboard', 'offboard', 'memory')


def log(message):
    print('bench: %s' % message, file=sys.stderr, flush=True)


class BenchError(RuntimeError):
    pass


class Pending(Exception):
    """A row that cannot run yet: the option or module it needs does not exist."""


def load_harness():
    spec = importlib.util.spec_from_file_location(
        'keystone_server', str(REPO / 'tests' / 'keystone' / 'keystone_server.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------------------------
# setup: openstack.cloud from the ansible wheel, our collection from the working tree


def ensure_openstack_cloud():
    """Extract only ansible_collections/openstack/cloud of the PyPI ``ansible`` 14.x wheel (cached)."""
    dest = OC_CACHE / 'ansible_collections' / 'openstack' / 'cloud'
    if (dest / 'MANIFEST.json').exists():
        return dest
    wheels = OC_CACHE / 'wheels'
    wheels.mkdir(parents=True, exist_ok=True)
    if not list(wheels.glob('ansible-14.*.whl')):
        log('pip download %s (the openstack.cloud it ships is the reference)' % OC_REQUIREMENT)
        # ansible 14 declares a newer Requires-Python than this venv's; only its files are used.
        subprocess.run([sys.executable, '-m', 'pip', 'download', '--no-deps', '-q',
                        '--disable-pip-version-check', '--ignore-requires-python',
                        '-d', str(wheels), OC_REQUIREMENT], check=True)
    wheel = sorted(wheels.glob('ansible-14.*.whl'))[-1]
    prefix = 'ansible_collections/openstack/cloud/'
    tmp = OC_CACHE / 'extract.tmp'
    shutil.rmtree(tmp, ignore_errors=True)
    with zipfile.ZipFile(wheel) as archive:
        members = [m for m in archive.namelist() if m.startswith(prefix)]
        archive.extractall(tmp, members)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(dest, ignore_errors=True)
    (tmp / prefix).rename(dest)
    shutil.rmtree(tmp, ignore_errors=True)
    log('openstack.cloud extracted from %s into %s' % (wheel.name, dest))
    return dest


def copy_our_collection(root):
    """Copy the working tree like tests/run.sh: git-tracked + untracked-not-ignored files."""
    dest = root / 'ansible_collections' / 'iamops' / 'identity'
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    files = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                           cwd=str(REPO), check=True, capture_output=True).stdout.split(b'\0')
    for name in files:
        name = name.decode()
        src = REPO / name
        if not name or not src.is_file() or name.startswith('bench/'):
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(str(src), str(target))
    return dest


def module_doc(collection, name):
    """The module's DOCUMENTATION as a dict (None when the module file does not exist)."""
    path = collection / 'plugins' / 'modules' / ('%s.py' % name)
    if not path.exists():
        return None
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], 'id', None) == 'DOCUMENTATION'):
            return yaml.safe_load(ast.literal_eval(node.value)) or {}
    return {}


def batch_option(doc, items):
    """Suboptions of the batch list option ``items`` (None when the module has no such option)."""
    option = ((doc or {}).get('options') or {}).get(items)
    if not option or option.get('type') != 'list':
        return None
    return option.get('suboptions') or {}


# --------------------------------------------------------------------------------------------
# direct HTTP to Keystone (state set-up and resets; never measured)


class Admin:
    def __init__(self, env):
        self.url = env['auth_url']
        body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
            'name': env['username'], 'domain': {'name': env['user_domain_name']},
            'password': env['password']}}},
            'scope': {'project': {'name': env['project_name'],
                                  'domain': {'name': env['project_domain_name']}}}}}
        response = requests.post(self.url + '/auth/tokens', json=body, timeout=30)
        response.raise_for_status()
        self.session = requests.Session()
        self.session.headers['X-Auth-Token'] = response.headers['X-Subject-Token']

    def call(self, method, path, body=None, ok=(200, 201, 204), **params):
        response = self.session.request(method, self.url + path, json=body, params=params or None,
                                        timeout=120)
        if response.status_code not in ok:
            raise BenchError('%s %s: %s %s' % (method, path, response.status_code, response.text[:300]))
        return response.json() if response.content else None

    def list(self, path, key, **params):
        body = self.call('GET', path, **params)
        items = list(body[key])
        nxt = (body.get('links') or {}).get('next')
        while nxt:
            body = self.session.get(nxt, timeout=120).json()
            items.extend(body[key])
            nxt = (body.get('links') or {}).get('next')
        return items

    def users(self, prefix):
        # limit= makes Keystone paginate (links.next); without it the list stops at its
        # max_db_limit (1000) without saying it was truncated
        return [u for u in self.list('/users', 'users', domain_id='default', limit=1000)
                if u['name'].startswith(prefix)]

    def create_user(self, name, **attrs):
        return self.call('POST', '/users', {'user': dict(attrs, name=name, domain_id='default')})['user']

    def create_users(self, items):
        """Create many users, one request each (sequential: Keystone has one worker anyway)."""
        for item in items:
            self.call('POST', '/users', {'user': dict(item, domain_id='default')})

    def ensure(self, path, key, name, body):
        found = self.list(path, key, name=name, domain_id='default') if key != 'roles' else \
            self.list(path, key, name=name)
        return found[0] if found else self.call('POST', path, {key[:-1]: dict(body, name=name)})[key[:-1]]

    def ensure_role(self, name):
        return self.ensure('/roles', 'roles', name, {})

    def ensure_group(self, name):
        return self.ensure('/groups', 'groups', name, {'domain_id': 'default'})

    def ensure_project(self, name):
        return self.ensure('/projects', 'projects', name, {'domain_id': 'default'})

    def group_members(self, group_id):
        return self.list('/groups/%s/users' % group_id, 'users')

    def role_assignments(self, role_id):
        return self.list('/role_assignments', 'role_assignments', **{'role.id': role_id})


# --------------------------------------------------------------------------------------------
# measurement


class Sample:
    """One measured ansible-playbook (or module) process."""

    def __init__(self, wall, entries, changed=None, verified=None, cpu=None):
        self.wall = wall
        self.cpu = cpu
        self.requests = len(entries)
        self.tokens = sum(1 for e in entries if e.method == 'POST' and e.path == TOKEN_PATH)
        self.writes = sum(1 for e in entries if e.method in WRITE_METHODS and e.path != TOKEN_PATH)
        self.busy = sum(e.duration_s for e in entries)
        self.endpoints = collections.Counter(endpoint(e) for e in entries)
        self.changed = changed
        self.verified = verified

    def as_dict(self):
        return dict(wall_s=round(self.wall, 3), client_cpu_s=None if self.cpu is None else round(self.cpu, 3),
                    requests=self.requests, writes=self.writes,
                    tokens=self.tokens, keystone_busy_s=round(self.busy, 3), changed_tasks=self.changed,
                    verified=self.verified, endpoints=dict(self.endpoints.most_common()))


def endpoint(entry):
    """``GET /v3/users/{name} -> 404``: the request with IDs and bench names generalised."""
    parts = []
    for segment in entry.path.split('/'):
        if HEX_ID.match(segment):
            segment = '{id}'
        elif segment.startswith('bench'):
            segment = '{name}'
        parts.append(segment)
    keys = sorted(urllib.parse.parse_qs(entry.query, keep_blank_values=True))
    query = '?' + '&'.join('%s=' % k for k in keys) if keys else ''
    return '%s %s%s -> %s' % (entry.method, '/'.join(parts), query, entry.status)


class Row:
    """One line of the table: a tool doing one phase of one scenario, over several runs."""

    def __init__(self, scenario, phase, tool, items, note=''):
        self.scenario, self.phase, self.tool, self.items = scenario, phase, tool, items
        self.samples = []
        self.status = 'ok'
        self.note = note
        self.ratio = None

    def median(self, attribute):
        values = [getattr(s, attribute) for s in self.samples]
        return statistics.median(values) if values else None

    def as_dict(self):
        data = dict(scenario=self.scenario, phase=self.phase, tool=self.tool, items=self.items,
                    status=self.status, note=self.note, runs=len(self.samples),
                    ratio_to_openstack_cloud=self.ratio)
        if self.samples:
            data.update(wall_s_median=round(self.median('wall'), 3),
                        client_cpu_s_median=None if self.samples[0].cpu is None else round(self.median('cpu'), 3),
                        requests_median=self.median('requests'), writes_median=self.median('writes'),
                        tokens_median=self.median('tokens'),
                        keystone_busy_s_median=round(self.median('busy'), 3),
                        samples=[s.as_dict() for s in self.samples])
        return data


class Bench:
    def __init__(self, args):
        self.args = args
        self.out = Path(args.out).resolve()
        self.work = self.out / 'work'
        self.logs = self.out / 'logs'
        self.rows = []
        self.extra = {}
        self.harness = load_harness()
        self.env = None
        self.admin = None
        self.access = None
        self.docs = {}
        self.counter = 0

    # ---- set-up ------------------------------------------------------------------------------
    def setup(self):
        for path in (self.work, self.logs):
            shutil.rmtree(path, ignore_errors=True)
            path.mkdir(parents=True)
        oc = ensure_openstack_cloud()
        ours = copy_our_collection(self.out / 'collections')
        self.docs = dict((name, module_doc(ours, name)) for name in
                         ('identity_user', 'identity_group', 'identity_role_assignment'))
        self.versions = self.collect_versions(oc)
        log('starting Keystone in %s' % (self.out / 'keystone'))
        started = time.monotonic()
        for attempt in range(3):
            try:
                self.env = self.harness.start(dir=str(self.out / 'keystone'))
                break
            except self.harness.KeystoneServerError as exc:
                # the harness's random bootstrap password may start with '-', which
                # keystone-manage's argparse takes for an option (1 start in 64): try again
                if attempt == 2 or 'expected one argument' not in str(exc):
                    raise
                log('Keystone bootstrap failed on its random password; starting again')
        log('Keystone up at %s in %.1fs' % (self.env['auth_url'], time.monotonic() - started))
        self.access = self.harness.AccessLog(self.env['access_log'])
        self.admin = Admin(self.env)
        self.clouds_yaml = str(self.out / 'keystone' / 'clouds.yaml')
        base = dict((k, v) for k, v in os.environ.items() if not k.startswith(('OS_', 'ANSIBLE_')))
        self.process_env = dict(
            base, OS_CLIENT_CONFIG_FILE=self.clouds_yaml,
            ANSIBLE_COLLECTIONS_PATH=os.pathsep.join([str(self.out / 'collections'), str(OC_CACHE)]),
            ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0',
            ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0',
            ANSIBLE_RETRY_FILES_ENABLED='0', ANSIBLE_LOCAL_TEMP=str(self.out / 'ansible-tmp'),
            ANSIBLE_HOME=str(self.out / 'ansible-home'))
        self.role = self.admin.ensure_role(ROLE)
        for i in range(4):
            self.admin.ensure_group('%s%d' % (GROUP_PREFIX, i))
            self.admin.ensure_project('%s%d' % (PROJECT_PREFIX, i))
        self.snapshot('base')

    # ---- state: SQLite snapshots -------------------------------------------------------------
    # Every measured run starts from a snapshot of Keystone's database, restored with the server
    # stopped and restarted (which also empties its in-memory cache), then warmed up with a few
    # reads. Deleting users over HTTP instead costs Keystone ~0.1 s per user (500 users: ~50 s per
    # reset) and leaves revocation events and other traces behind, so runs would not start equal.
    def snapshot(self, name):
        """Save Keystone's database as it is now (SQLite online backup: the server keeps running)."""
        target = self.out / 'snapshots' / ('%s.db' % name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        source = sqlite3.connect(str(self.out / 'keystone' / 'keystone.db'))
        dest = sqlite3.connect(str(target))
        with dest:
            source.backup(dest)
        source.close()
        dest.close()

    def restore(self, name):
        """Put Keystone back to snapshot ``name``: stop, copy the database back, restart, warm up."""
        directory = str(self.out / 'keystone')
        self.harness.stop(dir=directory)
        shutil.copyfile(str(self.out / 'snapshots' / ('%s.db' % name)), str(self.out / 'keystone' / 'keystone.db'))
        self.harness.restart(dir=directory)
        self.admin = Admin(self.env)  # a fresh token: warms up token issue and validation
        for path, params in (('/users', {'name': 'warm-up'}), ('/groups', {'name': 'warm-up'}),
                             ('/projects', {'name': 'warm-up'}), ('/roles', {}), ('/domains/default', {}),
                             ('/role_assignments', {'user.id': 'warm-up'})):
            self.admin.call('GET', path, ok=(200, 404), **params)

    def teardown(self):
        if self.env and not self.args.keep_keystone:
            self.harness.stop(dir=str(self.out / 'keystone'))

    def collect_versions(self, oc):
        def run(code):
            return subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=False).stdout.strip()

        def git(*args):
            return subprocess.run(['git'] + list(args), cwd=str(REPO), capture_output=True, text=True,
                                  check=False).stdout.strip()
        manifest = json.loads((oc / 'MANIFEST.json').read_text())['collection_info']
        return {
            'python': platform.python_version(),
            'ansible-core': run('import ansible.release as r; print(r.__version__)'),
            'openstacksdk': run('import openstack.version as v; print(v.__version__)'),
            'openstack.cloud': manifest['version'],
            'keystone': self.harness.KEYSTONE_REQUIREMENT,
            'iamops.identity': '%s%s' % (git('rev-parse', '--short', 'HEAD'),
                                         ' + uncommitted changes' if git('status', '--porcelain', '--', 'plugins') else ''),
            'cpus': os.cpu_count(),
        }

    # ---- running -----------------------------------------------------------------------------
    def playbook(self, label, tasks, variables, check=None):
        """Run one playbook; return its Sample (wall time and the requests Keystone logged)."""
        self.counter += 1
        stem = '%03d-%s' % (self.counter, re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-'))
        play = [{'name': label, 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}]
        play_file = self.work / (stem + '.yml')
        vars_file = self.work / (stem + '.vars.json')
        play_file.write_text(yaml.safe_dump(play, sort_keys=False, width=200))
        vars_file.write_text(json.dumps(variables))
        command = [str(Path(sys.executable).parent / 'ansible-playbook'), '-i', 'localhost,', '-c', 'local',
                   str(play_file), '-e', '@%s' % vars_file]
        log_file = self.logs / (stem + '.log')
        mark = self.access.mark()
        started = time.monotonic()
        with log_file.open('w') as output:
            proc = subprocess.Popen(command, env=self.process_env, stdout=output, stderr=subprocess.STDOUT)
            # wait4: this process tree's own CPU time (every module process is waited for by
            # ansible-playbook's workers, so it is included), robust to other load on the machine
            _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        entries = self.access.entries(mark)
        text = log_file.read_text()
        if proc.returncode != 0:
            raise BenchError('%s: ansible-playbook exited %d; see %s\n%s' % (
                label, proc.returncode, log_file, '\n'.join(text.splitlines()[-15:])))
        recap = re.search(r'localhost\s*:.*?changed=(\d+)', text)
        sample = Sample(wall, entries, changed=int(recap.group(1)) if recap else None,
                        cpu=usage.ru_utime + usage.ru_stime)
        sample.verified = check() if check else None
        log('  %-58s %7.2fs (cpu %6.2fs) %5d requests %4d writes %3d tokens  busy %6.2fs%s' % (
            label, wall, sample.cpu, sample.requests, sample.writes, sample.tokens, sample.busy,
            '' if sample.verified in (None, True) else '  VERIFY FAILED: %s' % sample.verified))
        return sample

    def row(self, scenario, phase, tool, items, note=''):
        row = Row(scenario, phase, tool, items, note)
        self.rows.append(row)
        return row

    def measure(self, row, label, tasks, variables, check=None):
        if row.status != 'ok':
            return None
        try:
            sample = self.playbook(label, tasks, variables, check)
        except BenchError as exc:
            row.status = 'failed'
            row.note = str(exc).splitlines()[0]
            log(str(exc))
            return None
        row.samples.append(sample)
        return sample

    def runs(self, expensive=False):
        if self.args.runs:
            return self.args.runs
        if self.args.quick:
            return 1
        return 1 if expensive else 3

    # ---- scenarios ---------------------------------------------------------------------------
    def scenario_ping(self):
        n = 50
        row = self.row('baseline', 'ping', PING, n, note='Ansible per-item cost without any API call')
        for run in range(self.runs()):
            self.measure(row, 'ping loop %d #%d' % (n, run + 1), [{
                'ansible.builtin.ping': None, 'loop': '{{ range(%d) | list }}' % n}], {})

    def scenario_users(self, n):
        scenario = 'users-%d' % n
        people = [{'name': '%s%04d' % (USER_PREFIX, i), 'password': PASSWORD,
                   'email': '%s%04d@example.com' % (USER_PREFIX, i)} for i in range(n)]
        single = {'name': '{{ item.name }}', 'password': '{{ item.password }}', 'email': '{{ item.email }}'}
        loop = {'loop': '{{ people }}', 'loop_control': {'label': '{{ item.name }}'}}
        tools = [
            (OC, [dict({'openstack.cloud.identity_user': dict(single, cloud=CLOUD)}, **loop)], n > 100),
            (LOOP, [dict({'iamops.identity.identity_user': dict(single, cloud=CLOUD)}, **loop)], n > 100),
            (BATCH, [{'iamops.identity.identity_user': {'cloud': CLOUD, 'users': '{{ people }}'}}], False),
        ]
        rows = {}
        for tool, _tasks, _expensive in tools:
            rows[tool] = (self.row(scenario, 'create', tool, n), self.row(scenario, 'rerun (no change)', tool, n))
        if batch_option(self.docs['identity_user'], 'users') is None:
            for row in rows[BATCH]:
                row.status = 'n/a yet'
                row.note = 'identity_user has no users: batch option yet'

        def check_created():
            found = self.admin.users(USER_PREFIX)
            good = [u for u in found if u.get('email') == '%s@example.com' % u['name']]
            return True if len(good) == n == len(found) else '%d users with the right e-mail of %d' % (len(good), n)

        for run in range(max(self.runs(e) for _t, _k, e in tools)):
            for tool, tasks, expensive in tools:
                create, rerun = rows[tool]
                if run >= self.runs(expensive) or create.status != 'ok':
                    continue
                self.restore('base')
                self.measure(create, '%s %s create #%d' % (scenario, tool, run + 1), tasks, {'people': people},
                             check_created)
                self.measure(rerun, '%s %s rerun #%d' % (scenario, tool, run + 1), tasks, {'people': people},
                             check_created)

    # onboarding / offboarding -----------------------------------------------------------------
    def fixtures(self, people_count):
        self.restore('base')
        groups = [self.admin.ensure_group('%s%d' % (GROUP_PREFIX, i)) for i in range(4)]
        projects = [self.admin.ensure_project('%s%d' % (PROJECT_PREFIX, i)) for i in range(4)]
        people = []
        for i in range(people_count):
            name = '%s%04d' % (USER_PREFIX, i)
            people.append({
                'name': name, 'password': PASSWORD, 'email': '%s@example.com' % name,
                'groups': [groups[i % 4]['name'], groups[(i + 1) % 4]['name']],
                'assignments': [{'role': ROLE, 'project': projects[i % 4]['name']},
                                {'role': ROLE, 'project': projects[(i + 2) % 4]['name']}],
            })
        return groups, projects, people

    def onboard_state(self, groups, projects, people):
        """(users, memberships, project role assignments) of the bench people on the server."""
        users = dict((u['id'], u) for u in self.admin.users(USER_PREFIX))
        members = set()
        for group in groups:
            members.update((u['name'], group['name']) for u in self.admin.group_members(group['id']) if u['id'] in users)
        names = dict((p['id'], p['name']) for p in projects)
        assignments = set()
        for a in self.admin.role_assignments(self.role['id']):
            user = users.get((a.get('user') or {}).get('id'))
            project = names.get(((a.get('scope') or {}).get('project') or {}).get('id'))
            if user and project:
                assignments.add((user['name'], project))
        return users, members, assignments

    def check_onboarded(self, groups, projects, people):
        users, members, assignments = self.onboard_state(groups, projects, people)
        want_members = set((p['name'], g) for p in people for g in p['groups'])
        want_assignments = set((p['name'], a['project']) for p in people for a in p['assignments'])
        enabled = sum(1 for u in users.values() if u.get('enabled', True))
        if (len(users), enabled, members, assignments) == (len(people), len(people), want_members, want_assignments):
            return True
        return '%d users (%d enabled), %d/%d memberships, %d/%d assignments' % (
            len(users), enabled, len(members & want_members), len(want_members),
            len(assignments & want_assignments), len(want_assignments))

    def check_offboarded(self, groups, projects, people):
        users, members, assignments = self.onboard_state(groups, projects, people)
        enabled = sum(1 for u in users.values() if u.get('enabled', True))
        if len(users) == len(people) and not enabled and not members and not assignments:
            return True
        return '%d users, %d still enabled, %d memberships, %d assignments left' % (
            len(users), enabled, len(members), len(assignments))

    def seed_onboarded(self, groups, projects, people):
        """The onboarded state, made through direct HTTP (the offboarding's starting point)."""
        by_name = dict((g['name'], g['id']) for g in groups)
        projects = dict((p['name'], p['id']) for p in projects)
        for person in people:
            user = self.admin.create_user(person['name'], email=person['email'], password=PASSWORD)
            for group in person['groups']:
                self.admin.call('PUT', '/groups/%s/users/%s' % (by_name[group], user['id']))
            for a in person['assignments']:
                self.admin.call('PUT', '/projects/%s/users/%s/roles/%s' % (projects[a['project']], user['id'], self.role['id']))

    def oc_onboard_tasks(self):
        return [
            {'name': 'users', 'openstack.cloud.identity_user': {
                'cloud': CLOUD, 'name': '{{ item.name }}', 'password': '{{ item.password }}', 'email': '{{ item.email }}'},
             'loop': '{{ people }}', 'loop_control': {'label': '{{ item.name }}'}},
            {'name': 'group memberships', 'openstack.cloud.group_assignment': {
                'cloud': CLOUD, 'user': '{{ item.0.name }}', 'group': '{{ item.1 }}'},
             'loop': "{{ people | subelements('groups') }}", 'loop_control': {'label': '{{ item.0.name }} {{ item.1 }}'}},
            {'name': 'project roles', 'openstack.cloud.role_assignment': {
                'cloud': CLOUD, 'user': '{{ item.0.name }}', 'role': '{{ item.1.role }}', 'project': '{{ item.1.project }}'},
             'loop': "{{ people | subelements('assignments') }}",
             'loop_control': {'label': '{{ item.0.name }} {{ item.1.project }}'}},
        ]

    def oc_offboard_tasks(self):
        return [
            {'name': 'disable', 'openstack.cloud.identity_user': {
                'cloud': CLOUD, 'name': '{{ item.name }}', 'enabled': False},
             'loop': '{{ people }}', 'loop_control': {'label': '{{ item.name }}'}},
            {'name': 'leave groups', 'openstack.cloud.group_assignment': {
                'cloud': CLOUD, 'user': '{{ item.0.name }}', 'group': '{{ item.1 }}', 'state': 'absent'},
             'loop': "{{ people | subelements('groups') }}", 'loop_control': {'label': '{{ item.0.name }} {{ item.1 }}'}},
            {'name': 'drop project roles', 'openstack.cloud.role_assignment': {
                'cloud': CLOUD, 'user': '{{ item.0.name }}', 'role': '{{ item.1.role }}', 'project': '{{ item.1.project }}',
                'state': 'absent'},
             'loop': "{{ people | subelements('assignments') }}",
             'loop_control': {'label': '{{ item.0.name }} {{ item.1.project }}'}},
        ]

    def scenario_onboard(self, count):
        scenario = 'onboard-%d' % count
        groups, projects, people = self.fixtures(count)
        plan = OursPlan(self.docs)
        variables = {'people': people}
        oc = self.row(scenario, 'onboard', OC, count, note='identity_user + group_assignment + role_assignment loops')
        ours = [(self.row(scenario, 'onboard', BATCH, count), self.row(scenario, 'rerun (no change)', BATCH, count),
                 plan.onboard_batch)]
        ready = self.prepare_plans(ours, people)
        if not ready or self.args.all_rows:
            # the single-form loops stand in while the batch form is pending (minutes per run)
            ready = self.prepare_plans([(self.row(scenario, 'onboard', LOOP, count), None, plan.onboard_loop)],
                                       people) + ready

        def check():
            return self.check_onboarded(groups, projects, people)

        for run in range(self.runs()):
            if run < self.runs(expensive=True):
                self.restore('base')
                self.measure(oc, '%s %s #%d' % (scenario, OC, run + 1), self.oc_onboard_tasks(), variables, check)
            for row, rerun, tasks, expensive in ready:
                if run >= self.runs(expensive):
                    continue
                self.restore('base')
                self.measure(row, '%s %s #%d' % (scenario, row.tool, run + 1), tasks, variables, check)
                if rerun is not None:
                    self.measure(rerun, '%s %s rerun #%d' % (scenario, row.tool, run + 1), tasks, variables, check)

    def scenario_offboard(self, count):
        scenario = 'offboard-%d' % count
        groups, projects, people = self.fixtures(count)
        plan = OursPlan(self.docs)
        variables = {'people': people}
        oc = None
        if self.args.oc_offboard:
            oc = self.row(scenario, 'offboard', OC, count,
                          note='identity_user enabled=false + group_assignment/role_assignment absent loops')
        ours = [(self.row(scenario, 'offboard', BATCH, count), self.row(scenario, 'rerun (no change)', BATCH, count),
                 plan.offboard_batch)]
        ready = self.prepare_plans(ours, people)
        if not ready or self.args.all_rows:
            # the single-form loops stand in while the batch form is pending (minutes per run)
            ready = self.prepare_plans([(self.row(scenario, 'offboard', LOOP, count), None, plan.offboard_loop)],
                                       people) + ready

        def check():
            return self.check_offboarded(groups, projects, people)

        onboarded = 'onboarded-%d' % count
        self.seed_onboarded(groups, projects, people)
        verified = self.check_onboarded(groups, projects, people)
        if verified is not True:
            raise BenchError('seeding the onboarded state failed: %s' % verified)
        self.snapshot(onboarded)

        for run in range(self.runs()):
            if oc is not None and run < self.runs(expensive=True):
                self.restore(onboarded)
                self.measure(oc, '%s %s #%d' % (scenario, OC, run + 1), self.oc_offboard_tasks(), variables, check)
            for row, rerun, tasks, expensive in ready:
                if run >= self.runs(expensive):
                    continue
                self.restore(onboarded)
                self.measure(row, '%s %s #%d' % (scenario, row.tool, run + 1), tasks, variables, check)
                if rerun is not None:
                    self.measure(rerun, '%s %s rerun #%d' % (scenario, row.tool, run + 1), tasks, variables, check)

    @staticmethod
    def prepare_plans(ours, people):
        """[(row, rerun row, tasks, expensive)] of the plans that can run; the others marked pending.

        A plan that still loops over the people (one module process each) takes minutes: 1 run.
        """
        ready = []
        for row, rerun, build in ours:
            try:
                tasks, note = build(people)
            except Pending as exc:
                for r in (row, rerun):
                    if r is not None:
                        r.status, r.note = 'pending', str(exc)
                continue
            for r in (row, rerun):
                if r is not None:
                    r.note = note
            expensive = any('loop' in task for task in tasks)
            ready.append((row, rerun, tasks, expensive))
        return ready

    def module_rss(self, collection_root, fqcn_module, args):
        """Peak RSS (KiB) of one module process, with wall time, result and its requests."""
        self.counter += 1
        args_file = self.work / ('%03d-module-args.json' % self.counter)
        args_file.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': dict(
            args, _ansible_check_mode=False, _ansible_diff=False)}))
        env = dict(self.process_env, PYTHONPATH=str(collection_root))
        mark = self.access.mark()
        started = time.monotonic()
        err_file = self.logs / ('%03d-module.stderr' % self.counter)
        with err_file.open('wb') as err:
            proc = subprocess.Popen([sys.executable, '-m', fqcn_module, str(args_file)], env=env,
                                    stdout=subprocess.PIPE, stderr=err)
            stdout = proc.stdout.read()
            # wait4 gives this one child's own resource usage (ru_maxrss in KiB on Linux)
            _pid, status, usage = os.wait4(proc.pid, 0)
        stderr = err_file.read_bytes()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        entries = self.access.entries(mark)
        try:
            result = json.loads(stdout)
        except ValueError:
            raise BenchError('%s printed no JSON: %s' % (fqcn_module, (stdout + stderr)[-500:].decode('utf-8', 'replace')))
        return result, wall, usage.ru_maxrss, Sample(wall, entries)

    def scenario_memory(self, count):
        scenario = 'memory-%d' % count
        row = self.row(scenario, 'batch over existing users (no change)', BATCH, count)
        ours_root = self.out / 'collections'
        memory = {'users': count}
        self.extra['memory'] = memory
        # references: one single-form run of each collection (user present, no change)
        self.restore('base')
        name = '%s-ref' % MEMORY_PREFIX
        self.admin.create_user(name, email='%s@example.com' % name)
        for label, root, module in (
                ('iamops.identity.identity_user single form, 1 user', ours_root,
                 'ansible_collections.iamops.identity.plugins.modules.identity_user'),
                ('openstack.cloud.identity_user, 1 user', OC_CACHE,
                 'ansible_collections.openstack.cloud.plugins.modules.identity_user')):
            try:
                result, wall, rss, sample = self.module_rss(root, module, {
                    'cloud': CLOUD, 'name': name, 'email': '%s@example.com' % name})
                memory[label] = {'max_rss_kib': rss, 'wall_s': round(wall, 3), 'requests': sample.requests,
                                 'changed': result.get('changed'), 'failed': result.get('failed', False)}
                log('  %-58s max RSS %6.1f MiB, %.2fs, %d requests' % (label, rss / 1024.0, wall, sample.requests))
            except BenchError as exc:
                memory[label] = {'error': str(exc)}
        if batch_option(self.docs['identity_user'], 'users') is None:
            row.status, row.note = 'n/a yet', 'identity_user has no users: batch option yet'
            return
        started = time.monotonic()
        items = [{'name': '%s%05d' % (MEMORY_PREFIX, i), 'email': '%s%05d@example.com' % (MEMORY_PREFIX, i)}
                 for i in range(count)]
        self.admin.create_users(items)
        memory['seed_s'] = round(time.monotonic() - started, 1)
        log('  seeded %d users over direct HTTP in %.1fs' % (count, memory['seed_s']))
        try:
            result, wall, rss, sample = self.module_rss(
                ours_root, 'ansible_collections.iamops.identity.plugins.modules.identity_user',
                {'cloud': CLOUD, 'users': items})
        except BenchError as exc:
            row.status, row.note = 'failed', str(exc)[:300]
            return
        unchanged = not result.get('changed') and not result.get('failed')
        sample.verified = True if unchanged and len(result.get('results') or []) == count else \
            'changed=%s failed=%s results=%d' % (result.get('changed'), result.get('failed'), len(result.get('results') or []))
        row.samples.append(sample)
        row.note = 'module process run directly (as on the target), max RSS %.1f MiB' % (rss / 1024.0)
        memory['batch'] = {'max_rss_kib': rss, 'wall_s': round(wall, 3), 'requests': sample.requests,
                           'writes': sample.writes, 'verified': sample.verified}
        log('  %-58s max RSS %6.1f MiB, %.2fs, %d requests' % ('batch over %d users' % count, rss / 1024.0, wall, sample.requests))

    # ---- report ------------------------------------------------------------------------------
    def compute_ratios(self):
        for row in self.rows:
            if not row.samples:
                continue
            anchor = [r for r in self.rows if r.scenario == row.scenario and r.phase == row.phase
                      and r.tool == OC and r.samples]
            if anchor:
                row.ratio = round(row.median('wall') / anchor[0].median('wall'), 4)

    def markdown(self, started, finished):
        lines = ['# iamops.identity vs openstack.cloud, %s' % started.strftime('%Y-%m-%d %H:%M'), '']
        v = self.versions
        lines.append('One real Keystone (%s, SQLite, one gunicorn worker) on 127.0.0.1; ansible-core %s, '
                     'openstacksdk %s, openstack.cloud %s (from the `ansible` 14 wheel), iamops.identity %s; '
                     '%s CPUs, load average %s at start, %s at end; total %.0f s%s.' % (
                         v['keystone'], v['ansible-core'], v['openstacksdk'], v['openstack.cloud'],
                         v['iamops.identity'], v['cpus'], self.extra['load_start'], self.extra['load_end'],
                         (finished - started).total_seconds(), ', --quick' if self.args.quick else ''))
        lines += ['', 'Wall time is the median of the runs listed (1 run where the column says 1: those '
                  'loops take minutes each). Ratio = wall time / openstack.cloud\'s wall time for the same '
                  'scenario and phase in this run (below 1 is faster). Client CPU = user+system CPU time of the '
                  'ansible-playbook process and every process under it (modules included): less sensitive than '
                  'wall time to other load on the machine. Requests, writes (POST/PUT/PATCH/DELETE '
                  'except token issue), token requests and Keystone busy time (sum of its per-request '
                  'durations: the floor no client can beat) come from Keystone\'s access log.', '']
        head = ('scenario', 'phase', 'tool', 'items', 'runs', 'wall s', 'ratio', 'ms/item', 'client CPU s', 'requests',
                'writes', 'tokens', 'req/item', 'Keystone busy s', 'status')
        lines.append('| ' + ' | '.join(head) + ' |')
        lines.append('|' + '|'.join(['---'] * len(head)) + '|')
        for row in self.rows:
            if row.samples:
                wall = row.median('wall')
                ratio = '' if row.ratio is None else ('1.00' if row.tool == OC else
                                                      '%.3f (%.1f× faster)' % (row.ratio, 1 / row.ratio) if row.ratio else '')
                verified = all(s.verified in (None, True) for s in row.samples)
                status = row.status if verified else 'VERIFY FAILED: %s' % next(
                    s.verified for s in row.samples if s.verified not in (None, True))
                cells = (row.scenario, row.phase, row.tool, row.items, len(row.samples), '%.2f' % wall, ratio,
                         '%.0f' % (1000 * wall / row.items),
                         '' if row.samples[0].cpu is None else '%.1f' % row.median('cpu'), '%g' % row.median('requests'), '%g' % row.median('writes'),
                         '%g' % row.median('tokens'), '%.2f' % (row.median('requests') / row.items),
                         '%.2f' % row.median('busy'), status)
            else:
                cells = (row.scenario, row.phase, row.tool, row.items, 0, '', '', '', '', '', '', '', '', '',
                         '%s%s' % (row.status, ': ' + row.note if row.note else ''))
            lines.append('| ' + ' | '.join(str(c) for c in cells) + ' |')
        notes = [r for r in self.rows if r.samples and r.note]
        if notes:
            lines += ['', 'Notes:']
            lines += ['- %s / %s / %s: %s' % (r.scenario, r.phase, r.tool, r.note) for r in notes]
        memory = self.extra.get('memory')
        if memory:
            lines += ['', '## Memory (max RSS of the module process, run as on the target)', '',
                      '| run | max RSS MiB | wall s | requests | status |', '|---|---|---|---|---|']
            for label, data in memory.items():
                if isinstance(data, dict) and 'max_rss_kib' in data:
                    verified = data.get('verified', True)
                    lines.append('| %s | %.1f | %.2f | %d | %s |' % (
                        'iamops.identity.identity_user batch over %d existing users' % memory['users'] if label == 'batch' else label,
                        data['max_rss_kib'] / 1024.0, data['wall_s'], data['requests'],
                        'ok' if verified is True else 'VERIFY FAILED: %s' % verified))
            if 'batch' not in memory:
                lines.append('| iamops.identity.identity_user batch over %d existing users | n/a yet | | | |' % memory['users'])
        lines += ['', '## Where the requests go (per item, first run of each row)', '']
        for row in self.rows:
            if not row.samples or not row.samples[0].endpoints or row.tool == PING:
                continue
            sample = row.samples[0]
            lines.append('- %s / %s / %s: %s' % (row.scenario, row.phase, row.tool, '; '.join(
                '`%s` %s' % (k, fmt_per_item(c, row.items)) for k, c in sample.endpoints.most_common())))
        return '\n'.join(lines) + '\n'


def fmt_per_item(count, items):
    per = count / float(items)
    return '%g/item' % round(per, 2) if count >= items else '×%d' % count


class OursPlan:
    """Our tasks for on/offboarding, written from the modules' DOCUMENTATION.

    Every option used is looked up in the documentation first; a missing module or option
    raises Pending naming it, so the row shows as pending instead of failing. Two plans:
    ``*_loop`` uses only single forms (one module process per person per module) and
    ``*_batch`` the fewest processes the options allow (identity_user ``users:``; role
    assignments in one task when the items can name their user, else the per-user
    ``assignments:`` list in a loop).
    """

    def __init__(self, docs):
        self.user = docs.get('identity_user')
        self.assign = docs.get('identity_role_assignment')

    @staticmethod
    def options(doc):
        return (doc or {}).get('options') or {}

    def user_supports(self, *keys, **kwargs):
        """Pending unless identity_user (its batch items when ``batch``) documents ``keys``."""
        options = self.options(self.user)
        where = 'identity_user'
        if kwargs.get('batch'):
            items = batch_option(self.user, 'users')
            if items is None:
                raise Pending('identity_user has no users: batch option yet')
            # items documented as "the single form's options" may not repeat them as suboptions
            options = items or options
            where = 'identity_user users[]'
        missing = [k for k in keys if k not in options]
        if missing:
            raise Pending('%s has no %s option yet' % (where, ', '.join(missing)))

    def role_tasks(self, people, offboard, per_person=False):
        """(tasks, note) granting (or, offboarding, purging) the people's project roles.

        One task when the items can name their user (unless ``per_person``), else the per-user
        ``assignments:`` list in a loop over the people.
        """
        if self.assign is None:
            raise Pending('identity_role_assignment does not exist yet')
        items = batch_option(self.assign, 'assignments')
        if items is None:
            raise Pending('identity_role_assignment has no assignments: list option yet')
        if offboard and 'purge' not in self.options(self.assign):
            raise Pending('identity_role_assignment has no purge option yet')
        if 'user' in items and not per_person:  # items name their own user: one task for everybody
            if offboard:  # declarations (a user, no role) + purge: every direct assignment revoked
                value = [{'user': p['name']} for p in people]
                return [{'name': 'drop every project role', 'iamops.identity.identity_role_assignment': {
                    'cloud': CLOUD, 'purge': True, 'assignments': value}}], \
                    'identity_role_assignment, one task (assignments: [{user}] + purge)'
            value = [{'user': p['name'], 'role': a['role'], 'project': a['project']}
                     for p in people for a in p['assignments']]
            return [{'name': 'project roles', 'iamops.identity.identity_role_assignment': {
                'cloud': CLOUD, 'assignments': value}}], 'identity_role_assignment, one task'
        body = {'cloud': CLOUD, 'user': '{{ item.name }}'}
        body.update({'assignments': [], 'purge': True} if offboard else {'assignments': '{{ item.assignments }}'})
        return [{'name': 'project roles', 'iamops.identity.identity_role_assignment': body,
                 'loop': '{{ people }}', 'loop_control': {'label': '{{ item.name }}'}}], \
            'identity_role_assignment assignments%s looped per person' % (' [] + purge' if offboard else '')

    def onboard_loop(self, people):
        self.user_supports('groups')
        roles, note = self.role_tasks(people, offboard=False, per_person=True)
        return [{'name': 'users with their groups', 'iamops.identity.identity_user': {
            'cloud': CLOUD, 'name': '{{ item.name }}', 'password': '{{ item.password }}',
            'email': '{{ item.email }}', 'groups': '{{ item.groups }}'},
            'loop': '{{ people }}', 'loop_control': {'label': '{{ item.name }}'}}] + roles, \
            'identity_user (with groups) looped per person + ' + note

    def onboard_batch(self, people):
        self.user_supports('name', 'password', 'email', 'groups', batch=True)
        roles, note = self.role_tasks(people, offboard=False)
        users = [dict((k, p[k]) for k in ('name', 'password', 'email', 'groups')) for p in people]
        return [{'name': 'users with their groups', 'iamops.identity.identity_user': {
            'cloud': CLOUD, 'users': users}}] + roles, 'identity_user users: batch (with groups) + ' + note

    def offboard_loop(self, people):
        self.user_supports('enabled', 'groups', 'purge_groups')
        roles, note = self.role_tasks(people, offboard=True, per_person=True)
        return [{'name': 'disable, leave every group', 'iamops.identity.identity_user': {
            'cloud': CLOUD, 'name': '{{ item.name }}', 'enabled': False, 'groups': [], 'purge_groups': True},
            'loop': '{{ people }}', 'loop_control': {'label': '{{ item.name }}'}}] + roles, \
            'identity_user enabled=false groups=[] purge_groups looped per person + ' + note

    def offboard_batch(self, people):
        self.user_supports('name', 'enabled', 'groups', 'purge_groups', batch=True)
        roles, note = self.role_tasks(people, offboard=True)
        users = [{'name': p['name'], 'enabled': False, 'groups': [], 'purge_groups': True} for p in people]
        return [{'name': 'disable, leave every group', 'iamops.identity.identity_user': {
            'cloud': CLOUD, 'users': users}}] + roles, \
            'identity_user users: batch (enabled=false, groups=[], purge_groups) + ' + note


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ['--prod']:  # the production-shaped Keystone (MariaDB, 4 workers): bench/prod.py
        sys.path.insert(0, str(HERE))
        import prod
        return prod.main(argv[1:])
    parser = argparse.ArgumentParser(description='Side-by-side benchmark: openstack.cloud vs iamops.identity '
                                     'against one real Keystone (see bench/README.md).')
    parser.add_argument('--quick', action='store_true',
                        help='50-user cases, 20-person on/offboarding, 1,000-user memory run, 1 run each')
    parser.add_argument('--only', action='append', default=[], metavar='SCENARIO',
                        help='run only these scenarios (repeatable or comma-separated): %s' % ', '.join(SCENARIOS))
    parser.add_argument('--runs', type=int, help='runs per row (default 3; 1 for the multi-minute loops)')
    parser.add_argument('--oc-offboard', action='store_true',
                        help='also measure the openstack.cloud offboarding loops (adds ~5 min)')
    parser.add_argument('--all-rows', action='store_true',
                        help='also the on/offboarding single-form loops when the batch forms exist (~7 min)')
    parser.add_argument('--list', action='store_true', help='show which rows can run now and exit')
    parser.add_argument('--keep-keystone', action='store_true', help='leave the Keystone server running')
    parser.add_argument('--out', default=str(HERE / '.out'), help='work directory (default bench/.out)')
    parser.add_argument('--results', default=str(HERE / 'results'), help='where the .md/.json go (default bench/results)')
    parser.add_argument('--no-results', action='store_true', help='print the table only')
    args = parser.parse_args(argv)
    only = [s for value in args.only for s in value.split(',') if s]
    unknown = [s for s in only if s not in SCENARIOS]
    if unknown:
        parser.error('unknown scenario %s (choose from %s)' % (', '.join(unknown), ', '.join(SCENARIOS)))
    wanted = only or list(SCENARIOS)
    if args.quick and 'users-500' in wanted and not only:
        wanted.remove('users-500')
    return Runner(args, wanted).main()


class Runner:
    def __init__(self, args, wanted):
        self.args = args
        self.wanted = wanted

    def main(self):
        args = self.args
        bench = Bench(args)
        if args.list:
            ours = copy_our_collection(Path(args.out).resolve() / 'collections')
            bench.docs = dict((n, module_doc(ours, n)) for n in ('identity_user', 'identity_group', 'identity_role_assignment'))
            print_availability(bench.docs)
            return 0
        started = datetime.datetime.now()
        bench.extra['load_start'] = '%.2f' % os.getloadavg()[0]
        people = 20 if args.quick else 100
        try:
            bench.setup()
            for scenario in self.wanted:
                log('scenario %s' % scenario)
                if scenario == 'ping':
                    bench.scenario_ping()
                elif scenario.startswith('users-'):
                    bench.scenario_users(int(scenario.split('-')[1]))
                elif scenario == 'onboard':
                    bench.scenario_onboard(people)
                elif scenario == 'offboard':
                    bench.scenario_offboard(people)
                elif scenario == 'memory':
                    bench.scenario_memory(1000 if args.quick else 10000)
        finally:
            bench.teardown()
        finished = datetime.datetime.now()
        bench.extra['load_end'] = '%.2f' % os.getloadavg()[0]
        bench.compute_ratios()
        text = bench.markdown(started, finished)
        print(text)
        if not args.no_results:
            results = Path(args.results)
            results.mkdir(parents=True, exist_ok=True)
            stem = started.strftime('%Y-%m-%d')
            if args.quick:
                stem += '-quick'
            if self.args.only:
                stem += '-only-' + '-'.join(self.wanted)
            (results / (stem + '.md')).write_text(text)
            data = dict(started=started.isoformat(timespec='seconds'), finished=finished.isoformat(timespec='seconds'),
                        quick=args.quick, scenarios=self.wanted, versions=bench.versions,
                        load_average={'start': bench.extra['load_start'], 'end': bench.extra['load_end']},
                        rows=[r.as_dict() for r in bench.rows], memory=bench.extra.get('memory'))
            (results / (stem + '.json')).write_text(json.dumps(data, indent=2) + '\n')
            log('wrote %s.md and .json' % (results / stem))
        failed = [r for r in bench.rows if r.status == 'failed'
                  or any(s.verified not in (None, True) for s in r.samples)]
        return 1 if failed else 0


def print_availability(docs):
    plan = OursPlan(docs)
    people = [{'name': 'x', 'password': 'x', 'email': 'x', 'groups': [], 'assignments': []}]
    print('identity_user users: batch option: %s' % (
        'yes' if batch_option(docs['identity_user'], 'users') is not None else 'not yet'))
    for what, func in (('onboarding, iamops single-form loops', plan.onboard_loop),
                       ('onboarding, iamops batch', plan.onboard_batch),
                       ('offboarding, iamops single-form loops', plan.offboard_loop),
                       ('offboarding, iamops batch', plan.offboard_batch)):
        try:
            print('%s: ready (%s)' % (what, func(people)[1]))
        except Pending as exc:
            print('%s: pending (%s)' % (what, exc))


if __name__ == '__main__':
    sys.exit(main())
