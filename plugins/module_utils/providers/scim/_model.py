# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SCIM 2.0 resources <-> the common model, PATCH operations, filters, paging and the
``ServiceProviderConfig`` (pure functions, no I/O).

Contract: RFC 7643 (core schema: User ``userName``, ``name.givenName``/``familyName``,
``emails``, ``active``, ``title``, ``externalId``, write-only ``password``; Group
``displayName``, ``members``) and RFC 7644 (``filter``, ``startIndex``/``count`` paging,
``PatchOp`` with ``Operations``, ``ListResponse``, ``Error`` with ``scimType``, ``ETag`` /
``If-Match``, section 4 ``ServiceProviderConfig``).

SCIM has no domains (``domain_id`` None), no user description and no free-form ``extra``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'
PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error'
PAGE_SIZE = 100          # ``count`` asked per page; the server may answer fewer (RFC 7644 3.4.2.4)
FILTER_CHUNK = 20        # ids per ``id eq .. or id eq ..`` filter when members' names are read

# Where the server's text sits in an RFC 7644 3.12 error body: ``scimType`` (when given) and
# ``detail``; other shapes fall back to the collection's usual places.
ERROR_QUERY = "join(': ', [scimType, detail][?@]) || detail || error.message || message || error"

# common-model key -> SCIM attribute path of a user (simple attributes only; ``email`` is a
# multi-valued attribute handled by :func:`emails_after`)
USER_PATHS = (('name', 'userName'), ('first_name', 'name.givenName'), ('last_name', 'name.familyName'),
              ('title', 'title'), ('external_id', 'externalId'), ('enabled', 'active'))
# common-model key -> attribute of the enterprise extension (RFC 7643 4.3); ``manager`` is the
# manager's user id (``manager.value``)
ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
ENTERPRISE_FIELDS = (('department', 'department'), ('company', 'organization'), ('manager', 'manager'))
USER_KEYS = ('id', 'name', 'domain_id', 'enabled', 'email', 'description', 'extra', 'first_name',
             'last_name', 'title', 'external_id', 'department', 'company', 'manager')
_ATTRIBUTE = re.compile(r'^[A-Za-z][A-Za-z0-9_$-]*(\.[A-Za-z][A-Za-z0-9_$-]*)?$')


class ModelError(ValueError):
    """A value SCIM cannot take, found before any request."""


def _empty_as_none(value):
    return None if value == '' else value


# ---- ServiceProviderConfig -------------------------------------------------------------------
class Features:
    """What the server's ``ServiceProviderConfig`` says it supports (RFC 7643 section 5).

    A missing or unreadable document means the least: no PATCH, no filter, no ETag, no bulk,
    no password change - every fallback on. ``raw`` keeps the document.
    """

    def __init__(self, raw=None):
        raw = raw if isinstance(raw, dict) else {}
        self.raw = raw

        def supported(name):
            value = raw.get(name)
            return bool(isinstance(value, dict) and value.get('supported') is True)

        self.patch = supported('patch')
        self.filter = supported('filter')
        self.etag = supported('etag')
        self.bulk = supported('bulk')
        self.change_password = supported('changePassword')
        self.sort = supported('sort')
        limit = (raw.get('filter') or {}).get('maxResults') if isinstance(raw.get('filter'), dict) else None
        self.max_results = limit if isinstance(limit, int) and limit > 0 else None
        self.schemes = [s.get('type') for s in raw.get('authenticationSchemes') or [] if isinstance(s, dict)]

    def page_size(self):
        """The ``count`` to ask per page: :data:`PAGE_SIZE`, lowered to ``filter.maxResults``."""
        return min(PAGE_SIZE, self.max_results) if self.max_results else PAGE_SIZE

    def summary(self):
        return dict(patch=self.patch, filter=self.filter, etag=self.etag, bulk=self.bulk,
                    change_password=self.change_password)


# ---- filters ---------------------------------------------------------------------------------
def quote(value):
    """A SCIM filter string literal (RFC 7644 3.4.2.2: JSON string rules)."""
    text = str(value)
    text = text.replace('\\', '\\\\').replace('"', '\\"')
    text = re.sub(r'[\x00-\x1f]', lambda m: '\\u%04x' % ord(m.group(0)), text)
    return '"%s"' % text


def eq(attribute, value):
    if isinstance(value, bool):
        return '%s eq %s' % (attribute, 'true' if value else 'false')
    return '%s eq %s' % (attribute, quote(value))


def any_of(attribute, values):
    return ' or '.join(eq(attribute, v) for v in values)


