"""identity_user against a real scim2-server: create, update (PATCH Operations), disable
(active), delete; idempotent reruns and check mode send no write (the server's request log);
state read back with plain requests (conftest Admin)."""

import json

import pytest


PASSWORD = 'it-scim-Passw0rd-31f7'


def writes(run):
    return [(e.method, e.path) for e in run.writes]


def primary(resource):
    return next(e['value'] for e in resource['emails'] if e.get('primary'))


def test_create_sends_one_post_and_the_server_holds_every_attribute(run_module, admin):
    run = run_module('identity_user', name='jdoe', email='jdoe@example.com', first_name='Jane', last_name='Doe',
                     title='Payroll clerk', external_id='hr-4711', password=PASSWORD, _diff=True)
    assert run['changed'] is True, run.result
    assert writes(run) == [('POST', '/v2/Users')]
    # the ServiceProviderConfig is read once, before the first lookup: no write, one GET
    assert [e.path for e in run.entries].count('/v2/ServiceProviderConfig') == 1
    held = admin.user('jdoe')
    assert held['name'] == {'givenName': 'Jane', 'familyName': 'Doe'}
    assert primary(held) == 'jdoe@example.com'
    assert (held['title'], held['externalId']) == ('Payroll clerk', 'hr-4711')
    assert 'password' not in held   # write-only (returned: never)
    assert run['user']['id'] == held['id'] and run['user']['enabled'] is True
    assert run['diff']['after']['password'] == '********'
    assert PASSWORD not in json.dumps(run.result)


def test_rerun_and_check_mode_send_no_write(run_module, admin):
    args = dict(name='jdoe', email='jdoe@example.com', first_name='Jane', title='Clerk', enabled=True)
    first = run_module('identity_user', **args)
    assert first['changed'] is True and len(first.writes) == 1
    again = run_module('identity_user', **args)
    assert again['changed'] is False and again.writes == []
    checked = run_module('identity_user', _check=True, _diff=True, **dict(args, title='Senior clerk'))
    assert checked['changed'] is True and checked.writes == []
    assert checked['diff'] == {'before': {'title': 'Clerk'}, 'after': {'title': 'Senior clerk'}}
    assert admin.user('jdoe')['title'] == 'Clerk'


def test_check_mode_create_predicts_and_writes_nothing(run_module, admin):
    run = run_module('identity_user', name='newbie', email='n@example.com', _check=True)
    assert run['changed'] is True and run.writes == []
    assert run['user']['id'] is None and run['user']['enabled'] is True
    assert admin.user('newbie') is None


def test_update_is_one_patch_of_only_what_differs(run_module, admin):
    seeded = admin.make_user('asmith', name={'givenName': 'Ann'}, title='Dev', active=True,
                             emails=[{'value': 'old@example.com', 'primary': True, 'type': 'work'},
                                     {'value': 'home@example.com', 'type': 'home'}])
    run = run_module('identity_user', name='asmith', email='new@example.com', title='Lead', first_name='Ann',
                     _diff=True)
    assert run['changed'] is True
    assert writes(run) == [('PATCH', '/v2/Users/%s' % seeded['id'])]
    assert run['diff'] == {'before': {'email': 'old@example.com', 'title': 'Dev'},
                           'after': {'email': 'new@example.com', 'title': 'Lead'}}
    held = admin.user('asmith')
    assert held['title'] == 'Lead'
    assert sorted(e['value'] for e in held['emails']) == ['home@example.com', 'new@example.com']
    assert primary(held) == 'new@example.com'


def test_disable_and_enable_set_active(run_module, admin):
    admin.make_user('leaver', active=True)
    run = run_module('identity_user', name='leaver', enabled=False)
    assert run['changed'] is True and [m for m, _p in writes(run)] == ['PATCH']
    assert admin.user('leaver')['active'] is False
    again = run_module('identity_user', name='leaver', enabled=False)
    assert again['changed'] is False and again.writes == []
    back = run_module('identity_user', name='leaver', enabled=True)
    assert back['changed'] is True and admin.user('leaver')['active'] is True


def test_delete_then_rerun(run_module, admin):
    seeded = admin.make_user('gone')
    checked = run_module('identity_user', name='gone', state='absent', _check=True)
    assert checked['changed'] is True and checked.writes == []
    assert admin.user('gone') is not None
    run = run_module('identity_user', name='gone', state='absent')
    assert run['changed'] is True and writes(run) == [('DELETE', '/v2/Users/%s' % seeded['id'])]
    assert admin.user('gone') is None
    again = run_module('identity_user', name='gone', state='absent')
    assert again['changed'] is False and again.writes == []


def test_a_case_variant_the_server_matches_is_that_user_never_renamed(run_module, admin):
    admin.make_user('MixedCase', title='x')
    run = run_module('identity_user', name='mixedcase', title='x')
    assert run['changed'] is False and run.writes == []
    assert run['user']['name'] == 'MixedCase'


