"""Authress group references against the emulator, with the provider itself: the reference rule
holds even if the server's search did not look through IDs (its documentation says "every text
field"; whether the ID is one is not said)."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress.provider import AuthressProvider
from ansible_collections.iamops.identity.tests.emulators.authress.server import AuthressEmulator


@pytest.fixture(scope='module')
def server():
    with AuthressEmulator() as emulator:
        yield emulator


@pytest.fixture
def provider(server):
    server.reset()
    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    server.seed({'clients': [{'clientId': 'sc_1', 'keys': [{'keyId': 'k', 'publicKey': base64.b64encode(raw).decode()}]}],
                 'groups': [{'groupId': 'grp_ops', 'name': 'Ops', 'users': [], 'admins': []},
                            {'groupId': 'grp_imposter', 'name': 'grp_ops', 'users': [], 'admins': []}]})
    der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return AuthressProvider({'api_url': server.url, 'access_key': 'sc_1.k.acc_emulator.' + base64.b64encode(der).decode()})


def test_a_search_that_missed_the_id_is_completed_by_a_get(server, provider, monkeypatch):
    real = provider._whole

    def names_only(kind, params=None):   # a search through names only
        return [g for g in real(kind, params) if g['name'] == (params or {}).get('filter')]
    monkeypatch.setattr(provider, '_whole', names_only)
    mark = server.mark()
    with pytest.raises(ConfigError) as caught:
        provider.find_group('grp_ops')
    assert "grp_imposter 'grp_ops'" in str(caught.value) and "grp_ops 'Ops'" in str(caught.value)
    assert [(e['method'], e['path']) for e in server.entries(mark)] == [('GET', '/v1/groups'), ('GET', '/v1/groups/grp_ops')]


def test_a_name_not_like_an_id_costs_one_search_and_is_cached(server, provider):
    mark = server.mark()
    assert provider.find_group('Ops')['id'] == 'grp_ops'
    assert provider.find_group('Ops')['id'] == 'grp_ops'
    assert [(e['method'], e['path']) for e in server.entries(mark)] == [('GET', '/v1/groups')]
    assert provider.find_group('grp_imposter')['name'] == 'grp_ops'   # found by the search (IDs searched here)
    assert [e['path'] for e in server.entries(mark)] == ['/v1/groups', '/v1/groups']
