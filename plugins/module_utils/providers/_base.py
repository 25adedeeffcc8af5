# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The contract every provider implements (docs/contract.md explains it with examples).

A provider translates between the common model (plain dicts, documented below) and its API, and
owns its fetch strategy and caches: modules and the services in ``module_utils`` ask for intent
("this user's groups", "apply these membership changes", "the assignments of these actors") and
never orchestrate listings. A provider never calls ``fail_json``: it raises the exceptions of
``_errors``.

Every method a module or service calls exists here (``tests/unit/plugins/module_utils/
test_provider_contract.py`` reads the modules, ``_membership``, ``_assignments`` and ``_module`` and
fails on a call this class does not declare). What a provider's API does not offer raises
:class:`UnsupportedError` naming the provider and the capability - but the frame refuses
unsupported modules, options and states from the provider's declared capabilities (``spec.py``)
before any request, so reaching one of these defaults means a capability was declared that the
code does not have: a bug, reported clearly, never an AttributeError.

Common model
------------
- user: ``{id, name, domain_id, enabled, email, description, extra: {...}}`` plus the provider's
  own managed fields (OneLogin's ``first_name``, Posit Connect's ``user_role``...); ``domain_id`` is
  None for a flat provider. Never a password.
- group: ``{id, name, domain_id, description}``.
- container (Keystone's domains and projects): ``{id, name}``. Containers are optional: a flat
  provider keeps the defaults, which refuse them.
- role assignment: ``{role: {id, name, ...}, user | group: {id, name, ...}, <scope keys>}``; the
  scope keys are the provider's (Keystone ``project``/``domain``/``system`` + ``inherited``;
  Authress ``resources`` + ``record``; none for OneLogin and Posit Connect). What identifies one
  assignment of an actor is :meth:`assignment_key`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._errors import (
    APIError, ConfigError, NotFoundError, UnsupportedError)


