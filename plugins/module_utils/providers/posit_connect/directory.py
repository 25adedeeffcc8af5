# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Posit Connect's directory: users (create, update, lock/unlock), groups and their members,
with the run's caches.

Contract (posit-sdk ``connect.users``, ``shared/seeds/002_*``): ``Users.create/find/find_one/get/
count``, ``User.update/lock/unlock``; groups and members as posit-sdk 0.17 calls them:
``GET/POST /v1/groups``, ``GET/DELETE /v1/groups/{guid}``, ``GET/POST /v1/groups/{guid}/members``,
``DELETE /v1/groups/{guid}/members/{user_guid}``; a rename is ``POST /v1/groups/{guid}``.

Connect cannot list a user's groups: that is every group's members (what posit-sdk's
``User.groups.find`` does too), read once per run and indexed.

Names or guids - the rule for a reference to a user or a group: a value shaped like a UUID
(``8-4-4-4-12`` hex digits, what Connect's guids are) is looked up both as a name and as a guid;
any other value is a name only. When a UUID-shaped value is the name of one object and the guid of
another, or when two groups hold the name (remote or LDAP groups can), the reference is ambiguous:
an error naming the candidates, never a pick. Usernames compare exactly ("Usernames are case
sensitive", Connect's error 8); group names compare exactly too (inferred: Connect documents
none), so ``Ops`` and ``ops`` are two groups and a batch may hold both.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._handlers import missing_is_gone, or_none
from ansible_collections.iamops.identity.plugins.module_utils._directory import MISS, CachedDirectory
from ansible_collections.iamops.identity.plugins.module_utils._errors import (
    APIError, ConfigError, IdentityError, NotFoundError, UnsupportedError)
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect import _model

# after this many one-by-one user lookups in a run, one listing (pages of 500) answers the rest
LOOKUPS_BEFORE_LISTING = 4


def _model_call(func, *args):
    """Run a pure ``_model`` function, turning its ModelError into the collection's error."""
    try:
        return func(*args)
    except _model.ModelError as exc:
        raise ConfigError(str(exc), 'posit_connect')


def _ambiguous(kind, ref, candidates):
    """The error for a reference matching several objects, naming each (name and guid)."""
    shown = ', '.join('%r (guid %s)' % (c['name'], c['id']) for c in sorted(candidates, key=lambda c: c['id']))
    return ConfigError('%s reference %r is ambiguous: it matches %s; Connect identifies a %s by its guid, '
                       'so give the guid of the one meant' % (kind, ref, shown, kind), 'posit_connect')


def _one(kind, ref, candidates):
    """The one object among ``candidates`` (duplicates by guid merged), None, or the ambiguity error."""
    unique = dict((c['id'], c) for c in candidates if c is not None)
    if len(unique) > 1:
        raise _ambiguous(kind, ref, unique.values())
    return next(iter(unique.values()), None)


class PositConnectDirectory(CachedDirectory):
    """Mixin: users, groups and memberships of :class:`PositConnectProvider`.

    Users and groups are in ``self.directory('users')`` / ``('groups')`` (:mod:`_directory`: by
    guid, every object seen this run, and by name; ``complete`` / ``listed`` after the listing;
    two groups may share a name).
    """

    # per-run caches, created on first use by _state()
    _users_partial = None   # username -> user, from the first page a batch read (see prepare_users)
    _lookups = 0            # prefix searches sent: past a few, one listing answers the rest
    _members = None         # group guid -> set of user guids, for groups whose members were read
    _missing = None         # ('user' | 'group', ref) looked up this run and not found
    _raw = None             # guid -> the API object last read, for the info modules' raw
    _incomplete = None      # guids of groups whose member listing, or 'groups' when the groups listing, was cut short
    _refs = None            # (kind, UUID-shaped reference) -> the guid it resolved to this run

    def _state(self):
        if self._raw is None:
            self._members, self._missing = {}, set()
            self._raw, self._incomplete = {}, set()

    def _held_user(self, guid):
        """The user ``guid`` if this run has seen it, else None (never a request)."""
        return self.directory('users').held(guid)

    def _seen_user(self, user, drop=False):
        self._state()
        if drop:
            self.directory('users').drop(user)
        else:
            self.directory('users').put(user)  # a new name replaces the old one
        return user

    def _api_user(self, raw):
        """The common-model user of the API object ``raw``, remembered for the run (with ``raw``)."""
        self._state()
        self._raw[raw.get('guid')] = raw
        return self._seen_user(_model.user_from_api(raw))

    def _api_group(self, raw):
        self._state()
        self._raw[raw.get('guid')] = raw
        return self._seen_group(_model.group_from_api(raw))

    def _with_raw(self, obj):
        """A copy of ``obj`` with Connect's own object under ``raw`` (what the info modules return)."""
        return dict(obj, raw=self._raw.get(obj['id']))

    def _held_group(self, guid):
        """The group ``guid`` if this run has seen it, else None (never a request)."""
        return self.directory('groups').held(guid)

    def _seen_group(self, group, drop=False):
        self._state()
        if drop:
            self.directory('groups').drop(group)
            self._members.pop(group['id'], None)
        else:
            self.directory('groups').put(group)  # a new name replaces the old one
        return group

    # ---- users ------------------------------------------------------------------------------
    def prefetch_users(self, domain=None):
        """Every user in one listing (pages of 500), so lookups by name cost nothing after."""
        self._state()
        users = self.directory('users')
        if not users.complete:
            rows, _complete = self._collect('v1/users')
            users.fill([self._api_user(raw) for raw in rows])
        return users.values()

    def _renamed(self, user, old_name):
        """The caches after ``user`` (under its new username) was called ``old_name``."""
        if old_name != user['name']:
            self.directory('users').rename(user, old_name)
            if self._users_partial:
                self._users_partial.pop(old_name, None)
                self._users_partial[user['name']] = user
            self._missing.discard(('user', user['name']))

    def find_user(self, name, domain=None, cached=True):
        """The user whose username is ``name`` (usernames are case-sensitive), or None.

        One ``prefix`` search (Connect ranks the exact match first); only when that search matched
        more users than its one page holds, and none is ``name``, is every user listed. After a
        prefetch, no request (unless ``cached`` is False).
        """
        self._state()
        if cached and self._users_partial and name in self._users_partial:
            return self._users_partial[name]
        users = self.directory('users')
        if cached and not users.complete and self._lookups >= LOOKUPS_BEFORE_LISTING:
            self.prefetch_users()
        if users.complete and cached:
            return users.by_name(name)
        self._lookups += 1
        rows, complete = self._collect('v1/users', {'prefix': name})
        for raw in rows:
            if raw.get('username') == name:
                return self._api_user(raw)
        if not complete:
            users.complete = False
            return dict((u['name'], u) for u in self.prefetch_users()).get(name)
        return None

    def get_user(self, guid):
        """The user ``guid`` (``GET /v1/users/{guid}``), or None."""
        raw = or_none(self._get, self.client.path('v1/users/{}', guid))
        return self._api_user(raw) if raw else None

    def list_users(self, name=None, domain=None, filters=None):
        """Users by username-or-guid, or by Connect's filters (``prefix``, ``user_role``,
        ``account_status``, ``|`` for OR), every page."""
        params = self._user_filters(filters)
        if name:
            user = self.find_user(name)
            if _model.looks_like_guid(name):   # a name and a guid both count (see the module docstring)
                user = _one('user', name, [user, self._held_user(name) or self.get_user(name)])
            if user is not None and params:  # a name and filters: the user, if the filters keep it
                user = dict((u['id'], u) for u in self.list_users(filters=filters)).get(user['id'])
            return [self._with_raw(user)] if user else []
        rows, complete = self._collect('v1/users', params)
        if not complete:
            self.warn('the prefix %r matches more users than one page holds (%d shown); Connect '
                      'answers only the first page of a prefix search' % (params['prefix'], len(rows)))
        return [self._with_raw(self._api_user(raw)) for raw in rows]

    def _user_filters(self, filters):
        filters = dict(filters or {})
        unknown = sorted(set(filters) - set(('prefix', 'user_role', 'account_status')))
        if unknown:
            raise ConfigError('unknown filters %s: Connect filters users by prefix, user_role and '
                              'account_status' % ', '.join(unknown), self.name)
        return _model_call(_model.user_filters, filters.get('prefix'), filters.get('user_role'),
                           filters.get('account_status'))

    def count_users(self, filters=None):
        """How many users match ``filters`` (all without): ``total`` of a one-row page, one
        request, like posit-sdk's ``Users.count``."""
        params = dict(self._user_filters(filters), page_size=1)
        return int((self._get('v1/users', params=params) or {}).get('total') or 0)

    def resolve_user(self, ref, domain=None, known=()):
        """The user whose username or guid is ``ref``; raises :class:`NotFoundError`."""
        self._state()
        guid = _model.looks_like_guid(ref)
        user = None if guid else _one('user', ref, [u for u in known or () if u.get('name') == ref])
        if user is not None:   # a UUID-shaped value is checked as a name and a guid, once per run
            return user
        if guid and self._held_user((self._refs or {}).get(('user', ref))):
            return self._held_user(self._refs[('user', ref)])
        if ('user', ref) not in self._missing:
            user = self.find_user(ref)
            if guid:   # a UUID-shaped value: a username and a guid both count (see the module docstring)
                by_guid = self._held_user(ref) or self.get_user(ref)
                user = _one('user', ref, [user, by_guid])
        if user is None:
            self._missing.add(('user', ref))
            raise NotFoundError('user %r not found (looked up by username and by guid)' % ref, self.name)
        if guid:
            self._refs = self._refs or {}
            self._refs[('user', ref)] = user['id']
        return user

    # ---- writes whose answer may be lost ------------------------------------------------------
    def _write(self, method, path, body, what, read_back, idempotent=None, tolerate=()):
        """Send one write through the client's ``confirm_write``: its answer, or None when the
        answer was lost (a dropped connection, a read timeout, a 5xx: ``outcome_unknown``) and
        ``read_back()`` - fresh requests, never the run's caches - shows it done (a warning says
        so). Found not done, the write's own error is raised, no longer counted as a change. A
        status in ``tolerate`` (the desired state already holds) answers None. Never resent: a
        POST or an ``idempotent=False`` write is sent once."""
        try:
            return self.client.confirm_write(
                lambda: self._send(method, path, json=body, idempotent=idempotent), read_back, what, warn=self.warn)
        except APIError as exc:
            if exc.status in tolerate:
                return None
            raise

    def _create(self, path, body, kind, lookup):
        """``POST`` a create, sent once. When its answer was lost (a dropped connection, a read
        timeout, a 5xx, a proxy's HTML page: ``outcome_unknown``), ``lookup()`` (a fresh search by
        name) tells: found, it is taken as created (a warning says so); not found, the create's
        own error is raised, no longer counted as a change, so the task says ``changed: false``."""
        found, said = [], []
        name = body.get('username') or body.get('name')

        def done():
            obj = lookup()
            found.extend([obj] if obj is not None else [])
            return obj is not None

        answer = self.client.confirm_write(lambda: self._send('POST', path, json=body), done,
                                           'the create of %s %r' % (kind, name), warn=said.append)
        if answer is not None:
            return answer, None
        if not found and not done():   # answered 2xx with no body at all: what was made is looked up too
            raise IdentityError('POST /__api__/%s answered no %s and no %s %r exists' % (path, kind, kind, name),
                                self.name)
        lost = said[0] if said else 'the create was answered unreadably'
        self.warn('%s; %s %r exists now; taken as created' % (lost, kind, name))
        return None, found[0]

    def create_user(self, fields, domain=None):
        """``POST /v1/users`` (answers 200 with the user); a lock asked for is sent after. A
        create whose answer was lost is looked up, never resent (:meth:`_create`): found, it is
        taken as created - and still locked when a lock is asked for."""
        body = _model_call(_model.user_create_body, fields)
        lock = _model_call(_model.lock_wanted, fields)
        raw, user = self._create('v1/users', body, 'user', lambda: self.find_user(body['username'], cached=False))
        user = self._api_user(raw) if raw is not None else user
        self._missing.discard(('user', user['name']))
        if lock:
            user = self.set_locked(user, True)
        return user

    def update_user(self, user, fields):
        """``PUT /v1/users/{guid}`` for the editable fields, ``POST .../lock`` for the lock; a
        self-lock is refused before either (see :meth:`check_lock`)."""
        body, locked = _model_call(_model.user_update_body, fields)
        lock = locked is not None and locked != user['locked']
        if lock:
            self.check_lock(user, locked)
        if body:
            path = self.client.path('v1/users/{}', user['id'])

            def read_back():
                raw = or_none(self._get, path) or {}
                return all(raw.get(field) == value for field, value in body.items() if value is not None)

            # PUT sets fields: the client may resend it after a lost answer, harmlessly
            answer = self._write('PUT', path, body, 'PUT /' + path, read_back)
            old_name = user['name']
            user = self._seen_user(_model.merge_update(user, answer if answer is not None else body))
            self._renamed(user, old_name)
        if lock:
            user = self.set_locked(user, locked)
        return user

    def check_lock(self, user, locked):
        """Refuse, before any write, to lock the API key's own account without the module's
        ``force`` (the posit-sdk rule: ``User.lock()`` raises unless ``force=True``; Connect would
        lock the caller out). Costs one ``GET /v1/user``, only when a lock is asked for."""
        if locked and not self.option_for(user['name'], 'force') and user.get('id') and user['id'] == self.me()['id']:
            raise IdentityError('refusing to lock %r: it is the account of the API key in use, which '
                                'could then no longer call Connect; set force: true to lock it anyway'
                                % user['name'], self.name)

    def set_locked(self, user, locked):
        self.check_lock(user, locked)
        path = self.client.path('v1/users/{}/lock', user['id'])

        def read_back():
            raw = or_none(self._get, self.client.path('v1/users/{}', user['id'])) or {}
            return bool(raw.get('locked')) == bool(locked)

        self._write('POST', path, _model.lock_body(locked), 'POST /' + path, read_back)
        return self._seen_user(dict(user, locked=bool(locked), enabled=not locked))

    def delete_user(self, user):
        raise UnsupportedError(self.name, 'deleting users (Connect has no user delete API; offboard '
                                          'a user with locked: true)')

    # ---- groups -----------------------------------------------------------------------------
    def prefetch_groups(self, domain=None):
        """Every group in one listing, so later lookups by name cost nothing."""
        self._state()
        groups = self.directory('groups')
        if not groups.listed:
            rows, complete = self._collect('v1/groups')
            if not complete:
                self._incomplete.add('groups')
            groups.fill([self._api_group(raw) for raw in rows], complete)   # two groups may share a name
        return groups.named()

    def find_group(self, name, domain=None, cached=True):
        """The group called ``name``, or None: one ``prefix`` search (or none after a prefetch).
        Group names compare exactly."""
        self._state()
        groups = self.directory('groups')
        if groups.listed and cached:
            if len(groups.named(name)) > 1:
                raise _ambiguous('group', name, groups.named(name))
            found = groups.by_name(name)
            return None if found is MISS else found
        rows, complete = self._collect('v1/groups', {'prefix': name})
        found = [self._api_group(raw) for raw in rows if raw.get('name') == name]
        if found:
            return _one('group', name, found)
        if not complete:
            groups.listed = False
            return dict((g['name'], g) for g in self.prefetch_groups()).get(name)
        return None

    def list_groups(self, name=None, domain=None):
        if name:
            group = self.find_group(name)
            if _model.looks_like_guid(name):   # a name and a guid both count (see the module docstring)
                by_guid = self._held_group(name)
                if by_guid is None:
                    raw = or_none(self._get, self.client.path('v1/groups/{}', name))
                    by_guid = raw and self._api_group(raw)
                group = _one('group', name, [group, by_guid or None])
            return [self._with_raw(group)] if group else []
        return [self._with_raw(g) for g in self.prefetch_groups()]

    def resolve_group(self, ref, domain=None, known=()):
        """The group whose name or guid is ``ref``; raises :class:`NotFoundError`."""
        self._state()
        guid = _model.looks_like_guid(ref)
        group = None if guid else _one('group', ref, [g for g in known or () if g.get('name') == ref])
        if group is not None:   # a UUID-shaped value is checked as a name and a guid, once per run
            return group
        if guid and self._held_group((self._refs or {}).get(('group', ref))):
            return self._held_group(self._refs[('group', ref)])
        found = [] if ('group', ref) in self._missing else self.list_groups(ref)
        if not found:
            self._missing.add(('group', ref))
            raise NotFoundError('group %r not found (looked up by name and by guid)' % ref, self.name)
        if guid:
            self._refs = self._refs or {}
            self._refs[('group', ref)] = found[0]['id']
        return found[0]

    def create_group(self, fields, domain=None):
        """``POST /v1/groups``; a create whose answer was lost is looked up (:meth:`_create`)."""
        body = _model_call(_model.group_create_body, fields)
        raw, group = self._create('v1/groups', body, 'group', lambda: self.find_group(body['name'], cached=False))
        if raw is not None:
            group = self._api_group(raw)
            self._members[group['id']] = set()
        self._missing.discard(('group', group['name']))
        return group

    def update_group(self, group, fields):
        body = _model_call(_model.group_update_body, fields)
        path = self.client.path('v1/groups/{}', group['id'])
        seen = []

        def read_back():
            raw = or_none(self._get, path) or {}
            seen.append(raw)
            return all(raw.get(field) == value for field, value in body.items())

        answer = self._write('POST', path, body, 'POST /' + path, read_back)
        return self._api_group(answer if answer is not None else seen[-1])

    def delete_group(self, group):
        path = self.client.path('v1/groups/{}', group['id'])
        # sent once (a repeat would answer 404, hiding whether it was done)
        with missing_is_gone():  # already gone: the desired state holds
            self._write('DELETE', path, None, 'DELETE /' + path,
                        lambda: or_none(self._get, path) is None, idempotent=False)
        self._seen_group(group, drop=True)

    # ---- members ----------------------------------------------------------------------------
    def list_group_users(self, group):
        """The members of ``group`` (one listing, every page); remembered for the run."""
        self._state()
        rows, complete = self._collect(self.client.path('v1/groups/{}/members', group['id']))
        users = [self._api_user(raw) for raw in rows]
        self._members[group['id']] = set(u['id'] for u in users)
        if complete:
            self._incomplete.discard(group['id'])
        else:
            self._incomplete.add(group['id'])
        return [self._with_raw(u) for u in users]

    def memberships_complete(self, kind, obj):
        """Whether the member listing of group ``obj`` (or, for user ``obj``, every listing its
        groups came from) was read whole."""
        self._state()
        if kind == 'group':
            return obj.get('id') not in self._incomplete
        return not self._incomplete

    def has_member(self, group, user):
        """Connect has no membership check but the member listing: None past a cut listing."""
        return None

    def prefetch_group_members(self, group):
        self._state()
        if group['id'] not in self._members:
            self.list_group_users(group)

    def prefetch_all_memberships(self):
        """Every group's members, indexed (one listing of the groups, one of each group's
        members): the only way Connect tells a user's groups."""
        for group in self.prefetch_groups():
            self.prefetch_group_members(group)
        return True

    def groups_of(self, user):
        """Every group of ``user``, from the indexed memberships (read on first use)."""
        self.prefetch_all_memberships()
        return sorted((g for g in self.directory('groups').named() if user['id'] in self._members.get(g['id'], ())),
                      key=lambda g: g['name'])

    def _member_now(self, group, user):
        """Whether ``user`` is a member of ``group`` now (a fresh member listing)."""
        rows, _complete = self._collect(self.client.path('v1/groups/{}/members', group['id']))
        return any(row.get('guid') == user['id'] for row in rows)

    def add_group_user(self, group, user):
        # already a member (409, code 16): the desired state holds
        self._write('POST', self.client.path('v1/groups/{}/members', group['id']), _model.member_body(user),
                    'adding %r to group %r' % (user['name'], group['name']),
                    lambda: self._member_now(group, user), tolerate=(409,))
        self._state()
        self._members.setdefault(group['id'], set()).add(user['id'])

    def remove_group_user(self, group, user):
        with missing_is_gone():  # not a member any more: the desired state holds
            self._write('DELETE', self.client.path('v1/groups/{}/members/{}', group['id'], user['id']), None,
                        'removing %r from group %r' % (user['name'], group['name']),
                        lambda: not self._member_now(group, user), idempotent=False)
        self._state()
        self._members.get(group['id'], set()).discard(user['id'])
