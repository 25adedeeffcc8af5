# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The provider registry: one entry per provider package under ``providers/``.

An entry is the provider's :class:`ProviderSpec` (pure data, imported eagerly: cheap) and a
loader that imports the provider's code only when that provider is selected, so a module run
imports one provider. Loaders use plain import statements on purpose: Ansible bundles a module's
module_utils by reading its import statements, so an ``importlib`` string would leave the
provider out of the module's payload on a remote host.

Adding a provider = a package ``providers/<name>/`` (``spec.py`` + its code), a doc fragment
``plugins/doc_fragments/<name>.py``, and one entry below. Nothing else names a provider.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone.spec import SPEC as _KEYSTONE
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin.spec import SPEC as _ONELOGIN
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress.spec import SPEC as _AUTHRESS
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect.spec import SPEC as _POSIT
from ansible_collections.iamops.identity.plugins.module_utils.providers.scim.spec import SPEC as _SCIM


def _keystone():
    from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone.provider import KeystoneProvider
    return KeystoneProvider


def _onelogin():
    from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin.provider import OneLoginProvider
    return OneLoginProvider


def _authress():
    from ansible_collections.iamops.identity.plugins.module_utils.providers.authress.provider import AuthressProvider
    return AuthressProvider


def _posit_connect():
    from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect.provider import (
        PositConnectProvider)
    return PositConnectProvider


def _scim():
    from ansible_collections.iamops.identity.plugins.module_utils.providers.scim.provider import ScimProvider
    return ScimProvider


# name -> (spec, loader); order is the documentation's order
REGISTRY = (
    (_KEYSTONE, _keystone),
    (_ONELOGIN, _onelogin),
    (_AUTHRESS, _authress),
    (_POSIT, _posit_connect),
    (_SCIM, _scim),
)

SPECS = tuple(spec for spec, _load in REGISTRY)
NAMES = tuple(spec.name for spec in SPECS)


def spec(name):
    for found, _load in REGISTRY:
        if found.name == name:
            return found
    raise ConfigError('unknown provider %r (one of %s)' % (name, ', '.join(NAMES)))


def provider_class(name):
    """The provider class of ``name``, importing only that provider's code."""
    for found, load in REGISTRY:
        if found.name == name:
            return load()
    raise ConfigError('unknown provider %r (one of %s)' % (name, ', '.join(NAMES)))


def connection_options():
    """Every provider's connection options, merged (an option shared by several providers, such
    as ``api_url``, must be declared identically by each)."""
    merged = {}
    for found in SPECS:
        for option, definition in found.options.items():
            if option in merged and merged[option] != definition:
                raise ConfigError('option %s is declared differently by two providers' % option)
            merged[option] = definition
    return merged


def option_choices(module):
    """Option -> the values the providers' capabilities for ``module`` allow (registry order,
    each value once): the module's argument spec takes them as its ``choices``."""
    merged = {}
    for found in SPECS:
        capability = found.capabilities.get(module)
        for option, values in (capability.choices if capability is not None else {}).items():
            merged.setdefault(option, [])
            merged[option].extend(v for v in values if v not in merged[option])
    return merged


def option_rules(module, items=False):
    """The rules (``mutually_exclusive``, ``required_by``, ``required_if``) the providers'
    capabilities for ``module`` declare (``items``: for each item of its batch form), merged
    (registry order, each rule once)."""
    merged = {'mutually_exclusive': [], 'required_by': {}, 'required_if': []}
    for found in SPECS:
        capability = found.capabilities.get(module)
        rules = {} if capability is None else capability.item_rules if items else capability.rules
        for kind in ('mutually_exclusive', 'required_if'):
            merged[kind].extend(rule for rule in rules.get(kind, ()) if rule not in merged[kind])
        for option, needed in rules.get('required_by', {}).items():
            if merged['required_by'].setdefault(option, needed) != needed:
                raise ConfigError('%s: two providers require different options with %s' % (module, option))
    return merged


def select(params, environ):
    """The spec of the provider this task uses: ``provider`` if given, else the one whose
    settings are present; one clear message when none or several are."""
    if params.get('provider'):
        return spec(params['provider'])
    configured = [found for found in SPECS if found.configured(params, environ)]
    if len(configured) == 1:
        return configured[0]
    if not configured:
        raise ConfigError('no connection settings were found: %s; or set provider' % '; '.join(
            'for %s give %s' % (found.title, found.connect_hint) for found in SPECS))
    raise ConfigError('the settings of several providers are present (%s): set provider to the one '
                      'to use' % ', '.join(found.name for found in configured))
