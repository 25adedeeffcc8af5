"""An Authress emulator: the management API (`/v1/...`) the collection and the `authress` SDK speak.

Protocol facts and their sources are in docs/providers.md section 2 and in
tests/emulators/README.md (section Authress: what the SDK verifies, what is documented, what
is inferred). In short:

* Every ``/v1`` request carries ``Authorization: Bearer <JWT>``: an EdDSA (Ed25519) JWT that the
  caller signs locally from a service client access key
  ``<clientId>.<keyId>.<accountId>.<base64 PKCS#8 DER private key>``. The emulator knows the
  service clients' *public* keys (registered by ``seed``) and answers 401 to a missing token, a
  bad signature, an unknown client or ``kid``, a wrong ``aud``/``iss``, or an expired token.
* Collections are ``{"<items>": [...], "pagination": {"next": {"cursor"}}, "links": {...}}``; the
  next page is asked with ``?cursor=``. ``page_size`` (a setting) caps every page so tests cross
  pages with a few objects.
* Users cannot be created through the API (they appear when they log in): tests ``seed`` them.
  ``DELETE /v1/users/{id}`` answers 202 and the user disappears ``delete_delay`` seconds later.
* ``PUT`` on groups and records honours ``If-Unmodified-Since`` (412 when the object changed
  since); the ``bump_after_read`` setting simulates a concurrent writer.

Control (tests only, never logged): ``POST /__emulator__/seed`` with any of ``settings``,
``clients``, ``users``, ``groups``, ``records``, ``roles``, ``tenants``, ``connections``;
``GET /__emulator__/state``; ``POST /__emulator__/reset``; ``GET /__emulator__/log``.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re
import secrets
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import quote, unquote, urlencode

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from .._base import Emulator, Reply, main, route

DEFAULT_SETTINGS = {
    'account_id': 'acc_emulator',
    'page_size': 100,          # the most rows one page holds, whatever `limit` asks
    'delete_delay': 0.3,       # seconds between DELETE /v1/users/{id} (202) and the user's absence
    'bump_after_read': {},     # {"groups/<id>" | "records/<id>": n}: a concurrent write after each of the next n GETs
}
LIMITS = {'users': 100, 'groups': 20, 'records': 20, 'roles': 100}   # the SDK's `limit` bounds
GROUP_ID = re.compile(r'^[a-zA-Z0-9-_]+$')
RECORD_ID = re.compile(r'^[a-zA-Z0-9-_:|~]+$')
ROLE_ID = re.compile(r'^[a-zA-Z0-9-._:@]+$')
TENANT_ID = re.compile(r'^[a-zA-Z0-9-_.:]*$')
DOMAIN = re.compile(r'^[a-z0-9.-]+$')


def error(status, code, title):
    """An Authress error answer (`title` is what the JS SDK shows; `errorCode` inferred)."""
    return Reply(status, {'errorCode': code, 'title': title})


def now_iso(at=None):
    stamp = datetime.fromtimestamp(at if at is not None else time.time(), timezone.utc)
    return stamp.isoformat(timespec='milliseconds').replace('+00:00', 'Z')


def parse_time(text):
    """An ISO 8601 or HTTP date -> epoch seconds (If-Unmodified-Since accepts both)."""
    try:
        return datetime.fromisoformat(text.replace('Z', '+00:00')).timestamp()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        raise error(400, 'InvalidRequest', 'If-Unmodified-Since is not a date: %s' % text)


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


def load_public_key(text):
    """A registered public key: PEM SubjectPublicKeyInfo, or base64 of the raw 32 bytes."""
    if text.strip().startswith('-----BEGIN'):
        key = load_pem_public_key(text.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise error(400, 'InvalidRequest', 'only Ed25519 public keys are supported')
        return key
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text))


class AuthressEmulator(Emulator):
    name = 'authress'

    # ---- state -----------------------------------------------------------------------------
    def reset_state(self):
        self.settings = copy.deepcopy(DEFAULT_SETTINGS)
        self.clients = {}        # clientId -> {keyId: Ed25519PublicKey}
        self.users = {}          # userId -> UserIdentity
        self.user_tenant = {}    # userId -> tenantId (a user is part of one tenant at most)
        self.deleting = {}       # userId -> epoch when the asynchronous delete completes
        self.groups = {}
        self.records = {}
        self.roles = {}
        self.tenants = {}
        self.connections = {}
        self.clock = 0.0         # the last lastUpdated handed out, so that every write moves it

    def seed(self, body):
        made = {}
        settings = body.get('settings') or {}
        unknown = set(settings) - set(DEFAULT_SETTINGS)
        if unknown:
            raise Reply(400, {'message': 'unknown settings: %s' % sorted(unknown)})
        self.settings.update(copy.deepcopy(settings))
        for client in body.get('clients') or []:
            keys = self.clients.setdefault(client['clientId'], {})
            for key in client.get('keys') or []:
                keys[key['keyId']] = load_public_key(key['publicKey'])
            made.setdefault('clients', []).append(client['clientId'])
        for user in body.get('users') or []:
            identity = {k: user[k] for k in ('userId', 'name', 'picture', 'email') if user.get(k) is not None}
            self.users[user['userId']] = identity
            if user.get('tenantId'):
                self.user_tenant[user['userId']] = user['tenantId']
            made.setdefault('users', []).append(user['userId'])
        for kind, create in (('roles', self._new_role), ('tenants', self._new_tenant),
                             ('connections', self._new_connection), ('groups', self._new_group),
                             ('records', self._new_record)):
            for item in body.get(kind) or []:
                made.setdefault(kind, []).append(create(copy.deepcopy(item)))
        return made

    def dump(self):
        self._finish_deletes()
        return copy.deepcopy({
            'settings': self.settings, 'clients': sorted(self.clients),
            'users': self.users, 'user_tenant': self.user_tenant, 'deleting': sorted(self.deleting),
            'groups': self.groups, 'records': self.records, 'roles': self.roles,
            'tenants': self.tenants, 'connections': self.connections})

    def _touch(self, obj):
        """Give ``obj`` a new ``lastUpdated``, strictly later than any before (millisecond steps)."""
        self.clock = max(round(time.time(), 3), round(self.clock + 0.001, 3))
        obj['lastUpdated'] = now_iso(self.clock)

    def _link(self, kind, key):
        return {'self': {'href': '%s/v1/%s/%s' % (self.url, kind, quote(key, safe=''))}}

    # ---- authentication --------------------------------------------------------------------
    def handle(self, request):
        if request.path.startswith('/v1/'):
            with self.lock:
                self._finish_deletes()
                try:
                    self.authenticate(request)
                except Reply as exc:
                    return exc
        return super().handle(request)

    def authenticate(self, request):
        """Verify the EdDSA JWT of ``Authorization: Bearer`` as Authress does, or raise a 401."""
        scheme, _space, token = (request.header('Authorization') or '').partition(' ')
        if scheme.lower() != 'bearer' or not token.strip():
            raise error(401, 'Unauthorized', 'No authorization token was provided.')
        try:
            header_part, payload_part, signature_part = token.strip().split('.')
            header = json.loads(b64url_decode(header_part))
            claims = json.loads(b64url_decode(payload_part))
            signature = b64url_decode(signature_part)
        except (ValueError, binascii.Error):
            raise error(401, 'Unauthorized', 'The authorization token is not a JWT.')
        client_id = claims.get('client_id') or claims.get('sub')
        key = self.clients.get(client_id, {}).get(header.get('kid'))
        if header.get('alg') != 'EdDSA' or key is None:
            raise error(401, 'Unauthorized', 'The token was not signed by a known service client key.')
        try:
            key.verify(signature, ('%s.%s' % (header_part, payload_part)).encode())
        except InvalidSignature:
            raise error(401, 'Unauthorized', 'The token signature is invalid.')
        # the issuer is the URL the client was configured with: this server's, or one of the
        # account's custom domains (Authress serves an account on a custom domain too; tests put a
        # fault-injecting proxy there)
        issuers = ['%s/v1/clients/%s' % (origin, quote(client_id, safe=''))
                   for origin in [self.url] + list(getattr(self, 'custom_domains', ()))]
        if claims.get('aud') != '%s.accounts.authress.io' % self.settings['account_id'] \
                or claims.get('iss') not in issuers or claims.get('sub') != client_id:
            raise error(401, 'Unauthorized', 'The token audience or issuer does not match this account.')
        if not isinstance(claims.get('exp'), (int, float)) or claims['exp'] <= time.time():
            raise error(401, 'Unauthorized', 'The token has expired.')

    # ---- pagination ------------------------------------------------------------------------
    def page(self, request, kind, rows):
        """One page of ``rows`` (sorted by id) as Authress answers it, with cursor and links."""
        limit = request.arg('limit')
        try:
            limit = int(limit) if limit is not None else LIMITS.get(kind, 100)
        except ValueError:
            raise error(400, 'InvalidRequest', 'limit must be a number')
        if not 1 <= limit <= LIMITS.get(kind, 100):
            raise error(400, 'InvalidRequest', 'limit must be between 1 and %d' % LIMITS.get(kind, 100))
        size = min(limit, self.settings['page_size'])
        start = 0
        cursor = request.arg('cursor')
        if cursor:
            try:
                start = int(json.loads(b64url_decode(cursor))['offset'])
            except (ValueError, KeyError, TypeError, binascii.Error):
                raise error(400, 'InvalidRequest', 'The cursor is not valid.')
        chunk = rows[start:start + size]
        query = dict((k, v[0]) for k, v in request.query.items() if k != 'cursor')
        body = {kind: chunk, 'pagination': {}}
        links = {'self': {'href': '%s%s%s' % (self.url, request.path,
                                              '?' + urlencode(request.query, doseq=True) if request.query else '')}}
        if start + size < len(rows):
            next_cursor = base64.urlsafe_b64encode(json.dumps({'offset': start + size}).encode()).decode().rstrip('=')
            body['pagination']['next'] = {'cursor': next_cursor}
            links['next'] = {'href': '%s%s?%s' % (self.url, request.path, urlencode(dict(query, cursor=next_cursor)))}
        if kind != 'tenants':
            body['links'] = links
        return body

    @classmethod
    def matches(cls, obj, text):
        """Authress's `filter`: a case-insensitive search through every text field (values, not
        field names; nested objects and lists included)."""
        if not text:
            return True
        if isinstance(obj, str):
            return text.lower() in obj.lower()
        values = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, list) else ()
        return any(cls.matches(value, text) for value in values)

    def body(self, request):
        data = request.json()
        if not isinstance(data, dict):
            raise error(400, 'InvalidRequest', 'The request body must be a JSON object.')
        return data

    def check_unmodified(self, request, obj):
        """412 when ``If-Unmodified-Since`` is older than the object's ``lastUpdated``."""
        since = request.header('If-Unmodified-Since')
        if since and parse_time(obj['lastUpdated']) > parse_time(since) + 0.0005:
            raise error(412, 'PreconditionFailed',
                        'The resource has been modified since %s; fetch it again and retry.' % since)

    def after_read(self, kind, key, obj):
        """The ``bump_after_read`` fault: another writer changes the object after this read."""
        name = '%s/%s' % (kind, key)
        left = self.settings['bump_after_read'].get(name, 0)
        if left > 0:
            self.settings['bump_after_read'][name] = left - 1
            self._touch(obj)

    def page_read(self, request, kind, rows, key):
        """A page of groups or records: each row answered is a read for ``bump_after_read``."""
        body = copy.deepcopy(self.page(request, kind, rows))
        for row in body[kind]:
            self.after_read(kind, row[key], getattr(self, kind)[row[key]])
        return body

    # ---- users -----------------------------------------------------------------------------
    def _finish_deletes(self):
        now = time.time()
        for user_id, due in list(self.deleting.items()):
            if due <= now:
                del self.deleting[user_id]
                self._forget_user(user_id)

    def _forget_user(self, user_id):
        """A delete completes: the user and every access granted through records go."""
        self.users.pop(user_id, None)
        self.user_tenant.pop(user_id, None)
        for group in self.groups.values():
            for field in ('users', 'admins'):
                group[field] = [u for u in group[field] if u['userId'] != user_id]
        for record in self.records.values():
            for holder in [record] + record['statements']:
                for field in ('users', 'admins'):
                    if holder.get(field) is not None:
                        holder[field] = [u for u in holder[field] if u['userId'] != user_id]

    def _user(self, request):
        user_id = unquote(request.params['user_id'])
        if user_id not in self.users:
            raise error(404, 'NotFound', 'User %s does not exist.' % user_id)
        return user_id

    @route('GET', r'/v1/users')
    def list_users(self, request):
        tenant = request.arg('tenantId')
        text = request.arg('filter')
        if text and len(text) > 64:
            raise error(400, 'InvalidRequest', 'filter must be at most 64 characters')
        rows = [copy.deepcopy(self.users[k]) for k in sorted(self.users)
                if (not tenant or self.user_tenant.get(k) == tenant) and self.matches(self.users[k], text)]
        return self.page(request, 'users', rows)

    @route('GET', r'/v1/users/(?P<user_id>[^/]+)')
    def get_user(self, request):
        return copy.deepcopy(self.users[self._user(request)])

    @route('DELETE', r'/v1/users/(?P<user_id>[^/]+)')
    def delete_user(self, request):
        user_id = self._user(request)
        self.deleting.setdefault(user_id, time.time() + self.settings['delete_delay'])
        return Reply(202)

    # ---- groups ----------------------------------------------------------------------------
    def _group_body(self, data, group_id):
        if not isinstance(data.get('name'), str) or not 1 <= len(data['name']) <= 128:
            raise error(400, 'InvalidRequest', 'name is required (1 to 128 characters)')
        if not GROUP_ID.match(group_id) or len(group_id) > 64:
            raise error(400, 'InvalidRequest', 'groupId must match ^[a-zA-Z0-9-_]+$ (64 characters at most)')
        group = {'groupId': group_id, 'name': data['name']}
        for field in ('users', 'admins'):
            members = data.get(field) or []
            if len(members) > 100 or any(not isinstance(m, dict) or not m.get('userId') for m in members):
                raise error(400, 'InvalidRequest', '%s must be at most 100 {"userId"} objects' % field)
            group[field] = [{'userId': m['userId']} for m in members]
        if data.get('tags') is not None:
            group['tags'] = dict(data['tags'])
        group['links'] = self._link('groups', group_id)
        self._touch(group)
        return group

    def _new_group(self, data):
        group_id = data.get('groupId') or 'grp_' + secrets.token_hex(8)
        if group_id in self.groups:
            raise error(409, 'GroupAlreadyExists', 'Group %s already exists.' % group_id)
        self.groups[group_id] = self._group_body(data, group_id)
        return group_id

    def _group(self, request):
        group_id = unquote(request.params['group_id'])
        if group_id not in self.groups:
            raise error(404, 'NotFound', 'Group %s does not exist.' % group_id)
        return group_id

    @route('GET', r'/v1/groups')
    def list_groups(self, request):
        text = request.arg('filter')
        rows = [g for k, g in sorted(self.groups.items()) if self.matches(g, text)]
        return self.page_read(request, 'groups', rows, 'groupId')

    @route('POST', r'/v1/groups')
    def create_group(self, request):
        data = self.body(request)
        if data.get('groupId') is not None and not str(data['groupId']).startswith('grp_'):
            # the SDK's Group.groupId: "can be specified on record creation. Must begin with grp_."
            raise error(400, 'InvalidRequest', 'groupId must begin with grp_')
        group_id = self._new_group(data)
        return Reply(201, copy.deepcopy(self.groups[group_id]))

    @route('GET', r'/v1/groups/(?P<group_id>[^/]+)')
    def get_group(self, request):
        group_id = self._group(request)
        answer = copy.deepcopy(self.groups[group_id])
        self.after_read('groups', group_id, self.groups[group_id])
        return answer

    @route('PUT', r'/v1/groups/(?P<group_id>[^/]+)')
    def update_group(self, request):
        group_id = self._group(request)
        data = self.body(request)
        self.check_unmodified(request, self.groups[group_id])
        self.groups[group_id] = self._group_body(data, group_id)
        return copy.deepcopy(self.groups[group_id])

    @route('DELETE', r'/v1/groups/(?P<group_id>[^/]+)')
    def delete_group(self, request):
        del self.groups[self._group(request)]
        return Reply(204)

    # ---- access records --------------------------------------------------------------------
    def _record_body(self, data, record_id, status='ACTIVE'):
        if not isinstance(data.get('name'), str) or not 1 <= len(data['name']) <= 128:
            raise error(400, 'InvalidRequest', 'name is required (1 to 128 characters)')
        if not RECORD_ID.match(record_id) or len(record_id) > 100:
            raise error(400, 'InvalidRequest', 'recordId must match ^[a-zA-Z0-9-_:|~]+$ (100 characters at most)')
        statements = data.get('statements')
        if not isinstance(statements, list) or not 1 <= len(statements) <= 100:
            raise error(400, 'InvalidRequest', 'statements must hold 1 to 100 statements')
        record = {'recordId': record_id, 'name': data['name'], 'status': status,
                  'account': {'accountId': self.settings['account_id']}, 'statements': []}
        if data.get('description') is not None:
            record['description'] = data['description']
        for field, key in (('users', 'userId'), ('admins', 'userId'), ('groups', 'groupId')):
            if data.get(field) is not None:
                record[field] = [{key: item[key]} for item in data[field]]
        record_level = bool(record.get('users') or record.get('groups'))
        for statement in statements:
            roles = statement.get('roles') or []
            resources = statement.get('resources') or []
            if not roles or not resources or not all(r.get('resourceUri') for r in resources):
                raise error(400, 'InvalidRequest', 'each statement needs roles and resources [{"resourceUri"}]')
            kept = {'roles': list(roles), 'resources': [{'resourceUri': r['resourceUri']} for r in resources]}
            for field, key in (('users', 'userId'), ('groups', 'groupId')):
                if statement.get(field) is not None:
                    kept[field] = [{key: item[key]} for item in statement[field]]
            if record_level and (kept.get('users') or kept.get('groups')):
                raise error(400, 'InvalidRequest',
                            'users and groups are set at the record level or the statement level, not both')
            record['statements'].append(kept)
        if data.get('tags') is not None:
            record['tags'] = dict(data['tags'])
        for field, most in (('users', 1000), ('admins', 100), ('groups', 100)):
            if len(record.get(field) or []) > most:
                raise error(400, 'InvalidRequest', '%s: at most %d' % (field, most))
        for statement in record['statements']:
            for field, most in (('roles', 100), ('resources', 100), ('users', 100), ('groups', 10)):
                if len(statement.get(field) or []) > most:
                    raise error(400, 'InvalidRequest', 'statements[].%s: at most %d' % (field, most))
            if any(len(r['resourceUri']) > 512 for r in statement['resources']) or any(
                    not isinstance(r, str) or not 1 <= len(r) <= 64 for r in statement['roles']):
                raise error(400, 'InvalidRequest', 'a resourceUri is at most 512 characters, a role 1 to 64')
        record['links'] = self._link('records', record_id)
        self._touch(record)
        return record

    def _new_record(self, data):
        record_id = data.get('recordId') or 'rec_' + secrets.token_hex(8)
        if self.records.get(record_id, {}).get('status') == 'ACTIVE':
            raise error(409, 'RecordAlreadyExists', 'Record %s already exists.' % record_id)
        self.records[record_id] = self._record_body(data, record_id)
        return record_id

    def _record(self, request):
        record_id = unquote(request.params['record_id'])
        if record_id not in self.records:
            raise error(404, 'NotFound', 'Record %s does not exist.' % record_id)
        return record_id

    @route('GET', r'/v1/records')
    def list_records(self, request):
        status = request.arg('status') or 'ACTIVE'
        text = request.arg('filter')
        rows = [r for k, r in sorted(self.records.items()) if r['status'] == status and self.matches(r, text)]
        return self.page_read(request, 'records', rows, 'recordId')

    @route('POST', r'/v1/records')
    def create_record(self, request):
        record_id = self._new_record(self.body(request))
        return Reply(201, copy.deepcopy(self.records[record_id]))

    @route('GET', r'/v1/records/(?P<record_id>[^/]+)')
    def get_record(self, request):
        record_id = self._record(request)
        answer = copy.deepcopy(self.records[record_id])
        self.after_read('records', record_id, self.records[record_id])
        return answer

    @route('PUT', r'/v1/records/(?P<record_id>[^/]+)')
    def update_record(self, request):
        record_id = self._record(request)
        data = self.body(request)
        if self.records[record_id]['status'] != 'ACTIVE':
            raise error(404, 'NotFound', 'Record %s has been deleted.' % record_id)
        self.check_unmodified(request, self.records[record_id])
        self.records[record_id] = self._record_body(data, record_id)
        return Reply(202)

    @route('DELETE', r'/v1/records/(?P<record_id>[^/]+)')
    def delete_record(self, request):
        record = self.records[self._record(request)]
        if record['status'] != 'ACTIVE':
            raise error(404, 'NotFound', 'Record %s has been deleted.' % record['recordId'])
        record['status'] = 'DELETED'
        self._touch(record)
        return Reply(204)

    # ---- roles -----------------------------------------------------------------------------
    def _role_body(self, data, role_id):
        if not isinstance(data.get('name'), str) or not data['name']:
            raise error(400, 'InvalidRequest', 'name is required')
        if not ROLE_ID.match(role_id) or len(role_id) > 64:
            raise error(400, 'InvalidRequest', 'roleId must match ^[a-zA-Z0-9-._:@]+$ (64 characters at most)')
        permissions = data.get('permissions')
        if not isinstance(permissions, list):
            raise error(400, 'InvalidRequest', 'permissions is required')
        role = {'roleId': role_id, 'name': data['name'], 'permissions': []}
        for permission in permissions:
            if not permission.get('action') or not all(isinstance(permission.get(k), bool)
                                                       for k in ('allow', 'grant', 'delegate')):
                raise error(400, 'InvalidRequest', 'a permission needs action, allow, grant and delegate')
            role['permissions'].append({k: permission[k] for k in ('action', 'allow', 'grant', 'delegate')})
        if data.get('description') is not None:
            role['description'] = data['description']
        return role

    def _new_role(self, data):
        role_id = data.get('roleId') or 'ro_' + secrets.token_hex(8)
        if role_id in self.roles:
            raise error(409, 'RoleAlreadyExists', 'Role %s already exists.' % role_id)
        self.roles[role_id] = self._role_body(data, role_id)
        return role_id

    def _role(self, request):
        role_id = unquote(request.params['role_id'])
        if role_id not in self.roles:
            raise error(404, 'NotFound', 'Role %s does not exist.' % role_id)
        return role_id

    @route('GET', r'/v1/roles')
    def list_roles(self, request):
        text = request.arg('filter')
        return self.page(request, 'roles', [copy.deepcopy(r) for k, r in sorted(self.roles.items())
                                            if self.matches(r, text)])

    @route('POST', r'/v1/roles')
    def create_role(self, request):
        role_id = self._new_role(self.body(request))
        return Reply(201, copy.deepcopy(self.roles[role_id]))

    @route('GET', r'/v1/roles/(?P<role_id>[^/]+)')
    def get_role(self, request):
        return copy.deepcopy(self.roles[self._role(request)])

    @route('PUT', r'/v1/roles/(?P<role_id>[^/]+)')
    def update_role(self, request):
        role_id = self._role(request)
        self.roles[role_id] = self._role_body(self.body(request), role_id)
        return copy.deepcopy(self.roles[role_id])

    @route('DELETE', r'/v1/roles/(?P<role_id>[^/]+)')
    def delete_role(self, request):
        del self.roles[self._role(request)]
        return Reply(204)

    # ---- tenants ---------------------------------------------------------------------------
    def _tenant_body(self, data, tenant_id, created):
        if not TENANT_ID.match(tenant_id) or len(tenant_id) > 128:
            raise error(400, 'InvalidRequest', 'tenantId must match ^[a-zA-Z0-9-_.:]*$ (128 characters at most)')
        tenant = {'tenantId': tenant_id, 'createdTime': created}
        lookup = data.get('tenantLookupIdentifier')
        if lookup is not None:
            if len(lookup) > 64:
                raise error(400, 'InvalidRequest', 'tenantLookupIdentifier is at most 64 characters')
            tenant['tenantLookupIdentifier'] = lookup
        if data.get('data') is not None:
            tenant['data'] = {'name': (data['data'] or {}).get('name')}
        domains = data.get('domains')
        if domains is not None:
            if len(domains) > 10 or not all(DOMAIN.match(d.get('domain') or '') for d in domains):
                raise error(400, 'InvalidRequest', 'domains: at most 10 {"domain"} matching ^[a-z0-9.-]+$')
            tenant['domains'] = [{'domain': d['domain']} for d in domains]
        if data.get('connection') is not None:
            tenant['connection'] = {'connectionId': (data['connection'] or {}).get('connectionId')}
        if data.get('tokenConfiguration') is not None:
            tenant['tokenConfiguration'] = copy.deepcopy(data['tokenConfiguration'])
        return tenant

    def _new_tenant(self, data):
        tenant_id = data.get('tenantId') or 'ten_' + secrets.token_hex(8)
        if tenant_id in self.tenants:
            raise error(409, 'TenantAlreadyExists', 'Tenant %s already exists.' % tenant_id)
        self.tenants[tenant_id] = self._tenant_body(data, tenant_id, now_iso())
        return tenant_id

    def _tenant(self, request):
        tenant_id = unquote(request.params['tenant_id'])
        if tenant_id not in self.tenants:
            raise error(404, 'NotFound', 'Tenant %s does not exist.' % tenant_id)
        return tenant_id

    @route('GET', r'/v1/tenants')
    def list_tenants(self, request):
        return self.page(request, 'tenants', [copy.deepcopy(t) for k, t in sorted(self.tenants.items())])

    @route('POST', r'/v1/tenants')
    def create_tenant(self, request):
        tenant_id = self._new_tenant(self.body(request))
        return Reply(201, copy.deepcopy(self.tenants[tenant_id]))

    @route('GET', r'/v1/tenants/(?P<tenant_id>[^/]+)')
    def get_tenant(self, request):
        return copy.deepcopy(self.tenants[self._tenant(request)])

    @route('PUT', r'/v1/tenants/(?P<tenant_id>[^/]+)')
    def update_tenant(self, request):
        tenant_id = self._tenant(request)
        created = self.tenants[tenant_id]['createdTime']
        self.tenants[tenant_id] = self._tenant_body(self.body(request), tenant_id, created)
        return copy.deepcopy(self.tenants[tenant_id])

    @route('DELETE', r'/v1/tenants/(?P<tenant_id>[^/]+)')
    def delete_tenant(self, request):
        tenant_id = self._tenant(request)
        del self.tenants[tenant_id]
        for user_id in [u for u, t in self.user_tenant.items() if t == tenant_id]:
            del self.user_tenant[user_id]
        return Reply(204)

    @route('PATCH', r'/v1/tenants/(?P<tenant_id>[^/]+)/users')
    def link_tenant_user(self, request):
        tenant_id = self._tenant(request)
        user_id = self.body(request).get('userId')
        if user_id not in self.users:
            raise error(404, 'NotFound', 'User %s does not exist.' % user_id)
        self.user_tenant[user_id] = tenant_id
        return Reply(204)

    # ---- connections (what a tenant's `connection` refers to) ------------------------------
    def _new_connection(self, data):
        connection_id = data.get('connectionId') or 'con_' + secrets.token_hex(8)
        self.connections[connection_id] = dict(data, connectionId=connection_id)
        return connection_id

    @route('GET', r'/v1/connections/(?P<connection_id>[^/]+)')
    def get_connection(self, request):
        connection_id = unquote(request.params['connection_id'])
        if connection_id not in self.connections:
            raise error(404, 'NotFound', 'Connection %s does not exist.' % connection_id)
        return copy.deepcopy(self.connections[connection_id])

    # ---- errors of the routing itself --------------------------------------------------------
    def not_found(self, request, method_known):
        if method_known:
            return error(405, 'MethodNotAllowed', 'Method %s is not allowed here.' % request.method)
        return error(404, 'NotFound', 'No such resource: %s' % request.path)


if __name__ == '__main__':
    main(AuthressEmulator)
