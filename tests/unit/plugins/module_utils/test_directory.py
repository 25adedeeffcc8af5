"""_directory: the run's directory cache (by name, by id, complete-listing knowledge, case-folded
names, updates on create/rename/delete, a lock shared by the kinds)."""

import threading

from ansible_collections.iamops.identity.plugins.module_utils import _directory
from ansible_collections.iamops.identity.plugins.module_utils._directory import MISS, Directory, DirectoryCache
from ansible_collections.iamops.identity.plugins.module_utils.providers._spec import ProviderSpec


def folded(name):
    return name.casefold()


def test_unknown_until_listed_complete():
    users = Directory()
    assert users.by_name('ann') is MISS and users.by_id('1') is MISS
    users.fill([{'id': '1', 'name': 'ann'}], complete=True)
    assert users.by_name('ann')['id'] == '1'
    assert users.by_name('bob') is None  # absent, known without a request
    assert users.by_id('2') is None


def test_incomplete_listing_does_not_say_absent():
    users = Directory()
    users.fill([{'id': '1', 'name': 'ann'}], complete=False)
    assert users.by_name('ann')['id'] == '1'
    assert users.by_name('bob') is MISS
    assert not users.complete


def test_by_name_lookup_fills_by_id():
    users = Directory()
    users.put({'id': '7', 'name': 'eve'})
    assert users.by_id('7')['name'] == 'eve'


def test_case_insensitive_names_through_the_spec():
    spec = ProviderSpec('x', 'X', (), {}, case_insensitive_names=True)
    users = Directory(spec.name_key)
    users.fill([{'id': '1', 'name': 'Dana'}])
    assert users.by_name('dana')['id'] == '1'
    exact = Directory(ProviderSpec('y', 'Y', (), {}).name_key)
    exact.fill([{'id': '1', 'name': 'Dana'}])
    assert exact.by_name('dana') is None
    assert exact.names_like('dana') == ['Dana']


def test_other_keys():
    users = Directory(name='username', id='guid')
    users.put({'guid': 'g', 'username': 'u'})
    assert users.by_name('u')['guid'] == 'g' and users.by_id('g')['username'] == 'u'


def test_rename_moves_the_name():
    groups = Directory()
    groups.fill([{'id': '1', 'name': 'old'}])
    groups.rename({'id': '1', 'name': 'new'}, 'old')
    assert groups.by_name('old') is None
    assert groups.by_name('new')['id'] == '1'
    groups.put({'id': '1', 'name': 'newer'})  # an update answer under a new name: the old one goes too
    assert groups.by_name('new') is None and groups.by_id('1')['name'] == 'newer'


def test_drop_then_absent_and_create_then_present():
    groups = Directory()
    groups.fill([{'id': '1', 'name': 'a'}, {'id': '2', 'name': 'b'}])
    groups.drop({'id': '1', 'name': 'a'})
    assert groups.by_name('a') is None and groups.by_id('1') is None
    groups.put({'id': '3', 'name': 'c'})
    assert groups.by_name('c')['id'] == '3'
    assert sorted(g['id'] for g in groups.values()) == ['2', '3']
    groups.drop({'id': '9', 'name': 'b'})  # another object of that name: b stays
    assert groups.by_name('b')['id'] == '2'


def test_put_none_and_clear():
    users = Directory()
    assert users.put(None) is None
    users.fill([{'id': '1', 'name': 'a'}])
    users.clear()
    assert users.by_name('a') is MISS and not users.complete and len(users) == 0


def test_cache_per_kind_and_scope():
    cache = DirectoryCache(folded)
    cache('users', 'd1').fill([{'id': '1', 'name': 'A'}])
    assert cache('users', 'd1').by_name('a')['id'] == '1'
    assert cache('users', 'd2').by_name('a') is MISS
    assert cache('groups', 'd1').by_name('a') is MISS
    assert cache('users', 'd1') is cache('users', 'd1')
    assert cache.known('users', 'd1') and not cache.known('roles')
    cache.forget('users', 'd1')
    assert cache('users', 'd1').by_name('a') is MISS


def test_threads_do_not_lose_puts():
    users = DirectoryCache()('users')

    def work(base):
        for i in range(200):
            users.put({'id': '%d-%d' % (base, i), 'name': 'n%d-%d' % (base, i)})
    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(users.values()) == 1600


def test_cached_directory_mixin_uses_the_spec():
    class Spec:
        @staticmethod
        def name_key(value):
            return value.lower()

    class Provider(_directory.CachedDirectory):
        spec = Spec()

    provider = Provider()
    provider.directory('users').put({'id': '1', 'name': 'Bo'})
    assert provider.directory('users').by_name('BO')['id'] == '1'
    assert provider.directory is provider.directory
    assert Provider().directory('users').by_name('bo') is MISS  # one cache per provider object


def test_collect():
    class Listing(list):
        complete = False
    assert _directory.collect(iter([1, 2])) == ([1, 2], True)
    assert _directory.collect(Listing([1])) == ([1], False)


def test_absent_ids_until_put():
    users = Directory(name='userId', id='userId')
    users.absent('u1')
    assert users.by_id('u1') is None and users.by_id('u2') is MISS
    users.put({'userId': 'u1'})
    assert users.by_id('u1') == {'userId': 'u1'}
    users.clear()
    assert users.by_id('u1') is MISS


def test_find_and_listed():
    roles = Directory()
    assert roles.find('admin') is None and not roles.listed
    roles.fill([{'id': 'r1', 'name': 'admin'}], complete=False)
    assert roles.listed and not roles.complete
    assert roles.find('admin')['id'] == 'r1' and roles.find('r1')['name'] == 'admin'


def test_complete_listing_sets_the_order():
    domains = Directory()
    domains.put({'id': 'b', 'name': 'B'})  # seeded before the listing (a token's domain)
    domains.fill([{'id': 'a', 'name': 'A'}, {'id': 'b', 'name': 'B'}])
    assert [d['id'] for d in domains.values()] == ['a', 'b']


def test_named_keeps_groups_that_share_a_name():
    groups = Directory()
    groups.fill([{'id': '1', 'name': 'ops'}, {'id': '2', 'name': 'ops'}, {'id': '3', 'name': 'dev'}])
    assert sorted(g['id'] for g in groups.named('ops')) == ['1', '2']
    assert sorted(g['id'] for g in groups.named()) == ['2', '3']  # one per name: the last put


def test_read_remembers_found_and_absent():
    tenants = Directory(name='tenantId', id='tenantId')
    calls = []

    def fetch(answer):
        def call():
            calls.append(answer)
            return answer
        return call
    assert tenants.read('t1', fetch({'tenantId': 't1'}))['tenantId'] == 't1'
    assert tenants.read('t1', fetch('never')) == {'tenantId': 't1'}
    assert tenants.read('t2', fetch(None)) is None
    assert tenants.read('t2', fetch('never')) is None  # known absent: no second request
    assert tenants.read('t2', fetch({'tenantId': 't2'}), cached=False) == {'tenantId': 't2'}
    assert calls == [{'tenantId': 't1'}, None, {'tenantId': 't2'}]


def test_held_never_answers_miss():
    users = Directory()
    assert users.held('1') is None
    users.put({'id': '1', 'name': 'a'})
    assert users.held('1')['name'] == 'a'
