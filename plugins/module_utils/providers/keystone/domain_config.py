# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keystone domain-specific configuration (identity driver, LDAP)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError
from ansible_collections.iamops.identity.plugins.module_utils._handlers import missing_is_gone, or_none


def canonical(value):
    """``value`` the way Keystone's (oslo.config) option types read it, for comparison only.

    Keystone stores values with their JSON type; its options parse ``"5"`` and ``5``,
    ``"True"`` and ``true``, ``"a,b"`` and ``["a", "b"]`` to the same value.
    """
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value.lower() if value.lower() in ('true', 'false') else value
    if isinstance(value, (list, tuple)):
        return ','.join(canonical(item) for item in value)
    if isinstance(value, dict):
        return dict((k, canonical(v)) for k, v in value.items())
    return value


def _null_group(kind, group, sensitive, provider):
    """A group given as null: removed from config, never from sensitive_config."""
    if kind == 'sensitive_config':
        raise ConfigError(
            'sensitive_config: group %s is null; Keystone never shows sensitive options, '
            'so one cannot be removed on its own: remove its group (config: {%s: null}) '
            'or the whole configuration (state=absent)' % (group, group), provider)
    if group in sensitive:
        raise ConfigError('config removes group %s (null) but sensitive_config sets '
                          'options in it' % group, provider)


def check_shape(config, sensitive, provider):
    """Refuse what Keystone would refuse for its shape, and what the module cannot honour."""
    for kind, given in (('config', config), ('sensitive_config', sensitive)):
        for group, options in given.items():
            if options is None:
                _null_group(kind, group, sensitive, provider)
                continue
            if not isinstance(options, dict) or not options:
                raise ConfigError(
                    '%s: the value of group %s should be a dictionary of options (use null in config '
                    'to remove the group)' % (kind, group), provider)
            for option, value in options.items():
                if value is None and kind == 'sensitive_config':
                    raise ConfigError(
                        'sensitive_config: %s.%s is null; Keystone never shows sensitive options, so '
                        'one cannot be removed on its own: remove its group (config: {%s: null}) or '
                        'the whole configuration (state=absent)' % (group, option, group), provider)


