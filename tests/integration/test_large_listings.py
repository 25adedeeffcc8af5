"""Listings beyond one Keystone page: Keystone caps a listing at max_db_limit (1000) rows and says
nothing about the rest unless the client asks for pages; every listing of ours asks for them."""

import pytest


@pytest.fixture(scope='module')
def big_domain(admin):
    """A domain with 1,005 users (seeded directly; about 10 s)."""
    dom = admin.make_domain('big-listing')
    have = set()
    url = '/users'
    params = {'domain_id': dom['id'], 'limit': 1000}
    while url:
        page = admin.session.get(admin.url + url if url.startswith('/') else url, params=params, timeout=30).json()
        have.update(u['name'] for u in page['users'])
        url, params = page['links'].get('next'), None
    for i in range(1005):
        name = 'p%04d' % i
        if name not in have:
            admin.post('/users', {'user': {'name': name, 'domain_id': dom['id']}})
    return dom


def test_info_lists_every_user_of_a_large_domain(run_module, big_domain):
    run = run_module('identity_user_info', domain=big_domain['name'], query='length(users)')
    assert run['query_result'] == 1005
    pages = [e for e in run.entries if e.method == 'GET' and e.path == '/v3/users']
    assert len(pages) == 2


def test_batch_finds_users_beyond_the_first_page(run_module, admin, big_domain):
    # p1003 sorts after the first 1000 ids only by chance, so name users from both ends
    names = ['p0000', 'p0500', 'p1003', 'p1004']
    run = run_module('identity_user', domain=big_domain['name'], users=[{'name': n} for n in names])
    assert run['changed'] is False, run.result.get('msg')
    assert run.writes == []
    assert [r['user']['id'] for r in run['results']] == [admin.user(n, big_domain['id'])['id'] for n in names]
