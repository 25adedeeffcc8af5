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

    def prefetch_users(self, domain=None):
        """Optional: read every user of ``domain`` in one listing so lookups become free."""

    # ---- groups and membership ---------------------------------------------------------------
    # A group in the common model: {id, name, domain_id, description}. Members are users.

    def find_group(self, name, domain=None, cached=True):
        """The group called ``name`` (in ``domain`` where the provider has domains), or None.

        ``cached=False`` asks the server even after :meth:`prefetch_groups`.
        """
        self.unsupported('looking up groups')

    def prefetch_groups(self, domain=None):
        """Read every group of ``domain`` in one listing so later lookups cost no request."""
        return []

    def list_groups(self, name=None, domain=None):
        """Iterate over groups, optionally by name-or-id and domain."""
        self.unsupported('listing groups')

    def resolve_group(self, ref, domain=None, known=()):
        """The group named or identified by ``ref`` (``known``: a listing to match first); raises NotFoundError."""
        self.unsupported('looking up groups')

    def resolve_user(self, ref, domain=None, known=()):
        """The user named or identified by ``ref`` (``known``: a listing to match first); raises NotFoundError."""
        self.unsupported('looking up users')

    def create_group(self, fields, domain=None):
        self.unsupported('creating groups')

    def update_group(self, group, fields):
        self.unsupported('updating groups')

    def delete_group(self, group):
        self.unsupported('deleting groups')

    def list_group_users(self, group):
        """The members of ``group`` (common-model users)."""
        self.unsupported('listing group members')

    def list_user_groups(self, user):
        """The groups ``user`` belongs to."""
        self.unsupported("listing a user's groups")

    def prefetch_group_members(self, group):
        """Optional: read ``group``'s members once so :meth:`member_of` needs no request."""

    def members_prefetched(self):
        """Whether :meth:`prefetch_group_members` read anything in this run."""
        return False

    def prefetch_all_memberships(self, budget):
        """Optional: index every group membership if that costs under ``budget`` requests."""
        return False

    def groups_of(self, user):
        """Every group of ``user`` from :meth:`prefetch_all_memberships`, or None without it."""
        return None

    def member_of(self, user, groups):
        """The ``groups`` that ``user`` is in, or None when that is not known without a request."""
        return None

    def add_group_user(self, group, user):
        self.unsupported('adding group members')

    def remove_group_user(self, group, user):
        self.unsupported('removing group members')

    # ---- role assignments --------------------------------------------------------------------
    # A role: {id, name, domain_id}. An assignment: {role, user | group, project | domain | system,
    # inherited}; role/user/group/project are {id, name, domain: {id, name} or null}, domain is
    # {id, name}, system is 'all', inherited a bool.

    def resolve_role(self, ref, domain=None):
        """The role named or identified by ``ref`` (of ``domain`` for a domain-specific role); raises NotFoundError."""
        self.unsupported('looking up roles')

    def make_assignment(self, kind, actor, role, scope_kind, scope, inherited=False):
        """The common-model assignment of ``role`` to ``actor`` (``kind`` user/group) on a scope."""
        self.unsupported('role assignments')

    def resolve_actor(self, kind, ref, domain=None):
        """The user or group (``kind``) named or identified by ``ref``; raises NotFoundError.

        Providers may answer from a prefetched listing (:meth:`prefetch_users`, :meth:`prefetch_groups`).
        """
        if kind == 'user':
            return self.resolve_user(ref, domain)
        return self.resolve_group(ref, domain)

    def prefetch_assignments(self):
        """Optional: read the direct assignments of every actor in one listing, so that
        :meth:`list_actor_assignments` needs no request; returns whether it did."""
        return False

    def list_actor_assignments(self, kind, actor):
        """``(assignments, complete)``: every direct assignment of a user or group, in one listing."""
        self.unsupported('listing role assignments')

    def list_role_assignments(self, filters=None, effective=False, include_names=False,
                              include_subtree=False, inherited=False):
        """Iterate over the provider's own role assignment objects matching ``filters``."""
        self.unsupported('listing role assignments')

    def role_assignment_exists(self, assignment):
        self.unsupported('checking role assignments')

    def assign_role(self, assignment):
        self.unsupported('assigning roles')

    def unassign_role(self, assignment):
        self.unsupported('removing role assignments')

    # ---- domain configuration ----------------------------------------------------------------
    # A domain configuration in the common model: {group: {option: value}}, without the sensitive
    # options (the identity system stores them apart and never returns them).

    def validate_domain_config(self, config, sensitive):
        """Refuse (ConfigError) groups/options the provider would reject, before any write.

        ``config``/``sensitive`` are {group: {option: value}}; a value or group of None means
        "remove". Sensitive options given in ``config`` and plain ones in ``sensitive`` are refused.
        """
        self.unsupported('domain configurations')

    def get_domain_config(self, domain, group=None, option=None):
        """The configuration of ``domain`` (name or ID), of one group, or of one option of a
        group, as {group: {option: value}}; None when nothing is configured there."""
        self.unsupported('domain configurations')

    def get_domain_config_default(self, group=None, option=None):
        """The provider's defaults, as {group: {option: value}}."""
        self.unsupported('domain configurations')

    def create_domain_config(self, domain, config):
        """Create the configuration of ``domain`` from ``config`` (may hold sensitive options);
        returns it (without the sensitive options)."""
        self.unsupported('domain configurations')

    def update_domain_config(self, domain, current, config, remove=()):
        """Merge ``config`` into the existing configuration ``current`` of ``domain`` and remove
        ``remove``, a list of (group, option) pairs (option None: the whole group); returns the
        configuration after."""
        self.unsupported('domain configurations')

    def delete_domain_config(self, domain):
        """Delete the whole configuration of ``domain`` (no error when there is none)."""
        self.unsupported('domain configurations')

    def domain_config_warnings(self, domain, before, after, check_mode=False):
        """Warnings about the effect of going from configuration ``before`` to ``after``."""
        return []
