"""The onboarding and offboarding roles on four providers at once - a real Keystone and the three
SaaS emulators (tests/integration/multi/stack.py) - with one real ansible-playbook run each.

State is read back independently: Keystone with the Admin client of conftest.py, the emulators
from their own state dumps; request counts from Keystone's access log and the emulators' logs.
"""

import hashlib
import json
import os
import stat
import sys

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'multi'))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'support'))

import fault_proxy as fp  # noqa: E402
import secret_scan  # noqa: E402
from conftest import PROVIDER_PREFIXES, playbook_runner, provider_environment  # noqa: E402

WRITE_METHODS = ('POST', 'PUT', 'PATCH', 'DELETE')
PLAY = """
- hosts: localhost
  gather_facts: false
  roles:
    - iamops.identity.%s
"""


def recap(output):
    line = [l for l in output.splitlines() if l.startswith('localhost')][-1]
    return dict(part.split('=') for part in line.split(':', 1)[1].split())


class Logs:
    """Keystone's access log and the emulators' request logs behind one mark/entries interface:
    entries are ``provider -> [(method, path)]``."""

    def __init__(self, stack, keystone_log=None):
        self.stack = stack
        self.keystone_log = keystone_log

    def mark(self):
        marks = self.stack.marks()
        if self.keystone_log is not None:
            marks['keystone'] = self.keystone_log.mark()
        return marks

    def entries(self, marks):
        found = dict((name, [(e['method'], e['path']) for e in entries])
                     for name, entries in self.stack.entries(marks).items())
        if self.keystone_log is not None:
            found['keystone'] = [(e.method, e.path) for e in self.keystone_log.entries(marks['keystone'])]
        return found


def writes(entries):
    """provider -> its write requests (token requests are not writes)."""
    return dict((name, [(m, p) for m, p in found if m in WRITE_METHODS and not p.startswith(('/v3/auth/tokens', '/auth/oauth2/'))])
                for name, found in entries.items())


def no_writes(entries):
    return all(not found for found in writes(entries).values())


@pytest.fixture(scope='session')
def saas(saas_stack):
    """The emulators of conftest.py's stack; each test resets them with the Authress users it needs."""
    return saas_stack


@pytest.fixture
def run(saas, tmp_path):
    """run(role, variables, *options, logs=..., returncode=0, env=None) -> (proc, entries); the
    environment holds no provider setting (``env`` adds some: Keystone's clouds.yaml)."""
    base = provider_environment(PROVIDER_PREFIXES)

    def call(role, variables, *options, logs=None, returncode=0, env=None):
        logs = logs or Logs(saas)
        path = tmp_path / ('%s-vars.yml' % role)
        path.write_text(yaml.safe_dump(variables))
        proc, entries = playbook_runner(dict(base, **(env or {})), logs, tmp_path)(
            PLAY % role, '-e', '@' + str(path), *options)
        assert proc.returncode == returncode, (proc.stdout + proc.stderr)[-6000:]
        return proc, entries

    return call


def summary_lines(proc):
    """The summary task's lines (the last debug msg list of the output)."""
    text = proc.stdout
    start = text.rfind('TASK [iamops.identity.')
    start = text.rfind('"msg": [')
    assert start >= 0, text[-3000:]
    end = text.index(']', start)
    return json.loads(text[start + len('"msg": '):end + 1])


