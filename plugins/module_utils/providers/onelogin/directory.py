# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""OneLogin users and groups.

Users are read and written through ``/api/2/users`` (bare JSON; a create takes the password, the
state and the group in its one POST), and through the v1 actions of ``UsersV1Api`` for what v2
has no attribute for: ``set_state``, ``lock_user``, ``logout``, ``set_password_clear_text`` and
``set_password_using_salt``, ``custom_attributes``, a user's apps. Groups are read-only
(``/api/1/groups``); a user holds one group, its ``group_id``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.iamops.identity.plugins.module_utils._directory import MISS, CachedDirectory
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils.providers._base import not_found
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin import _model
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin.session import PAGE

# the user listing's server-side filters (the seed's list_users), besides custom_attributes
FILTERS = ('email', 'username', 'firstname', 'lastname', 'samaccountname', 'directory_id', 'external_id',
           'user_ids', 'created_since', 'created_until', 'updated_since', 'updated_until',
           'last_login_since', 'last_login_until')
# fields of the common model that are not v2 attributes written by PUT /api/2/users
ACTIONS = ('password', 'password_algorithm', 'password_salt', 'enabled', 'locked', 'lock_minutes', 'user_state',
           'password_expired')
# Documented limits, checked before the first request (UsersV1Api, the seed, and the SDK's models):
# ``lock_user``'s ``locked_until`` is a number of minutes, 0 meaning the policy's lock period (an
# integer: the API's integer is 32 bits); ``password_salt`` "up to 40 characters long".
LOCK_MINUTES = (0, 2 ** 31 - 1)
PASSWORD_PENDING = 7  # the status of a user created without a password
SALT_LENGTH = 40
# OneLogin's answer to a create whose username another user has (a race with another run)
USERNAME_TAKEN = re.compile(r'username has already been taken', re.IGNORECASE)
# OneLogin's 400 to an action that is already done (UsersV1Api: add_roles, remove_roles, set_state):
# another run did it since this one read the user, or an earlier send of this one did
ALREADY_DONE = re.compile(r'already included as user roles|is not included as user roles|already in this state')


def _lower(value):
    return (value or '').lower()


def check_limits(params, batch_option='users'):
    """Refuse (ConfigError) a value past a documented limit, in ``params`` and each batch item."""
    places = [('', params)] + [('%s[%d].' % (batch_option, i), item)
                               for i, item in enumerate(params.get(batch_option) or []) if isinstance(item, dict)]
    for where, place in places:
        _check_status(where, dict(params, **dict((k, v) for k, v in place.items() if v is not None)))
        minutes = place.get('lock_minutes')
        if minutes is not None and not LOCK_MINUTES[0] <= minutes <= LOCK_MINUTES[1]:
            raise ConfigError('%slock_minutes: %r is not a number of minutes from %d (the policy\'s lock period) '
                              'to %d' % ((where, minutes) + LOCK_MINUTES), 'onelogin')
        salt = place.get('password_salt')
        if salt is not None and len(salt) > SALT_LENGTH:
            raise ConfigError('%spassword_salt: %d characters; OneLogin takes a salt of at most %d'
                              % (where, len(salt), SALT_LENGTH), 'onelogin')


def _check_status(where, wanted):
    """Refuse ``password_expired: true`` with ``enabled: false`` or ``locked: true``: Password
    expired (4), Suspended (2) and Locked (3) are values of a user's one ``status``."""
    if wanted.get('password_expired') is not True:
        return
    for option, value, status in (('enabled', False, 'Suspended'), ('locked', True, 'Locked')):
        if wanted.get(option) is value:
            raise ConfigError('%spassword_expired=true (status Password expired) and %s=%s (status %s) are two values '
                              "of a OneLogin user's one status: give one of them" % (where, option, str(value).lower(), status),
                              'onelogin')


