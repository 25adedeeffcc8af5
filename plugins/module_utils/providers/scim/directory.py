# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SCIM directory: Users and Groups (create, PATCH or PUT, delete), group members, with the
run's caches.

Lookups use ``filter`` (``userName eq "x"``, ``displayName eq "x"``, ``members.value eq "id"``)
where the ``ServiceProviderConfig`` says filtering is supported; otherwise one listing of every
resource of the type (``startIndex``/``count``), matched here, read once per run. Changes are
PATCH ``Operations`` where PATCH is supported, else a PUT of the whole resource; both carry
``If-Match`` with the version read when the server offers ETags.

Choices RFC 7643/7644 leave to the server, as scim2-server 0.8 makes them (see the provider's
docs): ``userName`` and ``displayName`` compare case-insensitively (``caseExact: false``); a
PATCH answers 204 without a body; a member ``value`` is not checked against existing users;
a User's ``groups`` attribute is not returned, so a user's groups are read from
``/Groups?filter=members.value eq "<id>"``. A Group member of ``type: Group`` (a subgroup) is
stored with its type, neither checked against existing groups nor against cycles (a group in
itself is accepted): the module checks both before writing. A member without ``type`` is a user.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._handlers import missing_is_gone, or_none
from ansible_collections.iamops.identity.plugins.module_utils._directory import MISS, CachedDirectory
from ansible_collections.iamops.identity.plugins.module_utils._errors import (
    APIError, ConfigError, NotFoundError, UnsupportedError)
from ansible_collections.iamops.identity.plugins.module_utils.providers.scim import _model


def _model_call(func, *args):
    """Run a pure ``_model`` function, turning its ModelError into the collection's error."""
    try:
        return func(*args)
    except _model.ModelError as exc:
        raise ConfigError(str(exc), 'scim')


def refuse_domain(kind, ref, domain):
    """SCIM has no domains: a ``{name, domain}`` item of ``groups``/``users`` naming one is refused
    (the capability check sees only top-level options, so this is the first place it can be)."""
    if domain is not None:
        raise ConfigError('SCIM has no domains: name %s %r without a domain (got domain %r)' % (kind, ref, domain),
                          'scim')


def _folded(name):
    return (name or '').lower()