def people_file():
    """Five people: common keys, per-provider sections, one without an Authress account
    (edsger), one on two providers only (barbara)."""
    return [
        {'name': 'ada', 'email': 'ada@example.com', 'first_name': 'Ada', 'last_name': 'Lovelace',
         'password': 'Ada-Multi-Passw0rd-7f3e', 'groups': ['staff', 'research'],
         'keystone': {'roles': [{'role': 'member', 'project': 'research'}, {'role': 'reader', 'project': 'payroll'}]},
         'onelogin': {'groups': ['research'], 'roles': [{'role': 'Engineering'}, {'role': 'Employee'}]},
         'authress': {'roles': [{'role': 'ro_editor', 'resources': ['/documents/research/*'], 'record': 'Research editors'}]},
         'posit_connect': {'user_role': 'publisher'}},
        {'name': 'grace', 'email': 'grace@example.com', 'first_name': 'Grace', 'last_name': 'Hopper',
         'password': 'Grace-Multi-Passw0rd-91ab', 'groups': ['staff', 'payroll'],
         'keystone': {'roles': [{'role': 'member', 'project': 'payroll'}]},
         'onelogin': {'groups': ['payroll'], 'roles': [{'role': 'Finance'}]},
         'authress': {'roles': [{'role': 'ro_reader', 'resources': ['/documents/payroll/*'], 'record': 'Payroll readers'}]},
         'posit_connect': {'user_role': 'viewer'}},
        {'name': 'alan', 'email': 'alan@example.com', 'first_name': 'Alan', 'last_name': 'Turing', 'groups': ['staff'],
         'keystone': {'roles': [{'role': 'reader', 'project': 'research'}]},
         'onelogin': {'roles': [{'role': 'Employee'}]},
         'authress': {'roles': [{'role': 'ro_reader', 'resources': ['/documents/*'], 'record': 'Readers'}]},
         'posit_connect': {'roles': []}},
        # common roles only: Keystone takes them, the others say they cannot
        {'name': 'edsger', 'email': 'edsger@example.com', 'groups': ['research'],
         'roles': [{'role': 'member', 'project': 'research'}]},
        {'name': 'barbara', 'email': 'barbara@example.com', 'groups': ['staff'], 'providers': ['keystone', 'posit_connect'],
         'keystone': {'roles': []}},
    ]


@pytest.fixture
def world(admin, saas, keystone, access_log, uniq, run):
    """A Keystone domain with the projects and groups of the people file, the emulators emptied
    and seeded (Authress knows ada, grace and alan: they logged in once)."""
    dom = admin.make_domain('multi-' + uniq)
    projects = dict((name, admin.make_project(name, dom['id'])) for name in ('research', 'payroll'))
    for name in ('staff', 'research', 'payroll'):
        admin.post('/groups', {'group': {'name': name, 'domain_id': dom['id']}})
    saas.reset(authress_users=('ada', 'grace', 'alan'))
    providers = dict(saas.connections, keystone={'cloud': 'iamops-test'})
    logs = Logs(saas, access_log)

    def run_here(role, variables, *options, returncode=0):
        return run(role, variables, *options, logs=logs, returncode=returncode,
                   env={'OS_CLIENT_CONFIG_FILE': keystone['clouds_yaml']})

    return {'domain': dom, 'projects': projects, 'providers': providers, 'run': run_here}


# ---- state read back independently ---------------------------------------------------------------
def keystone_access(admin, dom, name):
    user = admin.user(name, dom['id'])
    if user is None:
        return None
    found = admin.get('/role_assignments', **{'user.id': user['id'], 'include_names': 'true'})['role_assignments']
    return {'id': user['id'], 'enabled': user['enabled'], 'email': user.get('email'),
            'groups': sorted(g['name'] for g in admin.get('/users/%s/groups' % user['id'])['groups']),
            'assignments': sorted((a['role']['name'], (a['scope'].get('project') or a['scope'].get('domain'))['id'])
                                  for a in found)}


def onelogin_access(saas, name):
    dump = saas.onelogin.dump()
    user = next((u for u in dump['users'] if u['username'] == name), None)
    if user is None:
        return None
    groups = dict((g['id'], g['name']) for g in dump['groups'])
    roles = dict((r['id'], r['name']) for r in dump['roles'])
    return {'id': str(user['id']), 'status': user['status'], 'email': user['email'], 'logouts': user['logouts'],
            'groups': [groups[user['group_id']]] if user.get('group_id') else [],
            'assignments': sorted(roles[r] for r in user['role_ids'])}


