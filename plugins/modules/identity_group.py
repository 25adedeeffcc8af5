#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: identity_group
short_description: Create, update or delete a group and manage its members in an identity system
version_added: 0.1.0
description:
  - Makes a group look the way the task says, including who its members are, and reports exactly
    what it changed.
  - Only what the task gives is managed; when O(users) is omitted the membership is left as it is.
  - Membership changes add and remove single members; the group itself is never re-created.
  - Every listed user is looked up before the first change, so a missing user fails the task
    without any change.
  - "Keystone: C(POST /v3/groups), C(PATCH /v3/groups/{id}), C(DELETE /v3/groups/{id}); members
    are read with one C(GET /v3/groups/{id}/users) and changed with C(PUT) and C(DELETE
    /v3/groups/{id}/users/{user_id})."
  - "Authress: C(POST /v1/groups), C(PUT /v1/groups/{groupId}) and C(DELETE /v1/groups/{groupId});
    a group holds its members and admins itself, so all membership changes of a group are one
    C(PUT), sent with C(If-Unmodified-Since): when someone else changed the group in between
    (HTTP 412), the module reads it again, reapplies its changes once, and fails clearly if it is
    changed again. O(name) is the group's name or its C(groupId); a create with members is a
    C(POST) then one C(PUT)."
  - Many groups can be handled in one task with O(groups) (one process, one token).
  - "Posit Connect: C(POST /__api__/v1/groups) (answers 200), rename with
    C(POST /__api__/v1/groups/{guid}), C(DELETE /__api__/v1/groups/{guid}); members are read with
    C(GET /__api__/v1/groups/{guid}/members) and changed with C(POST .../members) and
    C(DELETE .../members/{user_guid}). Groups and users are named by name or GUID."
  - "Providers: keystone, authress, posit_connect, scim."
author:
  - IAM Ops maintainers (@iamops)
