# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a provider declares about itself, as data: the registry reads it without importing the
provider's code.

A :class:`ProviderSpec` holds the provider's name, its connection options (an argument spec
fragment; each option belongs to one provider, documented by the provider's own doc fragment),
the environment variables each option falls back to, how to tell that its settings are present
(so ``provider`` can be inferred), and its capabilities: which modules,
states and options it supports. Every check here is pure, so it runs before any request.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError, UnsupportedError

# Options every module has whatever the provider (documented by the ``connection`` fragment).
COMMON_OPTIONS = ('provider', 'validate_certs', 'ca_path', 'timeout', 'query', 'parallel')  # parallel: the frame's (_parallel)


class Capability:
    """What a provider supports of one module: its states and options, with reasons for the rest.

    ``required`` lists options this provider needs for the module (a Keystone domain config needs
    its ``domain``; an Authress tenant does not). ``options`` lists the module options the provider honours (items of a batch list are checked
    against the same names); ``states`` the values of ``state`` it supports (None for info
    modules); ``reasons`` maps an unsupported option or state to a sentence saying why;
    ``limits`` maps a list option to the most items the provider can hold (a OneLogin user has one
    group), its reason taken from ``reasons``; ``choices`` maps an option to the values the
    provider takes (a Posit Connect ``user_role``): the frame gives them to the module's argument
    spec, so a value no provider takes is refused before any request. ``rules``: how the
    provider's options go together, as AnsibleModule takes them (``mutually_exclusive``,
    ``required_by``, ``required_if``; Keystone's scopes: one of project, domain, system), added by
    the frame to the module's; ``item_rules``: the same for each item of its batch form.
    """

    def __init__(self, options=(), states=('present', 'absent'), reasons=None, required=(), limits=None,
                 choices=None, rules=None, item_rules=None):
        self.options = frozenset(options)
        self.states = tuple(states) if states else ()
        self.reasons = dict(reasons or {})
        self.required = tuple(required)
        self.limits = dict(limits or {})
        self.choices = dict((option, tuple(values)) for option, values in (choices or {}).items())
        self.rules = dict(rules or {})
        self.item_rules = dict(item_rules or {})


