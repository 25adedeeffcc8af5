# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Options every module has, whatever the provider. Each provider's own connection options are
    # in its fragment (keystone, onelogin, authress, posit_connect); an option belongs to one
    # provider, and giving another provider's option fails with one clear message.
    DOCUMENTATION = r'''
options:
  provider:
    description:
      - The identity system to talk to.
      - When omitted, the one provider whose settings are present is used - C(keystone) with
        O(cloud), O(auth), E(OS_CLOUD), E(OS_AUTH_URL) or E(OS_CLIENT_CONFIG_FILE); C(onelogin)
        with O(client_id) or E(ONELOGIN_CLIENT_ID); C(authress) with O(access_key) or
        E(AUTHRESS_ACCESS_KEY); C(posit_connect) with O(api_key) or E(CONNECT_API_KEY); C(scim)
        with O(scim_token) or E(SCIM_TOKEN). With the settings of none or of several, the task
        fails and says which.
      - Can be set with E(IAMOPS_IDENTITY_PROVIDER).
      - A module, option or state the provider's API does not offer fails before any request,
        naming the provider and the capability.
    type: str
    choices: [keystone, onelogin, authress, posit_connect, scim]
  api_url:
    description:
      - Base URL of the provider's API, for the HTTP providers (C(onelogin), C(authress),
        C(posit_connect), C(scim)); Keystone's URL is O(auth.auth_url).
      - Defaults to E(ONELOGIN_URL), E(AUTHRESS_URL), E(CONNECT_SERVER) or E(SCIM_URL), by provider.
    type: str
  validate_certs:
    description:
      - Verify the server's TLS certificate. Defaults to V(true) (or the cloud's C(verify)).
    type: bool
    aliases: [verify]
  ca_path:
    description:
      - CA bundle to verify the server's certificate with. Defaults to E(OS_CACERT).
    type: path
    aliases: [cacert]
  timeout:
    description:
      - Seconds to wait for each answer.
      - Retries follow what the server said, with exponential backoff and jitter, at most 4
        times and 120 seconds of waiting in all (the error then says how many retries over how
        long). A 429, or a 503 with C(Retry-After), means the request was not processed, so any
        request is retried, creates included, after the wait the server asks for (at most 60 s;
        a provider's rate-limit reset header where it has one). Connection failures before the
        request was sent are retried for any request. 502, 504 and a 503 without C(Retry-After)
        are retried for reads and idempotent writes only.
      - A create whose outcome is unknown (no answer, or a 5xx) is never sent again - the object
        is looked up instead, and taken as created if it is there.
    type: float
    default: 30
notes:
  - All connection options can be set once for a play with
    C(module_defaults) and the action group C(group/iamops.identity.identity).
  - The modules run where the task runs (usually C(localhost)) and need the Python packages
    C(requests) and C(jmespath) there.
requirements:
  - requests
  - jmespath
'''
