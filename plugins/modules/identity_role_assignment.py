#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: identity_role_assignment
short_description: Grant or revoke roles of users or groups on a project, a domain or the system
version_added: 0.1.0
description:
  - Makes one role assignment present or absent (the single form), or, with O(assignments), a
    whole list of assignments at once - of one user or group, or of many (a team's onboarding or
    offboarding in one task); with O(purge=true) every other direct assignment of each user or
    group of the task is revoked (offboarding, access reviews).
  - The current assignments are read with one listing. For one user or group it is
    C(GET /v3/role_assignments?user.id=...) (or C(group.id)); for several it is one unfiltered
    C(GET /v3/role_assignments) of every actor, grouped here (if Keystone truncates that list at
    its C(list_limit), or cannot build it, one listing per actor instead). The listing also
    carries the names of the projects and domains held, so those cost no lookup.
  - Every name (role, project, domain, user, group) is resolved once per run; one
    C(GET /v3/roles) serves every global role. When two or more users (or groups) of the task are
    in one domain, one listing of that domain's users (groups) resolves them all.
  - So a team of any size costs one token, one users listing per domain, one roles listing, one
    lookup per project not yet holding an assignment, one role assignments listing, and then only
    the grants and revocations needed; an identical rerun sends no write.
  - Only direct assignments are read and changed - not those a user has through its groups, and
    not roles implied by other roles.
  - Every item is resolved before anything is written, so an unknown role, project, domain, user
    or group in any item of a present assignment fails the task with no change made (with the default
    O(on_missing=fail), for a role, user or group; with O(purge=true), a
    mistyped item can therefore never cause the assignment it meant to keep to be revoked).
  - In check mode, a user or group that does not exist may be one an earlier task of the play
    would create (onboarding); instead of failing, the task warns and predicts its assignments
    as granted (its C(id) is null in the results). A real run fails as above.
  - "Keystone: C(PUT)/C(DELETE) C(/v3/projects/{p}/users/{u}/roles/{r}) and the C(groups),
    C(domains/{d}) and C(system) variants; inherited assignments are
    C(/v3/OS-INHERIT/domains/{d}/users/{u}/roles/{r}/inherited_to_projects) (and C(projects/{p}),
    C(groups))."
  - "OneLogin: roles held by users, without scope; O(role) by name or ID; a user's roles come
    from its C(role_ids), and change with C(PUT /api/1/users/{id}/add_roles) and C(remove_roles)."
  - "Authress: an assignment is a role granted on O(resources) (resource URIs) through the access
    record O(record) (C(/v1/records)); all records are read with one listing (pages of 20). Each
    record touched is written once (C(POST), or C(PUT) with C(If-Unmodified-Since) and one fresh
    retry on HTTP 412), whatever the number of users and groups it gains or loses. A record that
    does not exist is created, named O(record), and tagged C(managed-by: iamops.identity); a record
    is deleted only when its last user and group are removed and it carries that tag (a record
    made elsewhere is left empty instead). O(purge=true) removes the task's users and groups from
    every record grant the task does not list."
  - "Posit Connect: a role is the user's one C(user_role) (C(administrator), C(publisher), C(viewer)),
    read with the user and changed with one C(PUT /__api__/v1/users/{guid}); there are no scopes and
    no roles of groups. Assigning a role replaces the one the user holds (the diff shows that one
    revoked, unless it is C(viewer) - every user holds it, and check mode cannot know that a user
    an earlier task creates will, so the diff leaves it out in both); revoking the role the user holds demotes the user to C(viewer), the role every Connect
    user holds - so revoking C(viewer), or purging a viewer, changes nothing. Two roles wanted
    present for one user are refused before any request."
  - "Providers: keystone, onelogin, authress, posit_connect, scim."
author:
  - IAM Ops maintainers (@iamops)
