# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""OneLogin bodies <-> the common model (pure functions, no I/O).

Sources: docs/providers.md §1 and the OneLogin SDK's ``UsersV1Api`` reference (the seed).

* A user is ``/api/2/users`` JSON (v2 names; the v1 body differs only in ``role_id`` for
  ``role_ids``). In the common model: ``id`` (a string, as every provider's IDs), ``name`` (the
  username), ``email``, ``first_name``, ``last_name``, ``title``, ``department``, ``company``,
  ``phone``, ``external_id``, ``description`` (OneLogin's ``comment``), ``manager`` (the manager's
  OneLogin user ID), ``custom_attributes``, ``user_state`` (OneLogin's ``state``: approved,
  unapproved, rejected, unlicensed), ``status`` (read only), ``locked``, ``enabled``, ``group_id``,
  ``role_ids``; ``domain_id`` is always None (OneLogin has no domains).
* ``enabled: false`` is OneLogin's *Suspended* status (2): the account keeps its state, roles and
  apps but cannot sign in; ``enabled: true`` sets status Active (1) again. ``locked`` is status
  Locked (3), set through ``lock_user`` for a number of minutes and cleared by setting status 1.
* v1 answers are envelopes ``{status, pagination?, data}``; v2 answers are bare JSON with
  pagination headers. Both have their own error body; the session's error query reads both.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

STATES = {'unapproved': 0, 'approved': 1, 'rejected': 2, 'unlicensed': 3}
STATE_NAMES = dict((v, k) for k, v in STATES.items())
STATUS_NAMES = {0: 'unactivated', 1: 'active', 2: 'suspended', 3: 'locked', 4: 'password_expired',
                5: 'awaiting_password_reset', 7: 'password_pending', 8: 'security_questions_required'}
ACTIVE, SUSPENDED, LOCKED, PASSWORD_EXPIRED = 1, 2, 3, 4

# common-model key -> OneLogin attribute, for the attributes written as they are
PLAIN = (('name', 'username'), ('email', 'email'), ('first_name', 'firstname'),
         ('last_name', 'lastname'), ('title', 'title'), ('department', 'department'),
         ('company', 'company'), ('phone', 'phone'), ('external_id', 'external_id'),
         ('description', 'comment'))
PASSWORD_ALGORITHMS = ('salt+sha256',)


def _str_id(value):
    return None if value is None else str(value)


def user_from_api(body):
    """The common-model user of a v2 (or v1) user body."""
    status = body.get('status')
    user = dict((key, body.get(attr)) for key, attr in PLAIN)
    user.update({
        'id': _str_id(body.get('id')),
        'domain_id': None,
        'manager': _str_id(body.get('manager_user_id')),
        'custom_attributes': dict(body.get('custom_attributes') or {}),
        'user_state': STATE_NAMES.get(body.get('state')),
        'status': STATUS_NAMES.get(status, status),
        'enabled': status != SUSPENDED if status is not None else None,
        'locked': status == LOCKED if status is not None else None,
        'password_expired': status == PASSWORD_EXPIRED if status is not None else None,
        'locked_until': body.get('locked_until'),
        'group_id': _str_id(body.get('group_id')),
        'role_ids': [str(r) for r in (body.get('role_ids') or body.get('role_id') or [])],
    })
    return user


def user_to_api(fields):
    """A v2 create/update body from common-model ``fields`` (only the keys given).

    ``enabled`` and ``locked`` are not attributes: see :func:`status_change`. ``custom_attributes``
    is sent as given: OneLogin merges it into the user's attributes.
    """
    body = dict((attr, fields[key]) for key, attr in PLAIN if key in fields)
    if 'manager' in fields:
        body['manager_user_id'] = None if fields['manager'] is None else str(fields['manager'])
    if 'custom_attributes' in fields:
        body['custom_attributes'] = dict(fields['custom_attributes'])
    if 'group_id' in fields:
        body['group_id'] = None if fields['group_id'] is None else int(fields['group_id'])
    if 'role_ids' in fields:
        body['role_ids'] = [int(r) for r in fields['role_ids']]
    if 'user_state' in fields:
        body['state'] = STATES[fields['user_state']]
    return body


def status_change(current, enabled=None, locked=None, password_expired=None):
    """The v2 ``status`` to write for the wanted ``enabled``/``locked``/``password_expired``
    (None: leave it), or None.

    ``enabled: false`` suspends; ``enabled: true`` reactivates a suspended user, ``locked: false``
    unlocks a locked one (both to Active). Locking is ``lock_user``'s job (:func:`wants_lock`).
    ``password_expired: true`` sets status 4 (Password expired, which also reactivates a suspended
    or locked user), ``false`` makes a user whose password is expired Active.
    """
    status = (current or {}).get('status')
    if enabled is False:
        return SUSPENDED if status != 'suspended' else None
    if locked is True:  # lock_user sets the status (and so also reactivates a suspended user)
        return None
    if password_expired is True:
        return PASSWORD_EXPIRED if status != 'password_expired' else None
    if password_expired is False and status == 'password_expired':
        return ACTIVE
    if (enabled is True and status == 'suspended') or (locked is False and status == 'locked'):
        return ACTIVE
    return None


