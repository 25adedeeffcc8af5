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
    or group in any item of a present assignment fails the task with no change made (with O(purge=true), a
    mistyped item can therefore never cause the assignment it meant to keep to be revoked).
  - In check mode, a user or group that does not exist may be one an earlier task of the play
    would create (onboarding); instead of failing, the task warns and predicts its assignments
    as granted (its C(id) is null in the results). A real run fails as above.
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
      - In the single form, exactly one of O(user) and O(group) is required.
      - With O(assignments) it is optional - the user of the items that name no user or group
        themselves; it is one of the actors of the task even if every item names its own.
    type: str
  user_domain:
    description:
      - Domain of O(user), by name or ID. Defaults to C(Default).
      - With O(assignments), also the default domain of the items' O(assignments[].user).
    type: str
  group:
    description:
      - The group that holds the assignments, by name (in O(group_domain)) or ID.
      - With O(assignments), the group of the items that name no user or group themselves.
    type: str
  group_domain:
    description:
      - Domain of O(group), by name or ID. Defaults to C(Default).
      - With O(assignments), also the default domain of the items' O(assignments[].group).
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

    - name: Access review of a team - exactly these, per person; the rest of theirs is revoked
      iamops.identity.identity_role_assignment:
        user_domain: corp
        purge: true
        assignments:
          - {user: asmith, role: member, project: payroll, project_domain: corp}
          - {user: bjones}           # declared: keeps nothing
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
diff:
  description:
    - With --diff, C(before) holds each assignment revoked and C(after) each assignment
      granted, keyed by a readable label such as C(member on project payroll in domain corp)
      or C(reader on domain corp, inherited to projects); the values are shaped like RV(assignment).
    - "When the task has more than one user or group, each label starts with its actor, as in
      C(user asmith (corp): member on project payroll in domain corp)."
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.iamops.identity.plugins.module_utils._errors import (
    APIError, ConfigError, IdentityError, NotFoundError)
from ansible_collections.iamops.identity.plugins.module_utils._module import IdentityModule

ITEM_KEYS = ('role', 'role_domain', 'project', 'project_domain', 'domain', 'system', 'inherited', 'state')
SCOPES = ('project', 'domain', 'system')
KINDS = ('user', 'group')


def assignment_key(assignment):
    """What identifies an assignment of one actor: role, scope and inheritance."""
    for scope in SCOPES:
        value = assignment.get(scope)
        if value:
            return (assignment['role']['id'], scope, value if scope == 'system' else value['id'],
                    bool(assignment.get('inherited')))
    raise IdentityError('role assignment without a scope: %r' % (assignment,))


def _kind(assignment):
    return 'user' if assignment.get('user') else 'group'


def actor_ident(assignment):
    """What identifies the actor of an assignment: ``(kind, id)``, or for an actor predicted in
    check mode (no id yet) ``(kind, None, name, domain id)``."""
    kind = _kind(assignment)
    actor = assignment[kind]
    if actor.get('id'):
        return (kind, actor['id'])
    return (kind, None, actor.get('name'), (actor.get('domain') or {}).get('id'))


def full_key(assignment):
    """What identifies an assignment among several actors: the actor, then :func:`assignment_key`."""
    return actor_ident(assignment) + assignment_key(assignment)


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


def actor_label(assignment):
    """The actor of an assignment, e.g. ``user asmith (corp)``."""
    kind = _kind(assignment)
    actor = assignment[kind]
    text = '%s %s' % (kind, _name(actor))
    if actor.get('domain'):
        text += ' (%s)' % _name(actor['domain'])
    return text


def labeller(several):
    """The label of the task's diff keys: prefixed with the actor when the task has several."""
    if several:
        return lambda assignment: '%s: %s' % (actor_label(assignment), label(assignment))
    return label


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


def _prefix(where):
    return where + ': ' if where else ''


class Actor:
    """A user or group the task manages, as given: ``kind``, ``ref`` (name or id) and ``domain``."""

    def __init__(self, kind, ref, domain):
        self.kind, self.ref, self.domain = kind, ref, domain
        self.items = []      # indexes of the items about it
        self.named = set()   # indexes of the items that name it themselves
        self.found = None    # the resolved user or group
        self.key = None      # (kind, id) once resolved, see actor_ident


