# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keystone's directory: domains, projects, users, groups and memberships, with the run's caches."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._directory import MISS, CachedDirectory
from ansible_collections.iamops.identity.plugins.module_utils._handlers import missing_is_gone, or_none
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone._model import (
    _user, _user_body, _looks_like_id, _query_value)


# The filters of GET /v3/users (Keystone API reference, shared/seeds/003_*), and the inexact
# name filters Keystone accepts; name and domain_id are the module's own options.
USER_FILTERS = frozenset(('enabled', 'idp_id', 'protocol_id', 'unique_id', 'password_expires_at') + tuple(
    'name__' + op for op in ('contains', 'icontains', 'startswith', 'istartswith', 'endswith', 'iendswith')))


class KeystoneDirectory(CachedDirectory):
    """Mixin: domains, projects, users, groups and memberships of :class:`KeystoneProvider`.

    What the run read is in ``self.directory`` (:mod:`_directory`): ``'domains'``, and per domain
    id ``'users'``, ``'groups'`` and ``'roles'``.
    """

    # ---- domains and projects --------------------------------------------------------------
    def _cache_domain(self, domain):
        return self.directory('domains').put(domain)

    def _known_domain(self, domain_id):
        """The domain of ``domain_id`` if the run already knows it (never a request), else None."""
        return self.directory('domains').find(domain_id) if domain_id else None

    def resolve_domain(self, ref):
        """The domain whose name or id is ``ref`` (default ``Default``); cached per run."""
        ref = ref or 'Default'
        self.connect()  # the token's body seeds the cache with the caller's domains
        known = self.directory('domains').find(ref)
        if known is not None:
            return known
        domain = None
        if _looks_like_id(ref):  # one request, not a name search that finds nothing first
            domain = (or_none(self._get, self.client.path('/domains/{}', ref)) or {}).get('domain')
        if not domain:
            found = list(self._list('/domains', 'domains', {'name': ref}))
            domain = found[0] if found else None
        if not domain and not _looks_like_id(ref):
            domain = (or_none(self._get, self.client.path('/domains/{}', ref)) or {}).get('domain')
        if not domain:
            raise NotFoundError('domain %r not found (looked up by name and by id)' % ref, self.name)
        return self._cache_domain(domain)

    def resolve_project(self, ref, domain=None):
        """The project whose name (in ``domain``) or id is ``ref``; cached per run.

        When ``domain`` is given, a project found by ID must be of it (a name that is not in the
        named domain never means a project of another domain); without ``domain`` a name is looked
        up in ``Default`` and an ID may be of any domain.
        """
        given = domain is not None
        domain = self.resolve_domain(domain)
        key = (domain['id'], ref)
        if key not in self._projects:
            project = elsewhere = None
            if _looks_like_id(ref):
                project = (or_none(self._get, self.client.path('/projects/{}', ref)) or {}).get('project')
                if project and given and project.get('domain_id') != domain['id']:
                    project, elsewhere = None, project  # unless the domain has a project so named
            if not project:
                found = list(self._list('/projects', 'projects', {'name': ref, 'domain_id': domain['id']}))
                project = found[0] if found else None
            if not project and not _looks_like_id(ref):
                project = (or_none(self._get, self.client.path('/projects/{}', ref)) or {}).get('project')
                if given:
                    self._same_domain(project, 'project', ref, domain)
            if not project:
                self._same_domain(elsewhere, 'project', ref, domain)
                raise NotFoundError('project %r not found in domain %r (looked up by name and by id)'
                                    % (ref, domain['name']), self.name)
            self._projects[key] = project
        elif given:  # cached by a lookup that named no domain
            self._same_domain(self._projects[key], 'project', ref, domain)
        return self._projects[key]

    # ---- users ------------------------------------------------------------------------------
    def prefetch_users(self, domain=None):
        """List every user of ``domain`` once (a batch's one listing); later lookups are free."""
        domain = self.resolve_domain(domain)
        users = self.directory('users', domain['id'])
        if not users.complete:
            try:
                found, complete = self._collect('/users', 'users', {'domain_id': domain['id']})
            except APIError as exc:
                raise self._explain_domain_error(exc, domain)
            # a truncated listing is not complete: the users beyond it must not look absent
            users.fill([_user(raw) for raw in found], complete)

    def _index_user(self, user, drop=False):
        users = self.directory('users', user.get('domain_id'))
        if drop:
            users.drop(user)
        else:
            users.put(user)
        return user

    def find_user(self, name, domain=None, cached=True):
        """The user called ``name`` in ``domain``, or None.

        After :meth:`prefetch_users` a name costs no request - unless the listing holds only a
        name that differs in case: whether that is the same user depends on the backend (MySQL
        and LDAP compare names case-insensitively, SQLite does not), so the server is asked.
        """
        domain = self.resolve_domain(domain)
        if cached:
            found = _listed(self.directory('users', domain['id']), name)
            if found is not MISS:
                return found
        try:
            found = list(self._list('/users', 'users', {'name': name, 'domain_id': domain['id']}))
        except APIError as exc:
            raise self._explain_domain_error(exc, domain)
        return _user(found[0]) if found else None

    def list_users(self, name=None, domain=None, filters=None):
        """Users by name-or-id, domain and filters; without ``domain``, of every domain. Each in
        the common model with Keystone's user object under ``raw`` (info modules).

        Keystone with domain-specific drivers lists only one domain's users per request (the
        token's when none is named), so "every domain" is one listing per domain. A domain whose
        backend fails (an unreachable LDAP server answers 500) is reported and skipped.
        """
        unknown = sorted(set(filters or {}) - USER_FILTERS)
        if unknown:  # Keystone ignores an unknown filter and returns every user
            raise ConfigError('filters: %s %s not a filter of Keystone\'s user list (known: %s)' % (
                ', '.join(unknown), 'is' if len(unknown) == 1 else 'are', ', '.join(sorted(USER_FILTERS))), self.name)
        params = dict((k, _query_value(v)) for k, v in (filters or {}).items())
        if name:
            params['name'] = name
        domains = [self.resolve_domain(domain)] if domain else self.list_domains()
        matched = False
        for dom in domains:
            try:
                for raw in self._list('/users', 'users', dict(params, domain_id=dom['id'])):
                    matched = True
                    yield _with_raw(_user(raw), raw)
            except APIError as exc:
                if domain or exc.status is None or exc.status < 500:
                    raise self._explain_domain_error(exc, dom)
                self.warn('users of domain %r were skipped: %s' % (dom['name'], self._explain_domain_error(exc, dom)))
        if name and not matched:
            raw = or_none(self._get, self.client.path('/users/{}', name))
            user = raw and raw.get('user')
            if user and (not domain or user.get('domain_id') == domains[0]['id']):
                yield _with_raw(_user(user), user)

    def list_domains(self):
        """Every domain (cached for the run)."""
        domains = self.directory('domains')
        if not domains.listed:
            domains.fill(self._list('/domains', 'domains'), complete=True)
        return domains.values()

    def _explain_domain_error(self, exc, domain):
        """Say why a domain's users cannot be read when its identity backend fails."""
        if exc.status in (502, 503, 504):  # a gateway or proxy, not Keystone's identity backend
            exc.message += (' (a gateway or proxy in front of Keystone answered %s: Keystone itself '
                            'may be down or overloaded)' % exc.status)
        elif exc.status is not None and exc.status >= 500:
            hint = self._domain_backend_hint(domain)  # reads the domain's config (domain config section)
            exc.message += (' (Keystone could not read the users of domain %r: %s)' % (
                domain['name'], hint or 'its identity backend failed - for a domain configured with '
                'driver ldap, check that the LDAP server in its config is reachable'))
        return exc

    def create_user(self, fields, domain=None):
        body = _user_body(fields)
        body['user']['domain_id'] = self.resolve_domain(domain)['id']
        return self._index_user(_user(self._send('POST', '/users', json=body, ok=(201,))['user']))

    def update_user(self, user, fields):
        updated = _user(self._send('PATCH', self.client.path('/users/{}', user['id']), json=_user_body(fields))['user'])
        return self.directory('users', updated.get('domain_id')).rename(updated, user.get('name'))  # a rename too

    def delete_user(self, user):
        with missing_is_gone():  # already gone: the desired state holds
            self._send('DELETE', self.client.path('/users/{}', user['id']), ok=(204,))
        self._index_user(user, drop=True)

    # ---- groups and membership (identity_group, identity_user groups) ------------------------
    # Contract (openstacksdk identity.v3 proxy: groups, add_user_to_group, remove_user_from_group,
    # group_users): GET/POST /v3/groups, GET/PATCH/DELETE /v3/groups/{id}, GET /v3/groups/{id}/users,
    # PUT/DELETE /v3/groups/{g}/users/{u}, GET /v3/users/{id}/groups.

    @staticmethod
    def _as_group(raw):
        """A Keystone group in the common model (Keystone answers an unset description as '')."""
        group = dict((k, raw.get(k)) for k in ('id', 'name', 'domain_id'))
        group['description'] = raw.get('description') or None
        return group

    @staticmethod
    def _match(known, ref, domain_id):
        """The object of ``known`` whose name (in ``domain_id``) or else id is ``ref``, or None."""
        for obj in known or ():
            if obj.get('name') == ref and obj.get('domain_id') == domain_id:
                return obj
        for obj in known or ():
            if obj.get('id') == ref and obj.get('domain_id') == domain_id:
                return obj
        return None

    def _same_domain(self, obj, kind, ref, domain):
        """An object found by ID must be of the domain the task named: a name that is not in that
        domain never silently means an object of another domain."""
        if obj and obj.get('domain_id') != domain['id']:
            owner = self._known_domain(obj.get('domain_id'))
            raise NotFoundError('%s %r not found in domain %r (the %s with ID %s is in domain %s; name '
                                'that domain to use it)' % (kind, ref, domain['name'], kind, ref,
                                                            owner['name'] if owner else obj.get('domain_id')), self.name)

    def prefetch_groups(self, domain=None):
        """List every group of ``domain`` once, so later ``find_group`` calls cost nothing."""
        domain = self.resolve_domain(domain)
        groups = self.directory('groups', domain['id'])
        if not groups.complete:
            found, complete = self._collect('/groups', 'groups', {'domain_id': domain['id']})
            # a truncated listing is not complete: the groups beyond it must not look absent
            listed = groups.fill([self._as_group(raw) for raw in found], complete)
            if not complete:
                return listed
        return groups.values()

    def find_group(self, name, domain=None, cached=True):
        """The group called ``name`` in ``domain``, or None (one request, or none after a prefetch
        unless only a name differing in case is listed: see :meth:`find_user`)."""
        domain = self.resolve_domain(domain)
        if cached:
            known = _listed(self.directory('groups', domain['id']), name)
            if known is not MISS:
                return known
        found = list(self._list('/groups', 'groups', {'name': name, 'domain_id': domain['id']}))
        return self._as_group(found[0]) if found else None

    def list_groups(self, name=None, domain=None):
        """Groups by name-or-id and domain; without ``domain``, of every domain. Each in the
        common model with Keystone's group object under ``raw`` (info modules).

        Like users, Keystone with domain-specific drivers lists one domain's groups per request,
        so "every domain" is one listing per domain; a domain whose backend fails (500) is
        reported and skipped.
        """
        params = {'name': name} if name else {}
        domains = [self.resolve_domain(domain)] if domain else self.list_domains()
        matched = False
        for dom in domains:
            try:
                for raw in self._list('/groups', 'groups', dict(params, domain_id=dom['id'])):
                    matched = True
                    yield _with_raw(self._as_group(raw), raw)
            except APIError as exc:
                if domain or exc.status is None or exc.status < 500:
                    raise
                self.warn('groups of domain %r were skipped: %s' % (dom['name'], exc))
        if name and not matched:
            raw = or_none(self._get, self.client.path('/groups/{}', name))
            group = raw and raw.get('group')
            if group and (not domain or group.get('domain_id') == domains[0]['id']):
                yield _with_raw(self._as_group(group), group)

    def resolve_group(self, ref, domain=None, known=()):
        """The group whose name (in ``domain``) or id is ``ref``; cached per run.

        ``known`` is a listing already read (a user's groups): a group found there costs no
        request. Raises :class:`NotFoundError` when there is no such group.
        """
        return self._resolve('group', ref, domain, known, self.find_group, self._as_group)

    def resolve_user(self, ref, domain=None, known=()):
        """The user whose name (in ``domain``) or id is ``ref``; cached per run.

        ``known`` is a listing already read (a group's members): a user found there costs no
        request. Raises :class:`NotFoundError` when there is no such user.
        """
        return self._resolve('user', ref, domain, known, self.find_user, _user)

    def _resolve(self, kind, ref, domain, known, find, common):
        """The ``kind`` ('user', 'group') whose name or id is ``ref``: what the run read, else
        ``known``, else a search by name, else a read by id (which must be of ``domain``)."""
        domain = self.resolve_domain(domain)
        held = self.directory(kind + 's', domain['id'])
        obj = held.find(ref) or self._match(known, ref, domain['id'])
        if obj is None:
            obj = find(ref, domain['id'])
        if obj is None:
            raw = or_none(self._get, self.client.path('/%ss/{}' % kind, ref))
            obj = raw and raw.get(kind) and common(raw[kind])
            self._same_domain(obj, kind, ref, domain)
        if not obj:
            raise NotFoundError('%s %r not found in domain %r (looked up by name and by id)'
                                % (kind, ref, domain['name']), self.name)
        return held.put(obj)

    def create_group(self, fields, domain=None):
        domain = self.resolve_domain(domain)
        body = dict(fields, domain_id=domain['id'])
        group = self._as_group(self._send('POST', '/groups', json={'group': body}, ok=(201,))['group'])
        return self.directory('groups', domain['id']).put(group)

    def update_group(self, group, fields):
        updated = self._as_group(self._send('PATCH', self.client.path('/groups/{}', group['id']), json={'group': fields})['group'])
        return self.directory('groups', updated.get('domain_id')).rename(updated, group.get('name'))

    def delete_group(self, group):
        with missing_is_gone():  # already gone: the desired state holds
            self._send('DELETE', self.client.path('/groups/{}', group['id']), ok=(204,))
        self.directory('groups', group.get('domain_id')).drop(group)

    _partial = None  # ('group', id) / ('user', id): member or group listings that came back incomplete

    def _read_memberships(self, kind, obj, path, key):
        """A member (group) listing; one that came back incomplete is remembered, see
        :meth:`memberships_complete`. Keystone's group member and user group listings ignore
        ``marker``: past ``list_limit`` they repeat their first page."""
        found, complete = self._collect(path, key, warn=True)
        if self._partial is None:
            self._partial = set()
        if complete:
            self._partial.discard((kind, obj['id']))
        else:
            self._partial.add((kind, obj['id']))
        return found, complete

    def list_group_users(self, group):
        """The members of ``group`` (one listing), with Keystone's user objects under ``raw``."""
        found, _complete = self._read_memberships('group', group, self.client.path('/groups/{}/users', group['id']), 'users')
        return [_with_raw(_user(raw), raw) for raw in found]

    def list_user_groups(self, user):
        """The groups ``user`` belongs to (one listing)."""
        found, _complete = self._read_memberships('user', user, self.client.path('/users/{}/groups', user['id']), 'groups')
        return [self._as_group(raw) for raw in found]

    def memberships_complete(self, kind, obj):
        """False when the last member listing of group ``obj`` (``kind`` 'group') or group
        listing of user ``obj`` ('user') came back incomplete."""
        return (kind, obj['id']) not in (self._partial or ())

    def has_member(self, group, user):
        """Whether ``user`` is in ``group``: one ``HEAD /v3/groups/{g}/users/{u}``."""
        self.connect()
        with missing_is_gone() as missing:
            self.client.request('HEAD', self.client.path('/groups/{}/users/{}', group['id'], user['id']), ok=(200, 204))
        return not missing.gone

    def prefetch_group_members(self, group):
        """Read ``group``'s members once, so :meth:`member_of` answers without a request (not
        after an incomplete listing: then each user's groups are read)."""
        if group['id'] not in self._members:
            found, complete = self._read_memberships('group', group, self.client.path('/groups/{}/users', group['id']), 'users')
            if complete:
                self._members[group['id']] = set(u['id'] for u in found)

    def members_prefetched(self):
        return bool(self._members)

    def prefetch_all_memberships(self, budget):
        """Index every membership of every group of every domain, if that takes under ``budget``
        requests (one listing of the domains, one of each domain's groups, one of each group's
        members), so :meth:`groups_of` answers any user's groups, across domains, for free.

        Returns False, and the callers list each user's groups, when there are too many groups
        for the budget, a listing was truncated, or a domain's backend failed.
        """
        try:
            domains = self.list_domains()
            if len(domains) + 1 >= budget:
                return False
            groups = []
            for domain in domains:
                listed = self.directory('groups', domain['id'])
                if not listed.complete:
                    found, complete = self._collect('/groups', 'groups', {'domain_id': domain['id']})
                    listed.fill(map(self._as_group, found), complete)
                    if not complete:
                        return False
                groups.extend(listed.values())
            if len(domains) + 1 + len(groups) >= budget:
                return False
            for group in groups:
                if group['id'] not in self._members:
                    found, complete = self._collect(self.client.path('/groups/{}/users', group['id']), 'users')
                    if not complete:
                        return False
                    self._members[group['id']] = set(u['id'] for u in found)
        except APIError as exc:
            if exc.status is None or exc.status < 500:
                raise
            return False
        self._all_groups = groups
        return True

    def groups_of(self, user):
        """Every group of ``user`` after :meth:`prefetch_all_memberships`, else None."""
        if self._all_groups is None:
            return None
        return [g for g in self._all_groups if user['id'] in self._members.get(g['id'], ())]

    def member_of(self, user, groups):
        """The ``groups`` that ``user`` is in, or None unless every group's members were prefetched."""
        if any(g['id'] not in self._members for g in groups):
            return None
        return [g for g in groups if user['id'] in self._members[g['id']]]

    def add_group_user(self, group, user):
        self._send('PUT', self.client.path('/groups/{}/users/{}', group['id'], user['id']), ok=(204, 200))
        self._members.get(group['id'], set()).add(user['id'])

    def remove_group_user(self, group, user):
        with missing_is_gone():  # not a member any more: the desired state holds
            self._send('DELETE', self.client.path('/groups/{}/users/{}', group['id'], user['id']), ok=(204,))
        self._members.get(group['id'], set()).discard(user['id'])


def _with_raw(obj, raw):
    """A common-model object with the provider's own object beside it (info modules)."""
    obj['raw'] = raw
    return obj


def _listed(listing, name):
    """What a :class:`_directory.Directory` says of ``name``: the object, None (absent from its
    complete listing), or MISS (ask the server) - also when it lists only a name that differs in
    case: whether that is the same object depends on the backend (MySQL and LDAP compare names
    case-insensitively, SQLite does not)."""
    found = listing.by_name(name)
    if found is None and listing.names_like(name):
        return MISS
    return found
