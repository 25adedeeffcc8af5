"""The access report a reviewer opens (role iamops.identity.identity_access_report, playbook
iamops.identity.access_report): the state is made by the onboarding role from a people file, then
drifted behind its back on the servers; the report must show each person once, what they hold on
each provider, and mark exactly the drift. The page is opened in headless Chromium: its DOM after
the scripts ran (rows, drift marks, sorting) and a screenshot (size, not blank, the drift colour).

Batched reads: three module runs per provider whatever the number of people - counted by the
tokens each server issued (one per module run) with 3 people and with 13.
"""

import json
import os
import re
import subprocess
import sys

import pytest
import requests

from .conftest import COLLECTIONS_ROOT, Logs, job_environment, writes
from stack import CONNECT_API_KEY

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'support'))
import browser  # noqa: E402

SAAS = ('onelogin', 'authress', 'posit_connect')
TOKEN = {'keystone': ('POST', '/v3/auth/tokens'), 'onelogin': ('POST', '/auth/oauth2/v2/token')}


def people(project=None):
    """ada and grace as onboarding makes them; on Keystone, roles on ``project``."""
    def keystone(role):
        return {'roles': [{'role': role, 'project': project}]} if project else {}

    return [
        {'name': 'ada', 'email': 'ada@example.com', 'first_name': 'Ada', 'last_name': 'Lovelace',
         'groups': ['staff', 'research'],
         'keystone': keystone('member'),
         'onelogin': {'groups': ['staff'], 'roles': [{'role': 'Employee'}]},
         'authress': {'roles': [{'role': 'ro_reader', 'resources': ['/docs/*'], 'record': 'Docs'}]},
         'posit_connect': {'roles': [{'role': 'publisher'}]}},
        {'name': 'grace', 'email': 'grace@example.com', 'first_name': 'Grace', 'last_name': 'Hopper',
         'groups': ['staff'],
         'keystone': keystone('reader'),
         'onelogin': {'groups': ['staff'], 'roles': [{'role': 'Finance'}]},
         'authress': {'roles': [{'role': 'ro_reader', 'resources': ['/docs/*'], 'record': 'Docs'}]},
         'posit_connect': {'roles': [{'role': 'viewer'}]}},
    ]


