"""Removing named members (identity_group ``users_state: absent``, identity_user ``groups_state:
absent``) and ``on_missing`` for memberships, against a real Keystone.

State is read back with the independent ``admin`` client; requests come from Keystone's access log.
"""

import pytest

TOKEN = ('POST', '/v3/auth/tokens')


def methods(entries):
    return [(e.method, e.path) for e in entries]


def warnings(run):
    return ' '.join(w['event']['msg'] if isinstance(w, dict) else w for w in run.get('warnings') or [])


def make_group(admin, name, members=()):
    group = admin.post('/groups', {'group': {'name': name, 'domain_id': 'default'}})['group']
    for user in members:
        admin.put('/groups/%s/users/%s' % (group['id'], user['id']))
    return group


def member_ids(admin, group):
    return sorted(u['id'] for u in admin.get('/groups/%s/users' % group['id'])['users'])


def group_ids_of(admin, user):
    return sorted(g['id'] for g in admin.get('/users/%s/groups' % user['id'])['groups'])


@pytest.fixture
def team(admin, uniq):
    """Four users; a group holding the first three."""
    people = [admin.make_user('rm%d-%s' % (i, uniq)) for i in range(4)]
    return people, make_group(admin, 'rmg-' + uniq, members=people[:3])


def test_users_state_absent_removes_only_the_named_members(run_module, admin, team):
    (a, b, c, d), group = team
    path = '/v3/groups/%s/users' % group['id']
    args = dict(name=group['name'], users=[b['name'], c['id'], d['name']], users_state='absent')

    check = run_module('identity_group', _check=True, _diff=True, **args)
    assert check['changed'] is True and check.writes == []
    assert member_ids(admin, group) == sorted([a['id'], b['id'], c['id']])
    assert check['diff'] == {'before': {'users': sorted([a['name'], b['name'], c['name']])},
                             'after': {'users': [a['name']]}}

    done = run_module('identity_group', _diff=True, **args)
    assert done['changed'] is True and done['diff'] == check['diff']
    assert member_ids(admin, group) == [a['id']]                       # a stays; d was no member
    assert sorted(methods(done.writes)) == sorted([('DELETE', '%s/%s' % (path, b['id'])),
                                                   ('DELETE', '%s/%s' % (path, c['id']))])
    # token, group, its members (b and c found there), d looked up: no more reads than an add's
    assert methods(done.entries)[:4] == [TOKEN, ('GET', '/v3/groups'), ('GET', path), ('GET', '/v3/users')]
    assert len(done.entries) == 6
    assert [m['id'] for m in done['members']] == [a['id']]

    again = run_module('identity_group', **args)
    assert again['changed'] is False and again.writes == []
    assert member_ids(admin, group) == [a['id']]


def test_users_state_absent_with_purge_is_refused_before_any_request(run_module, admin, team):
    people, group = team
    run = run_module('identity_group', name=group['name'], users=[people[0]['name']], users_state='absent',
                     purge_users=True)
    assert run.get('failed') is True and 'Traceback' not in run.stderr
    assert run['msg'] == 'users_state=absent removes only the listed users and purge_users=true all the others: they do not go together'
    assert run.entries == []
    batch = run_module('identity_group', groups=[dict(name=group['name'], users=[], users_state='absent', purge_users=True)])
    assert batch['msg'].startswith('groups[0]: users_state=absent') and batch.entries == []


def test_groups_state_absent_leaves_only_the_named_groups(run_module, admin, uniq):
    user = admin.make_user('rmu-' + uniq)
    g1, g2, g3 = (make_group(admin, 'rmug%d-%s' % (i, uniq), members=[user]) for i in range(3))
    args = dict(name=user['name'], groups=[g1['name'], g2['id']], groups_state='absent')

    check = run_module('identity_user', _check=True, _diff=True, **args)
    assert check['changed'] is True and check.writes == []
    assert check['diff']['after'] == {'groups': [g3['name']]}

    done = run_module('identity_user', _diff=True, **args)
    assert done['changed'] is True and group_ids_of(admin, user) == [g3['id']]
    assert sorted(methods(done.writes)) == sorted([('DELETE', '/v3/groups/%s/users/%s' % (g['id'], user['id']))
                                                   for g in (g1, g2)])
    assert methods(done.entries)[:3] == [TOKEN, ('GET', '/v3/users'), ('GET', '/v3/users/%s/groups' % user['id'])]

    again = run_module('identity_user', **args)
    assert again['changed'] is False and again.writes == [] and group_ids_of(admin, user) == [g3['id']]

    refused = run_module('identity_user', purge_groups=True, **args)
    assert 'groups_state=absent' in refused['msg'] and refused.entries == []


def test_on_missing_fail_writes_nothing(run_module, admin, team, uniq):
    (a, b, c, d), group = team
    run = run_module('identity_group', name=group['name'], users=[b['name'], d['name'], 'ghost-' + uniq])
    assert run.get('failed') is True and "user 'ghost-%s' not found" % uniq in run['msg']
    assert run.writes == [] and member_ids(admin, group) == sorted([a['id'], b['id'], c['id']])