def authress_access(saas, name):
    dump = saas.authress.dump()
    if name not in dump['users']:
        return None
    records = []
    for record in dump['records'].values():
        if record.get('status') != 'ACTIVE':
            continue
        for statement in record['statements']:
            holders = [u['userId'] for u in (statement.get('users') or record.get('users') or [])]
            if name in holders:
                for role in statement['roles']:
                    records.append((record['name'], role, tuple(sorted(r['resourceUri'] for r in statement['resources']))))
    return {'id': name,
            'groups': sorted(g['name'] for g in dump['groups'].values() if name in [u['userId'] for u in g['users']]),
            'assignments': sorted(records)}


def posit_access(saas, name):
    dump = saas.posit_connect.dump()
    user = next((u for u in dump['users'] if u['username'] == name), None)
    if user is None:
        return None
    return {'id': user['guid'], 'locked': user['locked'], 'email': user['email'], 'user_role': user['user_role'],
            'groups': sorted(g['name'] for g in dump['groups'] if user['guid'] in g['members'])}


def access(admin, saas, dom, name):
    return {'keystone': keystone_access(admin, dom, name), 'onelogin': onelogin_access(saas, name),
            'authress': authress_access(saas, name), 'posit_connect': posit_access(saas, name)}


def report_view(record, provider):
    """The same view of one provider's part of an offboarding report."""
    account = record['account']
    if provider == 'keystone':
        return {'id': account['id'], 'enabled': account['enabled'], 'email': account['email'],
                'groups': sorted(g['name'] for g in record['groups']),
                'assignments': sorted((a['role']['name'], (a.get('project') or a.get('domain'))['id'])
                                      for a in record['assignments'])}
    if provider == 'onelogin':
        return {'id': account['id'], 'email': account['email'], 'groups': [g['name'] for g in record['groups']],
                'assignments': sorted(a['role']['name'] for a in record['assignments'])}
    if provider == 'authress':
        return {'id': account['id'], 'groups': sorted(g['name'] for g in record['groups']),
                'assignments': sorted((a['record']['name'], a['role']['id'], tuple(sorted(a['resources'])))
                                      for a in record['assignments'])}
    return {'id': account['id'], 'locked': account['locked'], 'email': account['email'],
            'user_role': account['user_role'], 'groups': sorted(g['name'] for g in record['groups'])}


def comparable(held, provider):
    """The server-side view restricted to what the report view holds."""
    keys = {'keystone': ('id', 'enabled', 'email', 'groups', 'assignments'),
            'onelogin': ('id', 'email', 'groups', 'assignments'),
            'authress': ('id', 'groups', 'assignments'),
            'posit_connect': ('id', 'locked', 'email', 'user_role', 'groups')}[provider]
    return dict((k, held[k]) for k in keys)


