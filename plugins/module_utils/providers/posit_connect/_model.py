# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Posit Connect objects <-> the common model, and listing helpers (pure functions, no I/O).

Contract: the posit-sdk ``connect.users`` reference (``shared/seeds/002_*``): ``Users.create``
takes ``username`` (required), ``password`` or ``user_must_set_password`` ("Cannot be set when
user_must_set_password is True"), ``email``, ``first_name``, ``last_name``, ``user_role``
(administrator, publisher, viewer) and ``unique_id``; ``User.update`` changes ``email``,
``username``, ``first_name``, ``last_name`` and ``user_role``; ``User.lock``/``unlock`` set
``locked``; ``Users.find`` filters by ``prefix``, ``user_role`` and ``account_status`` (locked,
licensed, inactive) where ``|`` means OR. Wire facts: ``docs/providers.md`` section 3.

Connect has no domains and one role per user (``user_role``): in the common model a user holds
exactly one role assignment, without scope keys.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

ROLES = ('administrator', 'publisher', 'viewer')
FLOOR_ROLE = 'viewer'   # where removing a user's role leaves it: Connect has no role-less user
# the role Connect gives a user created without one: "The Authorization.DefaultUserRole property
# specifies the role for new accounts and defaults to viewer" (viewer or publisher; Connect's admin
# guide, User Management). What check mode predicts for a user an earlier task creates.
DEFAULT_ROLE = 'viewer'
ACCOUNT_STATUSES = ('locked', 'licensed', 'inactive')
PAGE_SIZE = 500         # Connect's largest page_size (1..500)
GROUP_NAME_MAX = 4096   # "Group name must be between less than 4096 alphanumeric characters" (error 14)

# common-model key <- Connect field, for the fields Connect returns on a user
USER_FIELDS = (('id', 'guid'), ('name', 'username'), ('email', 'email'), ('first_name', 'first_name'),
               ('last_name', 'last_name'), ('user_role', 'user_role'), ('locked', 'locked'),
               ('confirmed', 'confirmed'), ('created_time', 'created_time'),
               ('updated_time', 'updated_time'), ('active_time', 'active_time'))
# what PUT /v1/users/{guid} changes (common-model key -> Connect field)
EDITABLE = (('name', 'username'), ('email', 'email'), ('first_name', 'first_name'),
            ('last_name', 'last_name'), ('user_role', 'user_role'))
# what POST /v1/users takes besides the editable fields
CREATE_ONLY = ('password', 'user_must_set_password', 'unique_id')
_GUID = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')


class ModelError(ValueError):
    """A value Connect would refuse, found before any request."""


def looks_like_guid(ref):
    """Connect identifies users and groups by UUIDs: only those are tried as IDs."""
    return bool(_GUID.match(ref or ''))


def _empty_as_none(value):
    return None if value == '' else value


# ---- users ------------------------------------------------------------------------------------
def user_from_api(raw):
    """A Connect ``User`` (or the ``EditableUser`` merged into one) in the common model.

    ``enabled`` is the opposite of ``locked``: a locked user cannot log in. Connect has no
    domains (``domain_id`` None), descriptions or free-form attributes (``extra`` empty), and
    never returns a password or unique ID.
    """
    user = dict((key, raw.get(field)) for key, field in USER_FIELDS)
    for key in ('email', 'first_name', 'last_name'):
        user[key] = _empty_as_none(user[key])
    user['locked'] = bool(user['locked'])
    user['enabled'] = not user['locked']
    user.update(domain_id=None, description=None, extra={})   # the common model's keys Connect lacks
    return user


def merge_update(user, answer):
    """``user`` after ``PUT /v1/users/{guid}`` answered the ``EditableUser`` ``answer``."""
    raw = dict((field, user.get(key)) for key, field in USER_FIELDS)
    raw.update(answer or {})
    return user_from_api(raw)


def check_role(role, what='user_role'):
    if role is not None and role not in ROLES:
        raise ModelError('%s must be one of %s, got %r' % (what, ', '.join(ROLES), role))


def user_create_body(fields):
    """The ``POST /v1/users`` body from common-model ``fields`` (with the create-only ones).

    ``enabled``/``locked`` are not part of a create: a user is created unlocked and locked after
    (:func:`lock_wanted`). ``password`` and ``user_must_set_password`` exclude each other, as the
    SDK documents.
    """
    if not fields.get('name'):
        raise ModelError('a Connect user needs a username (name)')
    if fields.get('password') is not None and fields.get('user_must_set_password'):
        raise ModelError('password cannot be set when user_must_set_password is true')
    check_role(fields.get('user_role'))
    body = {}
    for key, field in EDITABLE:
        if fields.get(key) is not None:
            body[field] = fields[key]
    for key in CREATE_ONLY:
        if fields.get(key) is not None:
            body[key] = fields[key]
    return body


def user_update_body(fields):
    """``(body, locked)`` for an update: the ``PUT /v1/users/{guid}`` body (possibly empty) and
    the wanted lock state (None when unchanged) for ``POST /v1/users/{guid}/lock``.

    Fields only a create takes (password, unique_id) are refused: Connect cannot change them.
    """
    refused = sorted(k for k in CREATE_ONLY if fields.get(k) is not None)
    if refused:
        raise ModelError('Connect cannot change %s of an existing user' % ', '.join(refused))
    check_role(fields.get('user_role'))
    body = dict((field, fields[key]) for key, field in EDITABLE if key in fields)
    return body, lock_wanted(fields)


def lock_wanted(fields):
    """The lock state ``fields`` ask for (``locked``, or ``enabled`` negated), or None."""
    locked = fields.get('locked')
    enabled = fields.get('enabled')
    if locked is not None and enabled is not None and locked == enabled:
        raise ModelError('locked=%s contradicts enabled=%s' % (locked, enabled))
    if locked is not None:
        return bool(locked)
    if enabled is not None:
        return not enabled
    return None


def lock_body(locked):
    return {'locked': bool(locked)}


def user_filters(prefix=None, user_role=None, account_status=None):
    """Query parameters of ``GET /v1/users``; ``user_role``/``account_status`` take a list or a
    ``|``-separated string (OR), checked against Connect's values before any request."""
    params = {}
    if prefix:
        params['prefix'] = prefix
    for name, value, allowed in (('user_role', user_role, ROLES),
                                 ('account_status', account_status, ACCOUNT_STATUSES)):
        if value in (None, '', []):
            continue
        values = value if isinstance(value, (list, tuple)) else str(value).split('|')
        values = [v.strip() for v in values if v and v.strip()]
        wrong = [v for v in values if v not in allowed]
        if wrong or not values:
            raise ModelError('%s must be among %s (| for OR), got %r' % (name, ', '.join(allowed), value))
        params[name] = '|'.join(values)
    return params


# ---- groups -----------------------------------------------------------------------------------
def group_from_api(raw):
    """A Connect ``Group`` in the common model (no domains, no description)."""
    return {'id': raw.get('guid'), 'name': raw.get('name'), 'owner_id': raw.get('owner_guid'),
            'domain_id': None, 'description': None}


def check_group_name(name, what='name'):
    """Connect's documented limit (its error 14): a group name is shorter than 4096 characters."""
    if name is None:
        return
    if not isinstance(name, str) or not name.strip():
        raise ModelError('%s: a Connect group needs a name' % what)
    if len(name) >= GROUP_NAME_MAX:
        raise ModelError('%s: a Connect group name must be shorter than %d characters, got %d'
                         % (what, GROUP_NAME_MAX, len(name)))


def group_create_body(fields):
    if not fields.get('name'):
        raise ModelError('a Connect group needs a name')
    check_group_name(fields['name'])
    body = {'name': fields['name']}
    if fields.get('unique_id') is not None:
        body['unique_id'] = fields['unique_id']
    return body


def group_update_body(fields):
    """``POST /v1/groups/{guid}`` body: Connect changes a group's ``name`` and ``owner_guid``."""
    refused = sorted(k for k in fields if k not in ('name', 'owner_id'))
    if refused:
        raise ModelError('Connect cannot change %s of a group' % ', '.join(refused))
    body = {}
    if fields.get('name') is not None:
        check_group_name(fields['name'], 'new_name')
        body['name'] = fields['name']
    if fields.get('owner_id') is not None:
        body['owner_guid'] = fields['owner_id']
    return body


def member_body(user):
    return {'user_guid': user['id']}


# ---- role assignments: one role per user --------------------------------------------------------
def role(name):
    """Connect's roles are fixed names; in the common model a role's id is its name."""
    check_role(name, 'role')
    return {'id': name, 'name': name, 'domain_id': None}


def assignment_of(user):
    """The one role assignment of ``user`` (its ``user_role``): no scope keys."""
    return {'role': {'id': user['user_role'], 'name': user['user_role']},
            'user': {'id': user['id'], 'name': user['name']}}


def role_after(current, wanted, state):
    """The ``user_role`` a user should hold after asking for ``wanted`` with ``state``.

    ``present`` sets the role (Connect holds one: assigning publisher replaces viewer);
    ``absent`` of the current role demotes to :data:`FLOOR_ROLE` (Connect has no user without a
    role), and of a role the user does not hold changes nothing.
    """
    check_role(wanted, 'role')
    if state == 'present':
        return wanted
    return FLOOR_ROLE if wanted == current else current


# ---- listings -----------------------------------------------------------------------------------
def page_params(params=None, page_number=1, page_size=PAGE_SIZE):
    result = dict(params or {})
    result['page_number'] = page_number
    result['page_size'] = page_size
    return result


def next_page(body, seen, params):
    """Parameters of the page after ``body`` (``seen`` rows read so far), or None after the last.

    Like posit-sdk's paginator: stop on an empty page or once ``total`` rows were read. A
    ``prefix`` search always answers the first page, so it is never paged further.
    """
    body = body or {}
    if not body.get('results') or 'prefix' in params:
        return None
    if seen >= int(body.get('total') or 0):
        return None
    return page_params(params, int(params.get('page_number') or 1) + 1, params.get('page_size') or PAGE_SIZE)


def truncated_prefix_search(body, params):
    """Whether a ``prefix`` search matched more rows than its one page holds."""
    body = body or {}
    return 'prefix' in params and int(body.get('total') or 0) > len(body.get('results') or [])
