# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authress users (read, link to a tenant, delete) and groups (with their members inline).

Contract: the Authress SDK ``UsersApi`` (``shared/seeds/001_*``): ``GET /v1/users``
(limit, cursor, filter, tenantId), ``GET /v1/users/{userId}``, ``DELETE /v1/users/{userId}``
(202: the delete completes asynchronously), ``PATCH /v1/tenants/{tenantId}/users`` (link a
user to a tenant); and docs/providers.md section 2 for groups (``/v1/groups``, members in the
group's ``users`` and ``admins``, ``If-Unmodified-Since`` on updates).

Authress has no API to create or change a user: users appear when they first log in. A user's
``name`` in the common model is its ``userId``; ``tenant`` is the tenant it is linked to, as far
as the tenants the task names tell (Authress does not show a user's tenant, only a tenant's users).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._handlers import or_none
from ansible_collections.iamops.identity.plugins.module_utils._directory import MISS, CachedDirectory
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError, IdentityError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils.providers._base import not_found
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress import _model

# A batch that looks up this many users reads the user listing once instead of one GET each.
LIST_USERS_FROM = 10
USER_FILTERS = {'filter': 'filter', 'tenant': 'tenantId'}


class AuthressDirectory(CachedDirectory):
    """Mixin: users and groups of :class:`AuthressProvider`.

    Users (raw, by ``userId``, which is also their name) are in ``self.directory('users')``
    (:mod:`_directory`), with the IDs the server said are absent; groups (raw, by ``groupId`` and
    name, every group read this run; ``listed`` once every group was) in ``('groups')``.
    """

    # ---- users -------------------------------------------------------------------------------
    def _user_raws(self):
        return self.directory('users', name='userId', id='userId')

    def _raw_user(self, user_id, cached=True):
        return self._user_raws().read(user_id, lambda: or_none(self._get, self._path('users', user_id)), cached)

    def _named_tenants(self):
        """The tenants the task names (``tenant`` at top level or in items of ``users``)."""
        return sorted(set(options.get('tenant') for options in self.task_options() if options.get('tenant')))

    def _in_tenant(self, user_id, tenant_id):
        """Whether the user is linked to the tenant. A task about many users lists the tenant's
        users once; one about a few searches the tenant for each (``filter``), whatever the
        tenant's size."""
        if tenant_id not in self._tenant_users:
            if len(self._listed_members()) >= LIST_USERS_FROM or len(user_id) > 64:
                self._tenant_users[tenant_id] = set(
                    u['userId'] for u in self._whole('users', {'tenantId': tenant_id}))
            else:
                found = self._whole('users', {'tenantId': tenant_id, 'filter': user_id})
                return any(u['userId'] == user_id for u in found)
        return user_id in self._tenant_users[tenant_id]

    def _user(self, raw, tenant=None):
        """The common-model user of ``raw``; its ``tenant`` when the task names tenants."""
        if tenant is None:
            for name in self._named_tenants():
                if self._in_tenant(raw['userId'], name):
                    tenant = name
                    break
        user = _model.user_from_api(raw, tenant=tenant)
        user.setdefault('tenant', None)
        user.update(domain_id=None, enabled=None, description=None, extra={}, raw=dict(raw))
        return user

    def find_user(self, name, domain=None, cached=True):
        raw = self._raw_user(name, cached)
        return self._user(raw) if raw else None

    def resolve_user(self, ref, domain=None, known=()):
        for user in known:
            if ref in (user.get('id'), user.get('name')):
                return user
        if self._user_raws().by_id(ref) is MISS:   # a group's long member list: one listing, not a GET each
            self.prepare_users([(name, None) for name in self._listed_members()])
        found = self.find_user(ref)
        if found is None:
            raise not_found(self, 'user', ref)
        return found

    def _listed_members(self):
        """The user IDs the task names: the members each group's ``users`` lists (identity_group),
        or the users of a batch of ``users`` (identity_user: its items carry no ``users`` key)."""
        found = []
        for options in self.task_options():
            values = options.get('users') or [] if 'users' in options else [options.get('name')]
            for value in values:
                value = value.get('name') if isinstance(value, dict) else value
                if isinstance(value, str):
                    found.append(value)
        return found

    def prepare_users(self, refs):
        """A batch about many users reads the listing once (stopping when all are found)."""
        users = self._user_raws()
        wanted = set(name for name, _domain in refs if users.by_id(name) is MISS)
        if len(wanted) < LIST_USERS_FROM:
            return
        listing = self._list('users')
        for raw in listing:
            users.put(raw)
            wanted.discard(raw['userId'])
            if not wanted:
                return
        if listing.complete:    # the whole listing was read: these do not exist
            for name in wanted:
                users.absent(name)

    def prepare_actors(self, actors):
        self.prepare_users([(ref, domain) for kind, ref, domain in actors if kind == 'user'])

    def list_users(self, name=None, domain=None, filters=None):
        if name is not None:
            user = self.find_user(name)
            if user is not None:
                yield user
            return
        params = {}
        for key, value in (filters or {}).items():
            if key not in USER_FILTERS:
                raise ConfigError('filters: Authress lists users by %s only, not by %s'
                                  % (' and '.join(sorted(USER_FILTERS)), key), self.name)
            params[USER_FILTERS[key]] = value
        listing = self._list('users', params)
        for raw in listing:
            self._user_raws().put(raw)
            yield self._user(raw, tenant=params.get('tenantId'))
        if listing.complete is False:
            self.warn('the listing of Authress users stopped early (%s): the list is incomplete' % listing.reason)

    def _no_create(self, fields):
        raise NotFoundError(
            'user %r does not exist, and Authress has no API to create users: a user appears when '
            'it first logs in (then run this task again)' % fields.get('name'), self.name)

    def predict_user(self, fields, domain=None):
        self._no_create(fields)

    def create_user(self, fields, domain=None):
        self._no_create(fields)

    def update_user(self, user, fields):
        """Link the user to ``fields['tenant']`` (the one change Authress allows on a user)."""
        unknown = sorted(set(fields) - set(('name', 'tenant')))
        if unknown:
            raise ConfigError('Authress does not let a client change %s of a user' % ', '.join(unknown), self.name)
        tenant = fields.get('tenant')
        if tenant and tenant != user.get('tenant'):
            self._send('PATCH', self._path('tenants', tenant, 'users'), json={'userId': user['id']}, ok=(200, 204))
            for members in self._tenant_users.values():
                members.discard(user['id'])
            if tenant in self._tenant_users:
                self._tenant_users[tenant].add(user['id'])
        return dict(user, tenant=tenant or user.get('tenant'))

    def delete_user(self, user):
        """DELETE answers 202: the delete completes asynchronously. With ``wait`` (the default),
        poll until the user is gone, at most ``wait_timeout`` seconds."""
        self._delete('users', user['id'])
        self._user_raws().drop({'userId': user['id']})
        if self.option_for(user['name'], 'wait') is False:
            return
        timeout = self.option_for(user['name'], 'wait_timeout') or 60
        if not self._wait_gone(self._path('users', user['id']), timeout):
            raise IdentityError('Authress accepted the delete of user %r (202) but it still exists after %s '
                                'seconds; the delete completes asynchronously: check again later, or raise '
                                'wait_timeout' % (user['id'], timeout), self.name)

    # ---- groups ------------------------------------------------------------------------------
    def _group_raws(self):
        return self.directory('groups', id='groupId')

    def _held_group(self, group_id):
        """The raw group ``group_id`` if this run read it, else None (never a request)."""
        return self._group_raws().held(group_id)

    def _all_groups(self, cached=True):
        """Every raw group (one listing per run, or a fresh one), sorted by ``groupId``."""
        groups = self._group_raws()
        if not groups.listed or not cached:
            groups.clear()
            groups.fill(self._whole('groups'))   # raises rather than answer a part
        return sorted(groups.values(), key=lambda raw: raw['groupId'])

    def prepare_groups(self, domains):
        """A batch about groups (one entry of ``domains`` per group it names) reads every group
        once (pages of 20) instead of one search per group."""
        if len(domains) > 1:
            self._all_groups()

    def _group(self, raw):
        group = _model.group_from_api(raw)
        group['admins'] = sorted(group['admins'])
        group.update(domain_id=None, description=None, raw=dict(raw))
        return group

    def _raw_group(self, ref, cached=True):
        """The raw group ``ref`` names, or None. The rule (identity_group's docs): ``ref`` is
        compared, exactly and case-sensitively as Authress compares, with every group's
        ``groupId`` and ``name``; the one group that matches is it. When several match - several
        groups of that name, or one whose ID it is and another of that name - the reference is
        ambiguous and refused, naming every candidate: it is never resolved by a guess.

        Without the whole list at hand, one search (``filter``, a case-insensitive search through
        every text field, IDs included) finds the candidates; the exact match is done here."""
        if cached and self._group_raws().listed:
            candidates = self._group_raws().values()
        elif cached and ref in self._group_searched:
            candidates = self._group_raws().values()   # the search's answer, and what this run wrote since
        elif len(ref) <= 64:
            candidates = self._whole('groups', {'filter': ref})
            if ref.startswith('grp_') and not any(g['groupId'] == ref for g in candidates):
                # a value that can be a group's ID: whether the search looks through IDs is not
                # documented, so ask for it, lest a group of that name hide a group of that ID
                by_id = or_none(self._get, self._path('groups', ref))
                candidates += [by_id] if by_id else []
            for raw in candidates:   # seen, not listed: a search is no listing
                self._group_raws().put(raw)
            self._group_searched.add(ref)
        else:
            candidates = self._all_groups(cached)
        return _model.one_match(candidates, ref, 'groupId', 'group', self.name)

    def find_group(self, name, domain=None, cached=True):
        raw = self._raw_group(name, cached)
        return self._group(raw) if raw else None

    def list_groups(self, name=None, domain=None):
        if name is not None:
            found = self.find_group(name)
            return [found] if found else []
        return [self._group(raw) for raw in self._all_groups()]

    def resolve_group(self, ref, domain=None, known=()):
        # ``known`` (groups at hand) is not searched: a reference must be checked against every
        # group (``_raw_group``) so that an ambiguous one is refused; those listings are cached
        found = self.find_group(ref)
        if found is None:
            raise not_found(self, 'group', ref)
        return found

    def predict_group(self, fields, domain=None):
        """The group a create would make: no members yet, the admins asked for (its ID, null here, is
        normally the first of ``_model.stable_ids``)."""
        return dict(fields, id=None, domain_id=None, description=None, users=[], tags={},
                    admins=sorted(fields.get('admins') or []), last_updated=None, raw=None)

    def _remember_group(self, raw):
        self._group_raws().put(raw)

    def create_group(self, fields, domain=None):
        """POST the group with the first of its stable IDs (``_model.stable_ids``) that no group
        of another name holds. Two runs creating one name at once send the same ID: the second
        is answered 409 (or finds it on its GET) and adopts the first's group
        (``Task.create_safely``), so there is one group whatever the timing. The GET before the
        POST also keeps a create from ever landing on a group of another name."""
        name = fields['name']
        body = _model.group_to_api({'name': name, 'admins': fields.get('admins') or []})
        for group_id in _model.stable_ids('grp_', 'group', name):
            path = self._path('groups', group_id)
            holder = or_none(self._get, path)
            if holder is None:
                def send(group_id=group_id):
                    return self._send('POST', self._path('groups'), json=dict(body, groupId=group_id), ok=(200, 201))

                def done(path=path):   # the answer was lost (or unreadable): is the group there now?
                    found = or_none(self._get, path)
                    return found is not None and found['name'] == name
                try:
                    raw = self.client.confirm_write(send, done, 'POST /v1/groups (group %r)' % name, warn=lambda msg: (
                        self.warn('%s: group %r exists now; taken as created' % (msg, name))))
                except APIError as exc:
                    if exc.status != 409:
                        raise   # a lost answer read back and not done: outcome_unknown cleared, not a change
                    holder = or_none(self._get, path)
                    if holder is None:
                        raise
                else:
                    raw = raw or self._get(path)
                    self._remember_group(raw)
                    return self._group(raw)
            self._remember_group(holder)
            if holder['name'] == name:   # made by another run meanwhile: adopted by the caller
                raise APIError(self.name, 'POST', self._path('groups'), status=409, server_message=(
                    'group %s called %r exists: another run created it meanwhile' % (group_id, name)))
        raise IdentityError('cannot create group %r: the IDs this collection gives it (%s...) are all held by '
                            'groups of other names' % (name, _model.stable_ids('grp_', 'group', name)[0]), self.name)

    def update_group(self, group, fields):
        def build(fresh):
            body = _model.group_to_api(_model.group_from_api(fresh))
            if fields.get('name') is not None:
                body['name'] = fields['name']
            if fields.get('admins') is not None:
                body['admins'] = [{'userId': u} for u in fields['admins']]
            return body if body != _model.group_to_api(_model.group_from_api(fresh)) else None
        return self._group(self._write_group(group['id'], build))

    def delete_group(self, group):
        self._delete('groups', group['id'])
        self._group_raws().drop({'groupId': group['id'], 'name': group.get('name')})

    def _write_group(self, group_id, build):
        """PUT a group built from its current state (If-Unmodified-Since, one retry on 412)."""
        current = self._held_group(group_id) or self._get(self._path('groups', group_id))
        raw = self._put_unmodified('groups', group_id, current, build)
        self._remember_group(raw)
        return raw

    # ---- membership: the members are held in the group itself ----------------------------------
    @staticmethod
    def _member(user_id):
        return {'id': user_id, 'name': user_id, 'domain_id': None}

    def group_members(self, group):
        raw = self._held_group(group['id']) if group.get('id') else None
        return [self._member(u['userId']) for u in (raw or {}).get('users') or []]

    def user_groups(self, user, among=None):
        return [self._group(raw) for raw in self._all_groups()
                if any(u['userId'] == user['id'] for u in raw.get('users') or [])]

    def apply_memberships(self, add=(), remove=()):
        """One PUT per group, whatever the number of members added and removed."""
        changes = {}
        for group, user in add:
            changes.setdefault(group['id'], ([], []))[0].append(user['id'])
        for group, user in remove:
            changes.setdefault(group['id'], ([], []))[1].append(user['id'])
        for group_id in sorted(changes):
            adding, removing = changes[group_id]

            def build(fresh, adding=adding, removing=removing):
                members = [u['userId'] for u in fresh.get('users') or []]
                after = [u for u in members if u not in removing] + [u for u in adding if u not in members]
                if after == members:
                    return None
                body = _model.group_to_api(_model.group_from_api(fresh))
                body['users'] = [{'userId': u} for u in after]
                return body
            self._write_group(group_id, build)

    def add_group_user(self, group, user):
        self.apply_memberships(add=[(group, user)])

    def remove_group_user(self, group, user):
        self.apply_memberships(remove=[(group, user)])

    # ---- tenants ------------------------------------------------------------------------------
    def _raw_tenant(self, tenant_id, cached=True):
        return self._tenant_raws().read(tenant_id, lambda: or_none(self._get, self._path('tenants', tenant_id)), cached)

    def _tenant_raws(self):
        return self.directory('tenants', name='tenantId', id='tenantId')
