"""The access report filters on their own (no server): rows, drift, errors, escaping."""

import json
import re

import pytest

from ansible.module_utils import _internal

# The filters run on the controller: importing them imports ansible's controller code, which marks
# the whole process as the controller (module warnings then go to the display). Other unit tests
# run modules in this process, so the flag is put back after these tests.
_was_controller = _internal.is_controller
from ansible.errors import AnsibleFilterError  # noqa: E402
from ansible_collections.iamops.identity.plugins.filter.access_report import access_report, access_report_html  # noqa: E402
_internal.is_controller = _was_controller


@pytest.fixture(autouse=True)
def _controller_flag_restored():
    yield
    _internal.is_controller = _was_controller


def result(provider, value=None, **extra):
    found = {'_provider': provider, 'ansible_loop_var': '_provider'}
    if value is not None:
        found['query_result'] = value
    found.update(extra)
    return found


USERS = [result('keystone', [{'id': 'u1', 'name': 'ada', 'enabled': True, 'email': 'ada@example.com'},
                             {'id': 'u2', 'name': 'grace', 'enabled': False, 'email': None},
                             {'id': 'u3', 'name': '<script>x</script>', 'enabled': True, 'email': None}]),
         result('onelogin', [{'id': '9', 'name': 'ada.l', 'enabled': True, 'email': 'ada@example.com'}])]
GROUPS = [result('keystone', [{'id': 'g1', 'name': 'staff', 'users': ['u1', 'u2']},
                              {'id': 'g2', 'name': 'research', 'users': ['u1']}]),
          result('onelogin', skipped=True)]
GRANTS = [result('keystone', [
    {'role': {'id': 'r1', 'name': 'member'}, 'user': {'id': 'u1'}, 'project': {'id': 'p', 'name': 'research', 'domain': {'name': 'Default'}}},
    {'role': {'id': 'r2', 'name': 'admin'}, 'user': {'id': 'u1'}, 'system': 'all'},
    {'role': {'id': 'r3', 'name': 'reader'}, 'group': {'id': 'g2', 'name': 'research'}, 'domain': {'name': 'corp'}, 'inherited': True}]),
    result('onelogin', [{'role': {'id': '1', 'name': 'Employee'}, 'user': {'id': '9', 'name': 'ada.l'}}])]
PEOPLE = [{'name': 'ada', 'groups': ['staff', 'research'], 'roles': [{'role': 'member', 'project': 'research'}],
           'onelogin': {'name': 'ada.l', 'groups': ['staff'], 'roles': [{'role': 'Employee'}]}},
          {'name': 'grace', 'groups': ['staff', 'payroll'], 'providers': ['keystone']},
          {'name': 'alan'}]


def rows(report):
    return dict((r['name'], r) for r in report['rows'])


def test_one_row_per_person_across_providers_with_the_drift():
    report = access_report(USERS, GROUPS, GRANTS, PEOPLE, ['keystone', 'onelogin'], 'Default', 'now')
    assert [r['name'] for r in report['rows']] == ['ada', 'grace', 'alan', '<script>x</script>']
    ada = rows(report)['ada']
    assert ada['providers']['keystone'] == {
        'name': 'ada', 'account': 'enabled', 'email': 'ada@example.com', 'groups': ['research', 'staff'],
        'roles': ['admin on system all', 'member on project research (Default)'],
        'group_roles': ['reader on domain corp, inherited (via group research)'], 'drift': [
            'holds admin on system all, not in the people file']}
    # the onelogin account is named differently in ada's section: the same row
    assert ada['providers']['onelogin']['name'] == 'ada.l' and ada['providers']['onelogin']['roles'] == ['Employee']
    assert ada['drift'] == ['keystone: holds admin on system all, not in the people file', 'onelogin: not in group staff']
    assert rows(report)['grace']['drift'] == ['keystone: account disabled', 'keystone: not in group payroll']
    assert rows(report)['alan']['drift'] == ['keystone: no account', 'onelogin: no account']
    assert rows(report)['<script>x</script>']['drift'] == ['keystone: account not in the people file']
    assert report['summary'] == {'people': 4, 'with_drift': 4, 'accounts': {'keystone': 3, 'onelogin': 1}}
    assert report['errors'] == {}


def test_without_people_file_no_drift_and_a_failed_provider_is_named_not_guessed():
    users = [USERS[0], result('onelogin', failed=True, msg='onelogin: GET /api/2/users: HTTP 401 Unauthorized')]
    report = access_report(users, GROUPS, GRANTS, None, ['keystone', 'onelogin'])
    assert report['errors'] == {'onelogin': ['GET /api/2/users: HTTP 401 Unauthorized']}
    assert all(r['drift'] == [] for r in report['rows']) and report['people_file'] is False
    assert [r['name'] for r in report['rows']] == ['<script>x</script>', 'ada', 'grace']
    assert rows(report)['ada']['providers']['onelogin']['account'] == 'none'


def test_the_page_is_self_contained_escaped_and_has_one_row_per_person():
    report = access_report(USERS, GROUPS, GRANTS, PEOPLE, ['keystone', 'onelogin'], 'Default', 'now')
    page = access_report_html(report, 'Access <review>')
    assert page.startswith('<!DOCTYPE html>') and '<title>Access &lt;review&gt;</title>' in page
    assert len(re.findall(r'<tr class="person', page)) == 4 and len(re.findall(r'<tr class="person drift"', page)) == 4
    assert '<script>x</script>' not in page.split('id="report-data"', maxsplit=1)[0]        # escaped in the table
    data = page.split('<script type="application/json" id="report-data">', 1)[1].split('</script>', 1)[0]
    assert '</' not in data and json.loads(data.replace('<\\/', '</')) == json.loads(json.dumps(report))
    assert not re.search(r'(src|href)=["\']?(https?:)?//', page) and '<link' not in page


def test_bad_input_is_one_clear_message():
    with pytest.raises(AnsibleFilterError, match='not an access report'):
        access_report_html({'rows': []})
    with pytest.raises(AnsibleFilterError, match='every person of the people file needs a name'):
        access_report(USERS, GROUPS, GRANTS, [{'email': 'x'}])
    with pytest.raises(AnsibleFilterError, match='must be a list'):
        access_report(USERS, GROUPS, GRANTS, {'name': 'x'})
