"""A OneLogin emulator: OAuth2 client credentials, the v1 users API (UsersV1Api), v2 users and roles.

Speaks OneLogin's protocol from in-memory state (facts and their sources: docs/providers.md §1;
what is verified by the ``onelogin`` SDK, by documentation, or inferred: tests/emulators/README.md):

* ``POST /auth/oauth2/v2/token`` takes the client credentials in any of the documented forms:
  ``Authorization: Basic``, ``Authorization: client_id:<id>, client_secret:<secret>``, or
  ``client_id``/``client_secret`` in the body (form-encoded, and JSON); tokens expire after
  ``token_lifetime`` seconds; the same credentials get the same token until then.
* resource calls take ``Bearer <t>``, ``bearer <t>`` and ``bearer:<t>``;
* ``/api/1/...`` answers the v1 envelope ``{status, pagination?, data}`` with cursor pagination in
  the body (``after_cursor``/``before_cursor``, ``next_link``/``previous_link``); ``/api/2/...``
  answers bare JSON with pagination in headers (``Total-Count``, ``After-Cursor``, ``Link``, ...;
  a cursor is base64 of ``limit=N&page=M``); each version has its own error body;
* ``X-RateLimit-Limit``/``-Remaining``/``-Reset`` on every answer; resource calls spend a budget
  (``rate_limit``) and answer 429 once it is spent, until the window resets.

Control (tests): ``POST /__emulator__/seed`` with any of ``clients``, ``users``, ``roles``,
``groups``, ``apps``, ``custom_attributes``, ``config`` (``page_size``, ``token_lifetime``,
``rate_limit: {limit, window}``), ``faults`` (``[{method, path, status, times}]``).
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import hashlib
import json
import math
import re
import secrets
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlencode

from .._base import Emulator, Reply, main, route

USER_ID = r'(?P<user_id>\d+)'
ROLE_ID = r'(?P<role_id>\d+)'

# Writable attributes of a user (v2 names; v1 takes the same). Read-only ones are ignored on write.
USER_FIELDS = ('username', 'email', 'firstname', 'lastname', 'title', 'department', 'company',
               'comment', 'group_id', 'phone', 'state', 'status', 'directory_id', 'trusted_idp_id',
               'manager_ad_id', 'manager_user_id', 'samaccountname', 'member_of',
               'userprincipalname', 'distinguished_name', 'external_id', 'invalid_login_attempts',
               'preferred_locale_code', 'openid_name', 'locale_code', 'notes')
READ_ONLY = ('id', 'created_at', 'updated_at', 'activated_at', 'last_login', 'invitation_sent_at',
             'password_changed_at', 'locked_until')
PASSWORD_FIELDS = ('password', 'password_confirmation', 'password_algorithm', 'salt')
V1_ONLY = ('openid_name', 'locale_code', 'notes')
STATES = (0, 1, 2, 3)            # unapproved, approved, rejected, unlicensed
STATUSES = (0, 1, 2, 3, 4, 5, 7, 8)
LIST_FILTERS = ('email', 'username', 'firstname', 'lastname', 'samaccountname', 'external_id',
                'directory_id')
DATE_FILTERS = {'created_since': ('created_at', '>'), 'created_until': ('created_at', '<'),
                'updated_since': ('updated_at', '>'), 'updated_until': ('updated_at', '<'),
                'last_login_since': ('last_login', '>'), 'last_login_until': ('last_login', '<'),
                'since': ('created_at', '>'), 'until': ('created_at', '<')}
MANAGE_ALL_PATHS = ('/add_roles', '/remove_roles', '/set_state', '/lock_user',
                    '/set_password_clear_text/', '/set_password_using_salt/')
SCOPES = ('authentication_only', 'read_users', 'manage_users', 'read_all', 'manage_all')
# Documented limits: a salt "up to 40 characters long" (UpdatePasswordSecureRequest.password_salt,
# and the create's ``salt``, which takes the same value: inferred); lock_user's ``locked_until`` is
# minutes, 0 or more (its integer is taken as 32 bits: inferred; a larger one is refused, not a 500).
SALT_LENGTH = 40
MAX_INT32 = 2 ** 31 - 1


def now():
    return datetime.now(timezone.utc)


def stamp(moment=None):
    """OneLogin's date format: ``YYYY-MM-DDThh:mm:ss.mscZ`` (UTC)."""
    moment = moment or now()
    return moment.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (moment.microsecond // 1000)


def b64(text):
    return base64.b64encode(text.encode()).decode()


def unb64(text):
    try:
        return base64.b64decode(text.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


# ---- bodies of each API version ------------------------------------------------------------------
def v1_status(code=200, message='Success', kind='success', error=False):
    return {'error': error, 'code': code, 'type': kind, 'message': message}


def v1_ok(data=None, pagination=None):
    body = {'status': v1_status()}
    if pagination is not None:
        body['pagination'] = pagination
    if data is not None:
        body['data'] = data
    return body


V1_TYPES = {400: 'bad request', 401: 'Unauthorized', 403: 'forbidden', 404: 'not found',
            422: 'unprocessable entity', 429: 'too many requests', 500: 'internal server error',
            502: 'bad gateway', 503: 'service unavailable', 504: 'gateway timeout'}
V2_NAMES = {400: 'BadRequestError', 401: 'UnauthorizedError', 403: 'ForbiddenError',
            404: 'NotFoundError', 409: 'ConflictError', 422: 'UnprocessableEntityError',
            429: 'TooManyRequestsError', 500: 'InternalServerError', 502: 'BadGatewayError',
            503: 'ServiceUnavailableError', 504: 'GatewayTimeoutError'}


def v1_error(code, message):
    """v1 error: ``{"status": {"error": true, "code", "type", "message"}}``; message may be an object."""
    return Reply(code, {'status': v1_status(code, message, V1_TYPES.get(code, 'error'), True)})


def v2_error(code, message, **extra):
    """v2 error: ``{"statusCode", "name", "message"}`` (+ ``field`` for field errors)."""
    body = {'statusCode': code, 'name': V2_NAMES.get(code, 'Error'), 'message': message}
    body.update(extra)
    return Reply(code, body)


def api_version(path):
    return 1 if path.startswith('/api/1/') else 2 if path.startswith('/api/2/') else 0


def error_for(path, code, message):
    """The error body of the API version that ``path`` belongs to (token endpoints speak v1)."""
    if api_version(path) == 2:
        return v2_error(code, message)
    return v1_error(code, message)


class OneLoginEmulator(Emulator):
    name = 'onelogin'

    DEFAULT_CLIENT = {'client_id': 'emulator-client-id', 'client_secret': 'emulator-client-secret',
                      'scope': 'manage_all'}

    # ---- state ----------------------------------------------------------------------------------
    def reset_state(self):
        self.config = {'page_size': 50, 'max_page_size': 100, 'token_lifetime': 36000, 'account_id': 555555,
                       'rate_limit': {'limit': 5000, 'window': 3600}}
        self.clients = {self.DEFAULT_CLIENT['client_id']: dict(self.DEFAULT_CLIENT)}
        self.tokens = {}          # access token -> {client_id, expires, created_at}
        self.users = {}           # id -> user (v2 names, role_ids list, custom_attributes dict)
        self.passwords = {}       # id -> {algorithm, salt, hash} (never in an API answer)
        self.sessions = {}        # id -> open sessions (logout ends them)
        self.logouts = {}         # id -> number of logout calls
        self.roles = {}           # id -> {id, name, apps, users, admins}
        self.groups = {}          # id -> {id, name, reference}
        self.apps = {}            # id -> {id, name, icon_url, extension, visible, provisioning_enabled}
        self.custom_attributes = []
        self.faults = []
        self.next_ids = {'user': 100001, 'role': 200001, 'group': 300001, 'app': 400001}
        self.window_start = time.monotonic()
        self.spent = 0

    def new_id(self, kind, wanted=None):
        if wanted is not None:
            self.next_ids[kind] = max(self.next_ids[kind], int(wanted) + 1)
            return int(wanted)
        value = self.next_ids[kind]
        self.next_ids[kind] += 1
        return value

    def seed(self, body):
        made = {}
        config = body.get('config') or {}
        if 'rate_limit' in config:
            self.config['rate_limit'].update(config['rate_limit'])
            self.window_start, self.spent = time.monotonic(), 0
        self.config.update((k, v) for k, v in config.items() if k != 'rate_limit')
        for client in body.get('clients') or []:
            self.clients[client['client_id']] = dict({'scope': 'manage_all'}, **client)
        self.custom_attributes.extend(a for a in body.get('custom_attributes') or []
                                      if a not in self.custom_attributes)
        for kind, store, fields in (('group', self.groups, ('name', 'reference')),
                                    ('app', self.apps, ('name', 'icon_url', 'extension', 'visible',
                                                        'provisioning_enabled', 'provisioning_status'))):
            for item in body.get(kind + 's') or []:
                obj = {'id': self.new_id(kind, item.get('id'))}
                obj.update((f, item.get(f)) for f in fields)
                if kind == 'app' and obj['visible'] is None:
                    obj['visible'] = True
                store[obj['id']] = obj
                made.setdefault(kind + 's', []).append(obj['id'])
        for item in body.get('roles') or []:
            role = {'id': self.new_id('role', item.get('id')), 'name': item['name'],
                    'apps': list(item.get('apps') or []), 'users': [], 'admins': []}
            self.roles[role['id']] = role
            made.setdefault('roles', []).append(role['id'])
        for item in body.get('users') or []:
            item = dict(item)
            roles = item.pop('role_ids', [])
            user = self.make_user(item, user_id=item.pop('id', None))
            for key in ('last_login', 'created_at', 'updated_at'):
                if key in item:
                    user[key] = item[key]
            self.sessions[user['id']] = item.get('sessions', 0)
            for role_id in roles:
                self.grant(user, role_id)
            made.setdefault('users', []).append(user['id'])
        self.faults.extend(dict(f, times=f.get('times', 1)) for f in body.get('faults') or [])
        return made

    def dump(self):
        users = []
        for user in sorted(self.users.values(), key=lambda u: u['id']):
            users.append(dict(user, password=self.passwords.get(user['id']),
                              sessions=self.sessions.get(user['id'], 0),
                              logouts=self.logouts.get(user['id'], 0)))
        return {'users': users, 'roles': sorted(self.roles.values(), key=lambda r: r['id']),
                'groups': sorted(self.groups.values(), key=lambda g: g['id']),
                'apps': sorted(self.apps.values(), key=lambda a: a['id']),
                'custom_attributes': list(self.custom_attributes),
                'tokens': len(self.tokens), 'rate_limit': self.rate_headers()}

    def writes(self, since=0):
        """Writes of state: a token request is a POST but changes nothing a test manages."""
        return [r for r in super().writes(since) if not r['path'].startswith('/auth/oauth2/')]

    # ---- dispatch: rate limit headers, auth, faults -------------------------------------------------
    def handle(self, request):
        if request.path.startswith('/__emulator__/'):
            return super().handle(request)
        with self.lock:
            reply = self.gate(request)
        if reply is None:
            reply = super().handle(request)
        with self.lock:
            reply.headers.update(self.rate_headers())
        return reply

    def not_found(self, request, method_known):
        if method_known:
            return error_for(request.path, 405, 'Method Not Allowed')
        return error_for(request.path, 404, 'Not Found')

    def gate(self, request):
        """The answer that stops ``request`` before its handler (auth, scope, fault, 429), or None."""
        if request.path.startswith('/auth/oauth2/'):
            return None
        token = self.bearer(request)
        if token is None:
            return error_for(request.path, 401, 'Unauthorized' if api_version(request.path) == 2
                             else 'Authentication Failure')
        scope = self.clients.get(token['client_id'], {}).get('scope', 'manage_all')
        if not self.allowed(scope, request):
            return error_for(request.path, 403, 'Forbidden')
        for fault in self.faults:
            if fault['times'] > 0 and fault.get('method', request.method) == request.method \
                    and re.search(fault['path'], request.path):
                fault['times'] -= 1
                return error_for(request.path, fault['status'], fault.get('message', 'Injected fault'))
        self.roll_window()
        if self.spent >= self.config['rate_limit']['limit']:
            return error_for(request.path, 429, 'Rate limit exceeded')
        self.spent += 1
        return None

    def bearer(self, request):
        header = request.header('authorization', '')
        for prefix in ('Bearer ', 'bearer ', 'bearer:', 'Bearer:'):
            if header.startswith(prefix):
                token = self.tokens.get(header[len(prefix):].strip())
                if token and token['expires'] > time.time():
                    return token
        return None

    @staticmethod
    def allowed(scope, request):
        if request.path.startswith('/auth/'):
            return scope != 'authentication_only' or request.path == '/auth/rate_limit'
        if scope == 'manage_all':
            return True
        if scope == 'authentication_only':
            return False
        if request.method == 'GET':
            return True
        if scope == 'manage_users' and request.path.startswith(('/api/1/users', '/api/2/users')):
            return not any(p in request.path for p in MANAGE_ALL_PATHS)
        return False

    def roll_window(self):
        if time.monotonic() - self.window_start >= self.config['rate_limit']['window']:
            self.window_start, self.spent = time.monotonic(), 0

    def rate_headers(self):
        self.roll_window()
        limit = self.config['rate_limit']['limit']
        left = self.config['rate_limit']['window'] - (time.monotonic() - self.window_start)
        return {'X-RateLimit-Limit': str(limit), 'X-RateLimit-Remaining': str(max(0, limit - self.spent)),
                'X-RateLimit-Reset': str(max(0, math.ceil(left)))}

    # ---- OAuth2 ---------------------------------------------------------------------------------
    def client_credentials(self, request, body):
        """(client_id, client_secret) from the Authorization header or the body, or None."""
        header = request.header('authorization', '')
        if header.lower().startswith('basic '):
            decoded = unb64(header[6:].strip())
            if decoded and ':' in decoded:
                return tuple(decoded.split(':', 1))
            return None
        if header.startswith('client_id:'):
            parts = dict(p.strip().split(':', 1) for p in header.split(',') if ':' in p)
            return parts.get('client_id', '').strip(), parts.get('client_secret', '').strip()
        if body.get('client_id') is not None:
            return str(body.get('client_id')), str(body.get('client_secret', ''))
        return None

    @staticmethod
    def token_body(request):
        content_type = request.header('content-type', '')
        if content_type.startswith('application/x-www-form-urlencoded'):
            return {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        try:
            body = json.loads(request.body or b'{}')
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    @route('POST', r'/auth/oauth2/v2/token')
    def generate_token(self, request):
        body = self.token_body(request)
        if body.get('grant_type') != 'client_credentials':
            raise v1_error(400, 'grant_type is incorrect/absent')
        creds = self.client_credentials(request, body)
        client = self.clients.get(creds[0]) if creds else None
        if client is None or not secrets.compare_digest(client['client_secret'], creds[1]):
            raise v1_error(401, 'Authentication Failure')
        for value, token in self.tokens.items():
            if token['client_id'] == client['client_id'] and token['expires'] > time.time():
                break
        else:
            value = secrets.token_hex(32)
            token = {'client_id': client['client_id'], 'created_at': stamp(),
                     'expires': time.time() + self.config['token_lifetime'],
                     'refresh_token': secrets.token_hex(32)}
            self.tokens[value] = token
        return {'access_token': value, 'created_at': token['created_at'],
                'expires_in': max(0, round(token['expires'] - time.time())),
                'refresh_token': token['refresh_token'], 'token_type': 'bearer',
                'account_id': self.config['account_id']}

    @route('POST', r'/auth/oauth2/revoke')
    def revoke_token(self, request):
        body = self.token_body(request)
        creds = self.client_credentials(request, body)
        client = self.clients.get(creds[0]) if creds else None
        if client is None or not secrets.compare_digest(client['client_secret'], creds[1]):
            raise v1_error(401, 'Authentication Failure')
        token = self.tokens.get(body.get('access_token') or '')
        if token is None or token['client_id'] != client['client_id']:
            raise v1_error(404, 'Access token not found')
        del self.tokens[body['access_token']]
        return {'status': v1_status()}

    @route('GET', r'/auth/rate_limit')
    def get_rate_limit(self, request):
        headers = self.rate_headers()
        return v1_ok({name: int(value) for name, value in headers.items()})

    # ---- users: shared logic --------------------------------------------------------------------
    def make_user(self, body, user_id=None):
        moment = stamp()
        user = {'id': self.new_id('user', user_id)}
        user.update((f, None) for f in USER_FIELDS)
        user.update({'state': 1, 'status': 7, 'role_ids': [], 'created_at': moment, 'updated_at': moment,
                     'activated_at': moment, 'last_login': None, 'invitation_sent_at': None,
                     'locked_until': None, 'password_changed_at': None, 'invalid_login_attempts': 0,
                     'custom_attributes': {name: None for name in self.custom_attributes}})
        user.update((k, v) for k, v in body.items() if k in USER_FIELDS)
        for name, value in (body.get('custom_attributes') or {}).items():
            user['custom_attributes'][name] = value
        self.users[user['id']] = user
        return user

    def find_user(self, request, version):
        user = self.users.get(int(request.params['user_id']))
        if user is None:
            if version == 1:
                raise v1_error(404, 'User for id %s was not found' % request.params['user_id'])
            raise v2_error(404, 'The resource with the given id could not be found')
        return user

    def check_user_body(self, body, version, user=None):
        """Raise the version's error for a body OneLogin would refuse; ``user`` is None on create."""
        if not isinstance(body, dict):
            raise self.invalid(version, 400, 'request body must be a JSON object')
        known = set(USER_FIELDS) | set(READ_ONLY) | set(PASSWORD_FIELDS) | {'custom_attributes'}
        known = known - set(V1_ONLY) | {'role_ids'} if version == 2 else known
        for name in body:
            if name not in known:
                if version == 1:
                    raise v1_error(400, {'attribute': name,
                                         'description': '%s is not a valid attribute for user model' % name})
                raise v2_error(400, 'unknown attribute: %s' % name)
        merged = dict(user or {}, **{k: v for k, v in body.items() if k in USER_FIELDS})
        if user is None:
            missing = [f for f in (('firstname', 'lastname', 'email', 'username') if version == 1
                                   else ('email', 'username')) if not merged.get(f)]
            if version == 2 and len(missing) == 1:
                missing = []          # v2 takes either (inferred from the docs' variants)
            if missing:
                raise self.invalid(version, 422, "Validation failed: %s can't be blank"
                                   % ', '.join(m.capitalize() for m in missing))
        for field in ('username', 'email'):
            value = merged.get(field)
            if value and any(str(u.get(field) or '').lower() == str(value).lower()
                             for u in self.users.values() if user is None or u['id'] != user['id']):
                raise self.invalid(version, 422, 'Validation failed: %s has already been taken'
                                   % field.capitalize())
        if merged.get('email') and '@' not in str(merged['email']):
            raise self.invalid(version, 422, 'Validation failed: Email is invalid')
        if 'state' in body:
            if body['state'] not in STATES:
                raise self.invalid(version, 422, 'Validation failed: State is not included in the list')
            if user is not None and user['state'] == 3 and body['state'] != 3:
                raise self.invalid(version, 422,
                                   'Validation failed: an unlicensed user leaves that state through set_state')
        if 'status' in body and body['status'] not in STATUSES:
            raise self.invalid(version, 422, 'Validation failed: Status is not included in the list')
        if body.get('group_id') is not None and body['group_id'] not in self.groups:
            raise self.invalid(version, 422, 'Validation failed: Group must exist')
        for role_id in body.get('role_ids') or []:
            if role_id not in self.roles:
                raise self.invalid(version, 422, 'Validation failed: Role %s does not exist' % role_id)
        for name in body.get('custom_attributes') or {}:
            if name not in self.custom_attributes:
                raise self.invalid(version, 422,
                                   'Validation failed: %s is not a custom attribute of this account' % name)
        if 'password' in body and body.get('password') != body.get('password_confirmation'):
            raise self.invalid(version, 422, "Validation failed: Password confirmation doesn't match Password")
        if len(str(body.get('salt') or '')) > SALT_LENGTH:
            raise self.invalid(version, 422, 'Validation failed: Salt is too long (maximum is %d characters)'
                               % SALT_LENGTH)

    @staticmethod
    def invalid(version, code, message):
        """A validation error in the version's shape (v1 422 bodies are inferred, see the README)."""
        return v1_error(code, message) if version == 1 else v2_error(code, message)

    def apply_user_body(self, user, body):
        for name in USER_FIELDS:
            if name in body:
                user[name] = body[name]
        if 'status' in body and body['status'] != 3:
            user['locked_until'] = None
        for name, value in (body.get('custom_attributes') or {}).items():
            user['custom_attributes'][name] = value
        if 'role_ids' in body:
            for role_id in list(user['role_ids']):
                if role_id not in body['role_ids']:
                    self.revoke(user, role_id)
            for role_id in body['role_ids']:
                self.grant(user, role_id)
        if body.get('password'):
            self.set_password(user, body['password'], body.get('password_algorithm'), body.get('salt'))
        user['updated_at'] = stamp()

    def set_password(self, user, password, algorithm=None, salt=None):
        if algorithm:
            self.passwords[user['id']] = {'algorithm': algorithm, 'salt': salt, 'hash': password}
        else:
            salt = secrets.token_hex(8)
            digest = hashlib.sha256((salt + password).encode()).hexdigest()
            self.passwords[user['id']] = {'algorithm': 'cleartext', 'salt': salt, 'hash': digest}
        user['password_changed_at'] = stamp()
        if user['status'] in (0, 5, 7):
            user['status'] = 1

    def grant(self, user, role_id):
        role_id = int(role_id)
        if role_id not in user['role_ids']:
            user['role_ids'].append(role_id)
            self.roles[role_id]['users'].append(user['id'])

    def revoke(self, user, role_id):
        if role_id in user['role_ids']:
            user['role_ids'].remove(role_id)
            self.roles[role_id]['users'].remove(user['id'])

    def delete_user_state(self, user):
        for role_id in list(user['role_ids']):
            self.revoke(user, role_id)
        for role in self.roles.values():
            if user['id'] in role['admins']:
                role['admins'].remove(user['id'])
        del self.users[user['id']]
        for store in (self.passwords, self.sessions, self.logouts):
            store.pop(user['id'], None)

    def v1_user(self, user):
        body = {k: v for k, v in user.items() if k != 'role_ids'}
        body['role_id'] = list(user['role_ids'])
        return body

    def v2_user(self, user):
        return {k: v for k, v in user.items() if k not in V1_ONLY}

    # ---- listing: filters and the two pagination schemes ---------------------------------------------
    def filtered_users(self, request):
        users = sorted(self.users.values(), key=lambda u: u['id'])
        for name in LIST_FILTERS:
            wanted = request.arg(name)
            if wanted is not None:
                users = [u for u in users if self.matches(u.get(name), wanted)]
        if request.arg('user_ids'):
            ids = {int(i) for i in request.arg('user_ids').split(',') if i.strip().isdigit()}
            users = [u for u in users if u['id'] in ids]
        for name, (field, op) in DATE_FILTERS.items():
            bound = request.arg(name)
            if bound:
                bound = self.parse_date(bound, request.path)
                users = [u for u in users if u.get(field) and
                         (self.parse_date(u[field], request.path) > bound if op == '>'
                          else self.parse_date(u[field], request.path) < bound)]
        for key, values in request.query.items():
            if key.startswith('custom_attributes.'):
                attr = key.split('.', 1)[1]
                users = [u for u in users if self.matches(u['custom_attributes'].get(attr), values[0])]
        if request.arg('sort') == '-id':
            users.reverse()
        return users

    @staticmethod
    def matches(value, wanted):
        if value is None:
            return False
        value, wanted = str(value).lower(), str(wanted).lower()
        return fnmatch.fnmatchcase(value, wanted) if '*' in wanted else value == wanted

    @staticmethod
    def parse_date(text, path):
        try:
            return datetime.fromisoformat(text.replace('Z', '+00:00'))
        except ValueError:
            raise error_for(path, 400, 'Invalid date format: %s' % text)

    @staticmethod
    def pick_fields(objects, request):
        fields = request.arg('fields')
        if not fields:
            return objects
        wanted = {f.strip() for f in fields.split(',') if f.strip()} | {'id'}
        return [{k: v for k, v in o.items() if k in wanted} for o in objects]

    def page_size(self, request):
        """``limit`` if given (capped at ``max_page_size``, OneLogin's 100), else ``page_size``."""
        try:
            limit = int(request.arg('limit') or self.config['page_size'])
        except ValueError:
            raise error_for(request.path, 400, 'limit must be an integer')
        return max(1, min(limit, self.config['max_page_size']))

    def v2_page(self, request, items):
        """One v2 page of ``items``: (slice, headers). Cursor = base64 of ``limit=N&page=M``."""
        limit, page = self.page_size(request), 1
        if request.arg('cursor'):
            decoded = parse_qs(unb64(request.arg('cursor')) or '')
            try:
                limit, page = int(decoded['limit'][0]), int(decoded['page'][0])
            except (KeyError, ValueError):
                raise v2_error(400, 'Invalid cursor')
        elif request.arg('page'):
            try:
                page = max(1, int(request.arg('page')))
            except ValueError:
                raise v2_error(400, 'page must be an integer')
        pages = max(1, math.ceil(len(items) / limit))
        chunk = items[(page - 1) * limit:page * limit]
        headers = {'Total-Count': str(len(items)), 'Total-Pages': str(pages), 'Current-Page': str(page),
                   'Page-Items': str(len(chunk))}
        links = []
        if page < pages:
            headers['After-Cursor'] = b64(urlencode({'limit': limit, 'page': page + 1}))
            links.append('<%s?%s>; rel="next"' % (request.path, urlencode(
                {'cursor': headers['After-Cursor']})))
        if page > 1:
            headers['Before-Cursor'] = b64(urlencode({'limit': limit, 'page': page - 1}))
            links.append('<%s?%s>; rel="prev"' % (request.path, urlencode(
                {'cursor': headers['Before-Cursor']})))
        if links:
            headers['Link'] = ', '.join(links)
        return chunk, headers

    def v1_page(self, request, items):
        """One v1 page: (slice, pagination). Cursors are opaque keys ``id:::<id>`` in base64."""
        limit = self.page_size(request)
        after = request.arg('after_cursor') or request.arg('cursor')
        before = request.arg('before_cursor')
        ids = [o['id'] for o in items]
        start = 0
        if after or before:
            key = unb64(after or before) or ''
            if not key.startswith('id:::') or not key[5:].lstrip('-').isdigit():
                raise v1_error(400, 'Invalid cursor')
            edge = int(key[5:])
            position = ids.index(edge) if edge in ids else sum(1 for i in ids if i < edge)
            start = position + 1 if after else max(0, position - limit)
        chunk = items[start:start + limit]
        query = {k: v[0] for k, v in request.query.items()
                 if k not in ('after_cursor', 'before_cursor', 'cursor')}
        pagination = {'before_cursor': None, 'after_cursor': None, 'previous_link': None, 'next_link': None}
        if chunk and start + limit < len(items):
            pagination['after_cursor'] = b64('id:::%d' % chunk[-1]['id'])
            pagination['next_link'] = '%s?%s' % (request.path, urlencode(
                dict(query, after_cursor=pagination['after_cursor'])))
        if chunk and start > 0:
            pagination['before_cursor'] = b64('id:::%d' % chunk[0]['id'])
            pagination['previous_link'] = '%s?%s' % (request.path, urlencode(
                dict(query, before_cursor=pagination['before_cursor'])))
        return chunk, pagination

    # ---- v1 users (UsersV1Api) ----------------------------------------------------------------------
    @route('GET', r'/api/1/users')
    def v1_list_users(self, request):
        chunk, pagination = self.v1_page(request, self.filtered_users(request))
        return v1_ok(self.pick_fields([self.v1_user(u) for u in chunk], request), pagination)

    @route('GET', r'/api/1/users/' + USER_ID)
    def v1_get_user(self, request):
        return v1_ok([self.v1_user(self.find_user(request, 1))])

    @route('POST', r'/api/1/users')
    def v1_create_user(self, request):
        body = request.json()
        self.check_user_body(body, 1)
        user = self.make_user({k: v for k, v in body.items() if k not in ('role_ids',)})
        self.apply_user_body(user, {k: v for k, v in body.items() if k in PASSWORD_FIELDS})
        return v1_ok([self.v1_user(user)])

    @route('PUT', r'/api/1/users/' + USER_ID)
    def v1_update_user(self, request):
        user = self.find_user(request, 1)
        body = request.json() or {}
        self.check_user_body(body, 1, user)
        self.apply_user_body(user, {k: v for k, v in body.items() if k != 'role_ids'})
        return v1_ok([self.v1_user(user)])

    @route('DELETE', r'/api/1/users/' + USER_ID)
    def v1_delete_user(self, request):
        self.delete_user_state(self.find_user(request, 1))
        return v1_ok()

    @route('GET', r'/api/1/users/custom_attributes')
    def v1_custom_attributes(self, request):
        return v1_ok([list(self.custom_attributes)])

    @route('GET', r'/api/1/users/' + USER_ID + '/roles')
    def v1_user_roles(self, request):
        return v1_ok([list(self.find_user(request, 1)['role_ids'])])

    @route('GET', r'/api/1/users/' + USER_ID + '/apps')
    def v1_user_apps(self, request):
        user = self.find_user(request, 1)
        return v1_ok(self.user_apps(user, str(request.arg('ignore_visibility')).lower() in ('true', '1')))

    def user_apps(self, user, ignore_visibility):
        found = []
        for app in sorted(self.apps.values(), key=lambda a: a['id']):
            if not any(app['id'] in self.roles[r]['apps'] for r in user['role_ids']):
                continue
            if not app.get('visible', True) and not ignore_visibility:
                continue
            enabled = bool(app.get('provisioning_enabled'))
            found.append({'id': app['id'], 'icon_url': app.get('icon_url'),
                          'extension': bool(app.get('extension')),
                          'login_id': user['id'] * 1000 + app['id'] % 1000, 'name': app['name'],
                          'provisioning_status': app.get('provisioning_status') or ('enabled' if enabled else None),
                          'provisioning_state': 'provisioned' if enabled else None,
                          'provisioning_enabled': enabled})
        return found

    def role_id_array(self, request):
        """``role_id_array`` as ints: the docs send ``[5, 6]``, the SDK model ``[{"role_id": 5}]``."""
        body = request.json() or {}
        raw = body.get('role_id_array') if isinstance(body, dict) else None
        if not raw:
            raise v1_error(400, 'role_id_array is empty')
        ids = []
        for item in raw:
            value = item.get('role_id') if isinstance(item, dict) else item
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise v1_error(400, {'attribute': 'role_id_array',
                                     'description': 'role_id_array should be -> array of positive integers'})
            ids.append(value)
        return ids

    @route('PUT', r'/api/1/users/' + USER_ID + '/add_roles')
    def v1_add_roles(self, request):
        user = self.find_user(request, 1)
        ids = self.role_id_array(request)
        if not set(ids) <= set(self.roles):
            raise v1_error(400, 'role_id_array should be a subset of -> %s' % sorted(self.roles))
        if set(ids) <= set(user['role_ids']):
            raise v1_error(400, 'input role_id_array is already included as user roles')
        for role_id in ids:
            self.grant(user, role_id)
        user['updated_at'] = stamp()
        return {'status': v1_status()}

    @route('PUT', r'/api/1/users/' + USER_ID + '/remove_roles')
    def v1_remove_roles(self, request):
        user = self.find_user(request, 1)
        ids = self.role_id_array(request)
        if not set(ids) <= set(user['role_ids']):
            raise v1_error(400, 'input role_id_array is not included as user roles')
        for role_id in ids:
            self.revoke(user, role_id)
        user['updated_at'] = stamp()
        return {'status': v1_status()}

    @route('PUT', r'/api/1/users/' + USER_ID + '/set_state')
    def v1_set_state(self, request):
        user = self.find_user(request, 1)
        body = request.json() or {}
        state = body.get('state') if isinstance(body, dict) else None
        if not isinstance(state, int) or isinstance(state, bool):
            raise v1_error(400, {'attribute': 'state',
                                 'description': 'state has incorrect data type. It should be -> integer'})
        if state not in STATES:
            raise v1_error(400, 'state is invalid')
        if user['state'] == state:
            raise v1_error(400, 'user is already in this state')
        user['state'], user['updated_at'] = state, stamp()
        return {'status': v1_status()}

    @route('PUT', r'/api/1/users/' + USER_ID + '/lock_user')
    def v1_lock_user(self, request):
        user = self.find_user(request, 1)
        body = request.json() or {}
        minutes = body.get('locked_until') if isinstance(body, dict) else None
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= MAX_INT32:
            raise v1_error(400, 'locked_until should be -> integer')
        user['status'] = 3
        user['locked_until'] = stamp(now() + timedelta(minutes=minutes)) if minutes else None
        user['updated_at'] = stamp()
        return {'status': v1_status()}

    @route('PUT', r'/api/1/users/' + USER_ID + '/logout')
    def v1_logout(self, request):
        user = self.find_user(request, 1)
        self.sessions[user['id']] = 0
        self.logouts[user['id']] = self.logouts.get(user['id'], 0) + 1
        return {'status': v1_status()}

    @route('PUT', r'/api/1/users/' + USER_ID + '/set_custom_attributes')
    def v1_set_custom_attributes(self, request):
        user = self.find_user(request, 1)
        body = request.json() or {}
        values = body.get('custom_attributes') if isinstance(body, dict) else None
        if not isinstance(values, dict):
            raise v1_error(400, 'custom_attributes is absent')
        for name in values:
            if name not in self.custom_attributes:
                raise v1_error(400, {'attribute': name,
                                     'description': '%s is not a valid custom attribute' % name})
        user['custom_attributes'].update(values)
        user['updated_at'] = stamp()
        return {'status': v1_status()}

    def password_body(self, request):
        body = request.json() or {}
        if not isinstance(body, dict) or not body.get('password'):
            raise v1_error(400, 'password is absent')
        if body.get('password') != body.get('password_confirmation'):
            raise v1_error(400, 'password and password_confirmation do not match')
        return body

    @route('PUT', r'/api/1/users/set_password_clear_text/' + USER_ID)
    def v1_set_password_clear_text(self, request):
        user = self.find_user(request, 1)
        self.set_password(user, self.password_body(request)['password'])
        return {'status': v1_status()}

    @route('PUT', r'/api/1/users/set_password_using_salt/' + USER_ID)
    def v1_set_password_using_salt(self, request):
        user = self.find_user(request, 1)
        body = self.password_body(request)
        if body.get('password_algorithm') != 'salt+sha256':
            raise v1_error(400, 'password_algorithm should be -> salt+sha256')
        digest = body['password']
        if len(digest) != 64 or any(c not in '0123456789abcdef' for c in digest):
            raise v1_error(400, 'password should be a lower case SHA-256 hex digest')
        if len(body.get('password_salt') or '') > SALT_LENGTH:
            raise v1_error(400, 'password_salt should be at most %d characters' % SALT_LENGTH)
        self.set_password(user, digest, 'salt+sha256', body.get('password_salt'))
        return {'status': v1_status()}

    # ---- v2 users (UsersV2Api) ----------------------------------------------------------------------
    @route('GET', r'/api/2/users')
    def v2_list_users(self, request):
        chunk, headers = self.v2_page(request, self.filtered_users(request))
        return Reply(200, self.pick_fields([self.v2_user(u) for u in chunk], request), headers)

    @route('GET', r'/api/2/users/' + USER_ID)
    def v2_get_user(self, request):
        return self.v2_user(self.find_user(request, 2))

    @route('POST', r'/api/2/users')
    def v2_create_user(self, request):
        body = request.json()
        self.check_user_body(body, 2)
        user = self.make_user({k: v for k, v in body.items() if k not in ('role_ids',)})
        self.apply_user_body(user, {k: v for k, v in body.items() if k in PASSWORD_FIELDS + ('role_ids',)})
        return Reply(201, self.v2_user(user))

    @route('PUT', r'/api/2/users/' + USER_ID)
    def v2_update_user(self, request):
        user = self.find_user(request, 2)
        body = request.json() or {}
        self.check_user_body(body, 2, user)
        self.apply_user_body(user, body)
        return self.v2_user(user)

    @route('DELETE', r'/api/2/users/' + USER_ID)
    def v2_delete_user(self, request):
        self.delete_user_state(self.find_user(request, 2))
        return Reply(204)

    @route('GET', r'/api/2/users/' + USER_ID + '/apps')
    def v2_user_apps(self, request):
        user = self.find_user(request, 2)
        return self.user_apps(user, str(request.arg('ignore_visibility')).lower() in ('true', '1'))

    # ---- roles (v1 reads, v2 CRUD and members) ---------------------------------------------------------
    def find_role(self, request, version):
        role = self.roles.get(int(request.params['role_id']))
        if role is None:
            if version == 1:
                raise v1_error(404, 'Role for id %s was not found' % request.params['role_id'])
            raise v2_error(404, 'The resource with the given id could not be found')
        return role

    @route('GET', r'/api/1/roles')
    def v1_list_roles(self, request):
        roles = sorted(self.roles.values(), key=lambda r: r['id'])
        if request.arg('name'):
            roles = [r for r in roles if self.matches(r['name'], request.arg('name'))]
        if request.arg('id'):
            roles = [r for r in roles if str(r['id']) == request.arg('id')]
        chunk, pagination = self.v1_page(request, roles)
        return v1_ok([{'id': r['id'], 'name': r['name']} for r in chunk], pagination)

    @route('GET', r'/api/1/roles/' + ROLE_ID)
    def v1_get_role(self, request):
        role = self.find_role(request, 1)
        return v1_ok([{'id': role['id'], 'name': role['name']}])

    @route('GET', r'/api/2/roles')
    def v2_list_roles(self, request):
        roles = sorted(self.roles.values(), key=lambda r: r['id'])
        if request.arg('role_name'):
            roles = [r for r in roles if self.matches(r['name'], request.arg('role_name'))]
        if request.arg('app_id'):
            roles = [r for r in roles if int(request.arg('app_id')) in r['apps']]
        if request.arg('app_name'):
            roles = [r for r in roles if any(self.matches(self.apps[a]['name'], request.arg('app_name'))
                                             for a in r['apps'] if a in self.apps)]
        chunk, headers = self.v2_page(request, roles)
        if not request.arg('fields'):
            return Reply(200, [{'id': r['id'], 'name': r['name']} for r in chunk], headers)
        return Reply(200, self.pick_fields([dict(r) for r in chunk], request), headers)

    @route('POST', r'/api/2/roles')
    def v2_create_role(self, request):
        body = request.json()
        if not isinstance(body, dict) or not body.get('name'):
            raise v2_error(422, 'Validation failed: Name is required')
        role = {'id': self.new_id('role'), 'name': body['name'], 'apps': list(body.get('apps') or []),
                'users': [], 'admins': list(body.get('admins') or [])}
        self.roles[role['id']] = role
        for user_id in body.get('users') or []:
            if user_id in self.users:
                self.grant(self.users[user_id], role['id'])
        return Reply(201, {'id': role['id']})

    @route('GET', r'/api/2/roles/' + ROLE_ID)
    def v2_get_role(self, request):
        return dict(self.find_role(request, 2))

    @route('PUT', r'/api/2/roles/' + ROLE_ID)
    def v2_update_role(self, request):
        role = self.find_role(request, 2)
        body = request.json()
        if not isinstance(body, dict) or not body.get('name'):
            raise v2_error(422, 'Validation failed: Name is required')
        role['name'] = body['name']
        return {'id': role['id']}

    @route('DELETE', r'/api/2/roles/' + ROLE_ID)
    def v2_delete_role(self, request):
        role = self.find_role(request, 2)
        for user_id in list(role['users']):
            self.revoke(self.users[user_id], role['id'])
        del self.roles[role['id']]
        return Reply(204)

    def id_array(self, request):
        body = request.json()
        if not isinstance(body, list) or not body or not all(isinstance(i, int) for i in body):
            raise v2_error(400, 'Request body must be a non-empty array of user ids')
        missing = [i for i in body if i not in self.users]
        if missing:
            raise v2_error(404, 'The resource with the given id could not be found')
        return body

    @route('GET', r'/api/2/roles/' + ROLE_ID + '/users')
    def v2_role_users(self, request):
        role = self.find_role(request, 2)
        users = sorted(self.users.values(), key=lambda u: u['id'])
        if request.arg('include_unassigned') != 'true':
            users = [u for u in users if u['id'] in role['users']]
        if request.arg('name'):
            users = [u for u in users if self.matches('%s %s' % (u['firstname'], u['lastname']),
                                                      request.arg('name'))]
        chunk, headers = self.v2_page(request, users)
        return Reply(200, [{'id': u['id'], 'name': ('%s %s' % (u['firstname'] or '', u['lastname'] or '')).strip(),
                            'email': u['email'], 'username': u['username'],
                            'assigned': u['id'] in role['users']} for u in chunk], headers)

    @route('POST', r'/api/2/roles/' + ROLE_ID + '/users')
    def v2_add_role_users(self, request):
        role = self.find_role(request, 2)
        ids = self.id_array(request)
        for user_id in ids:
            self.grant(self.users[user_id], role['id'])
        return [{'id': i} for i in ids]

    @route('DELETE', r'/api/2/roles/' + ROLE_ID + '/users')
    def v2_remove_role_users(self, request):
        role = self.find_role(request, 2)
        for user_id in self.id_array(request):
            self.revoke(self.users[user_id], role['id'])
        return Reply(204)

    @route('GET', r'/api/2/roles/' + ROLE_ID + '/admins')
    def v2_role_admins(self, request):
        role = self.find_role(request, 2)
        chunk, headers = self.v2_page(request, [self.users[i] for i in sorted(role['admins']) if i in self.users])
        return Reply(200, [{'id': u['id'], 'email': u['email'], 'username': u['username']} for u in chunk], headers)

    @route('POST', r'/api/2/roles/' + ROLE_ID + '/admins')
    def v2_add_role_admins(self, request):
        role = self.find_role(request, 2)
        ids = self.id_array(request)
        role['admins'].extend(i for i in ids if i not in role['admins'])
        return [{'id': i} for i in ids]

    @route('DELETE', r'/api/2/roles/' + ROLE_ID + '/admins')
    def v2_remove_role_admins(self, request):
        role = self.find_role(request, 2)
        for user_id in self.id_array(request):
            if user_id in role['admins']:
                role['admins'].remove(user_id)
        return Reply(204)

    # ---- groups (read-only) -------------------------------------------------------------------------
    @route('GET', r'/api/1/groups')
    def v1_list_groups(self, request):
        chunk, pagination = self.v1_page(request, sorted(self.groups.values(), key=lambda g: g['id']))
        return v1_ok([dict(g) for g in chunk], pagination)

    @route('GET', r'/api/1/groups/(?P<group_id>\d+)')
    def v1_get_group(self, request):
        group = self.groups.get(int(request.params['group_id']))
        if group is None:
            raise v1_error(404, 'Group for id %s was not found' % request.params['group_id'])
        return v1_ok([dict(group)])


if __name__ == '__main__':
    main(OneLoginEmulator)
