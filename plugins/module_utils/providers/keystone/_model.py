# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keystone objects <-> the common model, and listing helpers (pure functions, no I/O)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from datetime import datetime, timezone


_HEX_ID = re.compile(r'^[0-9a-f]{32}$')
PAGE_SIZE = 1000  # Keystone's default max_db_limit: one page per 1000 objects

# Attributes of a Keystone user that are not "extra" (everything else Keystone returns at the
# top level of a user is an extra attribute it stores as given).
USER_CORE = ('id', 'name', 'domain_id', 'enabled', 'email', 'description', 'default_project_id',
             'password_expires_at', 'options', 'federated')
USER_HIDDEN = ('links', 'password')


def _user(raw):
    """A Keystone user in the common model: core attributes plus ``extra``."""
    user = dict((k, raw.get(k)) for k in USER_CORE if k in raw)
    user.setdefault('email', None)
    user.setdefault('description', None)
    user.setdefault('default_project_id', None)
    user['extra'] = dict((k, v) for k, v in raw.items() if k not in USER_CORE and k not in USER_HIDDEN)
    echo = user['extra'].get('extra')
    if isinstance(echo, dict) and all(k in raw and raw[k] == v for k, v in echo.items()):
        # PATCH /v3/users/{id} answers the stored extra attributes twice: at the top level, and
        # as one ``extra`` object (verified on Keystone 30; GET and POST do not): not an attribute
        del user['extra']['extra']
    user.update(password_state(raw))
    return user


def password_state(raw, now=None):
    """``password_never_expires`` (the user option ``ignore_password_expiry``) and
    ``password_expired`` (``password_expires_at`` is past: Keystone refuses the password then)."""
    expires = raw.get('password_expires_at')
    expired = False
    if expires:
        moment = datetime.strptime(expires.rstrip('Z').split('.')[0], '%Y-%m-%dT%H:%M:%S').replace(tzinfo=timezone.utc)
        expired = moment <= (now or datetime.now(timezone.utc))
    return {'password_never_expires': bool((raw.get('options') or {}).get('ignore_password_expiry')),
            'password_expired': expired}


def _user_body(fields):
    """Common-model user fields -> the ``user`` object Keystone takes (``password_never_expires``
    is the user option ``ignore_password_expiry``)."""
    body = dict((k, v) for k, v in fields.items() if k not in ('extra', 'password_never_expires'))
    body.update(fields.get('extra') or {})
    if fields.get('password_never_expires') is not None:
        body['options'] = dict(body.get('options') or {}, ignore_password_expiry=fields['password_never_expires'])
    return {'user': body}


def _paged(path, params):
    """Listing parameters asking for pages (``limit``), unless the listing is a name lookup.

    Keystone 2025.2+ caps a listing at ``[DEFAULT] max_db_limit`` (1000) rows and, when no
    ``limit`` was asked for, says nothing about the rest. With ``limit`` it marks a full page
    ``truncated`` and links the next one, which the client follows. Older Keystones ignore
    ``limit`` (not one of their filters), and so does every Keystone for role assignments,
    which it always returns whole.
    """
    params = dict(params or {})
    if 'name' not in params and path != '/role_assignments':
        params.setdefault('limit', PAGE_SIZE)
    return params


def _page_items(key, truncated):
    """The items of a Keystone listing page; notes in ``truncated`` a listing cut short.

    A page marked ``truncated`` that links a next page is only a page; one without a next link
    was cut at ``list_limit`` and the rest cannot be read.
    """
    def items(body):
        if body and body.get('truncated') and not (body.get('links') or {}).get('next'):
            truncated.append(True)
        return (body or {}).get(key) or []
    return items


def _next_link(body, response, params):
    nxt = ((body or {}).get('links') or {}).get('next')
    return (nxt, None) if nxt else None


def _looks_like_id(ref):
    """Keystone's generated IDs are 32 hex digits: try those as IDs before as names."""
    return bool(_HEX_ID.match(ref or ''))


def _query_value(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return value