def user_filter(filters):
    """The SCIM ``filter`` of the info module's ``filters``: ``filter`` is taken as a raw SCIM
    filter expression; every other key is an attribute path compared with ``eq``; all are
    joined with ``and``. None without filters."""
    filters = dict(filters or {})
    parts = []
    raw = filters.pop('filter', None)
    if raw is not None:
        if not isinstance(raw, str) or not raw.strip():
            raise ModelError('filters.filter must be a SCIM filter expression such as userName sw "j"')
        parts.append('(%s)' % raw.strip())
    for key in sorted(filters):
        value = filters[key]
        if not _ATTRIBUTE.match(str(key)):
            raise ModelError('filters: %r is not a SCIM attribute path (such as userName, name.familyName or '
                             'active); give a full expression as filters.filter' % key)
        if isinstance(value, (dict, list)) or value is None:
            raise ModelError('filters.%s: expected a string, number or boolean' % key)
        parts.append(eq(key, value))
    return ' and '.join(parts) or None


def matches_locally(raw, filters):
    """For a server without filtering: whether resource ``raw`` passes the ``eq`` filters (a raw
    ``filter`` expression cannot be evaluated here: :func:`user_filter` callers refuse it)."""
    for key, value in (filters or {}).items():
        found = raw
        for part in key.split('.'):
            found = found.get(part) if isinstance(found, dict) else None
        if isinstance(found, str) and isinstance(value, str):
            if found.lower() != value.lower():
                return False
        elif found != value:
            return False
    return True


# ---- paging ----------------------------------------------------------------------------------
def page_params(params=None, start=1, count=PAGE_SIZE):
    result = dict(params or {})
    result['startIndex'] = start
    result['count'] = count
    return result


def resources(body):
    return list((body or {}).get('Resources') or [])


def next_start(body, params):
    """The ``startIndex`` of the page after ``body`` (RFC 7644 3.4.2.4, 1-based), or None after
    the last: stop on an empty page or once ``totalResults`` are covered."""
    body = body or {}
    rows = resources(body)
    if not rows:
        return None
    start = int(body.get('startIndex') or params.get('startIndex') or 1)
    following = start + len(rows)
    total = body.get('totalResults')
    if total is None or following > int(total):
        return None
    return following


# ---- users -----------------------------------------------------------------------------------
def primary_email(raw):
    """The user's primary e-mail (RFC 7643 ``primary``), else its first one, else None."""
    emails = [e for e in raw.get('emails') or [] if isinstance(e, dict) and e.get('value')]
    for email in emails:
        if email.get('primary'):
            return email['value']
    return emails[0]['value'] if emails else None


def user_from_api(raw):
    """A SCIM User in the common model.

    ``enabled`` is ``active``; a server that omits ``active`` is taken as active (RFC 7643
    leaves its default open; scim2-server omits it when nobody set it). ``email`` is the primary
    e-mail. Never a password (SCIM's is write-only, ``returned: never``).
    """
    name = raw.get('name') if isinstance(raw.get('name'), dict) else {}
    active = raw.get('active')
    enterprise = raw.get(ENTERPRISE) if isinstance(raw.get(ENTERPRISE), dict) else {}
    manager = enterprise.get('manager')
    return {
        'id': raw.get('id'), 'name': raw.get('userName'), 'domain_id': None,
        'enabled': True if active is None else bool(active),
        'email': primary_email(raw), 'description': None, 'extra': {},
        'first_name': _empty_as_none(name.get('givenName')),
        'last_name': _empty_as_none(name.get('familyName')),
        'title': _empty_as_none(raw.get('title')),
        'external_id': _empty_as_none(raw.get('externalId')),
        'department': _empty_as_none(enterprise.get('department')),
        'company': _empty_as_none(enterprise.get('organization')),
        'manager': _empty_as_none(manager.get('value')) if isinstance(manager, dict) else None,
    }


def enterprise_wanted(fields):
    """Whether ``fields`` set an attribute of the enterprise extension."""
    return any(key in fields for key, _attr in ENTERPRISE_FIELDS)


def _enterprise_value(key, value):
    return {'value': value} if key == 'manager' else value


def emails_after(raw, email):
    """The ``emails`` of ``raw`` with its primary e-mail set to ``email`` (the others kept);
    ``email`` None or '' removes the primary one."""
    emails = [dict(e) for e in (raw or {}).get('emails') or [] if isinstance(e, dict)]
    index = next((i for i, e in enumerate(emails) if e.get('primary')), 0 if emails else None)
    if not email:
        if index is not None:
            del emails[index]
        return emails
    if index is None:
        return [{'value': email, 'type': 'work', 'primary': True}]
    emails[index] = dict(emails[index], value=email, primary=True)
    return emails


