"""The people filters of the onboarding/offboarding roles, on the real capabilities (the lookup
plugin's description of each provider's spec): pure planning, no request."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.iamops.identity.plugins.filter import people as f
from ansible_collections.iamops.identity.plugins.lookup.provider_capabilities import LookupModule

PROVIDERS = ['keystone', 'onelogin', 'authress', 'posit_connect']


@pytest.fixture(scope='module')
def caps():
    return LookupModule().run([])[0]


def reads(accounts):
    """A registered identity_user_info loop: provider -> list of accounts (None: the read failed)."""
    results = []
    for provider, found in accounts.items():
        target = {'provider': provider, 'domain': 'Default' if provider == 'keystone' else None}
        if found is None:
            results.append({'_provider': target, 'ansible_loop_var': '_provider', 'failed': False,
                            'failed_when_result': False, 'msg': 'GET /v1/users failed: HTTP 503'})
        else:
            results.append({'_provider': target, 'ansible_loop_var': '_provider', 'query_result': found})
    return {'results': results}


def test_lookup_describes_each_spec(caps):
    assert list(caps)[:4] == PROVIDERS
    assert 'absent' not in caps['posit_connect']['modules']['identity_user']['states']
    assert 'create' in caps['authress']['modules']['identity_user']['reasons']
    assert caps['onelogin']['modules']['identity_user']['limits'] == {'groups': 1}
    assert 'identity_group' in caps['onelogin']['unsupported']
    with pytest.raises(Exception, match='unknown provider nope'):
        LookupModule().run(['nope'])


def test_plan_per_provider_from_capabilities(caps):
    people = [{'name': 'ada', 'email': 'ada@example.com', 'first_name': 'Ada', 'groups': ['staff', 'research'],
               'roles': [{'role': 'member', 'project': 'research'}],
               'onelogin': {'groups': ['research'], 'roles': [{'role': 'Engineering'}]},
               'posit_connect': {'user_role': 'publisher', 'roles': []}},
              {'name': 'bob', 'groups': ['staff', 'research']}]
    plan = f.onboarding_plan(people, PROVIDERS, caps, reads(
        {'keystone': [], 'onelogin': [], 'authress': [{'name': 'ada', 'enabled': None}], 'posit_connect': []}),
        {'domain': 'Default'})
    steps = plan['providers']
    # keystone: no first_name (a common key it cannot hold is not sent, not refused)
    assert steps['keystone']['users'][0] == {'name': 'ada', 'email': 'ada@example.com', 'groups': ['staff', 'research']}
    assert steps['keystone']['grants']['ada'] == [{'user': 'ada', 'role': 'member', 'project': 'research',
                                                   'project_domain': 'Default'}]
    assert steps['keystone']['domain'] == 'Default' and steps['onelogin']['domain'] is None
    # onelogin: the section overrides groups and roles
    assert steps['onelogin']['users'][0]['groups'] == ['research']
    assert steps['onelogin']['grants']['ada'] == [{'user': 'ada', 'role': 'Engineering'}]
    # bob's two groups: more than a OneLogin user holds - refused with the declared reason, account sent
    assert steps['onelogin']['users'][1] == {'name': 'bob'}
    assert 'more than 1' in steps['onelogin']['refused']['bob'][0]
    # authress: cannot create; ada exists (her Keystone-scoped role refused), bob has no account
    assert steps['authress']['people']['bob']['status'] == 'refused'
    assert 'no API to create users' in steps['authress']['people']['bob']['msg']
    assert [u['name'] for u in steps['authress']['users']] == ['ada']
    assert 'email' not in steps['authress']['users'][0]
    assert any(r.startswith('project of role member') for r in steps['authress']['refused']['ada'])
    assert steps['posit_connect']['users'][0]['user_role'] == 'publisher'
    assert plan['user_runs'] == [{'provider': p} for p in PROVIDERS]


def test_a_disabled_account_anywhere_is_a_leaver_everywhere(caps):
    people = [{'name': 'ada'}, {'name': 'bob'}, {'name': 'cy', 'enabled': True}]
    plan = f.onboarding_plan(people, ['keystone', 'authress'], caps, reads({
        'keystone': [{'name': 'ada', 'enabled': False}, {'name': 'cy', 'enabled': False}, {'name': 'bob', 'enabled': True}],
        'authress': [{'name': 'ada', 'enabled': None}, {'name': 'bob', 'enabled': None}]}), {'domain': 'Default'})
    assert plan['left_alone'] == ['ada']
    assert plan['providers']['authress']['people']['ada']['status'] == 'left alone'
    assert [u['name'] for u in plan['providers']['authress']['users']] == ['bob']
    assert [u['name'] for u in plan['providers']['keystone']['users']] == ['bob', 'cy']
    restore = f.onboarding_plan(people, ['keystone'], caps, reads({'keystone': [{'name': 'ada', 'enabled': False}]}),
                                {'restore': True, 'domain': 'Default'})
    assert restore['left_alone'] == []


def test_a_provider_that_could_not_be_read_fails_its_people_only(caps):
    plan = f.onboarding_plan([{'name': 'ada'}], ['onelogin', 'posit_connect'], caps,
                             reads({'onelogin': None, 'posit_connect': []}))
    assert plan['providers']['onelogin']['people']['ada']['status'] == 'failed'
    assert plan['providers']['onelogin']['users'] == []
    summary = f.onboarding_summary(plan, {'results': [
        {'_provider': {'provider': 'posit_connect'}, 'ansible_loop_var': '_provider',
         'results': [{'item': {'name': 'ada'}, 'changed': True}]}]}, {'results': []})
    assert summary['lines'] == ['ada @ onelogin: failed - accounts not read: GET /v1/users failed: HTTP 503',
                                'ada @ posit_connect: created',
                                'Totals: 1 created, 1 failed (2 people x providers)']
    assert [(r['name'], r['provider']) for r in summary['failed']] == [('ada', 'onelogin')]


def test_a_batch_run_that_failed_whole_fails_each_of_its_people(caps):
    plan = f.onboarding_plan([{'name': 'ada'}, {'name': 'bob'}], ['posit_connect'], caps, reads({'posit_connect': []}))
    failed_run = {'results': [{'_provider': {'provider': 'posit_connect'}, 'ansible_loop_var': '_provider',
                               'failed_when_result': False, 'msg': 'HTTP 200 text/html'}]}
    assert f.onboarding_assignments(plan, failed_run) == {'runs': [], 'grants': {}}
    summary = f.onboarding_summary(plan, failed_run, {'results': []})
    assert [r['status'] for r in summary['rows']] == ['failed', 'failed']
    assert 'text/html' in summary['failed_lines'][0]


def test_offboarding_plan_from_capabilities(caps):
    people = [{'name': 'ada'}, {'name': 'nobody'}]
    report = {'not_read': {}, 'people': {
        'ada': dict((p, {'account': {'id': '1', 'name': 'ada'}, 'groups': [], 'assignments': []}) for p in PROVIDERS),
        'nobody': dict((p, {'account': None}) for p in PROVIDERS)}}
    plan = f.offboarding_plan(people, PROVIDERS, caps, report, {'action': 'delete', 'domain': 'Default'})
    steps = plan['providers']
    assert steps['keystone']['disable'] == [{'name': 'ada', 'domain': 'Default', 'enabled': False, 'groups': []}]
    assert steps['onelogin']['disable'] == [{'name': 'ada', 'enabled': False, 'logout': True, 'groups': []}]
    assert steps['posit_connect']['disable'][0]['enabled'] is False   # Connect: enabled false is its lock
    assert steps['authress']['disable'] == [{'name': 'ada', 'groups': []}]
    assert steps['authress']['refused']['ada'][0].startswith('disable (')
    assert steps['posit_connect']['delete'] == [] and 'delete (Connect has no user delete API' in steps['posit_connect']['refused']['ada'][-1]
    assert steps['keystone']['delete'] == [{'name': 'ada', 'domain': 'Default'}]
    # everybody is named to the revoke step (a person without account: the module warns)
    assert [i['user'] for i in steps['onelogin']['revoke']] == ['ada', 'nobody']
    assert steps['onelogin']['people']['nobody']['status'] == 'no account'
    unread = f.offboarding_plan(people, ['onelogin'], caps, {'not_read': {'onelogin': 'HTTP 503'}, 'people': {}})
    assert unread['providers']['onelogin']['revoke'] == [] and unread['providers']['onelogin']['disable'] == []
    assert unread['providers']['onelogin']['people']['ada']['status'] == 'failed'


def test_report_and_restore_round_trip(caps):
    people = [{'name': 'ada'}]
    users = {'results': [{'_provider': {'provider': 'keystone', 'domain': 'Default'}, 'ansible_loop_var': '_provider',
                          'users': [{'id': 'u1', 'name': 'ada', 'enabled': True}]}]}
    groups = {'results': [{'_provider': {'provider': 'keystone', 'domain': 'Default'}, 'ansible_loop_var': '_provider',
                           'groups': [{'id': 'g1', 'name': 'staff', 'users': [{'id': 'u1', 'name': 'ada'}]},
                                      {'id': 'g2', 'name': 'other', 'users': [{'id': 'u2', 'name': 'bob'}]}]}]}
    grants = {'results': [{'_provider': {'provider': 'keystone', 'domain': None}, 'ansible_loop_var': '_provider',
                           'role_assignments': [
                               {'role': {'id': 'r1', 'name': 'member'}, 'user': {'id': 'u1', 'name': 'ada'},
                                'project': {'id': 'p1', 'name': 'research'}, 'inherited': False},
                               {'role': {'id': 'r1', 'name': 'member'}, 'user': {'id': 'u2', 'name': 'bob'},
                                'project': {'id': 'p1', 'name': 'research'}, 'inherited': False}]}]}
    report = f.offboarding_report(people, ['keystone'], caps, users, groups, grants, {'domain': 'Default'})
    held = report['people']['ada']['keystone']
    assert [g['name'] for g in held['groups']] == ['staff'] and len(held['assignments']) == 1
    back = f.people_from_report(report, caps)
    assert back == [{'name': 'ada', 'providers': ['keystone'], 'keystone': {
        'name': 'ada', 'domain': 'Default', 'enabled': True, 'groups': ['staff'],
        'roles': [{'role': 'r1', 'project': 'p1'}]}}]
    with pytest.raises(AnsibleFilterError, match='not an offboarding report'):
        f.people_from_report({'people': {}}, caps)


def test_tenant_links_read_recorded_kept_and_restored_from_capabilities(caps):
    # only the providers whose identity_user takes a tenant are read, once per tenant
    targets = f.tenant_targets(PROVIDERS, caps, ['ten_eu', 'ten_us', 'ten_eu'])
    assert targets == [{'provider': 'authress', 'domain': None, 'tenant': 'ten_eu'},
                       {'provider': 'authress', 'domain': None, 'tenant': 'ten_us'}]
    assert f.tenant_targets(PROVIDERS, caps, []) == []

    def listing(provider, users, key):
        return {'results': [{'_provider': {'provider': provider, 'domain': None}, 'ansible_loop_var': '_provider',
                             key: users}]}
    people = [{'name': 'ann'}, {'name': 'bob'}]
    users = listing('authress', [{'id': 'ann', 'name': 'ann'}, {'id': 'bob', 'name': 'bob'}], 'users')
    groups, grants = listing('authress', [], 'groups'), listing('authress', [], 'role_assignments')
    links = {'results': [{'_provider': targets[0], 'ansible_loop_var': '_provider', 'users': [{'id': 'ann', 'name': 'ann'}]},
                         {'_provider': targets[1], 'ansible_loop_var': '_provider', 'users': []}]}
    report = f.offboarding_report(people, ['authress'], caps, users, groups, grants, {}, links)
    ann, bob = report['people']['ann']['authress'], report['people']['bob']['authress']
    assert ann['tenant'] == 'ten_eu' and 'no API to unlink' in ann['tenant_link_kept']
    assert bob['tenant'] is None and 'tenant_link_kept' not in bob
    # without tenant reads the report is as before (no tenant key)
    assert 'tenant' not in f.offboarding_report(people, ['authress'], caps, users, groups, grants)['people']['ann']['authress']
    # the kept link is noted (refused) unless the account is deleted
    plan = f.offboarding_plan(people, ['authress'], caps, report, {})

    def unlinks(plan, name):
        return [r for r in plan['providers']['authress']['refused'].get(name, []) if r.startswith('unlink')]
    assert unlinks(plan, 'ann') == ['unlink from tenant ten_eu (%s)' % ann['tenant_link_kept']]
    assert unlinks(plan, 'bob') == []
    assert unlinks(f.offboarding_plan(people, ['authress'], caps, report, {'action': 'delete'}), 'ann') == []
    # restore links the user again
    back = dict((p['name'], p['authress']) for p in f.people_from_report(report, caps))
    assert back['ann']['tenant'] == 'ten_eu' and 'tenant' not in back['bob']
    # a tenant that could not be read: nothing recorded there, nothing revoked
    failed = {'results': [{'_provider': targets[0], 'ansible_loop_var': '_provider', 'failed': False,
                           'msg': 'HTTP 503'}]}
    unread = f.offboarding_report(people, ['authress'], caps, users, groups, grants, {}, failed)
    assert unread['not_read'] == {'authress': 'tenant ten_eu not read: HTTP 503'}


def test_people_from_csv():
    text = 'name,email,groups,enabled\nada,ada@example.com,staff; research,true\nbob,,,\n'
    assert f.people_from_csv(text) == [
        {'name': 'ada', 'email': 'ada@example.com', 'groups': ['staff', 'research'], 'enabled': True},
        {'name': 'bob'}]
    assert f.people_from_csv('name;emial\nada;x@example.com\n', ';') == [{'name': 'ada', 'emial': 'x@example.com'}]
    with pytest.raises(AnsibleFilterError, match='enabled must be true or false'):
        f.people_from_csv('name,enabled\nada,maybe\n')
    with pytest.raises(AnsibleFilterError, match='more cells'):
        f.people_from_csv('name\nada,extra\n')


def test_describe_assignment_whatever_the_provider():
    assert f.describe_assignment({'role': {'id': 'r', 'name': 'member'}, 'user': {'id': 'u'},
                                  'project': {'id': 'p', 'name': 'research'}, 'inherited': False}) == 'member on project research'
    assert f.describe_assignment({'role': {'id': 'ro_reader', 'name': 'ro_reader'}, 'user': {'id': 'ada'},
                                  'resources': ['/documents/*'], 'record': {'id': 'rec_1', 'name': 'Readers'},
                                  'raw': {}}) == 'ro_reader (record Readers) on /documents/*'
    assert f.describe_assignment({'role': {'id': 'publisher', 'name': 'publisher'}, 'user': {'id': 'g'}}) == 'publisher'


def test_generated_passwords_taken_out_and_merged():
    plan = {'providers': {'keystone': {'domain': 'corp', 'people': {'ada': {'account': 'ada.l'}}},
                          'onelogin': {'domain': None, 'people': {'ada': {'account': 'ada'}}}}}
    runs = {'results': [
        {'ansible_loop_var': '_provider', '_provider': {'provider': 'keystone'}, 'results': [
            {'changed': True, 'item': {'name': 'ada.l'}, 'generated_password': 'Pw-1', '_ansible_no_log': True},
            {'changed': False, 'item': {'name': 'bob'}}]},
        {'ansible_loop_var': '_provider', '_provider': {'provider': 'onelogin'}, 'results': [
            {'changed': True, 'item': {'name': 'ada'}, 'generated_password': 'Pw-2'}]},
        {'ansible_loop_var': '_provider', '_provider': {'provider': 'authress'}, 'failed': True, 'msg': 'down'}]}
    earlier = [{'person': 'ada', 'provider': 'onelogin', 'username': 'ada', 'password': 'Old'},
               {'person': 'eve', 'provider': 'onelogin', 'username': 'eve', 'password': 'Eve-1'}]
    out = f.generated_passwords(runs, plan, earlier)
    assert out['new'] == 2
    assert out['passwords'] == [
        {'person': 'eve', 'provider': 'onelogin', 'username': 'eve', 'password': 'Eve-1'},
        {'person': 'ada', 'provider': 'keystone', 'username': 'ada.l', 'password': 'Pw-1', 'domain': 'corp'},
        {'person': 'ada', 'provider': 'onelogin', 'username': 'ada', 'password': 'Pw-2'}]
    assert 'Pw-' not in str(out['accounts'])
    assert out['accounts']['results'][2] == runs['results'][2]
    assert f.generated_passwords({'results': []}, plan, earlier) == {'passwords': earlier, 'new': 0, 'accounts': {'results': []}}
