# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keystone's answers to the contract's intent-level questions (``providers/_base.py``), built on
its directory and assignment parts: here Keystone decides its fetch strategy (one listing for a
batch, the member lists of named groups, one role assignment listing for many actors)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils import _parallel
from ansible_collections.iamops.identity.plugins.module_utils._errors import (
    APIError, ConfigError, IdentityError, NotFoundError)
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone._model import USER_CORE, USER_HIDDEN

SCOPES = ('project', 'domain', 'system')


def _name(obj):
    return obj.get('name') or obj.get('id')


def _prefetch_repeated(provider, prefetch, domains):
    """``prefetch(domain_id)`` for each domain named twice or more, however it is named (by name,
    by ID, or omitted for Default): a listing beats two lookups."""
    counts = {}
    for domain in domains:
        try:
            domain_id = provider.resolve_domain(domain)['id']
        except NotFoundError:
            continue  # reported by the lookup of the item that names it
        counts[domain_id] = counts.get(domain_id, 0) + 1
    for domain_id, count in sorted(counts.items()):
        if count > 1:
            prefetch(domain_id)


class KeystoneIntent:
    """Mixin: the intent-level methods of :class:`KeystoneProvider`."""

    # Writes of a batch (its items, a group's members, role grants) sent at once when the task
    # does not set ``parallel``: measured (bench/run --prod --sweep, bench/results/prod-keystone-*)
    # on Keystone 30 over MariaDB behind 4 workers sharing a memcached, on 2 CPUs shared with the
    # client: 100 people onboarded (500 writes) took 22.7 s serially, 23.3 s with 2 at once and
    # 102.9 s with 4 (every write ~0.8 s instead of ~0.04 s) - Keystone is CPU-bound there, so
    # concurrent writes only queue, then thrash. Serial is the default; ``parallel`` is for a
    # Keystone with CPU to spare (each write independent, every read done first).
    default_parallel = 1

    def _workers(self):
        return _parallel.effective((getattr(self, 'params', None) or {}).get('parallel'), self)

    def _write_all(self, *phases):
        """Run each phase's ``(label, call)`` steps (each one write), ``parallel`` at a time, in
        their order, a phase only once the one before it is done; the first failure (in step
        order) is raised, naming what was done besides - steps not started by then are not sent."""
        failed, done = [], []

        def step(entry):
            try:
                entry[1]()
            except APIError:
                failed.append(True)
                raise

        for steps in phases:
            outcomes = _parallel.run(steps, step, self._workers(), getattr(self, 'client', None),
                                     stop=lambda: bool(failed))
            done.extend(label for (label, _call), outcome in zip(steps, outcomes)
                        if outcome is not _parallel.SKIPPED and outcome[1] is None)
            for outcome in outcomes:
                if outcome is not _parallel.SKIPPED and outcome[1] is not None:
                    exc = outcome[1]
                    if done and isinstance(exc, APIError):
                        exc.message += '; done before this failure: %s' % '; '.join(done)
                    raise exc

    def apply_memberships(self, add=(), remove=()):
        """Membership writes ``parallel`` at a time (a group's many new members)."""
        self._write_all([('added %s to %s' % (_name(u), _name(g)), lambda g=g, u=u: self.add_group_user(g, u))
                         for g, u in add],
                        [('removed %s from %s' % (_name(u), _name(g)), lambda g=g, u=u: self.remove_group_user(g, u))
                         for g, u in remove])

    def apply_assignments(self, grant=(), revoke=(), show=None):
        """Every grant (``parallel`` at a time), then every revocation: granting first never leaves
        a moment without access when swapping."""
        show = show or self.describe_assignment
        self._write_all([('granted %s' % show(a), lambda a=a: self.grant(a)) for a in grant],
                        [('revoked %s' % show(a), lambda a=a: self.revoke(a)) for a in revoke])

    # ---- users and groups ----------------------------------------------------------------------
    def user_fields(self, fields, domain=None):
        """``default_project`` resolved to ``default_project_id``; ``extra`` may not carry a core
        attribute (``extra: {enabled: true}`` would silently re-enable a leaver, ``extra:
        {password: ...}`` set a password outside update_password and show it in the diff)."""
        core = sorted(set(fields.get('extra') or {}) & set(USER_CORE + USER_HIDDEN))
        if core:
            raise ConfigError('extra: %s %s core attribute%s of a Keystone user, never an extra one (set '
                              'a core attribute with its own option where the module has one)' % (
                                  ', '.join(core), 'is a' if len(core) == 1 else 'are',
                                  '' if len(core) == 1 else 's'), self.name)
        fields = dict(fields)
        project = fields.pop('default_project', None)
        project_domain = fields.pop('default_project_domain', None)
        if project is not None:
            fields['default_project_id'] = self.resolve_project(project, project_domain or domain)['id']
        return fields

    def predict_user(self, fields, domain=None):
        """What ``POST /v3/users`` of ``fields`` answers, but its id: Keystone's defaults filled in
        (enabled, no e-mail, description nor extra attributes), so check mode shows the user the
        real run creates."""
        user = {'enabled': True, 'email': None, 'description': None, 'default_project_id': None,
                'options': {}, 'extra': {}, 'password_never_expires': False, 'password_expired': False}
        user.update((k, v) for k, v in fields.items() if k != 'password')
        if fields.get('password_never_expires'):
            user['options'] = {'ignore_password_expiry': True}
        user.update(id=None, domain_id=self.resolve_domain(domain)['id'])
        return user

    def predict_group(self, fields, domain=None):
        return dict(fields, id=None, domain_id=self.resolve_domain(domain)['id'])

    def domain_key(self, ref):
        """The ID of the domain ``ref`` names (``Default`` when None); an unknown one as given."""
        try:
            return self.resolve_domain(ref)['id']
        except NotFoundError:
            return ('unknown domain', ref)

    def prepare_users(self, refs):
        """One listing of a domain's users when two or more of ``refs`` are in it."""
        _prefetch_repeated(self, self.prefetch_users, [domain for _ref, domain in refs])

    def prepare_groups(self, domains):
        """One listing of a domain's groups when ``domains`` names it twice or more (one entry
        per group about to be looked up)."""
        _prefetch_repeated(self, self.prefetch_groups, domains)

    def group_members(self, group):
        return self.list_group_users(group)

    def user_groups(self, user, among=None):
        """``among`` (``(ref, domain)`` pairs): after :meth:`prepare_memberships` read those
        groups' members, the answer costs no request; after a purge batch indexed every
        membership, neither does any user's; otherwise one ``GET /v3/users/{id}/groups``."""
        if among is not None and self.members_prefetched():
            try:
                groups = [self.resolve_group(ref, domain) for ref, domain in among]
            except NotFoundError:
                groups = None
            found = self.member_of(user, groups) if groups is not None else None
            if found is not None:
                return found
        found = self.groups_of(user)
        if found is not None:
            return found
        return self.list_user_groups(user)

    def prepare_memberships(self, groups=(), purging=0):
        if purging > 2:
            # offboarding: every group's members once, if cheaper than one listing per user
            self.prefetch_all_memberships(budget=purging)
        for group in groups:
            self.prefetch_group_members(group)

    def blind_spots(self, what):
        """What a domain-scoped token cannot see (verified on Keystone 30 with a domain admin's
        token): ``GET /v3/role_assignments`` answers only the assignments on its domain and that
        domain's projects - no system assignment, none on another domain or its projects, with
        no sign of the omission - and ``GET /v3/users/{id}/groups`` only the groups of its domain.
        A project- or system-scoped token (or a given token whose scope is not known) sees all.
        Asked after the listings it qualifies (the token is known by then)."""
        domain = getattr(self, '_token_domain', None)
        if not domain:
            return []
        name = domain.get('name') or domain.get('id')
        if what == 'assignments':
            return ['system role assignments',
                    'role assignments on domains other than %s and on their projects' % name]
        if what == 'memberships':
            return ['groups of domains other than %s' % name]
        return []  # 'members' (a group's users): not known to be cut by a domain-scoped token

    def assignment_visible(self, assignment):
        """Whether a domain-scoped token's listing shows ``assignment``: one on its domain or on
        a project of it (a HEAD asks about the others; for a system one Keystone answers 403)."""
        domain = getattr(self, '_token_domain', None)
        if not domain:
            return True
        if assignment.get('domain'):
            return assignment['domain'].get('id') == domain.get('id')
        if assignment.get('project'):
            return (assignment['project'].get('domain') or {}).get('id') == domain.get('id')
        return False

    # ---- role assignments ----------------------------------------------------------------------
    def predict_actor(self, kind, ref, domain=None):
        return {'id': None, 'name': ref, 'domain_id': self.resolve_domain(domain)['id']}

    def prepare_actors(self, actors):
        """Several users (groups) of one domain cost one listing of it."""
        for kind, prefetch in (('user', self.prefetch_users), ('group', self.prefetch_groups)):
            per_domain = {}
            for actor_kind, ref, domain in actors:
                if actor_kind != kind:
                    continue
                try:
                    domain_id = self.resolve_domain(domain)['id']
                except NotFoundError:
                    continue  # reported by the actor's own lookup
                per_domain.setdefault(domain_id, set()).add(ref)
            for domain_id, refs in sorted(per_domain.items()):
                if len(refs) > 1:
                    prefetch(domain_id)

    def check_assignment(self, item, where):
        if item.get('role') is not None and not any(item.get(scope) is not None for scope in SCOPES):
            raise ConfigError('%srole %s needs a scope: give one of project, domain and system'
                              % ('%s: ' % where if where else '', item['role']), self.name)

    def resolve_assignment(self, kind, actor, item):
        role = self.resolve_role(item['role'], item.get('role_domain'))
        if item.get('project') is not None:
            scope_kind, scope = 'project', self.resolve_project(item['project'], item.get('project_domain'))
        elif item.get('domain') is not None:
            scope_kind, scope = 'domain', self.resolve_domain(item['domain'])
        else:
            scope_kind, scope = 'system', None
        return self.make_assignment(kind, actor, role, scope_kind, scope, item.get('inherited'))

    def assignment_key(self, assignment):
        """Role, scope and inheritance."""
        for scope in SCOPES:
            value = assignment.get(scope)
            if value:
                return (assignment['role']['id'], scope, value if scope == 'system' else value['id'],
                        bool(assignment.get('inherited')))
        raise IdentityError('role assignment without a scope: %r' % (assignment,), self.name)

    def describe_assignment(self, assignment):
        """E.g. ``member on project demo (Default), inherited to projects``."""
        role = assignment['role']
        text = _name(role)
        if role.get('domain'):
            text += ' (role of domain %s)' % _name(role['domain'])
        if assignment.get('system'):
            where = 'system %s' % assignment['system']
        elif assignment.get('project'):
            project = assignment['project']
            where = 'project %s' % _name(project)
            if project.get('domain'):
                where += ' (%s)' % _name(project['domain'])
        else:
            where = 'domain %s' % _name(assignment['domain'])
        text = '%s on %s' % (text, where)
        if assignment.get('inherited'):
            text += ', inherited to projects'
        return text

    def actor_assignments(self, actors):
        """ONE ``GET /v3/role_assignments`` for two actors or more (else, or when that listing
        is truncated, one per actor)."""
        if len([actor for _kind, actor in actors if actor.get('id')]) > 1:
            self.prefetch_assignments()
        return [self.list_actor_assignments(kind, actor) for kind, actor in actors]

    def assignment_exists(self, assignment):
        return self.role_assignment_exists(assignment)

    def grant(self, assignment):
        return self.assign_role(assignment)

    def revoke(self, assignment):
        return self.unassign_role(assignment)

    def assignment_filters(self, params):
        resolve = (
            ('user', lambda: self.resolve_user(params['user'], params.get('user_domain'))),
            ('group', lambda: self.resolve_group(params['group'], params.get('group_domain'))),
            ('role', lambda: self.resolve_role(params['role'], params.get('role_domain'))),
            ('project', lambda: self.resolve_project(params['project'], params.get('project_domain'))),
            ('domain', lambda: self.resolve_domain(params['domain'])),
        )
        filters = dict((key, get() if params.get(key) else None) for key, get in resolve)
        filters['system'] = params.get('system')
        return filters