def test_password_update_always_is_a_patch_and_never_shown(run_module, admin):
    admin.make_user('pw')
    run = run_module('identity_user', name='pw', password=PASSWORD, update_password='always', _diff=True)
    assert run['changed'] is True and [m for m, _p in writes(run)] == ['PATCH']
    assert PASSWORD not in json.dumps(run.result)
    on_create = run_module('identity_user', name='pw', password=PASSWORD)
    assert on_create['changed'] is False and on_create.writes == []


def test_batch_onboarding_then_offboarding(run_module, admin):
    users = [{'name': 'b%d' % i, 'email': 'b%d@example.com' % i} for i in range(3)]
    run = run_module('identity_user', users=users)
    assert run['changed'] is True and [m for m, _p in writes(run)] == ['POST'] * 3
    # one count (count=0) and one listing instead of a filter per user
    reads = [e.query for e in run.entries if e.method == 'GET' and e.path == '/v2/Users']
    assert len(reads) == 2 and 'count=0' in reads[0] and not any('filter' in q for q in reads), reads
    assert sorted(u['userName'] for u in admin.users()) == ['b0', 'b1', 'b2']
    again = run_module('identity_user', users=users)
    assert again['changed'] is False and again.writes == []
    off = run_module('identity_user', enabled=False, users=[{'name': u['name']} for u in users])
    assert [m for m, _p in writes(off)] == ['PATCH'] * 3
    assert all(u['active'] is False for u in admin.users())


def test_info_lists_filters_and_counts(run_module, admin):
    admin.make_user('ann', active=True, title='dev')
    admin.make_user('bob', active=False, title='dev')
    admin.make_user('cat', active=True, title='ops')
    listed = run_module('identity_user_info', filters={'title': 'dev'})
    assert sorted(u['name'] for u in listed['users']) == ['ann', 'bob']
    assert all(u['raw']['meta']['resourceType'] == 'User' for u in listed['users'])
    expression = run_module('identity_user_info', filters={'filter': 'userName sw "a" or userName sw "c"'})
    assert sorted(u['name'] for u in expression['users']) == ['ann', 'cat']
    counted = run_module('identity_user_info', filters={'active': True}, count=True)
    assert counted['count'] == 2
    assert counted.writes == [] and listed.writes == []


def test_paging_reads_every_page(run_module, admin, provider):
    for i in range(105):   # more than one page of 100
        admin.make_user('p%03d' % i)
    listed = run_module('identity_user_info')
    assert len(listed['users']) == 105
    pages = [e for e in listed.entries if e.path == '/v2/Users']
    assert len(pages) == 2 and 'startIndex=101' in pages[1].query


def test_a_version_changed_since_read_is_refused_with_412_not_overwritten(provider, admin):
    from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError
    admin.make_user('raced', title='first')
    scim = provider()
    user = scim.find_user('raced')
    held = admin.user('raced')
    admin.put('Users', dict(held, title='changed meanwhile'))
    with pytest.raises(APIError) as caught:
        scim.update_user(user, {'title': 'mine'})
    assert caught.value.status == 412
    assert 'changed on the server since this run read it' in str(caught.value)
    assert admin.user('raced')['title'] == 'changed meanwhile'


ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'


def test_enterprise_extension_department_company_manager(run_module, admin):
    boss = admin.make_user('boss')
    run = run_module('identity_user', name='emp', department='Payroll', company='ACME', manager='boss')
    assert run['changed'] is True and [m for m, _p in writes(run)] == ['POST']
    held = admin.user('emp')
    assert ENTERPRISE in held['schemas']
    assert held[ENTERPRISE] == {'department': 'Payroll', 'organization': 'ACME', 'manager': {'value': boss['id']}}
    assert run['user']['manager'] == boss['id'] and run['user']['company'] == 'ACME'
    again = run_module('identity_user', name='emp', department='Payroll', company='ACME', manager=boss['id'])
    assert again['changed'] is False and again.writes == []
    moved = run_module('identity_user', name='emp', department='HR', company='', _diff=True)
    assert [m for m, _p in writes(moved)] == ['PATCH']
    assert moved['diff'] == {'before': {'department': 'Payroll', 'company': 'ACME'},
                             'after': {'department': 'HR', 'company': ''}}
    assert admin.user('emp')[ENTERPRISE] == {'department': 'HR', 'manager': {'value': boss['id']}}
    missing = run_module('identity_user', name='emp', manager='nobody')
    assert missing.get('failed') is True and "user 'nobody' not found" in missing['msg'] and missing.writes == []


def test_info_by_id_and_by_name(run_module, admin):
    ann = admin.make_user('ann', title='dev')
    by_id = run_module('identity_user_info', name=ann['id'])
    assert [u['name'] for u in by_id['users']] == ['ann'] and by_id['users'][0]['raw']['id'] == ann['id']
    by_name = run_module('identity_user_info', name='ann', filters={'title': 'ops'})
    assert by_name['users'] == []     # the user, if the filters keep it
    none = run_module('identity_user_info', name='nobody')
    assert none['users'] == [] and none.get('failed') is not True
    counted = run_module('identity_user_info', count=True)
    assert counted['count'] == 1 and any('count=0' in e.query for e in counted.entries)