class Provider:
    """Base class. ``name`` is the value of the ``provider`` option; ``spec`` its declaration."""

    name = None
    spec = None
    # A user holds at most one group (OneLogin's group_id): a user's O(groups) replaces it.
    single_group = False
    # create_user takes the new user's groups (``fields['groups']``, resolved groups) in its one
    # request, instead of membership writes after the create.
    groups_on_create = False

    def __init__(self, params, warn=None, no_log_values=None):
        self.params = params
        self._warn = warn or (lambda msg: None)
        self._no_log_values = no_log_values if no_log_values is not None else set()
        self.client = None

    def warn(self, msg):
        self._warn(msg)

    # ---- what the task asks, as the frame normalized it ----------------------------------
    # The batch form's items, each the top-level options overlaid with the item's own (the frame's
    # Task params: defaults filled once, there); empty for the single form. Set by the frame before
    # any intent method is called; providers read these instead of re-merging module params.
    batch = ()

    def task_options(self):
        """Each object's options: the batch items, or the task's one set of options."""
        return list(self.batch) or [self.params]

    def option_for(self, name, option):
        """What the task gives for ``option`` for the object called ``name``: its batch item's value
        (the top-level value is already its default), else the task's own."""
        for options in self.batch:
            if options.get(option) is not None and self._name_key(options.get('name')) == self._name_key(name):
                return options[option]
        return self.params.get(option)

    def _name_key(self, name):
        return self.spec.name_key(name) if self.spec is not None else name

    def add_secret(self, value):
        """Register a secret learnt at run time (a token, a password read from a file). Values
        shorter than the client's MIN_SECRET_LENGTH are not: Ansible masks a no_log value wherever
        it occurs, so a one-letter piece of a key would mask every such letter of every message."""
        if value and len(str(value)) >= 8:
            self._no_log_values.add(value)
            if self.client is not None:
                self.client.add_secret(value)

    def unsupported(self, capability):
        raise UnsupportedError(self.name, capability)

    @property
    def stats(self):
        return dict(self.client.stats) if self.client is not None else {}

    def report(self):
        """Keys the provider adds to every result of the run (OneLogin's ``rate_limit``), or {}."""
        return {}

    # ---- containers (Keystone's domains and projects; optional) ------------------------------
    def resolve_domain(self, ref):
        """The container ``{id, name}`` called or identified by ``ref``; raises NotFoundError."""
        self.unsupported('domains')

    def resolve_project(self, ref, domain=None):
        self.unsupported('projects')

    def domain_key(self, ref):
        """What identifies the container ``ref`` names (None: the default one), so that two batch
        items naming one object differently are told apart from two objects; ``None`` for a provider
        without containers. Never raises for an unknown container (the item reports it)."""
        return None

    def list_domains(self):
        self.unsupported('domains')

    # ---- users ------------------------------------------------------------------------------
    def find_user(self, name, domain=None, cached=True):
        """The user called ``name`` (in ``domain`` where the provider has domains), or None.

        ``cached=False`` asks the server even after a prefetch (after a create whose answer was
        lost, say)."""
        self.unsupported('looking up users')

    def list_users(self, name=None, domain=None, filters=None):
        """Iterate over users, optionally by name-or-id, domain and server-side filters (info
        module): each in the common model with the provider's own object under ``raw``."""
        self.unsupported('listing users')

    def count_users(self, filters=None):
        """How many users match ``filters`` (every user without), as the server counts them."""
        self.unsupported('counting users')

    def user_fields(self, fields, domain=None):
        """The common-model fields that the module options ``fields`` describe, references
        resolved (Keystone's ``default_project`` becomes ``default_project_id``); raises
        NotFoundError for a reference that does not resolve."""
        return dict(fields)

    def predict_user(self, fields, domain=None):
        """The user a create of ``fields`` would make, for check mode (``id`` None)."""
        return dict(fields, id=None)

    def create_user(self, fields, domain=None):
        """Create a user from common-model ``fields`` (may include ``password``); returns it."""
        self.unsupported('creating users')

    def update_user(self, user, fields):
        """Change ``fields`` of the existing ``user``; returns the user after the change."""
        self.unsupported('updating users')

    def delete_user(self, user):
        self.unsupported('deleting users')

    def end_sessions(self, user):
        """End every session of ``user`` (offboarding: a sign-out everywhere)."""
        self.unsupported('ending sessions')

    def user_attribute_names(self):
        """The names of the custom user attributes the account defines."""
        self.unsupported('custom attribute names')

    def prepare_users(self, refs):
        """Batch hint: the users ``refs`` (``(name, domain)`` pairs) are about to be looked up.
        A provider may read them in one listing; the default does nothing."""

    # ---- groups -------------------------------------------------------------------------------
    def find_group(self, name, domain=None, cached=True):
        """The group called ``name`` (in ``domain`` where the provider has domains), or None."""
        self.unsupported('looking up groups')

    def list_groups(self, name=None, domain=None):
        """Iterate over groups (info module): common model, the provider's object under ``raw``."""
        self.unsupported('listing groups')

    def predict_group(self, fields, domain=None):
        """The group a create of ``fields`` would make, for check mode (``id`` None)."""
        return dict(fields, id=None)

    def create_group(self, fields, domain=None):
        self.unsupported('creating groups')

    def update_group(self, group, fields):
        self.unsupported('updating groups')

    def delete_group(self, group):
        self.unsupported('deleting groups')

    def prepare_groups(self, domains):
        """Batch hint: groups of each of ``domains`` are about to be looked up."""

    def resolve_group(self, ref, domain=None, known=()):
        """The group named or identified by ``ref`` (``known``: a listing to match first);
        raises NotFoundError. A name is looked up in ``domain`` only; an ID found in another
        domain is not this group."""
        self.unsupported('looking up groups')

    def resolve_user(self, ref, domain=None, known=()):
        """The user named or identified by ``ref`` (``known``: a listing to match first);
        raises NotFoundError, with the same domain rule as :meth:`resolve_group`."""
        self.unsupported('looking up users')

    # ---- membership (intent) ------------------------------------------------------------------
    def group_members(self, group):
        """The members of ``group`` (common-model users; the info module shows them, so each may
        carry the provider's object under ``raw``)."""
        self.unsupported('listing group members')

    def user_groups(self, user, among=None):
        """The groups ``user`` belongs to. With ``among`` (groups), only which of those: a
        provider may answer from a batch's prefetched member lists instead of a request."""
        self.unsupported("listing a user's groups")

    def prepare_memberships(self, groups=(), purging=0):
        """Batch hint: the members of ``groups`` (resolved groups) will be asked for, and
        ``purging`` users will have every group compared. The default does nothing."""

    def blind_spots(self, what):
        """What this connection's listings cannot see, as phrases (``[]``: everything). ``what``
        is ``'assignments'`` (role assignment listings), ``'memberships'`` (a user's groups),
        ``'members'`` (a group's users) or ``'subgroups'`` (a group's groups). A provider whose tokens may be scoped to one domain sees
        only that domain. The planners say so (a warning and the result's ``not_visible``)
        instead of reporting a purge as complete."""
        return []

    def assignment_visible(self, assignment):
        """Whether this connection's assignment listings would show ``assignment`` (default
        True). One that it would not is asked about with :meth:`assignment_exists`."""
        return True

    def memberships_complete(self, kind, obj):
        """False when the last :meth:`group_members` of group ``obj`` (``kind`` 'group') or
        :meth:`user_groups` of user ``obj`` ('user') came from a listing the server cut short:
        the planner then refuses a purge and asks :meth:`has_member` about the rest."""
        return True

    def has_member(self, group, user):
        """Whether ``user`` is in ``group`` (True/False), or None when the provider cannot ask."""
        return None

    def apply_memberships(self, add=(), remove=()):
        """Make the membership changes ``add`` and ``remove`` (lists of ``(group, user)``)."""
        for group, user in add:
            self.add_group_user(group, user)
        for group, user in remove:
            self.remove_group_user(group, user)

    def group_subgroups(self, group):
        """The groups that are members of ``group`` (common-model groups, each may carry ``raw``),
        or None: this provider's groups hold no groups (the default; the capabilities refuse
        ``subgroups`` then, and ``identity_group_info`` shows no ``subgroups``)."""
        return None

    def apply_subgroups(self, add=(), remove=()):
        """Make the changes ``add`` and ``remove`` (lists of ``(group, subgroup)``) to groups'
        members that are groups, leaving their user members as they are."""
        self.unsupported('groups as members of groups')

    def add_group_user(self, group, user):
        self.unsupported('adding group members')

    def remove_group_user(self, group, user):
        self.unsupported('removing group members')

    # ---- role assignments (intent) -------------------------------------------------------------
    def resolve_actor(self, kind, ref, domain=None):
        """The user or group (``kind``) named or identified by ``ref``; raises NotFoundError."""
        if kind == 'user':
            return self.resolve_user(ref, domain)
        return self.resolve_group(ref, domain)

    def predict_actor(self, kind, ref, domain=None):
        """For check mode: an actor an earlier task is about to create (``id`` None). Raises
        NotFoundError when it could not exist (its domain does not)."""
        return {'id': None, 'name': ref}

    def prepare_actors(self, actors):
        """Batch hint: ``actors`` (``(kind, ref, domain)``) are about to be resolved."""

    def check_task(self, module, params, batch_option=None):
        """Refuse, before the provider's first request, values this provider documents it would
        refuse (a length, a format): raise ConfigError. ``module`` is the module's name, ``params``
        its options, ``batch_option`` the option holding the batch form's items (each a dict)."""

    def check_assignment(self, item, where):
        """Refuse, before any request, an assignment item this provider cannot express (raise
        ConfigError naming ``where``). ``item`` holds the module's assignment options."""

    def resolve_assignment(self, kind, actor, item):
        """The common-model assignment that ``item`` (the module's assignment options) asks
        for ``actor`` (a resolved user or group of ``kind``); names resolved."""
        self.unsupported('role assignments')

    def assignment_key(self, assignment):
        """What identifies ``assignment`` among one actor's assignments (hashable)."""
        self.unsupported('role assignments')

    def describe_assignment(self, assignment):
        """A readable one-line name of ``assignment`` (without its actor), e.g. ``member on
        project demo``: the key of the assignment in diffs and messages."""
        role = assignment['role']
        return role.get('name') or role.get('id')

    def actor_assignments(self, actors):
        """The current direct assignments of each of ``actors`` (``(kind, actor)`` pairs with
        resolved actors): a list of ``(assignments, complete)`` in the same order. ``complete``
        False means the server cut the listing short. The provider picks the cheapest reads (one
        listing for all, or one per actor)."""
        return [self.list_actor_assignments(kind, actor) for kind, actor in actors]

    def predicted_assignments(self, kind, actor):
        """The assignments a user or group predicted in check mode (created by an earlier task,
        no id yet) holds from its creation: what the provider gives every new one (a Posit
        Connect user holds the default ``user_role``). Default: none."""
        return []

    def list_actor_assignments(self, kind, actor):
        """``(assignments, complete)``: every direct assignment of a user or group."""
        self.unsupported('listing role assignments')

    def assignment_slot(self, assignment):
        """None, or what ``assignment`` occupies that an actor holds only once (Posit Connect: a
        user's one ``user_role``). Granting an assignment replaces the actor's held one in the same
        slot (reported as revoked, with no write of its own); two wanted in one slot are refused."""
        return None

    def revocable(self, assignment):
        """Whether revoking ``assignment`` changes anything (False for a floor every actor holds,
        such as Posit Connect's ``viewer``: absent and purge then plan nothing for it)."""
        return True

    def assignment_exists(self, assignment):
        """Whether ``assignment`` exists (asked only past a truncated listing)."""
        self.unsupported('checking role assignments')

    def apply_assignments(self, grant=(), revoke=(), show=None):
        """Grant the assignments ``grant``, then revoke ``revoke`` (granting first never leaves a
        moment without access when swapping). The default writes one at a time; a provider whose
        API holds many assignments in one object (an Authress access record) overrides this to
        write each object once. ``show`` labels an assignment in the error of a partial failure."""
        show = show or self.describe_assignment
        done = []
        for action, method, batch in (('granted', self.grant, grant), ('revoked', self.revoke, revoke)):
            for assignment in batch:
                try:
                    method(assignment)
                except APIError as exc:
                    if done:
                        exc.message += '; done before this failure: %s' % '; '.join(done)
                    raise
                done.append('%s %s' % (action, show(assignment)))

    def grant(self, assignment):
        self.unsupported('assigning roles')

    def revoke(self, assignment):
        self.unsupported('removing role assignments')

    def list_role_assignments(self, filters=None, effective=False, include_names=False,
                              include_subtree=False, inherited=False):
        """Iterate over role assignments matching ``filters`` (info module): each in the common
        model (the shape ``identity_role_assignment`` returns) with the provider's object under
        ``raw``."""
        self.unsupported('listing role assignments')

    def assignment_filters(self, params):
        """The filters of the info module's options (resolved objects), for
        :meth:`list_role_assignments`."""
        self.unsupported('listing role assignments')

    # ---- domain configuration (a domain's identity backend; a tenant's settings) -----------------
    # A configuration in the common model: {group: {option: value}}, without the sensitive options
    # (the identity system stores them apart and never returns them).

    def domain_config_target(self, ref):
        """The object whose configuration the module manages (Keystone: the domain ``ref``)."""
        if ref is None:
            raise ConfigError('%s needs the domain whose configuration to manage' % self.name, self.name)
        return self.resolve_domain(ref)

    # What O(default=true) of identity_domain_config_info reads, as a phrase for messages.
    domain_config_defaults = "the identity system's defaults"

    def check_domain_config_shape(self, config, sensitive):
        """Refuse (ConfigError), before any request, a configuration of a shape the provider
        cannot take. ``config``: {group: {option: value or None} or None} (None removes);
        ``sensitive``: the same for the sensitive options. The default: each group is null or
        a non-empty dictionary of options, and a sensitive option is never null."""
        for kind, given in (('config', config), ('sensitive_config', sensitive)):
            for group, options in given.items():
                if options is None and kind == 'config':
                    if group in sensitive:
                        raise ConfigError('config removes group %s (null) but sensitive_config sets '
                                          'options in it' % group, self.name)
                    continue
                if not isinstance(options, dict) or not options:
                    raise ConfigError('%s: the value of group %s should be a dictionary of options (use null in '
                                      'config to remove the group)' % (kind, group), self.name)
                if kind == 'sensitive_config' and None in options.values():
                    raise ConfigError('sensitive_config: an option of group %s is null: remove it through '
                                      'config' % group, self.name)

    def domain_config_value(self, value):
        """What a configuration value compares as, so that a value the server reads as the one
        it holds is not written again (the default: the value itself)."""
        return value

    def validate_domain_config(self, config, sensitive):
        """Refuse (ConfigError) groups/options the provider would reject, before any write."""
        self.unsupported('domain configurations')

    def get_domain_config(self, domain, group=None, option=None):
        self.unsupported('domain configurations')

    def get_domain_config_default(self, group=None, option=None):
        self.unsupported('domain configurations')

    def create_domain_config(self, domain, config):
        self.unsupported('domain configurations')

    def update_domain_config(self, domain, current, config, remove=()):
        self.unsupported('domain configurations')

    def delete_domain_config(self, domain):
        self.unsupported('domain configurations')

    def domain_config_warnings(self, domain, before, after, check_mode=False):
        return []


def not_found(provider, what, ref, where=None):
    """A NotFoundError with the collection's wording."""
    text = '%s %r not found' % (what, ref)
    if where:
        text += ' in %s' % where
    return NotFoundError(text, provider.name, what=what)
