# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection options of the authress provider (a service client access key; the JWT is signed
    # locally).
    DOCUMENTATION = r'''
options:
  access_key:
    description:
      - Access key of an Authress service client, C(clientId.keyId.accountId.privateKey) as the
        Authress management portal shows it. The module signs a JWT with it locally (EdDSA, valid 24
        hours, signed again when less than an hour is left), as the Authress SDKs do, with the Python
        library C(cryptography) (an ansible-core dependency); no token endpoint is called. Neither the
        key nor the JWT is ever logged or returned.
      - O(api_url) is the account's API URL, C(https://<accountId>.api.authress.io) or its custom domain.
      - Defaults to E(AUTHRESS_ACCESS_KEY).
    type: str
'''
