#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: identity_domain_config_info
short_description: Read the domain-specific identity configuration of a Keystone domain
version_added: 0.1.0
description:
  - Reads the whole configuration of a domain, one group of it, or one option of a group; or
    Keystone's defaults for domain configurations.
  - "Keystone: C(GET /v3/domains/{id}/config[/{group}[/{option}]]) and
    C(GET /v3/domains/config[/{group}[/{option}]]/default). Sensitive options (C(ldap.password))
    are never returned."
  - A domain without configuration (or a group or option that is not set) gives an empty
    RV(config), not an error.
  - "Authress: the tenant O(domain) (C(GET /v1/tenants/{tenantId})) as C({tenant: {name,
    lookup_identifier, domains, connection_id}}); see M(iamops.identity.identity_domain_config)."
  - "Providers: keystone, authress."
author:
  - IAM Ops maintainers (@iamops)
options:
  domain:
    description:
      - The domain, by name or ID. Required unless O(default=true).
      - "Authress: the tenant ID."
    type: str
  group:
    description:
      - Only this group (C(identity) or C(ldap)).
    type: str
  option:
    description:
      - Only this option of O(group).
    type: str
  default:
    description:
      - When V(true), read Keystone's defaults (what an option not set in a domain's configuration
        falls back to) instead of a domain's configuration. O(domain) must not be given.
      - "Providers: keystone."
    type: bool
    default: false
extends_documentation_fragment:
  - iamops.identity.connection
  - iamops.identity.keystone
  - iamops.identity.onelogin
  - iamops.identity.authress
  - iamops.identity.posit_connect
  - iamops.identity.scim
  - iamops.identity.attributes.INFO_MODULE
'''

EXAMPLES = r'''
- name: The whole configuration of domain corp
  iamops.identity.identity_domain_config_info:
    cloud: production
    domain: corp
  register: corp_config

- name: Which LDAP server does corp use?
  iamops.identity.identity_domain_config_info:
    cloud: production
    domain: corp
    group: ldap
    option: url
    query: config.ldap.url
  register: corp_ldap_url

- name: Keystone's defaults for the ldap group
  iamops.identity.identity_domain_config_info:
    cloud: production
    default: true
    group: ldap
'''

RETURN = r'''
config:
  description:
    - "The configuration read, as C({group: {option: value}}) (also for one group or one option),
      without sensitive options. Empty when nothing is configured there."
  returned: always
  type: dict
  sample:
    identity:
      driver: ldap
    ldap:
      url: ldaps://ldap.example.org
      user_tree_dn: ou=Users,dc=example,dc=org
query_result:
  description: 'The value of O(query) applied to C({"config": config}).'
  returned: when O(query) is given
  type: raw
'''

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils._module import IdentityModule


def read_domain_config(task):
    params = task.params
    provider = task.provider
    if params['default']:
        if params['domain'] is not None:
            raise ConfigError('default=true reads %s, not a domain\'s configuration: do not give '
                              'domain' % provider.domain_config_defaults, provider.name)
        config = provider.get_domain_config_default(params['group'], params['option'])
    else:
        domain = provider.domain_config_target(params['domain'])
        config = provider.get_domain_config(domain['id'], params['group'], params['option'])
    task.result['config'] = config or {}
    task.query({'config': task.result['config']})


def main():
    frame = IdentityModule(
        'identity_domain_config_info',
        argument_spec=dict(
            domain=dict(type='str'),
            group=dict(type='str'),
            option=dict(type='str'),
            default=dict(type='bool', default=False),
        ),
        info=True,
        required_by={'option': 'group'},
        required_if=[('default', False, ('domain',))],
    )
    frame.run(read_domain_config)


if __name__ == '__main__':
    main()