class OneLoginDirectory(CachedDirectory):
    """Mixin: users and (read-only) groups of :class:`OneLoginProvider`.

    What the run read is in ``self.directory`` (:mod:`_directory`): ``'users'`` (v2 bodies by
    username, compared without regard to case, and by ID), ``'groups'`` and ``'roles'``.
    """

    single_group = True  # a OneLogin user has one group_id
    groups_on_create = True  # ...which the create request sets

    def __init__(self, params, warn=None, no_log_values=None):
        check_limits(params)  # before the session exists, so before any request
        super(OneLoginDirectory, self).__init__(params, warn, no_log_values)

    # ---- users: reads -----------------------------------------------------------------------------
    def _user_bodies(self):
        return self.directory('users', name='username')

    def _held(self, name):
        """The v2 body of the user ``name`` if the run read it, else None (never a request)."""
        found = self._user_bodies().by_name(name or '')
        return None if found is MISS else found

    def _remember(self, body):
        if body and body.get('username'):
            self._user_bodies().put(body)
        return body

    def _user(self, body):
        return _model.user_from_api(body) if body else None

    def _fetch_user(self, name):
        """The v2 body of the user ``name`` (exact username, case-insensitive), or None."""
        if '*' in name:  # a wildcard in the filter: list by the name's prefix and match exactly
            params = {'username': name.split('*', 1)[0] + '*'}
        else:
            params = {'username': name}
        for body in self._list_v2('/api/2/users', params):
            if _lower(body.get('username')) == _lower(name):
                return self._remember(body)
        return None

    def find_user(self, name, domain=None, cached=True):
        found = self._user_bodies().by_name(name) if cached else MISS
        if found is not MISS:  # held, or absent from the complete listing
            return self._user(found)
        return self._user(self._fetch_user(name))

    def prepare_users(self, refs):
        """A batch's users: one listing of every user when that costs fewer requests than one
        lookup per user (the first page's ``Total-Pages`` tells), else one lookup each later."""
        users = self._user_bodies()
        names = set(_lower(name) for name, _domain in refs if name)
        if len(names) < 2 or users.complete:
            return
        response = self._call('GET', '/api/2/users', params={'limit': PAGE})
        bodies = [b for b in self.client.decode(response) or [] if b.get('username')]
        users.fill(bodies, complete=False)
        pages = int(response.headers.get('Total-Pages') or 1)
        if pages > 1 and pages - 1 < len([n for n in names if users.by_name(n) is MISS]):
            following = _model.v2_next(response.headers, '/api/2/users', {'limit': PAGE})
            bodies += list(self._list_v2(*following)) if following else []
            pages = 1
        if pages == 1:  # only then is a missing user known to be missing
            users.fill(bodies, complete=True)
            self._check_user_batch()

    def _check_user_batch(self):
        """The fewest requests the batch of ``users`` sends (a create per missing user to be
        present, a delete per existing user to be absent, a logout each), against the rate limit."""
        items = self.batch
        needed = 0
        for item in items:
            exists = self._held(item.get('name')) is not None
            needed += 1 if (item['state'] == 'present') != exists else 0
            needed += 1 if item['state'] == 'present' and item.get('logout') else 0
        self.check_budget(needed, 'the batch of %d users' % len(items))

    def list_users(self, name=None, domain=None, filters=None, fields=None, with_apps=False, with_roles=False):
        """The users matching ``name`` (username or ID) and ``filters``, in the common model with
        the API's object under ``raw`` (and ``apps``/``roles`` when asked)."""
        params = self._filter_params(filters)
        if fields:
            params['fields'] = ','.join(fields)
        if name is not None:
            if str(name).isdigit():
                body = self._get_or_none(self.client.path('/api/2/users/{}', name))
                if body is not None:
                    yield self._listed(body, with_apps, with_roles)
                    return
            params['username'] = name
        for body in self._list_v2('/api/2/users', params):
            yield self._listed(body, with_apps, with_roles)

    def _filter_params(self, filters):
        params = {}
        for key, value in sorted((filters or {}).items()):
            if key == 'custom_attributes' and isinstance(value, dict):
                params.update(('custom_attributes.%s' % k, v) for k, v in value.items())
            elif key in FILTERS:
                params[key] = ','.join(str(v) for v in value) if isinstance(value, list) else value
            else:
                raise ConfigError('unknown filter %r for OneLogin users (one of %s, custom_attributes)'
                                  % (key, ', '.join(FILTERS)), self.name)
        return params

    def _listed(self, body, with_apps, with_roles):
        user = dict(_model.user_from_api(body), raw=body)
        if with_roles:
            user['roles'] = self._roles_of(body)
        if with_apps:
            user['apps'] = self._v1('GET', self.client.path('/api/1/users/{}/apps', body['id']))
        return user

    def user_attribute_names(self):
        data = self._v1('GET', '/api/1/users/custom_attributes')
        return list(data[0]) if data and isinstance(data[0], list) else list(data)

    def user_fields(self, fields, domain=None):
        """``manager`` (a username, or a user ID: digits) becomes the ID of the user it names, who
        must exist. Suspended and Locked are both values of the one ``status``: a user cannot be both."""
        if fields.get('enabled') is False and fields.get('locked') is True:
            raise ConfigError('enabled=false (status Suspended) and locked=true (status Locked) are two values '
                              "of a OneLogin user's one status: give one of them", self.name)
        fields = dict(fields)
        if fields.get('manager'):
            try:
                fields['manager'] = self.resolve_user(fields['manager'])['id']
            except NotFoundError as exc:
                exc.message = 'manager: %s' % exc.message
                raise
        return fields

    def predict_user(self, fields, domain=None):
        """The user a create of ``fields`` makes, with OneLogin's defaults for a new user (what
        :meth:`create_user` returns but the ID): state Approved; status Password Pending without a
        password (docs/providers.md §1.4), Active with one, Suspended or Locked when asked; no
        role; the group the create sets (the task's first of ``groups``), else none."""
        body = {'id': None, 'state': _model.STATES['approved'], 'role_ids': [], 'group_id': None,
                'manager_user_id': None, 'locked_until': None, 'custom_attributes': {}}
        body.update((attr, None) for _key, attr in _model.PLAIN)
        body.update(_model.user_to_api(dict((k, v) for k, v in fields.items() if k not in ACTIONS)))
        if fields.get('user_state'):
            body['state'] = _model.STATES[fields['user_state']]
        if fields.get('enabled') is False:
            body['status'] = _model.SUSPENDED
        elif fields.get('locked') is True:
            body['status'] = _model.LOCKED
        elif fields.get('password_expired') is True:
            body['status'] = _model.PASSWORD_EXPIRED
        else:
            body['status'] = _model.ACTIVE if self._given(fields, 'password') else PASSWORD_PENDING
        groups = self._given(fields, 'groups')
        if groups:  # the create sets the user's one group (groups_on_create)
            try:
                ref = groups[0].get('name') if isinstance(groups[0], dict) else groups[0]
                body['group_id'] = self.resolve_group(ref)['id']
            except NotFoundError:
                pass  # predicted too (an earlier task may create it); the module warns
        return self._user(body)

    def _given(self, fields, option):
        """What the task gives for ``option`` for the user of ``fields``, which the module keeps out
        of the fields it plans with (the password, the groups): the item's own in a batch, else
        the task's."""
        if fields.get(option) is not None:
            return fields[option]
        return self.option_for(fields.get('name'), option)

    # ---- users: writes ----------------------------------------------------------------------------
    def create_user(self, fields, domain=None):
        """One POST: attributes, state, status (``enabled: false``), group and password; a lock
        follows (``lock_user`` has no attribute)."""
        body = _model.user_to_api(dict((k, v) for k, v in fields.items() if k not in ACTIONS))
        if fields.get('groups'):
            body['group_id'] = int(fields['groups'][0]['id'])
        if 'user_state' in fields:
            body['state'] = _model.STATES[fields['user_state']]
        if fields.get('enabled') is False:
            body['status'] = _model.SUSPENDED
        elif fields.get('password_expired') is True:
            body['status'] = _model.PASSWORD_EXPIRED
        if fields.get('password'):
            endpoint, secret = _model.password_request(
                fields['password'], fields.get('password_algorithm'), fields.get('password_salt'))
            body.update((k, v) for k, v in secret.items() if k != 'validate_policy')
            if 'password_salt' in body:
                body['salt'] = body.pop('password_salt')
        try:
            created = self._remember(self._json('POST', '/api/2/users', json=body, ok=(201, 200)))
        except APIError as exc:
            if exc.status == 422 and USERNAME_TAKEN.search(exc.server_message or ''):
                exc.conflict = True  # another run created it since the lookup: the frame adopts it
            raise
        if _model.wants_lock(self._user(created), fields.get('enabled'), fields.get('locked')):
            created = self._lock(created, fields.get('lock_minutes'))
        return self._user(created)

    def update_user(self, user, fields):
        """A PUT for the attributes (and status: suspend, reactivate, unlock), then the v1 actions
        the change needs: ``set_state``, ``lock_user``, a password endpoint."""
        body = self._held(user['name']) or self._json('GET', self.client.path('/api/2/users/{}', user['id']))
        attributes = _model.user_to_api(dict((k, v) for k, v in fields.items() if k not in ACTIONS))
        status = _model.status_change(user, fields.get('enabled'), fields.get('locked'), fields.get('password_expired'))
        if status is not None:
            attributes['status'] = status
        if attributes:
            body = self._remember(self._json('PUT', self.client.path('/api/2/users/{}', user['id']), json=attributes))
            self._user_bodies().rename(body, user['name'])  # a new username replaces the old one
        if 'user_state' in fields:
            state = _model.STATES[fields['user_state']]
            self._write_once('PUT', self.client.path('/api/1/users/{}/set_state', user['id']), json={'state': state},
                             done=lambda fresh: fresh is not None and fresh.get('state') == state, user_id=user['id'])
            body = self._remember(dict(body, state=state))
        if _model.wants_lock(user, fields.get('enabled'), fields.get('locked')):
            body = self._lock(body, fields.get('lock_minutes'))
        if fields.get('password'):
            endpoint, secret = _model.password_request(
                fields['password'], fields.get('password_algorithm'), fields.get('password_salt'))
            self._json('PUT', self.client.path('/api/1/users/{}/{}', endpoint, user['id']), json=secret)
        return self._user(body)

    def _lock(self, body, minutes):
        self._json('PUT', self.client.path('/api/1/users/{}/lock_user', body['id']), json={'locked_until': int(minutes or 0)})
        return self._remember(dict(body, status=_model.LOCKED))

    def delete_user(self, user):
        self._write_once('DELETE', self.client.path('/api/2/users/{}', user['id']), ok=(204, 200),
                         done=lambda fresh: fresh is None, user_id=user['id'])
        held = self._held(user['name'])
        if held is not None:
            self._user_bodies().drop(held)

    # ---- writes that must not be sent twice --------------------------------------------------------------
    def _write_once(self, method, path, done, user_id, json=None, ok=None):
        """Send a write that is not idempotent in OneLogin's API (``add_roles``, ``remove_roles``,
        ``set_state`` answer 400 when repeated; a repeated DELETE 404) once (``idempotent=False``:
        no resend after a read error or a 5xx). When its answer was lost (no answer, a timeout, a
        5xx) or the server says it is already done (another run did it meanwhile), the user is read
        back and ``done(body)`` (the v2 body, None when the user is gone) tells whether the user is
        as the write makes it: then the write is reported done, with a warning; else the error
        stands (the client's :meth:`confirm_write`: a lost write found not done is no change)."""
        def read_back():
            fresh = self._get_or_none(self.client.path('/api/2/users/{}', user_id))
            if fresh is not None:
                self._remember(fresh)
            return done(fresh)

        what = '%s %s' % (method, path)
        try:
            return self.client.confirm_write(
                lambda: self._call(method, path, json=json, ok=ok, idempotent=False), read_back, what, warn=self.warn)
        except APIError as exc:
            if not (exc.status == 400 and ALREADY_DONE.search(exc.server_message or '')):
                raise
            if not read_back():
                raise
            self.warn('%s; read back, the user is as %s makes it (another run did it meanwhile): reported as done'
                      % (exc, what))
            return None

    def end_sessions(self, user):
        self._call('PUT', self.client.path('/api/1/users/{}/logout', user['id']))

    def resolve_user(self, ref, domain=None, known=()):
        """The user ``ref`` names: an ID when it is digits, else a username (compared without
        regard to case); see :func:`_model.is_id`."""
        ref = str(ref)
        if _model.is_id(ref):
            for user in list(known) + [self._user(b) for b in self._user_bodies().values()]:
                if user.get('id') == ref:
                    return user
            found = self._user(self._remember(self._get_or_none(self.client.path('/api/2/users/{}', ref))))
            if found is None:
                named = self.find_user(ref)
                raise NotFoundError('user ID %r not found%s' % (ref, _model.id_hint('user', ref, [named] if named else [])),
                                    self.name)
            return found
        for user in known:
            if _lower(user.get('name')) == _lower(ref):
                return user
        found = self.find_user(ref)
        if found is None:
            raise not_found(self, 'user', ref)
        return found

    # ---- groups (read-only) ------------------------------------------------------------------------
    def _all_groups(self):
        groups = self.directory('groups')
        if not groups.listed:
            groups.fill([dict(_model.group_from_api(g), domain_id=None, description=None, raw=g)
                         for g in self._list_v1('/api/1/groups')])
        return groups.values()

    def _pick(self, what, ref, items):
        try:
            return _model.pick(what, ref, items)
        except ValueError as exc:
            raise ConfigError(str(exc), self.name)

    def find_group(self, name, domain=None, cached=True):
        if not cached:
            self.directory.forget('groups')
        return self._pick('group', name, self._all_groups())

    def list_groups(self, name=None, domain=None):
        for group in self._all_groups():
            if name is None or name in (group['name'], group['id']):
                yield dict(group)

    def resolve_group(self, ref, domain=None, known=()):
        """The group ``ref`` names: an ID when it is digits, else a name held by one group only."""
        groups = self._all_groups()
        found = self._pick('group', str(ref), groups)
        if found is None and _model.is_id(ref):
            found = next((g for g in known if g.get('id') == str(ref)), None)
        if found is None:
            raise NotFoundError('group %s%r not found%s' % (
                'ID ' if _model.is_id(ref) else '', str(ref), _model.id_hint('group', ref, groups)), self.name)
        return found

    def group_members(self, group):
        users = self._user_bodies()
        if not users.complete:
            users.fill([b for b in self._list_v2('/api/2/users') if b.get('username')])
        return [self._user(b) for b in sorted(users.values(), key=lambda b: b['id'])
                if str(b.get('group_id')) == group['id']]

    def user_groups(self, user, among=None):
        if not user.get('group_id'):
            return []
        try:
            return [self.resolve_group(user['group_id'])]
        except NotFoundError:
            return [{'id': user['group_id'], 'name': None, 'domain_id': None, 'description': None}]

    def apply_memberships(self, add=(), remove=()):
        """A user's group is its ``group_id``: one PUT per user (the added group, or none)."""
        wanted = {}
        for group, user in remove:
            wanted.setdefault(user['id'], (user, None))
        for group, user in add:
            wanted[user['id']] = (user, group)
        for user_id, (user, group) in sorted(wanted.items()):
            value = int(group['id']) if group else None
            self._remember(self._json('PUT', self.client.path('/api/2/users/{}', user_id), json={'group_id': value}))