def wants_lock(current, enabled=None, locked=None):
    """Whether ``lock_user`` must be called: locked wanted, not locked now, not being suspended."""
    return locked is True and enabled is not False and (current or {}).get('status') != 'locked'


def password_request(password, algorithm=None, salt=None):
    """(endpoint, body) that sets ``password``: cleartext, or hashed here as OneLogin expects.

    With ``algorithm`` ``salt+sha256`` the SHA-256 of salt + password is sent, never the password.
    """
    if not algorithm:
        return 'set_password_clear_text', {'password': password, 'password_confirmation': password,
                                           'validate_policy': False}
    if algorithm not in PASSWORD_ALGORITHMS:
        raise ValueError('password_algorithm must be one of %s' % ', '.join(PASSWORD_ALGORITHMS))
    digest = hashlib.sha256(((salt or '') + password).encode('utf-8')).hexdigest()
    body = {'password': digest, 'password_confirmation': digest, 'password_algorithm': algorithm}
    if salt:
        body['password_salt'] = salt
    return 'set_password_using_salt', body


def role_from_api(body):
    return {'id': _str_id(body.get('id')), 'name': body.get('name')}


def group_from_api(body):
    return {'id': _str_id(body.get('id')), 'name': body.get('name'), 'reference': body.get('reference')}


def v1_data(body):
    """The ``data`` list of a v1 envelope (``[]`` when absent)."""
    return (body or {}).get('data') or []


def v1_role_ids(body):
    """A user's role IDs from ``GET /api/1/users/{id}/roles``: ``data`` is a nested list."""
    data = v1_data(body)
    flat = data[0] if data and isinstance(data[0], list) else data
    return [str(r) for r in flat]


def v1_next(body, path, params):
    """``(path, params)`` of the next v1 page (``after_cursor`` in the body), or None."""
    cursor = ((body or {}).get('pagination') or {}).get('after_cursor')
    if not cursor:
        return None
    params = dict(params or {})
    params['after_cursor'] = cursor
    return path, params


def v2_next(headers, path, params):
    """``(path, params)`` of the next v2 page (the ``After-Cursor`` header), or None."""
    cursor = headers.get('After-Cursor')
    if not cursor:
        return None
    params = dict((k, v) for k, v in (params or {}).items() if k != 'page')
    params['cursor'] = cursor
    return path, params


def rate_limit(headers):
    """``{limit, remaining, reset}`` from ``X-RateLimit-*`` headers (ints), or None without them."""
    found = {}
    for key in ('limit', 'remaining', 'reset'):
        value = headers.get('X-RateLimit-' + key.capitalize())
        if value is None:
            continue
        try:
            found[key] = int(value)
        except ValueError:
            continue
    return found or None


# ---- references -------------------------------------------------------------------------------------
REFERENCE_RULE = ('a value made only of digits is a OneLogin ID, any other value a name')


def is_id(ref):
    """Whether the reference ``ref`` is an ID: OneLogin IDs are numbers, so a value made only of
    digits is an ID and any other value a name (the documented rule; never a guess by lookup)."""
    return isinstance(ref, int) and not isinstance(ref, bool) or isinstance(ref, str) and ref.isdigit()


def pick(what, ref, items, fold=False):
    """The one of ``items`` (dicts with ``id`` and ``name``) that ``ref`` names, by :func:`is_id`.

    Returns None when none does; raises ValueError (its text names the candidates, with their IDs)
    when a name is held by more than one. ``fold``: names are compared without regard to case.
    A digits value that no item has as ID but one has as name is not taken as that name: the
    caller's not-found message says which ID to give (:func:`id_hint`).
    """
    if is_id(ref):
        found = [i for i in items if str(i.get('id')) == str(ref)]
        return found[0] if found else None
    key = (lambda v: (v or '').casefold()) if fold else (lambda v: v)
    found = [i for i in items if i.get('name') is not None and key(i['name']) == key(ref)]
    if len(found) > 1:
        raise ValueError('%s name %r is ambiguous: %d %ss have it (%s); give the ID of the one meant'
                         % (what, ref, len(found), what, ', '.join('%r ID %s' % (i['name'], i['id']) for i in found)))
    return found[0] if found else None


def id_hint(what, ref, items):
    """For a digits ``ref`` that is no ID: the sentence naming the items called ``ref`` and their IDs."""
    named = [i for i in items if i.get('name') == str(ref)]
    if not is_id(ref) or not named:
        return ''
    return ' (%s; the %s named %r has ID %s: give that)' % (
        REFERENCE_RULE, what, str(ref), ', '.join(str(i['id']) for i in named))
