"""KeystoneProvider's parallel writes and its one resend of an idempotent write answered 500
(what Keystone answers to a database deadlock between concurrent writes), scripted server."""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone.provider import KeystoneProvider

BUSY = (500, {'error': {'code': 500, 'message': 'An unexpected error prevented the server from fulfilling your request.'}}, None)


def make(server, **params):
    prov = KeystoneProvider(dict({'auth': {'auth_url': server.url + '/v3', 'token': 'tok-123456'}}, **params), environ={})
    prov._cache_domain({'id': 'default', 'name': 'Default'})
    return prov


def paths(server):
    return [(r['method'], r['path']) for r in server.requests]


def test_an_idempotent_write_answered_500_is_sent_once_more(server):
    provider = make(server)
    server.answer(BUSY, (204, None, None))
    provider.add_group_user({'id': 'g1', 'name': 'ops'}, {'id': 'u1', 'name': 'jdoe'})
    assert paths(server) == [('PUT', '/v3/groups/g1/users/u1')] * 2


def test_a_second_500_is_the_error_and_a_create_is_never_resent(server):
    provider = make(server)
    server.answer(BUSY, BUSY)
    with pytest.raises(APIError) as err:
        provider.add_group_user({'id': 'g1', 'name': 'ops'}, {'id': 'u1', 'name': 'jdoe'})
    assert err.value.status == 500 and len(server.requests) == 2
    server.answer(BUSY)
    with pytest.raises(APIError) as err:
        provider.create_user({'name': 'jdoe'})
    assert err.value.outcome_unknown and paths(server)[-1:] == [('POST', '/v3/users')]
    assert [p for p in paths(server) if p[0] == 'POST'] == [('POST', '/v3/users')]  # once: the module looks it up


def test_memberships_and_grants_in_order_name_what_was_done_on_failure(server):
    provider = make(server, parallel=1)
    server.answer((204, None, None), (403, {'error': {'code': 403, 'message': 'nope'}}, None))
    group = {'id': 'g1', 'name': 'ops'}
    with pytest.raises(APIError) as err:
        provider.apply_memberships(add=[(group, {'id': 'u1', 'name': 'ann'}), (group, {'id': 'u2', 'name': 'bob'}),
                                        (group, {'id': 'u3', 'name': 'cid'})])
    assert str(err.value).endswith('; done before this failure: added ann to ops')
    assert paths(server) == [('PUT', '/v3/groups/g1/users/u1'), ('PUT', '/v3/groups/g1/users/u2')]  # cid not sent
