# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authress service client authentication: the access key and the JWT signed from it.

Authress has no token endpoint for service clients: the caller signs a JWT with the service
client's Ed25519 private key and sends it as ``Authorization: Bearer <jwt>`` (docs/providers.md
section 2.2, and ``ServiceClientTokenProvider`` of the ``authress`` Python SDK 3.1.126, which this
module follows claim for claim):

* access key: ``<clientId>.<keyId>.<accountId>.<base64 PKCS#8 DER Ed25519 private key>``;
* JWS header ``{"alg": "EdDSA", "kid": <keyId>, "typ": "JWT"}``;
* claims ``iss = <origin>/v1/clients/<urlencoded clientId>`` (origin: the API URL, or
  ``https://<accountId>.api.authress.io`` when the URL is on ``.authress.io``),
  ``aud = <accountId>.accounts.authress.io``, ``iat``, ``exp = iat + 24 h``, ``sub`` and
  ``client_id = <clientId>``, ``scopes = "openId"``;
* a token is re-signed when less than one hour of validity is left.

Signing uses ``cryptography`` (an ansible-core dependency) directly: a JWS is two base64url JSON
documents and a signature, no JWT library needed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import json
import time
import traceback

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError

CRYPTOGRAPHY_IMPORT_ERROR = None
try:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_der_private_key
except ImportError:  # pragma: no cover - reported by the provider
    Ed25519PrivateKey = None
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()

TOKEN_LIFETIME = 86400      # seconds, as the SDK signs
RENEW_BEFORE = 3600         # re-sign when less than this is left, as the SDK does


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def _json_b64url(obj):
    return _b64url(json.dumps(obj, separators=(',', ':')).encode('utf-8'))


def normalize_url(url):
    """The API URL as the SDK uses it: ``https://`` added to a bare host, no trailing slash."""
    url = (url or '').strip()
    if url and '://' not in url:
        url = 'https://' + url
    return url.rstrip('/')


class AccessKey:
    """A parsed service client access key. ``private_key`` never leaves this object."""

    def __init__(self, text):
        if Ed25519PrivateKey is None:
            raise ConfigError('the Python library cryptography is needed to sign Authress tokens',
                              provider='authress')
        parts = (text or '').strip().split('.')
        if len(parts) != 4 or not all(parts):
            raise ConfigError('access_key is not an Authress service client access key '
                              '(expected clientId.keyId.accountId.privateKey; legacy JSON keys are not '
                              'supported, create a new access key for the service client)', provider='authress')
        self.client_id, self.key_id, self.account_id = parts[:3]
        try:
            key = load_der_private_key(base64.b64decode(parts[3], validate=True), password=None)
        except (ValueError, TypeError, binascii.Error):
            key = None
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigError('access_key holds no Ed25519 private key in its last part', provider='authress')
        self._private_key = key

    def issuer(self, api_url):
        url = normalize_url(api_url)
        origin = url if url and '.authress.io' not in url else 'https://%s.api.authress.io' % self.account_id
        return '%s/v1/clients/%s' % (origin, quote(self.client_id, safe=''))

    def sign(self, api_url, now):
        """A JWT for ``api_url`` issued at ``now`` (epoch seconds): ``(token, expiry)``."""
        iat = int(now)
        claims = {'iss': self.issuer(api_url), 'aud': '%s.accounts.authress.io' % self.account_id,
                  'iat': iat, 'exp': iat + TOKEN_LIFETIME, 'sub': self.client_id,
                  'client_id': self.client_id, 'scopes': 'openId'}
        signing_input = '%s.%s' % (_json_b64url({'alg': 'EdDSA', 'kid': self.key_id, 'typ': 'JWT'}),
                                   _json_b64url(claims))
        signature = self._private_key.sign(signing_input.encode('ascii'))
        return '%s.%s' % (signing_input, _b64url(signature)), claims['exp']


class TokenSource:
    """The bearer token of a run: signed on first use, re-signed before it expires.

    ``on_new_token`` is called with every new token (the provider registers it as a secret).
    """

    def __init__(self, access_key, api_url, on_new_token=None, clock=time.time):
        self.key = AccessKey(access_key)
        self.api_url = api_url
        self._on_new_token = on_new_token or (lambda token: None)
        self._clock = clock
        self._token = None
        self._expires = 0
        self.signed = 0     # how many tokens this run signed

    def token(self):
        now = self._clock()
        if self._token is None or self._expires - now < RENEW_BEFORE:
            self._token, self._expires = self.key.sign(self.api_url, now)
            self.signed += 1
            self._on_new_token(self._token)
        return self._token
