# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection options of the scim provider (a bearer token of a SCIM 2.0 service provider).
    # O(api_url) is the SCIM base URL (the one /Users and /Groups are under, such as
    # https://idp.example.com/scim/v2), defaulting to SCIM_URL.
    DOCUMENTATION = r'''
options:
  scim_token:
    description:
      - "Bearer token of a SCIM 2.0 service provider (RFC 6750), sent as C(Authorization: Bearer ...)
        to the O(api_url) origin only. Never logged or returned."
      - O(api_url) is then the SCIM base URL, the one C(/Users) and C(/Groups) are under (for example
        C(https://idp.example.com/scim/v2)); it defaults to E(SCIM_URL).
      - Defaults to E(SCIM_TOKEN).
      - "What the server supports is read from its C(/ServiceProviderConfig) once per run: PATCH
        (else a PUT of the whole resource), filter (else one listing of every resource, matched
        here), ETag (then every PATCH or PUT carries C(If-Match) with the version read, and a
        C(412) fails the task without overwriting), changePassword (else a password is only
        sent in a create). Bulk is not used. Listings page with C(startIndex)/C(count)."
      - "Choices RFC 7643/7644 leave to the server: C(userName) and C(displayName) are compared as
        the server compares them (case-insensitively by the RFC; a case variant found is that
        object); O(iamops.identity.identity_user#module:email) is the primary of C(emails) (others
        kept); an absent C(active) is read as enabled; a PATCH may answer C(204) (then the
        resource is read back); two groups sharing a C(displayName) are refused by name (name
        one by its id)."
      - "M(iamops.identity.identity_role_assignment) manages the values of the User C(roles)
        attribute (RFC 7643 4.1.2), on a server whose C(/Schemas) has a writable C(roles)
        (read once per run, before any write). Groups hold no roles; roles have no scope."
      - "O(iamops.identity.identity_user_info#module:filters) become one SCIM C(filter): the key
        C(filter) is taken as a filter expression, every other key as C(attribute eq value),
        joined with C(and)."
    type: str
'''