class ProviderSpec:
    """The declaration of one provider (see the module docstring).

    ``options``: argument spec of its connection options; ``env``: option -> environment variables
    it falls back to, in order; ``detect_options`` / ``detect_env``: options and environment
    variables whose presence alone means this provider is configured; ``capabilities``: module name -> :class:`Capability`;
    ``unsupported``: module name -> why the provider has no such thing; ``summary``: module name -> the README provider table's cell text;
    ``status``: the README table's last column; ``connect_hint``: how to configure it, for the
    message a task with no connection settings gets (default: its detection options and variables).
    ``case_insensitive_names``: the identity system compares names without regard to case
    (OneLogin's usernames), so two batch items ``Dana`` and ``dana`` are about one object and
    refused as such. ``delete_shows``: module name -> the provider's own fields a delete's diff
    shows beside the common model's (a Keystone user's ``default_project_id``). ``clearable``:
    module name -> the string options where an empty string means "clear the attribute" (anywhere
    else the frame refuses one).
    """

    def __init__(self, name, title, options, capabilities, env=None, detect_options=(), detect_env=(),
                 unsupported=None, summary=None, status='',
                 connect_hint=None, case_insensitive_names=False, delete_shows=None, clearable=None,
                 api_url_path=False):
        self.name = name
        self.title = title
        self.api_url_path = api_url_path  # whether api_url may carry a path (an API under a prefix)
        self.options = options
        self.env = dict(env or {})
        self.detect_options = tuple(detect_options)
        self.detect_env = tuple(detect_env)
        self.capabilities = capabilities
        self.unsupported = dict(unsupported or {})
        self.summary = dict(summary or {})
        self.status = status
        self.connect_hint = connect_hint or '%s (%s)' % ('/'.join(self.detect_options), ', '.join(self.detect_env))
        self.case_insensitive_names = case_insensitive_names
        self.delete_shows = dict(delete_shows or {})
        self.clearable = dict((module, frozenset(options)) for module, options in (clearable or {}).items())

    def name_key(self, value):
        """What identifies the name ``value`` to this provider (case-folded where it ignores case)."""
        return value.casefold() if self.case_insensitive_names and isinstance(value, str) else value

    # ---- configuration -------------------------------------------------------------------
    def given(self, params):
        """The connection options of this provider that the task sets."""
        return sorted(k for k in self.options if params.get(k) not in (None, {}, []))

    def configured(self, params, environ):
        """Whether this provider's settings are present: one of its ``detect_options`` in the
        task, or one of its ``detect_env`` variables in the environment."""
        return (any(params.get(k) not in (None, {}, []) for k in self.detect_options)
                or any(environ.get(name) for name in self.detect_env))

    def apply_env(self, params, environ):
        """Fill this provider's unset options from their environment variables (in place)."""
        for option, variables in self.env.items():
            if params.get(option) is None:
                for name in variables:
                    if environ.get(name):
                        value = environ[name]
                        kind = self.options.get(option, {}).get('type')
                        if kind == 'bool':
                            value = value.lower() in ('1', 'true', 'yes', 'on')
                        elif kind == 'float':
                            value = float(value)
                        params[option] = value
                        break

    # ---- capabilities ----------------------------------------------------------------------
    def check(self, module, params, defaults, batch_option=None, item_defaults=None):
        """Refuse, before any request, what this provider cannot do for ``module``.

        ``params`` are the module's own validated params (no connection option); ``defaults`` option -> the spec's default
        (an option left at its default is not "asked for"); ``batch_option`` the list option whose
        items take the same options. Raises :class:`UnsupportedError` naming provider and
        capability.
        """
        capability = self.capabilities.get(module)
        if capability is None:
            why = self.unsupported.get(module)
            raise UnsupportedError(self.name, '%s%s' % (module, ' (%s)' % why if why else ''))
        self._check_one(module, capability, params, defaults, None)
        for option in capability.required:
            if params.get(option) is None and not (batch_option and params.get(batch_option)):
                raise ConfigError('%s needs option %s for %s' % (self.name, option, module), self.name)
        if batch_option and params.get(batch_option):
            for index, item in enumerate(params[batch_option]):
                self._check_one(module, capability, item, item_defaults or {}, '%s[%d]' % (batch_option, index))

    def _check_one(self, module, capability, params, defaults, where):
        prefix = '%s: ' % where if where else ''
        state = params.get('state')
        if state is not None and capability.states and state not in capability.states:
            why = capability.reasons.get('state=%s' % state)
            raise UnsupportedError(self.name, '%sstate=%s in %s%s' % (
                prefix, state, module, ' (%s)' % why if why else ''))
        for option, value in sorted(params.items()):
            limit = capability.limits.get(option)
            if limit is not None and isinstance(value, list) and len(value) > limit:
                why = capability.reasons.get(option)
                raise UnsupportedError(self.name, '%smore than %d item%s in option %s of %s%s' % (
                    prefix, limit, '' if limit == 1 else 's', option, module, ' (%s)' % why if why else ''))
            self._check_nested_domains(module, capability, option, value, prefix)
            if option in COMMON_OPTIONS or option in capability.options or option == 'state':
                continue
            if value is None or (option in defaults and value == defaults[option]):
                continue
            why = capability.reasons.get(option)
            raise UnsupportedError(self.name, '%soption %s of %s%s' % (
                prefix, option, module, ' (%s)' % why if why else ''))

    def _check_nested_domains(self, module, capability, option, value, prefix):
        """A provider without containers (no ``domain`` option) refuses a ``domain`` inside the
        items of a list option too (``groups: [{name: g, domain: corp}]``), before any request."""
        if 'domain' in capability.options or not isinstance(value, list):
            return
        for index, entry in enumerate(value):
            if isinstance(entry, dict) and entry.get('domain') is not None:
                why = capability.reasons.get('domain')
                raise UnsupportedError(self.name, '%soption %s[%d].domain of %s%s' % (
                    prefix, option, index, module, ' (%s)' % why if why else ''))


def foreign_options(selected, specs, params):
    """Refuse options that belong to another provider than ``selected`` (one clear message)."""
    own = set(selected.options)
    for spec in specs:
        if spec.name == selected.name:
            continue
        given = [k for k in spec.given(params) if k not in own]
        if given:
            raise ConfigError('option%s %s belong%s to provider %s, but provider %s is selected' % (
                's' if len(given) > 1 else '', ', '.join(given), '' if len(given) > 1 else 's',
                spec.name, selected.name), selected.name)