# ---- the tests ------------------------------------------------------------------------------------
def test_four_providers_onboard_rerun_check_offboard_restore(admin, saas, world, tmp_path):
    dom, providers, run = world['domain'], world['providers'], world['run']
    research, payroll = world['projects']['research']['id'], world['projects']['payroll']['id']
    variables = {'identity_providers': providers, 'onboarding_domain': dom['name'], 'onboarding_people': people_file()}

    # --check: nothing written anywhere, nothing created
    check, entries = run('onboarding', variables, '--check', '--diff')
    assert no_writes(entries), writes(entries)
    assert admin.user('ada', dom['id']) is None and onelogin_access(saas, 'ada') is None
    assert posit_access(saas, 'ada') is None

    # one run onboards everybody everywhere
    first, entries = run('onboarding', variables)
    ada = access(admin, saas, dom, 'ada')
    assert admin.password_works(ada['keystone']['id'], 'Ada-Multi-Passw0rd-7f3e')
    assert ada['keystone']['groups'] == ['research', 'staff'] and ada['keystone']['enabled'] is True
    assert ada['keystone']['assignments'] == sorted([('member', research), ('reader', payroll)])
    assert ada['onelogin']['groups'] == ['research'] and ada['onelogin']['assignments'] == ['Employee', 'Engineering']
    assert ada['onelogin']['email'] == 'ada@example.com'
    assert ada['authress']['groups'] == ['research', 'staff']
    assert ada['authress']['assignments'] == [('Research editors', 'ro_editor', ('/documents/research/*',))]
    assert ada['posit_connect']['user_role'] == 'publisher' and ada['posit_connect']['groups'] == ['research', 'staff']
    grace = access(admin, saas, dom, 'grace')
    assert grace['keystone']['assignments'] == [('member', payroll)]
    assert grace['onelogin']['groups'] == ['payroll'] and grace['onelogin']['assignments'] == ['Finance']
    assert grace['authress']['assignments'] == [('Payroll readers', 'ro_reader', ('/documents/payroll/*',))]
    assert grace['posit_connect']['user_role'] == 'viewer' and grace['posit_connect']['groups'] == ['payroll', 'staff']
    alan = access(admin, saas, dom, 'alan')
    assert alan['onelogin']['groups'] == ['staff'] and alan['authress']['groups'] == ['staff']
    # edsger: Keystone takes his common roles; OneLogin and Connect cannot hold a project role;
    # Authress has no account for him and cannot create one: reported, the others done
    edsger = access(admin, saas, dom, 'edsger')
    assert edsger['keystone']['assignments'] == [('member', research)]
    assert edsger['onelogin']['groups'] == ['research'] and edsger['onelogin']['assignments'] == []
    assert edsger['authress'] is None and edsger['posit_connect']['groups'] == ['research']
    # barbara: only the two providers her entry names
    barbara = access(admin, saas, dom, 'barbara')
    assert barbara['keystone']['groups'] == ['staff'] and barbara['posit_connect']['groups'] == ['staff']
    assert barbara['onelogin'] is None

    lines = summary_lines(first)
    assert 'ada @ keystone: created' in lines and 'ada @ posit_connect: created' in lines
    assert 'ada @ authress: changed' in lines   # the account existed; groups and a record added
    refused = [l for l in lines if l.startswith('edsger @ authress: ')]
    assert refused == ['edsger @ authress: refused - no account (Authress has no API to create users: a user '
                       'appears when it first logs in)'], lines
    assert any(l.startswith('edsger @ onelogin: created - refused: project of role member') and 'without a scope' in l
               for l in lines), lines
    assert not any(l.startswith('barbara @ onelogin') for l in lines)
    assert lines[-1].startswith('Totals: ') and '18 people x providers' in lines[-1], lines[-1]
    # batched: per provider the same module runs whatever the number of people (one token each)
    assert len([e for e in entries['keystone'] if e == ('POST', '/v3/auth/tokens')]) == 3, entries['keystone']
    assert len([e for e in entries['onelogin'] if e[1] == '/auth/oauth2/v2/token']) == 3, entries['onelogin']

    # rerun: no write anywhere, nothing changed
    again, entries = run('onboarding', variables)
    assert no_writes(entries), writes(entries)
    assert recap(again.stdout)['changed'] == '0'
    assert summary_lines(again)[-1].startswith('Totals: 15 already right, 3 refused'), summary_lines(again)

    # offboard two: the report holds what the servers held, field by field, then all is gone
    before = dict((name, access(admin, saas, dom, name)) for name in ('ada', 'grace'))
    reports = tmp_path / 'reports'
    leavers = {'identity_providers': providers, 'offboarding_domain': dom['name'],
               'offboarding_report_dir': str(reports), 'offboarding_people': [{'name': 'ada'}, {'name': 'grace'}]}
    off_check, entries = run('offboarding', leavers, '--check', '--diff')
    assert no_writes(entries), writes(entries)
    assert not reports.exists()   # check mode writes no report either
    off, entries = run('offboarding', leavers)
    files = list(reports.iterdir())
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(reports.stat().st_mode) == 0o700
    report = json.loads(files[0].read_text())
    for name in ('ada', 'grace'):
        for provider in ('keystone', 'onelogin', 'authress', 'posit_connect'):
            assert report_view(report['people'][name][provider], provider) == comparable(before[name][provider], provider), (
                name, provider)
    after = dict((name, access(admin, saas, dom, name)) for name in ('ada', 'grace'))
    for name, held in after.items():
        assert held['keystone']['enabled'] is False and held['keystone']['groups'] == [] and held['keystone']['assignments'] == []
        assert held['onelogin']['status'] == 2 and held['onelogin']['groups'] == [] and held['onelogin']['assignments'] == []
        assert held['onelogin']['logouts'] >= 1   # sessions ended
        assert held['authress']['groups'] == [] and held['authress']['assignments'] == []
        assert held['posit_connect']['locked'] is True and held['posit_connect']['groups'] == []
        assert held['posit_connect']['user_role'] == 'viewer'   # Connect's floor: no role below it
    assert access(admin, saas, dom, 'alan') == alan   # the others untouched
    off_lines = summary_lines(off)
    assert off_lines[0] == 'Access recorded before any revoke in %s' % files[0]
    assert any(l.startswith('ada @ authress: changed') and 'refused: disable' in l for l in off_lines), off_lines
    assert off_lines[-1].startswith('Totals: 8 changed'), off_lines

    # rerunning onboarding with the old file gives no leaver access back, on any provider
    rerun, entries = run('onboarding', variables)
    assert no_writes(entries), writes(entries)
    assert 'Disabled, left alone: ada, grace' in rerun.stdout
    assert dict((name, access(admin, saas, dom, name)) for name in ('ada', 'grace')) == after

    # ada was offboarded by mistake: the report puts her access back in one run
    restore = {'identity_providers': providers, 'onboarding_domain': dom['name'],
               'onboarding_restore_from': str(files[0]), 'onboarding_restore_people': ['ada']}
    back, entries = run('onboarding', restore)
    restored = access(admin, saas, dom, 'ada')
    for provider in ('keystone', 'onelogin', 'authress', 'posit_connect'):
        assert comparable(restored[provider], provider) == report_view(report['people']['ada'][provider], provider), provider
    assert restored['onelogin']['status'] == 1
    assert access(admin, saas, dom, 'grace') == after['grace']   # only the people asked for
    again, entries = run('onboarding', restore)
    assert no_writes(entries), writes(entries)
    assert recap(again.stdout)['changed'] == '0'


