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

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils.providers._base import not_found
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin import _model
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin.session import PAGE

# the user listing's server-side filters (the seed's list_users), besides custom_attributes
FILTERS = ('email', 'username', 'firstname', 'lastname', 'samaccountname', 'directory_id', 'external_id',
           'user_ids', 'created_since', 'created_until', 'updated_since', 'updated_until',
           'last_login_since', 'last_login_until')
# fields of the common model that are not v2 attributes written by PUT /api/2/users
ACTIONS = ('password', 'password_algorithm', 'password_salt', 'enabled', 'locked', 'lock_minutes', 'user_state')


def _lower(value):
    return (value or '').lower()


class OneLoginDirectory:
    """Mixin: users and (read-only) groups of :class:`OneLoginProvider`."""

    single_group = True  # a OneLogin user has one group_id
    groups_on_create = True  # ...which the create request sets

    def __init__(self, params, warn=None, no_log_values=None):
        super(OneLoginDirectory, self).__init__(params, warn, no_log_values)
        self._users = {}          # lower-cased username -> v2 body
        self._users_complete = False
        self._groups = None       # every group, after one listing

    # ---- users: reads -----------------------------------------------------------------------------
    def _remember(self, body):
        if body and body.get('username'):
            self._users[_lower(body['username'])] = body
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
        if cached and _lower(name) in self._users:
            return self._user(self._users[_lower(name)])
        if cached and self._users_complete:
            return None
        return self._user(self._fetch_user(name))

    def prepare_users(self, refs):
        """A batch's users: one listing of every user when that costs fewer requests than one
        lookup per user (the first page's ``Total-Pages`` tells), else one lookup each later."""
        names = set(_lower(name) for name, _domain in refs if name)
        if len(names) < 2 or self._users_complete:
            return
        response = self._call('GET', '/api/2/users', params={'limit': PAGE})
        for body in self.client.decode(response) or []:
            self._remember(body)
        pages = int(response.headers.get('Total-Pages') or 1)
        if pages > 1 and pages - 1 < len(names - set(self._users)):
            following = _model.v2_next(response.headers, '/api/2/users', {'limit': PAGE})
            if following:
                for body in self._list_v2(*following):
                    self._remember(body)
            pages = 1
        self._users_complete = pages == 1
        if self._users_complete:  # only then is a missing user known to be missing
            self._check_user_batch()

    def _check_user_batch(self):
        """The fewest requests the batch of ``users`` sends (a create per missing user to be
        present, a delete per existing user to be absent, a logout each), against the rate limit."""
        items = self.params.get('users') or []
        needed = 0
        for item in items:
            exists = _lower(item.get('name')) in self._users
            state = item.get('state') or self.params.get('state') or 'present'
            needed += 1 if (state == 'present') != exists else 0
            needed += 1 if state == 'present' and (item.get('logout') or self.params.get('logout')) else 0
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
        """``manager`` given by username becomes the manager's user ID. Suspended and Locked are
        both values of the one ``status``: a user cannot be both."""
        if fields.get('enabled') is False and fields.get('locked') is True:
            raise ConfigError('enabled=false (status Suspended) and locked=true (status Locked) are two values '
                              "of a OneLogin user's one status: give one of them", self.name)
        fields = dict(fields)
        if fields.get('manager') is not None and not str(fields['manager']).isdigit():
            fields['manager'] = self.resolve_user(fields['manager'])['id']
        return fields

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
        if fields.get('password'):
            endpoint, secret = _model.password_request(
                fields['password'], fields.get('password_algorithm'), fields.get('password_salt'))
            body.update((k, v) for k, v in secret.items() if k != 'validate_policy')
            if 'password_salt' in body:
                body['salt'] = body.pop('password_salt')
        created = self._remember(self._json('POST', '/api/2/users', json=body, ok=(201, 200)))
        if _model.wants_lock(self._user(created), fields.get('enabled'), fields.get('locked')):
            created = self._lock(created, fields.get('lock_minutes'))
        return self._user(created)

    def update_user(self, user, fields):
        """A PUT for the attributes (and status: suspend, reactivate, unlock), then the v1 actions
        the change needs: ``set_state``, ``lock_user``, a password endpoint."""
        body = self._users.get(_lower(user['name'])) or self._json('GET', self.client.path('/api/2/users/{}', user['id']))
        attributes = _model.user_to_api(dict((k, v) for k, v in fields.items() if k not in ACTIONS))
        status = _model.status_change(user, fields.get('enabled'), fields.get('locked'))
        if status is not None:
            attributes['status'] = status
        if attributes:
            body = self._remember(self._json('PUT', self.client.path('/api/2/users/{}', user['id']), json=attributes))
        if 'user_state' in fields:
            self._json('PUT', self.client.path('/api/1/users/{}/set_state', user['id']),
                       json={'state': _model.STATES[fields['user_state']]})
            body = self._remember(dict(body, state=_model.STATES[fields['user_state']]))
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
        self._call('DELETE', self.client.path('/api/2/users/{}', user['id']), ok=(204, 200))
        self._users.pop(_lower(user['name']), None)

    def end_sessions(self, user):
        self._call('PUT', self.client.path('/api/1/users/{}/logout', user['id']))

    def resolve_user(self, ref, domain=None, known=()):
        for user in known:
            if ref in (user.get('name'), user.get('id')):
                return user
        found = self.find_user(ref)
        if found is None and str(ref).isdigit():
            found = self._user(self._remember(self._get_or_none(self.client.path('/api/2/users/{}', ref))))
        if found is None:
            raise not_found(self, 'user', ref)
        return found

    # ---- groups (read-only) ------------------------------------------------------------------------
    def _all_groups(self):
        if self._groups is None:
            self._groups = [dict(_model.group_from_api(g), domain_id=None, description=None, raw=g)
                            for g in self._list_v1('/api/1/groups')]
        return self._groups

    def find_group(self, name, domain=None, cached=True):
        if not cached:
            self._groups = None
        for group in self._all_groups():
            if group['name'] == name:
                return group
        return None

    def list_groups(self, name=None, domain=None):
        for group in self._all_groups():
            if name is None or name in (group['name'], group['id']):
                yield dict(group)

    def resolve_group(self, ref, domain=None, known=()):
        for group in list(known) + self._all_groups():
            if str(ref) in (group.get('name'), group.get('id')):
                return group
        raise not_found(self, 'group', ref)

    def group_members(self, group):
        if not self._users_complete:
            for body in self._list_v2('/api/2/users'):
                self._remember(body)
            self._users_complete = True
        return [self._user(b) for b in sorted(self._users.values(), key=lambda b: b['id'])
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
