# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The interface every provider implements.

A provider translates between the common model (plain dicts with the keys documented on each
method) and its API. It never calls ``fail_json``: it raises the exceptions of ``_errors``.
A capability the provider's API does not offer raises :class:`UnsupportedError` naming the
provider and the capability, never a silent no-op.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._errors import UnsupportedError


class Provider:
    """Base class. ``name`` is the value of the ``provider`` option."""

    name = None

    def __init__(self, params, warn=None, no_log_values=None):
        self.params = params
        self._warn = warn or (lambda msg: None)
        self._no_log_values = no_log_values if no_log_values is not None else set()
        self.client = None

    def warn(self, msg):
        self._warn(msg)

    def add_secret(self, value):
        """Register a secret learnt at run time (a token, a password read from a file)."""
        if value:
            self._no_log_values.add(value)
            if self.client is not None:
                self.client.add_secret(value)

    def unsupported(self, capability):
        raise UnsupportedError(self.name, capability)

    @property
    def stats(self):
        return dict(self.client.stats) if self.client is not None else {}

    # ---- users -----------------------------------------------------------------------------
    # A user in the common model: {id, name, domain_id, enabled, email, description,
    # default_project_id, extra: {...}} (keys a provider cannot express are absent).

    def find_user(self, name, domain=None):
        """The user called ``name`` (in ``domain`` where the provider has domains), or None."""
        self.unsupported('looking up users')

    def list_users(self, name=None, domain=None, filters=None):
        """Iterate over users, optionally by name-or-id, domain and server-side filters."""
        self.unsupported('listing users')

    def create_user(self, fields, domain=None):
        """Create a user from common-model ``fields`` (may include ``password``)."""
        self.unsupported('creating users')

    def update_user(self, user, fields):
        """Change ``fields`` of the existing ``user``; returns the user after the change."""
        self.unsupported('updating users')

    def delete_user(self, user):
        self.unsupported('deleting users')

    # ---- groups and membership ---------------------------------------------------------------

    # ---- role assignments --------------------------------------------------------------------

    # ---- domain configuration ----------------------------------------------------------------
