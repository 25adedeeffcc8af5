"""identity_group, identity_group_info and identity_user's groups against a real Keystone.

State is read back with the independent ``admin`` client; request lists come from Keystone's
access log.
"""

import pytest

from conftest import refuses_subgroups

TOKEN = ('POST', '/v3/auth/tokens')


def methods(entries):
    return [(e.method, e.path) for e in entries]


def make_group(admin, name, domain_id='default', description=None, members=()):
    body = {'name': name, 'domain_id': domain_id}
    if description is not None:
        body['description'] = description
    group = admin.post('/groups', {'group': body})['group']
    for user in members:
        admin.put('/groups/%s/users/%s' % (group['id'], user['id']))
    return group


def find_group(admin, name, domain_id='default'):
    found = admin.get('/groups', name=name, domain_id=domain_id)['groups']
    return found[0] if found else None


def member_ids(admin, group):
    return sorted(u['id'] for u in admin.get('/groups/%s/users' % group['id'])['users'])


def group_ids_of(admin, user):
    return sorted(g['id'] for g in admin.get('/users/%s/groups' % user['id'])['groups'])


def users(admin, prefix, uniq, count, domain_id='default'):
    return [admin.make_user('%s%d-%s' % (prefix, i, uniq), domain_id) for i in range(count)]


# ---- identity_group: single form -------------------------------------------------------------

def test_create_with_members_then_identical_rerun(run_module, admin, uniq):
    people = users(admin, 'm', uniq, 3)
    name = 'grp-' + uniq
    args = dict(name=name, description='Payroll team', users=[u['name'] for u in people])
    first = run_module('identity_group', _diff=True, **args)
    assert first['changed'] is True
    group = find_group(admin, name)
    assert group is not None and group['description'] == 'Payroll team'
    assert member_ids(admin, group) == sorted(u['id'] for u in people)
    assert first['group'] == {'id': group['id'], 'name': name, 'domain_id': 'default',
                              'description': 'Payroll team'}
    assert first['members'] == [{'id': u['id'], 'name': u['name'], 'domain_id': 'default'} for u in people]
    assert first['diff'] == {'before': {'users': []},
                             'after': {'name': name, 'description': 'Payroll team',
                                       'users': [u['name'] for u in people]}}
    # token, group lookup, one lookup per new member (before any write), create, one PUT each
    assert methods(first.entries) == [TOKEN, ('GET', '/v3/groups')] + [('GET', '/v3/users')] * 3 + [
        ('POST', '/v3/groups')] + [('PUT', '/v3/groups/%s/users/%s' % (group['id'], u['id'])) for u in people]

    again = run_module('identity_group', _diff=True, **args)
    assert again['changed'] is False
    assert again.writes == []
    # members are matched in the one membership listing: no user lookup at all
    assert methods(again.entries) == [TOKEN, ('GET', '/v3/groups'), ('GET', '/v3/groups/%s/users' % group['id'])]
    assert again['diff'] == {'before': {}, 'after': {}}
    assert again['members'] == first['members']
    # the same members given by ID are recognised too
    by_id = run_module('identity_group', name=name, users=[u['id'] for u in people])
    assert by_id['changed'] is False and by_id.writes == []
    assert len(by_id.entries) == 3


def test_description_update_only_patches(run_module, admin, uniq):
    name = 'desc-' + uniq
    group = make_group(admin, name, description='old')
    result = run_module('identity_group', name=name, description='new', _diff=True)
    assert result['changed'] is True
    assert find_group(admin, name)['description'] == 'new'
    assert result['diff'] == {'before': {'description': 'old'}, 'after': {'description': 'new'}}
    assert methods(result.writes) == [('PATCH', '/v3/groups/' + group['id'])]
    assert result['group']['description'] == 'new' and 'members' not in result
    again = run_module('identity_group', name=name, description='new')
    assert again['changed'] is False and again.writes == []
    # membership is not read when users is not given
    assert methods(again.entries) == [TOKEN, ('GET', '/v3/groups')]


