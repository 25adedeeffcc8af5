#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: identity_role_assignment
short_description: Grant or revoke roles of a user or group on a project, a domain or the system
version_added: 0.1.0
description:
  - Makes one role assignment present or absent (the single form), or, with O(assignments), a
    whole list of a user's or group's assignments at once; with O(purge=true) every other direct
    assignment of that user or group is revoked (offboarding, access reviews).
  - The current assignments of the user or group are read with one listing
    (C(GET /v3/role_assignments?user.id=...) or C(group.id)), which also carries the names of the
    projects and domains it holds, so those cost no lookup. Every name (role, project, domain,
    user, group) is resolved once per run; one C(GET /v3/roles) serves every global role.
  - Only direct assignments are read and changed - not those a user has through its groups, and
    not roles implied by other roles.
  - Every item is resolved before anything is written, so an unknown role, project or domain in
    any item of a present assignment fails the task with no change made (with O(purge=true), a
    mistyped item can therefore never cause the assignment it meant to keep to be revoked).
  - "Keystone: C(PUT)/C(DELETE) C(/v3/projects/{p}/users/{u}/roles/{r}) and the C(groups),
    C(domains/{d}) and C(system) variants; inherited assignments are
    C(/v3/OS-INHERIT/domains/{d}/users/{u}/roles/{r}/inherited_to_projects) (and C(projects/{p}),
    C(groups))."
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
    type: str
  user:
    description:
      - The user who holds the assignments, by name (in O(user_domain)) or ID.
      - Exactly one of O(user) and O(group) is required.
    type: str
  user_domain:
    description:
      - Domain of O(user), by name or ID. Defaults to C(Default).
    type: str
  group:
    description:
      - The group that holds the assignments, by name (in O(group_domain)) or ID.
    type: str
  group_domain:
    description:
      - Domain of O(group), by name or ID. Defaults to C(Default).
    type: str
  project:
    description:
      - Scope of the assignment - a project, by name (in O(project_domain)) or ID.
      - Exactly one of O(project), O(domain) and O(system) is required in the single form.
    type: str
  project_domain:
    description:
      - Domain of O(project), by name or ID. Defaults to C(Default).
    type: str
  domain:
    description:
      - Scope of the assignment - a domain, by name or ID.
    type: str
  system:
    description:
      - Scope of the assignment - the whole system (Keystone has only V(all)).
    type: str
    choices: [all]
  inherited:
    description:
      - Make the assignment inherited (OS-INHERIT) - it then applies to every project of the
        domain (with O(domain)) or to every project below the project (with O(project)), not to
        the domain or project itself.
      - Cannot be used with O(system).
    type: bool
    default: false
  state:
    description:
      - V(present) grants the role; V(absent) revokes it.
      - With O(assignments), the default state of the items.
    type: str
    choices: [present, absent]
    default: present
  assignments:
    description:
      - The list form - several assignments of the one O(user) or O(group), in one task.
      - Each item names its role and scope; the user or group is always the top-level one.
      - Cannot be used with the single-form options O(role), O(role_domain), O(project),
        O(project_domain), O(domain), O(system) and O(inherited).
    type: list
    elements: dict
    suboptions:
      role:
        description:
          - The role, by name or ID (of O(assignments[].role_domain) for a domain-specific role).
        type: str
        required: true
      role_domain:
        description:
          - Domain of a domain-specific role.
        type: str
      project:
        description:
          - A project scope, by name or ID. Exactly one of O(assignments[].project),
            O(assignments[].domain) and O(assignments[].system) is required.
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
      state:
        description:
          - V(present) or V(absent). Defaults to the top-level O(state).
        type: str
        choices: [present, absent]
  purge:
    description:
      - With O(assignments) only. When V(true), every direct assignment of the user or group
        that is not listed with state V(present) is revoked, in every scope (projects, domains,
        system, inherited or not).
      - An empty O(assignments) list with O(purge=true) revokes all of them.
      - Assignments the user has through its groups are never touched.
    type: bool
    default: false
extends_documentation_fragment:
  - iamops.identity.connection
  - iamops.identity.attributes
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
    - List form. Every direct assignment of the user or group after the task (predicted in
      check mode), each shaped like RV(assignment).
  returned: with O(assignments)
  type: list
  elements: dict
results:
  description:
    - List form. One entry per item of O(assignments), in order - the C(item) (with its
      effective C(state)), whether it C(changed) anything, and the resolved C(assignment)
      (null when an item to be absent names something that does not exist).
  returned: with O(assignments)
  type: list
  elements: dict
