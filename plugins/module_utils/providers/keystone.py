# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""OpenStack Keystone v3 provider.

Contract: the openstacksdk ``identity.v3`` proxy reference and the Keystone API reference for users
(``shared/seeds/000_*`` and ``003_*``): ``GET/POST /v3/users``, ``GET/PATCH/DELETE /v3/users/{id}``.

Request economy: one token per run (its body also tells us the caller's user and project domains,
which seed the domain cache, so ``domain: Default`` usually costs nothing); every name (domain,
project) is resolved once per run and cached.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._client import HTTPClient
from ansible_collections.iamops.identity.plugins.module_utils._errors import (
    APIError, ConfigError, NotFoundError)
from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider
from ansible_collections.iamops.identity.plugins.module_utils.providers import _keystone_auth

# Attributes of a Keystone user that are not "extra" (everything else Keystone returns at the
# top level of a user is an extra attribute it stores as given).
USER_CORE = ('id', 'name', 'domain_id', 'enabled', 'email', 'description', 'default_project_id',
             'password_expires_at', 'options', 'federated')
USER_HIDDEN = ('links', 'password')


def _user(raw):
    """A Keystone user in the common model: core attributes plus ``extra``."""
    user = dict((k, raw.get(k)) for k in USER_CORE if k in raw)
    user.setdefault('email', None)
    user.setdefault('description', None)
    user.setdefault('default_project_id', None)
    user['extra'] = dict((k, v) for k, v in raw.items() if k not in USER_CORE and k not in USER_HIDDEN)
    return user


def _user_body(fields):
    """Common-model user fields -> the ``user`` object Keystone takes."""
    body = dict((k, v) for k, v in fields.items() if k != 'extra')
    body.update(fields.get('extra') or {})
    return {'user': body}


def _next_link(body, response, params):
    nxt = ((body or {}).get('links') or {}).get('next')
    return (nxt, None) if nxt else None


