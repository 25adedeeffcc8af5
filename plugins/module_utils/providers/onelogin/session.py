# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""OneLogin session: the API URL, the run's one OAuth2 access token (renewed once on a 401), the
rate limit read from every answer, and the request and listing helpers the other parts use.

Contract: OneLogin's ``UsersV1Api`` reference (``shared/seeds/004_*``) and docs/providers.md §1.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._client import HTTPClient
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError, IdentityError
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin import _model

TOKEN_PATH = '/auth/oauth2/v2/token'
PAGE = 100  # OneLogin's largest page


def api_url(params):
    """The API's base URL: ``api_url``, else ``https://<subdomain>.onelogin.com``, else the
    legacy regional host ``https://api.<region>.onelogin.com``."""
    given = [k for k in ('api_url', 'subdomain', 'region') if params.get(k)]
    if len(given) > 1:
        raise ConfigError('give one of api_url, subdomain and region, not %s' % ' and '.join(given), 'onelogin')
    if params.get('api_url'):
        url = params['api_url'].rstrip('/')
        if not url.startswith(('https://', 'http://')):
            raise ConfigError('api_url must start with https:// (got %r)' % params['api_url'], 'onelogin')
        return url
    if params.get('subdomain'):
        return 'https://%s.onelogin.com' % params['subdomain']
    if params.get('region'):
        return 'https://api.%s.onelogin.com' % params['region']
    raise ConfigError('onelogin needs the API URL: api_url (or ONELOGIN_URL), subdomain or region', 'onelogin')


def reset_wait(headers):
    """How long a rate-limited answer says to wait: ``X-RateLimit-Reset`` seconds (the client's
    ``wait_hint``; OneLogin sends no ``Retry-After``)."""
    found = _model.rate_limit(headers) or {}
    return found.get('reset')


class OneLoginSession:
    """Mixin: the HTTP session of :class:`OneLoginProvider`."""

    name = 'onelogin'

    def __init__(self, params, warn=None, no_log_values=None):
        super(OneLoginSession, self).__init__(params, warn, no_log_values)
        base = api_url(params)
        if not params.get('client_id') or not params.get('client_secret'):
            raise ConfigError('onelogin needs client_id and client_secret (or ONELOGIN_CLIENT_ID and '
                              'ONELOGIN_CLIENT_SECRET)', self.name)
        self._credentials = (params['client_id'], params['client_secret'])
        validate = params.get('validate_certs')
        self.client = HTTPClient(
            base, self.name, timeout=params.get('timeout') or 30.0,
            validate_certs=True if validate is None else validate, ca_path=params.get('ca_path'),
            headers={'Content-Type': 'application/json'}, wait_hint=reset_wait, retry_post_on_429=True)
        self.add_secret(params['client_secret'])
        for secret in self._no_log_values:
            self.client.add_secret(secret)
        self.client.session.hooks['response'].append(self._note_rate_limit)
        self.rate_limit = None
        self._token = None

    # ---- token and rate limit -------------------------------------------------------------------
    def connect(self):
        """Get the run's access token (client credentials, HTTP Basic as OneLogin's SDK sends)."""
        if self._token is not None:
            return
        response = self.client.request('POST', TOKEN_PATH, json={'grant_type': 'client_credentials'},
                                       auth=self._credentials)
        self.client.stats['writes'] -= 1  # a token changes no identity state
        body = self.client.decode(response) or {}
        token = body.get('access_token')
        if not token:
            raise ConfigError('POST %s answered without access_token' % TOKEN_PATH, self.name)
        self.add_secret(token)
        self.add_secret(body.get('refresh_token'))
        self._token = token
        self.client.session.headers['Authorization'] = 'Bearer ' + token

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
                '%s needs at least %d requests but only %d of the rate limit (%s an hour) are left; '
                'it resets in %s s. Nothing was changed: run it after the reset or in smaller batches'
                % (what, needed, self.rate_limit['remaining'], self.rate_limit.get('limit', '?'),
                   self.rate_limit.get('reset', '?')), self.name)

    # ---- requests ----------------------------------------------------------------------------------
    def _call(self, method, path, **kwargs):
        """One request; on a 401 the token is renewed once (it expired or was revoked) and the
        request sent again (a 401 means nothing was done)."""
        self.connect()
        try:
            return self._send(method, path, kwargs)
        except APIError as exc:
            if exc.status != 401:
                raise
        self._token = None
        self.client.session.headers.pop('Authorization', None)
        self.connect()
        return self._send(method, path, kwargs)

    def _send(self, method, path, kwargs):
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

    def _get_or_none(self, path):
        try:
            return self._json('GET', path)
        except APIError as exc:
            if exc.status == 404:
                return None
            raise

    def _list_v2(self, path, params=None):
        """Every item of a v2 listing: bare arrays, next page from the ``After-Cursor`` header."""
        params = dict(params or {})
        params.setdefault('limit', PAGE)
        while path:
            response = self._call('GET', path, params=params)
            yield from self.client.decode(response) or []
            following = _model.v2_next(response.headers, path, params)
            path, params = following if following else (None, None)

    def _list_v1(self, path, params=None):
        """Every item of a v1 listing: envelopes, next page from ``pagination.after_cursor``."""
        params = dict(params or {})
        params.setdefault('limit', PAGE)
        while path:
            body = self._json('GET', path, params=params)
            yield from _model.v1_data(body)
            following = _model.v1_next(body, path, params)
            path, params = following if following else (None, None)
