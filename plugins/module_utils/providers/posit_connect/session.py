# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Posit Connect session: the server URL and API key, one HTTP session sending
``Authorization: Key <api_key>``, the caller (``GET /v1/user``) and the listing helpers.

Contract: the posit-sdk ``connect.users`` reference (``shared/seeds/002_*``); wire facts in
``docs/providers.md`` section 3 (``/__api__`` prefix, page_number/page_size pagination).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.iamops.identity.plugins.module_utils import _urls
from ansible_collections.iamops.identity.plugins.module_utils._auth import GivenCredentialAuth
from ansible_collections.iamops.identity.plugins.module_utils._failures import DEFAULT_ERROR_QUERY
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect.spec import SPEC
from ansible_collections.iamops.identity.plugins.module_utils.providers._session import open_client, require_options
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect._model import (
    next_page, page_params, truncated_prefix_search, user_from_api)

API_PREFIX = '/__api__'
# Connect's error body: {"code": <int>, "error": "<text>", "payload"}.
ERROR_QUERY = 'error || ' + DEFAULT_ERROR_QUERY


def api_base(url):
    """The ``__api__`` base URL of a Connect server URL, as posit-sdk builds it: the path
    ``/__api__`` is appended unless the URL already holds it; scheme and host are required."""
    url = _urls.check_url((url or '').strip(), 'api_url', 'posit_connect', path=SPEC.api_url_path, example='https://connect.example.com')
    parts = urlsplit(url)
    url = url.rstrip('/')
    if API_PREFIX not in parts.path:
        url += API_PREFIX
    return url


class KeyAuth(GivenCredentialAuth):
    """``Authorization: Key <api key>`` (posit-sdk's ``Auth``): the key is the credential, never
    renewed (a 401 means a wrong key), and only sent to the Connect server's origin."""

    def apply(self, request, credential):
        request.headers[self.header] = 'Key %s' % credential


class PositConnectSession:
    """Mixin: the HTTP session of :class:`PositConnectProvider`."""

    name = 'posit_connect'

    def __init__(self, params, warn=None, no_log_values=None, environ=None):
        super(PositConnectSession, self).__init__(params, warn, no_log_values)
        require_options(params, ('api_url', 'api_key'), self.name,
                        'or the environment variables CONNECT_SERVER and CONNECT_API_KEY, which posit-sdk also reads')
        api_key = _urls.check_secret(params['api_key'], 'api_key', self.name)
        open_client(self, api_base(params['api_url']), KeyAuth(api_key), secrets=(api_key,), error_query=ERROR_QUERY)
        self._me = None

    def me(self):
        """The user the API key belongs to (``GET /v1/user``), read once per run."""
        if self._me is None:
            self._me = user_from_api(self.client.json('GET', 'v1/user'))
        return self._me

    def _get(self, path, params=None):
        return self.client.get(path, params=params)

    def _send(self, method, path, json=None, ok=None, idempotent=None):
        """One write; ``idempotent=False`` is never resent by the client after a read error or a
        5xx (a POST never is): a lost answer comes back as ``outcome_unknown``."""
        return self.client.json(method, path, json=json, ok=ok, idempotent=idempotent)

    def _collect(self, path, params=None):
        """``(rows, complete)`` of a listing, every page (posit-sdk's stopping rule: an empty page,
        or ``total`` rows read). A ``prefix`` search is one page (Connect always answers its first
        page); ``complete`` is False when it matched more rows than that page holds."""
        seen = [0]
        truncated = []

        def items(body):
            rows = (body or {}).get('results') or []
            seen[0] += len(rows)
            return rows

        def following(body, response, current):
            if truncated_prefix_search(body, current):
                truncated.append(True)
            nxt = next_page(body, seen[0], current)
            return ('/' + path.lstrip('/'), nxt) if nxt else None   # an API path, not a link

        listing = self.client.paginate(path, page_params(params), items, following, key=lambda row: row.get('guid'))
        rows = list(listing)
        if listing.complete is False:
            self.warn('the listing of %s stopped early: %s' % (path, listing.reason))
        return rows, not truncated and listing.complete is not False
