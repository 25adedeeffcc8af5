#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: identity_group_info
short_description: Read groups, and optionally their members, from an identity system
version_added: 0.1.0
description:
  - Lists groups, optionally one by name or ID, or those of one domain; optionally with their members.
  - Without O(domain), the groups of every domain (Keystone with domain-specific drivers lists
    one domain's groups per request, so this is one request per domain).
  - Follows pagination; a JMESPath O(query) can reshape the result.
  - "OneLogin: the account's groups (C(GET /api/1/groups)), which its API cannot change; with
    O(with_members), the users whose C(group_id) is the group (one listing of the users)."
  - "Authress: one listing of C(/v1/groups) (pages of 20); a group holds its C(users) and C(admins),
    so O(with_members) costs no request."
  - "Providers: keystone, onelogin, authress, posit_connect, scim."
author:
  - IAM Ops maintainers (@iamops)
options:
  name:
    description:
      - Name or ID of the group. A name can match one group per domain; use O(domain) to pick one.
    type: str
    aliases: [id]
  domain:
    description:
      - Only groups of this domain, by name or ID.
      - "Providers: keystone."
    type: str
  with_members:
    description:
      - Also return the members of each group found, as RV(groups[].users) (one request per group).
      - On a provider whose groups hold groups (SCIM), also the groups that are members, as
        RV(groups[].subgroups), read with the same request (a subgroup not seen yet costs one lookup).
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
- name: One group with its members
  iamops.identity.identity_group_info:
    cloud: production
    name: payroll
    domain: corp
    with_members: true
  register: payroll

- name: Names of the members of payroll
  ansible.builtin.debug:
    msg: "{{ payroll.groups[0].users | map(attribute='name') | list }}"

- name: Names of every group of a domain
  iamops.identity.identity_group_info:
    cloud: production
    domain: corp
    query: "groups[].name"
  register: names
'''

RETURN = r'''
groups:
  description:
    - The groups found (empty when none matches), in the common model - the shape
      M(iamops.identity.identity_group) returns - each with the provider's own object under C(raw).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the group.
      type: str
    name:
      description: Name of the group.
      type: str
    domain_id:
      description: ID of the group's domain.
      type: str
    description:
      description: Description, or null.
      type: str
    raw:
      description: The provider's own object (Keystone - its group object, C(links) included).
      type: dict
    users:
      description:
        - The members, as M(iamops.identity.identity_user_info) returns users (common model, with C(raw)).
          Never contain a password.
      returned: when O(with_members=true)
      type: list
      elements: dict
    subgroups:
      description:
        - The groups that are members of the group (nested groups), in the common model, with C(raw).
      returned: when O(with_members=true), with a provider whose groups hold groups (SCIM)
      type: list
      elements: dict
  sample:
    - id: 8f2a6e0c1f7d4c1b9a3e5d7c2b4a6e8f
      name: payroll
      domain_id: default
      description: Payroll team
      raw: {id: 8f2a6e0c1f7d4c1b9a3e5d7c2b4a6e8f, name: payroll, domain_id: default, description: Payroll team,
            links: {self: "https://keystone.example.com/v3/groups/8f2a6e0c1f7d4c1b9a3e5d7c2b4a6e8f"}}
query_result:
  description: 'The value of O(query) applied to C({"groups": groups}).'
  returned: when O(query) is given
  type: raw
rate_limit:
  description:
    - OneLogin only - the account's rate limit after the task, from the last answer's
      C(X-RateLimit-*) headers - C(limit) requests per window, C(remaining), and C(reset)
      (seconds until the window resets).
  returned: with a provider that reports it
  type: dict
  sample: {limit: 5000, remaining: 4890, reset: 1733}
'''

from ansible_collections.iamops.identity.plugins.module_utils._module import IdentityModule


def read_groups(task):
    params = task.params
    provider = task.provider
    groups = list(provider.list_groups(name=params['name'], domain=params['domain']))
    if params['with_members']:
        for group in groups:
            group['users'] = provider.group_members(group)
            subgroups = provider.group_subgroups(group)  # None: this provider's groups hold no groups
            if subgroups is not None:
                group['subgroups'] = subgroups
    task.result['groups'] = groups
    task.query({'groups': groups})


def main():
    frame = IdentityModule(
        'identity_group_info', names=('name', 'domain'),
        argument_spec=dict(
            name=dict(type='str', aliases=['id']),
            domain=dict(type='str'),
            with_members=dict(type='bool', default=False),
        ),
        info=True,
    )
    frame.run(read_groups)


if __name__ == '__main__':
    main()
