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
author:
  - iamops.identity maintainers
options:
  name:
    description:
      - Name of the user (unique within its domain).
    type: str
    required: true
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
  state:
    description:
      - V(present) creates the user or updates it; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
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
diff:
  description: Before/after of the attributes the task manages (with --diff); the password shows as C(********).
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.iamops.identity.plugins.module_utils._errors import NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils._module import IdentityModule

SHOWN_ON_DELETE = ('id', 'name', 'domain_id', 'enabled', 'email', 'description', 'default_project_id')


def desired_user(task):
    """The attributes the task manages, in the common model (names resolved to IDs)."""
    params = task.params
    desired = {'name': params['name']}
    for key in ('email', 'description', 'enabled', 'extra'):
        if params[key] is not None:
            desired[key] = params[key]
    if params['default_project'] is not None:
        project = task.provider.resolve_project(
            params['default_project'], params['default_project_domain'] or params['domain'])
        desired['default_project_id'] = project['id']
    return desired


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
        keys = desired.keys()
    secrets = {'password': params['password']} if params['password'] is not None else {}
    always = ('password',) if params['update_password'] == 'always' else ()
    action, payload = task.reconcile(current, desired, state, secrets, always, keys)

    user = current
    if action == 'create':
        if task.check_mode:
            user = dict(desired, id=None, domain_id=provider.resolve_domain(params['domain'])['id'])
        else:
            user = task.create_safely(
                lambda: provider.create_user(payload, params['domain']),
                lambda: provider.find_user(params['name'], params['domain']),
                'user %r' % params['name'])
    elif action == 'update':
        if task.check_mode:
            user = dict(current, **dict((k, v) for k, v in payload.items() if k not in ('password', 'extra')))
            user['extra'] = dict(current.get('extra') or {}, **(payload.get('extra') or {}))
        else:
            user = provider.update_user(current, payload)
    elif action == 'delete' and not task.check_mode:
        provider.delete_user(current)
    task.result['user'] = user


def main():
    frame = IdentityModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            domain=dict(type='str'),
            password=dict(type='str', no_log=True),
            update_password=dict(type='str', choices=['on_create', 'always'], default='on_create',
                                 no_log=False),
            email=dict(type='str'),
            description=dict(type='str'),
            default_project=dict(type='str'),
            default_project_domain=dict(type='str'),
            enabled=dict(type='bool'),
            extra=dict(type='dict'),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
        ),
        required_by={'default_project_domain': 'default_project'},
    )
    frame.run(ensure_user)


if __name__ == '__main__':
    main()