class KeystoneProvider(Provider):
    name = 'keystone'

    def __init__(self, params, warn=None, no_log_values=None, environ=None):
        super(KeystoneProvider, self).__init__(params, warn, no_log_values)
        self.settings = _keystone_auth.resolve_settings(params, environ)
        self.method = _keystone_auth.auth_method(self.settings)
        for secret in self.method.secrets():
            self.add_secret(secret)
        self.auth_url = _keystone_auth.identity_url(self.settings['auth'].get('auth_url'))
        self.client = HTTPClient(
            self.auth_url, self.name, timeout=params.get('timeout') or 30.0,
            validate_certs=self.settings['validate_certs'], ca_path=self.settings.get('ca_path'),
            headers={'Content-Type': 'application/json'})
        for secret in self._no_log_values:
            self.client.add_secret(secret)
        self._token = None
        self._domains = {}   # name or id -> domain dict
        self._all_domains = None
        self._projects = {}  # (domain_id, name or id) -> project dict

    # ---- session -----------------------------------------------------------------------------
    def connect(self):
        """Get the run's one token and pick the identity endpoint (catalog, else auth_url)."""
        if self._token is not None:
            return
        if isinstance(self.method, _keystone_auth.TokenAuth) and self.method.scope() is None:
            self._token = self.settings['auth']['token']
        else:
            response = self.client.request('POST', '/auth/tokens', json=self.method.body(),
                                           ok=(201, 200))
            token = (self.client.decode(response) or {}).get('token') or {}
            self._token = response.headers.get('X-Subject-Token')
            if not self._token:
                raise ConfigError('POST /v3/auth/tokens answered without X-Subject-Token', self.name)
            self._learn_token(token)
        self.add_secret(self._token)
        self.client.session.headers['X-Auth-Token'] = self._token

    def _learn_token(self, token):
        for holder in (token.get('user'), token.get('project')):
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

    def _get(self, path, params=None, missing_ok=False):
        self.connect()
        return self.client.get(path, params=params, missing_ok=missing_ok)

    def _send(self, method, path, json=None, ok=None):
        self.connect()
        return self.client.json(method, path, json=json, ok=ok)

    def _list(self, path, key, params=None):
        self.connect()
        truncated = []

        def items(body):
            if body and body.get('truncated'):
                truncated.append(True)
            return (body or {}).get(key) or []

        for item in self.client.paginate(path, params, items, _next_link):
            yield item
        if truncated:
            self.warn('Keystone truncated the list of %s at its [DEFAULT] list_limit; narrow the '
                      'query with filters' % key)

    # ---- domains and projects --------------------------------------------------------------
    def _cache_domain(self, domain):
        self._domains[domain['id']] = domain
        self._domains[domain['name']] = domain
        return domain

    def resolve_domain(self, ref):
        """The domain whose name or id is ``ref`` (default ``Default``); cached per run."""
        ref = ref or 'Default'
        self.connect()  # the token's body seeds the cache with the caller's domains
        if ref in self._domains:
            return self._domains[ref]
        found = list(self._list('/domains', 'domains', {'name': ref}))
        domain = found[0] if found else self._get('/domains/%s' % ref, missing_ok=True)
        domain = domain and domain.get('domain', domain)
        if not domain:
            raise NotFoundError('domain %r not found (looked up by name and by id)' % ref, self.name)
        return self._cache_domain(domain)

    def resolve_project(self, ref, domain=None):
        """The project whose name (in ``domain``) or id is ``ref``; cached per run."""
        domain = self.resolve_domain(domain)
        key = (domain['id'], ref)
        if key not in self._projects:
            found = list(self._list('/projects', 'projects', {'name': ref, 'domain_id': domain['id']}))
            project = found[0] if found else (self._get('/projects/%s' % ref, missing_ok=True) or {}).get('project')
            if not project:
                raise NotFoundError('project %r not found in domain %r (looked up by name and by id)'
                                    % (ref, domain['name']), self.name)
            self._projects[key] = project
        return self._projects[key]

    # ---- users ------------------------------------------------------------------------------
    def find_user(self, name, domain=None):
        domain = self.resolve_domain(domain)
        try:
            found = list(self._list('/users', 'users', {'name': name, 'domain_id': domain['id']}))
        except APIError as exc:
            raise self._explain_domain_error(exc, domain)
        return _user(found[0]) if found else None

    def list_users(self, name=None, domain=None, filters=None):
        """Users by name-or-id, domain and filters; without ``domain``, of every domain.

        Keystone with domain-specific drivers lists only one domain's users per request (the
        token's when none is named), so "every domain" is one listing per domain. A domain whose
        backend fails (an unreachable LDAP server answers 500) is reported and skipped.
        """
        params = dict((k, _query_value(v)) for k, v in (filters or {}).items())
        if name:
            params['name'] = name
        domains = [self.resolve_domain(domain)] if domain else self.list_domains()
        matched = False
        for dom in domains:
            try:
                for raw in self._list('/users', 'users', dict(params, domain_id=dom['id'])):
                    matched = True
                    yield _user(raw)
            except APIError as exc:
                if domain or exc.status is None or exc.status < 500:
                    raise self._explain_domain_error(exc, dom)
                self.warn('users of domain %r were skipped: %s' % (dom['name'], self._explain_domain_error(exc, dom)))
        if name and not matched:
            raw = self._get('/users/%s' % name, missing_ok=True)
            user = raw and raw.get('user')
            if user and (not domain or user.get('domain_id') == domains[0]['id']):
                yield _user(user)

    def list_domains(self):
        """Every domain (cached for the run)."""
        if self._all_domains is None:
            self._all_domains = [self._cache_domain(d) for d in self._list('/domains', 'domains')]
        return self._all_domains

    def _explain_domain_error(self, exc, domain):
        """Say why a domain's users cannot be read when its identity backend fails."""
        if exc.status is not None and exc.status >= 500:
            exc.message += (' (Keystone could not read the users of domain %r: its identity '
                            'backend failed - for a domain configured with driver ldap, check '
                            'that the LDAP server in its config is reachable)' % domain['name'])
        return exc

    def create_user(self, fields, domain=None):
        body = _user_body(fields)
        body['user']['domain_id'] = self.resolve_domain(domain)['id']
        return _user(self._send('POST', '/users', json=body, ok=(201,))['user'])

    def update_user(self, user, fields):
        return _user(self._send('PATCH', '/users/%s' % user['id'], json=_user_body(fields))['user'])

    def delete_user(self, user):
        try:
            self._send('DELETE', '/users/%s' % user['id'], ok=(204,))
        except APIError as exc:
            if exc.status != 404:  # already gone: the desired state holds
                raise

    # ---- groups and membership (identity_group, identity_user groups) ------------------------

    # ---- roles and role assignments (identity_role_assignment) -------------------------------

    # ---- domain configuration (identity_domain_config) ---------------------------------------


def _query_value(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return value