def test_one_provider_failing_leaves_the_others_done_and_a_rerun_converges(run, saas, tmp_path, module_env):
    """A gateway answering an HTML page in front of Posit Connect: Keystone-free, the three
    emulators; the other two are done, the run fails naming each person on Connect, and a rerun
    once Connect answers again finishes the job."""
    saas.reset(authress_users=('ada', 'grace', 'alan'))
    people = [dict((k, v) for k, v in p.items() if k != 'keystone') for p in people_file()[:3]]
    with fp.FaultProxy(saas.posit_connect.url) as proxy:
        providers = dict(saas.connections)
        providers['posit_connect'] = dict(providers['posit_connect'], api_url=proxy.url)
        proxy.fault(None, r'^/__api__/', fp.html(), count=None)
        logs = Logs(saas)
        variables = {'identity_providers': providers, 'onboarding_people': people}
        failed, entries = run('onboarding', variables, logs=logs, returncode=2)
        assert entries['posit_connect'] == []   # the gateway answered; Connect saw nothing
        fatal = [l for l in failed.stdout.splitlines() if l.startswith('fatal:') and 'Not onboarded' in l]
        assert len(fatal) == 1, failed.stdout[-3000:]
        for name in ('ada', 'grace', 'alan'):
            assert '%s @ posit_connect: failed' % name in fatal[0]
            assert '%s @ onelogin' % name not in fatal[0] and '%s @ authress' % name not in fatal[0]
        assert 'text/html' in fatal[0]
        # the others are done
        assert onelogin_access(saas, 'ada')['assignments'] == ['Employee', 'Engineering']
        assert authress_access(saas, 'grace')['assignments'] == [('Payroll readers', 'ro_reader', ('/documents/payroll/*',))]
        assert posit_access(saas, 'ada') is None
        proxy.clear()
        done, entries = run('onboarding', variables, '-vvv')   # the secret scan reads every byte of it
        assert writes(entries)['onelogin'] == [] and writes(entries)['authress'] == []
        assert posit_access(saas, 'ada')['user_role'] == 'publisher'
        assert posit_access(saas, 'grace')['groups'] == ['payroll', 'staff']
        lines = summary_lines(done)
        assert 'ada @ posit_connect: created' in lines and 'ada @ onelogin: already right' in lines