def test_add_members_then_purge_exactly_the_unlisted(run_module, admin, uniq):
    a, b, c, d = users(admin, 'p', uniq, 4)
    name = 'purge-' + uniq
    group = make_group(admin, name, members=[a, b])
    path = '/v3/groups/%s/users/' % group['id']

    added = run_module('identity_group', name=name, users=[b['name'], c['name']], _diff=True)
    assert added['changed'] is True
    assert member_ids(admin, group) == sorted([a['id'], b['id'], c['id']])
    assert methods(added.writes) == [('PUT', path + c['id'])]
    assert added['diff'] == {'before': {'users': [a['name'], b['name']]},
                             'after': {'users': [a['name'], b['name'], c['name']]}}
    # b is matched in the membership listing; only c is looked up
    assert methods(added.entries) == [TOKEN, ('GET', '/v3/groups'), ('GET', path.rstrip('/')),
                                      ('GET', '/v3/users'), ('PUT', path + c['id'])]

    purged = run_module('identity_group', name=name, users=[a['name'], d['id']], purge_users=True, _diff=True)
    assert purged['changed'] is True
    assert member_ids(admin, group) == sorted([a['id'], d['id']])
    writes = methods(purged.writes)
    assert writes[0] == ('PUT', path + d['id'])
    assert sorted(writes[1:]) == sorted([('DELETE', path + b['id']), ('DELETE', path + c['id'])])
    assert purged['diff'] == {'before': {'users': [a['name'], b['name'], c['name']]},
                              'after': {'users': [a['name'], d['name']]}}
    assert [m['id'] for m in purged['members']] == [a['id'], d['id']]

    again = run_module('identity_group', name=name, users=[a['name'], d['id']], purge_users=True)
    assert again['changed'] is False and again.writes == []

    emptied = run_module('identity_group', name=name, users=[], purge_users=True)
    assert emptied['changed'] is True and member_ids(admin, group) == []
    assert sorted(methods(emptied.writes)) == sorted([('DELETE', path + a['id']), ('DELETE', path + d['id'])])


def test_users_of_another_domain(run_module, admin, uniq):
    other = admin.make_domain('gdom-' + uniq)
    twin = 'twin-' + uniq
    home_twin = admin.make_user(twin)                 # same name in Default: must not be picked
    away_twin = admin.make_user(twin, other['id'])
    away_only = admin.make_user('away-' + uniq, other['id'])
    name = 'xdom-' + uniq
    result = run_module('identity_group', name=name, users=[{'name': twin, 'domain': other['name']}])
    assert result['changed'] is True
    group = find_group(admin, name)
    assert member_ids(admin, group) == [away_twin['id']]
    assert home_twin['id'] not in member_ids(admin, group)
    assert result['members'] == [{'id': away_twin['id'], 'name': twin, 'domain_id': other['id']}]

    # users_domain: plain names looked up in that domain; a dict overrides it
    more = run_module('identity_group', name=name, users_domain=other['id'],
                      users=[twin, away_only['name'], {'name': twin, 'domain': 'Default'}])
    assert more['changed'] is True
    assert member_ids(admin, group) == sorted([away_twin['id'], away_only['id'], home_twin['id']])
    path = '/v3/groups/%s/users/' % group['id']
    assert methods(more.writes) == [('PUT', path + away_only['id']), ('PUT', path + home_twin['id'])]

    listed = [{'name': twin, 'domain': other['name']}, twin, {'name': away_only['name'], 'domain': other['id']}]
    again = run_module('identity_group', name=name, users=listed, purge_users=True)
    assert again['changed'] is False and again.writes == []
    # the other domain is resolved once (cached); members matched without user lookups
    assert methods(again.entries) == [TOKEN, ('GET', '/v3/groups'), ('GET', path.rstrip('/')), ('GET', '/v3/domains')]


