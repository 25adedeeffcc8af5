"""identity_user batch form (users:): one process, one token, one listing, per-item results."""


def calls(run):
    return [(e.method, e.path) for e in run.entries]


def test_batch_create_rerun_and_per_item_results(run_module, admin, uniq):
    dom = admin.make_domain('batch-' + uniq)
    names = ['b%d-%s' % (i, uniq) for i in range(5)]
    users = [{'name': n, 'email': n + '@example.com', 'password': 'Batch-Passw0rd-%d' % i} for i, n in enumerate(names)]
    first = run_module('identity_user', domain=dom['name'], users=users, _diff=True)
    assert first['changed'] is True
    assert [r['user']['name'] for r in first['results']] == names
    assert all(r['changed'] for r in first['results'])
    for i, n in enumerate(names):
        server = admin.user(n, dom['id'])
        assert server['email'] == n + '@example.com'
        assert admin.password_works(server['id'], 'Batch-Passw0rd-%d' % i)
    # one token, one domain lookup, ONE listing of the domain's users, then only the creates
    assert calls(first) == ([('POST', '/v3/auth/tokens'), ('GET', '/v3/domains'), ('GET', '/v3/users')]
                            + [('POST', '/v3/users')] * 5)
    assert [d['before_header'] for d in first['diff']] == ['name=%s, domain=%s' % (n, dom['name']) for n in names]
    assert all(d['after']['password'] == '********' for d in first['diff'])
    text = repr(first.result)
    assert 'Batch-Passw0rd' not in text

    again = run_module('identity_user', domain=dom['name'], users=users)
    assert again['changed'] is False
    assert [r['changed'] for r in again['results']] == [False] * 5
    assert again.writes == []
    assert calls(again) == [('POST', '/v3/auth/tokens'), ('GET', '/v3/domains'), ('GET', '/v3/users')]


def test_batch_with_groups_reads_each_group_once(run_module, admin, uniq):
    dom = admin.make_domain('bg-' + uniq)
    staff = admin.post('/groups', {'group': {'name': 'staff', 'domain_id': dom['id']}})['group']
    pay = admin.post('/groups', {'group': {'name': 'payroll', 'domain_id': dom['id']}})['group']
    names = ['g%d-%s' % (i, uniq) for i in range(4)]
    admin.make_user(names[0], dom['id'])
    admin.put('/groups/%s/users/%s' % (staff['id'], admin.user(names[0], dom['id'])['id']))
    users = [{'name': n} for n in names]
    users[3]['groups'] = ['staff', 'payroll']
    first = run_module('identity_user', domain=dom['id'], groups=['staff'], users=users)
    assert first['changed'] is True
    for n in names:
        uid = admin.user(n, dom['id'])['id']
        groups = sorted(g['name'] for g in admin.get('/users/%s/groups' % uid)['groups'])
        assert groups == (['payroll', 'staff'] if n == names[3] else ['staff'])
    assert [r['changed'] for r in first['results']] == [False, True, True, True]
    reads = sorted(c for c in calls(first) if c[0] == 'GET')
    # domain by id, users listed once, groups listed once, each named group's members once:
    # never a request per user
    assert reads == sorted([('GET', '/v3/domains/' + dom['id']), ('GET', '/v3/users'), ('GET', '/v3/groups'),
                            ('GET', '/v3/groups/%s/users' % staff['id']), ('GET', '/v3/groups/%s/users' % pay['id'])])
    assert sorted(e.method for e in first.writes) == ['POST'] * 3 + ['PUT'] * 4

    again = run_module('identity_user', domain=dom['id'], groups=['staff'], users=users)
    assert again['changed'] is False and again.writes == []
    assert len(again.entries) == 6  # token, domain, users, groups, 2 member listings


def test_batch_offboarding_and_check_mode(run_module, admin, uniq):
    dom = admin.make_domain('bo-' + uniq)
    grp = admin.post('/groups', {'group': {'name': 'team', 'domain_id': dom['id']}})['group']
    names = ['o%d-%s' % (i, uniq) for i in range(3)]
    for n in names:
        uid = admin.make_user(n, dom['id'])['id']
        admin.put('/groups/%s/users/%s' % (grp['id'], uid))
    args = dict(domain=dom['name'], enabled=False, groups=[], purge_groups=True, users=[{'name': n} for n in names])
    check = run_module('identity_user', _check=True, _diff=True, **args)
    assert check['changed'] is True and check.writes == []
    assert all(admin.user(n, dom['id'])['enabled'] for n in names)
    assert check['diff'][0]['before'] == {'enabled': True, 'groups': ['team']}
    assert check['diff'][0]['after'] == {'enabled': False, 'groups': []}

    real = run_module('identity_user', **args)
    assert real['changed'] is True
    for n in names:
        user = admin.user(n, dom['id'])
        assert user['enabled'] is False
        assert admin.get('/users/%s/groups' % user['id'])['groups'] == []
    assert sorted(e.method for e in real.writes) == ['DELETE'] * 3 + ['PATCH'] * 3
    again = run_module('identity_user', **args)
    assert again['changed'] is False and again.writes == []


def test_batch_item_failure_does_not_stop_the_others(run_module, admin, uniq):
    names = ['f%d-%s' % (i, uniq) for i in range(2)]
    users = [{'name': names[0]}, {'name': 'x-' + uniq, 'domain': 'nodomain-' + uniq}, {'name': names[1]}]
    run = run_module('identity_user', users=users)
    assert run['failed'] is True
    assert run['msg'] == ("1 of 3 items failed: name=x-%s, domain=nodomain-%s: keystone: domain 'nodomain-%s' not found "
                          "(looked up by name and by id)" % (uniq, uniq, uniq))
    assert [r.get('failed', False) for r in run['results']] == [False, True, False]
    assert admin.user(names[0]) is not None and admin.user(names[1]) is not None


def test_batch_and_single_form_are_exclusive(run_module):
    run = run_module('identity_user', name='x', users=[{'name': 'y'}])
    assert run['failed'] and 'mutually exclusive: name|users' in run['msg']
    run = run_module('identity_user', users=[{'email': 'y@example.com'}])
    assert run['failed'] and 'missing required arguments: name found in users' in run['msg']
