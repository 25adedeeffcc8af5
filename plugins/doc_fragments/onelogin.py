# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection options of the onelogin provider (OAuth2 client credentials of a OneLogin API
    # credential pair).
    DOCUMENTATION = r'''
options:
  client_id:
    description:
      - Client ID of a OneLogin API credential (Manage All for roles, state, lock and passwords).
      - Defaults to E(ONELOGIN_CLIENT_ID).
    type: str
  client_secret:
    description:
      - Client secret of the API credential. Never logged or returned.
      - Defaults to E(ONELOGIN_CLIENT_SECRET).
    type: str
  subdomain:
    description:
      - The account's subdomain; the API is then C(https://<subdomain>.onelogin.com).
      - Mutually exclusive with O(api_url) and O(region).
    type: str
  region:
    description:
      - Legacy regional API host C(https://api.<region>.onelogin.com), when neither O(api_url) nor
        O(subdomain) is given.
    type: str
    choices: [us, eu]
notes:
  - "OneLogin references (a role, a user, a group, a manager): a value made only of digits is a
    OneLogin ID, any other value a name - a rule, never a guess by lookup. A name two roles or two
    groups hold is refused, naming each with its ID; give the ID. A role, group or user whose name is
    made of digits is referred to by its ID (the not-found message gives it). Usernames are compared
    without regard to case (C(Dana) and C(dana) are one user, so a batch naming both is refused);
    role and group names exactly."
  - "OneLogin limits, checked before the first request: C(lock_minutes) from 0 to 2147483647,
    C(password_salt) at most 40 characters."
'''