options:
  role:
    description:
      - The role to grant or revoke, by name or ID (single form).
      - A global role, or with O(role_domain) a domain-specific role.
    type: str
  role_domain:
    description:
      - Domain of a domain-specific O(role), by name or ID. Omit it for a global role.
      - "Providers: keystone."
    type: str
  user:
    description:
      - The user who holds the assignments, by name (in O(user_domain)) or ID.
      - In the single form, exactly one of O(user) and O(group) is required.
      - With O(assignments) it is optional - the user of the items that name no user or group
        themselves; it is one of the actors of the task even if every item names its own.
    type: str
  user_domain:
    description:
      - Domain of O(user), by name or ID. Defaults to C(Default).
      - With O(assignments), also the default domain of the items' O(assignments[].user).
      - "Providers: keystone."
    type: str
  group:
    description:
      - The group that holds the assignments, by name (in O(group_domain)) or ID.
      - With O(assignments), the group of the items that name no user or group themselves.
      - "Providers: keystone, authress."
    type: str
  group_domain:
    description:
      - Domain of O(group), by name or ID. Defaults to C(Default).
      - With O(assignments), also the default domain of the items' O(assignments[].group).
      - "Providers: keystone."
    type: str
  project:
    description:
      - Scope of the assignment - a project, by name (in O(project_domain)) or ID.
      - Exactly one of O(project), O(domain) and O(system) is required in the single form.
      - "Providers: keystone."
    type: str
  project_domain:
    description:
      - Domain of O(project), by name or ID. Defaults to C(Default).
      - "Providers: keystone."
    type: str
  domain:
    description:
      - Scope of the assignment - a domain, by name or ID.
      - "Providers: keystone."
    type: str
  system:
    description:
      - Scope of the assignment - the whole system (Keystone has only V(all)).
      - "Providers: keystone."
    type: str
    choices: [all]
  inherited:
    description:
      - Make the assignment inherited (OS-INHERIT) - it then applies to every project of the
        domain (with O(domain)) or to every project below the project (with O(project)), not to
        the domain or project itself.
      - Cannot be used with O(system).
      - "Providers: keystone."
    type: bool
    default: false
  resources:
    description:
      - Scope of the assignment - the resource URIs the role is granted on (for example
        C(/payroll/*)), the exact list (a grant on other resources is another assignment).
      - "Providers: authress."
    type: list
    elements: str
  record:
    description:
      - The access record that grants the role, by C(recordId) or name; created (with this name)
        when no record has it.
      - "Providers: authress."
    type: str
  state:
    description:
      - V(present) grants the role; V(absent) revokes it.
      - With O(assignments), the default state of the items.
    type: str
    choices: [present, absent]
    default: present
  assignments:
    description:
      - The list form - several assignments, of one or many users and groups, in one task.
      - Each item names its role and scope, and its user or group (O(assignments[].user) or
        O(assignments[].group)); an item that names neither is about the top-level O(user) or
        O(group), and an item without either anywhere is refused.
      - An item may name only a user or group (no role, no scope) - a declaration - to make that
        actor one of the task's without listing an assignment of it; with O(purge=true) every
        direct assignment of a declared actor is revoked (team offboarding).
      - The actors of the task are the top-level O(user) or O(group) and every user and group
        the items name (the same user given by name and by ID is one actor).
      - Cannot be used with the single-form options O(role), O(role_domain), O(project),
        O(project_domain), O(domain), O(system) and O(inherited).
    type: list
    elements: dict
    suboptions:
      user:
        description:
          - The user of this item, by name (in O(assignments[].user_domain)) or ID. Defaults to
            the top-level O(user) (or O(group)).
        type: str
      user_domain:
        description:
          - Domain of O(assignments[].user). Defaults to the top-level O(user_domain), else C(Default).
        type: str
      group:
        description:
          - The group of this item, by name (in O(assignments[].group_domain)) or ID.
          - Mutually exclusive with O(assignments[].user).
        type: str
      group_domain:
        description:
          - Domain of O(assignments[].group). Defaults to the top-level O(group_domain), else C(Default).
        type: str
      role:
        description:
          - The role, by name or ID (of O(assignments[].role_domain) for a domain-specific role).
          - An item with a role needs exactly one of O(assignments[].project),
            O(assignments[].domain) and O(assignments[].system).
          - Omit it (and the scope) for a declaration of the item's user or group.
        type: str
      role_domain:
        description:
          - Domain of a domain-specific role.
        type: str
      project:
        description:
          - A project scope, by name or ID. Exactly one of O(assignments[].project),
            O(assignments[].domain) and O(assignments[].system) is required with a role, and
            none without one.
        type: str
      project_domain:
        description:
          - Domain of O(assignments[].project). Defaults to C(Default).
        type: str
      domain:
        description:
          - A domain scope, by name or ID.
        type: str
      system:
        description:
          - The system scope.
        type: str
        choices: [all]
      inherited:
        description:
          - Inherited to the projects of the domain or below the project; not with
            O(assignments[].system).
        type: bool
        default: false
      resources:
        description:
          - The resource URIs the role is granted on, as for the top-level O(resources).
        type: list
        elements: str
      record:
        description:
          - The access record, as for the top-level O(record).
        type: str
      state:
        description:
          - V(present) or V(absent). Defaults to the top-level O(state).
          - A declaration (an item without role) has no state to apply.
        type: str
        choices: [present, absent]
  purge:
    description:
      - With O(assignments) only. When V(true), for each user and group of the task (the
        top-level one and those the items name), every direct assignment of it that is not
        listed with state V(present) is revoked, in every scope (projects, domains, system,
        inherited or not). Users and groups the task does not name are never touched.
      - An empty O(assignments) list with O(purge=true) revokes all of the top-level user's or
        group's; items that only name a user (declarations) revoke all of theirs.
      - Assignments a user has through its groups are never touched (the group's own direct
        assignments are, when the group is an actor of the task).
    type: bool
    default: false
  on_missing:
    description:
      - What to do when the role of an assignment (O(role), O(assignments[].role)) or its user or
        group (O(user), O(group), O(assignments[].user), O(assignments[].group)) does not exist.
        The type, choices and default are the shared fragment's.
      - V(fail) (the default) fails the task before any write, naming what is missing, for an
        assignment to grant. For an assignment to revoke (V(absent), or a declaration with
        O(purge=true) only), what does not exist holds nothing, and a warning says so (as before this
        option existed), so the rerun of a leaver's run whose account is gone stays a no-op.
      - V(warn) leaves out each item naming it, with a warning naming it, and applies the rest; with
        O(purge=true) the purge keeps exactly the listed assignments that exist (an item left out
        keeps nothing, and revokes nothing more). A missing user or group has nothing granted or
        revoked (C(changed=false) when nothing else changes).
      - V(ignore) leaves it out silently and applies the rest.
      - A scope that does not exist (a project, a domain, the domain of a user, group or role) is
        not concerned, whatever this says - a present item naming one fails, an absent one has
        nothing to revoke (a warning).
      - In check mode, a user or group that an earlier task of the play would create is predicted
        as created, with a warning, whatever this says (see the description); a role is not.
      - On Authress, a role to revoke is not looked up (a deleted role may still be granted in a
        record), so only a role to grant can be missing. On Posit Connect the role is one of the
        C(user_role) choices (another value is refused before any request), and on SCIM any value
        is a role - there only the user can be missing.
extends_documentation_fragment:
  - iamops.identity.connection
  - iamops.identity.keystone
  - iamops.identity.onelogin
  - iamops.identity.authress
  - iamops.identity.posit_connect
  - iamops.identity.scim
  - iamops.identity.attributes
  - iamops.identity.on_missing
  - iamops.identity.parallel
'''

EXAMPLES = r'''
- name: Set connection options once for the play
  module_defaults:
    group/iamops.identity.identity:
      cloud: production
  block:
    - name: jdoe is a member of the payroll project
      iamops.identity.identity_role_assignment:
        user: jdoe
        user_domain: corp
        role: member
        project: payroll
        project_domain: corp

    - name: The auditors group can read every project of the corp domain
      iamops.identity.identity_role_assignment:
        group: auditors
        group_domain: corp
        role: reader
        domain: corp
        inherited: true

    - name: A domain-specific role
      iamops.identity.identity_role_assignment:
        user: jdoe
        user_domain: corp
        role: payroll-clerk
        role_domain: corp
        domain: corp

    - name: Access review - exactly these assignments, revoke the rest
      iamops.identity.identity_role_assignment:
        user: jdoe
        user_domain: corp
        assignments:
          - role: member
            project: payroll
            project_domain: corp
          - role: reader
            domain: corp
            inherited: true
        purge: true
      register: review

    - name: Offboarding - revoke every direct assignment
      iamops.identity.identity_role_assignment:
        user: jdoe
        user_domain: corp
        assignments: []
        purge: true

    - name: Team onboarding - the same project roles for each new person, in one task
      iamops.identity.identity_role_assignment:
        user_domain: corp            # the default domain of the items' users
        assignments: "{{ newcomers | product(grants) | map('combine') }}"
      vars:
        newcomers: [{user: asmith}, {user: bjones}, {user: cdiaz}]
        grants:
          - {role: member, project: payroll, project_domain: corp}
          - {role: reader, project: payroll, project_domain: corp}

    - name: The same, written out, with a group too
      iamops.identity.identity_role_assignment:
        user_domain: corp
        assignments:
          - {user: asmith, role: member, project: payroll, project_domain: corp}
          - {user: asmith, role: reader, project: payroll, project_domain: corp}
          - {user: bjones, role: member, project: payroll, project_domain: corp}
          - {user: bjones, role: reader, project: payroll, project_domain: corp}
          - {group: payroll-team, group_domain: corp, role: member, project: payroll, project_domain: corp}

    - name: Team offboarding - revoke every direct assignment of each leaver, in one task
      iamops.identity.identity_role_assignment:
        user_domain: corp
        purge: true
        assignments: "{{ leavers }}"   # declarations: each item names only a user
      vars:
        leavers: [{user: dlee}, {user: efox}]
      register: offboarded   # offboarded.purged: what was revoked, each with its user

    - name: Team onboarding that skips, with a warning, a role not created yet (the rest is granted)
      iamops.identity.identity_role_assignment:
        user_domain: corp
        on_missing: warn
        purge: true                  # keeps the listed assignments that exist, revokes the rest
        assignments:
          - {user: asmith, role: member, project: payroll, project_domain: corp}
          - {user: asmith, role: payroll-approver, project: payroll, project_domain: corp}

    - name: Offboarding a list that may name people already deleted (each a warning, nothing to revoke)
      iamops.identity.identity_role_assignment:
        user_domain: corp
        purge: true
        on_missing: warn
        assignments: [{user: dlee}, {user: gone-already}]

    - name: Access review of a team - exactly these, per person; the rest of theirs is revoked
      iamops.identity.identity_role_assignment:
        user_domain: corp
        purge: true
        assignments:
          - {user: asmith, role: member, project: payroll, project_domain: corp}
          - {user: bjones}           # declared: keeps nothing

- name: Authress - payroll staff read and edit payroll documents, through one access record
  iamops.identity.identity_role_assignment:
    provider: authress
    assignments:
      - {group: Payroll, role: ro_viewer, resources: ["/payroll/*"], record: Payroll staff}
      - {user: "google|1049832", role: ro_editor, resources: ["/payroll/*"], record: Payroll staff}

- name: Authress - a leaver keeps no access record grant (emptied records this collection made are deleted)
  iamops.identity.identity_role_assignment:
    provider: authress
    user: "google|1049832"
    assignments: []
    purge: true
'''

RETURN = r'''
assignment:
  description:
    - Single form. The assignment after the task (before it, for V(absent)); null when it does
      not exist. In check mode, the predicted one.
  returned: without O(assignments)
  type: dict
  contains:
    role:
      description: The role - C(id), C(name), and C(domain) (C(id), C(name)) or null for a global role.
      type: dict
      sample: {id: 4b7a4e7cd6dd41eda68aea0703875cc1, name: member, domain: null}
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
assignments:
  description:
    - List form. Every direct assignment of the task's users and groups after the task
      (predicted in check mode), each shaped like RV(assignment) (so each names its C(user) or
      C(group)).
  returned: with O(assignments)
  type: list
  elements: dict
results:
  description:
    - List form. One entry per item of O(assignments), in order - the C(item) (with its
      effective C(state)), whether it C(changed) anything, and the resolved C(assignment)
      (null for a declaration, and when an item to be absent names something that does not
      exist).
    - With O(purge), what is revoked from an actor is reported on the actor's declaration (an
      item naming the actor alone), else on its first item - that entry then has C(changed=true).
    - In diff mode each entry has its own C(diff) (C(prepared), its lines of RV(diff)), so that a
      task in a loop shows every line with C(--diff) too.
  returned: with O(assignments)
  type: list
  elements: dict
purged:
  description:
    - List form. The assignments revoked by O(purge) because they were not listed (would be,
      in check mode), each with its C(user) or C(group), ordered by their label (see RV(diff));
      they are revoked in this order.
  returned: with O(assignments)
  type: list
  elements: dict
not_visible:
  description:
    - What this connection cannot see of the role assignments, when it cannot see them all - with
      Keystone, a domain-scoped token is shown only the assignments on its domain and that domain's
      projects. RV(assignments) and a O(purge) then cover only what it sees (a warning says so).
  returned: when the connection cannot see every assignment
  type: list
  elements: str
  sample: [system role assignments, role assignments on domains other than corp and on their projects]
diff:
  description:
    - With --diff, C(prepared) holds one line per assignment the task grants (C(+ label)) or
      revokes (C(- label)), which C(ansible-playbook --diff) prints as it is - the same lines in
      check mode and in a real run; an empty string when nothing changes. A label reads like
      C(member on project payroll (corp)) or C(reader on domain corp, inherited to projects)
      - names only, no IDs.
    - "When the task has more than one user or group, each label starts with its actor, as in
      C(+ user asmith (corp): member on project payroll (corp)), and the lines are grouped by actor."
    - The assignments themselves, with their IDs, are in RV(assignment), RV(assignments) and RV(purged).
  returned: when diff mode is on
  type: dict
  sample: {prepared: "+ member on project payroll (corp)\n- reader on project payroll (corp)\n"}
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
from ansible_collections.iamops.identity.plugins.module_utils import _parallel
from ansible_collections.iamops.identity.plugins.module_utils import _assignments, _membership

ACTOR_KEYS = ('user', 'user_domain', 'group', 'group_domain')
# options that describe one assignment: with the list form, its items' own (a provider's scope
# options say so in its rules)
ITEM_ONLY = ('role', 'inherited', 'resources', 'record')


def ensure_assignments(task):
    """Every assignment option but the actor's describes the assignment (the single form's item)."""
    _assignments.ensure_assignments(task, [k for k in assignment_options() if k not in ACTOR_KEYS])


def assignment_options(**overrides):
    """The options of one assignment: the single form's, and each item's of the list form."""
    options = dict(
        role=dict(type='str'),
        role_domain=dict(type='str'),
        user=dict(type='str'),
        user_domain=dict(type='str'),
        group=dict(type='str'),
        group_domain=dict(type='str'),
        project=dict(type='str'),
        project_domain=dict(type='str'),
        domain=dict(type='str'),
        system=dict(type='str'),  # choices: the providers' (ProviderSpec capabilities)
        inherited=dict(type='bool', default=False),
        resources=dict(type='list', elements='str'),
        record=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent']),
    )
    for key, extra in overrides.items():
        options[key] = dict(options[key], **extra)
    return options


def main():
    item_options = assignment_options()
    # how a provider's scope options go together is its own (ProviderSpec capabilities' rules,
    # added by the frame here and to each item); what is left is the same for every provider
    frame = IdentityModule(
        'identity_role_assignment', batch_option='assignments',
        names=('user', 'group', 'role', 'user_domain', 'group_domain', 'role_domain', 'project', 'project_domain',
               'domain'),
        argument_spec=dict(
            assignment_options(state=dict(default='present')),
            assignments=dict(
                type='list', elements='dict', options=item_options,
                mutually_exclusive=[('user', 'group')],
                required_by={'user_domain': 'user', 'group_domain': 'group', 'role_domain': 'role'}),
            purge=dict(type='bool', default=False),
            **dict(_parallel.argument_spec(), **_membership.on_missing_argument_spec())
        ),
        # an item's options are the items' when the list form is used
        mutually_exclusive=[('user', 'group')] + [(option, 'assignments') for option in ITEM_ONLY],
        required_one_of=[
            ('user', 'group', 'assignments'),
            ('role', 'assignments'),
        ],
        required_if=[('purge', True, ['assignments'])],
        required_by={'role_domain': 'role'},
    )
    frame.run(ensure_assignments)


if __name__ == '__main__':
    main()