def collect_actors(task, items, wheres):
    """The actors of the task (the top-level one first) and, per item, its actor.

    Refuses, before any request, an item without actor and a role without scope.
    """
    params = task.params
    actors, by_ref, item_actors = [], {}, []

    def actor(kind, ref, domain):
        key = (kind, ref, domain or 'Default')
        if key not in by_ref:
            by_ref[key] = Actor(kind, ref, domain)
            actors.append(by_ref[key])
        return by_ref[key]

    top = None
    for kind in KINDS:
        if params[kind] is not None:
            top = actor(kind, params[kind], params[kind + '_domain'])
    for index, (item, where) in enumerate(zip(items, wheres)):
        own = [kind for kind in KINDS if item.get(kind) is not None]
        if own:
            kind = own[0]
            found = actor(kind, item[kind], item.get(kind + '_domain') or params[kind + '_domain'])
            found.named.add(index)
        elif top is not None:
            found = top
        else:
            raise ConfigError('%s names no user or group: give user or group in the item, or at top '
                              'level for every item' % where, task.provider.name)
        if item.get('role') is not None and not any(item.get(scope) is not None for scope in SCOPES):
            raise ConfigError('%s: role %s needs a scope: give one of project, domain and system'
                              % (where, item['role']), task.provider.name)
        found.items.append(index)
        item_actors.append(found)
    for kind in KINDS:
        domain_option = kind + '_domain'
        if params[domain_option] is not None and not any(a.kind == kind for a in actors):
            raise ConfigError('%s is given but no %s is (at top level or in an item of assignments)'
                              % (domain_option, kind), task.provider.name)
    return actors, item_actors


def resolve_actors(task, actors, items, wheres):
    """Resolve every actor once; several users (groups) of one domain cost one listing of it.

    An actor that does not exist fails the task when an item asks for an assignment of it to be
    present; otherwise there is nothing to revoke (a warning), and its items are left alone. In
    check mode an earlier task of the play may be about to create it: a warning, and its
    assignments are predicted as granted (to an actor without id).
    """
    provider = task.provider
    for kind, prefetch in (('user', provider.prefetch_users), ('group', provider.prefetch_groups)):
        per_domain = {}
        for actor in actors:
            if actor.kind != kind:
                continue
            try:
                domain_id = provider.resolve_domain(actor.domain)['id']
            except NotFoundError:
                continue  # reported by the actor's own lookup below
            per_domain.setdefault(domain_id, set()).add(actor.ref)
        for domain_id, refs in sorted(per_domain.items()):
            if len(refs) > 1:
                prefetch(domain_id)
    for actor in actors:
        try:
            actor.found = provider.resolve_actor(actor.kind, actor.ref, actor.domain)
            actor.key = (actor.kind, actor.found['id'])
        except NotFoundError as exc:
            wants = [index for index in actor.items
                     if items[index]['state'] == 'present' and items[index].get('role') is not None]
            if wants:  # named by the first item that wants it and names it (else: top level)
                named = [index for index in wants if index in actor.named]
                where = wheres[named[0]] if named else None
                if not task.check_mode:
                    raise _in_item(where, exc)
                try:
                    domain = provider.resolve_domain(actor.domain)  # an unknown domain still fails
                except NotFoundError as domain_exc:
                    raise _in_item(where, domain_exc)
                task.warn('%s%s: check mode takes it as created by an earlier task and predicts its '
                          'assignments; a real run fails if it still does not exist' % (_prefix(where), exc))
                actor.found = {'id': None, 'name': actor.ref, 'domain_id': domain['id']}
                actor.key = (actor.kind, None, actor.ref, domain['id'])
                continue
            named = sorted(actor.named)
            task.warn('%snothing to revoke: %s' % (_prefix(wheres[named[0]] if named else None), exc))


