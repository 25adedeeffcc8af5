# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection options of the posit_connect provider (an API key of an administrator).
    DOCUMENTATION = r'''
options:
  api_key:
    description:
      - "API key of a Posit Connect administrator, sent as C(Authorization: Key ...). Never logged or
        returned."
      - Defaults to E(CONNECT_API_KEY), as posit-sdk reads it.
    type: str
'''
