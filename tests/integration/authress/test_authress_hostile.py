"""Hostile and ambiguous input to the Authress provider (issue 19): refused with one clear message
before any write (before any request where nothing needs reading), never resolved by a guess.

The rule for references (the ``authress`` doc fragment's notes): a value is compared exactly with
every group's (record's) ID and name; several matches are refused, naming each candidate.
"""

import pytest

import saas_faults
from authress_fixtures import access_key, authress_env, emulator, emulator_server, run_module, service_key  # noqa: F401 pylint: disable=unused-import
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress._model import stable_ids  # noqa: E402


def seed(emulator):
    emulator.seed({'users': [{'userId': u} for u in ('u_ann', 'u_bob')],
                   'roles': [{'roleId': 'ro_viewer', 'name': 'Viewer', 'permissions': []}],
                   'tenants': [{'tenantId': 'ten_corp'}],
                   'groups': [{'groupId': 'grp_ops', 'name': 'Ops', 'users': [], 'admins': []},
                              # a group whose NAME is the other group's ID
                              {'groupId': 'grp_imposter', 'name': 'grp_ops', 'users': [{'userId': 'u_ann'}],
                               'admins': []}]})


def refused(run):
    msg = saas_faults.one_line_failure(run)
    assert run.writes == [] and run['changed'] is False, run.result
    return msg


def test_a_group_name_equal_to_another_groups_id_is_ambiguous(emulator, run_module):
    seed(emulator)
    before = emulator.dump()['groups']
    msg = refused(run_module('identity_group', name='grp_ops', users=['u_bob']))
    assert "'grp_ops' is ambiguous" in msg and "grp_imposter 'grp_ops'" in msg and "grp_ops 'Ops'" in msg, msg
    msg = refused(run_module('identity_user', name='u_ann', groups=['grp_ops']))
    assert 'grp_imposter' in msg and "grp_ops 'Ops'" in msg, msg
    # u_ann is in one of them already: the groups a user holds are no shortcut
    msg = refused(run_module('identity_user', name='u_ann', groups=['grp_ops'], purge_groups=True))
    assert 'grp_imposter' in msg and "grp_ops 'Ops'" in msg, msg
    msg = refused(run_module('identity_role_assignment', group='grp_ops', role='ro_viewer', resources=['/p'],
                             record='R'))
    assert 'ambiguous' in msg and 'grp_imposter' in msg, msg
    assert emulator.dump()['groups'] == before
    # each group is still reached by a reference only it matches
    ops = run_module('identity_group', name='Ops', users=['u_bob'])
    assert ops.get('failed') is not True, ops.result
    assert ops['changed'] is True and ops['group']['id'] == 'grp_ops'
    imposter = run_module('identity_group', name='grp_imposter', users=['u_ann'])
    assert imposter['group']['id'] == 'grp_imposter'
    assert [u['userId'] for u in emulator.dump()['groups']['grp_imposter']['users']] == ['u_ann']
    assert [u['userId'] for u in emulator.dump()['groups']['grp_ops']['users']] == ['u_bob']


def test_two_groups_of_one_name_are_refused_naming_both(emulator, run_module):
    seed(emulator)
    emulator.seed({'groups': [{'groupId': 'grp_twin', 'name': 'Ops', 'users': [], 'admins': []}]})
    msg = refused(run_module('identity_group', name='Ops', state='absent'))
    assert 'grp_ops' in msg and 'grp_twin' in msg, msg
    assert set(emulator.dump()['groups']) == {'grp_ops', 'grp_imposter', 'grp_twin'}


def test_a_record_name_equal_to_another_records_id_is_ambiguous(emulator, run_module):
    seed(emulator)
    statement = [{'roles': ['ro_viewer'], 'resources': [{'resourceUri': '/p'}]}]
    emulator.seed({'records': [{'recordId': 'rec_a', 'name': 'A', 'users': [{'userId': 'u_ann'}], 'statements': statement},
                               {'recordId': 'rec_b', 'name': 'rec_a', 'users': [{'userId': 'u_ann'}],
                                'statements': statement}]})
    msg = refused(run_module('identity_role_assignment', user='u_bob', role='ro_viewer', resources=['/p'], record='rec_a'))
    assert "'rec_a' is ambiguous" in msg and 'rec_b' in msg and "rec_a 'A'" in msg, msg


