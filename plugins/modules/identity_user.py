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
  - "OneLogin: C(POST), C(PUT) and C(DELETE /api/2/users) (a create sends the password, state,
    status and group in its one request), and the v1 actions C(set_state), C(lock_user),
    C(logout), C(set_password_clear_text) and C(set_password_using_salt). O(name) is the
    username; O(description) is OneLogin's C(comment). O(enabled=false) suspends the user
    (OneLogin status 2, Suspended: the account keeps its roles, apps and state but cannot sign
    in); O(enabled=true) reactivates it (status 1)."
  - "Authress: users cannot be created or changed through the API (they appear when they first log
    in). O(state=present) makes sure the user exists (a clear failure if not) and links it to
    O(tenant) with C(PATCH /v1/tenants/{tenantId}/users); O(state=absent) deletes it with
    C(DELETE /v1/users/{userId}), which Authress completes asynchronously (see O(wait)). O(name) is
    the Authress user ID (for example C(google|1234)). Options Authress does not let a client set
    (O(email), O(password), O(enabled)...) are refused."
  - "Posit Connect: C(POST /__api__/v1/users), C(PUT /__api__/v1/users/{guid}) and
    C(POST /__api__/v1/users/{guid}/lock); users are looked up by username (case-sensitive). Connect
    has no user delete: O(state=absent) fails before any request, and offboarding is O(locked=true)."
  - "Providers: keystone, onelogin, authress, posit_connect, scim."
author:
  - IAM Ops maintainers (@iamops)