purged:
  description:
    - List form. The assignments revoked by O(purge) because they were not listed (would be,
      in check mode), ordered by their label (see RV(diff)); they are revoked in this order.
  returned: with O(assignments)
  type: list
  elements: dict
diff:
  description:
    - With --diff, C(before) holds each assignment revoked and C(after) each assignment
      granted, keyed by a readable label such as C(member on project payroll in domain corp)
      or C(reader on domain corp, inherited to projects); the values are shaped like RV(assignment).
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.iamops.identity.plugins.module_utils._errors import (
    APIError, IdentityError, NotFoundError)
from ansible_collections.iamops.identity.plugins.module_utils._module import IdentityModule

ITEM_KEYS = ('role', 'role_domain', 'project', 'project_domain', 'domain', 'system', 'inherited', 'state')
SCOPES = ('project', 'domain', 'system')


def assignment_key(assignment):
    """What identifies an assignment of one actor: role, scope and inheritance."""
    for scope in SCOPES:
        value = assignment.get(scope)
        if value:
            return (assignment['role']['id'], scope, value if scope == 'system' else value['id'],
                    bool(assignment.get('inherited')))
    raise IdentityError('role assignment without a scope: %r' % (assignment,))


def _name(obj):
    return obj.get('name') or obj.get('id')


def label(assignment):
    """A readable one-line name of an assignment, e.g. ``member on project demo in domain Default``."""
    role = assignment['role']
    text = _name(role)
    if role.get('domain'):
        text += ' (role of domain %s)' % _name(role['domain'])
    if assignment.get('system'):
        where = 'system %s' % assignment['system']
    elif assignment.get('project'):
        project = assignment['project']
        where = 'project %s' % _name(project)
        if project.get('domain'):
            where += ' in domain %s' % _name(project['domain'])
    else:
        where = 'domain %s' % _name(assignment['domain'])
    text = '%s on %s' % (text, where)
    if assignment.get('inherited'):
        text += ', inherited to projects'
    return text


def resolve_item(provider, kind, actor, item):
    """The common-model assignment an item asks for (every name resolved, cached per run)."""
    role = provider.resolve_role(item['role'], item.get('role_domain'))
    if item.get('project') is not None:
        scope_kind, scope = 'project', provider.resolve_project(item['project'], item.get('project_domain'))
    elif item.get('domain') is not None:
        scope_kind, scope = 'domain', provider.resolve_domain(item['domain'])
    else:
        scope_kind, scope = 'system', None
    return provider.make_assignment(kind, actor, role, scope_kind, scope, item.get('inherited'))


def _in_item(where, exc):
    if where is None:
        return exc
    return exc.__class__('%s: %s' % (where, exc.message), exc.provider)


def plan(task, kind, actor, items, wheres):
    """Resolve every item, read the actor's assignments once, and plan the writes.

    Returns ``(held, entries, to_add, to_remove, purged)``: ``held`` the current assignments by
    key, ``entries`` one ``(item, assignment or None, changed)`` per item.
    """
    provider = task.provider
    params = task.params
    current, complete = provider.list_actor_assignments(kind, actor)
    if params['purge'] and not complete:
        raise IdentityError('the list of role assignments of %s %r came back truncated (the '
                            "server's list limit), so purge cannot tell what to revoke; nothing "
                            'was changed' % (kind, params[kind]), provider.name)
    held = dict((assignment_key(a), a) for a in current)

    resolved = []
    for item, where in zip(items, wheres):
        try:
            resolved.append(resolve_item(provider, kind, actor, item))
        except NotFoundError as exc:
            if item['state'] == 'present':
                raise _in_item(where, exc)
            task.warn('%snothing to revoke: %s' % (where + ': ' if where else '', exc))
            resolved.append(None)

    states = {}
    for item, where, assignment in zip(items, wheres, resolved):
        if assignment is None:
            continue
        key = assignment_key(assignment)
        if key in states and states[key][1] != item['state']:
            raise IdentityError('%s and %s ask for the same assignment (%s) both present and absent'
                                % (states[key][0], where, label(assignment)), provider.name)
        states.setdefault(key, (where, item['state']))

    entries, to_add, to_remove, planned = [], [], [], set()
    for item, assignment in zip(items, resolved):
        changed = False
        if assignment is not None:
            key = assignment_key(assignment)
            if key not in held and not complete and provider.role_assignment_exists(assignment):
                held[key] = assignment  # beyond the truncated listing: one HEAD tells
            if key not in planned:
                planned.add(key)
                if item['state'] == 'present' and key not in held:
                    to_add.append(assignment)
                    changed = True
                elif item['state'] == 'absent' and key in held:
                    to_remove.append(held[key])
                    changed = True
            if key in held:
                assignment = held[key]  # the server's view, with its names
        entries.append((item, assignment, changed))

    purged = []
    if params['purge']:
        keep = set(key for key, (where, state) in states.items() if state == 'present')
        removing = set(assignment_key(a) for a in to_remove)
        purged = sorted((a for key, a in held.items() if key not in keep and key not in removing), key=label)
    return held, entries, to_add, to_remove, purged