def plan(task, actors, item_actors, items, wheres, show):
    """Read the actors' assignments (one listing), resolve every item, and plan the writes.

    Returns ``(held, entries, to_add, to_remove, purged)``: ``held`` the current assignments by
    :func:`full_key`, ``entries`` one ``(item, assignment or None, changed)`` per item.
    """
    provider = task.provider
    params = task.params
    found, seen = [], set()
    for actor in actors:
        if actor.key is not None and actor.key not in seen:
            seen.add(actor.key)
            found.append(actor)
    if len([actor for actor in found if actor.found['id']]) > 1:
        provider.prefetch_assignments()  # one listing for all; else (truncated) one per actor
    held, complete = {}, {}
    for actor in found:
        if not actor.found['id']:
            complete[actor.key] = True  # predicted in check mode: holds nothing yet
            continue
        current, complete[actor.key] = provider.list_actor_assignments(actor.kind, actor.found)
        if params['purge'] and not complete[actor.key]:
            raise IdentityError('the list of role assignments of %s %r came back truncated (the '
                                "server's list limit), so purge cannot tell what to revoke; nothing "
                                'was changed' % (actor.kind, actor.ref), provider.name)
        for assignment in current:
            held[full_key(assignment)] = assignment

    resolved = []
    for item, where, actor in zip(items, wheres, item_actors):
        if actor.found is None or item.get('role') is None:
            resolved.append(None)  # nothing to revoke, or a declaration of the actor
            continue
        try:
            resolved.append(resolve_item(provider, actor.kind, actor.found, item))
        except NotFoundError as exc:
            if item['state'] == 'present':
                raise _in_item(where, exc)
            task.warn('%snothing to revoke: %s' % (_prefix(where), exc))
            resolved.append(None)

    states = {}
    for item, where, assignment in zip(items, wheres, resolved):
        if assignment is None:
            continue
        key = full_key(assignment)
        if key in states and states[key][1] != item['state']:
            raise IdentityError('%s and %s ask for the same assignment (%s) both present and absent'
                                % (states[key][0], where, show(assignment)), provider.name)
        states.setdefault(key, (where, item['state']))

    entries, to_add, to_remove, planned = [], [], [], set()
    for item, assignment in zip(items, resolved):
        changed = False
        if assignment is not None:
            key = full_key(assignment)
            if key not in held and not complete[actor_ident(assignment)] and provider.role_assignment_exists(assignment):
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
        removing = set(full_key(a) for a in to_remove)
        purged = sorted((a for key, a in held.items() if key not in keep and key not in removing), key=show)
    return held, entries, to_add, to_remove, purged


def apply(task, to_add, to_remove, show):
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
            done.append('%s %s' % (action, show(assignment)))


def ensure_assignments(task):
    params = task.params
    listed = params['assignments'] is not None
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

    actors, item_actors = collect_actors(task, items, wheres)
    declared = [where for item, where in zip(items, wheres) if item.get('role') is None]
    if declared and not params['purge']:
        task.warn('%s name%s only a user or group: without purge=true that changes nothing'
                  % (', '.join(declared), 's' if len(declared) == 1 else ''))
    resolve_actors(task, actors, items, wheres)
    distinct = set(actor.key or (actor.kind, actor.ref, actor.domain) for actor in actors)
    show = labeller(len(distinct) > 1)

    held, entries, to_add, to_remove, purged = plan(task, actors, item_actors, items, wheres, show)
    removals = to_remove + purged
    task.changed(bool(to_add or removals))
    task.add_diff({'before': dict((show(a), a) for a in removals),
                   'after': dict((show(a), a) for a in to_add)})
    if not task.check_mode:
        apply(task, to_add, removals, show)

    if listed:
        gone = set(full_key(a) for a in removals)
        task.result['assignments'] = [a for key, a in held.items() if key not in gone] + to_add
        task.result['purged'] = purged
        task.result['results'] = [dict(item=item, changed=changed, assignment=assignment)
                                  for item, assignment, changed in entries]
    else:
        item, assignment, changed = entries[0]
        if item['state'] == 'absent' and not changed:
            assignment = None  # it did not exist
        task.result['assignment'] = assignment


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
        system=dict(type='str', choices=['all']),
        inherited=dict(type='bool', default=False),
        state=dict(type='str', choices=['present', 'absent']),
    )
    for key, extra in overrides.items():
        options[key] = dict(options[key], **extra)
    return options


def main():
    item_options = assignment_options()
    frame = IdentityModule(
        argument_spec=dict(
            assignment_options(state=dict(default='present')),
            assignments=dict(
                type='list', elements='dict', options=item_options,
                mutually_exclusive=[('project', 'domain', 'system'), ('system', 'inherited'), ('user', 'group')],
                required_if=[('inherited', True, ['role'])],
                required_by={'project_domain': 'project', 'user_domain': 'user', 'group_domain': 'group',
                             'role_domain': 'role', 'project': 'role', 'domain': 'role', 'system': 'role'}),
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
            ('user', 'group', 'assignments'),
            ('role', 'assignments'),
            ('project', 'domain', 'system', 'assignments'),
        ],
        required_if=[('purge', True, ['assignments'])],
        required_by={
            'role_domain': 'role',
            'project_domain': 'project',
        },
    )
    frame.run(ensure_assignments)


if __name__ == '__main__':
    main()
