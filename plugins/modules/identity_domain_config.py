#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: identity_domain_config
short_description: Manage the domain-specific identity configuration of a Keystone domain
version_added: 0.1.0
description:
  - Makes the domain-specific configuration of a domain (its identity driver and, for an LDAP
    domain, the LDAP server and directory layout) hold the options the task gives, and reports
    exactly which options it changed.
  - "Keystone: C(PUT /v3/domains/{id}/config) creates a configuration, C(PATCH) merges options into
    it, C(DELETE /v3/domains/{id}/config/{group}[/{option}]) removes options or groups. Keystone
    must run with C([identity] domain_specific_drivers_enabled) and
    C(domain_configurations_from_database) set to true."
  - Only the groups and options Keystone whitelists for domain configurations are accepted
    (groups C(identity) and C(ldap)). An option this collection does not know (a typo, or one a
    Keystone adds with C([domain_config] additional_whitelisted_options)) is checked with Keystone
    before any write, and Keystone's own refusal is reported.
  - Values are compared the way Keystone's option types read them, so V(5) and V("5"), or V(true)
    and V("True"), are the same value and a rerun reports no change.
  - Keystone loads the SQL identity driver for a configuration without C(identity.driver), and
    allows a domain-specific SQL driver for one domain only; a second one breaks the listing of
    its users at once and every Keystone request after Keystone's next restart. When a write makes
    a domain's driver SQL, the module checks at once that Keystone can load it (one user lookup in
    that domain) and, if not, undoes the write and fails with an explanation.
  - "Authress: the configuration of a tenant (C(/v1/tenants)): O(domain) is the tenant ID and
    O(config) has one group, C(tenant), with the options C(name), C(lookup_identifier), C(domains)
    (the list of email domains whose users log in through the tenant) and C(connection_id) (the
    SSO connection they log in with). Creating the configuration creates the tenant (C(POST)), a
    change is one C(PUT) of the whole tenant (fields this module does not manage are sent back
    unchanged), O(state=absent) deletes the tenant. Tenants have no sensitive options."
  - "Providers: keystone, authress."
author:
  - IAM Ops maintainers (@iamops)