def test_check_mode_create_add_purge_delete(run_module, admin, uniq):
    a, b, c = users(admin, 'ck', uniq, 3)
    name = 'chk-' + uniq
    created = run_module('identity_group', name=name, description='d', users=[a['name'], b['id']],
                         _check=True, _diff=True)
    assert created['changed'] is True and created.writes == []
    assert find_group(admin, name) is None
    assert created['group'] == {'id': None, 'name': name, 'domain_id': 'default', 'description': 'd'}
    assert [m['id'] for m in created['members']] == [a['id'], b['id']]
    assert created['diff'] == {'before': {'users': []},
                               'after': {'name': name, 'description': 'd', 'users': [a['name'], b['name']]}}

    group = make_group(admin, name, description='d', members=[a])
    add = run_module('identity_group', name=name, users=[b['name']], _check=True, _diff=True)
    assert add['changed'] is True and add.writes == []
    assert member_ids(admin, group) == [a['id']]
    assert add['diff'] == {'before': {'users': [a['name']]}, 'after': {'users': sorted([a['name'], b['name']])}}
    assert sorted(m['id'] for m in add['members']) == sorted([a['id'], b['id']])

    purge = run_module('identity_group', name=name, users=[c['name']], purge_users=True, _check=True, _diff=True)
    assert purge['changed'] is True and purge.writes == []
    assert member_ids(admin, group) == [a['id']]
    assert purge['diff'] == {'before': {'users': [a['name']]}, 'after': {'users': [c['name']]}}
    assert [m['id'] for m in purge['members']] == [c['id']]

    noop = run_module('identity_group', name=name, users=[a['name']], _check=True)
    assert noop['changed'] is False and noop.writes == []

    deleted = run_module('identity_group', name=name, state='absent', _check=True, _diff=True)
    assert deleted['changed'] is True and deleted.writes == []
    assert find_group(admin, name) is not None
    assert deleted['diff'] == {'before': {'id': group['id'], 'name': name, 'domain_id': 'default', 'description': 'd'},
                               'after': {}}


def test_absent_on_present_and_missing_group(run_module, admin, uniq):
    person = admin.make_user('keep-' + uniq)
    name = 'gone-' + uniq
    group = make_group(admin, name, members=[person])
    result = run_module('identity_group', name=name, state='absent', _diff=True)
    assert result['changed'] is True
    assert admin.get('/groups/' + group['id']) is None
    assert admin.get('/users/' + person['id']) is not None   # members' accounts stay
    assert methods(result.writes) == [('DELETE', '/v3/groups/' + group['id'])]
    assert result['group']['id'] == group['id']
    assert result['diff']['before']['name'] == name and result['diff']['after'] == {}

    again = run_module('identity_group', name=name, state='absent', _diff=True)
    assert again['changed'] is False and again.writes == [] and again['group'] is None
    assert again['diff'] == {'before': {}, 'after': {}}
    gone_domain = run_module('identity_group', name=name, domain='nodomain-' + uniq, state='absent')
    assert gone_domain['changed'] is False and gone_domain['group'] is None


def assert_clean_failure(run, expected):
    assert run.get('failed') is True, run.result
    assert 'exception' not in run.result and 'Traceback' not in run.stderr
    assert '\n' not in run['msg']
    assert expected in run['msg'], run['msg']


def test_unknown_user_fails_before_any_write(run_module, admin, uniq):
    known = admin.make_user('known-' + uniq)
    name = 'unk-' + uniq
    run = run_module('identity_group', name=name, description='x', users=[known['name'], 'nobody-' + uniq])
    assert_clean_failure(run, "keystone: user 'nobody-%s' not found in domain 'Default'" % uniq)
    assert run.writes == [] and find_group(admin, name) is None

    group = make_group(admin, name, description='old')
    run = run_module('identity_group', name=name, description='new', users=[known['name'], 'nobody-' + uniq])
    assert_clean_failure(run, "keystone: user 'nobody-%s' not found in domain 'Default'" % uniq)
    assert run.writes == []
    assert find_group(admin, name)['description'] == 'old' and member_ids(admin, group) == []

    other = admin.make_domain('udom-' + uniq)
    run = run_module('identity_group', name=name, users=[{'name': known['name'], 'domain': other['name']}])
    assert_clean_failure(run, "keystone: user '%s' not found in domain '%s'" % (known['name'], other['name']))
    assert run.writes == []


