# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keystone session: settings and auth (auth.py), the run's one token, the identity endpoint,
and the GET/send/list helpers every other part uses.

Contract: the openstacksdk ``identity.v3`` proxy reference and the Keystone API reference
(``shared/seeds/000_*`` and ``003_*``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import time

from ansible_collections.iamops.identity.plugins.module_utils._auth import CredentialAuth
from ansible_collections.iamops.identity.plugins.module_utils._failures import DEFAULT_ERROR_QUERY
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone import auth as _keystone_auth
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers._session import open_client
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone._model import (
    _paged, _page_items, _next_link)

# Writes sent once more after Keystone answered 500: what it answers, without detail, to a database
# deadlock or lock wait timeout between concurrent writes (MySQL/MariaDB, several workers, a
# parallel batch or another run). Only idempotent ones: a create's 500 is an unknown outcome,
# looked up by the module instead (Task.create_safely).
AGAIN_AFTER_500 = frozenset(('PUT', 'PATCH', 'DELETE'))
# Keystone's error body: {"error": {"code", "title", "message"}}; a proxy's, the usual shapes.
ERROR_QUERY = 'error.message || ' + DEFAULT_ERROR_QUERY


class KeystoneToken(CredentialAuth):
    """Keystone's auth strategy on the client: ``POST /v3/auth/tokens`` (or a given unscoped
    token used as it is), sent as ``X-Auth-Token``. What the token body teaches (the caller's
    domains, the catalog's identity endpoint) goes to the provider on every obtain."""

    header = 'X-Auth-Token'

    def __init__(self, provider):
        super(KeystoneToken, self).__init__()
        self.provider = provider
        method = provider.method
        self.static = isinstance(method, _keystone_auth.ExistingTokenAuth) and method.scope() is None
        self.renewable = not self.static  # a given token cannot be renewed by us

    def obtain(self, client):
        provider = self.provider
        if self.static:
            return {'id': provider.settings['auth']['token']}
        response = client.request('POST', provider.auth_url + '/auth/tokens', json=provider.method.body(),
                                  ok=(201, 200))
        body = client.decode(response) or {}  # a non-JSON answer (a proxy's page) is the error
        token_id = response.headers.get('X-Subject-Token')
        if not token_id:
            raise ConfigError('POST /v3/auth/tokens answered without X-Subject-Token', provider.name)
        provider.add_secret(token_id)
        provider._learn_token(body.get('token') or {})
        return {'id': token_id}

    def apply(self, request, credential):
        request.headers['X-Auth-Token'] = credential['id']

    def secrets(self, credential):
        return (credential['id'],)


class KeystoneSession:
    """Mixin: the HTTP session of :class:`KeystoneProvider`."""

    name = 'keystone'

    def __init__(self, params, warn=None, no_log_values=None, environ=None):
        super(KeystoneSession, self).__init__(params, warn, no_log_values)
        self.settings = _keystone_auth.resolve_settings(params, environ)
        self.method = _keystone_auth.auth_method(self.settings)
        self.auth_url = _keystone_auth.identity_url(self.settings['auth'].get('auth_url'))
        open_client(self, self.auth_url, KeystoneToken(self), options=dict(self.settings, timeout=params.get('timeout')),
                    secrets=self.method.secrets(), error_query=ERROR_QUERY)
        self._members = {}     # group_id -> set of user ids, filled by prefetch_group_members
        self._all_groups = None  # every group of every domain, after prefetch_all_memberships
        self._projects = {}  # (domain_id, name or id) -> project dict

    # ---- session -----------------------------------------------------------------------------
    def connect(self):
        """Get the run's token (once; renewed once by the client on a 401 when it can be) and
        pick the identity endpoint (catalog, else auth_url)."""
        if self.client.credential is None:
            self.client.authenticate()

    _token_domain = None  # {id, name} of the domain a domain-scoped token is scoped to

    def _learn_token(self, token):
        if token.get('domain') and not token.get('project') and not token.get('system'):
            self._token_domain = token['domain']
        for holder in (token.get('user'), token.get('project'), token.get('domain') and {'domain': token['domain']}):
            domain = (holder or {}).get('domain')
            if domain and domain.get('id') and domain.get('name'):
                self._cache_domain(domain)
        endpoint = self._catalog_endpoint(token.get('catalog') or [])
        if endpoint:
            self.client.base_url = endpoint.rstrip('/')

    def _catalog_endpoint(self, catalog):
        interface = self.settings.get('interface') or 'public'
        region = self.settings.get('region_name')
        for service in catalog:
            if service.get('type') != 'identity':
                continue
            for endpoint in service.get('endpoints') or []:
                if endpoint.get('interface') != interface:
                    continue
                if region and endpoint.get('region_id', endpoint.get('region')) != region:
                    continue
                url = endpoint.get('url', '').rstrip('/')
                return url if url.endswith('/v3') else url + '/v3'
        return None

    def _get(self, path, params=None):
        self.connect()
        return self.client.get(path, params=params)

    def _send(self, method, path, json=None, ok=None):
        self.connect()
        try:
            return self.client.json(method, path, json=json, ok=ok)
        except APIError as exc:
            if exc.status != 500 or method not in AGAIN_AFTER_500:
                raise
        with self.client.released():  # other items go on meanwhile (a parallel batch)
            time.sleep(0.2 + 0.3 * random.random())
        return self.client.json(method, path, json=json, ok=ok)

    def _listing(self, path, key, params):
        truncated = []
        listing = self.client.paginate(path, _paged(path, params), _page_items(key, truncated), _next_link)
        return listing, truncated

    @staticmethod
    def _incomplete(listing, truncated):
        """Why a listing did not bring every object, or None: Keystone cut it at list_limit
        (LDAP-backed listings, which ignore markers), or the client stopped a listing that
        repeated itself."""
        if truncated:
            return 'Keystone truncated it at its list_limit'
        if listing.complete is False:
            return listing.reason or 'the listing stopped early'
        return None

    def _list(self, path, key, params=None):
        """Stream the items of a listing (every page); warn if it came back incomplete."""
        self.connect()
        listing, truncated = self._listing(path, key, params)
        yield from listing
        reason = self._incomplete(listing, truncated)
        if reason:
            self.warn('the list of %s from %s is incomplete (%s); narrow the query with filters'
                      % (key, path, reason))

    def _collect(self, path, key, params=None, warn=False):
        """``(items, complete)`` of a whole listing; ``complete`` is False when it came back
        incomplete: a prefetch or a purge must then not stand for the whole set. ``warn``: say
        so, like :meth:`_list`."""
        self.connect()
        listing, truncated = self._listing(path, key, params)
        found = list(listing)
        reason = self._incomplete(listing, truncated)
        if reason and warn:
            self.warn('the list of %s from %s is incomplete (%s); narrow the query with filters'
                      % (key, path, reason))
        return found, reason is None