def ansible_playbook(args, env, tmp_path, timeout=600):
    env = dict(env, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='0',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='0', ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    proc = subprocess.run(['ansible-playbook', '-i', 'localhost,', '-c', 'local'] + args, env=env, cwd=str(tmp_path),
                          capture_output=True, text=True, timeout=timeout, check=False)
    return proc


def vars_file(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return '@' + str(path)


def onboard(tmp_path, env, providers, persons, domain='Default'):
    proc = ansible_playbook(['iamops.identity.onboard', '-e', vars_file(tmp_path, 'onboard.json', {
        'identity_providers': providers, 'onboarding_people': persons, 'onboarding_domain': domain})], env, tmp_path)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]


def report(tmp_path, env, providers, persons, logs, domain='Default', name='report'):
    """Run the access report playbook; returns (the JSON report, the HTML path, requests per provider)."""
    out = tmp_path / name
    extra = {'identity_providers': providers, 'identity_access_report_dir': str(out),
             'identity_access_report_domain': domain}
    if persons is not None:
        extra['onboarding_people'] = persons
    mark = logs.mark()
    proc = ansible_playbook(['iamops.identity.access_report', '-e', vars_file(tmp_path, name + '.json', extra)],
                            env, tmp_path)
    entries = logs.entries(mark)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    assert 'report in %s/access-report.html' % out in proc.stdout
    assert writes(entries) == dict((p, []) for p in entries), 'the report wrote to a server'
    assert oct(os.stat(out / 'access-report.json').st_mode & 0o777) == '0o640'
    return json.loads((out / 'access-report.json').read_text()), out / 'access-report.html', entries, proc


def rows_of(dom):
    """(person, drift?) of each table row of the page's DOM, in the order shown."""
    return [(name, 'drift' in classes.split())
            for classes, name in re.findall(r'<tr class="([^"]*)" data-person="([^"]*)"', dom)]


def look_at(html_path, tmp_path, expected_rows, drift_rows):
    """Open the page as a reviewer would: rows and drift marks in the DOM, sorting, a screenshot."""
    try:
        browser.install()
    except browser.BrowserError as exc:
        pytest.skip('headless Chromium cannot be installed here: %s' % exc)
    dom = browser.dump_dom(str(html_path))
    shown = rows_of(dom)
    assert [name for name, _drift in shown] == expected_rows
    assert sorted(name for name, drift in shown if drift) == sorted(drift_rows)
    assert '<link' not in dom and 'src="http' not in dom and "src='http" not in dom   # nothing external
    # the table sorts: opened with #sort=0-desc the script orders the rows by person, descending
    import shutil
    sorted_page = tmp_path / 'sorted.html'
    shutil.copy(str(html_path), str(sorted_page))
    dom = browser.dump_dom(str(sorted_page) + '#sort=0-desc')
    assert [name for name, _drift in rows_of(dom)] == sorted(expected_rows, reverse=True)
    assert 'aria-sort="descending"' in dom
    png = browser.screenshot(str(html_path), str(tmp_path / 'access-report.png'), 1280, 800)
    width, height, pixels = browser.read_png(open(png, 'rb').read())
    assert (width, height) == (1280, 800)
    colours = set(p for row in pixels[::4] for p in row[::4])
    assert len(colours) > 20, 'the screenshot is blank'

    # the drift marks (border #d23c3c, text #b42318) are on screen; the header band (#22324d) too
    def near(p, c):
        return all(abs(a - b) < 24 for a, b in zip(p, c))

    assert any(near(p, (0xd2, 0x3c, 0x3c)) or near(p, (0xb4, 0x23, 0x18)) for p in colours)
    assert any(near(p, (0x22, 0x32, 0x4d)) for p in colours)
    return png


def drift_of(found, name):
    row = next(r for r in found['rows'] if r['name'] == name)
    return row, sorted(row['drift'])


def test_access_report_over_the_three_emulators(saas, tmp_path):
    saas.add_authress_users(['ada', 'grace'])
    providers = dict((p, {}) for p in SAAS)   # connections from the environment, as AWX injects them
    env = job_environment(saas.environment())
    logs = Logs(saas)
    onboard(tmp_path, env, providers, people())

    # drift behind the people file's back: a OneLogin account nobody listed, grace promoted on Connect
    saas.onelogin.seed({'users': [{'username': 'mallory', 'email': 'mallory@example.com'}]})
    grace = [u for u in saas.posit_connect.dump()['users'] if u['username'] == 'grace'][0]
    promoted = requests.put(saas.posit_connect.url + '/__api__/v1/users/' + grace['guid'], json={'user_role': 'administrator'},
                            headers={'Authorization': 'Key ' + CONNECT_API_KEY}, timeout=10)
    assert promoted.status_code == 200, promoted.text

    found, page, entries, proc = report(tmp_path, env, providers, people(), logs)
    assert found['format'] == 'iamops.identity.access_report/1' and found['errors'] == {}
    assert found['providers'] == list(SAAS)
    names = [r['name'] for r in found['rows']]
    assert names[:2] == ['ada', 'grace'] and 'mallory' in names and len(names) == len(set(names))
    ada, drift = drift_of(found, 'ada')
    assert drift == []
    assert ada['providers']['onelogin']['groups'] == ['staff'] and ada['providers']['onelogin']['roles'] == ['Employee']
    assert ada['providers']['posit_connect']['roles'] == ['publisher']
    assert ada['providers']['authress']['roles'] == ['ro_reader on /docs/*']
    assert sorted(ada['providers']['posit_connect']['groups']) == ['research', 'staff']
    assert all(ada['providers'][p]['account'] == 'enabled' for p in SAAS)
    grace_row, drift = drift_of(found, 'grace')
    assert drift == ['posit_connect: holds administrator, not in the people file', 'posit_connect: lacks viewer']
    _mallory, drift = drift_of(found, 'mallory')
    assert drift == ['onelogin: account not in the people file']
    # three reads per provider: OneLogin issued three tokens (one per module run)
    assert entries['onelogin'].count(TOKEN['onelogin']) == 3

    look_at(page, tmp_path, names, [n for n in names if n != 'ada'])


def test_access_report_keystone_and_emulators_reads_stay_constant(saas, keystone, admin, access_log, tmp_path, uniq):
    """Keystone (a domain of its own) and the three emulators in one report; then ten more people:
    the same number of module runs on every provider."""
    domain = admin.make_domain('rep-' + uniq)
    research = admin.make_project('research-' + uniq, domain['id'])
    for group in ('staff', 'research', 'payroll'):
        admin.post('/groups', {'group': {'name': group, 'domain_id': domain['id']}})
    saas.add_authress_users(['ada', 'grace'])
    providers = dict(keystone={'cloud': 'iamops-test'}, **dict((p, {}) for p in SAAS))
    env = job_environment(dict(saas.environment(), OS_CLIENT_CONFIG_FILE=keystone['clouds_yaml']))
    logs = Logs(saas, access_log)
    persons = [dict(p, domain=domain['name']) for p in people(research['name'])]
    onboard(tmp_path, env, providers, persons, domain=domain['name'])
    # drift on Keystone: grace disabled, ada given admin on the domain directly
    grace = admin.user('grace', domain['id'])
    admin.session.patch(admin.url + '/users/' + grace['id'], json={'user': {'enabled': False}}, timeout=30)
    roles = dict((r['name'], r['id']) for r in admin.get('/roles')['roles'])
    ada = admin.user('ada', domain['id'])
    admin.put('/domains/%s/users/%s/roles/%s' % (domain['id'], ada['id'], roles['admin']))

    found, page, entries, proc = report(tmp_path, env, providers, persons, logs, domain=domain['name'])
    assert found['errors'] == {} and found['providers'] == ['keystone'] + list(SAAS)
    names = [r['name'] for r in found['rows']]
    # the people first; then the accounts nobody listed: only Connect's bootstrap administrator
    assert names == ['ada', 'grace', 'admin'], names
    assert drift_of(found, 'admin')[1] == ['posit_connect: account not in the people file']
    row, drift = drift_of(found, 'ada')
    assert drift == ['keystone: holds admin on domain %s, not in the people file' % domain['name']]
    assert row['providers']['keystone']['roles'] == sorted(['member on project %s (%s)' % (research['name'], domain['name']),
                                                            'admin on domain %s' % domain['name']])
    assert row['providers']['keystone']['groups'] == ['research', 'staff']
    row, drift = drift_of(found, 'grace')
    assert drift == ['keystone: account disabled'] and row['providers']['keystone']['account'] == 'disabled'
    first = dict((p, entries[p].count(TOKEN[p])) for p in TOKEN)
    assert first == {'keystone': 3, 'onelogin': 3}
    look_at(page, tmp_path, names, names)

    # ten more people: the report costs the same module runs on every provider
    more = [{'name': 'p%02d' % i, 'email': 'p%02d@example.com' % i, 'groups': ['staff'], 'domain': domain['name']}
            for i in range(10)]
    saas.add_authress_users([p['name'] for p in more])
    onboard(tmp_path, env, providers, more, domain=domain['name'])
    found, page, entries, proc = report(tmp_path, env, providers, persons + more, logs, domain=domain['name'], name='more')
    assert len(found['rows']) == 13
    assert dict((p, entries[p].count(TOKEN[p])) for p in TOKEN) == first
    for provider in ('authress', 'posit_connect'):   # no token: the same number of requests, give or take pages
        assert len(entries[provider]) <= 3 * 4, (provider, entries[provider])
    assert '"msg": "13 people, 3 with drift; report in ' in proc.stdout
