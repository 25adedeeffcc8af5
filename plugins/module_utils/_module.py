# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module frame every module of the collection runs in.

It merges the shared connection/auth argument spec (documented by the ``connection`` doc
fragment), picks and builds the provider (lazily importing only that provider's code), gives
info modules their JMESPath ``query`` option, runs check and diff mode uniformly, turns the
collection's exceptions into one ``fail_json`` message without a traceback, and keeps every
secret it learns (from options, environment, clouds.yaml or the server) out of the result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.iamops.identity.plugins.module_utils import _client
from ansible_collections.iamops.identity.plugins.module_utils._errors import (
    APIError, ConfigError, IdentityError)
from ansible_collections.iamops.identity.plugins.module_utils import _reconcile

PROVIDERS = ('keystone',)
ACTION_GROUP = 'group/iamops.identity.identity'


def connection_argument_spec():
    """Options shared by every module (documented in the ``connection`` doc fragment)."""
    auth_options = dict(
        auth_url=dict(type='str'),
        username=dict(type='str'),
        user_id=dict(type='str'),
        password=dict(type='str', no_log=True),
        user_domain_name=dict(type='str'),
        user_domain_id=dict(type='str'),
        project_name=dict(type='str'),
        project_id=dict(type='str'),
        project_domain_name=dict(type='str'),
        project_domain_id=dict(type='str'),
        domain_name=dict(type='str'),
        domain_id=dict(type='str'),
        system_scope=dict(type='str'),
        application_credential_id=dict(type='str'),
        application_credential_name=dict(type='str'),
        application_credential_secret=dict(type='str', no_log=True),
        token=dict(type='str', no_log=True),
    )
    return dict(
        provider=dict(type='str', choices=list(PROVIDERS),
                      fallback=(env_fallback, ['IAMOPS_IDENTITY_PROVIDER'])),
        cloud=dict(type='str'),
        auth=dict(type='dict', options=auth_options, mutually_exclusive=[
            ('username', 'user_id'), ('project_name', 'project_id'),
            ('application_credential_id', 'application_credential_name'),
            ('system_scope', 'project_name'), ('system_scope', 'project_id'),
            ('system_scope', 'domain_name'), ('system_scope', 'domain_id')]),
        auth_type=dict(type='str'),
        region_name=dict(type='str'),
        interface=dict(type='str', choices=['public', 'internal', 'admin']),
        validate_certs=dict(type='bool', aliases=['verify']),
        ca_path=dict(type='path', aliases=['cacert']),
        timeout=dict(type='float', default=30.0),
    )


def _configured_providers(params, environ):
    """Providers whose connection settings are present (used when ``provider`` is omitted)."""
    found = []
    if (params.get('cloud') or params.get('auth') or environ.get('OS_CLOUD')
            or environ.get('OS_AUTH_URL')):
        found.append('keystone')
    return found


def load_provider(name):
    """The provider class for ``name``, importing only that provider's code."""
    if name == 'keystone':
        from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone import KeystoneProvider
        return KeystoneProvider
    raise ConfigError('unknown provider %r' % name)


class IdentityModule:
    """An ``AnsibleModule`` with the collection's connection options, provider and result rules."""

    def __init__(self, argument_spec, info=False, supports_check_mode=True, **kwargs):
        spec = connection_argument_spec()
        spec.update(argument_spec)
        if info:
            spec['query'] = dict(type='str')
        self.info = info
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=supports_check_mode,
                                    **kwargs)
        if _client.REQUESTS_IMPORT_ERROR:
            self.module.fail_json(msg=missing_required_lib('requests'),
                                  exception=_client.REQUESTS_IMPORT_ERROR)
        if info and self.params.get('query') and _client.JMESPATH_IMPORT_ERROR:
            self.module.fail_json(msg=missing_required_lib('jmespath'),
                                  exception=_client.JMESPATH_IMPORT_ERROR)
        self._provider = None
        self.result = {'changed': False}
        self._diff = {'before': {}, 'after': {}}

    # ---- accessors ---------------------------------------------------------------------------
    @property
    def params(self):
        return self.module.params

    @property
    def check_mode(self):
        return self.module.check_mode

    @property
    def provider(self):
        """The provider instance, built on first use (after argument validation)."""
        if self._provider is None:
            name = self.params.get('provider')
            if not name:
                configured = _configured_providers(self.params, os.environ)
                if len(configured) != 1:
                    raise ConfigError(
                        'no provider is configured: set provider (one of %s) and its connection '
                        'options' % ', '.join(PROVIDERS) if not configured else
                        'several providers are configured (%s): set provider' % ', '.join(configured))
                name = configured[0]
            cls = load_provider(name)
            self._provider = cls(self.params, warn=self.module.warn,
                                 no_log_values=self.module.no_log_values)
        return self._provider

    # ---- results -----------------------------------------------------------------------------
    def add_diff(self, diff, key=None):
        """Accumulate a before/after diff (under ``key`` when one task touches several objects)."""
        if not diff or (not diff['before'] and not diff['after']):
            return
        if key is None:
            self._diff['before'].update(diff['before'])
            self._diff['after'].update(diff['after'])
        else:
            self._diff['before'][key] = diff['before']
            self._diff['after'][key] = diff['after']

    def changed(self, value=True):
        self.result['changed'] = self.result['changed'] or bool(value)

    def run(self, func):
        """Run ``func(self)``, then exit with the result, or fail with one clear message."""
        try:
            func(self)
        except IdentityError as exc:
            self.fail(str(exc), exc)
        except ValueError as exc:  # e.g. a non-JSON body where JSON was promised
            self.fail('%s: %s' % (self.params.get('provider') or 'provider', exc))
        if self.module._diff and not self.info:
            self.result['diff'] = self._diff
        self.module.exit_json(**self.result)

    def fail(self, msg, exc=None):
        extra = {}
        if isinstance(exc, APIError):
            extra = dict(status=exc.status, method=exc.method, path=exc.path)
        scrub = self._provider.client.scrub if (self._provider and self._provider.client) else (lambda t: t)
        self.module.fail_json(msg=scrub(msg), **extra)

    def query(self, data):
        """Apply the info module's ``query`` (JMESPath) to ``data`` when one was given."""
        expression = self.params.get('query')
        if expression:
            self.result['query_result'] = _client.jmespath_search(expression, data)

    # ---- one object's lifecycle ----------------------------------------------------------------
    def create_safely(self, create, lookup, what):
        """Create once; if the answer is lost (timeout, 5xx), look before reporting failure.

        POST is never retried by the client. When the create's outcome is unknown, ``lookup()``
        tells whether it happened; only a missing object re-raises the original error.
        """
        try:
            return create()
        except APIError as exc:
            if not (exc.transient or (exc.status is not None and exc.status >= 500)):
                raise
            found = lookup()
            if found is None:
                raise
            self.module.warn('%s: the create of %s answered "%s" but %s exists now; taken as '
                             'created' % (exc.provider, what, exc, what))
            return found

    def reconcile(self, current, desired, state, secrets=None, always_send=(), keys=None):
        """Plan one object with :func:`_reconcile.plan_state`; record changed and diff.

        ``current`` is the server's full common-model object or None. Returns the plan's
        ``(action, payload)``; the caller performs it unless in check mode.
        """
        keys = list(keys or desired.keys())
        view = _reconcile.project(current, keys) if current is not None else None
        action, payload, diff = _reconcile.plan_state(view, desired, state, secrets, always_send)
        if action:
            self.changed()
        self.add_diff(diff)
        return action, payload
