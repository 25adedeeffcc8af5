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
  - "OneLogin: C(GET /api/2/users) with its filters and C(fields); O(with_roles) and O(with_apps)
    add each user's roles and apps; O(custom_attribute_names) returns the account's custom
    attribute names (C(GET /api/1/users/custom_attributes))."
  - "Authress: C(GET /v1/users) (pages of 100, followed by cursor), or C(GET /v1/users/{userId})
    for O(name); a user's C(name) is its user ID and C(full_name) its display name."
  - "Posit Connect: C(GET /__api__/v1/users) in pages of 500 (a C(prefix) search is one page,
    as Connect answers only the first page of a prefix search, with a warning when more matched)."
  - "Providers: keystone, onelogin, authress, posit_connect, scim."
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
      - "Providers: keystone."
    type: str
  filters:
    description:
      - Server-side filters, passed to the API as query parameters.
      - "Keystone: C(enabled), C(idp_id), C(protocol_id), C(unique_id), C(password_expires_at)
        and name operators such as C(name__contains) or C(name__startswith)."
      - "OneLogin: C(email), C(username), C(firstname), C(lastname), C(samaccountname),
        C(directory_id), C(external_id), C(user_ids) (a list), C(created_since), C(created_until),
        C(updated_since), C(updated_until), C(last_login_since), C(last_login_until) (ISO 8601),
        and C(custom_attributes), a dictionary of custom attribute short names and values; C(*)
        is a wildcard. Any other key is refused before any request."
      - "Authress: C(filter) (a case-insensitive text search through every field of the user) and
        C(tenant) (only the users of that tenant ID, each returned with its C(tenant))."
      - "Posit Connect: C(prefix) (username, first or last name, case-insensitive), C(user_role)
        (C(administrator), C(publisher), C(viewer)) and C(account_status) (C(locked), C(licensed),
        C(inactive)); C(user_role) and C(account_status) take a list or C(|) for OR, as in
        C(viewer|publisher). Checked before any request."
    type: dict
  fields:
    description:
      - Only these attributes of each user (C(id) always comes); the common-model keys of the
        others are null.
      - "Providers: onelogin."
    type: list
    elements: str
  with_roles:
    description:
      - Add each user's roles (C(id), C(name)) under C(roles).
      - "Providers: onelogin."
    type: bool
    default: false
  with_apps:
    description:
      - Add each user's apps under C(apps) (C(GET /api/1/users/{id}/apps), one request per user).
      - "Providers: onelogin."
    type: bool
    default: false
  custom_attribute_names:
    description:
      - Also return RV(custom_attribute_names), the account's custom user attributes.
      - "Providers: onelogin."
    type: bool
    default: false
  count:
    description:
      - Return RV(count), the number of users matching O(filters) (every user without), instead of
        listing them (RV(users) is then empty) - one request, as posit-sdk's C(Users.count).
      - "Providers: posit_connect, scim."
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

- name: Posit Connect - how many locked or licensed users, without listing them
  iamops.identity.identity_user_info:
    provider: posit_connect
    filters:
      account_status: locked|licensed
    count: true
  register: seats

- name: Posit Connect - usernames of the publishers and administrators
  iamops.identity.identity_user_info:
    provider: posit_connect
    filters:
      user_role: [publisher, administrator]
    query: "users[].name"
  register: publishers

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
    password_expired:
      description:
        - Whether the password is expired - Keystone - C(password_expires_at) is past; OneLogin - the
          status is 4 (Password expired).
      type: bool
    password_never_expires:
      description: Keystone - whether the user option C(ignore_password_expiry) exempts the password from expiry.
      type: bool
    confirmed:
      description: Posit Connect - whether the user has confirmed the account (has a password, with password authentication).
      type: bool
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
      password_expired: false
      password_never_expires: false
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
custom_attribute_names:
  description: The short names of the account's custom user attributes.
  returned: when O(custom_attribute_names=true)
  type: list
  elements: str
  sample: [employee_number, cost_center]
rate_limit:
  description: OneLogin only - the account's rate limit after the task (C(limit), C(remaining), C(reset) seconds).
  returned: with a provider that reports it
  type: dict
count:
  description: The number of users matching O(filters), as the server counts them.
  returned: when O(count=true)
  type: int
  sample: 42
query_result:
  description: The value of O(query), evaluated against a dictionary whose key C(users) holds RV(users).
  returned: when O(query) is given
  type: raw
'''

from ansible_collections.iamops.identity.plugins.module_utils._module import IdentityModule


def read_users(task):
    params = task.params
    extras = dict((k, params[k]) for k in ('fields', 'with_apps', 'with_roles') if params.get(k))
    if params['count']:
        task.result['users'] = []
        task.result['count'] = task.provider.count_users(params['filters'])
        task.query({'users': [], 'count': task.result['count']})
        return
    users = list(task.provider.list_users(
        name=params['name'], domain=params['domain'], filters=params['filters'], **extras))
    task.result['users'] = users
    data = {'users': users}
    if params['custom_attribute_names']:
        task.result['custom_attribute_names'] = data['custom_attribute_names'] = task.provider.user_attribute_names()
    task.query(data)


def main():
    frame = IdentityModule(
        'identity_user_info', names=('name', 'domain'),
        argument_spec=dict(
            name=dict(type='str', aliases=['id']),
            domain=dict(type='str'),
            filters=dict(type='dict'),
            fields=dict(type='list', elements='str'),
            with_roles=dict(type='bool', default=False),
            with_apps=dict(type='bool', default=False),
            custom_attribute_names=dict(type='bool', default=False),
            count=dict(type='bool', default=False),
        ),
        info=True,
    )
    frame.run(read_users)


if __name__ == '__main__':
    main()