options:
  domain:
    description:
      - The domain, by name or ID.
      - Required by C(keystone).
      - "Authress: the tenant ID (required)."
    type: str
  config:
    description:
      - "The options to set, as C({group: {option: value}}), for example
        C({identity: {driver: ldap}, ldap: {url: ldap://ldap.example.org}})."
      - Only the options given are managed (unless O(purge=true)). An option whose value is
        V(null) is removed; a group whose value is V(null) is removed whole, its sensitive options
        included.
      - Sensitive options (C(ldap.password)) are refused here; give them in O(sensitive_config).
      - Required when O(state=present), unless O(sensitive_config) is given for an existing
        configuration.
    type: dict
  sensitive_config:
    description:
      - Sensitive options (C(ldap.password)), with the same shape as O(config).
      - Keystone stores them apart and never returns them, so they are never compared, returned or
        shown in a diff (a secret being sent shows as C(********)). When they are sent is decided
        by O(update_secrets).
      - "Providers: keystone."
    type: dict
  update_secrets:
    description:
      - V(on_create) sends O(sensitive_config) only when the configuration is created.
      - V(always) sends it on every run, so the task always reports a change.
      - "Providers: keystone."
    type: str
    choices: [on_create, always]
    default: on_create
  purge:
    description:
      - When V(true), O(config) and O(sensitive_config) are the whole configuration; options and
        groups not given are removed (a group given by neither is removed whole, its sensitive
        options included).
      - Keystone never shows sensitive options, so one in a group that O(config) or
        O(sensitive_config) still names is kept.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the configuration.
      - V(absent) deletes the whole configuration of the domain (sensitive options included); the
        domain then uses Keystone's global identity driver. O(config) and O(sensitive_config) must
        not be given. Remove the configuration of a domain whose LDAP server is gone before
        deleting the domain.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - iamops.identity.connection
  - iamops.identity.keystone
  - iamops.identity.onelogin
  - iamops.identity.authress
  - iamops.identity.posit_connect
  - iamops.identity.scim
  - iamops.identity.attributes
notes:
  - A configuration holding only sensitive options looks absent (Keystone answers 404), so a
    configuration created over it replaces it; the module warns when that happens.
'''

EXAMPLES = r'''
- name: Serve the users of domain corp from the corporate LDAP directory
  iamops.identity.identity_domain_config:
    cloud: production
    domain: corp
    config:
      identity:
        driver: ldap
      ldap:
        url: ldaps://ldap.example.org
        user: cn=keystone,ou=Services,dc=example,dc=org
        suffix: dc=example,dc=org
        user_tree_dn: ou=Users,dc=example,dc=org
        user_objectclass: inetOrgPerson
        user_id_attribute: uid
        user_name_attribute: uid
        user_mail_attribute: mail
        group_tree_dn: ou=Groups,dc=example,dc=org
        group_objectclass: groupOfNames
        page_size: 500
    sensitive_config:
      ldap:
        password: "{{ vault_ldap_bind_password }}"

- name: Rotate the bind password
  iamops.identity.identity_domain_config:
    cloud: production
    domain: corp
    sensitive_config:
      ldap:
        password: "{{ vault_new_ldap_bind_password }}"
    update_secrets: always

- name: Exactly this configuration (options not listed are removed), one option removed explicitly
  iamops.identity.identity_domain_config:
    cloud: production
    domain: corp
    purge: true
    config:
      identity:
        driver: ldap
      ldap:
        url: ldaps://ldap2.example.org
        user_tree_dn: ou=People,dc=example,dc=org
        user_filter: null

- name: Back to Keystone's global identity driver
  iamops.identity.identity_domain_config:
    cloud: production
    domain: corp
    state: absent

- name: Authress - the Acme tenant, its email domains and SSO connection
  iamops.identity.identity_domain_config:
    provider: authress
    domain: ten_acme
    config:
      tenant:
        name: Acme
        lookup_identifier: acme
        domains: [acme.example, acme.test]
        connection_id: con_okta_acme
'''

RETURN = r'''
config:
  description:
    - "The configuration after the task, as C({group: {option: value}}), without sensitive
      options. In check mode, the predicted configuration."
    - Null when the domain has no configuration (or does not exist, with O(state=absent)).
  returned: always
  type: dict
  sample:
    identity:
      driver: ldap
    ldap:
      url: ldaps://ldap.example.org
      user_tree_dn: ou=Users,dc=example,dc=org
diff:
  description:
    - Before/after of the options the task changes or removes (with --diff); a sensitive option
      being sent shows as C(********) in C(after).
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils._module import IdentityModule
from ansible_collections.iamops.identity.plugins.module_utils._reconcile import SECRET_MARK


def _note(target, group, option, value):
    target.setdefault(group, {})[option] = value


class _Planned:
    """What :func:`plan` builds: ``set`` ({group: {option: value}} to write, secrets included),
    ``remove`` ([(group, option or None)]) and the diff's ``before``/``after`` (secrets masked)."""

    def __init__(self):
        self.set, self.remove, self.before, self.after = {}, [], {}, {}

    def given(self, current, config, value):
        """Set what ``config`` gives and the server does not hold (compared as ``value`` reads
        each), remove what it gives as None."""
        for group, options in config.items():
            have = current.get(group) or {}
            if options is None:
                if group in current:
                    self.remove.append((group, None))
                    self.before[group] = dict(have)
                continue
            for option, wanted in options.items():
                if wanted is None:
                    if option in have:
                        self.remove.append((group, option))
                        _note(self.before, group, option, have[option])
                elif option not in have or value(wanted) != value(have[option]):
                    _note(self.set, group, option, wanted)
                    _note(self.after, group, option, wanted)
                    if option in have:
                        _note(self.before, group, option, have[option])

    def purge(self, current, config, secrets):
        """Remove what the server holds and the task does not give, in sorted order (the
        requests are the same on every run)."""
        for group in sorted(current):
            have = current[group]
            if group in config and config[group] is None:
                continue  # removed whole by given()
            if group not in config and group not in secrets:
                self.remove.append((group, None))
                self.before[group] = dict(have)
                continue
            for option in sorted(have):
                if option not in (config.get(group) or {}):
                    self.remove.append((group, option))
                    _note(self.before, group, option, have[option])

    def secrets(self, secrets):
        for group, options in secrets.items():
            for option, value in options.items():
                _note(self.set, group, option, value)
                _note(self.after, group, option, SECRET_MARK)

    def config_after(self, current, secrets):
        """The configuration after the writes, without secrets; None when there would be none."""
        result = dict((group, dict(options)) for group, options in current.items())
        for group, option in self.remove:
            if option is None:
                result.pop(group, None)
            else:
                result[group].pop(option, None)
                if not result[group]:
                    del result[group]
        for group, options in self.set.items():
            for option, value in options.items():
                if group not in secrets or option not in secrets[group]:
                    _note(result, group, option, value)
        return result or None


def plan(current, config, secrets, purge, send_secrets, value=None):
    """Desired vs current configuration -> what to write, and the diff.

    ``current``: the server's configuration (None: none); ``config``: the options given (None
    values remove); ``secrets``: the sensitive options given, sent when ``send_secrets``
    (update_secrets=always, or a configuration to create); ``value``: what a value compares as
    (the provider's :meth:`domain_config_value`; default the value itself).
    Returns a dict with ``set`` ({group: {option: value}} to write, secrets included),
    ``remove`` ([(group, option or None)]), ``before``/``after`` (the diff, secrets masked) and
    ``config`` (the configuration after, without secrets; None when there would be none).
    """
    current = current or {}
    planned = _Planned()
    planned.given(current, config, value or (lambda v: v))
    if purge:
        planned.purge(current, config, secrets)
    if send_secrets:
        planned.secrets(secrets)
    return {'set': planned.set, 'remove': planned.remove, 'before': planned.before, 'after': planned.after,
            'config': planned.config_after(current, secrets)}


def check_options(task):
    """Refuse, before any request, options that do not go together, and a shape the provider
    cannot take."""
    params = task.params
    if params['state'] == 'absent' and (params['config'] is not None or params['sensitive_config'] is not None):
        raise ConfigError('state=absent deletes the whole configuration of domain %r: do not give '
                          'config or sensitive_config (to remove some options, set them to null '
                          'in config)' % params['domain'], task.provider.name)
    if params['state'] == 'present':
        task.provider.check_domain_config_shape(params['config'] or {}, params['sensitive_config'] or {})


def delete_config(task, domain):
    provider = task.provider
    current = provider.get_domain_config(domain['id'])
    task.result['config'] = None
    if current is None:
        return
    task.changed()
    task.add_diff({'before': current, 'after': {}})
    if not task.check_mode:
        provider.delete_domain_config(domain['id'])


def write_config(task, domain, current, planned):
    """Report and write ``planned`` (a plan with changes); the result shows the configuration after."""
    provider = task.provider
    if current is None and planned['config'] is None:
        raise ConfigError('domain %r has no configuration (or only sensitive options, which the server '
                          'does not show): give its options in config' % domain['name'], provider.name)
    task.changed()
    task.add_diff({'before': planned['before'], 'after': planned['after']})
    for warning in provider.domain_config_warnings(domain['id'], current, planned['config'], task.check_mode):
        task.warn(warning)
    if task.check_mode:
        task.result['config'] = planned['config']
    elif current is None:
        task.result['config'] = provider.create_domain_config(domain['id'], planned['set'])
    else:
        task.result['config'] = provider.update_domain_config(
            domain['id'], current, planned['set'], planned['remove']) or None


def ensure_domain_config(task):
    params = task.params
    provider = task.provider
    check_options(task)
    try:
        domain = provider.domain_config_target(params['domain'])
    except NotFoundError:
        if params['state'] == 'absent':  # the domain is gone, so is its configuration
            task.result['config'] = None
            return
        raise
    if params['state'] == 'absent':
        delete_config(task, domain)
        return
    config, secrets_given = params['config'] or {}, params['sensitive_config'] or {}
    provider.validate_domain_config(config, secrets_given)
    current = provider.get_domain_config(domain['id'])
    send_secrets = current is None or params['update_secrets'] == 'always'
    planned = plan(current, config, secrets_given, params['purge'], send_secrets, provider.domain_config_value)
    if not planned['set'] and not planned['remove']:
        task.result['config'] = current
        return
    write_config(task, domain, current, planned)


def main():
    frame = IdentityModule(
        'identity_domain_config',
        argument_spec=dict(
            domain=dict(type='str'),
            config=dict(type='dict'),
            sensitive_config=dict(type='dict', no_log=True),
            update_secrets=dict(type='str', choices=['on_create', 'always'], default='on_create',
                                no_log=False),
            purge=dict(type='bool', default=False),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
        ),
        required_if=[('state', 'present', ('config', 'sensitive_config'), True)],
    )
    frame.run(ensure_domain_config)


if __name__ == '__main__':
    main()