def test_case_variants_are_two_groups_in_authress(emulator, run_module):
    # Authress compares names exactly (the provider declares case_insensitive_names = False): a
    # batch naming "Team" and "team" names two groups, and each is found by its own spelling only
    seed(emulator)
    groups = [dict(name='Team', users=['u_ann']), dict(name='team', users=['u_bob'])]
    first = run_module('identity_group', groups=groups)
    assert first['changed'] is True
    stored = dict((g['name'], [u['userId'] for u in g['users']]) for g in emulator.dump()['groups'].values())
    assert stored['Team'] == ['u_ann'] and stored['team'] == ['u_bob']
    again = run_module('identity_group', groups=groups)
    assert again['changed'] is False and again.writes == []
    assert run_module('identity_group', name='TEAM', state='absent')['changed'] is False


@pytest.mark.parametrize('module, args, needle', [
    ('identity_user', dict(name='u_ann', state='absent', wait_timeout=-1), 'wait_timeout: -1 is not a number of seconds above 0'),
    ('identity_user', dict(name='u_ann', state='absent', wait_timeout=0), 'wait_timeout: 0 is not'),
    ('identity_user', dict(users=[dict(name='u_ann'), dict(name='u_bob')], state='absent', wait_timeout=-5),
     'wait_timeout: -5 is not'),
    ('identity_user', dict(users=[dict(name='u_ann'), dict(name='v' * 129)], tenant='ten_corp'),
     'users[1].name: a userId is at most 128'),
    ('identity_user', dict(name='u' * 129, tenant='ten_corp'), 'name: a userId is at most 128 characters'),
    ('identity_group', dict(name='g' * 129), 'name: a group name (or groupId) is at most 128 characters'),
    ('identity_group', dict(name='big', users=['u%d' % i for i in range(101)]), 'users: a group holds at most 100'),
    ('identity_group', dict(name='big', admins=['u%d' % i for i in range(101)]), 'admins: a group has at most 100'),
    ('identity_group', dict(groups=[dict(name='ok'), dict(name='x' * 200)]), 'groups[1].name'),
    ('identity_role_assignment', dict(user='u_ann', role='ro_viewer', resources=['/' + 'p' * 512], record='R'),
     'a resource URI is at most 512 characters'),
    ('identity_role_assignment', dict(user='u_ann', role='r' * 65, resources=['/p'], record='R'),
     'role: a roleId is at most 64 characters'),
    ('identity_role_assignment', dict(user='u_ann', role='ro_viewer', resources=['/p'], record='R' * 129),
     'record: an access record name (or recordId) is at most 128'),
    ('identity_role_assignment', dict(user='u_ann', role='ro_viewer', resources=['/p/%d' % i for i in range(101)],
                                      record='R'), 'resources: one grant takes resources at most 100'),
    ('identity_role_assignment', dict(assignments=[dict(user='u_ann', role='ro_viewer', resources=['/p'], record='R'),
                                                   dict(user='u_bob', role='ro_viewer', resources=[' '], record='R')]),
     "assignments[1].resources: ' ' is not a resource URI"),
    ('identity_user_info', dict(filters={'filter': 'f' * 65}), 'filters.filter: a user search is at most 64'),
])
def test_a_value_over_an_authress_bound_is_refused_before_any_request(emulator, run_module, module, args, needle):
    seed(emulator)
    mark = emulator.mark()
    run = run_module(module, **args)
    msg = saas_faults.one_line_failure(run)
    assert needle in msg, msg
    assert emulator.entries(mark) == [] and run.get('changed', False) is False


def test_a_tenant_over_its_bounds_is_refused_before_any_write(emulator, run_module):
    seed(emulator)
    for config, needle in (({'tenant': {'lookup_identifier': 'l' * 65}}, 'lookup_identifier is at most 64'),
                           ({'tenant': {'name': 'n' * 65}}, 'name is at most 64')):
        run = run_module('identity_domain_config', domain='ten_new', config=config)
        assert needle in saas_faults.one_line_failure(run) and run.writes == []
    assert sorted(emulator.dump()['tenants']) == ['ten_corp']


def test_a_stable_id_held_by_a_renamed_group_is_skipped(emulator, run_module):
    seed(emulator)
    first, second = stable_ids('grp_', 'group', 'New')[:2]
    emulator.seed({'groups': [{'groupId': first, 'name': 'Renamed', 'users': [{'userId': 'u_ann'}], 'admins': []}]})
    run = run_module('identity_group', name='New', users=['u_bob'])
    assert run['changed'] is True and run['group']['id'] == second
    groups = emulator.dump()['groups']
    assert groups[first]['name'] == 'Renamed' and groups[first]['users'] == [{'userId': 'u_ann'}]   # untouched
    assert groups[second]['name'] == 'New' and groups[second]['users'] == [{'userId': 'u_bob'}]
    assert [(w['method'], w['path']) for w in run.writes] == [('POST', '/v1/groups'), ('PUT', '/v1/groups/' + second)]
    assert run_module('identity_group', name='New', users=['u_bob']).writes == []
