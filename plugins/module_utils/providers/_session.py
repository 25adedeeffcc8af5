# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every provider's session does to set up its HTTP client, in one place.

A provider's session checks its own options, builds its base URL and its auth strategy, and
calls :func:`open_client`; the connection options every provider takes (``timeout``,
``validate_certs``, ``ca_path``) and the registration of the run's secrets are done here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils._http import HTTPClient

DEFAULT_TIMEOUT = 30.0
JSON_HEADERS = {'Content-Type': 'application/json'}


def require_options(params, names, provider, where):
    """Refuse, naming them, the options of ``names`` that ``params`` lacks; ``where`` says where
    else they may come from (the environment variables, for instance)."""
    missing = ' and '.join(name for name in names if not params.get(name))
    if missing:
        raise ConfigError('%s missing: set %s (%s)' % (missing, missing, where), provider)


def open_client(provider, base_url, auth, options=None, secrets=(), headers=None, **kwargs):
    """``provider.client``: an :class:`HTTPClient` for ``base_url`` with ``auth``.

    ``options``: where ``timeout``, ``validate_certs`` (default true) and ``ca_path`` are read
    (default: the module's params). ``secrets``: values the provider registers (its credentials);
    they and the module's no_log values are scrubbed from every message. ``headers``: sent with
    every request (default: a JSON ``Content-Type``). Other keyword arguments go to the client
    (``error_query``, ``retry_after``).
    """
    options = provider.params if options is None else options
    validate = options.get('validate_certs')
    provider.client = HTTPClient(
        base_url, provider.name, timeout=options.get('timeout') or DEFAULT_TIMEOUT,
        validate_certs=True if validate is None else validate, ca_path=options.get('ca_path'),
        headers=JSON_HEADERS if headers is None else headers, auth=auth, **kwargs)
    for secret in secrets:
        provider.add_secret(secret)
    for secret in provider._no_log_values:
        provider.client.add_secret(secret)
    return provider.client
