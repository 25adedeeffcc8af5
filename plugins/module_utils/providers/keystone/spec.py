# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the keystone provider declares (data only: read by the registry without importing the
provider's code). Connection options are documented by the ``iamops.identity.keystone`` fragment;
their ``OS_*`` fallbacks and ``clouds.yaml`` are resolved by ``auth.py``, the way openstacksdk does.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils.providers._spec import Capability, ProviderSpec

_AUTH_OPTIONS = dict(
    auth_url=dict(type='str'),
    username=dict(type='str'),
    user_id=dict(type='str'),
    password=dict(type='str', no_log=True),
    user_domain_name=dict(type='str'),
    user_domain_id=dict(type='str'),
    project_name=dict(type='str'),
    project_id=dict(type='str'),
    project_domain_name=dict(type='str'),
    project_domain_id=dict(type='str'),
    domain_name=dict(type='str'),
    domain_id=dict(type='str'),
    system_scope=dict(type='str'),
    application_credential_id=dict(type='str'),
    application_credential_name=dict(type='str'),
    application_credential_secret=dict(type='str', no_log=True),
    token=dict(type='str', no_log=True),
)

OPTIONS = dict(
    cloud=dict(type='str'),
    auth=dict(type='dict', options=_AUTH_OPTIONS, mutually_exclusive=[
        ('username', 'user_id'), ('project_name', 'project_id'),
        ('application_credential_id', 'application_credential_name'),
        ('system_scope', 'project_name'), ('system_scope', 'project_id'),
        ('system_scope', 'domain_name'), ('system_scope', 'domain_id')]),
    auth_type=dict(type='str'),
    region_name=dict(type='str'),
    interface=dict(type='str', choices=['public', 'internal', 'admin']),
)

_USER = ('name', 'new_name', 'domain', 'password', 'update_password', 'email', 'description', 'default_project',
         'default_project_domain', 'enabled', 'extra', 'groups', 'purge_groups', 'groups_state', 'on_missing', 'users',
         'password_never_expires')
# the user result's password_expired is computed from password_expires_at; it cannot be written
_NO_EXPIRE = ('Keystone cannot be told to expire a password: a password expires password_expires_days after it was '
              'set ([security_compliance]); the user result reports password_expired')
_ASSIGNMENT = ('role', 'role_domain', 'user', 'user_domain', 'group', 'group_domain', 'project',
               'project_domain', 'domain', 'system', 'inherited', 'assignments', 'purge')

_SCOPE_CHOICES = {'system': ('all',)}  # the one system scope Keystone has
# an assignment is on one scope: a project, a domain or the system (never inherited); with the
# list form (assignments), each item's
_SCOPE_RULES = {
    'mutually_exclusive': [('project', 'domain', 'system', 'assignments'), ('system', 'inherited')],
    'required_by': {'project_domain': 'project'},
}
_ITEM_SCOPE_RULES = {
    'mutually_exclusive': [('project', 'domain', 'system'), ('system', 'inherited')],
    'required_if': [('inherited', True, ['role'])],
    'required_by': {'project_domain': 'project', 'project': 'role', 'domain': 'role', 'system': 'role'},
}
_INFO_RULES = {
    'mutually_exclusive': [('project', 'domain', 'system'), ('effective', 'group'), ('system', 'inherited')],
    'required_if': [('include_subtree', True, ['project'])],
    'required_by': {'project_domain': 'project'},
}

_NO_NESTING = 'a Keystone group holds users only, no groups'

SPEC = ProviderSpec(
    name='keystone',
    title='OpenStack Keystone v3',
    options=OPTIONS,
    detect_options=('cloud', 'auth'),
    detect_env=('OS_CLOUD', 'OS_AUTH_URL', 'OS_CLIENT_CONFIG_FILE'),
    connect_hint=('cloud (or OS_CLOUD, or a clouds.yaml through OS_CLIENT_CONFIG_FILE), auth, or OS_AUTH_URL '
                  'and the other OS_* variables'),
    env={},  # OS_* and clouds.yaml are read by auth.resolve_settings, as openstacksdk reads them
    capabilities={
        'identity_user': Capability(_USER, reasons={
            'password_expired': _NO_EXPIRE,
            'user_must_set_password': 'Keystone asks for a new password at first use for the whole cloud '
                                      '([security_compliance] change_password_upon_first_use), not per user'}),
        'identity_user_info': Capability(('name', 'domain', 'filters'), states=None),
        'identity_group': Capability(('name', 'new_name', 'domain', 'description', 'users', 'users_domain',
                                      'purge_users', 'users_state', 'on_missing', 'groups'),
                                     reasons={'subgroups': _NO_NESTING, 'purge_subgroups': _NO_NESTING}),
        'identity_group_info': Capability(('name', 'domain', 'with_members'), states=None),
        'identity_role_assignment': Capability(_ASSIGNMENT + ('on_missing',), choices=_SCOPE_CHOICES, rules=_SCOPE_RULES,
                                               item_rules=_ITEM_SCOPE_RULES),
        'identity_role_assignment_info': Capability(
            _ASSIGNMENT[:-2] + ('effective', 'include_names', 'include_subtree'), states=None, choices=_SCOPE_CHOICES,
            rules=_INFO_RULES),
        'identity_domain_config': Capability(
            ('domain', 'config', 'sensitive_config', 'update_secrets', 'purge'), required=('domain',)),
        'identity_domain_config_info': Capability(('domain', 'group', 'option', 'default'), states=None),
    },
    summary={
        'identity_user': 'yes',
        'identity_group': 'yes',
        'identity_role_assignment': 'yes (project, domain, system; inherited)',
        'identity_domain_config': 'yes (identity/ldap)',
    },
    clearable={'identity_user': ('description', 'email'), 'identity_group': ('description',)},
    status='done, tested against a real Keystone',
    delete_shows={'identity_user': ('default_project_id',)},
)
