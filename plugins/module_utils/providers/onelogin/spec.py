# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the onelogin provider declares (data only: read by the registry without importing the
provider's code). Connection options are documented by the ``iamops.identity.onelogin`` fragment.

OneLogin is flat (no domains); groups are read-only and a user holds one (its ``group_id``);
roles are held by users, without scope.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils.providers._spec import Capability, ProviderSpec

API_URL = dict(type='str')

OPTIONS = dict(
    api_url=API_URL,
    client_id=dict(type='str'),
    client_secret=dict(type='str', no_log=True),
    subdomain=dict(type='str'),
    region=dict(type='str', choices=['us', 'eu']),
)

NO_DOMAINS = 'OneLogin has no domains'
_USER = ('name', 'new_name', 'password', 'update_password', 'email', 'description', 'enabled', 'groups', 'purge_groups',
         'groups_state', 'on_missing', 'users', 'first_name', 'last_name', 'title', 'department', 'company',
         'phone', 'external_id', 'manager', 'custom_attributes', 'user_state', 'locked', 'lock_minutes', 'logout',
         'password_algorithm', 'password_salt', 'password_expired')
_NO_SCOPE = 'OneLogin roles are held by users, without a scope'

SPEC = ProviderSpec(
    name='onelogin',
    title='OneLogin',
    options=OPTIONS,
    detect_options=('client_id', 'client_secret', 'subdomain', 'region'),
    detect_env=('ONELOGIN_CLIENT_ID',),
    env={'api_url': ['ONELOGIN_URL'], 'client_id': ['ONELOGIN_CLIENT_ID'], 'client_secret': ['ONELOGIN_CLIENT_SECRET']},
    capabilities={
        'identity_user': Capability(_USER, limits={'groups': 1}, reasons={
            'user_must_set_password': 'omit password: a OneLogin user created without one is Password Pending '
                                      '(status 7) until a password is set',
            'groups': 'a OneLogin user belongs to one group, its group_id',
            'domain': NO_DOMAINS, 'default_project': NO_DOMAINS, 'default_project_domain': NO_DOMAINS,
            'extra': 'use custom_attributes',
            'password_never_expires': "OneLogin's password expiry is a user policy setting, not a user's"}, choices={
                'user_state': ('approved', 'unapproved', 'rejected', 'unlicensed'),
                'password_algorithm': ('salt+sha256',)}),
        'identity_user_info': Capability(('name', 'filters', 'fields', 'with_apps', 'with_roles',
                                          'custom_attribute_names'), states=None,
                                         reasons={'domain': NO_DOMAINS}),
        'identity_group_info': Capability(('name', 'with_members'), states=None, reasons={'domain': NO_DOMAINS}),
        'identity_role_assignment': Capability(('role', 'user', 'assignments', 'purge', 'on_missing'), reasons=dict(
            group='OneLogin roles are held by users', project=_NO_SCOPE, domain=_NO_SCOPE, system=_NO_SCOPE,
            inherited=_NO_SCOPE, role_domain=NO_DOMAINS, user_domain=NO_DOMAINS, project_domain=NO_DOMAINS)),
        'identity_role_assignment_info': Capability(('user', 'role'), states=None, reasons=dict(
            group='OneLogin roles are held by users', project=_NO_SCOPE, domain=_NO_SCOPE, system=_NO_SCOPE,
            effective=_NO_SCOPE, include_subtree=_NO_SCOPE, role_domain=NO_DOMAINS, user_domain=NO_DOMAINS)),
    },
    unsupported={
        'identity_group': 'groups are read-only in the OneLogin API',
        'identity_domain_config': NO_DOMAINS,
        'identity_domain_config_info': NO_DOMAINS,
    },
    summary={
        'identity_user': 'yes (state, lock, logout; one group per user)',
        'identity_role_assignment': 'yes (roles on users)',
    },
    clearable={'identity_user': ('company', 'department', 'description', 'email', 'external_id', 'first_name',
                                 'last_name', 'manager', 'phone', 'title')},
    status='tested against an emulator that the OneLogin SDK checks',
    case_insensitive_names=True,  # usernames: 'Dana' and 'dana' are one user
)
