#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: identity_user
short_description: Create, update or delete a user account in an identity system
version_added: 0.1.0
description:
  - Makes a user account look the way the task says, and reports exactly what it changed.
  - Only the attributes the task gives are managed; an omitted option leaves the attribute as it is.
    In particular, when O(enabled) is omitted a disabled (offboarded) user stays disabled.
  - "Keystone: C(POST /v3/users), C(PATCH /v3/users/{id}) and C(DELETE /v3/users/{id}); users are
    looked up by name within their domain."
  - "Providers: keystone."
author:
  - IAM Ops maintainers (@iamops)
options:
  name:
    description:
      - Name of the user (unique within its domain).
      - Required unless O(users) is given.
    type: str
  domain:
    description:
      - Domain of the user, by name or ID. Defaults to the Keystone domain C(Default).
    type: str
  password:
    description:
      - Password to set. Never compared with the current one (identity systems do not reveal it),
        never returned and masked in the diff.
      - When it is sent is decided by O(update_password).
    type: str
  update_password:
    description:
      - V(on_create) sets O(password) only when the user is created.
      - V(always) sets it on every run, so the task always reports a change.
    type: str
    choices: [on_create, always]
    default: on_create
  email:
    description:
      - E-mail address of the user.
    type: str
  description:
    description:
      - Free-text description of the user.
    type: str
  default_project:
    description:
      - Default project of the user, by name (looked up in O(default_project_domain)) or ID.
    type: str
  default_project_domain:
    description:
      - Domain of O(default_project), by name or ID. Defaults to O(domain).
    type: str
  enabled:
    description:
      - Whether the user can authenticate.
      - When omitted, a new user gets the identity system's default (enabled) and an existing
        user keeps its state.
    type: bool
  extra:
    description:
      - Further provider-specific attributes to set, as a dictionary. Keystone stores them as the
        user's extra attributes and returns them at the top level of the user.
      - Only the keys given are managed; other extra attributes are left alone.
    type: dict
  groups:
    description:
      - Groups the user belongs to. Each item is either a group name or ID (a name is looked up in
        the user's O(domain)), or a dictionary with the group's C(name) (or ID) and optional
        C(domain) (name or ID, default the user's O(domain)), for groups of other domains.
      - With O(purge_groups=false) the user is added to the listed groups and stays in others;
        with O(purge_groups=true) the user is also removed from every group not listed.
      - When omitted, the user's groups are not managed. Ignored for O(state=absent).
      - For a user created by the task, the groups are added right after the create.
      - "Keystone: the user's groups are read with one C(GET /v3/users/{id}/groups) and changed
        with C(PUT) and C(DELETE /v3/groups/{group_id}/users/{id})."
    type: list
    elements: raw
  purge_groups:
    description:
      - Whether the user is removed from the groups that O(groups) does not list.
      - Ignored when O(groups) is omitted; O(groups=[]) with O(purge_groups=true) removes the user
        from every group.
    type: bool
    default: false
  state:
    description:
      - V(present) creates the user or updates it; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  users:
    description:
      - Batch form - many users in one task, instead of a loop over the single form.
      - Each item takes the single form's options; an option an item omits takes the top-level
        value, so top-level options are defaults for every item (for example O(domain), O(groups)
        or O(state)). Mutually exclusive with O(name).
      - One module run, one token and, for a domain named by two items or more, one listing of the
        domain's users instead of one lookup per user; with O(purge_groups=false), the members of
        each group the items name are read once instead of each user's groups; with
        O(purge_groups=true) (offboarding), the members of every group once when there are fewer
        groups than users. Then only the writes needed are sent.
      - Results come per item in RV(results), like a loop's; an item that fails does not stop
        the others, and the task fails at the end naming each failed item.
    type: list
    elements: dict
    suboptions:
      name:
        description: Like O(name).
        type: str
        required: true
      domain:
        description: Like O(domain).
        type: str
      password:
        description: Like O(password).
        type: str
      update_password:
        description: Like O(update_password).
        type: str
        choices: [on_create, always]
      email:
        description: Like O(email).
        type: str
      description:
        description: Like O(description).
        type: str
      default_project:
        description: Like O(default_project).
        type: str
      default_project_domain:
        description: Like O(default_project_domain).
        type: str
      enabled:
        description: Like O(enabled).
        type: bool
      extra:
        description: Like O(extra).
        type: dict
      groups:
        description: Like O(groups).
        type: list
        elements: raw
      purge_groups:
        description: Like O(purge_groups).
        type: bool
      state:
        description: Like O(state).
        type: str
        choices: [present, absent]
extends_documentation_fragment:
  - iamops.identity.connection
  - iamops.identity.keystone
  - iamops.identity.onelogin
  - iamops.identity.authress
  - iamops.identity.posit_connect
  - iamops.identity.attributes
'''

EXAMPLES = r'''
- name: Set connection options once for the play
  module_defaults:
    group/iamops.identity.identity:
      cloud: production
  block:
    - name: Create jdoe, with a first password
      iamops.identity.identity_user:
        name: jdoe
        domain: corp
        password: "{{ vault_initial_password }}"
        email: jdoe@example.com
        description: Jane Doe, payroll
        default_project: payroll
        extra:
          employee_id: "4711"

    - name: Make jdoe a member of payroll (in corp) and of auditors (in another domain)
      iamops.identity.identity_user:
        name: jdoe
        domain: corp
        groups:
          - payroll
          - name: auditors
            domain: compliance

    - name: jdoe is in these groups and no other
      iamops.identity.identity_user:
        name: jdoe
        domain: corp
        groups: [payroll]
        purge_groups: true

    - name: Disable a leaver without deleting the account
      iamops.identity.identity_user:
        name: jdoe
        domain: corp
        enabled: false

    - name: Reset a password
      iamops.identity.identity_user:
        name: jdoe
        domain: corp
        password: "{{ new_password }}"
        update_password: always

    - name: Delete the account
      iamops.identity.identity_user:
        name: jdoe
        domain: corp
        state: absent

    - name: Onboard a team in one task (one process, one token, one listing of corp's users)
      iamops.identity.identity_user:
        domain: corp
        groups: [staff]            # every item's default
        users:
          - name: asmith
            email: asmith@example.com
            password: "{{ vault_passwords.asmith }}"
          - name: bjones
            email: bjones@example.com
            password: "{{ vault_passwords.bjones }}"
            groups: [staff, payroll]
      register: team

    - name: Offboard them - disabled, out of every group
      iamops.identity.identity_user:
        domain: corp
        enabled: false
        groups: []
        purge_groups: true
        users:
          - name: asmith
          - name: bjones
'''

RETURN = r'''
user:
  description:
    - The user after the task (before it, for V(absent)). In check mode, the predicted user
      (C(id) is null for a user that would be created). Never contains a password.
    - Null when the user does not exist.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the user.
      type: str
      sample: 5a1ff5bd3a8a4a7f9c0e2a4b9d1c7e42
    name:
      description: Name of the user.
      type: str
      sample: jdoe
    domain_id:
      description: ID of the user's domain.
      type: str
      sample: default
    enabled:
      description: Whether the user can authenticate.
      type: bool
    email:
      description: E-mail address, or null.
      type: str
    description:
      description: Description, or null.
      type: str
    default_project_id:
      description: ID of the default project, or null.
      type: str
    password_expires_at:
      description: When the password expires, or null.
      type: str
    options:
      description: Keystone's per-user options.
      type: dict
    extra:
      description: The other attributes stored on the user.
      type: dict
groups:
  description: The groups of the user after the task (predicted in check mode), sorted by name.
  returned: when O(groups) is given and O(state=present)
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
  sample:
    - id: 8f2a6e0c1f7d4c1b9a3e5d7c2b4a6e8f
      name: payroll
      domain_id: default
not_visible:
  description:
    - What this connection cannot see of the user's groups, when it cannot see them all - with
      Keystone, a domain-scoped token is shown only the groups of its domain. RV(groups) and
      O(purge_groups) then cover only those (a warning says so when purging).
  returned: when O(groups) is given and the connection cannot see every group
  type: list
  elements: str
  sample: [groups of domains other than corp]
diff:
  description:
    - Before/after of the attributes the task manages (with --diff); the password shows as C(********).
    - Under C(groups), the names of the user's groups before and after, when they change.
    - In the batch form, a list with one before/after per item that changes, headed by the item.
  returned: when diff mode is on
  type: raw
results:
  description:
    - Batch form (O(users)) only - one entry per item, in order, like a loop's results, each with
      C(changed), C(user), C(groups) (when the item manages groups), C(item) (the item as given,
      secrets masked), C(diff) in diff mode, and C(failed) and C(msg) for an item that failed.
    - With O(purge_groups=false), an item's C(groups) lists the user's groups among those the
      items name (their members are read once for the whole batch), not every group of the user.
  returned: when O(users) is given
  type: list
  elements: dict
'''

from ansible_collections.iamops.identity.plugins.module_utils._errors import IdentityError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils._module import IdentityModule
from ansible_collections.iamops.identity.plugins.module_utils import _membership, _reconcile

SHOWN_ON_DELETE = ('id', 'name', 'domain_id', 'enabled', 'email', 'description', 'default_project_id')
ATTRIBUTES = ('email', 'description', 'enabled', 'extra', 'default_project', 'default_project_domain')


def desired_user(task):
    """The attributes the task manages, in the common model (references resolved by the provider)."""
    params = task.params
    given = dict((k, params[k]) for k in ATTRIBUTES if params.get(k) is not None)
    desired = task.provider.user_fields(given, params['domain'])
    desired['name'] = params['name']
    return desired


def adopt(task, found, desired):
    """A user another run created meanwhile: update what differs from what the task wants (its
    password is the other run's to set: on_create did not create it)."""
    differ = _reconcile.changes(desired, found)
    return task.provider.update_user(found, differ) if differ else found


def plan_user_groups(task, current):
    """Read and resolve what O(groups) needs, before any write (an unknown group changes nothing).

    The provider answers the user's groups its cheapest way (one listing, or a batch's prefetched
    member lists of the named groups); a listed group the user is already in resolves from that
    answer without a request. Returns ``(before, to_add, to_remove, after)``.
    """
    params = task.params
    refs = _membership.refs(params['groups'], params['domain'], 'groups')
    if current is None or not current.get('id'):
        before = []
    else:
        before = task.provider.user_groups(current, among=None if params['purge_groups'] else refs)
    wanted = [_membership.resolve(task, 'group', ref, dom, known=before) for ref, dom in refs]
    before = _membership.confirm(task, 'user', current, before, wanted, params['purge_groups'], 'purge_groups')
    _membership.say_blind_spots(task, params['purge_groups'], 'purge_groups')
    to_add, to_remove, after = _membership.plan(wanted, before, params['purge_groups'])
    return before, to_add, to_remove, after


def ensure_user_groups(task, user, plan):
    """Apply the plan of :func:`plan_user_groups` to ``user`` (after its create, if any)."""
    before, to_add, to_remove, after = plan
    if to_add or to_remove:
        _membership.report(task, 'groups', before, after)
        if not task.check_mode:
            task.provider.apply_memberships(add=[(g, user) for g in to_add],
                                            remove=[(g, user) for g in to_remove])
    task.result['groups'] = _membership.summary(after)


def ensure_user(task):
    params = task.params
    provider = task.provider
    state = params['state']
    try:
        current = provider.find_user(params['name'], params['domain'])
    except NotFoundError:
        if state == 'absent':  # the user's domain is gone, so is the user
            task.result['user'] = None
            return
        raise
    if state == 'absent':
        desired, keys = {}, SHOWN_ON_DELETE
    else:
        desired = desired_user(task)
        if current is not None:
            # the server matched this name (case-insensitively on MySQL or LDAP): never a rename
            desired['name'] = current['name']
        keys = desired.keys()
    groups_plan = None
    if state == 'present' and params['groups'] is not None:
        groups_plan = plan_user_groups(task, current)
    secrets = {'password': params['password']} if params['password'] is not None else {}
    always = ('password',) if params['update_password'] == 'always' else ()
    action, payload = task.reconcile(current, desired, state, secrets, always, keys)

    user = current
    if action == 'create':
        if task.check_mode:
            user = provider.predict_user(desired, params['domain'])
        else:
            user = task.create_safely(
                lambda: provider.create_user(payload, params['domain']),
                lambda: provider.find_user(params['name'], params['domain'], cached=False),
                'user %r' % params['name'], adopt=lambda found: adopt(task, found, desired))
    elif action == 'update':
        if task.check_mode:
            user = dict(current, **dict((k, v) for k, v in payload.items() if k not in ('password', 'extra')))
            user['extra'] = dict(current.get('extra') or {}, **(payload.get('extra') or {}))
        else:
            user = provider.update_user(current, payload)
    elif action == 'delete' and not task.check_mode:
        provider.delete_user(current)
    task.result['user'] = user
    if groups_plan is not None:
        ensure_user_groups(task, user, groups_plan)


def prepare_batch(tasks):
    """Tell the provider what the batch will ask (it picks its reads): the users of every item,
    the groups the items name (their members, without purge), and how many items purge."""
    provider = tasks[0].provider
    provider.prepare_users([(t.params['name'], t.params['domain']) for t in tasks])
    with_groups = [t for t in tasks if t.params['state'] == 'present' and t.params['groups'] is not None]
    purging = [t for t in with_groups if t.params['purge_groups']]
    named = set()
    for task in with_groups:
        if not task.params['purge_groups']:
            try:
                named.update(_membership.refs(task.params['groups'], task.params['domain'], 'groups'))
            except IdentityError:
                pass  # the item reports it
    provider.prepare_groups([domain for _ref, domain in named])
    groups = []
    for ref, domain in sorted(named, key=str):
        try:
            groups.append(provider.resolve_group(ref, domain))
        except NotFoundError:
            pass  # the item reports it (or predicts it in check mode)
    provider.prepare_memberships(groups=groups, purging=len(purging))


def user_options(**overrides):
    """The options of one user: the single form's, and each item's of the batch form."""
    options = dict(
        name=dict(type='str'),
        domain=dict(type='str'),
        password=dict(type='str', no_log=True),
        update_password=dict(type='str', choices=['on_create', 'always'], no_log=False),
        email=dict(type='str'),
        description=dict(type='str'),
        default_project=dict(type='str'),
        default_project_domain=dict(type='str'),
        enabled=dict(type='bool'),
        extra=dict(type='dict'),
        groups=dict(type='list', elements='raw'),
        purge_groups=dict(type='bool'),
        state=dict(type='str', choices=['present', 'absent']),
    )
    for key, extra in overrides.items():
        options[key] = dict(options[key], **extra)
    return options


def main():
    # an item's omitted option takes the top-level value, so top-level defaults are set there only
    spec = user_options(update_password=dict(default='on_create'), purge_groups=dict(default=False),
                        state=dict(default='present'))
    spec['users'] = dict(type='list', elements='dict', options=user_options(name=dict(required=True)),
                         required_by={'default_project_domain': 'default_project'})
    frame = IdentityModule(
        'identity_user', batch_option='users', names=('name', 'groups'),
        argument_spec=spec,
        required_by={'default_project_domain': 'default_project'},
        mutually_exclusive=[('name', 'users')],
        required_one_of=[('name', 'users')],
    )
    if frame.params['users'] is None:
        frame.run(ensure_user)
    else:
        frame.run_batch(ensure_user, 'users', label_keys=('name', 'domain'), prepare=prepare_batch)


if __name__ == '__main__':
    main()