def test_unknown_domain_and_bad_member_items(run_module, uniq):
    run = run_module('identity_group', name='g-' + uniq, domain='nodomain-' + uniq)
    assert_clean_failure(run, "keystone: domain 'nodomain-%s' not found (looked up by name and by id)" % uniq)
    assert run.writes == []
    run = run_module('identity_group', name='g-' + uniq, users=['x'], users_domain='nodomain-' + uniq)
    assert_clean_failure(run, "keystone: domain 'nodomain-%s' not found" % uniq)
    assert run.writes == []
    run = run_module('identity_group', name='g-' + uniq, users=[{'nick': 'x'}])
    assert_clean_failure(run, "users[0]: expected a user name or ID, or a dictionary with name and optional domain")
    assert run.writes == []
    run = run_module('identity_group', name='g-' + uniq, groups=[{'name': 'h-' + uniq}])
    assert_clean_failure(run, 'parameters are mutually exclusive: name|groups')
    run = run_module('identity_group', description='x')
    assert_clean_failure(run, 'one of the following is required: name, groups')


# ---- identity_group: batch form ------------------------------------------------------------------

def test_batch_three_groups_one_token(run_module, admin, uniq):
    a, b = users(admin, 'bt', uniq, 2)
    existing = make_group(admin, 'b2-' + uniq, description='old', members=[a])
    doomed = make_group(admin, 'b3-' + uniq)
    items = [
        {'name': 'b1-' + uniq, 'users': [a['name'], b['name']]},
        {'name': 'b2-' + uniq, 'description': 'new', 'users': [b['name']], 'purge_users': True, 'domain': 'Default'},
        {'name': 'b3-' + uniq, 'state': 'absent', 'domain': 'default'},
    ]
    run = run_module('identity_group', groups=items, description='default description', _diff=True)
    assert run['changed'] is True
    created = find_group(admin, 'b1-' + uniq)
    assert created['description'] == 'default description'   # top-level value as default
    assert member_ids(admin, created) == sorted([a['id'], b['id']])
    assert find_group(admin, 'b2-' + uniq)['description'] == 'new'
    assert member_ids(admin, existing) == [b['id']]
    assert admin.get('/groups/' + doomed['id']) is None

    results = run['results']
    assert [r['item']['name'] for r in results] == [i['name'] for i in items]
    assert [r['changed'] for r in results] == [True, True, True]
    assert results[0]['group']['id'] == created['id']
    assert results[1]['diff'] == {'before': {'description': 'old', 'users': [a['name']]},
                                  'after': {'description': 'new', 'users': [b['name']]}}
    assert results[2]['group']['id'] == doomed['id'] and 'members' not in results[2]
    assert [d['before_header'] for d in run['diff']] == [
        'name=b1-%s' % uniq, 'name=b2-%s, domain=Default' % uniq, 'name=b3-%s, domain=default' % uniq]

    assert methods(run.entries).count(TOKEN) == 1
    # one listing of the domain's groups serves all three items (domain omitted, by name, by ID)
    assert methods(run.entries).count(('GET', '/v3/groups')) == 1
    path1, path2 = '/v3/groups/%s/users/' % created['id'], '/v3/groups/%s/users/' % existing['id']
    assert methods(run.writes) == [
        ('POST', '/v3/groups'), ('PUT', path1 + a['id']), ('PUT', path1 + b['id']),
        ('PATCH', '/v3/groups/' + existing['id']), ('PUT', path2 + b['id']), ('DELETE', path2 + a['id']),
        ('DELETE', '/v3/groups/' + doomed['id'])]
    # users resolved once for the whole batch: a and b looked up by name once each
    assert methods(run.entries).count(('GET', '/v3/users')) == 2

    again = run_module('identity_group', groups=items, description='default description')
    assert again['changed'] is False and again.writes == []
    assert [r['changed'] for r in again['results']] == [False, False, False]
    assert methods(again.entries) == [TOKEN, ('GET', '/v3/groups'), ('GET', path1.rstrip('/')),
                                      ('GET', path2.rstrip('/'))]


