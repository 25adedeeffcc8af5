# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the authress provider declares (data only: read by the registry without importing the
provider's code). Connection options are documented by the ``iamops.identity.authress`` fragment.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils.providers._spec import Capability, ProviderSpec

API_URL = dict(type='str')

OPTIONS = dict(
    api_url=API_URL,
    access_key=dict(type='str', no_log=True),
)

_USER_ATTRIBUTES = ('password', 'update_password', 'email', 'description', 'enabled', 'extra',
                    'default_project', 'default_project_domain', 'domain', 'password_expired', 'password_never_expires',
                    'user_must_set_password')
_NOT_SETTABLE = ('Authress users come from their identity provider when they log in: a client cannot '
                 'set their attributes')
_ASSIGNMENT = ('role', 'user', 'group', 'resources', 'record', 'assignments', 'purge')
_SCOPE = 'an Authress role is granted on resources through an access record: give resources and record'

_NO_NESTING = 'an Authress group holds users and admins only, no groups'

SPEC = ProviderSpec(
    name='authress',
    title='Authress',
    options=OPTIONS,
    detect_options=('access_key',),
    detect_env=('AUTHRESS_ACCESS_KEY',),
    env={'api_url': ['AUTHRESS_URL'], 'access_key': ['AUTHRESS_ACCESS_KEY']},
    capabilities={
        'identity_user': Capability(
            ('name', 'tenant', 'groups', 'purge_groups', 'groups_state', 'on_missing', 'users', 'wait', 'wait_timeout'),
            reasons=dict([(option, _NOT_SETTABLE) for option in _USER_ATTRIBUTES]
                         + [('new_name', 'Authress users cannot be changed through the API: their IDs come from the '
                                         'identity provider they log in with'),
                            ('create', 'Authress has no API to create users: a user appears when it first logs in'),
                            ('unlink_tenant', 'Authress has no API to unlink a user from a tenant (PATCH '
                                              '/v1/tenants/{tenantId}/users only links); deleting the user or '
                                              'the tenant ends the link')])),
        'identity_user_info': Capability(('name', 'filters'), states=None),
        'identity_group': Capability(('name', 'new_name', 'users', 'purge_users', 'users_state', 'on_missing', 'admins', 'groups'), reasons={
            'description': 'an Authress group has a name, users and admins, no description',
            'subgroups': _NO_NESTING, 'purge_subgroups': _NO_NESTING}),
        'identity_group_info': Capability(('name', 'with_members'), states=None),
        'identity_role_assignment': Capability(_ASSIGNMENT + ('on_missing',), reasons=dict((option, _SCOPE) for option in (
            'project', 'project_domain', 'domain', 'system', 'inherited')),
            item_rules={'required_by': {'resources': 'role', 'record': 'role'}}),  # an access record's role
        'identity_role_assignment_info': Capability(('user', 'group', 'role', 'record'), states=None),
        'identity_domain_config': Capability(('domain', 'config', 'purge'), required=('domain',), reasons={
            'sensitive_config': 'an Authress tenant has no sensitive options'}),
        'identity_domain_config_info': Capability(('domain', 'group', 'option'), states=None, reasons={
            'default': 'Authress tenants have no defaults to read'}),
    },
    summary={
        'identity_user': 'read, link to a tenant, delete (asynchronous); no create (users appear at login)',
        'identity_group': 'yes (users and admins)',
        'identity_role_assignment': 'access records (roles on resource URIs, users and groups)',
        'identity_domain_config': 'tenants (domains, connection)',
    },
    status='done, tested against an emulator the Authress SDK checks',
)
