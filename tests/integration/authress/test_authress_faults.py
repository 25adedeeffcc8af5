"""The fault-injecting proxy in front of the Authress emulator (as one of the account's custom
domains, so the JWT's issuer is the proxy's URL): the faults Keystone gets
(tests/support/saas_faults.py, issue 8)."""

import threading
import time

import pytest

import fault_proxy as fp
import saas_faults
from authress_fixtures import access_key, authress_env, emulator, emulator_server, proxy, run_module, service_key  # noqa: F401 pylint: disable=unused-import


def test_lost_create_answer_is_not_duplicated(run_module, proxy, emulator):
    saas_faults.lost_create_answer(
        run_module, proxy, emulator, r'^/v1/groups$', 'identity_group', dict(api_url=proxy.url, name='lost'),
        lambda: len([g for g in emulator.dump()['groups'].values() if g['name'] == 'lost']))


def test_throttled_read_is_retried(run_module, proxy):
    saas_faults.throttled_read_is_retried(run_module, proxy, r'^/v1/groups$', 'identity_group_info',
                                          dict(api_url=proxy.url))


def test_html_page_to_a_listing(run_module, proxy):
    saas_faults.html_page_to_a_listing(run_module, proxy, r'^/v1/groups$', 'identity_group_info',
                                       dict(api_url=proxy.url))


# ---- every Authress write whose answer is lost (issue 19): read back, never resent blindly -----

def writes(emulator, mark, method=None):
    return [(e['method'], e['path'], e['status']) for e in emulator.entries(mark)
            if e['write'] and (method is None or e['method'] == method)]


def seed(emulator):
    emulator.seed({'users': [{'userId': u} for u in ('u_ann', 'u_bob')],
                   'roles': [{'roleId': 'ro_viewer', 'name': 'Viewer', 'permissions': []}],
                   'tenants': [{'tenantId': 'ten_corp'}],
                   'groups': [{'groupId': 'grp_ops', 'name': 'Ops', 'users': [{'userId': 'u_ann'}], 'admins': []}]})


def lost_answer_warned(run):
    assert any('was lost' in str(w) and 'read back' in str(w) for w in run.get('warnings') or []), run.result


def test_a_group_delete_whose_answer_is_lost_is_read_back_and_reported_done(run_module, proxy, emulator):
    seed(emulator)
    proxy.fault('DELETE', r'^/v1/groups/grp_ops$', fp.drop_after())
    mark = emulator.mark()
    run = run_module('identity_group', api_url=proxy.url, name='Ops', state='absent')
    assert run.get('failed') is not True and run['changed'] is True, run.result
    lost_answer_warned(run)
    assert 'grp_ops' not in emulator.dump()['groups']
    assert writes(emulator, mark) == [('DELETE', '/v1/groups/grp_ops', 204)]   # sent once, never again
    assert run_module('identity_group', name='Ops', state='absent').writes == []


def test_a_group_delete_answered_502_that_did_not_happen_fails_unchanged(run_module, proxy, emulator):
    seed(emulator)
    proxy.fault('DELETE', r'^/v1/groups/grp_ops$', fp.status(502))
    mark = emulator.mark()
    run = run_module('identity_group', api_url=proxy.url, name='Ops', state='absent')
    assert saas_faults.one_line_failure(run) and run['changed'] is False, run.result
    assert 'grp_ops' in emulator.dump()['groups'] and writes(emulator, mark) == []   # the proxy answered


def test_a_member_put_whose_answer_is_lost_is_read_back_not_sent_again(run_module, proxy, emulator):
    seed(emulator)
    proxy.fault('PUT', r'^/v1/groups/grp_ops$', fp.drop_after())
    mark = emulator.mark()
    run = run_module('identity_group', api_url=proxy.url, name='Ops', users=['u_bob'])
    assert run.get('failed') is not True and run['changed'] is True, run.result
    assert [u['userId'] for u in emulator.dump()['groups']['grp_ops']['users']] == ['u_ann', 'u_bob']
    assert writes(emulator, mark) == [('PUT', '/v1/groups/grp_ops', 200)]
    assert run_module('identity_group', name='Ops', users=['u_bob']).writes == []