def apply(task, to_add, to_remove):
    """Grant, then revoke (granting first never leaves a moment without access when swapping)."""
    provider = task.provider
    done = []
    for action, method, batch in (('granted', provider.assign_role, to_add),
                                  ('revoked', provider.unassign_role, to_remove)):
        for assignment in batch:
            try:
                method(assignment)
            except APIError as exc:
                if done:
                    exc.message += '; done before this failure: %s' % '; '.join(done)
                raise
            done.append('%s %s' % (action, label(assignment)))


def ensure_assignments(task):
    params = task.params
    provider = task.provider
    listed = params['assignments'] is not None
    kind = 'user' if params['user'] is not None else 'group'
    if listed:
        items = []
        for given in params['assignments']:
            item = dict(given)
            item['state'] = item.get('state') or params['state']
            items.append(item)
        wheres = ['assignments[%d]' % index for index in range(len(items))]
    else:
        items = [dict((k, params[k]) for k in ITEM_KEYS)]
        wheres = [None]

    try:
        if kind == 'user':
            actor = provider.resolve_user(params['user'], params['user_domain'])
        else:
            actor = provider.resolve_group(params['group'], params['group_domain'])
    except NotFoundError as exc:
        if any(item['state'] == 'present' for item in items):
            raise
        task.warn('nothing to revoke: %s' % exc)  # a deleted user holds no assignment
        if listed:
            task.result.update(assignments=[], purged=[],
                               results=[dict(item=item, changed=False, assignment=None) for item in items])
        else:
            task.result['assignment'] = None
        return

    held, entries, to_add, to_remove, purged = plan(task, kind, actor, items, wheres)
    removals = to_remove + purged
    task.changed(bool(to_add or removals))
    task.add_diff({'before': dict((label(a), a) for a in removals),
                   'after': dict((label(a), a) for a in to_add)})
    if not task.check_mode:
        apply(task, to_add, removals)

    if listed:
        gone = set(assignment_key(a) for a in removals)
        task.result['assignments'] = [a for key, a in held.items() if key not in gone] + to_add
        task.result['purged'] = purged
        task.result['results'] = [dict(item=item, changed=changed, assignment=assignment)
                                  for item, assignment, changed in entries]
    else:
        item, assignment, changed = entries[0]
        if item['state'] == 'absent' and not changed:
            assignment = None  # it did not exist
        task.result['assignment'] = assignment


def main():
    item_options = dict(
        role=dict(type='str', required=True),
        role_domain=dict(type='str'),
        project=dict(type='str'),
        project_domain=dict(type='str'),
        domain=dict(type='str'),
        system=dict(type='str', choices=['all']),
        inherited=dict(type='bool', default=False),
        state=dict(type='str', choices=['present', 'absent']),
    )
    frame = IdentityModule(
        argument_spec=dict(
            role=dict(type='str'),
            role_domain=dict(type='str'),
            user=dict(type='str'),
            user_domain=dict(type='str'),
            group=dict(type='str'),
            group_domain=dict(type='str'),
            project=dict(type='str'),
            project_domain=dict(type='str'),
            domain=dict(type='str'),
            system=dict(type='str', choices=['all']),
            inherited=dict(type='bool', default=False),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            assignments=dict(
                type='list', elements='dict', options=item_options,
                mutually_exclusive=[('project', 'domain', 'system'), ('system', 'inherited')],
                required_one_of=[('project', 'domain', 'system')],
                required_by={'project_domain': 'project'}),
            purge=dict(type='bool', default=False),
        ),
        mutually_exclusive=[
            ('user', 'group'),
            ('project', 'domain', 'system', 'assignments'),
            ('role', 'assignments'),
            ('inherited', 'assignments'),
            ('system', 'inherited'),
        ],
        required_one_of=[
            ('user', 'group'),
            ('role', 'assignments'),
            ('project', 'domain', 'system', 'assignments'),
        ],
        required_if=[('purge', True, ['assignments'])],
        required_by={
            'user_domain': 'user',
            'group_domain': 'group',
            'role_domain': 'role',
            'project_domain': 'project',
        },
    )
    frame.run(ensure_assignments)


if __name__ == '__main__':
    main()
