"""The Authress JWT the collection signs: the SDK's claims, verified by PyJWT and by the emulator."""

import base64

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress import _auth


def key_text(private_key, client='sc_a|b', key_id='k1', account='acc_1'):
    der = private_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return '%s.%s.%s.%s' % (client, key_id, account, base64.b64encode(der).decode())


@pytest.fixture
def private_key():
    return Ed25519PrivateKey.generate()


def test_token_carries_the_sdk_claims_and_verifies(private_key):
    token, expires = _auth.AccessKey(key_text(private_key)).sign('http://127.0.0.1:8080/', 1_800_000_000)
    assert jwt.get_unverified_header(token) == {'alg': 'EdDSA', 'kid': 'k1', 'typ': 'JWT'}
    claims = jwt.decode(token, private_key.public_key(), algorithms=['EdDSA'], audience='acc_1.accounts.authress.io',
                        options={'verify_exp': False, 'verify_iat': False})
    assert claims == {'iss': 'http://127.0.0.1:8080/v1/clients/sc_a%7Cb', 'aud': 'acc_1.accounts.authress.io',
                      'iat': 1_800_000_000, 'exp': 1_800_086_400, 'sub': 'sc_a|b', 'client_id': 'sc_a|b',
                      'scopes': 'openId'}
    assert expires == 1_800_086_400


@pytest.mark.parametrize('url, origin', [
    ('', 'https://acc_1.api.authress.io'),
    ('https://acc_1.api-eu-west.authress.io', 'https://acc_1.api.authress.io'),
    ('auth.example.com', 'https://auth.example.com'),
    ('https://auth.example.com/', 'https://auth.example.com'),
])
def test_issuer_origin_follows_the_sdk(private_key, url, origin):
    assert _auth.AccessKey(key_text(private_key)).issuer(url) == origin + '/v1/clients/sc_a%7Cb'


def test_token_is_reused_then_renewed_an_hour_before_expiry(private_key):
    now = [1_800_000_000.0]
    seen = []
    source = _auth.TokenSource(key_text(private_key), 'http://h', on_new_token=seen.append, clock=lambda: now[0])
    first = source.token()
    now[0] += 86400 - 3601
    assert source.token() == first and source.signed == 1
    now[0] += 2
    second = source.token()
    assert second != first and source.signed == 2 and seen == [first, second]


@pytest.mark.parametrize('text', [
    '', 'a.b.c', 'a..c.d', 'a.b.c.not-base64!',
    base64.b64encode(b'{"clientId": "x", "keyId": "y", "audience": "z", "privateKey": "p"}').decode(),
])
def test_malformed_keys_are_refused_without_echoing_them(text):
    with pytest.raises(ConfigError) as caught:
        _auth.AccessKey(text)
    assert 'clientId.keyId.accountId' in str(caught.value) or 'Ed25519' in str(caught.value)
    if len(text) > 4:
        assert text not in str(caught.value)


def test_a_non_ed25519_key_is_refused():
    rsa = generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(ConfigError, match='no Ed25519 private key'):
        _auth.AccessKey(key_text(rsa))