class ScimDirectory(CachedDirectory):
    """Mixin: users, groups and memberships of :class:`ScimProvider`.

    Users and groups are in ``self.directory('users')`` / ``('groups')`` (:mod:`_directory`: by
    id, and by ``userName`` / ``displayName`` compared without regard to case as RFC 7643 says;
    ``listed`` after a full listing; two groups may share a displayName).
    """

    _raw = None             # id -> the SCIM resource last read (for If-Match, PUT, raw)
    _members = None         # group id -> set of user ids, for groups whose members were read
    _subgroups = None       # group id -> set of the ids of its Group members, likewise
    _missing = None         # ('user' | 'group', ref) looked up this run and not found
    _cut_short = None       # ids of users whose groups came from a listing stopped early

    def _state(self):
        if self._raw is None:
            self._raw, self._members, self._subgroups, self._missing = {}, {}, {}, set()

    def _scim_users(self):
        return self.directory('users', name_key=_folded)

    def _scim_groups(self):
        return self.directory('groups', name_key=_folded)

    def _seen_group(self, ref):
        """The group of id ``ref`` this run has seen, else None (never a request)."""
        return self._scim_groups().held(ref)

    def _seen_user(self, ref):
        """The user of id ``ref`` this run has seen, else None (never a request)."""
        return self._scim_users().held(ref)

    def _api_user(self, raw):
        self._state()
        self._raw[raw.get('id')] = raw
        return self._scim_users().put(_model.user_from_api(raw))

    def _api_group(self, raw):
        self._state()
        self._raw[raw.get('id')] = raw
        group = _model.group_from_api(raw)
        self._scim_groups().put(group)  # a new displayName replaces the old one
        if 'members' in raw or raw.get('meta'):
            self._members[group['id']] = set(_model.member_ids(raw))
            self._subgroups[group['id']] = set(_model.member_ids(raw, _model.GROUP_MEMBER))
        return group

    def _with_raw(self, obj):
        return dict(obj, raw=self._raw.get(obj['id']))

    # ---- users ------------------------------------------------------------------------------
    def _all_users(self):
        """Every user, one listing per run (a server without filtering)."""
        self._state()
        users = self._scim_users()
        if not users.listed:
            rows, complete = self._collect('Users')
            users.fill([self._api_user(raw) for raw in rows], complete)
        return users.values()

    def find_user(self, name, domain=None, cached=True):
        """The user whose ``userName`` is ``name``, or None: one ``filter=userName eq "name"``.
        The server compares ``userName`` as its schema says (case-insensitively by RFC 7643):
        a case variant it finds is that user, never renamed."""
        self._state()
        users = self._scim_users()
        if not cached:
            users.listed = users.complete = False
        if users.listed or not self.features.filter:
            self._all_users()
            found = users.by_name(name or '')
            return None if found is MISS else found
        if cached:
            for user in users.values():
                if user['name'] == name:
                    return user
        rows, _complete = self._collect('Users', {'filter': _model.eq('userName', name)})
        exact = [r for r in rows if r.get('userName') == name]
        chosen = exact or [r for r in rows if (r.get('userName') or '').lower() == (name or '').lower()]
        return self._api_user(chosen[0]) if chosen else None

    def get_user(self, user_id):
        raw = or_none(self._get, self.client.path('Users/{}', user_id))
        return self._api_user(raw) if raw else None

    def list_users(self, name=None, domain=None, filters=None):
        """Users by userName-or-id, or by ``filters`` (``filter``: a SCIM filter expression;
        other keys: ``attribute eq value``), every page."""
        self._state()
        expression = _model_call(_model.user_filter, filters)
        if name:
            user = self.find_user(name) or self._by_id('user', name)
            if user is not None and expression:
                user = dict((u['id'], u) for u in self.list_users(filters=filters)).get(user['id'])
            return [self._with_raw(user)] if user else []
        if expression and not self.features.filter:
            if 'filter' in (filters or {}):
                raise UnsupportedError(self.name, 'filters.filter (the server\'s ServiceProviderConfig says it '
                                                  'does not filter)')
            return [self._with_raw(u) for u in self._all_users()
                    if _model.matches_locally(self._raw[u['id']], filters)]
        rows, _complete = self._collect('Users', {'filter': expression} if expression else None)
        return [self._with_raw(self._api_user(raw)) for raw in rows]

    def count_users(self, filters=None):
        expression = _model_call(_model.user_filter, filters)
        if expression and not self.features.filter:
            return len(self.list_users(filters=filters))
        return self._total('Users', {'filter': expression} if expression else None)

    def _by_id(self, kind, ref):
        """The user or group whose SCIM ``id`` is ``ref`` (one GET), or None."""
        self._state()
        known = self._seen_user(ref) if kind == 'user' else self._seen_group(ref)
        if known is not None:
            return known
        if ('id', kind, ref) in self._missing or '/' in (ref or ''):
            return None
        raw = or_none(self._get, self.client.path('Users/{}' if kind == 'user' else 'Groups/{}', ref))
        if not raw:
            self._missing.add(('id', kind, ref))
            return None
        return self._api_user(raw) if kind == 'user' else self._api_group(raw)

    def resolve_user(self, ref, domain=None, known=()):
        """The user whose userName or id is ``ref``; raises :class:`NotFoundError`."""
        refuse_domain('user', ref, domain)
        self._state()
        for user in known or ():
            if user.get('name') == ref or user.get('id') == ref:
                return user
        if self._seen_user(ref) is not None:
            return self._seen_user(ref)
        user = None if ('user', ref) in self._missing else self.find_user(ref)
        if user is None and ('user', ref) not in self._missing:
            user = self._by_id('user', ref)
        if user is None:
            self._missing.add(('user', ref))
            raise NotFoundError('user %r not found (looked up by userName and by id)' % ref, self.name)
        return user

    def create_user(self, fields, domain=None):
        """``POST /Users`` (201 with the user). A password is sent in the create only."""
        body = _model_call(_model.user_create_body, fields)
        raw = self.client.json('POST', 'Users', json=body)
        if not raw or not raw.get('id'):  # a server that answers the create without the resource
            found = self.find_user(fields['name'], cached=False)
            if found is None:
                raise APIError(self.name, 'POST', '/Users', status=201,
                               server_message='the create answered no user, and none is found by userName')
            return found
        self._missing.discard(('user', fields['name']))
        return self._api_user(raw)

    def update_user(self, user, fields):
        """PATCH ``Operations`` (or a PUT of the whole user without PATCH), with ``If-Match``."""
        fields = dict(fields)
        if fields.get('password') is not None and not self.features.change_password:
            raise UnsupportedError(self.name, 'changing a password (the server\'s ServiceProviderConfig says '
                                              'changePassword is not supported)')
        raw = self._raw.get(user['id']) if self._raw else None
        if raw is None:
            self.get_user(user['id'])
            raw = self._raw.get(user['id']) or {}
        path = self.client.path('Users/{}', user['id'])
        what = 'user %r' % user['name']
        done = None if fields.get('password') is not None else (lambda: self._user_holds(path, fields))
        if self.features.patch:
            operations = _model_call(_model.user_operations, raw, fields)
            if not operations:
                return user
            answer = self._write('PATCH', path, raw, _model.patch_body(operations), what, done)
        else:
            answer = self._write('PUT', path, raw, _model_call(_model.user_replacement, raw, fields), what, done)
        if not answer or not answer.get('id'):
            # 204 (scim2-server) or an empty 200: read the user back, so the result is the server's
            answer = self._get(path) or _model.merge_user(raw, fields)
        return self._scim_users().rename(self._api_user(answer), user['name'])  # a new userName replaces the old one

    def _user_holds(self, path, fields):
        """Whether the user at ``path`` now has ``fields`` (a lost answer read back)."""
        raw = or_none(self._get, path)
        if not raw:
            return False
        now = _model.user_from_api(raw)
        return all(now.get(k) == (None if v == '' else v) for k, v in fields.items())

    def delete_user(self, user):
        """``DELETE /Users/{id}``; a 404 (already gone) is the desired state."""
        with missing_is_gone():
            self.client.request('DELETE', self.client.path('Users/{}', user['id']))
        self._state()
        self._scim_users().drop(user)
        self._raw.pop(user['id'], None)
        for members in self._members.values():
            members.discard(user['id'])

    # ---- groups -----------------------------------------------------------------------------
    def _all_groups(self):
        self._state()
        groups = self._scim_groups()
        if not groups.listed:
            rows, complete = self._collect('Groups')
            groups.fill([self._api_group(raw) for raw in rows], complete)
        return groups.named()

    def prefetch_groups(self, domain=None):
        return self._all_groups()

    def find_group(self, name, domain=None, cached=True):
        """The group whose ``displayName`` is ``name``, or None (one filter, or the listing)."""
        self._state()
        groups = self._scim_groups()
        if groups.listed and cached:
            sharing = groups.named(name or '')
            if len(sharing) > 1:  # a displayName need not be unique
                chosen = self._one([g for g in sharing if g['name'] == name] or sharing, name)
                return self._seen_group(chosen['id'])
            return sharing[0] if sharing else None
        if not self.features.filter:
            groups.listed = False
            return self.find_group(name) if self._all_groups() is not None else None
        if cached:
            for group in groups.values():
                if group['name'] == name:
                    return group
        rows, _complete = self._collect('Groups', {'filter': _model.eq('displayName', name)})
        exact = [r for r in rows if r.get('displayName') == name]
        chosen = exact or [r for r in rows if (r.get('displayName') or '').lower() == (name or '').lower()]
        return self._api_group(self._one(chosen, name)) if chosen else None

    def _one(self, rows, name):
        """The one group of ``rows`` called ``name``: a displayName need not be unique (RFC 7643;
        scim2-server lets two groups share one), and a task naming such a group is refused, not
        guessed, before any write."""
        if len(rows) > 1:
            raise ConfigError('%d groups have the displayName %r (ids %s): name the group by its id' % (
                len(rows), name, ', '.join(sorted(r.get('id') or '?' for r in rows))), self.name)
        return rows[0]

    def list_groups(self, name=None, domain=None):
        if name:
            group = self.find_group(name) or self._by_id('group', name)
            return [self._with_raw(group)] if group else []
        return [self._with_raw(g) for g in self._all_groups()]

    def resolve_group(self, ref, domain=None, known=()):
        refuse_domain('group', ref, domain)
        self._state()
        for group in known or ():
            if group.get('name') == ref or group.get('id') == ref:
                return group
        if self._seen_group(ref) is not None:
            return self._seen_group(ref)
        found = [] if ('group', ref) in self._missing else self.list_groups(ref)
        if not found:
            self._missing.add(('group', ref))
            raise NotFoundError('group %r not found (looked up by displayName and by id)' % ref, self.name)
        return self._seen_group(found[0]['id'])

    def create_group(self, fields, domain=None):
        body = _model_call(_model.group_create_body, fields)
        raw = self.client.json('POST', 'Groups', json=body)
        if not raw or not raw.get('id'):
            found = self.find_group(fields['name'], cached=False)
            if found is None:
                raise APIError(self.name, 'POST', '/Groups', status=201,
                               server_message='the create answered no group, and none is found by displayName')
            return found
        self._missing.discard(('group', fields['name']))
        group = self._api_group(raw)
        self._members.setdefault(group['id'], set())
        self._subgroups.setdefault(group['id'], set())
        return group

    def _group_raw(self, group):
        raw = self._raw.get(group['id'])
        if raw is None or 'meta' not in raw:
            raw = self._get(self.client.path('Groups/{}', group['id']))
            self._api_group(raw)
        return raw

    def update_group(self, group, fields):
        """A rename: PATCH ``replace displayName`` (or a PUT of the group)."""
        raw = self._group_raw(group)
        path = self.client.path('Groups/{}', group['id'])
        what = 'group %r' % group['name']

        def done():
            return (or_none(self._get, path) or {}).get('displayName') == fields.get('name')

        if self.features.patch:
            operations = _model_call(_model.group_operations, fields)
            if not operations:
                return group
            answer = self._write('PATCH', path, raw, _model.patch_body(operations), what, done)
        else:
            _model_call(_model.group_operations, fields)
            answer = self._write('PUT', path, raw, _model.group_replacement(raw, name=fields.get('name')), what, done)
        if not answer or not answer.get('id'):
            answer = self._get(path)
        return self._api_group(answer)

    def delete_group(self, group):
        with missing_is_gone():  # already gone: the desired state holds
            self.client.request('DELETE', self.client.path('Groups/{}', group['id']))
        self._state()
        self._scim_groups().drop(group)
        self._members.pop(group['id'], None)
        self._subgroups.pop(group['id'], None)
        for subgroups in self._subgroups.values():
            subgroups.discard(group['id'])

    # ---- members ----------------------------------------------------------------------------
    def _held_ids(self, member_type):
        """group id -> the ids of its members of ``member_type`` (users, or its subgroups)."""
        return self._members if member_type == _model.USER_MEMBER else self._subgroups

    def _member_ids(self, group, member_type=_model.USER_MEMBER):
        """The IDs of the members of ``member_type`` in ``group`` (the group read once per run)."""
        self._state()
        if group['id'] not in self._members or group['id'] not in self._raw \
                or 'meta' not in (self._raw.get(group['id']) or {}):
            raw = self._get(self.client.path('Groups/{}', group['id']))
            self._api_group(raw)
        return self._held_ids(member_type).get(group['id'], set())

    def _read_by_ids(self, member_type, ids):
        """The users (or groups) of ``ids`` not seen yet, read with ``id eq .. or ..`` filters
        (chunks of :data:`_model.FILTER_CHUNK`), or one listing of every one without filtering.
        A member the server does not know (SCIM does not require referential integrity) is left out."""
        self._state()
        users = member_type == _model.USER_MEMBER
        seen, read = (self._seen_user, self._api_user) if users else (self._seen_group, self._api_group)
        wanted = [i for i in ids if seen(i) is None]
        if not wanted:
            return seen
        if not self.features.filter:
            (self._all_users if users else self._all_groups)()   # once per run: this run's creates join the index
            return seen
        for start in range(0, len(wanted), _model.FILTER_CHUNK):
            chunk = wanted[start:start + _model.FILTER_CHUNK]
            rows, _complete = self._collect('Users' if users else 'Groups', {'filter': _model.any_of('id', chunk)})
            for raw in rows:
                read(raw)
        return seen

    def _members_of(self, group, member_type):
        ids = sorted(self._member_ids(group, member_type))
        seen = self._read_by_ids(member_type, ids)
        return [self._with_raw(seen(i)) for i in ids if seen(i) is not None]

    def group_members(self, group):
        return self._members_of(group, _model.USER_MEMBER)

    def group_subgroups(self, group):
        """The groups that are members of ``group`` (its ``members`` of ``type: Group``), read
        with the group itself; a subgroup the server no longer has is left out."""
        return self._members_of(group, _model.GROUP_MEMBER)

    def user_groups(self, user, among=None):
        """The groups of ``user``: one ``filter=members.value eq "<id>"`` (only the group names
        asked for), or, without filtering, every group's members from one listing."""
        self._state()
        if not self.features.filter:
            groups = self._all_groups()   # once per run; this run's membership writes update _members
            return sorted((g for g in groups if user['id'] in self._members.get(g['id'], ())),
                          key=lambda g: g['name'])
        rows, complete = self._collect('Groups', {'filter': _model.eq('members.value', user['id']),
                                                  'attributes': 'displayName'})
        self._cut_short = self._cut_short or set()
        if complete:
            self._cut_short.discard(user['id'])
        else:
            self._cut_short.add(user['id'])
        groups = []
        for raw in rows:
            group = _model.group_from_api(raw)
            known = self._seen_group(group['id'])
            groups.append(known or group)
            if known is None:
                self._scim_groups().put(group)
        return sorted(groups, key=lambda g: g['name'] or '')

    def memberships_complete(self, kind, obj):
        """False after a user's groups came from a listing the client stopped early (a group's
        members come whole with the group)."""
        return not (kind == 'user' and obj.get('id') in (self._cut_short or ()))

    def apply_memberships(self, add=(), remove=()):
        """One write per group: a PATCH adding and removing its members (or a PUT of its whole
        member list without PATCH), with ``If-Match`` where the server offers ETags."""
        self._apply_members(add, remove, _model.USER_MEMBER)

    def apply_subgroups(self, add=(), remove=()):
        """As :meth:`apply_memberships`, for ``(group, subgroup)`` pairs: members of ``type: Group``
        (a PUT keeps the user members as they are)."""
        self._apply_members(add, remove, _model.GROUP_MEMBER)

    def _apply_members(self, add, remove, member_type):
        per_group = {}
        order = []
        for action, pairs in (('add', add), ('remove', remove)):
            for group, user in pairs:
                if group['id'] not in per_group:
                    per_group[group['id']] = (group, [], [])
                    order.append(group['id'])
                per_group[group['id']][1 if action == 'add' else 2].append(user['id'])
        done = []
        for group_id in order:
            group, adding, removing = per_group[group_id]
            try:
                self._change_members(group, adding, removing, member_type)
            except APIError as exc:
                if done:
                    exc.message += '; done before this failure: %s' % '; '.join(done)
                raise
            done.append('members of group %r' % group['name'])

    def _change_members(self, group, adding, removing, member_type):
        path = self.client.path('Groups/{}', group['id'])
        what = 'the %s of group %r' % ('members' if member_type == _model.USER_MEMBER else 'subgroups', group['name'])

        def done():
            now = set(_model.member_ids(or_none(self._get, path), member_type))
            return set(adding) <= now and not (set(removing) & now)

        if self.features.patch:
            raw = self._raw.get(group['id']) if self.features.etag else None
            if self.features.etag and (raw is None or 'meta' not in raw):
                raw = self._group_raw(group)
            operations = _model.member_operations(adding, removing, member_type)
            self._write('PATCH', path, raw, _model.patch_body(operations), what, done)
        else:
            raw = self._group_raw(group)
            members = (set(_model.member_ids(raw, member_type)) | set(adding)) - set(removing)
            body = _model.group_replacement(raw, members=sorted(members), member_type=member_type)
            self._write('PUT', path, raw, body, what, done)
        self._raw.pop(group['id'], None)  # its version changed: read again before another write
        current = self._held_ids(member_type).setdefault(group['id'], set())
        current.update(adding)
        current.difference_update(removing)
