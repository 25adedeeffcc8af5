# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the onelogin provider declares (data only: read by the registry without importing the
provider's code). Connection options are documented by the ``iamops.identity.onelogin`` fragment.

No module is declared yet: every module fails before any request with "onelogin does not support ..."
until the provider's capabilities are added here with its code (see docs/contract.md).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils.providers._spec import ProviderSpec

API_URL = dict(type='str')

OPTIONS = dict(
    api_url=API_URL,
    client_id=dict(type='str'),
    client_secret=dict(type='str', no_log=True),
    subdomain=dict(type='str'),
    region=dict(type='str', choices=['us', 'eu']),
)

SPEC = ProviderSpec(
    name='onelogin',
    title='OneLogin',
    options=OPTIONS,
    detect_options=('client_id', 'client_secret', 'subdomain', 'region'),
    detect_env=('ONELOGIN_CLIENT_ID',),
    env={'api_url': ['ONELOGIN_URL'], 'client_id': ['ONELOGIN_CLIENT_ID'], 'client_secret': ['ONELOGIN_CLIENT_SECRET']},
    requirements=('requests',),
    capabilities={},
    status='in development',
)
