"""The offboarding and onboarding roles on Authress alone: each person's tenant link is read
(one listing per tenant, not per person), recorded in the report before any revoke, kept by
offboarding (Authress has no unlink API: the report and the summary say why) and linked again
by ``onboarding_restore_from``. State is read back from the emulator's dump, requests from its log."""

import glob
import json

import yaml
from authress_fixtures import (access_key, authress_env, emulator, emulator_server, playbook,  # noqa: F401 pylint: disable=unused-import
                               service_key)

PLAY = """
- hosts: localhost
  gather_facts: false
  roles:
    - iamops.identity.%s
"""


def role(playbook, tmp_path, name, variables, *options):
    path = tmp_path / ('%s-vars.yml' % name)
    path.write_text(yaml.safe_dump(variables))
    proc, entries = playbook(PLAY % name, '-e', '@' + str(path), *options)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-6000:]
    return proc, entries


def writes(entries):
    return [(e['method'], e['path']) for e in entries if e['write']]


def test_tenant_links_recorded_kept_on_offboarding_and_restored(emulator, playbook, tmp_path):
    emulator.seed({
        'tenants': [{'tenantId': 'ten_eu'}, {'tenantId': 'ten_us'}],
        'users': [{'userId': 'google|ann', 'name': 'Ann', 'tenantId': 'ten_eu'},
                  {'userId': 'google|bob', 'name': 'Bob', 'tenantId': 'ten_us'},
                  {'userId': 'google|cy', 'name': 'Cy'}],
        'groups': [{'groupId': 'grp_pay', 'name': 'Payroll', 'users': [{'userId': 'google|ann'}]}]})
    assert emulator.dump()['user_tenant'] == {'google|ann': 'ten_eu', 'google|bob': 'ten_us'}
    reports = tmp_path / 'reports'
    people = [{'name': 'google|ann'}, {'name': 'google|bob'}, {'name': 'google|cy'}]
    off_vars = {'identity_providers': {'authress': {}}, 'offboarding_people': people,
                'offboarding_report_dir': str(reports), 'offboarding_tenants': ['ten_eu', 'ten_us']}

    # check mode reads the tenants too, and writes nothing (no request, no report)
    _check, entries = role(playbook, tmp_path, 'offboarding', off_vars, '--check')
    assert writes(entries) == [] and not reports.exists()
    assert sum(1 for e in entries if e['path'] == '/v1/users' and e['query'].get('tenantId')) == 2

    off, entries = role(playbook, tmp_path, 'offboarding', off_vars)
    # one listing of each tenant's users, whatever the number of people
    tenant_reads = [e['query'].get('tenantId') for e in entries
                    if e['method'] == 'GET' and e['path'] == '/v1/users' and e['query'].get('tenantId')]
    assert sorted(tenant_reads) == ['ten_eu', 'ten_us'], entries
    # the report holds each link, and why it stays
    [path] = glob.glob(str(reports / 'offboarding-*.json'))
    with open(path, encoding='utf-8') as handle:
        report = json.load(handle)
    held = dict((name, report['people'][name]['authress']) for name in ('google|ann', 'google|bob', 'google|cy'))
    assert held['google|ann']['tenant'] == 'ten_eu'
    assert held['google|bob']['tenant'] == 'ten_us'
    assert held['google|cy']['tenant'] is None and 'tenant_link_kept' not in held['google|cy']
    assert 'no API to unlink' in held['google|ann']['tenant_link_kept']
    assert report['not_read'] == {}
    # offboarding removed the membership, and left the links (nothing can unlink): documented
    state = emulator.dump()
    assert state['groups']['grp_pay']['users'] == []
    assert state['user_tenant'] == {'google|ann': 'ten_eu', 'google|bob': 'ten_us'}
    assert not [w for w in writes(entries) if w[1].startswith('/v1/tenants')]
    assert 'unlink from tenant ten_eu' in off.stdout

    # the link to ten_eu is lost meanwhile (say the tenant was rebuilt): restore links Ann again
    del emulator.user_tenant['google|ann']
    on_vars = {'identity_providers': {'authress': {}}, 'onboarding_restore_from': path}
    _proc, entries = role(playbook, tmp_path, 'onboarding', on_vars)
    done = writes(entries)
    assert done.count(('PATCH', '/v1/tenants/ten_eu/users')) == 1, done
    assert not [w for w in done if w[1] == '/v1/tenants/ten_us/users'], done
    state = emulator.dump()
    assert state['user_tenant'] == {'google|ann': 'ten_eu', 'google|bob': 'ten_us'}
    assert state['groups']['grp_pay']['users'] == [{'userId': 'google|ann'}]

    # a rerun of the restore writes nothing
    again, entries = role(playbook, tmp_path, 'onboarding', on_vars)
    assert writes(entries) == [], writes(entries)
    assert 'changed=0' in again.stdout