def test_batch_item_failure_does_not_stop_the_others(run_module, admin, uniq):
    items = [{'name': 'bf1-' + uniq, 'users': ['nobody-' + uniq]}, {'name': 'bf2-' + uniq}]
    run = run_module('identity_group', groups=items)
    assert run['failed'] is True
    assert run['msg'] == ("1 of 2 items failed: name=bf1-%s: keystone: user 'nobody-%s' not found in "
                          "domain 'Default' (looked up by name and by id)" % (uniq, uniq))
    assert run['results'][0]['failed'] is True and run['results'][1]['changed'] is True
    assert find_group(admin, 'bf1-' + uniq) is None and find_group(admin, 'bf2-' + uniq) is not None
    assert methods(run.writes) == [('POST', '/v3/groups')]


def test_batch_check_mode(run_module, admin, uniq):
    a = admin.make_user('bc-' + uniq)
    make_group(admin, 'bc2-' + uniq, members=[a])
    items = [{'name': 'bc1-' + uniq, 'users': [a['name']]}, {'name': 'bc2-' + uniq, 'users': [], 'purge_users': True}]
    run = run_module('identity_group', groups=items, _check=True, _diff=True)
    assert run['changed'] is True and run.writes == []
    assert find_group(admin, 'bc1-' + uniq) is None
    assert run['results'][0]['members'][0]['id'] == a['id']
    assert run['results'][1]['members'] == []
    assert run['results'][1]['diff'] == {'before': {'users': [a['name']]}, 'after': {'users': []}}


# ---- identity_user: groups / purge_groups --------------------------------------------------------

def test_user_groups_add_purge_rerun(run_module, admin, uniq):
    other = admin.make_domain('ugdom-' + uniq)
    g1 = make_group(admin, 'ug1-' + uniq)
    g2 = make_group(admin, 'ug2-' + uniq, domain_id=other['id'])
    g3 = make_group(admin, 'ug3-' + uniq)
    name = 'ugu-' + uniq
    user = admin.make_user(name)
    admin.put('/groups/%s/users/%s' % (g3['id'], user['id']))
    wanted = [g1['name'], {'name': g2['name'], 'domain': other['name']}]

    added = run_module('identity_user', name=name, groups=wanted, _diff=True)
    assert added['changed'] is True
    assert group_ids_of(admin, user) == sorted([g1['id'], g2['id'], g3['id']])
    assert added['diff'] == {'before': {'groups': [g3['name']]}, 'after': {'groups': sorted([g1['name'], g2['name'], g3['name']])}}
    assert methods(added.entries) == [
        TOKEN, ('GET', '/v3/users'), ('GET', '/v3/users/%s/groups' % user['id']),
        ('GET', '/v3/groups'), ('GET', '/v3/domains'), ('GET', '/v3/groups'),
        ('PUT', '/v3/groups/%s/users/%s' % (g1['id'], user['id'])),
        ('PUT', '/v3/groups/%s/users/%s' % (g2['id'], user['id']))]
    assert added['groups'] == sorted([{'id': g['id'], 'name': g['name'], 'domain_id': g['domain_id']} for g in (g1, g2, g3)],
                                     key=lambda g: g['name'])

    again = run_module('identity_user', name=name, groups=wanted)
    assert again['changed'] is False and again.writes == []
    # groups matched in the one listing of the user's groups: no group lookup
    assert methods(again.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/users/%s/groups' % user['id']),
                                      ('GET', '/v3/domains')]

    check = run_module('identity_user', name=name, groups=[g1['id']], purge_groups=True, _check=True, _diff=True)
    assert check['changed'] is True and check.writes == []
    assert group_ids_of(admin, user) == sorted([g1['id'], g2['id'], g3['id']])
    assert check['diff'] == {'before': {'groups': sorted([g1['name'], g2['name'], g3['name']])}, 'after': {'groups': [g1['name']]}}

    purged = run_module('identity_user', name=name, groups=[g1['id']], purge_groups=True, _diff=True)
    assert purged['changed'] is True
    assert group_ids_of(admin, user) == [g1['id']]
    assert sorted(methods(purged.writes)) == sorted([
        ('DELETE', '/v3/groups/%s/users/%s' % (g2['id'], user['id'])),
        ('DELETE', '/v3/groups/%s/users/%s' % (g3['id'], user['id']))])
    assert purged['diff'] == check['diff']

    rerun = run_module('identity_user', name=name, groups=[g1['id']], purge_groups=True)
    assert rerun['changed'] is False and rerun.writes == []


