"""The Authress session against the emulator: JWT accepted, cursor listings, 412 recovery, delete wait."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress.session import AuthressSession
from ansible_collections.iamops.identity.tests.emulators.authress.server import AuthressEmulator


class Session(AuthressSession, Provider):
    pass


@pytest.fixture(scope='module')
def server():
    with AuthressEmulator() as emulator:
        yield emulator


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def emu(server, key):
    server.reset()
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    server.seed({'clients': [{'clientId': 'sc_1', 'keys': [{'keyId': 'k', 'publicKey': base64.b64encode(raw).decode()}]}],
                 'settings': {'page_size': 2, 'delete_delay': 0.2}})
    return server


def access_key(key, account='acc_emulator'):
    der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return 'sc_1.k.%s.%s' % (account, base64.b64encode(der).decode())


@pytest.fixture
def session(emu, key):
    return Session({'api_url': emu.url + '/', 'access_key': access_key(key)})


def test_listing_follows_cursors_with_the_largest_pages(emu, session):
    emu.seed({'users': [{'userId': 'u%d' % i} for i in range(5)]})
    assert [u['userId'] for u in session._list('users')] == ['u0', 'u1', 'u2', 'u3', 'u4']
    queries = [r['query'] for r in emu.requests('GET', '/v1/users$')]
    assert [q['limit'] for q in queries] == ['100'] * 3 and 'cursor' not in queries[0]
    assert session.tokens.signed == 1          # one JWT for the whole run


def test_ids_are_url_encoded(emu, session):
    emu.seed({'users': [{'userId': 'google|42'}]})
    assert session._get(session._path('users', 'google|42'))['userId'] == 'google|42'
    assert emu.requests()[0]['path'] == '/v1/users/google%7C42'


def test_a_stale_put_reads_again_and_retries_once(emu, session):
    emu.seed({'groups': [{'groupId': 'grp_a', 'name': 'A', 'users': [], 'admins': []}],
              'settings': {'bump_after_read': {'groups/grp_a': 1}}})
    current = session._get(session._path('groups', 'grp_a'))     # a concurrent writer changes it right after

    def add_bob(group):
        return dict(name=group['name'], admins=group['admins'], users=group['users'] + [{'userId': 'bob'}])

    written = session._put_unmodified('groups', 'grp_a', current, add_bob)
    assert written['users'] == [{'userId': 'bob'}]
    assert emu.dump()['groups']['grp_a']['users'] == [{'userId': 'bob'}]
    assert [(r['method'], r['status']) for r in emu.requests()] == [('GET', 200), ('PUT', 412), ('GET', 200), ('PUT', 200)]


def test_a_second_412_fails_clearly(emu, session):
    emu.seed({'groups': [{'groupId': 'grp_a', 'name': 'A', 'users': [], 'admins': []}],
              'settings': {'bump_after_read': {'groups/grp_a': 2}}})
    current = session._get(session._path('groups', 'grp_a'))
    with pytest.raises(APIError) as caught:
        session._put_unmodified('groups', 'grp_a', current, lambda g: dict(name='B', users=[], admins=[]))
    assert caught.value.status == 412 and 'kept changing' in str(caught.value)
    assert emu.dump()['groups']['grp_a']['name'] == 'A'


def test_delete_wait_polls_until_gone(emu, session):
    emu.seed({'users': [{'userId': 'u1'}]})
    session._send('DELETE', session._path('users', 'u1'), ok=(202,))
    assert session._wait_gone(session._path('users', 'u1'), timeout=5, interval=0.05) is True
    gets = emu.requests('GET')
    assert len(gets) >= 2 and gets[-1]['status'] == 404 and gets[0]['status'] == 200


def test_a_bad_key_is_a_401_without_the_key_or_token_in_the_message(emu):
    other = access_key(Ed25519PrivateKey.generate())
    session = Session({'api_url': emu.url, 'access_key': other})
    with pytest.raises(APIError) as caught:
        session._get(session._path('users'))
    text = str(caught.value)
    assert caught.value.status == 401 and 'signature' in text
    assert other not in text and other.split('.')[-1] not in text and session.tokens.token() not in text


def test_missing_settings_are_refused():
    with pytest.raises(ConfigError, match='api_url'):
        Session({'access_key': 'x'})
    with pytest.raises(ConfigError, match='access_key'):
        Session({'api_url': 'https://acc.api.authress.io'})


def test_a_long_run_signs_a_new_jwt_before_the_first_expires(emu, session):
    import time
    emu.seed({'users': [{'userId': 'u1'}]})
    now = [time.time()]
    session.tokens._clock = lambda: now[0]
    session._get(session._path('users', 'u1'))
    first = session.client.credential
    now[0] += 86400 - 3000          # less than an hour of validity left: re-signed before sending
    session._get(session._path('users', 'u1'))
    assert session.tokens.signed == 2 and session.client.credential != first
    assert [r['status'] for r in emu.requests()] == [200, 200]
    assert first in session.client.secrets and session.client.credential in session.client.secrets
