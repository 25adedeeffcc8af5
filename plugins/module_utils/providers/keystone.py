# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""OpenStack Keystone v3 provider.

Contract: the openstacksdk ``identity.v3`` proxy reference and the Keystone API reference for users
(``shared/seeds/000_*`` and ``003_*``): ``GET/POST /v3/users``, ``GET/PATCH/DELETE /v3/users/{id}``.

Request economy: one token per run (its body also tells us the caller's user and project domains,
which seed the domain cache, so ``domain: Default`` usually costs nothing); every name (domain,
project) is resolved once per run and cached.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.iamops.identity.plugins.module_utils._client import HTTPClient
from ansible_collections.iamops.identity.plugins.module_utils._errors import (
    APIError, ConfigError, NotFoundError)
from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider
from ansible_collections.iamops.identity.plugins.module_utils.providers import _keystone_auth

_HEX_ID = re.compile(r'^[0-9a-f]{32}$')
PAGE_SIZE = 1000  # Keystone's default max_db_limit: one page per 1000 objects

# Attributes of a Keystone user that are not "extra" (everything else Keystone returns at the
# top level of a user is an extra attribute it stores as given).
USER_CORE = ('id', 'name', 'domain_id', 'enabled', 'email', 'description', 'default_project_id',
             'password_expires_at', 'options', 'federated')
USER_HIDDEN = ('links', 'password')


def _user(raw):
    """A Keystone user in the common model: core attributes plus ``extra``."""
    user = dict((k, raw.get(k)) for k in USER_CORE if k in raw)
    user.setdefault('email', None)
    user.setdefault('description', None)
    user.setdefault('default_project_id', None)
    user['extra'] = dict((k, v) for k, v in raw.items() if k not in USER_CORE and k not in USER_HIDDEN)
    return user


def _user_body(fields):
    """Common-model user fields -> the ``user`` object Keystone takes."""
    body = dict((k, v) for k, v in fields.items() if k != 'extra')
    body.update(fields.get('extra') or {})
    return {'user': body}


def _paged(path, params):
    """Listing parameters asking for pages (``limit``), unless the listing is a name lookup.

    Keystone 2025.2+ caps a listing at ``[DEFAULT] max_db_limit`` (1000) rows and, when no
    ``limit`` was asked for, says nothing about the rest. With ``limit`` it marks a full page
    ``truncated`` and links the next one, which the client follows. Older Keystones ignore
    ``limit`` (not one of their filters), and so does every Keystone for role assignments,
    which it always returns whole.
    """
    params = dict(params or {})
    if 'name' not in params and path != '/role_assignments':
        params.setdefault('limit', PAGE_SIZE)
    return params


def _page_items(key, truncated):
    """The items of a Keystone listing page; notes in ``truncated`` a listing cut short.

    A page marked ``truncated`` that links a next page is only a page; one without a next link
    was cut at ``list_limit`` and the rest cannot be read.
    """
    def items(body):
        if body and body.get('truncated') and not (body.get('links') or {}).get('next'):
            truncated.append(True)
        return (body or {}).get(key) or []
    return items


def _next_link(body, response, params):
    nxt = ((body or {}).get('links') or {}).get('next')
    return (nxt, None) if nxt else None


