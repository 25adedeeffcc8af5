#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: identity_user_info
short_description: Read user accounts from an identity system
version_added: 0.1.0
description:
  - Lists users, optionally one by name or ID, in one domain, or matching server-side filters.
  - Follows pagination; a JMESPath O(query) can reshape the result.
  - "Providers: keystone."
author:
  - IAM Ops maintainers (@iamops)
options:
  name:
    description:
      - Name or ID of the user. A name can match one user per domain; use O(domain) to pick one.
    type: str
    aliases: [id]
  domain:
    description:
      - Only users of this domain, by name or ID.
    type: str
  filters:
    description:
      - Server-side filters, passed to the API as query parameters.
      - "Keystone: C(enabled), C(idp_id), C(protocol_id), C(unique_id), C(password_expires_at)
        and name operators such as C(name__contains) or C(name__startswith)."
    type: dict
extends_documentation_fragment:
  - iamops.identity.connection
  - iamops.identity.keystone
  - iamops.identity.onelogin
  - iamops.identity.authress
  - iamops.identity.posit_connect
  - iamops.identity.attributes.INFO_MODULE
'''

EXAMPLES = r'''
- name: One user
  iamops.identity.identity_user_info:
    cloud: production
    name: jdoe
    domain: corp
  register: jdoe

- name: Names of the disabled users of a domain
  iamops.identity.identity_user_info:
    cloud: production
    domain: corp
    filters:
      enabled: false
    query: "users[].name"
  register: disabled

- name: Ad-hoc, from the shell
  ansible.builtin.debug:
    msg: ansible localhost -m iamops.identity.identity_user_info -a 'cloud=production name=jdoe'
'''

RETURN = r'''
users:
  description:
    - The users found (empty when none matches), in the common model - the shape
      M(iamops.identity.identity_user) returns - each with the provider's own object under C(raw).
      Never contains a password.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the user.
      type: str
    name:
      description: Name of the user.
      type: str
    domain_id:
      description: ID of the user's domain (null for a provider without domains).
      type: str
    enabled:
      description: Whether the user can authenticate.
      type: bool
    email:
      description: E-mail address, or null.
      type: str
    description:
      description: Description, or null.
      type: str
    extra:
      description: The other attributes stored on the user.
      type: dict
    default_project_id:
      description: Keystone - ID of the default project, or null.
      type: str
    password_expires_at:
      description: Keystone - when the password expires, or null.
      type: str
    options:
      description: Keystone - the user's options.
      type: dict
    raw:
      description: The provider's own object (Keystone - its user object, C(links) included).
      type: dict
  sample:
    - id: 5a1ff5bd3a8a4a7f9c0e2a4b9d1c7e42
      name: jdoe
      domain_id: default
      enabled: true
      email: jdoe@example.com
      description: null
      default_project_id: null
      password_expires_at: null
      options: {}
      extra: {}
      raw:
        id: 5a1ff5bd3a8a4a7f9c0e2a4b9d1c7e42
        name: jdoe
        domain_id: default
        enabled: true
        email: jdoe@example.com
        password_expires_at: null
        options: {}
        links: {self: "https://keystone.example.com/v3/users/5a1ff5bd3a8a4a7f9c0e2a4b9d1c7e42"}
query_result:
  description: The value of O(query), evaluated against a dictionary whose key C(users) holds RV(users).
  returned: when O(query) is given
  type: raw
'''

from ansible_collections.iamops.identity.plugins.module_utils._module import IdentityModule


def read_users(task):
    params = task.params
    users = list(task.provider.list_users(
        name=params['name'], domain=params['domain'], filters=params['filters']))
    task.result['users'] = users
    task.query({'users': users})


def main():
    frame = IdentityModule(
        'identity_user_info',
        argument_spec=dict(
            name=dict(type='str', aliases=['id']),
            domain=dict(type='str'),
            filters=dict(type='dict'),
        ),
        info=True,
    )
    frame.run(read_users)


if __name__ == '__main__':
    main()