def test_a_record_create_whose_answer_is_lost_is_read_back(run_module, proxy, emulator):
    seed(emulator)
    proxy.fault('POST', r'^/v1/records$', fp.drop_after())
    mark = emulator.mark()
    args = dict(user='u_ann', role='ro_viewer', resources=['/p/*'], record='Readers')
    run = run_module('identity_role_assignment', api_url=proxy.url, **args)
    assert run.get('failed') is not True and run['changed'] is True, run.result
    lost_answer_warned(run)
    active = [r for r in emulator.dump()['records'].values() if r['status'] == 'ACTIVE']
    assert len(active) == 1 and active[0]['users'] == [{'userId': 'u_ann'}]
    assert writes(emulator, mark) == [('POST', '/v1/records', 201)]
    again = run_module('identity_role_assignment', **args)
    assert again['changed'] is False and again.writes == []


def test_a_record_create_answered_502_that_did_not_happen_fails_unchanged(run_module, proxy, emulator):
    seed(emulator)
    proxy.fault('POST', r'^/v1/records$', fp.status(502))
    run = run_module('identity_role_assignment', api_url=proxy.url, user='u_ann', role='ro_viewer',
                     resources=['/p/*'], record='Readers')
    msg = saas_faults.one_line_failure(run)
    assert run['changed'] is False and 'HTTP 502' in msg, run.result
    assert emulator.dump()['records'] == {}


def test_a_record_update_and_a_record_delete_whose_answers_are_lost(run_module, proxy, emulator):
    seed(emulator)
    args = dict(user='u_ann', role='ro_viewer', resources=['/p/*'], record='Readers')
    assert run_module('identity_role_assignment', **args)['changed'] is True
    record_id = next(iter(emulator.dump()['records']))
    proxy.fault('PUT', r'^/v1/records/', fp.drop_after())
    mark = emulator.mark()
    grown = run_module('identity_role_assignment', api_url=proxy.url, **dict(args, user='u_bob'))
    assert grown.get('failed') is not True and grown['changed'] is True, grown.result
    assert writes(emulator, mark) == [('PUT', '/v1/records/' + record_id, 202)]
    assert sorted(u['userId'] for u in emulator.dump()['records'][record_id]['users']) == ['u_ann', 'u_bob']
    # both revoked: the managed record becomes empty and is deleted; that answer is lost too
    proxy.fault('DELETE', r'^/v1/records/', fp.drop_after())
    mark = emulator.mark()
    gone = run_module('identity_role_assignment', api_url=proxy.url, assignments=[
        dict(args, state='absent'), dict(args, user='u_bob', state='absent')])
    assert gone.get('failed') is not True and gone['changed'] is True, gone.result
    lost_answer_warned(gone)
    assert emulator.dump()['records'][record_id]['status'] == 'DELETED'
    assert writes(emulator, mark) == [('DELETE', '/v1/records/' + record_id, 204)]


def test_a_user_delete_whose_answer_is_lost_is_read_back(run_module, proxy, emulator):
    seed(emulator)
    proxy.fault('DELETE', r'^/v1/users/u_bob$', fp.drop_after())
    mark = emulator.mark()
    run = run_module('identity_user', api_url=proxy.url, name='u_bob', state='absent', wait_timeout=10)
    assert run.get('failed') is not True and run['changed'] is True, run.result
    lost_answer_warned(run)
    assert 'u_bob' not in emulator.dump()['users']
    # the user was still there (an asynchronous delete under way): sent once more, answered 202 or 404
    sent = writes(emulator, mark)
    assert sent[0] == ('DELETE', '/v1/users/u_bob', 202) and len(sent) <= 2, sent
    assert run_module('identity_user', name='u_bob', state='absent').writes == []


def test_a_tenant_link_whose_answer_is_lost_is_resent_safely(run_module, proxy, emulator):
    # linking a user to a tenant sets it (PATCH): sending it twice is the same as once, so the client resends it
    seed(emulator)
    proxy.fault('PATCH', r'^/v1/tenants/ten_corp/users$', fp.drop_after())
    mark = emulator.mark()
    run = run_module('identity_user', api_url=proxy.url, name='u_ann', tenant='ten_corp')
    assert run.get('failed') is not True and run['changed'] is True, run.result
    assert emulator.dump()['user_tenant'] == {'u_ann': 'ten_corp'}
    assert writes(emulator, mark) == [('PATCH', '/v1/tenants/ten_corp/users', 204)] * 2
    assert run_module('identity_user', name='u_ann', tenant='ten_corp').writes == []