def test_hr_csv_export_drives_it_and_is_validated_like_the_yaml_form(run, saas, tmp_path):
    saas.reset(authress_users=('ada',))
    logs = Logs(saas)
    export = tmp_path / 'people.csv'
    export.write_text('name,email,first_name,last_name,groups\n'
                      'ada,ada@example.com,Ada,Lovelace,staff;research\n'
                      'grace,grace@example.com,Grace,Hopper,staff\n')
    # Connect's connection from the environment, as an AWX credential type injects it
    variables = {'identity_providers': {'posit_connect': {}, 'authress': saas.connections['authress']},
                 'onboarding_people_csv': str(export)}
    connect_env = dict((k, v) for k, v in saas.environment().items() if k.startswith('CONNECT_'))
    proc, entries = run('onboarding', variables, env=connect_env)
    assert posit_access(saas, 'ada')['groups'] == ['research', 'staff'] and posit_access(saas, 'ada')['email'] == 'ada@example.com'
    assert posit_access(saas, 'grace')['groups'] == ['staff']
    assert authress_access(saas, 'ada')['groups'] == ['research', 'staff']
    assert 'grace @ authress: refused - no account' in '\n'.join(summary_lines(proc))

    # a misspelled column stops the run before any request
    export.write_text('name,emial,groups\nalan,alan@example.com,staff\n')
    bad, entries = run('onboarding', variables, logs=logs, returncode=2, env=connect_env)
    assert 'emial' in bad.stdout and 'onboarding_people' in bad.stdout, bad.stdout[-3000:]
    assert all(found == [] for found in entries.values()), entries


def test_generated_passwords_on_three_providers_go_to_the_0600_file_only(run, saas, tmp_path):
    """password: generate on OneLogin, Posit Connect and Authress (which takes no password): the
    file holds one working password per created account, no output at -vvv holds any, a rerun
    keeps the file as it is."""
    saas.reset(authress_users=('ada',))
    path = tmp_path / 'passwords.json'
    variables = {'identity_providers': dict((name, saas.connections[name]) for name in ('onelogin', 'posit_connect', 'authress')),
                 'onboarding_password_file': str(path),
                 'onboarding_people': [{'name': name, 'email': name + '@example.com', 'password': 'generate', 'groups': ['staff']}
                                       for name in ('ada', 'grace')]}
    first, _entries = run('onboarding', variables, '-vvv')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = json.loads(path.read_text())
    assert sorted((e['person'], e['provider'], e['username']) for e in saved) == [
        ('ada', 'onelogin', 'ada'), ('ada', 'posit_connect', 'ada'), ('grace', 'onelogin', 'grace'),
        ('grace', 'posit_connect', 'grace')]
    for entry in saved:
        secret_scan.register(entry['password'], 'a password the onboarding role generated (%s)' % entry['provider'])
        if entry['provider'] == 'onelogin':
            user = next(u for u in saas.onelogin.dump()['users'] if u['username'] == entry['username'])
            assert user['password']['hash'] == hashlib.sha256((user['password']['salt'] + entry['password']).encode()).hexdigest()
        else:
            user = next(u for u in saas.posit_connect.dump()['users'] if u['username'] == entry['username'])
            assert user['password_sha256'] == hashlib.sha256(entry['password'].encode()).hexdigest()
    assert '"generated_password"' not in first.stdout   # the key itself is taken out of onboarding_accounts
    again, entries = run('onboarding', variables, '-vvv')
    assert no_writes(entries) and json.loads(path.read_text()) == saved