class KeystoneDomainConfig:
    """Mixin: domain configuration of :class:`KeystoneProvider`."""

    # ---- domain configuration (identity_domain_config) ---------------------------------------
    # Contract: Keystone's domain configuration API (/v3/domains/{id}/config[/{group}[/{option}]]
    # and /v3/domains/config[/{group}[/{option}]]/default) and its DomainConfigManager. Measured
    # on Keystone 30 (tests/integration/test_identity_domain_config.py):
    # - PUT replaces the whole configuration, sensitive options included (201 when there was none,
    #   200 otherwise); PATCH merges; values keep their JSON type (5, true, [..] come back as sent);
    # - GET answers 404 when no (non-sensitive) option is set, and never returns sensitive ones;
    # - DELETE .../{group}/{option} answers 404 for an option whose value is falsy (false, 0, "",
    #   [], null: Keystone tests `not current_group.get(option)`), so such an option is first
    #   patched to a truthy string Keystone's option types read back as the same value ('false',
    #   '0'), then deleted;
    # - a configuration without identity.driver loads the SQL driver, and Keystone lets only ONE
    #   domain load a domain-specific SQL driver: a second one answers 500 on every user request,
    #   and after a restart every request to Keystone fails. The claim stays with a domain whose
    #   configuration was deleted, until it is configured with another driver or deleted; no API
    #   shows it. So a write that makes a domain's driver SQL is checked at once with one user
    #   lookup in that domain, and undone (driver set back, or the new configuration removed)
    #   when Keystone cannot load it.

    # Keystone's stock whitelist (keystone.resource.core.DomainConfigManager): the groups and
    # options a domain configuration may hold, and the sensitive ones stored apart.
    DOMAIN_CONFIG_OPTIONS = {
        'identity': ('driver', 'list_limit'),
        'ldap': (
            'url', 'user', 'suffix', 'query_scope', 'page_size', 'alias_dereferencing',
            'debug_level', 'chase_referrals', 'user_tree_dn', 'user_filter', 'user_objectclass',
            'user_id_attribute', 'user_name_attribute', 'user_mail_attribute',
            'user_description_attribute', 'user_pass_attribute', 'user_enabled_attribute',
            'user_enabled_invert', 'user_enabled_mask', 'user_enabled_default',
            'user_attribute_ignore', 'user_default_project_id_attribute', 'user_enabled_emulation',
            'user_enabled_emulation_dn', 'user_enabled_emulation_use_group_config',
            'user_additional_attribute_mapping', 'group_tree_dn', 'group_filter',
            'group_objectclass', 'group_id_attribute', 'group_name_attribute',
            'group_members_are_ids', 'group_member_attribute', 'group_desc_attribute',
            'group_attribute_ignore', 'group_additional_attribute_mapping', 'tls_cacertfile',
            'tls_cacertdir', 'use_tls', 'tls_req_cert', 'use_pool', 'pool_size', 'pool_retry_max',
            'pool_retry_delay', 'pool_connection_timeout', 'pool_connection_lifetime',
            'use_auth_pool', 'auth_pool_size', 'auth_pool_connection_lifetime'),
    }
    DOMAIN_CONFIG_SENSITIVE = {'identity': (), 'ldap': ('password',)}
    DRIVER_PROBE_USER = 'iamops-driver-check'
    domain_config_defaults = "Keystone's defaults"

    def check_domain_config_shape(self, config, sensitive):
        check_shape(config, sensitive, self.name)

    def domain_config_value(self, value):
        return canonical(value)

    def _config_path(self, domain, group=None, option=None):
        parts = [self.resolve_domain(domain)['id']] + [part for part in (group, option) if part]
        return self.client.path('/domains/{}/config' + '/{}' * (len(parts) - 1), *parts)

    def _config_probe(self, kind, what, group, option=None, probed=None):
        """Ask Keystone whether it takes ``group`` (and ``option``) - its defaults endpoint
        validates them as a write does - and raise its refusal as a ConfigError."""
        key = (group, option)
        if key not in probed:
            parts = [part for part in key if part]
            path = self.client.path('/domains/config' + '/{}' * len(parts) + '/default', *parts)
            probed[key] = None
            try:
                self._get(path)
            except APIError as exc:
                if exc.status is None:
                    raise
                if exc.status in (400, 403, 404):  # a 5xx: let the write decide
                    probed[key] = '%s (checked with GET /v3%s; nothing was written)' % (
                        (exc.server_message or str(exc)).rstrip('.'), path)
        if probed[key]:
            raise ConfigError('%s: Keystone refuses %s: %s' % (kind, what, probed[key]), self.name)

    def validate_domain_config(self, config, sensitive):
        known = self.DOMAIN_CONFIG_OPTIONS
        secret = self.DOMAIN_CONFIG_SENSITIVE
        probed = {}
        for kind, given in (('config', config), ('sensitive_config', sensitive)):
            for group, options in (given or {}).items():
                known_group = group in known or group in secret
                if not isinstance(options, dict):  # null: the group is removed
                    if not known_group:
                        self._config_probe(kind, 'group %s' % group, group, probed=probed)
                    continue
                for option, value in options.items():
                    name = '%s.%s' % (group, option)
                    if kind == 'config' and option in secret.get(group, ()):
                        self.add_secret(str(value))  # masked wherever Ansible prints the args
                        raise ConfigError(
                            'config: %s is a sensitive option (Keystone stores it apart and never '
                            'returns it): give it in sensitive_config' % name, self.name)
                    if kind == 'sensitive_config' and option in known.get(group, ()):
                        raise ConfigError(
                            'sensitive_config: %s is not a sensitive option (Keystone returns it, '
                            'so it can be compared): give it in config' % name, self.name)
                    if option in known.get(group, ()) or option in secret.get(group, ()):
                        continue
                    # Not in the stock whitelist: a typo, or an option this Keystone adds with
                    # [domain_config] additional_whitelisted_options. Keystone decides.
                    if kind == 'config':
                        self._config_probe(kind, name, group, option, probed)
                    elif not known_group:  # a sensitive option has no default: probe its group
                        self._config_probe(kind, name, group, probed=probed)

    def get_domain_config(self, domain, group=None, option=None):
        if option and option in self.DOMAIN_CONFIG_SENSITIVE.get(group, ()):
            raise ConfigError('%s.%s is a sensitive option: Keystone never returns it'
                              % (group, option), self.name)
        body = or_none(self._get, self._config_path(domain, group, option))
        if body is None:
            return None
        return self._nest_config(body.get('config') or {}, group, option) or None

    def get_domain_config_default(self, group=None, option=None):
        parts = [part for part in (group, option) if part]
        path = self.client.path('/domains/config' + '/{}' * len(parts) + '/default', *parts)
        return self._nest_config((self._get(path) or {}).get('config') or {}, group, option)

    @staticmethod
    def _nest_config(config, group, option):
        """Keystone answers {option: value} for one option; make it {group: {option: value}}."""
        return {group: config} if option else config

    def create_domain_config(self, domain, config):
        path = self._config_path(domain)
        self.connect()
        retries = self.client.stats['retries']
        response = self.client.request('PUT', path, json={'config': config}, ok=(200, 201))
        result = (self.client.decode(response) or {}).get('config') or {}
        sent_secret = any(option in self.DOMAIN_CONFIG_SENSITIVE.get(group, ())
                          for group, options in config.items() for option in options)
        # a 200 to a PUT that was retried may answer our own first attempt, whose answer was lost
        retried = self.client.stats['retries'] > retries
        if response.status_code == 200 and not sent_secret and not retried:
            self.warn('domain %r had a configuration holding only sensitive options (Keystone '
                      'does not show them); it was replaced, so set them again with '
                      'sensitive_config and update_secrets=always' % self.resolve_domain(domain)['name'])
        self._check_sql_driver(domain, None, result, lambda: self._send('DELETE', path, ok=(204,)),
                               'the configuration just created was removed')
        return result

    def update_domain_config(self, domain, current, config, remove=()):
        body = dict((group, dict(options)) for group, options in config.items())
        for group, option in remove:
            value = (current.get(group) or {}).get(option) if option else None
            if option and not value:  # Keystone cannot delete a falsy option: make it truthy first
                body.setdefault(group, {})[option] = self._truthy_form(value)
        after = dict((group, dict(options)) for group, options in current.items())
        if body:
            after = self._send('PATCH', self._config_path(domain), json={'config': body})['config']
        for group, option in remove:
            with missing_is_gone():  # already gone: the desired state holds
                self._send('DELETE', self._config_path(domain, group, option), ok=(204,))
            if option:
                after.get(group, {}).pop(option, None)
                if group in after and not after[group]:
                    del after[group]
            else:
                after.pop(group, None)
        before_driver = (current.get('identity') or {}).get('driver')
        if before_driver is not None:
            self._check_sql_driver(
                domain, current, after,
                lambda: self._send('PATCH', self._config_path(domain),
                                   json={'config': {'identity': {'driver': before_driver}}}),
                'identity.driver was set back to %r' % before_driver)
        return after

    @staticmethod
    def _truthy_form(value):
        """A non-empty string that Keystone's option types read as ``value`` (JSON spelling)."""
        if isinstance(value, bool):
            return 'true' if value else 'false'
        if value is None:
            return 'null'
        if isinstance(value, (int, float)):
            return str(value)
        return '""' if isinstance(value, str) else '[]' if isinstance(value, list) else '{}'

    def delete_domain_config(self, domain):
        self._send('DELETE', self._config_path(domain), ok=(204,))

    @staticmethod
    def _driver(config):
        """The identity driver a domain configuration makes Keystone load (None: no config)."""
        if not config:
            return None
        driver = (config.get('identity') or {}).get('driver')
        return 'sql' if driver in (None, '') else str(driver)

    def _check_sql_driver(self, domain, before, after, undo, undone):
        """After a write that makes the domain's driver SQL, check Keystone can load it."""
        if self._driver(after) != 'sql' or self._driver(before) == 'sql':
            return
        dom = self.resolve_domain(domain)
        try:
            self._get('/users', params={'domain_id': dom['id'], 'name': self.DRIVER_PROBE_USER})
        except APIError as exc:
            if exc.status is None or exc.status < 500:
                raise
            try:
                undo()
            except APIError as undo_exc:
                undone = 'undoing the change failed too (%s): fix it now' % undo_exc
            hint = ''
            if 'driver' not in (after.get('identity') or {}):
                hint = (' (a configuration without identity.driver uses the SQL driver: for an '
                        'LDAP domain set identity.driver to ldap)')
            raise ConfigError(
                'the configuration of domain %r makes Keystone load a domain-specific SQL identity '
                'driver%s, but Keystone could not load it (GET /v3/users?domain_id=%s answered HTTP '
                '%s): Keystone allows a domain-specific SQL driver for one domain only, and another '
                'domain has one (or had one: the claim stays after its configuration is deleted, '
                'until that domain is configured with another driver or deleted). Left so, every '
                'Keystone request would fail after its next restart; %s'
                % (dom['name'], hint, dom['id'], exc.status, undone), self.name)

    def domain_config_warnings(self, domain, before, after, check_mode=False):
        warnings = []
        name = self.resolve_domain(domain)['name']
        if after and 'ldap' in after and self._driver(after) == 'sql':
            warnings.append(
                'the configuration of domain %r has ldap options but no identity.driver, so '
                'Keystone uses the SQL driver for it; set identity.driver to ldap to use them' % name)
        if check_mode and self._driver(after) == 'sql' and self._driver(before) != 'sql':
            warnings.append(
                'check mode cannot tell whether Keystone accepts the SQL identity driver for domain '
                '%r: Keystone allows a domain-specific SQL driver for one domain only (the real run '
                'checks it and undoes the change when another domain has it)' % name)
        return warnings

    def _domain_backend_hint(self, domain):
        """Why reading ``domain``'s users may fail with a 5xx, from its configuration."""
        try:
            config = self.get_domain_config(domain['id'])
        except APIError:
            config = None
        driver = self._driver(config)
        if driver == 'ldap':
            return ('its identity driver is ldap: the LDAP server of its domain configuration (%s) '
                    'is unreachable or refused Keystone\'s bind, or the configuration does not '
                    'match the directory; check the server, or fix or remove the configuration '
                    '(iamops.identity.identity_domain_config)'
                    % ((config.get('ldap') or {}).get('url') or 'ldap.url not set: ldap://localhost'))
        if driver == 'sql':
            return ('its domain configuration selects the SQL identity driver, which Keystone '
                    'allows for one domain only: another domain probably has (or had) one; remove '
                    'or fix the configuration (iamops.identity.identity_domain_config)')
        if driver:
            return 'its identity driver %r failed' % driver
        return None