def _check_user_fields(fields):
    unknown = sorted(k for k in fields if k not in dict(USER_PATHS) and k not in dict(ENTERPRISE_FIELDS)
                     and k not in ('email', 'password'))
    if unknown:
        raise ModelError('SCIM cannot set %s of a user' % ', '.join(unknown))


def _set_path(body, path, value):
    if '.' in path:
        outer, inner = path.split('.', 1)
        body.setdefault(outer, {})[inner] = value
    else:
        body[path] = value


def user_create_body(fields):
    """The ``POST /Users`` body from common-model ``fields`` (``password`` included when given)."""
    _check_user_fields(fields)
    if not fields.get('name'):
        raise ModelError('a SCIM user needs a userName (name)')
    body = {'schemas': [USER_SCHEMA]}
    for key, path in USER_PATHS:
        if fields.get(key) is not None and fields.get(key) != '':
            _set_path(body, path, fields[key])
    if fields.get('email'):
        body['emails'] = emails_after({}, fields['email'])
    enterprise = dict((attr, _enterprise_value(key, fields[key])) for key, attr in ENTERPRISE_FIELDS
                      if fields.get(key) not in (None, ''))
    if enterprise:
        body['schemas'].append(ENTERPRISE)
        body[ENTERPRISE] = enterprise
    if fields.get('password') is not None:
        body['password'] = fields['password']
    return body


def user_operations(raw, fields):
    """RFC 7644 3.5.2 ``Operations`` changing ``fields`` of the user ``raw``: ``replace`` of each
    given attribute, ``remove`` of one set to ''/None."""
    _check_user_fields(fields)
    operations = []
    for key, path in USER_PATHS:
        if key not in fields:
            continue
        value = fields[key]
        if value is None or value == '':
            operations.append({'op': 'remove', 'path': path})
        else:
            operations.append({'op': 'replace', 'path': path, 'value': value})
    if 'email' in fields:
        emails = emails_after(raw, fields['email'])
        operations.append({'op': 'replace', 'path': 'emails', 'value': emails} if emails
                          else {'op': 'remove', 'path': 'emails'})
    for key, attr in ENTERPRISE_FIELDS:
        if key not in fields:
            continue
        path = '%s:%s' % (ENTERPRISE, attr)
        if fields[key] in (None, ''):
            operations.append({'op': 'remove', 'path': path})
        else:
            operations.append({'op': 'replace', 'path': path, 'value': _enterprise_value(key, fields[key])})
    if fields.get('password') is not None:
        operations.append({'op': 'replace', 'path': 'password', 'value': fields['password']})
    return operations


def user_replacement(raw, fields):
    """The full ``PUT /Users/{id}`` body (RFC 7644 3.5.1) for a server without PATCH: ``raw``
    with ``fields`` applied, read-only ``meta``/``groups`` left out."""
    _check_user_fields(fields)
    body = dict((k, v) for k, v in (raw or {}).items() if k not in ('meta', 'groups'))
    body['schemas'] = body.get('schemas') or [USER_SCHEMA]
    for key, path in USER_PATHS:
        if key not in fields:
            continue
        value = fields[key]
        if value is None or value == '':
            if '.' in path:
                outer, inner = path.split('.', 1)
                (body.get(outer) or {}).pop(inner, None)
            else:
                body.pop(path, None)
        else:
            if '.' in path:
                outer, inner = path.split('.', 1)
                body[outer] = dict(body.get(outer) or {}, **{inner: value})
            else:
                body[path] = value
    if 'email' in fields:
        emails = emails_after(raw, fields['email'])
        if emails:
            body['emails'] = emails
        else:
            body.pop('emails', None)
    if enterprise_wanted(fields):
        enterprise = dict(body.get(ENTERPRISE) or {})
        for key, attr in ENTERPRISE_FIELDS:
            if key in fields:
                if fields[key] in (None, ''):
                    enterprise.pop(attr, None)
                else:
                    enterprise[attr] = _enterprise_value(key, fields[key])
        body[ENTERPRISE] = enterprise
        if ENTERPRISE not in body['schemas']:
            body['schemas'] = list(body['schemas']) + [ENTERPRISE]
    if fields.get('password') is not None:
        body['password'] = fields['password']
    return body


def merge_user(raw, fields):
    """``raw`` as it is after ``fields`` were applied (for a server that answers a PATCH 204)."""
    merged = user_replacement(raw, dict((k, v) for k, v in fields.items() if k != 'password'))
    merged['id'] = (raw or {}).get('id')
    return merged


# ---- groups ----------------------------------------------------------------------------------
def group_from_api(raw):
    """A SCIM Group in the common model (no domain, no description)."""
    return {'id': raw.get('id'), 'name': raw.get('displayName'), 'domain_id': None, 'description': None}


