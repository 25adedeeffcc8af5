"""A Posit Connect Server API emulator: users, lock/unlock, groups and members, server settings.

It speaks the protocol that posit-sdk 0.17.0 and the collection's ``posit_connect`` provider use,
from in-memory state (``docs/providers.md`` section 3; ``tests/emulators/README.md`` says which
behaviour is verified by the SDK, which by Connect's API reference and which is inferred):

* everything lives under ``/__api__``; every endpoint but ``GET /__api__/server_settings`` needs
  ``Authorization: Key <api key>``; a missing key answers 401 code 24, an unknown one 401 code 30,
  the key of a locked user 403 code 50;
* errors are Connect's ``{"code": <int>, "error": "<text>", "payload": null}`` with the codes and
  texts of Connect's API error table (:data:`ERRORS`);
* listings page with ``page_number``/``page_size`` (1..500, default 20) and answer
  ``{"results", "current_page", "total"}``; ``page_size`` is "best effort": at most
  ``page_size_cap`` rows come back, so tests cross pages with few objects; a ``prefix`` search
  always answers the first page, as Connect documents;
* ``user_role`` and ``account_status`` filters take ``a|b`` (OR); a repeated parameter is an AND,
  which Connect documents as "always returns no results" for different values;
* create answers 200 (not 201) with the object; lock, member add/remove and group delete answer
  with an empty body;
* a duplicate answers 409 as in Connect's error table: code 8 for a username in use (usernames
  are case sensitive, as code 8's text says), 15 for a group name in use (compared exactly:
  inferred), 16 for a user already a member. Requests are handled one at a time (the lock), so
  two racing creates of one name give one 200 and one 409. A seed may hold two groups with one
  name (what remote or LDAP groups can do), which the API itself refuses.

Settings (constructor keywords, or ``{"settings": {...}}`` in a seed): ``api_key`` (the bootstrap
administrator's key), ``page_size_cap``, ``auth_provider`` (password, pam, proxy, saml, oauth2,
ldap), ``default_user_role``, ``user_limit`` (licensed users; unlocking past it answers code 64),
``version``, ``active_days`` (how recent ``active_time`` must be for ``licensed``).
``{"faults": [{"method", "path", "status", "times", "retry_after"}]}`` in a seed makes the next
matching requests fail like an overloaded proxy would (before authentication).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import uuid

from .._base import Emulator, Reply, main, route

API = '/__api__'
ID = r'(?P<guid>[^/]+)'
ROLES = ('administrator', 'publisher', 'viewer')
RANK = {'viewer': 0, 'publisher': 1, 'administrator': 2}
STATUSES = ('locked', 'licensed', 'inactive')
USER_FIELDS = ('email', 'username', 'first_name', 'last_name', 'user_role', 'created_time',
               'updated_time', 'active_time', 'confirmed', 'locked', 'guid')
EDITABLE = ('email', 'username', 'first_name', 'last_name', 'user_role')
PUSH_PROVIDERS = ('password', 'pam', 'proxy', 'saml', 'oauth2')

# Connect's API error codes (code -> HTTP status, text), from the error table of its API reference.
ERRORS = {
    2: (404, 'The requested method or endpoint is not supported.'),
    3: (400, 'The requested object ID is invalid.'),
    4: (404, 'The requested object does not exist.'),
    6: (400, 'The password is not strong enough. Please try again.'),
    7: (400, 'The requested username is not permitted.'),
    8: (409, 'The requested username is already in use. Usernames are case sensitive. '
             'Please ensure you are using the correct case.'),
    9: (404, 'The requested user could not be found.'),
    12: (400, 'A required parameter is missing.'),
    13: (400, 'The requested range is invalid.'),
    14: (400, 'Group name must be between less than 4096 alphanumeric characters.'),
    15: (409, 'The requested group name is already in use.'),
    16: (409, 'The user is already a member of the group.'),
    17: (404, 'The requested item could not be removed because it does not exist.'),
    20: (403, "You don't have permission to remove this item."),
    21: (403, "You don't have permission to change this item."),
    22: (403, "You don't have permission to perform this operation."),
    23: (403, "You don't have permission to give the user this role."),
    24: (401, 'The requested operation requires authentication.'),
    25: (400, 'The parameter is invalid.'),
    30: (401, "We couldn't log you in with the provided credentials. Please ask your administrator for assistance."),
    49: (403, "You don't have permission to lock/unlock this user."),
    50: (403, 'This user is locked.'),
    61: (400, 'You cannot change the role of the only remaining administrator.'),
    64: (400, 'The number of users permitted by this license has been exceeded. Please contact your administrator.'),
    76: (400, 'A user using the same Unique ID already exists'),
    87: (400, 'The request body cannot be parsed'),
    112: (400, 'The provided user role is not recognized.'),
    115: (400, 'The provided status is not recognized.'),
    120: (400, 'The authentication provider does not support creating records from POST content. '
               'PUT a retrieved ticket instead.'),
    121: (400, 'The request JSON is invalid.'),
    128: (400, 'The email address cannot be blank.'),
    129: (400, 'The user unique ID cannot be blank.'),
    131: (400, 'A group using the same unique ID already exists.'),
}

DEFAULTS = {
    'api_key': 'connect-admin-key',
    'page_size_cap': 500,
    'auth_provider': 'password',
    'default_user_role': 'viewer',
    'user_limit': None,
    'version': '2025.09.0',
    'active_days': 365,
}


def fail(code, payload=None):
    """Raise Connect's error answer for ``code``."""
    status, text = ERRORS[code]
    raise Reply(status, {'code': code, 'error': text, 'payload': payload})


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def parse_time(value):
    return datetime.datetime.strptime(value, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc)


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def lower(value):
    return (value or '').lower()