def test_new_user_with_groups_check_mode_then_real(run_module, admin, uniq):
    g1 = make_group(admin, 'nug-' + uniq)
    name = 'nu-' + uniq
    check = run_module('identity_user', name=name, email='n@example.com', groups=[g1['name']], _check=True, _diff=True)
    assert check['changed'] is True and check.writes == []
    assert admin.user(name) is None
    assert check['groups'] == [{'id': g1['id'], 'name': g1['name'], 'domain_id': 'default'}]
    assert check['diff'] == {'before': {'groups': []}, 'after': {'name': name, 'email': 'n@example.com', 'groups': [g1['name']]}}
    # no request for the groups of a user that does not exist
    assert methods(check.entries) == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/groups')]

    real = run_module('identity_user', name=name, email='n@example.com', groups=[g1['name']])
    assert real['changed'] is True
    user = admin.user(name)
    assert group_ids_of(admin, user) == [g1['id']]
    assert methods(real.writes) == [('POST', '/v3/users'), ('PUT', '/v3/groups/%s/users/%s' % (g1['id'], user['id']))]


def test_user_unknown_group_fails_before_any_write(run_module, admin, uniq):
    g1 = make_group(admin, 'ok-' + uniq)
    name = 'nug2-' + uniq
    run = run_module('identity_user', name=name, groups=[g1['name'], 'nogroup-' + uniq])
    assert_clean_failure(run, "keystone: group 'nogroup-%s' not found in domain 'Default'" % uniq)
    assert run.writes == [] and admin.user(name) is None
    run = run_module('identity_user', name=name, groups=[{'domain': 'Default'}])
    assert_clean_failure(run, 'groups[0]: expected a group name or ID')
    assert run.writes == []


# ---- identity_group_info -------------------------------------------------------------------------

def test_info_by_name_id_domain_members_and_query(run_module, admin, uniq):
    one = admin.make_domain('gi1-' + uniq)
    two = admin.make_domain('gi2-' + uniq)
    people = users(admin, 'gi', uniq, 2, one['id'])
    name = 'info-' + uniq
    g1 = make_group(admin, name, one['id'], description='first', members=people)
    g2 = make_group(admin, name, two['id'])
    make_group(admin, 'other-' + uniq, one['id'])

    everywhere = run_module('identity_group_info', name=name)
    assert sorted(g['id'] for g in everywhere['groups']) == sorted([g1['id'], g2['id']])
    assert everywhere.writes == []

    in_two = run_module('identity_group_info', name=name, domain=two['name'])
    assert [dict((k, v) for k, v in g.items() if k != 'raw') for g in in_two['groups']] == [
        {'id': g2['id'], 'name': name, 'domain_id': two['id'], 'description': None}]
    # Keystone's own group object beside the common model (its '' description, its links)
    raw = in_two['groups'][0]['raw']
    assert raw == admin.get('/groups/' + g2['id'])['group']

    by_id = run_module('identity_group_info', id=g1['id'], with_members=True)
    assert [g['id'] for g in by_id['groups']] == [g1['id']]
    assert sorted(u['id'] for u in by_id['groups'][0]['users']) == sorted(u['id'] for u in people)
    assert all('password' not in u and 'password' not in u['raw'] for u in by_id['groups'][0]['users'])
    assert all(u['raw']['id'] == u['id'] and 'extra' not in u['raw'] for u in by_id['groups'][0]['users'])

    whole = run_module('identity_group_info', domain=one['id'], with_members=True,
                       query='groups[].{name: name, members: length(users)}')
    assert sorted(whole['query_result'], key=lambda g: g['name']) == [
        {'name': name, 'members': 2}, {'name': 'other-' + uniq, 'members': 0}]
    # the domain (given by ID: one request), one listing, then one membership listing per group
    assert methods(whole.entries) == [TOKEN, ('GET', '/v3/domains/' + one['id']),
                                      ('GET', '/v3/groups')] + [
        ('GET', '/v3/groups/%s/users' % g['id']) for g in whole['groups']]

    missing = run_module('identity_group_info', name='nogroup-' + uniq, domain=one['name'])
    assert missing['groups'] == [] and missing['changed'] is False


