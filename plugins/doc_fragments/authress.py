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
      - Access key of an Authress service client. The module signs a short-lived JWT with it locally
        (EdDSA); neither the key nor the JWT is ever logged or returned.
      - Defaults to E(AUTHRESS_ACCESS_KEY).
    type: str
'''
