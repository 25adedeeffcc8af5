# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the posit_connect provider declares (data only: read by the registry without importing the
provider's code). Connection options are documented by the ``iamops.identity.posit_connect`` fragment.

No module is declared yet: every module fails before any request with "posit_connect does not support ..."
until the provider's capabilities are added here with its code (see docs/contract.md).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils.providers._spec import ProviderSpec

API_URL = dict(type='str')

OPTIONS = dict(
    api_url=API_URL,
    api_key=dict(type='str', no_log=True),
)

SPEC = ProviderSpec(
    name='posit_connect',
    title='Posit Connect',
    options=OPTIONS,
    detect_options=('api_key',),
    detect_env=('CONNECT_API_KEY',),
    env={'api_url': ['CONNECT_SERVER'], 'api_key': ['CONNECT_API_KEY']},
    requirements=('requests',),
    capabilities={},
    status='in development',
)