class KeystoneProvider(Provider):
    name = 'keystone'

    def __init__(self, params, warn=None, no_log_values=None, environ=None):
        super(KeystoneProvider, self).__init__(params, warn, no_log_values)
        self.settings = _keystone_auth.resolve_settings(params, environ)
        self.method = _keystone_auth.auth_method(self.settings)
        for secret in self.method.secrets():
            self.add_secret(secret)
        self.auth_url = _keystone_auth.identity_url(self.settings['auth'].get('auth_url'))
        self.client = HTTPClient(
            self.auth_url, self.name, timeout=params.get('timeout') or 30.0,
            validate_certs=self.settings['validate_certs'], ca_path=self.settings.get('ca_path'),
            headers={'Content-Type': 'application/json'})
        for secret in self._no_log_values:
            self.client.add_secret(secret)
        self._token = None
        self._domains = {}   # name or id -> domain dict
        self._all_domains = None
        self._user_index = {}  # domain_id -> {name: user}, filled by prefetch_users
        self._members = {}     # group_id -> set of user ids, filled by prefetch_group_members
        self._all_groups = None  # every group of every domain, after prefetch_all_memberships
        self._projects = {}  # (domain_id, name or id) -> project dict

    # ---- session -----------------------------------------------------------------------------
    def connect(self):
        """Get the run's one token and pick the identity endpoint (catalog, else auth_url)."""
        if self._token is not None:
            return
        if isinstance(self.method, _keystone_auth.TokenAuth) and self.method.scope() is None:
            self._token = self.settings['auth']['token']
        else:
            response = self.client.request('POST', '/auth/tokens', json=self.method.body(),
                                           ok=(201, 200))
            token = (self.client.decode(response) or {}).get('token') or {}
            self._token = response.headers.get('X-Subject-Token')
            if not self._token:
                raise ConfigError('POST /v3/auth/tokens answered without X-Subject-Token', self.name)
            self._learn_token(token)
        self.add_secret(self._token)
        self.client.session.headers['X-Auth-Token'] = self._token

    def _learn_token(self, token):
        for holder in (token.get('user'), token.get('project')):
            domain = (holder or {}).get('domain')
            if domain and domain.get('id') and domain.get('name'):
                self._cache_domain(domain)
        endpoint = self._catalog_endpoint(token.get('catalog') or [])
        if endpoint:
            self.client.base_url = endpoint.rstrip('/')

    def _catalog_endpoint(self, catalog):
        interface = self.settings.get('interface') or 'public'
        region = self.settings.get('region_name')
        for service in catalog:
            if service.get('type') != 'identity':
                continue
            for endpoint in service.get('endpoints') or []:
                if endpoint.get('interface') != interface:
                    continue
                if region and endpoint.get('region_id', endpoint.get('region')) != region:
                    continue
                url = endpoint.get('url', '').rstrip('/')
                return url if url.endswith('/v3') else url + '/v3'
        return None

    def _get(self, path, params=None, missing_ok=False):
        self.connect()
        return self.client.get(path, params=params, missing_ok=missing_ok)

    def _send(self, method, path, json=None, ok=None):
        self.connect()
        return self.client.json(method, path, json=json, ok=ok)

    def _list(self, path, key, params=None):
        """Stream the items of a listing (every page); warn if Keystone truncated it."""
        self.connect()
        truncated = []
        yield from self.client.paginate(path, _paged(path, params), _page_items(key, truncated), _next_link)
        if truncated:
            self.warn('Keystone truncated the list of %s at its [DEFAULT] list_limit; narrow the '
                      'query with filters' % key)

    def _collect(self, path, key, params=None):
        """``(items, complete)`` of a whole listing; ``complete`` is False when Keystone truncated
        it (list_limit): a prefetch must then not stand for the whole set."""
        self.connect()
        truncated = []
        found = list(self.client.paginate(path, _paged(path, params), _page_items(key, truncated), _next_link))
        return found, not truncated

    # ---- domains and projects --------------------------------------------------------------
    def _cache_domain(self, domain):
        self._domains[domain['id']] = domain
        self._domains[domain['name']] = domain
        return domain

    def resolve_domain(self, ref):
        """The domain whose name or id is ``ref`` (default ``Default``); cached per run."""
        ref = ref or 'Default'
        self.connect()  # the token's body seeds the cache with the caller's domains
        if ref in self._domains:
            return self._domains[ref]
        domain = None
        if _looks_like_id(ref):  # one request, not a name search that finds nothing first
            domain = (self._get('/domains/%s' % ref, missing_ok=True) or {}).get('domain')
        if not domain:
            found = list(self._list('/domains', 'domains', {'name': ref}))
            domain = found[0] if found else None
        if not domain and not _looks_like_id(ref):
            domain = (self._get('/domains/%s' % ref, missing_ok=True) or {}).get('domain')
        if not domain:
            raise NotFoundError('domain %r not found (looked up by name and by id)' % ref, self.name)
        return self._cache_domain(domain)

    def resolve_project(self, ref, domain=None):
        """The project whose name (in ``domain``) or id is ``ref``; cached per run."""
        domain = self.resolve_domain(domain)
        key = (domain['id'], ref)
        if key not in self._projects:
            project = None
            if _looks_like_id(ref):
                project = (self._get('/projects/%s' % ref, missing_ok=True) or {}).get('project')
            if not project:
                found = list(self._list('/projects', 'projects', {'name': ref, 'domain_id': domain['id']}))
                project = found[0] if found else None
            if not project and not _looks_like_id(ref):
                project = (self._get('/projects/%s' % ref, missing_ok=True) or {}).get('project')
            if not project:
                raise NotFoundError('project %r not found in domain %r (looked up by name and by id)'
                                    % (ref, domain['name']), self.name)
            self._projects[key] = project
        return self._projects[key]

    # ---- users ------------------------------------------------------------------------------
    def prefetch_users(self, domain=None):
        """List every user of ``domain`` once (a batch's one listing); later lookups are free."""
        domain = self.resolve_domain(domain)
        if domain['id'] not in self._user_index:
            try:
                found, complete = self._collect('/users', 'users', {'domain_id': domain['id']})
            except APIError as exc:
                raise self._explain_domain_error(exc, domain)
            if complete:  # a truncated listing would make the users beyond it look absent
                self._user_index[domain['id']] = dict((raw['name'], _user(raw)) for raw in found)

    def _index_user(self, user, drop=False):
        index = self._user_index.get(user.get('domain_id'))
        if index is not None:
            if drop:
                index.pop(user['name'], None)
            else:
                index[user['name']] = user
        return user

    def find_user(self, name, domain=None):
        domain = self.resolve_domain(domain)
        if domain['id'] in self._user_index:
            return self._user_index[domain['id']].get(name)
        try:
            found = list(self._list('/users', 'users', {'name': name, 'domain_id': domain['id']}))
        except APIError as exc:
            raise self._explain_domain_error(exc, domain)
        return _user(found[0]) if found else None

    def list_users(self, name=None, domain=None, filters=None):
        """Users by name-or-id, domain and filters; without ``domain``, of every domain.

        Keystone with domain-specific drivers lists only one domain's users per request (the
        token's when none is named), so "every domain" is one listing per domain. A domain whose
        backend fails (an unreachable LDAP server answers 500) is reported and skipped.
        """
        params = dict((k, _query_value(v)) for k, v in (filters or {}).items())
        if name:
            params['name'] = name
        domains = [self.resolve_domain(domain)] if domain else self.list_domains()
        matched = False
        for dom in domains:
            try:
                for raw in self._list('/users', 'users', dict(params, domain_id=dom['id'])):
                    matched = True
                    yield _user(raw)
            except APIError as exc:
                if domain or exc.status is None or exc.status < 500:
                    raise self._explain_domain_error(exc, dom)
                self.warn('users of domain %r were skipped: %s' % (dom['name'], self._explain_domain_error(exc, dom)))
        if name and not matched:
            raw = self._get('/users/%s' % name, missing_ok=True)
            user = raw and raw.get('user')
            if user and (not domain or user.get('domain_id') == domains[0]['id']):
                yield _user(user)

    def list_domains(self):
        """Every domain (cached for the run)."""
        if self._all_domains is None:
            self._all_domains = [self._cache_domain(d) for d in self._list('/domains', 'domains')]
        return self._all_domains

    def _explain_domain_error(self, exc, domain):
        """Say why a domain's users cannot be read when its identity backend fails."""
        if exc.status is not None and exc.status >= 500:
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
        return self._index_user(_user(self._send('PATCH', '/users/%s' % user['id'], json=_user_body(fields))['user']))

    def delete_user(self, user):
        try:
            self._send('DELETE', '/users/%s' % user['id'], ok=(204,))
        except APIError as exc:
            if exc.status != 404:  # already gone: the desired state holds
                raise
        self._index_user(user, drop=True)

    # ---- groups and membership (identity_group, identity_user groups) ------------------------
    # Contract (openstacksdk identity.v3 proxy: groups, add_user_to_group, remove_user_from_group,
    # group_users): GET/POST /v3/groups, GET/PATCH/DELETE /v3/groups/{id}, GET /v3/groups/{id}/users,
    # PUT/DELETE /v3/groups/{g}/users/{u}, GET /v3/users/{id}/groups.

    # per-run caches of this section, created on first use by _group_state()
    _groups = None         # (domain_id, name or id) -> group
    _users = None          # (domain_id, name or id) -> user
    _domain_groups = None  # domain_id -> {name: group}, filled by prefetch_groups

    def _group_state(self):
        if self._groups is None:
            self._groups, self._users, self._domain_groups = {}, {}, {}

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
            if obj.get('id') == ref:
                return obj
        return None

    def prefetch_groups(self, domain=None):
        """List every group of ``domain`` once, so later ``find_group`` calls cost nothing."""
        self._group_state()
        domain = self.resolve_domain(domain)
        if domain['id'] not in self._domain_groups:
            found, complete = self._collect('/groups', 'groups', {'domain_id': domain['id']})
            if not complete:  # a truncated listing would make the groups beyond it look absent
                return [self._as_group(raw) for raw in found]
            self._domain_groups[domain['id']] = dict(
                (g['name'], g) for g in (self._as_group(raw) for raw in found))
        return list(self._domain_groups[domain['id']].values())

    def find_group(self, name, domain=None, cached=True):
        """The group called ``name`` in ``domain``, or None (one request, or none after a prefetch)."""
        self._group_state()
        domain = self.resolve_domain(domain)
        listed = self._domain_groups.get(domain['id'])
        if listed is not None and cached:
            return listed.get(name)
        found = list(self._list('/groups', 'groups', {'name': name, 'domain_id': domain['id']}))
        return self._as_group(found[0]) if found else None

    def list_groups(self, name=None, domain=None):
        """Groups by name-or-id and domain; without ``domain``, of every domain.

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
                    yield self._as_group(raw)
            except APIError as exc:
                if domain or exc.status is None or exc.status < 500:
                    raise
                self.warn('groups of domain %r were skipped: %s' % (dom['name'], exc))
        if name and not matched:
            raw = self._get('/groups/%s' % name, missing_ok=True)
            group = raw and raw.get('group')
            if group and (not domain or group.get('domain_id') == domains[0]['id']):
                yield self._as_group(group)

    def resolve_group(self, ref, domain=None, known=()):
        """The group whose name (in ``domain``) or id is ``ref``; cached per run.

        ``known`` is a listing already read (a user's groups): a group found there costs no
        request. Raises :class:`NotFoundError` when there is no such group.
        """
        self._group_state()
        domain = self.resolve_domain(domain)
        key = (domain['id'], ref)
        if key not in self._groups:
            group = self._match(known, ref, domain['id'])
            if group is None:
                group = self.find_group(ref, domain['id'])
            if group is None:
                raw = self._get('/groups/%s' % ref, missing_ok=True)
                group = raw and raw.get('group') and self._as_group(raw['group'])
            if not group:
                raise NotFoundError('group %r not found in domain %r (looked up by name and by id)'
                                    % (ref, domain['name']), self.name)
            self._groups[key] = group
        return self._groups[key]

    def resolve_user(self, ref, domain=None, known=()):
        """The user whose name (in ``domain``) or id is ``ref``; cached per run.

        ``known`` is a listing already read (a group's members): a user found there costs no
        request. Raises :class:`NotFoundError` when there is no such user.
        """
        self._group_state()
        domain = self.resolve_domain(domain)
        key = (domain['id'], ref)
        if key not in self._users:
            user = self._match(known, ref, domain['id'])
            if user is None:
                user = self.find_user(ref, domain['id'])
            if user is None:
                raw = self._get('/users/%s' % ref, missing_ok=True)
                user = raw and raw.get('user') and _user(raw['user'])
            if not user:
                raise NotFoundError('user %r not found in domain %r (looked up by name and by id)'
                                    % (ref, domain['name']), self.name)
            self._users[key] = user
        return self._users[key]

    def create_group(self, fields, domain=None):
        self._group_state()
        domain = self.resolve_domain(domain)
        body = dict(fields, domain_id=domain['id'])
        group = self._as_group(self._send('POST', '/groups', json={'group': body}, ok=(201,))['group'])
        if domain['id'] in self._domain_groups:
            self._domain_groups[domain['id']][group['name']] = group
        return group

    def update_group(self, group, fields):
        return self._as_group(self._send('PATCH', '/groups/%s' % group['id'], json={'group': fields})['group'])

    def delete_group(self, group):
        self._group_state()
        try:
            self._send('DELETE', '/groups/%s' % group['id'], ok=(204,))
        except APIError as exc:
            if exc.status != 404:  # already gone: the desired state holds
                raise
        listed = self._domain_groups.get(group.get('domain_id'))
        if listed is not None:
            listed.pop(group['name'], None)

    def list_group_users(self, group):
        """The members of ``group`` (one listing)."""
        return [_user(raw) for raw in self._list('/groups/%s/users' % group['id'], 'users')]

    def list_user_groups(self, user):
        """The groups ``user`` belongs to (one listing)."""
        return [self._as_group(raw) for raw in self._list('/users/%s/groups' % user['id'], 'groups')]

    def prefetch_group_members(self, group):
        """Read ``group``'s members once, so :meth:`member_of` answers without a request."""
        if group['id'] not in self._members:
            self._members[group['id']] = set(u['id'] for u in self.list_group_users(group))

    def members_prefetched(self):
        return bool(self._members)

    def prefetch_all_memberships(self, budget):
        """Index every membership of every group of every domain, if that takes under ``budget``
        requests (one listing of the domains, one of each domain's groups, one of each group's
        members), so :meth:`groups_of` answers any user's groups, across domains, for free.

        Returns False, and the callers list each user's groups, when there are too many groups
        for the budget, a listing was truncated, or a domain's backend failed.
        """
        self._group_state()
        try:
            domains = self.list_domains()
            if len(domains) + 1 >= budget:
                return False
            groups = []
            for domain in domains:
                if domain['id'] not in self._domain_groups:
                    found, complete = self._collect('/groups', 'groups', {'domain_id': domain['id']})
                    if not complete:
                        return False
                    self._domain_groups[domain['id']] = dict((g['name'], g) for g in map(self._as_group, found))
                groups.extend(self._domain_groups[domain['id']].values())
            if len(domains) + 1 + len(groups) >= budget:
                return False
            for group in groups:
                if group['id'] not in self._members:
                    found, complete = self._collect('/groups/%s/users' % group['id'], 'users')
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
        self._send('PUT', '/groups/%s/users/%s' % (group['id'], user['id']), ok=(204, 200))
        self._members.get(group['id'], set()).add(user['id'])

    def remove_group_user(self, group, user):
        try:
            self._send('DELETE', '/groups/%s/users/%s' % (group['id'], user['id']), ok=(204,))
        except APIError as exc:
            if exc.status != 404:  # not a member any more: the desired state holds
                raise
        self._members.get(group['id'], set()).discard(user['id'])

    # ---- roles and role assignments (identity_role_assignment) -------------------------------
    # Contract (openstacksdk identity.v3 proxy: roles, find_role, role_assignments,
    # {assign,unassign}_{project,domain,system}_role_{to,from}_{user,group} and
    # validate_{user,group}_has_{project,domain,system}_role; Keystone OS-INHERIT for the inherited
    # ones): GET /v3/roles (the global roles; ?domain_id= for one domain's roles), GET /v3/roles/{id},
    # GET /v3/role_assignments, PUT|HEAD|DELETE /v3/{projects/{p}|domains/{d}|system}/
    # {users|groups}/{a}/roles/{r} and PUT|HEAD|DELETE /v3/OS-INHERIT/{domains/{d}|projects/{p}}/
    # {users|groups}/{a}/roles/{r}/inherited_to_projects.
    #
    # An assignment in the common model: {role, user | group, project | domain | system, inherited}
    # with role {id, name, domain} (domain null for a global role), user/group/project
    # {id, name, domain}, domain {id, name} (each domain a {id, name} pair), system 'all'.

    _roles = None  # domain id (None: the global roles) -> that domain's roles, one listing each

    @staticmethod
    def _path_ref(ref):
        from urllib.parse import quote
        return quote(str(ref), safe='')

    def _domain_ref(self, domain_id):
        """``{id, name}`` of a domain from what this run already knows (never a request)."""
        if not domain_id:
            return None
        known = self._domains.get(domain_id)
        return {'id': domain_id, 'name': known['name'] if known else None}

    def _role_listing(self, domain_id):
        if self._roles is None:
            self._roles = {}
        if domain_id not in self._roles:
            params = {'domain_id': domain_id} if domain_id else None
            self._roles[domain_id] = [dict((k, raw.get(k)) for k in ('id', 'name', 'domain_id'))
                                      for raw in self._list('/roles', 'roles', params)]
        return self._roles[domain_id]

    def resolve_role(self, ref, domain=None):
        """The role whose name or id is ``ref``: global, or of ``domain`` (name or id) when given.

        One ``GET /v3/roles`` per run serves every global role (and one ``?domain_id=`` listing
        per domain its domain-specific roles); a global lookup that misses tries ``ref`` as the id
        of a domain-specific role.
        """
        domain_id = self.resolve_domain(domain)['id'] if domain else None
        listed = self._role_listing(domain_id)
        role = self._match_ref(listed, ref)
        if role is None and domain_id is None:
            raw = self._get('/roles/%s' % self._path_ref(ref), missing_ok=True)
            if raw and raw.get('role'):
                role = dict((k, raw['role'].get(k)) for k in ('id', 'name', 'domain_id'))
                listed.append(role)
        if role is None:
            if domain_id is None:
                raise NotFoundError('role %r not found among the global roles (looked up by name and '
                                    'by id; a domain-specific role needs its role_domain)' % ref, self.name)
            raise NotFoundError('role %r not found in domain %r (looked up by name and by id)'
                                % (ref, self.resolve_domain(domain)['name']), self.name)
        return role

    @staticmethod
    def _match_ref(known, ref):
        for key in ('name', 'id'):
            for obj in known:
                if obj.get(key) == ref:
                    return obj
        return None

    def make_assignment(self, kind, actor, role, scope_kind, scope, inherited=False):
        """A common-model assignment from resolved objects (names from what the run knows)."""
        assignment = {
            'role': {'id': role['id'], 'name': role.get('name'), 'domain': self._domain_ref(role.get('domain_id'))},
            kind: {'id': actor['id'], 'name': actor.get('name'), 'domain': self._domain_ref(actor.get('domain_id'))},
        }
        if scope_kind == 'system':
            assignment['system'] = 'all'
        elif scope_kind == 'project':
            assignment['project'] = {'id': scope['id'], 'name': scope.get('name'),
                                     'domain': self._domain_ref(scope.get('domain_id'))}
        else:
            assignment['domain'] = {'id': scope['id'], 'name': scope.get('name')}
        assignment['inherited'] = bool(inherited)
        return assignment

    def _from_keystone_assignment(self, raw):
        """Keystone's role assignment (``include_names``) -> common model; learns its names."""
        def named(obj, with_domain=True):
            found = {'id': obj.get('id'), 'name': obj.get('name')}
            if with_domain:
                domain = obj.get('domain')
                found['domain'] = {'id': domain.get('id'), 'name': domain.get('name')} if domain else None
                if domain and domain.get('id') and domain.get('name') and domain['id'] not in self._domains:
                    self._cache_domain(dict(found['domain']))
            return found

        scope = raw.get('scope') or {}
        assignment = {'role': named(raw.get('role') or {})}
        for kind in ('user', 'group'):
            if raw.get(kind):
                assignment[kind] = named(raw[kind])
        if scope.get('project'):
            project = assignment['project'] = named(scope['project'])
            if project['name'] and project['domain']:
                learnt = {'id': project['id'], 'name': project['name'], 'domain_id': project['domain']['id']}
                for ref in (project['name'], project['id']):
                    self._projects.setdefault((project['domain']['id'], ref), learnt)
        elif scope.get('domain'):
            domain = assignment['domain'] = named(scope['domain'], with_domain=False)
            if domain['name'] and domain['id'] not in self._domains:
                self._cache_domain(dict(domain))
        elif scope.get('system'):
            assignment['system'] = 'all'
        assignment['inherited'] = scope.get('OS-INHERIT:inherited_to') == 'projects'
        return assignment

    def resolve_actor(self, kind, ref, domain=None):
        """The user or group (``kind``) whose name (in ``domain``) or id is ``ref``; cached per run.

        After :meth:`prefetch_users` / :meth:`prefetch_groups` of ``domain`` a name costs no
        request, and neither does the id of a user or group of that listing (matched against it).
        """
        self._group_state()
        indexes = self._user_index if kind == 'user' else self._domain_groups
        index = indexes.get(self.resolve_domain(domain)['id']) or {}
        known = list(index.values()) if ref not in index else ()  # not a listed name: maybe an id
        if kind == 'user':
            return self.resolve_user(ref, domain, known=known)
        return self.resolve_group(ref, domain, known=known)

    _actor_assignments = None  # (kind, actor id) -> direct assignments, from prefetch_assignments

    def _read_assignments(self, params):
        """``(assignments, complete)`` from one ``GET /v3/role_assignments`` (all its pages)."""
        found, complete = self._collect('/role_assignments', 'role_assignments', params)
        return [self._from_keystone_assignment(raw) for raw in found], complete

    def prefetch_assignments(self):
        """Read every direct role assignment of every user and group with ONE request.

        ``GET /v3/role_assignments?include_names=true`` (no actor filter), grouped by actor, so
        :meth:`list_actor_assignments` answers many actors without a request each. Returns False,
        keeping nothing, when Keystone truncated the list (list_limit) or failed to build it (a
        5xx: with ``include_names`` Keystone reads every actor's name, and one unreachable LDAP
        domain fails the whole list): the caller then lists per actor.
        """
        if self._actor_assignments is not None:
            return True
        try:
            found, complete = self._read_assignments({'include_names': 'true'})
        except APIError as exc:
            if exc.status is None or exc.status < 500:
                raise
            return False
        if not complete:
            return False
        index = {}
        for assignment in found:
            kind = 'user' if assignment.get('user') else 'group'
            index.setdefault((kind, assignment[kind]['id']), []).append(assignment)
        self._actor_assignments = index
        return True

    def list_actor_assignments(self, kind, actor):
        """The direct role assignments of a user or group (``kind``): ``(assignments, complete)``.

        One ``GET /v3/role_assignments?{kind}.id=...&include_names=true``: every scope (project,
        domain, system) and the inherited ones; not those a user has through its groups. The names
        it carries seed the run's domain and project caches, so the scopes the actor already holds
        cost no lookup. ``complete`` is False when Keystone truncated the list (list_limit).
        After :meth:`prefetch_assignments` it costs no request.
        """
        if self._actor_assignments is not None:
            return list(self._actor_assignments.get((kind, actor['id']), ())), True
        return self._read_assignments({'%s.id' % kind: actor['id'], 'include_names': 'true'})

    def _remember_assignment(self, assignment, present):
        """Keep the prefetched assignments true to the writes of this run."""
        if self._actor_assignments is None:
            return
        kind = 'user' if assignment.get('user') else 'group'
        path = self._assignment_path(assignment)
        held = [a for a in self._actor_assignments.get((kind, assignment[kind]['id']), ())
                if self._assignment_path(a) != path]
        if present:
            held.append(assignment)
        self._actor_assignments[(kind, assignment[kind]['id'])] = held

    def list_role_assignments(self, filters=None, effective=False, include_names=False,
                              include_subtree=False, inherited=False):
        """Keystone's role assignment objects, filtered server-side.

        ``filters``: resolved objects by key ``user``, ``group``, ``role``, ``project``, ``domain``,
        and ``system`` ('all'). ``inherited`` keeps only the OS-INHERIT ones (checked here too:
        Keystone's ``scope.OS-INHERIT:inherited_to`` filter lets system assignments through).
        """
        keys = {'user': 'user.id', 'group': 'group.id', 'role': 'role.id',
                'project': 'scope.project.id', 'domain': 'scope.domain.id'}
        params = {}
        for key, value in (filters or {}).items():
            if value is None:
                continue
            if key == 'system':
                params['scope.system'] = value
            else:
                params[keys[key]] = value['id']
        for flag, value in (('effective', effective), ('include_names', include_names),
                            ('include_subtree', include_subtree)):
            if value:
                params[flag] = 'true'
        if inherited:
            params['scope.OS-INHERIT:inherited_to'] = 'projects'
        for raw in self._list('/role_assignments', 'role_assignments', params):
            if inherited and (raw.get('scope') or {}).get('OS-INHERIT:inherited_to') != 'projects':
                continue
            yield raw

    @staticmethod
    def _assignment_path(assignment):
        kind = 'users' if assignment.get('user') else 'groups'
        actor = assignment.get('user') or assignment.get('group')
        tail = '%s/%s/roles/%s' % (kind, actor['id'], assignment['role']['id'])
        if assignment.get('system'):
            return '/system/' + tail
        if assignment.get('project'):
            target = 'projects/%s' % assignment['project']['id']
        else:
            target = 'domains/%s' % assignment['domain']['id']
        if assignment.get('inherited'):
            return '/OS-INHERIT/%s/%s/inherited_to_projects' % (target, tail)
        return '/%s/%s' % (target, tail)

    def role_assignment_exists(self, assignment):
        """Whether this direct assignment exists (one ``HEAD``)."""
        self.connect()
        response = self.client.request('HEAD', self._assignment_path(assignment), ok=(200, 204, 404))
        return response.status_code != 404

    def assign_role(self, assignment):
        self._send('PUT', self._assignment_path(assignment), ok=(200, 201, 204))
        self._remember_assignment(assignment, True)

    def unassign_role(self, assignment):
        try:
            self._send('DELETE', self._assignment_path(assignment), ok=(200, 204))
        except APIError as exc:
            if exc.status != 404:  # already gone: the desired state holds
                raise
        self._remember_assignment(assignment, False)

    # ---- domain configuration (identity_domain_config) ---------------------------------------
    # Contract: Keystone's domain configuration API (/v3/domains/{id}/config[/{group}[/{option}]]
    # and /v3/domains/config[/{group}[/{option}]]/default) and its DomainConfigManager. Measured
    # on Keystone 30 (tests/integration/test_identity_domain_config.py):
    # - PUT replaces the whole configuration, sensitive options included (201 when there was none,
    #   200 otherwise); PATCH merges; values keep their JSON type (5, true, [..] come back as sent);
    # - GET answers 404 when no (non-sensitive) option is set, and never returns sensitive ones;
    # - DELETE .../{group}/{option} answers 404 for an option whose value is falsy (false, 0, "",
    #   [], null: Keystone tests `not current_group.get(option)`), so such an option is first
    #   patched to a truthy string Keystone's option types read back as the same value ('false',
    #   '0'), then deleted;
    # - a configuration without identity.driver loads the SQL driver, and Keystone lets only ONE
    #   domain load a domain-specific SQL driver: a second one answers 500 on every user request,
    #   and after a restart every request to Keystone fails. The claim stays with a domain whose
    #   configuration was deleted, until it is configured with another driver or deleted; no API
    #   shows it. So a write that makes a domain's driver SQL is checked at once with one user
    #   lookup in that domain, and undone (driver set back, or the new configuration removed)
    #   when Keystone cannot load it.

    # Keystone's stock whitelist (keystone.resource.core.DomainConfigManager): the groups and
    # options a domain configuration may hold, and the sensitive ones stored apart.
    DOMAIN_CONFIG_OPTIONS = {
        'identity': ('driver', 'list_limit'),
        'ldap': (
            'url', 'user', 'suffix', 'query_scope', 'page_size', 'alias_dereferencing',
            'debug_level', 'chase_referrals', 'user_tree_dn', 'user_filter', 'user_objectclass',
            'user_id_attribute', 'user_name_attribute', 'user_mail_attribute',
            'user_description_attribute', 'user_pass_attribute', 'user_enabled_attribute',
            'user_enabled_invert', 'user_enabled_mask', 'user_enabled_default',
            'user_attribute_ignore', 'user_default_project_id_attribute', 'user_enabled_emulation',
            'user_enabled_emulation_dn', 'user_enabled_emulation_use_group_config',
            'user_additional_attribute_mapping', 'group_tree_dn', 'group_filter',
            'group_objectclass', 'group_id_attribute', 'group_name_attribute',
            'group_members_are_ids', 'group_member_attribute', 'group_desc_attribute',
            'group_attribute_ignore', 'group_additional_attribute_mapping', 'tls_cacertfile',
            'tls_cacertdir', 'use_tls', 'tls_req_cert', 'use_pool', 'pool_size', 'pool_retry_max',
            'pool_retry_delay', 'pool_connection_timeout', 'pool_connection_lifetime',
            'use_auth_pool', 'auth_pool_size', 'auth_pool_connection_lifetime'),
    }
    DOMAIN_CONFIG_SENSITIVE = {'identity': (), 'ldap': ('password',)}
    DRIVER_PROBE_USER = 'iamops-driver-check'

    def _config_path(self, domain, group=None, option=None):
        path = '/domains/%s/config' % self.resolve_domain(domain)['id']
        for part in (group, option):
            if part:
                path += '/' + part
        return path

    def _config_probe(self, kind, what, group, option=None, probed=None):
        """Ask Keystone whether it takes ``group`` (and ``option``) - its defaults endpoint
        validates them as a write does - and raise its refusal as a ConfigError."""
        key = (group, option)
        if key not in probed:
            path = '/domains/config/%s/default' % '/'.join(part for part in key if part)
            probed[key] = None
            try:
                self._get(path)
            except APIError as exc:
                if exc.status is None:
                    raise
                if exc.status in (400, 403, 404):  # a 5xx: let the write decide
                    probed[key] = '%s (checked with GET /v3%s; nothing was written)' % (
                        (exc.server_message or str(exc)).rstrip('.'), path)
        if probed[key]:
            raise ConfigError('%s: Keystone refuses %s: %s' % (kind, what, probed[key]), self.name)

    def validate_domain_config(self, config, sensitive):
        known = self.DOMAIN_CONFIG_OPTIONS
        secret = self.DOMAIN_CONFIG_SENSITIVE
        probed = {}
        for kind, given in (('config', config), ('sensitive_config', sensitive)):
            for group, options in (given or {}).items():
                known_group = group in known or group in secret
                if not isinstance(options, dict):  # null: the group is removed
                    if not known_group:
                        self._config_probe(kind, 'group %s' % group, group, probed=probed)
                    continue
                for option, value in options.items():
                    name = '%s.%s' % (group, option)
                    if kind == 'config' and option in secret.get(group, ()):
                        self.add_secret(str(value))  # masked wherever Ansible prints the args
                        raise ConfigError(
                            'config: %s is a sensitive option (Keystone stores it apart and never '
                            'returns it): give it in sensitive_config' % name, self.name)
                    if kind == 'sensitive_config' and option in known.get(group, ()):
                        raise ConfigError(
                            'sensitive_config: %s is not a sensitive option (Keystone returns it, '
                            'so it can be compared): give it in config' % name, self.name)
                    if option in known.get(group, ()) or option in secret.get(group, ()):
                        continue
                    # Not in the stock whitelist: a typo, or an option this Keystone adds with
                    # [domain_config] additional_whitelisted_options. Keystone decides.
                    if kind == 'config':
                        self._config_probe(kind, name, group, option, probed)
                    elif not known_group:  # a sensitive option has no default: probe its group
                        self._config_probe(kind, name, group, probed=probed)

    def get_domain_config(self, domain, group=None, option=None):
        if option and option in self.DOMAIN_CONFIG_SENSITIVE.get(group, ()):
            raise ConfigError('%s.%s is a sensitive option: Keystone never returns it'
                              % (group, option), self.name)
        body = self._get(self._config_path(domain, group, option), missing_ok=True)
        if body is None:
            return None
        return self._nest_config(body.get('config') or {}, group, option) or None

    def get_domain_config_default(self, group=None, option=None):
        parts = ''.join('/' + part for part in (group, option) if part)
        path = '/domains/config%s/default' % parts
        return self._nest_config((self._get(path) or {}).get('config') or {}, group, option)

    @staticmethod
    def _nest_config(config, group, option):
        """Keystone answers {option: value} for one option; make it {group: {option: value}}."""
        return {group: config} if option else config

    def create_domain_config(self, domain, config):
        path = self._config_path(domain)
        self.connect()
        response = self.client.request('PUT', path, json={'config': config}, ok=(200, 201))
        result = (self.client.decode(response) or {}).get('config') or {}
        sent_secret = any(option in self.DOMAIN_CONFIG_SENSITIVE.get(group, ())
                          for group, options in config.items() for option in options)
        if response.status_code == 200 and not sent_secret:
            self.warn('domain %r had a configuration holding only sensitive options (Keystone '
                      'does not show them); it was replaced, so set them again with '
                      'sensitive_config and update_secrets=always' % self.resolve_domain(domain)['name'])
        self._check_sql_driver(domain, None, result, lambda: self._send('DELETE', path, ok=(204,)),
                               'the configuration just created was removed')
        return result

    def update_domain_config(self, domain, current, config, remove=()):
        body = dict((group, dict(options)) for group, options in config.items())
        for group, option in remove:
            value = (current.get(group) or {}).get(option) if option else None
            if option and not value:  # Keystone cannot delete a falsy option: make it truthy first
                body.setdefault(group, {})[option] = self._truthy_form(value)
        after = dict((group, dict(options)) for group, options in current.items())
        if body:
            after = self._send('PATCH', self._config_path(domain), json={'config': body})['config']
        for group, option in remove:
            try:
                self._send('DELETE', self._config_path(domain, group, option), ok=(204,))
            except APIError as exc:
                if exc.status != 404:  # already gone: the desired state holds
                    raise
            if option:
                after.get(group, {}).pop(option, None)
                if group in after and not after[group]:
                    del after[group]
            else:
                after.pop(group, None)
        before_driver = (current.get('identity') or {}).get('driver')
        if before_driver is not None:
            self._check_sql_driver(
                domain, current, after,
                lambda: self._send('PATCH', self._config_path(domain),
                                   json={'config': {'identity': {'driver': before_driver}}}),
                'identity.driver was set back to %r' % before_driver)
        return after

    @staticmethod
    def _truthy_form(value):
        """A non-empty string that Keystone's option types read as ``value`` (JSON spelling)."""
        if isinstance(value, bool):
            return 'true' if value else 'false'
        if value is None:
            return 'null'
        if isinstance(value, (int, float)):
            return str(value)
        return '""' if isinstance(value, str) else '[]' if isinstance(value, list) else '{}'

    def delete_domain_config(self, domain):
        self._send('DELETE', self._config_path(domain), ok=(204,))

    @staticmethod
    def _driver(config):
        """The identity driver a domain configuration makes Keystone load (None: no config)."""
        if not config:
            return None
        driver = (config.get('identity') or {}).get('driver')
        return 'sql' if driver in (None, '') else str(driver)

    def _check_sql_driver(self, domain, before, after, undo, undone):
        """After a write that makes the domain's driver SQL, check Keystone can load it."""
        if self._driver(after) != 'sql' or self._driver(before) == 'sql':
            return
        dom = self.resolve_domain(domain)
        try:
            self._get('/users', params={'domain_id': dom['id'], 'name': self.DRIVER_PROBE_USER})
        except APIError as exc:
            if exc.status is None or exc.status < 500:
                raise
            try:
                undo()
            except APIError as undo_exc:
                undone = 'undoing the change failed too (%s): fix it now' % undo_exc
            hint = ''
            if 'driver' not in (after.get('identity') or {}):
                hint = (' (a configuration without identity.driver uses the SQL driver: for an '
                        'LDAP domain set identity.driver to ldap)')
            raise ConfigError(
                'the configuration of domain %r makes Keystone load a domain-specific SQL identity '
                'driver%s, but Keystone could not load it (GET /v3/users?domain_id=%s answered HTTP '
                '%s): Keystone allows a domain-specific SQL driver for one domain only, and another '
                'domain has one (or had one: the claim stays after its configuration is deleted, '
                'until that domain is configured with another driver or deleted). Left so, every '
                'Keystone request would fail after its next restart; %s'
                % (dom['name'], hint, dom['id'], exc.status, undone), self.name)

    def domain_config_warnings(self, domain, before, after, check_mode=False):
        warnings = []
        name = self.resolve_domain(domain)['name']
        if after and 'ldap' in after and self._driver(after) == 'sql':
            warnings.append(
                'the configuration of domain %r has ldap options but no identity.driver, so '
                'Keystone uses the SQL driver for it; set identity.driver to ldap to use them' % name)
        if check_mode and self._driver(after) == 'sql' and self._driver(before) != 'sql':
            warnings.append(
                'check mode cannot tell whether Keystone accepts the SQL identity driver for domain '
                '%r: Keystone allows a domain-specific SQL driver for one domain only (the real run '
                'checks it and undoes the change when another domain has it)' % name)
        return warnings

    def _domain_backend_hint(self, domain):
        """Why reading ``domain``'s users may fail with a 5xx, from its configuration."""
        try:
            config = self.get_domain_config(domain['id'])
        except APIError:
            config = None
        driver = self._driver(config)
        if driver == 'ldap':
            return ('its identity driver is ldap: the LDAP server of its domain configuration (%s) '
                    'is unreachable or refused Keystone\'s bind, or the configuration does not '
                    'match the directory; check the server, or fix or remove the configuration '
                    '(iamops.identity.identity_domain_config)'
                    % ((config.get('ldap') or {}).get('url') or 'ldap.url not set: ldap://localhost'))
        if driver == 'sql':
            return ('its domain configuration selects the SQL identity driver, which Keystone '
                    'allows for one domain only: another domain probably has (or had) one; remove '
                    'or fix the configuration (iamops.identity.identity_domain_config)')
        if driver:
            return 'its identity driver %r failed' % driver
        return None


def _looks_like_id(ref):
    """Keystone's generated IDs are 32 hex digits: try those as IDs before as names."""
    return bool(_HEX_ID.match(ref or ''))


def _query_value(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return value
