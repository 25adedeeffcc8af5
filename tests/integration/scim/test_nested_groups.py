"""identity_group ``subgroups`` / ``purge_subgroups`` against a real scim2-server 0.8.3: a group's
members of ``type: Group`` added and removed with one PATCH per group (a PUT keeping the users on
the server without PATCH), managed apart from its users; missing subgroups and cycles refused
before any write; check mode and reruns send no write; identity_group_info shows the subgroups.
State is read back with plain requests (the conftest's ``Admin``), request counts from the
server's own log."""

GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'


def writes(run):
    return [(e.method, e.path) for e in run.writes]


def seed_group(admin, name, users=(), subgroups=()):
    """A group made by the independent client, its subgroups as members of type Group."""
    members = [{'value': u['id']} for u in users] + [{'value': g['id'], 'type': 'Group'} for g in subgroups]
    response = admin.session.post(admin.url + '/Groups', json={'schemas': [GROUP_SCHEMA], 'displayName': name,
                                                               'members': members}, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()


def subgroups(admin, name):
    """displayNames of the members of type Group of group ``name``, read back from the server."""
    names = dict((g['id'], g['displayName']) for g in admin.groups())
    return sorted(names.get(m['value'], m['value']) for m in admin.group(name).get('members') or []
                  if m.get('type') == 'Group')


def users(admin, name):
    """userNames of the user members (no type, or type User) of group ``name``."""
    names = dict((u['id'], u['userName']) for u in admin.users())
    return sorted(names.get(m['value'], m['value']) for m in admin.group(name).get('members') or []
                  if m.get('type') in (None, 'User'))


def test_add_then_purge_subgroups_check_mode_and_reruns(run_module, admin):
    ann = admin.make_user('ann')
    interns, payroll = seed_group(admin, 'interns'), seed_group(admin, 'payroll')
    auditors = seed_group(admin, 'auditors')
    staff = seed_group(admin, 'staff', users=[ann], subgroups=[interns])
    path = '/v2/Groups/%s' % staff['id']

    added = run_module('identity_group', name='staff', subgroups=['payroll', auditors['id']], _diff=True)
    assert added['changed'] is True and writes(added) == [('PATCH', path)]
    # ServiceProviderConfig, the group (members included), its subgroup interns by one id filter, payroll by
    # displayName, auditors by displayName then by id, one PATCH
    assert [e.method for e in added.entries] == ['GET'] * 6 + ['PATCH']
    assert subgroups(admin, 'staff') == ['auditors', 'interns', 'payroll'] and users(admin, 'staff') == ['ann']
    assert added['diff'] == {'before': {'subgroups': ['interns']}, 'after': {'subgroups': ['auditors', 'interns', 'payroll']}}
    assert [g['name'] for g in added['subgroups']] == ['auditors', 'interns', 'payroll']
    assert 'members' not in added                                       # users are not managed
    again = run_module('identity_group', name='staff', subgroups=['payroll', 'auditors'])
    assert again['changed'] is False and again.writes == []

    args = dict(name='staff', subgroups=['payroll'], purge_subgroups=True)
    check = run_module('identity_group', _check=True, _diff=True, **args)
    assert check['changed'] is True and check.writes == []
    assert subgroups(admin, 'staff') == ['auditors', 'interns', 'payroll']
    purged = run_module('identity_group', _diff=True, **args)
    assert writes(purged) == [('PATCH', path)] and purged['diff'] == check['diff']
    assert purged['diff']['after'] == {'subgroups': ['payroll']}
    assert subgroups(admin, 'staff') == ['payroll'] and users(admin, 'staff') == ['ann']
    rerun = run_module('identity_group', **args)
    assert rerun['changed'] is False and rerun.writes == [] and len(rerun.entries) == 3
    assert payroll['id'] and interns['id']


def test_a_purge_of_users_leaves_the_subgroups_and_a_purge_of_subgroups_the_users(run_module, admin):
    ann, bob = admin.make_user('ann'), admin.make_user('bob')
    payroll = seed_group(admin, 'payroll', users=[bob])
    seed_group(admin, 'staff', users=[ann, bob], subgroups=[payroll])
    by_users = run_module('identity_group', name='staff', users=['ann'], purge_users=True)
    assert by_users['changed'] is True and len(by_users.writes) == 1
    assert users(admin, 'staff') == ['ann'] and subgroups(admin, 'staff') == ['payroll']
    assert [m['name'] for m in by_users['members']] == ['ann']         # a subgroup is not a user
    by_groups = run_module('identity_group', name='staff', subgroups=[], purge_subgroups=True)
    assert by_groups['changed'] is True and len(by_groups.writes) == 1 and by_groups['subgroups'] == []
    assert users(admin, 'staff') == ['ann'] and subgroups(admin, 'staff') == []
    both = run_module('identity_group', name='staff', users=['ann'], purge_users=True, subgroups=[], purge_subgroups=True)
    assert both['changed'] is False and both.writes == []
    assert users(admin, 'payroll') == ['bob']                            # the subgroup itself is untouched


def test_new_group_with_users_and_subgroups_check_mode_then_rerun(run_module, admin):
    admin.make_user('ann')
    seed_group(admin, 'payroll')
    args = dict(name='everyone', users=['ann'], subgroups=['payroll'])
    check = run_module('identity_group', _check=True, _diff=True, **args)
    assert check['changed'] is True and check.writes == [] and admin.group('everyone') is None
    assert [g['name'] for g in check['subgroups']] == ['payroll']
    created = run_module('identity_group', _diff=True, **args)
    group = admin.group('everyone')
    assert writes(created) == [('POST', '/v2/Groups'), ('PATCH', '/v2/Groups/%s' % group['id']),
                               ('PATCH', '/v2/Groups/%s' % group['id'])]
    assert created['diff'] == check['diff']
    assert users(admin, 'everyone') == ['ann'] and subgroups(admin, 'everyone') == ['payroll']
    again = run_module('identity_group', **args)
    assert again['changed'] is False and again.writes == []


def test_a_missing_subgroup_fails_before_any_write(run_module, admin):
    seed_group(admin, 'staff')
    seed_group(admin, 'payroll')
    run = run_module('identity_group', name='staff', subgroups=['payroll', 'nowhere'], purge_subgroups=True)
    assert run.get('failed') is True and run.writes == []
    assert "group 'nowhere' not found" in run['msg'] and 'Traceback' not in run['msg']
    new = run_module('identity_group', name='fresh', subgroups=['nowhere'])
    assert new.get('failed') is True and new.writes == [] and admin.group('fresh') is None


def test_on_missing_warn_leaves_a_missing_subgroup_out_and_applies_the_rest(run_module, admin):
    """on_missing covers subgroups like users: under warn the missing one is named in a warning,
    the existing one added; the rerun writes nothing."""
    seed_group(admin, 'staff')
    seed_group(admin, 'payroll')
    args = dict(name='staff', subgroups=['payroll', 'nowhere'], on_missing='warn')
    run = run_module('identity_group', **args)
    assert run['changed'] is True and subgroups(admin, 'staff') == ['payroll']
    assert len(writes(run)) == 1 and "group 'nowhere' not found" in str(run.get('warnings'))
    again = run_module('identity_group', **args)
    assert again['changed'] is False and again.writes == []


def test_a_group_inside_itself_is_refused_before_any_write(run_module, admin):
    c = seed_group(admin, 'c')
    b = seed_group(admin, 'b', subgroups=[c])
    seed_group(admin, 'a', subgroups=[b])
    itself = run_module('identity_group', name='a', subgroups=['a'])
    assert itself.get('failed') is True and itself.writes == []
    assert itself['msg'] == ("scim: subgroups: 'a' cannot be a member of group 'a', which would then contain itself "
                             "('a' -> 'a'); nothing was changed")
    loop = run_module('identity_group', name='c', subgroups=['a'], _check=True)
    assert loop.get('failed') is True and loop.writes == []
    assert "('c' -> 'a' -> 'b' -> 'c')" in loop['msg']
    real = run_module('identity_group', name='c', users=[], subgroups=['a'])
    assert real.get('failed') is True and real.writes == [] and subgroups(admin, 'c') == []
    kept = run_module('identity_group', name='a', subgroups=['b', 'c'])   # c below b is no cycle
    assert kept['changed'] is True and subgroups(admin, 'a') == ['b', 'c']


def test_batch_items_take_subgroups_and_a_cycle_made_within_the_batch_is_refused(run_module, admin):
    seed_group(admin, 'backend')
    seed_group(admin, 'frontend')
    run = run_module('identity_group', purge_subgroups=True, groups=[
        dict(name='eng', subgroups=['backend', 'frontend']),
        dict(name='everyone', subgroups=['eng']),
        dict(name='backend', subgroups=['everyone']),
    ])
    first, second, third = run['results']
    assert first['changed'] is True and second['changed'] is True
    assert third.get('failed') is True and "('backend' -> 'everyone' -> 'eng' -> 'backend')" in third['msg']
    assert subgroups(admin, 'eng') == ['backend', 'frontend'] and subgroups(admin, 'everyone') == ['eng']
    assert subgroups(admin, 'backend') == []
    again = run_module('identity_group', purge_subgroups=True, groups=[
        dict(name='eng', subgroups=['backend', 'frontend']), dict(name='everyone', subgroups=['eng'])])
    assert again['changed'] is False and again.writes == []


def test_group_info_with_members_shows_the_subgroups(run_module, admin):
    ann = admin.make_user('ann')
    payroll = seed_group(admin, 'payroll')
    seed_group(admin, 'staff', users=[ann], subgroups=[payroll])
    info = run_module('identity_group_info', name='staff', with_members=True)
    group = info['groups'][0]
    assert [u['name'] for u in group['users']] == ['ann']
    assert [(g['name'], g['id']) for g in group['subgroups']] == [('payroll', payroll['id'])]
    assert group['subgroups'][0]['raw']['displayName'] == 'payroll' and info.writes == []


def test_without_patch_a_put_keeps_the_users(run_minimal, minimal_admin):
    ann = minimal_admin.make_user('ann')
    payroll, interns = seed_group(minimal_admin, 'payroll'), seed_group(minimal_admin, 'interns')
    staff = seed_group(minimal_admin, 'staff', users=[ann], subgroups=[interns])
    run = run_minimal('identity_group', name='staff', subgroups=['payroll'], purge_subgroups=True)
    assert writes(run) == [('PUT', '/v2/Groups/%s' % staff['id'])]
    assert subgroups(minimal_admin, 'staff') == ['payroll'] and users(minimal_admin, 'staff') == ['ann']
    again = run_minimal('identity_group', name='staff', subgroups=[payroll['id']], purge_subgroups=True)
    assert again['changed'] is False and again.writes == []
    users_only = run_minimal('identity_group', name='staff', users=[], purge_users=True)
    assert len(users_only.writes) == 1
    assert users(minimal_admin, 'staff') == [] and subgroups(minimal_admin, 'staff') == ['payroll']
