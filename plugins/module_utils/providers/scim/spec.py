# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the scim provider declares (data only: read by the registry without importing the
provider's code). Connection options are documented by the ``iamops.identity.scim`` fragment.

SCIM 2.0 (RFC 7643/7644): Users (``userName``, ``name.givenName``/``familyName``, the primary
of ``emails``, ``active``, ``title``, ``externalId``, write-only ``password``) and Groups
(``displayName``, ``members``); the enterprise extension's ``department``, ``organization``
(``company``) and ``manager``; no domains, no user description, no free-form attributes.
What a server supports beyond that (PATCH, filter, ETag, changePassword) is read from its
``ServiceProviderConfig`` at run time, with fallbacks; roles are the User ``roles`` values, on a
server whose ``/Schemas`` has them (see docs/scim-contract-gaps.md for what
the static capabilities below cannot say about one server).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils.providers._spec import Capability, ProviderSpec

API_URL = dict(type='str')

OPTIONS = dict(
    api_url=API_URL,
    scim_token=dict(type='str', no_log=True),
)

_FLAT = 'SCIM has no domains'
_NO_ROLES = 'a SCIM role is a value of the user\'s roles attribute: manage it with identity_role_assignment'
_ROLE_SCOPE = 'a SCIM role (a value of the User roles attribute) has no scope'
_ASSIGNMENT_REASONS = {
    'group': 'a SCIM Group holds no roles in the core schema: roles are values on users',
    'group_domain': _FLAT, 'user_domain': _FLAT, 'role_domain': _FLAT, 'project_domain': _FLAT,
    'project': _ROLE_SCOPE, 'domain': _ROLE_SCOPE, 'system': _ROLE_SCOPE, 'inherited': _ROLE_SCOPE,
    'resources': _ROLE_SCOPE, 'record': _ROLE_SCOPE,
}
_USER = ('name', 'new_name', 'password', 'update_password', 'email', 'enabled', 'first_name', 'last_name', 'title',
         'external_id', 'department', 'company', 'manager', 'groups', 'purge_groups', 'groups_state', 'on_missing', 'users')
_USER_REASONS = {
    'user_must_set_password': 'the SCIM core User schema has no such attribute: omit password',
    'domain': _FLAT,
    'description': 'a SCIM user has no description (displayName and nickName are not mapped to it)',
    'extra': 'free-form attributes are not mapped to SCIM schema attributes yet',
    'default_project': 'SCIM has no projects', 'default_project_domain': 'SCIM has no projects',
    'locked': 'SCIM has no lock: enabled (the active attribute) is what disables a user',
    'phone': 'phoneNumbers is not mapped yet',
    'user_role': _NO_ROLES,
    'password_expired': 'the SCIM core User schema has no password expiry (its password is write-only)',
    'password_never_expires': 'the SCIM core User schema has no password expiry (its password is write-only)',
}

SPEC = ProviderSpec(
    name='scim',
    title='SCIM 2.0',
    options=OPTIONS,
    detect_options=('scim_token',),
    detect_env=('SCIM_TOKEN',),
    api_url_path=True,
    env={'api_url': ['SCIM_URL'], 'scim_token': ['SCIM_TOKEN']},
    capabilities={
        'identity_user': Capability(_USER, reasons=_USER_REASONS),
        'identity_user_info': Capability(('name', 'filters', 'count'), states=None, reasons={'domain': _FLAT}),
        'identity_group': Capability(('name', 'new_name', 'users', 'purge_users', 'users_state', 'on_missing', 'subgroups', 'purge_subgroups',
                                      'groups'), reasons={
            'domain': _FLAT, 'users_domain': _FLAT,
            'description': 'a SCIM group has a displayName and members, no description',
            'admins': 'a SCIM group has no admins'}),
        'identity_group_info': Capability(('name', 'with_members'), states=None, reasons={'domain': _FLAT}),
        'identity_role_assignment': Capability(('role', 'user', 'assignments', 'purge', 'on_missing'), reasons=_ASSIGNMENT_REASONS),
        'identity_role_assignment_info': Capability(('role', 'user'), states=None, reasons=_ASSIGNMENT_REASONS),
    },
    unsupported={
        'identity_domain_config': 'SCIM has no domains to configure',
        'identity_domain_config_info': 'SCIM has no domains to configure',
    },
    summary={
        'identity_user': 'yes (create, PATCH, active for enabled, delete; core attributes and the enterprise extension)',
        'identity_group': 'yes (displayName, members by PATCH add/remove)',
        'identity_role_assignment': 'values of the User roles attribute, where /Schemas has it',
    },
    clearable={'identity_user': ('company', 'department', 'email', 'external_id', 'first_name', 'last_name',
                                 'manager', 'title')},
    status=('users, groups, roles done; tested against a real scim2-server 0.8.3 (bearer token, fallbacks, faults); '
            'no Bulk'),
)