class PositConnectEmulator(Emulator):
    name = 'posit_connect'

    def __init__(self, **settings):
        unknown = set(settings) - set(DEFAULTS)
        if unknown:
            raise TypeError('unknown settings: %s' % ', '.join(sorted(unknown)))
        self.initial_settings = dict(DEFAULTS, **settings)
        super().__init__()

    # ---- state ------------------------------------------------------------------------------
    def reset_state(self):
        self.settings = dict(self.initial_settings)
        self.users = {}       # guid -> record (public fields + _password_sha256, _unique_id)
        self.keys = {}        # api key -> user guid
        self.groups = {}      # guid -> {guid, name, owner_guid, _unique_id}
        self.members = {}     # group guid -> [user guid, ...] in the order added
        self.faults = []
        self.admin = self._add_user(username='admin', email='admin@connect.example', first_name='Connect',
                                    last_name='Admin', user_role='administrator', confirmed=True,
                                    api_key=self.settings['api_key'])

    def _add_user(self, username, email='', first_name='', last_name='', user_role=None, locked=False,
                  confirmed=True, active_time=None, password=None, unique_id=None, api_key=None, guid=None):
        stamp = now()
        user = {'email': email or '', 'username': username, 'first_name': first_name or '',
                'last_name': last_name or '', 'user_role': user_role or self.settings['default_user_role'],
                'created_time': stamp, 'updated_time': stamp, 'active_time': active_time,
                'confirmed': bool(confirmed), 'locked': bool(locked), 'guid': guid or str(uuid.uuid4()),
                '_password_sha256': sha256(password) if password else None, '_unique_id': unique_id}
        self.users[user['guid']] = user
        if api_key:
            self.keys[api_key] = user['guid']
        return user

    def _add_group(self, name, owner_guid=None, unique_id=None, guid=None):
        group = {'guid': guid or str(uuid.uuid4()), 'name': name, 'owner_guid': owner_guid,
                 '_unique_id': unique_id}
        self.groups[group['guid']] = group
        self.members[group['guid']] = []
        return group

    def seed(self, body):
        """Settings, users (``api_key`` gives one a key), groups (``members``: usernames or guids), faults."""
        unknown = set(body.get('settings') or {}) - set(DEFAULTS)
        if unknown:
            raise Reply(400, {'message': 'unknown settings: %s' % ', '.join(sorted(unknown))})
        self.settings.update(body.get('settings') or {})
        made = {'users': {}, 'groups': {}}
        for spec in body.get('users') or ():
            user = self._add_user(**spec)
            made['users'][user['username']] = user['guid']
        by_name = dict((u['username'], g) for g, u in self.users.items())
        for spec in body.get('groups') or ():
            spec = dict(spec)
            members = spec.pop('members', ())
            owner = spec.pop('owner', None)
            group = self._add_group(owner_guid=by_name.get(owner, owner) if owner else self.admin['guid'], **spec)
            self.members[group['guid']] = [by_name.get(m, m) for m in members]
            made['groups'][group['name']] = group['guid']
        for fault in body.get('faults') or ():
            self.faults.append(dict({'method': None, 'path': None, 'status': 503, 'times': 1,
                                     'retry_after': None}, **fault))
        return made

    def dump(self):
        users = [dict(self._public_user(u), unique_id=u['_unique_id'], password_sha256=u['_password_sha256'],
                      api_keys=sorted(k for k, g in self.keys.items() if g == u['guid']))
                 for u in self.users.values()]
        groups = [dict(self._public_group(g), unique_id=g['_unique_id'], members=list(self.members[g['guid']]))
                  for g in self.groups.values()]
        return {'users': users, 'groups': groups, 'settings': dict(self.settings)}

    # ---- dispatch: faults, then authentication, then the routes ------------------------------
    def handle(self, request):
        if request.path.startswith(API + '/'):
            with self.lock:
                fault = self._fault(request)
            if fault is not None:
                return fault
            if request.path != API + '/server_settings':
                try:
                    with self.lock:
                        request.caller = self._authenticate(request)
                except Reply as reply:
                    return reply
        return super().handle(request)

    def _fault(self, request):
        for fault in self.faults:
            if fault['times'] <= 0:
                continue
            if fault['method'] and fault['method'].upper() != request.method:
                continue
            if fault['path'] and not re.search(fault['path'], request.path):
                continue
            fault['times'] -= 1
            headers = {'Retry-After': str(fault['retry_after'])} if fault['retry_after'] is not None else {}
            return Reply(fault['status'], '<html><body>%d</body></html>' % fault['status'], headers,
                         content_type='text/html')
        return None

    def _authenticate(self, request):
        scheme, dummy, key = (request.header('authorization') or '').strip().partition(' ')
        if scheme.lower() != 'key' or not key.strip():
            fail(24)
        guid = self.keys.get(key.strip())
        if guid is None or guid not in self.users:
            fail(30)
        user = self.users[guid]
        if user['locked']:
            fail(50)
        user['active_time'] = now()
        return user

    def not_found(self, request, method_known):
        if request.path.startswith(API + '/'):
            return Reply(404, {'code': 2, 'error': ERRORS[2][1], 'payload': None})
        return super().not_found(request, method_known)

    # ---- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _public_user(user):
        return dict((k, user[k]) for k in USER_FIELDS)

    @staticmethod
    def _public_group(group):
        return {'guid': group['guid'], 'name': group['name'], 'owner_guid': group['owner_guid']}

    @staticmethod
    def _body(request):
        if not request.body:
            return {}
        try:
            body = json.loads(request.body)
        except ValueError:
            fail(87)
        if not isinstance(body, dict):
            fail(121)
        return body

    @staticmethod
    def _int_arg(request, name, default):
        value = request.arg(name)
        if value is None or value == '':
            return default
        try:
            return int(value)
        except ValueError:
            fail(25, {'parameter': name})

    def _page(self, request, rows, public, prefix_search=False):
        number = self._int_arg(request, 'page_number', 1)
        size = self._int_arg(request, 'page_size', 20)
        if number < 1 or size < 1 or size > 500:
            fail(13)
        if prefix_search:
            number = 1
        size = min(size, self.settings['page_size_cap'])
        start = (number - 1) * size
        return {'results': [public(r) for r in rows[start:start + size]], 'current_page': number,
                'total': len(rows)}

    @staticmethod
    def _ascending(request):
        value = lower(request.arg('asc_order', 'true'))
        if value not in ('true', 'false'):
            fail(25, {'parameter': 'asc_order'})
        return value == 'true'

    @staticmethod
    def _user_order(user):
        return (lower(user['first_name']), lower(user['last_name']), lower(user['username']), lower(user['email']))

    def _user(self, guid, code=4):
        try:
            uuid.UUID(guid)
        except ValueError:
            fail(3)
        user = self.users.get(guid)
        if user is None:
            fail(code)
        return user

    def _group(self, guid):
        try:
            uuid.UUID(guid)
        except ValueError:
            fail(3)
        group = self.groups.get(guid)
        if group is None:
            fail(4)
        return group

    @staticmethod
    def _require_admin(caller, code=22):
        if caller['user_role'] != 'administrator':
            fail(code)

    def _status(self, user):
        if user['locked']:
            return 'locked'
        active = user['active_time']
        recent = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=self.settings['active_days'])
        return 'licensed' if active and parse_time(active) >= recent else 'inactive'

    @staticmethod
    def _alternatives(request, name, allowed, code):
        """The OR-sets of a ``a|b`` filter; several parameters of the same name are ANDed."""
        sets = []
        for value in request.query.get(name) or ():
            choices = set(v.strip() for v in value.split('|') if v.strip())
            if not choices or choices - set(allowed):
                fail(code)
            sets.append(choices)
        return sets

    @staticmethod
    def _check_strings(body, names):
        for name in names:
            if body.get(name) is not None and not isinstance(body[name], str):
                fail(25, {'parameter': name})

    def _check_username(self, username, exclude=None):
        if not isinstance(username, str) or not username:
            fail(12, {'parameter': 'username'})
        if re.search(r'[\s/\\]', username):
            fail(7)
        if any(u['username'] == username and u['guid'] != exclude for u in self.users.values()):
            fail(8)

    # ---- server settings and the caller -------------------------------------------------------
    @route('GET', API + '/server_settings')
    def server_settings(self, request):
        provider = self.settings['auth_provider']
        return {'version': self.settings['version'], 'build': 'emulator',
                'authentication': {'name': provider.upper() if provider in ('pam', 'ldap', 'saml')
                                   else provider.capitalize(),
                                   'handles_credentials': provider in ('password', 'pam', 'ldap'),
                                   'handles_login': provider != 'proxy'},
                'license': {'users': self.settings['user_limit']},
                'default_user_role': self.settings['default_user_role']}

    @route('GET', API + '/v1/user')
    def current_user(self, request):
        return self._public_user(request.caller)

    # ---- users ------------------------------------------------------------------------------
    @route('GET', API + '/v1/users')
    def list_users(self, request):
        roles = self._alternatives(request, 'user_role', ROLES, 112)
        statuses = self._alternatives(request, 'account_status', STATUSES, 115)
        if statuses:
            self._require_admin(request.caller)
        prefix = request.arg('prefix')
        rows = [u for u in self.users.values()
                if all(u['user_role'] in s for s in roles) and all(self._status(u) in s for s in statuses)]
        if prefix:
            want = prefix.lower()
            rows = [u for u in rows if u['_unique_id'] == prefix or any(
                lower(u[f]).startswith(want) for f in ('username', 'first_name', 'last_name'))]

            def similarity(user):   # an exact match first, then Connect's usual order
                exact = want in (lower(user['username']), lower(user['first_name']), lower(user['last_name']))
                return (0 if exact else 1,) + self._user_order(user)
            rows.sort(key=similarity)
        else:
            rows.sort(key=self._user_order, reverse=not self._ascending(request))
        return self._page(request, rows, self._public_user, prefix_search=bool(prefix))

    @route('POST', API + '/v1/users')
    def create_user(self, request):
        self._require_admin(request.caller)
        body = self._body(request)
        self._check_strings(body, ('email', 'first_name', 'last_name', 'user_role', 'password', 'unique_id'))
        self._check_username(body.get('username'))
        provider = self.settings['auth_provider']
        if provider not in PUSH_PROVIDERS:
            fail(120)
        role = body.get('user_role') or self.settings['default_user_role']
        if role not in ROLES:
            fail(112)
        must_set = body.get('user_must_set_password')
        if must_set is not None and not isinstance(must_set, bool):
            fail(25, {'parameter': 'user_must_set_password'})
        password = body.get('password')
        if password is not None and (must_set or provider != 'password'):
            fail(25, {'parameter': 'password'})
        if password is not None and len(password) < 6:
            fail(6)
        if provider == 'password' and not body.get('email'):
            fail(128)
        unique_id = body.get('unique_id')
        if provider in ('saml', 'oauth2') and not unique_id:
            fail(129)
        if unique_id and any(u['_unique_id'] == unique_id for u in self.users.values()):
            fail(76)
        user = self._add_user(username=body['username'], email=body.get('email'), first_name=body.get('first_name'),
                              last_name=body.get('last_name'), user_role=role, password=password,
                              unique_id=unique_id, confirmed=provider != 'password' or bool(password))
        return self._public_user(user)

    @route('GET', API + '/v1/users/' + ID)
    def get_user(self, request):
        return self._public_user(self._user(request.params['guid']))

    @route('PUT', API + '/v1/users/' + ID)
    def update_user(self, request):
        caller = request.caller
        user = self._user(request.params['guid'])
        if caller['guid'] != user['guid']:
            self._require_admin(caller, 21)
        body = self._body(request)
        self._check_strings(body, EDITABLE)
        change = dict((k, body[k]) for k in EDITABLE if body.get(k) is not None)
        if 'username' in change:
            self._check_username(change['username'], exclude=user['guid'])
        if 'email' in change and not change['email'] and self.settings['auth_provider'] == 'password':
            fail(128)
        role = change.get('user_role')
        if role is not None:
            if role not in ROLES:
                fail(112)
            if caller['user_role'] != 'administrator' and RANK[role] > RANK[user['user_role']]:
                fail(23)
            admins = [u for u in self.users.values() if u['user_role'] == 'administrator']
            if user['user_role'] == 'administrator' and role != 'administrator' and len(admins) == 1:
                fail(61)
        if any(user[k] != v for k, v in change.items()):
            user.update(change)
            user['updated_time'] = now()
        return dict((k, user[k]) for k in EDITABLE + ('updated_time',))

    @route('POST', API + '/v1/users/' + ID + '/lock')
    def lock_user(self, request):
        caller = request.caller
        user = self._user(request.params['guid'])
        body = self._body(request)
        if 'locked' not in body:
            fail(12, {'parameter': 'locked'})
        locked = body['locked']
        if not isinstance(locked, bool):
            fail(25, {'parameter': 'locked'})
        if caller['user_role'] != 'administrator' and not (caller['guid'] == user['guid'] and locked):
            fail(49)
        limit = self.settings['user_limit']
        if not locked and user['locked'] and limit is not None:
            if sum(1 for u in self.users.values() if not u['locked']) >= limit:
                fail(64)
        if user['locked'] != locked:
            user['locked'] = locked
            user['updated_time'] = now()
        return Reply(200)

    # ---- groups -----------------------------------------------------------------------------
    @route('GET', API + '/v1/groups')
    def list_groups(self, request):
        prefix = request.arg('prefix')
        rows = list(self.groups.values())
        if prefix:
            want = prefix.lower()
            rows = [g for g in rows if g['_unique_id'] == prefix or lower(g['name']).startswith(want)]
            rows.sort(key=lambda g: (0 if lower(g['name']) == want else 1, lower(g['name'])))
        else:
            rows.sort(key=lambda g: lower(g['name']), reverse=not self._ascending(request))
        return self._page(request, rows, self._public_group, prefix_search=bool(prefix))

    def _check_group_name(self, name, exclude=None):
        if name is None:
            fail(12, {'parameter': 'name'})
        if not isinstance(name, str) or not name.strip() or len(name) > 4096:
            fail(14)
        if any(g['name'] == name and g['guid'] != exclude for g in self.groups.values()):
            fail(15)

    @route('POST', API + '/v1/groups')
    def create_group(self, request):
        if RANK[request.caller['user_role']] < RANK['publisher']:
            fail(22)
        body = self._body(request)
        self._check_group_name(body.get('name'))
        unique_id = body.get('unique_id')
        if unique_id is not None and not isinstance(unique_id, str):
            fail(25, {'parameter': 'unique_id'})
        if unique_id and any(g['_unique_id'] == unique_id for g in self.groups.values()):
            fail(131)
        group = self._add_group(body['name'], owner_guid=request.caller['guid'], unique_id=unique_id or None)
        return self._public_group(group)

    @route('GET', API + '/v1/groups/' + ID)
    def get_group(self, request):
        return self._public_group(self._group(request.params['guid']))

    def _may_change(self, caller, group, code):
        if caller['user_role'] != 'administrator' and group['owner_guid'] != caller['guid']:
            fail(code)

    @route('POST', API + '/v1/groups/' + ID)
    def update_group(self, request):
        group = self._group(request.params['guid'])
        self._may_change(request.caller, group, 21)
        body = self._body(request)
        if body.get('name') is not None:
            self._check_group_name(body['name'], exclude=group['guid'])
            group['name'] = body['name']
        if body.get('owner_guid') is not None:
            group['owner_guid'] = self._user(body['owner_guid'], code=9)['guid']
        return self._public_group(group)

    @route('PATCH', API + '/v1/groups/' + ID)
    def patch_group(self, request):
        return self.update_group(request)

    @route('DELETE', API + '/v1/groups/' + ID)
    def delete_group(self, request):
        group = self._group(request.params['guid'])
        self._may_change(request.caller, group, 20)
        del self.groups[group['guid']]
        del self.members[group['guid']]
        return Reply(204)

    @route('GET', API + '/v1/groups/' + ID + '/members')
    def list_members(self, request):
        group = self._group(request.params['guid'])
        rows = sorted((self.users[g] for g in self.members[group['guid']] if g in self.users), key=self._user_order)
        return self._page(request, rows, self._public_user)

    @route('POST', API + '/v1/groups/' + ID + '/members')
    def add_member(self, request):
        group = self._group(request.params['guid'])
        self._may_change(request.caller, group, 22)
        body = self._body(request)
        if not body.get('user_guid'):
            fail(12, {'parameter': 'user_guid'})
        user = self._user(body['user_guid'], code=9)
        if user['guid'] in self.members[group['guid']]:
            fail(16)
        self.members[group['guid']].append(user['guid'])
        return Reply(204)

    @route('DELETE', API + '/v1/groups/' + ID + '/members/(?P<user_guid>[^/]+)')
    def remove_member(self, request):
        group = self._group(request.params['guid'])
        self._may_change(request.caller, group, 20)
        user_guid = request.params['user_guid']
        if user_guid not in self.members[group['guid']]:
            fail(17)
        self.members[group['guid']].remove(user_guid)
        return Reply(204)


if __name__ == '__main__':
    main(PositConnectEmulator)