USER_MEMBER = 'User'
GROUP_MEMBER = 'Group'


def _of_type(member, member_type):
    """Whether ``member`` (an item of a Group's ``members``) is of ``member_type``: a member
    without ``type`` is a User (RFC 7643 4.2 makes ``type`` optional; scim2-server stores what it
    is sent)."""
    return (member.get('type') or USER_MEMBER) == member_type


def member_ids(raw, member_type=USER_MEMBER):
    """The IDs of the members of group ``raw`` of ``member_type``: the User members (the
    default), or the Group members (its subgroups)."""
    return [m.get('value') for m in (raw or {}).get('members') or []
            if isinstance(m, dict) and m.get('value') and _of_type(m, member_type)]


def member_value(member_id, member_type=USER_MEMBER):
    """A ``members`` item: a user by its ``value`` alone (as before), a group with ``type: Group``."""
    return {'value': member_id} if member_type == USER_MEMBER else {'value': member_id, 'type': member_type}


def group_create_body(fields):
    unknown = sorted(k for k, v in fields.items() if k != 'name' and v is not None)
    if unknown:
        raise ModelError('SCIM cannot set %s of a group' % ', '.join(unknown))
    if not fields.get('name'):
        raise ModelError('a SCIM group needs a displayName (name)')
    return {'schemas': [GROUP_SCHEMA], 'displayName': fields['name']}


def group_operations(fields):
    refused = sorted(k for k in fields if k != 'name')
    if refused:
        raise ModelError('SCIM cannot change %s of a group' % ', '.join(refused))
    return [{'op': 'replace', 'path': 'displayName', 'value': fields['name']}] if fields.get('name') else []


def member_operations(add=(), remove=(), member_type=USER_MEMBER):
    """``Operations`` adding the member IDs ``add`` (users, or groups with ``type: Group``) and
    removing ``remove`` (RFC 7644 3.5.2.1 and 3.5.2.2: ``members[value eq "id"]``)."""
    operations = []
    if add:
        operations.append({'op': 'add', 'path': 'members', 'value': [member_value(i, member_type) for i in add]})
    for member_id in remove:
        operations.append({'op': 'remove', 'path': 'members[%s]' % eq('value', member_id)})
    return operations


def group_replacement(raw, name=None, members=None, member_type=USER_MEMBER):
    """The full ``PUT /Groups/{id}`` body for a server without PATCH; ``members``: the new IDs of
    the members of ``member_type`` (the members of another type are kept as they are)."""
    body = dict((k, v) for k, v in (raw or {}).items() if k != 'meta')
    body['schemas'] = body.get('schemas') or [GROUP_SCHEMA]
    if name is not None:
        body['displayName'] = name
    if members is not None:
        kept = [m for m in body.get('members') or [] if isinstance(m, dict) and not _of_type(m, member_type)]
        body['members'] = kept + [member_value(i, member_type) for i in members]
    return body


def patch_body(operations):
    return {'schemas': [PATCH_SCHEMA], 'Operations': operations}


# ---- roles (RFC 7643 4.1.2: the User's multi-valued "roles") -----------------------------------
def schema_has_roles(schema):
    """Whether a User ``Schema`` resource (``/Schemas/<core User URN>``) declares a writable
    ``roles`` attribute."""
    for attribute in (schema or {}).get('attributes') or []:
        if isinstance(attribute, dict) and attribute.get('name', '').lower() == 'roles':
            return attribute.get('mutability', 'readWrite') in ('readWrite', 'writeOnly', 'immutable')
    return False


def role_values(raw):
    """The ``value`` of each of the user's ``roles``, in order."""
    return [r.get('value') for r in (raw or {}).get('roles') or [] if isinstance(r, dict) and r.get('value')]


def assignment(user, value):
    return {'role': {'id': value, 'name': value}, 'user': {'id': user['id'], 'name': user['name']}}


def role_operations(grant=(), revoke=()):
    """PATCH ``Operations`` adding the role values ``grant`` and removing ``revoke``."""
    operations = []
    if grant:
        operations.append({'op': 'add', 'path': 'roles', 'value': [{'value': v} for v in grant]})
    for value in revoke:
        operations.append({'op': 'remove', 'path': 'roles[%s]' % eq('value', value)})
    return operations


def roles_after(raw, grant=(), revoke=()):
    """The ``roles`` of ``raw`` after granting and revoking (other sub-attributes kept)."""
    kept = [dict(r) for r in (raw or {}).get('roles') or [] if isinstance(r, dict) and r.get('value') not in revoke]
    held = set(r.get('value') for r in kept)
    return kept + [{'value': v} for v in grant if v not in held]
