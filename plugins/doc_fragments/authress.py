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
notes:
  - "Authress: a reference to a group or an access record (C(name) of
    identity_group, C(groups) of identity_user, C(group) and C(record) of
    identity_role_assignment) is compared exactly - case-sensitively, as Authress compares
    names - with the ID and the name of every group or record. The one that matches is it. A
    value that matches several (several of that name, or the ID of one and the name of another)
    is refused before any write, naming each candidate: it is never resolved by a guess."
  - "Authress: names are not unique in Authress. A group or access record the collection creates
    gets an ID derived from its name (C(grp_) or C(rec_) and 32 hex digits of a SHA-256 of the
    name; C(-2) to C(-5) appended when that ID is held by an object of another name), so two runs
    creating the same name at once make one object: one is answered 409, or finds the other's,
    and takes it over with its own changes."
  - "Authress: the bounds of the Authress API are checked before any request: a userId, a group
    name and a record name at most 128 characters, a role ID 64, a resource URI 512, at most 100
    users and 100 admins in a group, at most 100 resources in one grant, a tenant name and lookup
    identifier 64, a user search (C(filters.filter)) 64; C(wait_timeout) above 0."
'''
