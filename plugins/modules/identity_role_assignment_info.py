#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: identity_role_assignment_info
short_description: Read role assignments from an identity system
version_added: 0.1.0
description:
  - Lists role assignments, filtered by user or group, role, and scope (project, domain or
    system), in one request (C(GET /v3/role_assignments) for Keystone).
  - Names given as filters are resolved once; a filter that names something that does not exist
    matches nothing (the result is empty, with a warning).
  - A JMESPath O(query) can reshape the result.
  - "OneLogin: the roles of O(user), or the users of O(role) (C(GET /api/2/roles/{id}/users)), or
    every user's roles."
  - "Authress: the access records (C(GET /v1/records?status=ACTIVE), every page), expanded into one
    assignment per user or group, role and resources; each carries its record's C(id), C(name)
    and C(status)."
  - "Posit Connect: each user's one C(user_role), from C(GET /__api__/v1/users) (filtered by
    C(user_role) on the server when O(role) is given), or from the one user O(user) names."
  - "Providers: keystone, onelogin, authress, posit_connect, scim."
author:
  - IAM Ops maintainers (@iamops)
options:
  user:
    description:
      - Only assignments of this user, by name (in O(user_domain)) or ID.
    type: str
  user_domain:
    description:
      - Domain of O(user), by name or ID. Defaults to C(Default).
      - "Providers: keystone."
    type: str
  group:
    description:
      - Only assignments of this group, by name (in O(group_domain)) or ID.
      - "Providers: keystone, authress."
    type: str
  group_domain:
    description:
      - Domain of O(group), by name or ID. Defaults to C(Default).
      - "Providers: keystone."
    type: str
  role:
    description:
      - Only assignments of this role, by name or ID (of O(role_domain) for a domain-specific role).
    type: str
  role_domain:
    description:
      - Domain of a domain-specific O(role).
      - "Providers: keystone."
    type: str
  project:
    description:
      - Only assignments on this project, by name (in O(project_domain)) or ID.
      - "Providers: keystone."
    type: str
  project_domain:
    description:
      - Domain of O(project), by name or ID. Defaults to C(Default).
      - "Providers: keystone."
    type: str
  domain:
    description:
      - Only assignments on this domain (the domain itself, not its projects), by name or ID.
      - "Providers: keystone."
    type: str
  system:
    description:
      - Only system assignments.
      - "Providers: keystone."
    type: str
    choices: [all]
  inherited:
    description:
      - Only inherited (OS-INHERIT) assignments.
      - "Providers: keystone."
    type: bool
    default: false
  effective:
    description:
      - Expand group memberships and inherited assignments into the effective assignments of
        each user on each project (Keystone's C(effective)). Cannot be used with O(group).
      - "Providers: keystone."
    type: bool
    default: false
  include_names:
    description:
      - Return the names (and domains) of the roles, users, groups, projects and domains along
        with their IDs.
      - "Providers: keystone."
    type: bool
    default: false
  include_subtree:
    description:
      - With O(project), also the assignments on the projects below it.
      - "Providers: keystone."
    type: bool
    default: false
  record:
    description:
      - Only assignments granted through this access record, by C(recordId) or name.
      - "Providers: authress."
    type: str
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
- name: Everything jdoe holds directly, with names
  iamops.identity.identity_role_assignment_info:
    cloud: production
    user: jdoe
    user_domain: corp
    include_names: true
  register: jdoe_access

- name: Who can do what on the payroll project, through groups and inheritance too
  iamops.identity.identity_role_assignment_info:
    cloud: production
    project: payroll
    project_domain: corp
    effective: true
    include_names: true
    query: "role_assignments[].{user: user.name, role: role.name}"
  register: payroll_access

- name: System administrators
  iamops.identity.identity_role_assignment_info:
    cloud: production
    system: all
    role: admin
'''

RETURN = r'''
role_assignments:
  description:
    - The role assignments found, in the common model - the shape M(iamops.identity.identity_role_assignment)
      returns - each with the provider's own object under C(raw).
    - Names (C(name), and the C(domain) of users, groups, projects and domain-specific roles) are
      null unless O(include_names=true).
  returned: always
  type: list
  elements: dict
  contains:
    role:
      description: The role - C(id), C(name), and C(domain) (C(id), C(name)) or null for a global role.
      type: dict
    user:
      description: The user - C(id), C(name), C(domain) (C(id), C(name)).
      type: dict
      returned: for a user's assignment
    group:
      description: The group - C(id), C(name), C(domain) (C(id), C(name)).
      type: dict
      returned: for a group's assignment
    project:
      description: The project scope - C(id), C(name), C(domain) (C(id), C(name)).
      type: dict
      returned: for a project assignment
    domain:
      description: The domain scope - C(id), C(name).
      type: dict
      returned: for a domain assignment
    system:
      description: The system scope, C(all).
      type: str
      returned: for a system assignment
    inherited:
      description: Whether the assignment is inherited to projects (OS-INHERIT).
      type: bool
    raw:
      description:
        - The provider's own object. Keystone - its role assignment object, with C(role), C(user) or
          C(group), C(scope) (C(project), C(domain) or C(system), and C(OS-INHERIT:inherited_to) for an
          inherited one) and C(links) (C(links.membership) for one a user has through a group, with O(effective)).
      type: dict
  sample:
    - role: {id: 4b7a4e7cd6dd41eda68aea0703875cc1, name: member, domain: null}
      user: {id: 0c6c5cf4ad7f422f8960dc13d6b71d9d, name: jdoe, domain: {id: 8a1c, name: corp}}
      project: {id: c9984d024f5f43d180a4201729167717, name: payroll, domain: {id: 8a1c, name: corp}}
      inherited: false
      raw:
        role: {id: 4b7a4e7cd6dd41eda68aea0703875cc1, name: member}
        user: {id: 0c6c5cf4ad7f422f8960dc13d6b71d9d, name: jdoe, domain: {id: 8a1c, name: corp}}
        scope: {project: {id: c9984d024f5f43d180a4201729167717, name: payroll, domain: {id: 8a1c, name: corp}}}
        links: {assignment: "https://keystone.example.com/v3/projects/c998.../users/0c6c.../roles/4b7a..."}
not_visible:
  description:
    - What this connection cannot see, when it cannot see every assignment (a warning says so) -
      with Keystone, a domain-scoped token is shown only the assignments on its domain and its projects.
  returned: when the connection cannot see every assignment
  type: list
  elements: str
  sample: [system role assignments, role assignments on domains other than corp and on their projects]
query_result:
  description: 'The value of O(query) applied to C({"role_assignments": role_assignments}).'
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

from ansible_collections.iamops.identity.plugins.module_utils._errors import NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils._module import IdentityModule


def read_role_assignments(task):
    params = task.params
    provider = task.provider
    try:
        filters = provider.assignment_filters(params)
    except NotFoundError as exc:
        task.warn('no role assignment matches: %s' % exc)
        found = []
    else:
        found = list(provider.list_role_assignments(
            filters, effective=params['effective'], include_names=params['include_names'],
            include_subtree=params['include_subtree'], inherited=params['inherited']))
    blind = provider.blind_spots('assignments')
    if blind:
        task.warn('this connection cannot see %s: they are not listed' % ' nor '.join(blind))
        task.result['not_visible'] = blind
    task.result['role_assignments'] = found
    task.query({'role_assignments': found})


def main():
    frame = IdentityModule(
        'identity_role_assignment_info',
        names=('user', 'user_domain', 'group', 'group_domain', 'role', 'role_domain', 'project', 'project_domain',
               'domain'),
        argument_spec=dict(
            user=dict(type='str'),
            user_domain=dict(type='str'),
            group=dict(type='str'),
            group_domain=dict(type='str'),
            role=dict(type='str'),
            role_domain=dict(type='str'),
            project=dict(type='str'),
            project_domain=dict(type='str'),
            domain=dict(type='str'),
            system=dict(type='str'),  # choices: the providers' (ProviderSpec capabilities)
            inherited=dict(type='bool', default=False),
            effective=dict(type='bool', default=False),
            include_names=dict(type='bool', default=False),
            include_subtree=dict(type='bool', default=False),
            record=dict(type='str'),
        ),
        info=True,
        # how a provider's scope options go together is its own (ProviderSpec capabilities' rules)
        mutually_exclusive=[('user', 'group')],
        required_by={'user_domain': 'user', 'group_domain': 'group', 'role_domain': 'role'},
    )
    frame.run(read_role_assignments)


if __name__ == '__main__':
    main()