def test_a_tenant_create_whose_answer_is_lost_is_read_back(run_module, proxy, emulator):
    seed(emulator)
    proxy.fault('POST', r'^/v1/tenants$', fp.drop_after())
    mark = emulator.mark()
    args = dict(domain='ten_new', config={'tenant': {'name': 'New', 'domains': ['new.example.com']}})
    run = run_module('identity_domain_config', api_url=proxy.url, **args)
    assert run.get('failed') is not True and run['changed'] is True, run.result
    lost_answer_warned(run)
    assert emulator.dump()['tenants']['ten_new']['domains'] == [{'domain': 'new.example.com'}]
    assert writes(emulator, mark) == [('POST', '/v1/tenants', 201)]
    again = run_module('identity_domain_config', **args)
    assert again['changed'] is False and again.writes == []


def test_a_group_create_answered_502_that_did_not_happen_fails_unchanged(run_module, proxy, emulator):
    seed(emulator)
    proxy.fault('POST', r'^/v1/groups$', fp.status(502))
    run = run_module('identity_group', api_url=proxy.url, name='New')
    assert saas_faults.one_line_failure(run) and run['changed'] is False, run.result
    assert [g['name'] for g in emulator.dump()['groups'].values()] == ['Ops']


def test_a_group_create_answered_with_an_html_page_is_looked_up(run_module, proxy, emulator):
    seed(emulator)
    proxy.fault('POST', r'^/v1/groups$', fp.html())
    run = run_module('identity_group', api_url=proxy.url, name='New')
    assert saas_faults.one_line_failure(run) and run['changed'] is False, run.result
    assert [g['name'] for g in emulator.dump()['groups'].values()] == ['Ops']


@pytest.mark.parametrize('path, module, args', [
    (r'^/v1/groups$', 'identity_group', dict(name='New')),
    (r'^/v1/records$', 'identity_role_assignment', dict(user='u_ann', role='ro_viewer', resources=['/p'], record='R')),
    (r'^/v1/tenants$', 'identity_domain_config', dict(domain='ten_new', config={'tenant': {'name': 'New'}})),
])
def test_a_create_whose_connection_dropped_before_the_server_saw_it_fails_unchanged(run_module, proxy, emulator, path,
                                                                                    module, args):
    seed(emulator)
    before = emulator.dump()
    proxy.fault('POST', path, fp.drop_before())
    mark = emulator.mark()
    run = run_module(module, api_url=proxy.url, **args)
    assert saas_faults.one_line_failure(run) and run['changed'] is False, run.result
    assert writes(emulator, mark) == []
    after = emulator.dump()
    assert (after['groups'], after['records'], after['tenants']) == (before['groups'], before['records'], before['tenants'])


def test_a_tenant_created_by_another_run_meanwhile_is_updated_not_failed(run_module, proxy, emulator):
    # the module's GET of the tenant is answered 404 but held 2 s; meanwhile (once the proxy has
    # that GET, however long the module took to start) another run creates the tenant: the module's
    # POST is answered 409, and it updates that tenant to what the task wants
    seed(emulator)
    held = proxy.fault('GET', r'^/v1/tenants/ten_new$', fp.slow_answer(2.0))
    done = threading.Event()

    def other_run():
        while not done.is_set() and held.seen < 1:
            time.sleep(0.01)
        if not done.is_set() and not done.wait(0.5):   # the 404 is read upstream, its answer held
            emulator.seed({'tenants': [{'tenantId': 'ten_new', 'data': {'name': 'Other'}}]})

    other = threading.Thread(target=other_run, daemon=True)
    other.start()
    try:
        mark = emulator.mark()
        run = run_module('identity_domain_config', api_url=proxy.url, domain='ten_new',
                         config={'tenant': {'name': 'New', 'domains': ['new.example.com']}})
    finally:
        done.set()
        other.join()
    assert run.get('failed') is not True and run['changed'] is True, run.result
    assert any('created by someone else meanwhile' in str(w) for w in run.get('warnings') or []), run.result
    tenant = emulator.dump()['tenants']['ten_new']
    assert tenant['data'] == {'name': 'New'} and tenant['domains'] == [{'domain': 'new.example.com'}]
    assert writes(emulator, mark) == [('POST', '/v1/tenants', 409), ('PUT', '/v1/tenants/ten_new', 200)]
