# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: provider_capabilities
short_description: What each identity provider supports, from the providers' own declarations
version_added: 0.1.0
description:
  - Returns, for each provider of the collection (or for those named in the terms), what the
    modules accept with it - per module, the options it honours, the values of C(state) it
    supports, the most items a list option may hold, and the reason for each option or state it
    refuses - and the modules it does not offer, with the reason.
  - The data is the providers' declarations (C(plugins/module_utils/providers/<name>/spec.py),
    read through the provider registry), the same the modules check their input against before
    any request. Roles use it to decide per provider from data, never from the provider's name;
    the C(iamops.identity.onboarding) and C(iamops.identity.offboarding) roles do.
  - "A reason under the key C(create) of a module's C(reasons) says that the provider cannot
    create such objects (Authress users appear when they first log in)."
  - Runs on the controller; sends no request.
author:
  - IAM Ops maintainers (@iamops)
options:
  _terms:
    description: Names of the providers to describe (default - every provider).
    type: list
    elements: str
    required: false
notes:
  - Use O(ignore:_terms) empty to get every provider, for example
    C(lookup('iamops.identity.provider_capabilities')).
'''

EXAMPLES = r'''
- name: Which providers can delete a user
  ansible.builtin.debug:
    msg: "{{ caps | dict2items | selectattr('value.modules.identity_user.states', 'contains', 'absent')
             | map(attribute='key') | list }}"
  vars:
    caps: "{{ lookup('iamops.identity.provider_capabilities') }}"

- name: Whether OneLogin can end a user's sessions
  ansible.builtin.debug:
    msg: "{{ 'logout' in lookup('iamops.identity.provider_capabilities', 'onelogin').onelogin.modules.identity_user.options }}"
'''

RETURN = r'''
_raw:
  description:
    - One dictionary, provider name -> its description.
  type: list
  elements: dict
  contains:
    title:
      description: The provider's display name.
      type: str
      sample: Posit Connect
    connection_options:
      description: The provider's connection options (module options), sorted.
      type: list
      elements: str
      sample: [api_key, api_url]
    env:
      description: Connection option -> the environment variables it falls back to, in order.
      type: dict
      sample: {api_url: [CONNECT_SERVER], api_key: [CONNECT_API_KEY]}
    modules:
      description:
        - Module name -> C(options) (sorted list of the options the provider honours),
          C(states) (the values of C(state) it supports; empty for info modules),
          C(limits) (list option -> most items) and C(reasons) (an option, C(state=<value>) or
          C(create) -> why the provider does not support it).
      type: dict
      sample:
        identity_user:
          options: [email, enabled, groups, locked, name]
          states: [present]
          limits: {}
          reasons: {state=absent: "Connect has no user delete API: offboard the user with locked: true"}
    unsupported:
      description: Module name -> why the provider does not offer it at all.
      type: dict
      sample: {identity_group: groups are read-only in the OneLogin API}
'''

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.iamops.identity.plugins.module_utils.providers import _registry


def describe(spec):
    """The JSON-able description of one ProviderSpec."""
    modules = {}
    for module, capability in sorted(spec.capabilities.items()):
        modules[module] = {
            'options': sorted(capability.options),
            'states': list(capability.states),
            'limits': dict(capability.limits),
            'reasons': dict(capability.reasons),
        }
    return {
        'title': spec.title,
        'connection_options': sorted(spec.options),
        'env': dict((option, list(names)) for option, names in spec.env.items()),
        'modules': modules,
        'unsupported': dict(spec.unsupported),
    }


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        names = [str(term) for term in terms or []]
        unknown = [name for name in names if name not in _registry.NAMES]
        if unknown:
            raise AnsibleLookupError('unknown provider%s %s (one of %s)' % (
                's' if len(unknown) > 1 else '', ', '.join(unknown), ', '.join(_registry.NAMES)))
        return [dict((spec.name, describe(spec)) for spec in _registry.SPECS
                     if not names or spec.name in names)]
