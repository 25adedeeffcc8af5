"""The fallbacks, against a real scim2-server that announces (and enforces: it answers 501 to
what it does not announce) a ServiceProviderConfig without PATCH, filter, ETag, bulk or password
change: lookups become one listing per run, changes a PUT of the whole resource, and a password
change on an existing user is refused before any write."""


def methods(run):
    return [(e.method, e.path.rsplit('/', 1)[0] if e.path.count('/') > 2 else e.path) for e in run.writes]


def test_users_without_patch_or_filter(run_minimal, minimal_admin):
    created = run_minimal('identity_user', name='jdoe', email='j@example.com', title='Clerk')
    assert created['changed'] is True and methods(created) == [('POST', '/v2/Users')]
    assert not any('filter=' in e.query for e in created.entries)   # never a filter: it would be a 501
    assert all(e.status < 500 for e in created.entries)
    again = run_minimal('identity_user', name='jdoe', email='j@example.com', title='Clerk')
    assert again['changed'] is False and again.writes == []
    updated = run_minimal('identity_user', name='jdoe', title='Lead', enabled=False, _diff=True)
    assert methods(updated) == [('PUT', '/v2/Users')]
    held = minimal_admin.user('jdoe')
    assert (held['title'], held['active'], held['emails'][0]['value']) == ('Lead', False, 'j@example.com')
    assert updated['diff'] == {'before': {'title': 'Clerk', 'enabled': True}, 'after': {'title': 'Lead', 'enabled': False}}


def test_password_change_refused_when_the_server_has_no_change_password(run_minimal, minimal_admin):
    minimal_admin.make_user('pw')
    run = run_minimal('identity_user', name='pw', password='it-scim-minimal-pw-9911', update_password='always')
    assert run.get('failed') is True and run.writes == []
    assert 'changePassword is not supported' in run['msg']


def test_group_members_without_patch_are_a_put(run_minimal, minimal_admin):
    ann, bob = minimal_admin.make_user('ann'), minimal_admin.make_user('bob')
    group = minimal_admin.make_group('devs', members=[ann])
    run = run_minimal('identity_group', name='devs', users=['bob'], purge_users=True)
    assert methods(run) == [('PUT', '/v2/Groups')]
    assert minimal_admin.members('devs') == ['bob']
    again = run_minimal('identity_group', name='devs', users=['bob'], purge_users=True)
    assert again['changed'] is False and again.writes == []
    joined = run_minimal('identity_user', name='ann', groups=['devs'], purge_groups=True)
    assert methods(joined) == [('PUT', '/v2/Groups')]
    assert minimal_admin.members('devs') == ['ann', 'bob'] and group['id'] == minimal_admin.group('devs')['id']
    assert bob


def test_info_filters_matched_locally_and_a_raw_filter_refused(run_minimal, minimal_admin):
    minimal_admin.make_user('ann', title='dev')
    minimal_admin.make_user('bob', title='ops')
    listed = run_minimal('identity_user_info', filters={'title': 'dev'})
    assert [u['name'] for u in listed['users']] == ['ann']
    refused = run_minimal('identity_user_info', filters={'filter': 'title eq "dev"'})
    assert refused.get('failed') is True and 'does not filter' in refused['msg']
    assert not any('filter=' in e.query for e in listed.entries + refused.entries)


def test_batch_offboarding_lists_each_kind_once(run_minimal, minimal_admin):
    people = [minimal_admin.make_user('u%d' % i) for i in range(4)]
    minimal_admin.make_group('a', members=people[:2])
    minimal_admin.make_group('b', members=people[1:])
    run = run_minimal('identity_user', enabled=False, groups=[], purge_groups=True,
                      users=[{'name': 'u%d' % i} for i in range(4)])
    assert run['changed'] is True, run.result
    listings = [e.path for e in run.entries if e.method == 'GET' and e.path in ('/v2/Users', '/v2/Groups')]
    assert sorted(listings) == ['/v2/Groups', '/v2/Users']          # every user once, every group once
    assert minimal_admin.members('a') == [] and minimal_admin.members('b') == []
    assert all(u['active'] is False for u in minimal_admin.users())
