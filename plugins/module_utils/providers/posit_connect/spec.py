# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the posit_connect provider declares (data only: read by the registry without importing the
provider's code). Connection options are documented by the ``iamops.identity.posit_connect`` fragment.

Connect (posit-sdk ``connect.users``, ``shared/seeds/002_*``): users are created and updated, never
deleted (offboarding is a lock); a user holds exactly one role (``user_role``); groups have no
description and no domain; there is no domain configuration. Names compare exactly: "Usernames are
case sensitive" (Connect's error 8), and group names too (inferred), so a batch holding ``Ann`` and
``ann`` names two users - Connect's names are not case-insensitive, and no batch duplicate by case
is refused for it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils.providers._spec import Capability, ProviderSpec

API_URL = dict(type='str')

OPTIONS = dict(
    api_url=API_URL,
    api_key=dict(type='str', no_log=True),
)

_FLAT = 'Connect has no domains'
_NO_DELETE = 'Connect has no user delete API: offboard the user with locked: true'
_USER = ('name', 'new_name', 'password', 'email', 'first_name', 'last_name', 'user_role', 'user_must_set_password',
         'unique_id', 'enabled', 'locked', 'force', 'groups', 'purge_groups', 'groups_state', 'on_missing', 'users')
_USER_REASONS = {
    'state=absent': _NO_DELETE,
    'domain': _FLAT,
    'description': 'a Connect user has no description',
    'extra': 'a Connect user has no free-form attributes',
    'default_project': 'Connect has no projects',
    'default_project_domain': 'Connect has no projects',
    'update_password': 'Connect takes a password only when it creates a user',
    'password_expired': ('Connect has no password expiry: user_must_set_password makes a new user set a password at '
                         'first login'),
    'password_never_expires': 'Connect has no password expiry',
}
_ASSIGNMENT_REASONS = {
    'group': "a Connect role is a user's user_role; groups hold none",
    'group_domain': _FLAT, 'user_domain': _FLAT, 'role_domain': _FLAT,
    'project': 'a Connect role applies to the whole server', 'project_domain': _FLAT,
    'domain': 'a Connect role applies to the whole server', 'system': 'a Connect role applies to the whole server',
    'inherited': 'a Connect role applies to the whole server',
}

_NO_NESTING = 'a Connect group holds users only, no groups'

SPEC = ProviderSpec(
    name='posit_connect',
    title='Posit Connect',
    options=OPTIONS,
    detect_options=('api_key',),
    detect_env=('CONNECT_API_KEY',),
    api_url_path=True,
    env={'api_url': ['CONNECT_SERVER'], 'api_key': ['CONNECT_API_KEY']},
    capabilities={
        'identity_user': Capability(_USER, states=('present',), reasons=_USER_REASONS,
                                    choices={'user_role': ('administrator', 'publisher', 'viewer')}),
        'identity_user_info': Capability(('name', 'filters', 'count'), states=None,
                                         reasons={'domain': _FLAT}),
        'identity_group': Capability(('name', 'new_name', 'users', 'purge_users', 'users_state', 'on_missing', 'groups'),
                                     reasons={'domain': _FLAT, 'users_domain': _FLAT,
                                              'description': 'a Connect group has no description',
                                              'subgroups': _NO_NESTING, 'purge_subgroups': _NO_NESTING}),
        'identity_group_info': Capability(('name', 'with_members'), states=None, reasons={'domain': _FLAT}),
        'identity_role_assignment': Capability(('role', 'user', 'assignments', 'purge', 'on_missing'),
                                               reasons=_ASSIGNMENT_REASONS),
        'identity_role_assignment_info': Capability(('role', 'user'), states=None, reasons=_ASSIGNMENT_REASONS),
    },
    unsupported={
        'identity_domain_config': 'Connect has no domains to configure',
        'identity_domain_config_info': 'Connect has no domains to configure',
    },
    summary={
        'identity_user': 'yes (create, update, lock/unlock; no delete)',
        'identity_group': 'yes',
        'identity_role_assignment': "yes (the user's one user_role)",
    },
    clearable={'identity_user': ('email', 'first_name', 'last_name')},
    status='done, tested against an emulator that posit-sdk checks',
    # "Usernames are case sensitive" (Connect's error 8); group names compare exactly (inferred):
    # 'Ann' and 'ann' in one batch are two objects (tests/integration/posit_connect/test_hostile.py)
    case_insensitive_names=False,
)