options:
  name:
    description:
      - Name of the group (unique within its domain).
      - Exactly one of O(name) and O(groups) is required.
    type: str
  domain:
    description:
      - Domain of the group, by name or ID. Defaults to the Keystone domain C(Default).
      - "Providers: keystone."
    type: str
  description:
    description:
      - Free-text description of the group.
      - "Providers: keystone."
    type: str
  new_name:
    description:
      - Rename the group O(name) to this name. Idempotent - when O(name) no longer exists but
        O(new_name) does, the group is taken as renamed already; when neither exists the task fails.
      - When O(name) and O(new_name) are two different groups, the task fails before any write.
      - Refused with O(state=absent) (delete the group by its current name).
    type: str
  users:
    description:
      - Members of the group. Each item is either a user name or ID (a name is looked up in
        O(users_domain)), or a dictionary with the user's C(name) (or ID) and optional C(domain)
        (name or ID, default O(users_domain)), for users of other domains.
      - With O(purge_users=false) the listed users are added and other members stay; with
        O(purge_users=true) the list is the whole membership.
      - With O(users_state=absent) the listed users are removed and other members stay.
      - When omitted, the membership is not managed.
      - A listed user that does not exist fails the task before any write, or is left out (see O(on_missing)).
    type: list
    elements: raw
  users_state:
    description:
      - V(present) adds the users of O(users) to the group (with O(purge_users=true), they are then
        the whole membership).
      - V(absent) removes the users of O(users) from the group, if they are members, and leaves
        every other member; it does not go together with O(purge_users=true).
      - A listed user that does not exist is not a member, so there is nothing to remove. With the default
        O(on_missing=fail) a warning names it (what does not exist is absent already, so the rerun of
        a leaver's run whose account is gone stays a no-op); O(on_missing=ignore) silences it.
      - Ignored when O(users) is omitted and for O(state=absent).
    type: str
    choices: [present, absent]
    default: present
  users_domain:
    description:
      - Domain in which the user names of O(users) are looked up, by name or ID. Defaults to the
        group's O(domain).
      - "Providers: keystone."
    type: str
  purge_users:
    description:
      - Whether members that O(users) does not list are removed from the group.
      - Ignored when O(users) is omitted; O(users=[]) with O(purge_users=true) empties the group.
    type: bool
    default: false
  subgroups:
    description:
      - Groups that are members of this group (nested groups), by name or ID.
      - With O(purge_subgroups=false) the listed groups are added and other subgroups stay; with
        O(purge_subgroups=true) the list is the whole set of subgroups.
      - Managed apart from O(users) - O(purge_users) never removes a subgroup, O(purge_subgroups)
        never removes a user.
      - Every listed group is looked up before the first change (a missing one fails the task
        without any change, or is left out, see O(on_missing)), and a group that would end up inside itself (the group itself, or
        a group that already contains it, directly or through its subgroups) is refused.
      - When omitted, the subgroups are not managed.
      - "SCIM: C(PATCH /Groups/{id}) adding C(members) of C(type: Group) and removing
        C(members[value eq \"id\"]) (a C(PUT) of the whole group, its users kept, without PATCH);
        the subgroups are read from the group's C(members) of C(type: Group)."
      - "Providers: scim."
    type: list
    elements: str
  purge_subgroups:
    description:
      - Whether subgroups that O(subgroups) does not list are removed from the group.
      - Ignored when O(subgroups) is omitted; O(subgroups=[]) with O(purge_subgroups=true)
        removes every subgroup (the users stay).
      - "Providers: scim."
    type: bool
    default: false
  admins:
    description:
      - The user IDs that may edit the group, the whole list (users not listed lose the right).
      - When omitted, the admins are not managed.
      - "Providers: authress."
    type: list
    elements: str
  state:
    description:
      - V(present) creates the group or updates it; V(absent) deletes it (its members' accounts stay).
    type: str
    choices: [present, absent]
    default: present
  groups:
    description:
      - Batch form. Several groups in one task, each item taking the options of the single form.
      - The module's top-level options are defaults for every item (for example O(domain) or
        O(state)); an item's own value wins.
      - Mutually exclusive with O(name).
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the group.
        type: str
        required: true
      domain:
        description: Domain of the group, by name or ID.
        type: str
      description:
        description: Free-text description of the group.
        type: str
      new_name:
        description: Rename the group, as for the top-level O(new_name).
        type: str
      users:
        description: Members of the group, as for the top-level O(users).
        type: list
        elements: raw
      users_domain:
        description: Domain in which the user names of O(groups[].users) are looked up.
        type: str
      purge_users:
        description: Whether unlisted members are removed, as for the top-level O(purge_users).
        type: bool
      users_state:
        description: Whether the users of O(groups[].users) are added or removed, as for the top-level O(users_state).
        type: str
        choices: [present, absent]
      subgroups:
        description: Groups that are members of this group, as for the top-level O(subgroups).
        type: list
        elements: str
      purge_subgroups:
        description: Whether unlisted subgroups are removed, as for the top-level O(purge_subgroups).
        type: bool
      admins:
        description: The admins of the group, as for the top-level O(admins).
        type: list
        elements: str
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
extends_documentation_fragment:
  - iamops.identity.connection
  - iamops.identity.keystone
  - iamops.identity.onelogin
  - iamops.identity.authress
  - iamops.identity.posit_connect
  - iamops.identity.scim
  - iamops.identity.attributes
  - iamops.identity.parallel
  - iamops.identity.on_missing
'''

EXAMPLES = r'''
- name: Set connection options once for the play
  module_defaults:
    group/iamops.identity.identity:
      cloud: production
  block:
    - name: A group with (at least) these members
      iamops.identity.identity_group:
        name: payroll
        domain: corp
        description: Payroll team
        users:
          - jdoe
          - asmith
          - name: svc-payroll
            domain: services

    - name: Exactly these members; everyone else is removed
      iamops.identity.identity_group:
        name: payroll
        domain: corp
        users: [jdoe, asmith]
        purge_users: true

    - name: Take these two out of the group; every other member stays
      iamops.identity.identity_group:
        name: payroll
        domain: corp
        users: [jdoe, asmith]
        users_state: absent

    - name: Add the members that exist, with a warning naming those that do not
      iamops.identity.identity_group:
        name: payroll
        domain: corp
        users: [jdoe, new-hire-not-synced-yet]
        on_missing: warn

    - name: Several groups in one task
      iamops.identity.identity_group:
        domain: corp
        groups:
          - name: payroll
            users: [jdoe]
          - name: auditors
            description: Read-only auditors
          - name: interns-2024
            state: absent

    - name: Delete a group
      iamops.identity.identity_group:
        name: payroll
        domain: corp
        state: absent

- name: SCIM - the staff group holds exactly the groups payroll and auditors (its users untouched)
  iamops.identity.identity_group:
    provider: scim
    name: staff
    subgroups: [payroll, auditors]
    purge_subgroups: true

- name: SCIM - nested groups in the batch form
  iamops.identity.identity_group:
    provider: scim
    groups:
      - name: engineering
        subgroups: [backend, frontend]
      - name: everyone
        subgroups: [engineering]

- name: Authress - the payroll group, exactly these members, one admin
  iamops.identity.identity_group:
    provider: authress
    name: Payroll
    users: ["google|1049832", "oauth2|okta|jdoe"]
    purge_users: true
    admins: ["google|1049832"]
'''

RETURN = r'''
group:
  description:
    - The group after the task (before it, for V(absent)). In check mode, the predicted group
      (C(id) is null for a group that would be created).
    - Null when the group does not exist.
  returned: single form
  type: dict
  contains:
    id:
      description: ID of the group.
      type: str
      sample: 8f2a6e0c1f7d4c1b9a3e5d7c2b4a6e8f
    name:
      description: Name of the group.
      type: str
      sample: payroll
    domain_id:
      description: ID of the group's domain.
      type: str
      sample: default
    description:
      description: Description, or null.
      type: str
members:
  description: The members after the task (predicted in check mode), sorted by name.
  returned: single form, when O(users) is given and O(state=present)
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
      description: ID of the user's domain.
      type: str
  sample:
    - id: 5a1ff5bd3a8a4a7f9c0e2a4b9d1c7e42
      name: jdoe
      domain_id: default
subgroups:
  description: The groups that are members of the group after the task (predicted in check mode), sorted by name.
  returned: single form, when O(subgroups) is given and O(state=present)
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
      description: ID of the group's domain (null on a provider without domains).
      type: str
  sample:
    - id: 3c2c44618d664325883ccb656d1a9a82
      name: payroll
      domain_id: null
results:
  description:
    - Batch form, one entry per item of O(groups) in order, like a loop's results.
    - Each has C(changed), C(item), the item's C(group), C(members) and C(subgroups), its C(diff) in diff mode,
      and C(failed) and C(msg) when that item failed (the other items still run).
  returned: batch form
  type: list
  elements: dict
diff:
  description:
    - Before/after of the managed attributes and, under C(users), of the member names, under
      C(subgroups), of the subgroup names (with --diff).
    - A list of per-item diffs in the batch form.
  returned: when diff mode is on
  type: raw
'''

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError, IdentityError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils._module import IdentityModule
from ansible_collections.iamops.identity.plugins.module_utils import _parallel
from ansible_collections.iamops.identity.plugins.module_utils import _membership, _reconcile

SHOWN = ('id', 'name', 'domain_id', 'description')


def find_current(task):
    """``(current, name)``: the group the task names (or None) and the name it goes by, found
    under O(new_name) when an earlier run renamed it; ``(False, name)`` when it is to be absent
    and its domain is gone."""
    params, provider = task.params, task.provider
    try:
        return task.find_renamed(lambda name: provider.find_group(name, params['domain']), 'group')
    except NotFoundError:
        if params['state'] == 'absent':  # the group's domain is gone, so is the group
            return False, params['name']
        raise


def desired_group(task, current):
    """The group's attributes the task manages."""
    params = task.params
    desired = _reconcile.managed(params, ('name', 'description'))
    if params.get('admins') is not None:
        desired['admins'] = sorted(set(params['admins']))
    if current is not None:
        desired['name'] = current['name']  # the server matched this name: never a rename by case
    if params.get('new_name'):
        desired['name'] = params['new_name']
    return desired


def create_group(task, name, desired, payload):
    """The group after the create (predicted in check mode)."""
    params, provider = task.params, task.provider
    if task.check_mode:
        fields = dict(name=name, description=desired.get('description'))
        if 'admins' in desired:
            fields['admins'] = desired['admins']
        return provider.predict_group(fields, params['domain'])
    return task.create_safely(
        lambda: provider.create_group(payload, params['domain']),
        lambda: provider.find_group(name, params['domain'], cached=False),
        'group %r' % name, adopt=lambda found: adopt(provider, found, desired))


def delete_group(task, current):
    action, dummy = task.reconcile(current, {}, 'absent', keys=SHOWN)
    if action == 'delete' and not task.check_mode:
        task.provider.delete_group(current)
    task.result['group'] = current


def ensure_group(task):
    params = task.params
    if params['users_domain'] is not None and params['users'] is None:
        raise ConfigError('users_domain is given but users is not (at top level or in the item)', task.provider.name)
    current, name = find_current(task)
    if current is False:
        task.result['group'] = None
        return
    if params['state'] == 'absent':
        delete_group(task, current)
        return
    # Read and resolve everything before the first write: a missing user changes nothing.
    memberships = _membership.Memberships(task, _membership.GROUP_USERS)
    membership = None
    if params['users'] is not None:
        membership = memberships.plan(current, params['users'], params['users_domain'] or params['domain'],
                                      params['purge_users'], params['users_state'], params['on_missing'])
    nesting = plan_subgroups(task, current)
    desired = desired_group(task, current)
    action, payload = task.reconcile(current, desired, 'present')
    group = current
    if action == 'create':
        group = create_group(task, name, desired, payload)
    elif action == 'update':
        group = dict(current, **payload) if task.check_mode else task.provider.update_group(current, payload)
    if membership is not None:
        memberships.apply(group, membership)
    if nesting is not None:
        nesting[0].apply(group, nesting[1])
    task.result['group'] = group


def plan_subgroups(task, current):
    """``(service, plan)`` for O(subgroups) (read and resolved before any write), or None when
    the task does not manage them."""
    params = task.params
    if params.get('subgroups') is None:
        return None
    service = _membership.Memberships(task, _membership.GROUP_SUBGROUPS)
    return service, service.plan(current, params['subgroups'], params['domain'], params['purge_subgroups'],
                                 on_missing=params['on_missing'])


def adopt(provider, found, desired):
    """A group another run created meanwhile: update what differs from what the task wants."""
    differ = _reconcile.changes(desired, found)
    return provider.update_group(found, differ) if differ else found


def prepare_batch(tasks):
    """Batch form: the provider may list the groups of a domain once for its items."""
    tasks[0].provider.prepare_groups([task.params['domain'] for task in tasks])


def main():
    item_options = dict(
        name=dict(type='str', required=True),
        domain=dict(type='str'),
        description=dict(type='str'),
        new_name=dict(type='str'),
        users=dict(type='list', elements='raw'),
        users_domain=dict(type='str'),
        purge_users=dict(type='bool'),
        users_state=dict(type='str', choices=['present', 'absent']),
        subgroups=dict(type='list', elements='str'),
        purge_subgroups=dict(type='bool'),
        admins=dict(type='list', elements='str'),
        state=dict(type='str', choices=['present', 'absent']),
    )
    frame = IdentityModule(
        'identity_group', batch_option='groups', names=('name', 'new_name', 'users', 'domain', 'users_domain', 'subgroups'),
        argument_spec=dict(
            name=dict(type='str'),
            domain=dict(type='str'),
            description=dict(type='str'),
            new_name=dict(type='str'),
            users=dict(type='list', elements='raw'),
            users_domain=dict(type='str'),
            purge_users=dict(type='bool', default=False),
            users_state=dict(type='str', choices=['present', 'absent'], default='present'),
            subgroups=dict(type='list', elements='str'),
            purge_subgroups=dict(type='bool', default=False),
            admins=dict(type='list', elements='str'),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            groups=dict(type='list', elements='dict', options=item_options),
            **dict(_parallel.argument_spec(), **_membership.on_missing_argument_spec())
        ),
        mutually_exclusive=[('name', 'groups')],
        required_one_of=[('name', 'groups')],
        required_by={'users_domain': 'users'},
    )
    try:
        _membership.refuse_absent_purge(frame.params, _membership.GROUP_USERS, 'groups')
    except IdentityError as exc:
        frame.module.fail_json(msg=str(exc))
    if frame.params['groups'] is not None:
        frame.run_batch(ensure_group, 'groups', label_keys=('name', 'domain'), prepare=prepare_batch)
    else:
        frame.run(ensure_group)


if __name__ == '__main__':
    main()