options:
  name:
    description:
      - Name of the user (unique within its domain).
      - Required unless O(users) is given.
    type: str
  new_name:
    description:
      - Rename the user O(name) to this name, in one update request together with the other attributes that
        change. The user keeps its ID, groups, role assignments and password.
      - Idempotent - when O(name) no longer exists but O(new_name) does, the user is taken as renamed by an
        earlier run and the other options are managed on it (no change when they hold).
      - When neither exists, or O(name) and O(new_name) are two different users, the task fails before any
        write. On a server that compares names without regard to case, a case-only rename (C(ada) to C(Ada))
        finds one user under both names and renames it.
      - In check mode the diff shows the name before and after; nothing is written.
      - In the batch form, two items may not rename to one name, nor rename to a name another item names
        (refused before any request).
      - Refused with O(state=absent) (delete the user by its current name).
      - "Keystone: C(name) in C(PATCH /v3/users/{id}). OneLogin: C(username) in C(PUT /api/2/users/{id}).
        Posit Connect: C(username) in C(PUT /__api__/v1/users/{guid}). SCIM: C(PATCH) C(replace userName)."
      - "Providers: keystone, onelogin, posit_connect, scim."
    type: str
  domain:
    description:
      - Domain of the user, by name or ID. Defaults to the Keystone domain C(Default).
      - "Providers: keystone."
    type: str
  password:
    description:
      - Password to set. Never compared with the current one (identity systems do not reveal it),
        never returned and masked in the diff.
      - When it is sent is decided by O(update_password).
      - V(generate) has the module draw a strong password (24 characters, with upper- and lower-case
        letters, digits and symbols from C(-_.!@#+=), from Python's C(secrets)) when it creates the
        user, send it with the create and return it once in RV(generated_password). An existing
        user gets nothing (no password is generated or sent). It cannot be combined with
        O(update_password=always). In check mode no password is generated.
      - "OneLogin: a generated password is hashed like a given one when O(password_algorithm) is
        set (the hash goes in the create, the password itself is returned)."
      - Posit Connect takes it only on create (password authentication), and not together with
        O(user_must_set_password=true).
      - "Providers: keystone, onelogin, posit_connect, scim."
    type: str
  update_password:
    description:
      - V(on_create) sets O(password) only when the user is created.
      - V(always) sets it on every run, so the task always reports a change.
      - "Providers: keystone, onelogin, scim."
    type: str
    choices: [on_create, always]
    default: on_create
  email:
    description:
      - E-mail address of the user.
      - "Providers: keystone, onelogin, posit_connect, scim."
    type: str
  description:
    description:
      - Free-text description of the user.
      - "Providers: keystone, onelogin."
    type: str
  default_project:
    description:
      - Default project of the user, by name (looked up in O(default_project_domain)) or ID.
      - "Providers: keystone."
    type: str
  default_project_domain:
    description:
      - Domain of O(default_project), by name or ID. Defaults to O(domain).
      - "Providers: keystone."
    type: str
  enabled:
    description:
      - Whether the user can authenticate.
      - When omitted, a new user gets the identity system's default (enabled) and an existing
        user keeps its state.
      - Posit Connect has no disabled state but a lock - O(enabled=false) is O(locked=true).
      - "Providers: keystone, onelogin, posit_connect, scim."
    type: bool
  locked:
    description:
      - Whether the account is locked. Given with O(enabled), a combination the provider cannot
        hold is refused before any request.
      - "Posit Connect: through C(POST /__api__/v1/users/{guid}/lock); a locked user cannot log in,
        which is how Connect offboards, since it has no user delete. Locking the account of the API
        key in use needs O(force=true), as in posit-sdk."
      - "OneLogin: V(true) locks the account (C(lock_user), status 3) for O(lock_minutes); V(false)
        unlocks a locked account (status 1)."
      - "Providers: onelogin, posit_connect."
    type: bool
  force:
    description:
      - Allow O(locked=true) (or O(enabled=false)) on the account of the API key in use, which then
        can no longer call Connect. Without it such a task fails before any write, as posit-sdk's
        C(User.lock) does.
      - A top-level option only; it applies to every item of O(users).
      - "Providers: posit_connect."
    type: bool
    default: false
  first_name:
    description:
      - First name of the user.
      - "Providers: onelogin, posit_connect, scim."
    type: str
  last_name:
    description:
      - Last name of the user.
      - "Providers: onelogin, posit_connect, scim."
    type: str
  user_role:
    description:
      - The user's one role on Posit Connect. A new user without it gets the server's
        C(Authorization.DefaultUserRole).
      - M(iamops.identity.identity_role_assignment) manages the same role as an assignment.
      - "Providers: posit_connect."
    type: str
    choices: [administrator, publisher, viewer]
  user_must_set_password:
    description:
      - Create the user without a password; the user sets one at first login (Posit Connect password
        authentication). Sent only when the user is created; mutually exclusive with O(password).
      - This is Connect's form of a forced password change (Connect has no password expiry); the
        user result's C(confirmed) is false until the user has set a password.
      - "Providers: posit_connect."
    type: bool
  unique_id:
    description:
      - The identity provider's unique ID of the user, which Posit Connect needs on create with SAML
        or OAuth2 (non-Google) authentication. Sent only when the user is created (Connect never
        returns it).
      - "Providers: posit_connect."
    type: str
  extra:
    description:
      - Further provider-specific attributes to set, as a dictionary. Keystone stores them as the
        user's extra attributes and returns them at the top level of the user.
      - Only the keys given are managed; other extra attributes are left alone.
      - "Providers: keystone."
    type: dict
  groups:
    description:
      - Groups the user belongs to. Each item is either a group name or ID (a name is looked up in
        the user's O(domain)), or a dictionary with the group's C(name) (or ID) and optional
        C(domain) (name or ID, default the user's O(domain)), for groups of other domains.
      - With O(purge_groups=false) the user is added to the listed groups and stays in others;
        with O(purge_groups=true) the user is also removed from every group not listed.
      - With O(groups_state=absent) the user leaves the listed groups and stays in the others.
      - When omitted, the user's groups are not managed. Ignored for O(state=absent).
      - A listed group that does not exist fails the task before any write, or is left out (see O(on_missing)).
      - For a user created by the task, the groups are added right after the create.
      - "Keystone: the user's groups are read with one C(GET /v3/users/{id}/groups) and changed
        with C(PUT) and C(DELETE /v3/groups/{group_id}/users/{id})."
      - "OneLogin: a user belongs to one group, its C(group_id): at most one item, which replaces
        the user's group whatever O(purge_groups) says; O(groups=[]) with O(purge_groups=true)
        takes the user out of its group. With O(groups_state=absent), the user's group is cleared
        only when it is the listed one."
      - "Posit Connect: groups are named by name or GUID; a user's groups are read from the named
        groups' members (C(GET /__api__/v1/groups/{guid}/members)), with O(purge_groups=true) from
        every group's members (Connect cannot list a user's groups), each group once per run; changed with
        C(POST /__api__/v1/groups/{guid}/members) and C(DELETE .../members/{user_guid})."
    type: list
    elements: raw
  purge_groups:
    description:
      - Whether the user is removed from the groups that O(groups) does not list.
      - Ignored when O(groups) is omitted; O(groups=[]) with O(purge_groups=true) removes the user
        from every group.
    type: bool
    default: false
  groups_state:
    description:
      - V(present) adds the user to the groups of O(groups) (with O(purge_groups=true), they are
        then all the user's groups).
      - V(absent) removes the user from the groups of O(groups) it is in, and leaves its other
        groups; it does not go together with O(purge_groups=true).
      - A listed group that does not exist has the user as no member, so there is nothing to remove. With the
        default O(on_missing=fail) a warning names it (what does not exist is absent already);
        O(on_missing=ignore) silences it.
      - Ignored when O(groups) is omitted and for O(state=absent).
    type: str
    choices: [present, absent]
    default: present
  tenant:
    description:
      - The tenant the user logs in through, by tenant ID. The user is linked to it when it is not
        yet (a user belongs to one tenant at most). When omitted, the user's tenant is not managed.
      - "Providers: authress."
    type: str
  wait:
    description:
      - With O(state=absent), whether to wait until the identity system has completed the delete.
      - "Authress accepts a delete (HTTP 202) and completes it asynchronously: with V(true) the
        module polls the user until it is gone, at most O(wait_timeout) seconds, and fails if it is
        still there."
      - "Providers: authress."
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds O(wait) waits at most.
      - "Providers: authress."
    type: int
    default: 60
  state:
    description:
      - V(present) creates the user or updates it; V(absent) deletes it.
      - Posit Connect has no user delete - V(absent) fails before any request; lock the user
        (O(locked=true)) instead.
    type: str
    choices: [present, absent]
    default: present
  title:
    description:
      - Job title.
      - "Providers: onelogin, scim."
    type: str
  department:
    description:
      - Department.
      - "Providers: onelogin, scim."
    type: str
  company:
    description:
      - Company.
      - "Providers: onelogin, scim."
    type: str
  phone:
    description:
      - Phone number (E.164).
      - "Providers: onelogin."
    type: str
  external_id:
    description:
      - The user's ID in an external directory.
      - "Providers: onelogin, scim."
    type: str
  manager:
    description:
      - The user's manager, by username or user ID.
      - OneLogin - by user ID (a value made only of digits) or else by username (stored as
        C(manager_user_id)); the manager must exist, else the task fails before any write.
      - "Providers: onelogin, scim."
    type: str
  custom_attributes:
    description:
      - Values of the account's custom user attributes, by short name. Only the keys given are
        managed; the others are left alone.
      - "Providers: onelogin."
    type: dict
  user_state:
    description:
      - OneLogin's approval state of the user (C(state) in its API), changed with C(set_state).
      - "Providers: onelogin."
    type: str
    choices: [approved, unapproved, rejected, unlicensed]
  lock_minutes:
    description:
      - How long a lock lasts, in minutes, when O(locked=true) locks the account. V(0) (the
        default) uses the lock period of the user's policy, or locks until unlocked. From V(0) to
        V(2147483647); another value fails before any request.
      - "Providers: onelogin."
    type: int
  logout:
    description:
      - V(true) ends every session of the user (offboarding). Always reported as a change, in
        check mode too, since sessions cannot be read.
      - "Providers: onelogin."
    type: bool
  password_expired:
    description:
      - Whether the user's password is expired, so that the user must change it at the next login.
      - "OneLogin: V(true) sets the user's status 4 (Password expired) with C(PUT /api/2/users/{id});
        V(false) makes a user whose password is expired Active again (status 1). Read back from the
        status, so a rerun changes nothing. Not with O(enabled=false) (status Suspended) nor
        O(locked=true) (status Locked): one status holds one of them."
      - "Keystone cannot expire a password through its API (it expires by
        C([security_compliance] password_expires_days)): the option is refused there, and the user
        result reports C(password_expired) computed from C(password_expires_at)."
      - "Providers: onelogin."
    type: bool
  password_never_expires:
    description:
      - Whether the user's password is exempt from password expiry.
      - "Keystone: the user option C(ignore_password_expiry) (C(options) in the user result);
        with it, Keystone reports no C(password_expires_at) for the user's password."
      - "Providers: keystone."
    type: bool
  password_algorithm:
    description:
      - With V(salt+sha256), O(password) is hashed here as SHA-256 of O(password_salt) followed by
        the password, and only the hash is sent (C(set_password_using_salt); in the create
        request for a new user). Without it the password is sent as is (C(set_password_clear_text)).
      - "Providers: onelogin."
    type: str
    choices: ['salt+sha256']
  password_salt:
    description:
      - Salt put before the password for O(password_algorithm) (at most 40 characters, as OneLogin
        documents; a longer one fails before any request).
      - "Providers: onelogin."
    type: str
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
      - "Posit Connect: the first page of users (500) is read once, and the rest of the listing
        only when that costs fewer requests than one lookup per item; the groups once; a group's
        members only when an existing user's membership must be compared."
    type: list
    elements: dict
    suboptions:
      name:
        description: Like O(name).
        type: str
        required: true
      new_name:
        description: Like O(new_name).
        type: str
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
      locked:
        description: Like O(locked).
        type: bool
      first_name:
        description: Like O(first_name).
        type: str
      last_name:
        description: Like O(last_name).
        type: str
      user_role:
        description: Like O(user_role).
        type: str
        choices: [administrator, publisher, viewer]
      user_must_set_password:
        description: Like O(user_must_set_password).
        type: bool
      unique_id:
        description: Like O(unique_id).
        type: str
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
      groups_state:
        description: Like O(groups_state).
        type: str
        choices: [present, absent]
      tenant:
        description: Like O(tenant).
        type: str
      state:
        description: Like O(state).
        type: str
        choices: [present, absent]
      title:
        description: Like O(title).
        type: str
      department:
        description: Like O(department).
        type: str
      company:
        description: Like O(company).
        type: str
      phone:
        description: Like O(phone).
        type: str
      external_id:
        description: Like O(external_id).
        type: str
      manager:
        description: Like O(manager).
        type: str
      custom_attributes:
        description: Like O(custom_attributes).
        type: dict
      user_state:
        description: Like O(user_state).
        type: str
        choices: [approved, unapproved, rejected, unlicensed]
      lock_minutes:
        description: Like O(lock_minutes).
        type: int
      logout:
        description: Like O(logout).
        type: bool
      password_expired:
        description: Like O(password_expired).
        type: bool
      password_never_expires:
        description: Like O(password_never_expires).
        type: bool
      password_algorithm:
        description: Like O(password_algorithm).
        type: str
        choices: ['salt+sha256']
      password_salt:
        description: Like O(password_salt).
        type: str
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

    - name: Rename jdoe to jane.doe (keeps ID, groups, roles, password; a rerun changes nothing)
      iamops.identity.identity_user:
        name: jdoe
        new_name: jane.doe
        domain: corp
        email: jane.doe@example.com

    - name: Rename several users in one task
      iamops.identity.identity_user:
        domain: corp
        users:
          - name: asmith
            new_name: alice.smith
          - name: bjones
            new_name: bob.jones

    - name: jdoe is in these groups and no other
      iamops.identity.identity_user:
        name: jdoe
        domain: corp
        groups: [payroll]
        purge_groups: true

    - name: jdoe leaves payroll; its other groups stay
      iamops.identity.identity_user:
        name: jdoe
        domain: corp
        groups: [payroll]
        groups_state: absent

    - name: Join the groups that exist, with a warning naming those that do not
      iamops.identity.identity_user:
        name: jdoe
        domain: corp
        groups: [payroll, not-created-yet]
        on_missing: warn

    - name: Disable a leaver without deleting the account
      iamops.identity.identity_user:
        name: jdoe
        domain: corp
        enabled: false

    - name: A new account with a generated first password, registered with no_log (Ansible prints a task's result at -v)
      iamops.identity.identity_user:
        name: cwong
        domain: corp
        password: generate
      register: cwong_account
      no_log: true

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

- name: OneLogin - a joiner, with the password hashed here and the one group the user holds
  iamops.identity.identity_user:
    provider: onelogin            # client_id/client_secret/api_url from ONELOGIN_* variables
    name: jdoe
    email: jdoe@example.com
    first_name: Jane
    last_name: Doe
    department: Payroll
    custom_attributes:
      employee_number: "4711"
    password: "{{ vault_initial_password }}"
    password_algorithm: salt+sha256
    password_salt: "{{ 99999999 | random | string }}"
    groups: [Payroll]

- name: OneLogin - a leaver - suspended, unlicensed, signed out everywhere
  iamops.identity.identity_user:
    provider: onelogin
    name: jdoe
    enabled: false
    user_state: unlicensed
    logout: true

- name: Authress - the people who logged in log in through the corp tenant from now on
  iamops.identity.identity_user:
    provider: authress          # access_key and api_url from AUTHRESS_ACCESS_KEY and AUTHRESS_URL
    tenant: ten_corp
    users:
      - name: "google|1049832"
      - name: "oauth2|okta|jdoe"

- name: Authress - a leaver's account goes (waits until Authress has completed the delete)
  iamops.identity.identity_user:
    provider: authress
    name: "google|1049832"
    state: absent
    wait_timeout: 120
'''

RETURN = r'''
user:
  description:
    - The user after the task (before it, for V(absent)). In check mode, the predicted user
      (C(id) is null for a user that would be created). Never contains a password.
    - Null when the user does not exist.
    - "OneLogin: also C(first_name), C(last_name), C(title), C(department), C(company), C(phone),
      C(external_id), C(manager) (user ID), C(custom_attributes), C(user_state), C(status)
      (active, suspended, locked, password_pending...), C(locked), C(locked_until), C(group_id)
      and C(role_ids); C(domain_id) is null."
  returned: in the single form (without O(users)); each item of RV(results) has its own
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
      description: When the password expires, or null (Keystone).
      type: str
    password_expired:
      description:
        - Whether the password is expired - Keystone - C(password_expires_at) is past; OneLogin - status 4
          (Password expired).
      type: bool
    password_never_expires:
      description: Whether the password is exempt from expiry (Keystone's user option C(ignore_password_expiry)).
      type: bool
    confirmed:
      description:
        - Posit Connect - whether the user has confirmed the account (with password authentication - has a
          password; false for a user created with O(user_must_set_password=true) until the first login).
      type: bool
    options:
      description: Keystone's per-user options.
      type: dict
    extra:
      description: The other attributes stored on the user.
      type: dict
    first_name:
      description: First name (Posit Connect), or null.
      type: str
    last_name:
      description: Last name (Posit Connect), or null.
      type: str
    user_role:
      description: The user's one role (Posit Connect) - C(administrator), C(publisher) or C(viewer).
      type: str
    locked:
      description: Whether the account is locked (Posit Connect); the opposite of C(enabled).
      type: bool
generated_password:
  description:
    - The password the module generated for the user it created (O(password=generate)), in clear
      text. Shown once - it cannot be read back later. Ansible prints a task's result at C(-v), so
      register the result and set C(no_log=true) on the task, or use the C(iamops.identity.onboarding)
      role, which writes generated passwords to a file of mode 0600.
    - In the batch form, in the entry of RV(results) of each item whose user was created.
  returned: when the task created the user with O(password=generate) (never in check mode)
  type: str
  sample: "Xq3-vT8!bZ_m2Kc#Lw9e+RpA"
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
rate_limit:
  description:
    - OneLogin only - the account's rate limit after the task, from the last answer's
      C(X-RateLimit-*) headers - C(limit) requests per window, C(remaining), and C(reset)
      (seconds until the window resets).
  returned: with a provider that reports it
  type: dict
  sample: {limit: 5000, remaining: 4890, reset: 1733}
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
from ansible_collections.iamops.identity.plugins.module_utils import _parallel
from ansible_collections.iamops.identity.plugins.module_utils import _membership, _reconcile
from ansible_collections.iamops.identity.plugins.module_utils import _passwords

# shown in a delete's diff: the common model, and what the provider's spec adds (``delete_shows``)
SHOWN = ('id', 'name', 'domain_id', 'enabled', 'email', 'description')
ATTRIBUTES = ('email', 'description', 'enabled', 'extra', 'default_project', 'default_project_domain',
              'first_name', 'last_name', 'title', 'department', 'company', 'phone', 'external_id', 'manager',
              'custom_attributes', 'user_state', 'locked', 'tenant', 'user_role', 'password_expired', 'password_never_expires')
# options sent along with a changed field but never compared (the server does not return them)
COMPANIONS = {'password': ('password_algorithm', 'password_salt'), 'locked': ('lock_minutes',)}
CREATE_ONLY = ('user_must_set_password', 'unique_id')  # sent with a create, never compared


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
    """The :class:`_membership.Plan` of O(groups), read and resolved before any write (an unknown
    group changes nothing; the provider answers the user's groups its cheapest way)."""
    params = task.params
    return _membership.Memberships(task, _membership.USER_GROUPS).plan(
        current, params['groups'], params['domain'], params['purge_groups'], params['groups_state'],
        params['on_missing'])


def find_current(task):
    """``(current, name)``: the user the task names (or None) and the name it goes by, found under
    O(new_name) when an earlier run renamed it; ``(False, name)`` when it is to be absent and its
    domain is gone."""
    params, provider = task.params, task.provider
    try:
        return task.find_renamed(lambda name: provider.find_user(name, params['domain']), 'user')
    except NotFoundError:
        if params['state'] == 'absent':  # the user's domain is gone, so is the user
            return False, params['name']
        raise


def desired_for(task, current):
    """``(desired, keys)``: the user's attributes the task wants, and the fields its diff shows."""
    if task.params['state'] == 'absent':
        return {}, SHOWN + tuple(task.provider.spec.delete_shows.get('identity_user', ()))
    desired = desired_user(task)
    if current is not None:
        # the server matched this name (case-insensitively on MySQL or LDAP): never a rename
        desired['name'] = current['name']
    if task.params.get('new_name'):
        desired['name'] = task.params['new_name']
    return desired, desired.keys()


def reconcile_user(task, current, desired, keys):
    """``(action, payload)``: the reconcile of the user's attributes (diff recorded), with the
    companions of a changed field and the create-only options."""
    params = task.params
    secrets = _passwords.secrets_for(task, current)
    always = ('password',) if params['update_password'] == 'always' else ()
    action, payload = task.reconcile(current, desired, params['state'], secrets, always, keys)
    for field, companions in COMPANIONS.items():
        if payload and payload.get(field):
            payload.update((k, params[k]) for k in companions if params.get(k) is not None)
    if action == 'create':
        create_only = dict((k, params[k]) for k in CREATE_ONLY if params.get(k) is not None)
        payload.update(create_only)
        task.add_diff({'before': {}, 'after': create_only})
    return action, payload


def create_user(task, desired, payload, groups_plan):
    """``(user, groups_plan, applied)`` after the create (predicted in check mode); ``applied``:
    the create gave the user its groups."""
    params, provider = task.params, task.provider
    if task.check_mode:
        return provider.predict_user(desired, params['domain']), groups_plan, False
    applied = False
    if groups_plan is not None and provider.groups_on_create:
        payload = dict(payload, groups=groups_plan.to_add)
        applied = True
    adopted = []
    user = task.create_safely(
        lambda: provider.create_user(payload, params['domain']),
        lambda: provider.find_user(params['name'], params['domain'], cached=False),
        'user %r' % params['name'], adopt=lambda found: adopted.append(found) or adopt(task, found, desired))
    if adopted and groups_plan is not None:
        # another run created the user: its groups are that run's, not this create's
        groups_plan, applied = plan_user_groups(task, user), False
    if _passwords.is_generate(params['password']) and not adopted:  # the one place it is ever shown
        task.result['generated_password'] = payload['password']
        task.secret_result = True
    return user, groups_plan, applied


def update_user(task, current, payload):
    """The user after the update (predicted in check mode)."""
    if not task.check_mode:
        return task.provider.update_user(current, payload)
    user = dict(current, **dict((k, v) for k, v in payload.items() if k not in ('password', 'extra')))
    user['extra'] = dict(current.get('extra') or {}, **(payload.get('extra') or {}))
    return user


def ensure_user(task):
    params = task.params
    current = find_current(task)[0]
    if current is False:
        task.result['user'] = None
        return
    desired, keys = desired_for(task, current)
    groups_plan = None
    if params['state'] == 'present' and params['groups'] is not None:
        groups_plan = plan_user_groups(task, current)
    action, payload = reconcile_user(task, current, desired, keys)
    user, applied = current, False
    if action == 'create':
        user, groups_plan, applied = create_user(task, desired, payload, groups_plan)
    elif action == 'update':
        user = update_user(task, current, payload)
    elif action == 'delete' and not task.check_mode:
        task.provider.delete_user(current)
    task.result['user'] = user
    if groups_plan is not None:
        _membership.Memberships(task, _membership.USER_GROUPS).apply(user, groups_plan, written=applied)
    if params['state'] == 'present' and params['logout']:
        end_sessions(task, user)


def end_sessions(task, user):
    """Sign the user out everywhere: always a change (sessions cannot be read), in check mode too."""
    task.changed()
    task.add_diff({'before': {}, 'after': {'logout': True}})
    if not task.check_mode:
        task.provider.end_sessions(user)


def prepare_batch(tasks):
    """Tell the provider what the batch will ask (it picks its reads): the users of every item,
    the groups the items name (their members, without purge), and how many items purge."""
    provider = tasks[0].provider
    provider.prepare_users([(t.params[option], t.params['domain']) for t in tasks
                            for option in ('name', 'new_name') if t.params.get(option)])
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
        new_name=dict(type='str'),
        domain=dict(type='str'),
        password=dict(type='str', no_log=True),
        update_password=dict(type='str', choices=['on_create', 'always'], no_log=False),
        email=dict(type='str'),
        description=dict(type='str'),
        default_project=dict(type='str'),
        default_project_domain=dict(type='str'),
        enabled=dict(type='bool'),
        locked=dict(type='bool'),
        first_name=dict(type='str'),
        last_name=dict(type='str'),
        user_role=dict(type='str'),  # choices: the providers' (ProviderSpec capabilities)
        user_must_set_password=dict(type='bool', no_log=False),
        unique_id=dict(type='str'),
        extra=dict(type='dict'),
        groups=dict(type='list', elements='raw'),
        purge_groups=dict(type='bool'),
        groups_state=dict(type='str', choices=['present', 'absent']),
        tenant=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent']),
        title=dict(type='str'),
        department=dict(type='str'),
        company=dict(type='str'),
        phone=dict(type='str'),
        external_id=dict(type='str'),
        manager=dict(type='str'),
        custom_attributes=dict(type='dict'),
        user_state=dict(type='str'),
        lock_minutes=dict(type='int'),
        logout=dict(type='bool'),
        password_algorithm=dict(type='str', no_log=False),
        password_salt=dict(type='str', no_log=False),
        password_expired=dict(type='bool', no_log=False),
        password_never_expires=dict(type='bool', no_log=False),
    )
    for key, extra in overrides.items():
        options[key] = dict(options[key], **extra)
    return options


def main():
    # an item's omitted option takes the top-level value, so top-level defaults are set there only
    spec = user_options(update_password=dict(default='on_create'), purge_groups=dict(default=False),
                        groups_state=dict(default='present'), state=dict(default='present'))
    # enabled and locked may both be given: each provider refuses a combination it cannot hold
    # (a provider may need the two to agree, another refuse a suspended user that is also locked)
    exclusive = [('password', 'user_must_set_password')]
    spec['users'] = dict(type='list', elements='dict', options=user_options(name=dict(required=True)),
                         required_by={'default_project_domain': 'default_project'}, mutually_exclusive=exclusive)
    spec['wait'] = dict(type='bool', default=True)
    spec['wait_timeout'] = dict(type='int', default=60)
    spec['force'] = dict(type='bool', default=False)
    spec.update(_membership.on_missing_argument_spec())
    spec.update(_parallel.argument_spec())
    frame = IdentityModule(
        'identity_user', batch_option='users', names=('name', 'new_name', 'groups', 'domain', 'default_project', 'default_project_domain'),
        argument_spec=spec,
        required_by={'default_project_domain': 'default_project'},
        mutually_exclusive=[('name', 'users')] + exclusive,
        required_one_of=[('name', 'users')],
        no_log_sentinels=(_passwords.GENERATE,),
    )
    try:
        _membership.refuse_absent_purge(frame.params, _membership.USER_GROUPS, 'users')
        _passwords.refuse_generate_always(frame.params)
    except IdentityError as exc:
        frame.module.fail_json(msg=str(exc))
    if frame.params['users'] is None:
        frame.run(ensure_user)
    else:
        frame.run_batch(ensure_user, 'users', label_keys=('name', 'domain'), prepare=prepare_batch)


if __name__ == '__main__':
    main()
