# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authress tenants as the collection's domain configuration.

A tenant (docs/providers.md section 2: ``/v1/tenants``) is where a group of users logs in: its
email ``domains`` and the SSO ``connection`` they log in with. In the common model of a domain
configuration it is one group, ``tenant``, with the options ``name``, ``lookup_identifier``,
``domains`` (a list) and ``connection_id``; the module's ``domain`` is the tenant's ID. Creating
the configuration creates the tenant, deleting it deletes the tenant. Tenants have no secrets
(a connection's client secret belongs to the connection).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError
from ansible_collections.iamops.identity.plugins.module_utils._handlers import missing_is_gone
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress import _model

GROUP = 'tenant'
OPTIONS = ('name', 'lookup_identifier', 'domains', 'connection_id')
API_KEYS = {'name': 'data', 'lookup_identifier': 'tenantLookupIdentifier', 'domains': 'domains',
            'connection_id': 'connection'}   # option -> the field of the Tenant body holding it
TENANT_ID = re.compile(r'^[a-zA-Z0-9-_.:]{1,128}$')
DOMAIN = re.compile(r'^[a-z0-9.-]+$')


def _config(tenant):
    """A common-model tenant as ``{tenant: {option: value}}`` (options without value left out)."""
    options = dict((k, tenant[k]) for k in OPTIONS if tenant.get(k) not in (None, []))
    return {GROUP: options}


class AuthressTenants:
    """Mixin: tenants of :class:`AuthressProvider`."""

    def domain_config_target(self, ref):
        """The tenant ``ref`` (its ID): it need not exist yet, creating its configuration creates it."""
        if not ref or not TENANT_ID.match(ref):
            raise ConfigError('domain must be an Authress tenant ID (1 to 128 letters, digits, -, _, . or :), '
                              'got %r' % ref, self.name)
        return {'id': ref, 'name': ref}

    def validate_domain_config(self, config, sensitive):
        if sensitive:
            raise ConfigError('an Authress tenant has no sensitive options: do not give sensitive_config', self.name)
        unknown = sorted(set(config) - set([GROUP]))
        if unknown:
            raise ConfigError('an Authress tenant is configured under config.%s only; unknown group%s: %s'
                              % (GROUP, 's' if len(unknown) > 1 else '', ', '.join(unknown)), self.name)
        options = config.get(GROUP) or {}
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise ConfigError('config.%s takes %s; unknown: %s' % (GROUP, ', '.join(OPTIONS), ', '.join(unknown)),
                              self.name)
        domains = options.get('domains')
        if domains is not None:
            if not isinstance(domains, list) or len(domains) > 10 or not all(
                    isinstance(d, str) and DOMAIN.match(d) for d in domains):
                raise ConfigError('config.%s.domains must be a list of at most 10 lower-case domains '
                                  '(a-z, 0-9, . and -)' % GROUP, self.name)
        for option in ('name', 'lookup_identifier', 'connection_id'):
            if options.get(option) is not None and not isinstance(options[option], str):
                raise ConfigError('config.%s.%s must be a string' % (GROUP, option), self.name)
        for option, most in (('name', 64), ('lookup_identifier', 64)):   # TenantData.name, tenantLookupIdentifier
            if isinstance(options.get(option), str) and len(options[option]) > most:
                raise ConfigError('config.%s.%s is at most %d characters in Authress, got %d'
                                  % (GROUP, option, most, len(options[option])), self.name)

    def get_domain_config(self, domain, group=None, option=None):
        raw = self._raw_tenant(domain)
        if raw is None:
            return None
        config = _config(_model.tenant_from_api(raw))
        if group is None:
            return config
        if option is None:
            return {group: config[group]} if group in config else None
        value = (config.get(group) or {}).get(option)
        return {group: {option: value}} if value is not None else None

    def create_domain_config(self, domain, config):
        """POST the tenant (its ID is the client's choice: a second create answers 409). Sent
        once: a lost answer is read back (the tenant there now: created); a 409 means another run
        created it meanwhile, and it is updated to what the task wants instead."""
        body = _model.tenant_to_api(dict((config.get(GROUP) or {}), id=domain))

        def done():
            return self._raw_tenant(domain, cached=False) is not None
        try:
            raw = self.client.confirm_write(
                lambda: self._send('POST', self._path('tenants'), json=body, ok=(200, 201), idempotent=False),
                done, 'POST /v1/tenants (tenant %s)' % domain, warn=self.warn)
        except APIError as exc:
            if exc.status != 409 or self._raw_tenant(domain, cached=False) is None:
                raise
            self.warn('tenant %s was created by someone else meanwhile (%s): updated to this task\'s configuration '
                      'instead' % (domain, exc))
            current = self.get_domain_config(domain)
            return self.update_domain_config(domain, current, config)
        return self._remember_tenant(domain, raw or self._tenant_raws().find(domain) or body)

    def update_domain_config(self, domain, current, config, remove=()):
        raw = self._raw_tenant(domain)
        changes = dict(config.get(GROUP) or {})
        body = _model.tenant_to_api(dict(changes, id=domain), raw)
        for _group, option in remove:
            for key in (API_KEYS.values() if option is None else [API_KEYS[option]]):
                body.pop(key, None)
        raw = self._send('PUT', self._path('tenants', domain), json=body, ok=(200,))
        return self._remember_tenant(domain, raw or body)

    def _remember_tenant(self, domain, raw):
        self._tenant_raws().put(dict(raw, tenantId=raw.get('tenantId') or domain))
        return _config(_model.tenant_from_api(raw))

    def delete_domain_config(self, domain):
        with missing_is_gone():  # already gone: the desired state holds
            self._send('DELETE', self._path('tenants', domain), ok=(200, 204))
        self._tenant_raws().drop({'tenantId': domain})
        self._tenant_raws().absent(domain)