def test_a_missing_member_to_remove_warns_under_fail_and_the_rerun_writes_nothing(run_module, admin, team, uniq):
    """A removal never fails on a member that does not exist (absent already): the default
    on_missing=fail warns, the rest is applied, and the rerun writes nothing."""
    (a, b, c, d), group = team
    args = dict(name=group['name'], users=[b['name'], 'ghost-' + uniq], users_state='absent')
    run = run_module('identity_group', **args)
    assert run.get('failed') is not True and run['changed'] is True
    assert member_ids(admin, group) == sorted([a['id'], c['id']])
    assert 'nothing to remove from users' in warnings(run) and 'ghost-' + uniq in warnings(run), warnings(run)
    again = run_module('identity_group', **args)
    assert again['changed'] is False and again.writes == []


@pytest.mark.parametrize('on_missing', ['warn', 'ignore'])
def test_on_missing_warn_or_ignore_applies_the_existing_ones(run_module, admin, team, uniq, on_missing):
    (a, b, c, d), group = team
    ghost = 'ghost-' + uniq
    added = run_module('identity_group', name=group['name'], users=[d['name'], ghost], on_missing=on_missing)
    assert added['changed'] is True and member_ids(admin, group) == sorted(u['id'] for u in (a, b, c, d))
    assert methods(added.writes) == [('PUT', '/v3/groups/%s/users/%s' % (group['id'], d['id']))]
    text = "keystone: on_missing=warn, so this one is left out of users and the rest applied: user %r not found" % ghost
    assert (text in warnings(added)) is (on_missing == 'warn'), warnings(added)
    assert ghost not in warnings(added) or on_missing == 'warn'

    removed = run_module('identity_group', name=group['name'], users=[a['name'], ghost], users_state='absent',
                         on_missing=on_missing)
    assert removed['changed'] is True and member_ids(admin, group) == sorted(u['id'] for u in (b, c, d))
    assert (ghost in warnings(removed)) is (on_missing == 'warn')

    again = run_module('identity_group', name=group['name'], users=[a['name'], ghost], users_state='absent',
                       on_missing=on_missing)
    assert again['changed'] is False and again.writes == []


def test_user_groups_on_missing_warn_joins_the_existing_group(run_module, admin, uniq):
    user = admin.make_user('omu-' + uniq)
    g1 = make_group(admin, 'omg-' + uniq)
    missing = 'nogroup-' + uniq
    failed = run_module('identity_user', name=user['name'], groups=[g1['name'], missing])
    assert failed.get('failed') is True and failed.writes == [] and group_ids_of(admin, user) == []
    warned = run_module('identity_user', name=user['name'], groups=[g1['name'], missing], on_missing='warn')
    assert warned['changed'] is True and group_ids_of(admin, user) == [g1['id']]
    assert "group %r not found" % missing in warnings(warned)
    ignored = run_module('identity_user', name=user['name'], groups=[missing], groups_state='absent', on_missing='ignore')
    assert ignored['changed'] is False and ignored.writes == [] and missing not in warnings(ignored)
    assert group_ids_of(admin, user) == [g1['id']]


def test_batch_items_remove_and_add_with_the_top_level_on_missing(run_module, admin, team, uniq):
    (a, b, c, d), group = team
    other = make_group(admin, 'rmb-' + uniq, members=[a])
    args = dict(on_missing='warn', groups=[
        dict(name=group['name'], users=[a['name'], 'ghost-' + uniq], users_state='absent'),
        dict(name=other['name'], users=[d['name']])])
    check = run_module('identity_group', _check=True, **args)
    assert check['changed'] is True and check.writes == []
    done = run_module('identity_group', **args)
    assert done['changed'] is True, done.result
    assert member_ids(admin, group) == sorted([b['id'], c['id']])
    assert member_ids(admin, other) == sorted([a['id'], d['id']])
    assert 'ghost-' + uniq in warnings(done)
    again = run_module('identity_group', **args)
    assert again['changed'] is False and again.writes == []


def test_user_batch_leaves_named_groups_and_tolerates_a_missing_one(run_module, admin, uniq):
    u1, u2 = (admin.make_user('rmub%d-%s' % (i, uniq)) for i in range(2))
    g1 = make_group(admin, 'rmubg1-' + uniq, members=[u1, u2])
    g2 = make_group(admin, 'rmubg2-' + uniq, members=[u1])
    missing = 'nogroup-' + uniq
    args = dict(on_missing='warn', users=[
        dict(name=u1['name'], groups=[g1['name'], missing], groups_state='absent'),
        dict(name=u2['name'], groups=[g2['name'], missing])])
    check = run_module('identity_user', _check=True, **args)
    assert check['changed'] is True and check.writes == []
    done = run_module('identity_user', **args)
    assert done['changed'] is True, done.result
    assert group_ids_of(admin, u1) == [g2['id']] and group_ids_of(admin, u2) == sorted([g1['id'], g2['id']])
    assert sorted(methods(done.writes)) == sorted([('DELETE', '/v3/groups/%s/users/%s' % (g1['id'], u1['id'])),
                                                   ('PUT', '/v3/groups/%s/users/%s' % (g2['id'], u2['id']))])
    assert warnings(done).count(missing) == 2
    failed = run_module('identity_user', users=args['users'])
    assert failed.get('failed') is True and failed.writes == [] and missing in failed['msg']
    again = run_module('identity_user', **args)
    assert again['changed'] is False and again.writes == []
