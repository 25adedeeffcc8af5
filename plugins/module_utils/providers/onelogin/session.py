# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""OneLogin session: the API URL, the run's one OAuth2 access token (the client's auth strategy:
obtained once, renewed once on a 401), the rate limit read from every answer, and the request and
listing helpers the other parts use.

Contract: OneLogin's ``UsersV1Api`` reference (``shared/seeds/004_*``) and docs/providers.md §1.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils import _urls
from ansible_collections.iamops.identity.plugins.module_utils._auth import CredentialAuth
from ansible_collections.iamops.identity.plugins.module_utils._failures import DEFAULT_ERROR_QUERY
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError, IdentityError
from ansible_collections.iamops.identity.plugins.module_utils._handlers import missing_is_none
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin.spec import SPEC
from ansible_collections.iamops.identity.plugins.module_utils.providers._session import open_client
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin import _model

TOKEN_PATH = '/auth/oauth2/v2/token'
PAGE = 100  # OneLogin's largest page
# OneLogin's error bodies: v1 {"status": {"message"}}, v2 {"statusCode", "name", "message"}.
ERROR_QUERY = 'status.message || message || ' + DEFAULT_ERROR_QUERY


def api_url(params):
    """The API's base URL: ``api_url``, else ``https://<subdomain>.onelogin.com``, else the
    legacy regional host ``https://api.<region>.onelogin.com``."""
    given = [k for k in ('api_url', 'subdomain', 'region') if params.get(k)]
    if len(given) > 1:
        raise ConfigError('give one of api_url, subdomain and region, not %s' % ' and '.join(given), 'onelogin')
    if params.get('api_url'):
        return _urls.check_url(params['api_url'], 'api_url', 'onelogin', path=SPEC.api_url_path,
                               example='https://<subdomain>.onelogin.com')
    if params.get('subdomain'):
        label = _urls.check_label(params['subdomain'], 'subdomain', 'onelogin',
                                  "account's subdomain (the acme of acme.onelogin.com)")
        return 'https://%s.onelogin.com' % label
    if params.get('region'):
        return 'https://api.%s.onelogin.com' % _urls.check_label(params['region'], 'region', 'onelogin', 'region')
    raise ConfigError('onelogin needs the API URL: api_url (or ONELOGIN_URL), subdomain or region', 'onelogin')


def reset_wait(response):
    """How long a rate-limited answer says to wait: ``X-RateLimit-Reset`` seconds (the client's
    ``retry_after`` hook; OneLogin sends no ``Retry-After``)."""
    found = _model.rate_limit(response.headers) or {}
    return found.get('reset')


class OneLoginToken(CredentialAuth):
    """OAuth2 client credentials: ``POST /auth/oauth2/v2/token`` with HTTP Basic (what OneLogin's
    SDK sends), the access token then sent as ``Authorization: Bearer``."""

    def __init__(self, provider, client_id, client_secret):
        super(OneLoginToken, self).__init__()
        self.provider = provider
        self._credentials = (client_id, client_secret)

    def obtain(self, client):
        body = client.json('POST', TOKEN_PATH, json={'grant_type': 'client_credentials'}, auth=self._credentials)
        if not (body or {}).get('access_token'):
            raise ConfigError('POST %s answered without access_token' % TOKEN_PATH, 'onelogin')
        for secret in self.secrets(body):  # out of the module's output too, renewed tokens included
            self.provider.add_secret(secret)
        return body

    def apply(self, request, credential):
        request.headers['Authorization'] = 'Bearer %s' % credential['access_token']

    def secrets(self, credential):
        return tuple(v for v in (credential.get('access_token'), credential.get('refresh_token')) if v)


class OneLoginSession:
    """Mixin: the HTTP session of :class:`OneLoginProvider`."""

    name = 'onelogin'

    def __init__(self, params, warn=None, no_log_values=None):
        super(OneLoginSession, self).__init__(params, warn, no_log_values)
        base = api_url(params)
        if not params.get('client_id') or not params.get('client_secret'):
            raise ConfigError('onelogin needs client_id and client_secret (or ONELOGIN_CLIENT_ID and '
                              'ONELOGIN_CLIENT_SECRET)', self.name)
        _urls.check_secret(params['client_secret'], 'client_secret', self.name)
        open_client(self, base, OneLoginToken(self, params['client_id'], params['client_secret']),
                    secrets=(params['client_secret'],), error_query=ERROR_QUERY, retry_after=reset_wait)
        self.client.session.hooks['response'].append(self._note_rate_limit)
        self.rate_limit = None

    # ---- rate limit ------------------------------------------------------------------------------
    def _note_rate_limit(self, response, *args, **kwargs):
        found = _model.rate_limit(response.headers)
        if found:
            self.rate_limit = found
        return response

    def report(self):
        """Every result says how much of the account's rate limit is left."""
        return {'rate_limit': dict(self.rate_limit)} if self.rate_limit else {}

    def check_budget(self, needed, what):
        """Refuse a batch that cannot finish within the rate limit left, before its first write.

        ``needed`` is the fewest requests it will send (a lower bound, so nothing that could
        finish is refused)."""
        if not self.rate_limit or 'remaining' not in self.rate_limit:
            return
        if needed > self.rate_limit['remaining']:
            raise IdentityError(
                '%s needs at least %d requests but only %d of the rate limit (%s per window) are left; '
                'it resets in %s s. Nothing was changed: run it after the reset or in smaller batches'
                % (what, needed, self.rate_limit['remaining'], self.rate_limit.get('limit', '?'),
                   self.rate_limit.get('reset', '?')), self.name)

    # ---- requests ----------------------------------------------------------------------------------
    def _call(self, method, path, **kwargs):
        """One request (the client renews the token once on a 401); a 429 that outlasted the
        retries says when the rate limit resets."""
        try:
            return self.client.request(method, path, **kwargs)
        except APIError as exc:
            if exc.status == 429 and self.rate_limit:
                exc.message += ' (rate limit of %s requests exhausted; it resets in %s s)' % (
                    self.rate_limit.get('limit', '?'), self.rate_limit.get('reset', '?'))
            raise

    def _json(self, method, path, **kwargs):
        return self.client.decode(self._call(method, path, **kwargs))

    def _v1(self, method, path, **kwargs):
        """A v1 call: the envelope's ``data`` (``[]`` for an action endpoint's bare status)."""
        return _model.v1_data(self._json(method, path, **kwargs))

    @missing_is_none
    def _get_or_none(self, path):
        return self._json('GET', path)

    def _list_v2(self, path, params=None):
        """Every item of a v2 listing: bare arrays, next page from the ``After-Cursor`` header."""
        params = dict(params or {})
        params.setdefault('limit', PAGE)
        return self._complete(path, self.client.paginate(
            path, params, lambda body: body or [],
            lambda body, response, params: _model.v2_next(response.headers, path, params)))

    def _list_v1(self, path, params=None):
        """Every item of a v1 listing: envelopes, next page from ``pagination.after_cursor``."""
        params = dict(params or {})
        params.setdefault('limit', PAGE)
        return self._complete(path, self.client.paginate(
            path, params, _model.v1_data, lambda body, response, params: _model.v1_next(body, path, params)))

    def _complete(self, path, listing):
        """Yield a listing's items; one that stopped short is an error (the rest would be guessed)."""
        yield from listing
        if listing.complete is False:
            raise IdentityError('the listing of %s stopped short: %s' % (path, listing.reason), self.name)