@pytest.mark.parametrize('bad', [{'name': None}, {'name': 'x', 'unit': 'y'}, True])
def test_bad_user_items_are_rejected(run_module, uniq, bad):
    run = run_module('identity_group', name='bad-' + uniq, users=[bad])
    assert_clean_failure(run, 'users[0]: expected a user name or ID')
    assert run.writes == []


def test_playbook_batch_with_diff_and_user_groups(playbook, admin, uniq):
    """Through real ansible-playbook: module_defaults, the batch form's diff list, identity_user groups."""
    a = admin.make_user('pb-' + uniq)
    play = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/iamops.identity.identity:
      cloud: iamops-test
  tasks:
    - iamops.identity.identity_group:
        groups:
          - name: pb1-%(uniq)s
            users: [pb-%(uniq)s]
          - name: pb2-%(uniq)s
            description: second
      diff: true
    - iamops.identity.identity_user:
        name: pb-%(uniq)s
        groups: [pb2-%(uniq)s]
        purge_groups: true
      diff: true
""" % dict(uniq=uniq)
    proc, entries = playbook(play)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-3000:]
    assert 'changed=2' in output
    g1, g2 = find_group(admin, 'pb1-' + uniq), find_group(admin, 'pb2-' + uniq)
    assert g2['description'] == 'second'
    assert group_ids_of(admin, a) == [g2['id']]           # added to pb1 by task 1, moved by task 2
    assert '--- before: name=pb1-%s' % uniq in output and '--- before: name=pb2-%s' % uniq in output
    assert '+        "pb-%s"' % uniq in output              # task 1: member added to pb1
    assert '-        "pb1-%s"' % uniq in output             # task 2: pb1 left
    assert methods(entries).count(TOKEN) == 2             # one per task


def test_rename_keeps_id_and_members_rerun_and_conflict(run_module, admin, uniq):
    members = users(admin, 'rn', uniq, 2)
    group = make_group(admin, 'team-' + uniq, members=members)
    other = make_group(admin, 'other-' + uniq)
    checked = run_module('identity_group', _check=True, _diff=True, name='team-' + uniq, new_name='squad-' + uniq)
    assert checked['changed'] is True and checked.writes == []
    assert checked['diff'] == {'before': {'name': 'team-' + uniq}, 'after': {'name': 'squad-' + uniq}}
    renamed = run_module('identity_group', name='team-' + uniq, new_name='squad-' + uniq, description='renamed')
    assert renamed['changed'] is True
    assert methods(renamed.entries) == [('POST', '/v3/auth/tokens'), ('GET', '/v3/groups'), ('GET', '/v3/groups'),
                                        ('PATCH', '/v3/groups/%s' % group['id'])]
    held = find_group(admin, 'squad-' + uniq)
    assert (held['id'], held['description']) == (group['id'], 'renamed') and find_group(admin, 'team-' + uniq) is None
    assert member_ids(admin, held) == sorted(u['id'] for u in members)
    again = run_module('identity_group', name='team-' + uniq, new_name='squad-' + uniq, description='renamed')
    assert again['changed'] is False and again.writes == []
    taken = run_module('identity_group', name='squad-' + uniq, new_name='other-' + uniq)
    assert taken.get('failed') is True and taken.writes == []
    assert "another group is called 'other-%s' already (ID %s)" % (uniq, other['id']) in taken['msg']


def test_subgroups_are_refused_before_any_request(run_module, admin, uniq):
    """A Keystone group holds users only: subgroups and purge_subgroups fail before any request."""
    name = 'nest-%s' % uniq
    refuses_subgroups(run_module, 'keystone', name, 'a Keystone group holds users only, no groups')
    assert find_group(admin, name) is None
