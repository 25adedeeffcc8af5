"""Authress bodies <-> common model (pure functions)."""

from ansible_collections.iamops.identity.plugins.module_utils.providers.authress import _model as m

RECORD = {
    'recordId': 'rec_1', 'name': 'Payroll', 'status': 'ACTIVE', 'lastUpdated': '2026-01-01T00:00:00.000Z',
    'account': {'accountId': 'acc'}, 'links': {'self': {'href': 'x'}},
    'users': [{'userId': 'u1'}, {'userId': 'google|2'}], 'groups': [{'groupId': 'grp_a'}], 'admins': [],
    'statements': [{'roles': ['ro_view', 'ro_edit'], 'resources': [{'resourceUri': '/payroll/*'}]}],
    'tags': {'managed-by': 'iamops.identity'},
}


def test_user_from_api():
    assert m.user_from_api({'userId': 'google|1', 'name': 'Ada', 'email': 'a@x'}, tenant='corp') == {
        'id': 'google|1', 'name': 'google|1', 'full_name': 'Ada', 'email': 'a@x', 'picture': None, 'tenant': 'corp'}


def test_group_round_trip_drops_read_only_fields():
    body = {'groupId': 'grp_a', 'name': 'A', 'users': [{'userId': 'u1'}], 'admins': [{'userId': 'u2'}],
            'lastUpdated': '2026-01-01T00:00:00.000Z', 'links': {'self': {'href': 'x'}}}
    group = m.group_from_api(body)
    assert group == {'id': 'grp_a', 'name': 'A', 'users': ['u1'], 'admins': ['u2'], 'tags': {},
                     'last_updated': '2026-01-01T00:00:00.000Z'}
    assert m.group_to_api(group) == {'groupId': 'grp_a', 'name': 'A', 'users': [{'userId': 'u1'}],
                                     'admins': [{'userId': 'u2'}]}
    assert m.group_to_api({'name': 'New', 'tags': {'t': '1'}}) == {'name': 'New', 'users': [], 'admins': [],
                                                                   'tags': {'t': '1'}}


def test_record_round_trip():
    record = m.record_from_api(RECORD)
    assert record['users'] == ['u1', 'google|2'] and record['groups'] == ['grp_a']
    assert record['statements'] == [{'roles': ['ro_view', 'ro_edit'], 'resources': ['/payroll/*'],
                                     'users': [], 'groups': []}]
    assert m.is_managed(record) and record['status'] == 'ACTIVE'
    body = m.record_to_api(record)
    assert body == {'recordId': 'rec_1', 'name': 'Payroll', 'users': RECORD['users'], 'groups': RECORD['groups'],
                    'statements': RECORD['statements'], 'tags': RECORD['tags']}


def test_actor_grants_of_record_level_actors():
    assert m.actor_grants(m.record_from_api(RECORD)) == {
        ('user', 'u1'): {('ro_view', ('/payroll/*',)), ('ro_edit', ('/payroll/*',))},
        ('user', 'google|2'): {('ro_view', ('/payroll/*',)), ('ro_edit', ('/payroll/*',))},
        ('group', 'grp_a'): {('ro_view', ('/payroll/*',)), ('ro_edit', ('/payroll/*',))}}


def test_statement_level_actors_hold_their_statement_only():
    body = {'recordId': 'r', 'name': 'n', 'statements': [
        {'roles': ['a'], 'resources': [{'resourceUri': '/y'}, {'resourceUri': '/x'}], 'users': [{'userId': 'u1'}]},
        {'roles': ['b'], 'resources': [{'resourceUri': '/y'}], 'groups': [{'groupId': 'g'}]}]}
    record = m.record_from_api(body)
    assert m.actor_grants(record) == {('user', 'u1'): {('a', ('/x', '/y'))}, ('group', 'g'): {('b', ('/y',))}}
    assert m.record_to_api(record)['statements'][0]['users'] == [{'userId': 'u1'}]
    assert not m.is_managed(record)


def test_regroup_keeps_actors_on_the_record_while_they_hold_the_same():
    record = {'id': 'r', 'name': 'n', 'statements': []}
    same = {('user', 'u2'): {('a', ('/x',)), ('b', ('/x',))}, ('user', 'u1'): {('b', ('/x',)), ('a', ('/x',))},
            ('group', 'g'): {('a', ('/x',)), ('b', ('/x',))}}
    after = m.regroup(record, same)
    assert after['users'] == ['u1', 'u2'] and after['groups'] == ['g']
    assert after['statements'] == [{'roles': ['a', 'b'], 'resources': ['/x'], 'users': [], 'groups': []}]
    assert m.actor_grants(after) == same


def test_regroup_moves_actors_to_statements_when_their_grants_differ():
    record = {'id': 'r', 'name': 'n', 'statements': []}
    wanted = {('user', 'u1'): {('a', ('/x',))}, ('user', 'u2'): {('a', ('/x',)), ('b', ('/y',))},
              ('group', 'g'): {('a', ('/x',))}}
    after = m.regroup(record, wanted)
    assert after['users'] == [] and after['groups'] == []
    assert m.actor_grants(after) == wanted             # nobody gains or loses anything
    assert len(after['statements']) == 3


def test_regroup_without_actors_keeps_the_statements():
    record = m.record_from_api(RECORD)
    after = m.regroup(record, {})
    assert after['users'] == [] and after['groups'] == [] and m.actor_grants(after) == {}
    assert [s['roles'] for s in after['statements']] == [['ro_view', 'ro_edit']]


def test_tenant_round_trip_keeps_unmanaged_fields():
    raw = {'tenantId': 'ten_a', 'tenantLookupIdentifier': 'acme', 'data': {'name': 'Acme'},
           'domains': [{'domain': 'acme.example'}], 'connection': {'connectionId': 'con_1'},
           'tokenConfiguration': {'accessTokenDurationInSeconds': 3600}, 'createdTime': '2026-01-01T00:00:00Z'}
    tenant = m.tenant_from_api(raw)
    assert tenant == {'id': 'ten_a', 'name': 'Acme', 'lookup_identifier': 'acme', 'domains': ['acme.example'],
                      'connection_id': 'con_1', 'created': '2026-01-01T00:00:00Z'}
    body = m.tenant_to_api({'id': 'ten_a', 'domains': ['acme.example', 'acme.test'], 'name': None}, raw)
    assert body['domains'] == [{'domain': 'acme.example'}, {'domain': 'acme.test'}]
    assert body['tokenConfiguration'] == raw['tokenConfiguration'] and 'createdTime' not in body
    assert body['data'] == {'name': 'Acme'}
    assert 'connection' not in m.tenant_to_api({'id': 'ten_a', 'connection_id': ''}, raw)
    assert m.tenant_to_api({'id': 'ten_b', 'name': 'B'}) == {'tenantId': 'ten_b', 'data': {'name': 'B'}}
