# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bounds Authress puts on what a task gives, checked before any request (pure, no I/O).

Each bound is one the ``authress`` SDK's models declare (``authress==3.1.126``; the server
refuses the same with 400, after the writes before it would have been sent):

* ``UserIdentity.userId`` / ``User.userId``: 1 to 128 characters;
* ``Group``: ``name`` 1 to 128 characters, ``users`` and ``admins`` at most 100 each;
* ``AccessRecord``: ``name`` 1 to 128 characters (``recordId`` at most 100); a statement's
  ``roles`` (each 1 to 64 characters) and ``resources`` (each ``resourceUri`` 1 to 512
  characters) at most 100 each;
* ``get_users(filter=...)``: at most 64 characters;
* and this collection's own: ``wait_timeout`` is a number of seconds above 0.

Which module runs is told by the options it has (``admins``: identity_group; ``wait_timeout``:
identity_user; ``resources``: identity_role_assignment; ``filters``: identity_user_info): the
check is the provider's, and the module frame passes the provider every option.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError

USER_ID = 128
GROUP_NAME = 128
GROUP_MEMBERS = 100
RECORD_NAME = 128
ROLE_ID = 64
RESOURCE_URI = 512
STATEMENT_ITEMS = 100
FILTER = 64


def _places(params, batch):
    """``(label prefix, params)`` of the top level and each item of the batch option."""
    found = [('', params)]
    for index, item in enumerate(params.get(batch) or []):
        if isinstance(item, dict):
            found.append(('%s[%d].' % (batch, index), item))
    return found


def _length(where, option, value, most, what):
    if isinstance(value, str) and len(value) > most:
        raise ConfigError('%s%s: %s is at most %d characters in Authress, got %d' % (where, option, what, most, len(value)),
                          'authress')


def _count(where, option, values, most, what):
    if isinstance(values, list) and len(values) > most:
        raise ConfigError('%s%s: %s at most %d in Authress, got %d' % (where, option, what, most, len(values)),
                          'authress')


def _user_refs(values):
    for value in values or []:
        value = value.get('name') if isinstance(value, dict) else value
        if isinstance(value, str):
            yield value


def check(params):
    """Raise :class:`ConfigError` (one line, naming the option) for the first value over a bound."""
    if 'admins' in params:          # identity_group
        for where, p in _places(params, 'groups'):
            _length(where, 'name', p.get('name'), GROUP_NAME, 'a group name (or groupId)')
            _count(where, 'users', p.get('users'), GROUP_MEMBERS, 'a group holds')
            _count(where, 'admins', p.get('admins'), GROUP_MEMBERS, 'a group has')
            for option in ('users', 'admins'):
                for ref in _user_refs(p.get(option)):
                    _length(where, option, ref, USER_ID, 'a userId')
    if 'wait_timeout' in params:    # identity_user
        for where, p in _places(params, 'users'):
            _length(where, 'name', p.get('name'), USER_ID, 'a userId')
            timeout = p.get('wait_timeout')
            if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                        or timeout <= 0):
                raise ConfigError('%swait_timeout: %r is not a number of seconds above 0 (wait: false does not wait)'
                                  % (where, timeout), 'authress')
    if 'resources' in params:       # identity_role_assignment
        for where, p in _places(params, 'assignments'):
            _length(where, 'user', p.get('user'), USER_ID, 'a userId')
            _length(where, 'group', p.get('group'), GROUP_NAME, 'a group name (or groupId)')
            _length(where, 'record', p.get('record'), RECORD_NAME, 'an access record name (or recordId)')
            _length(where, 'role', p.get('role'), ROLE_ID, 'a roleId')
            _count(where, 'resources', p.get('resources'), STATEMENT_ITEMS, 'one grant takes resources')
            for uri in p.get('resources') or []:
                if not isinstance(uri, str) or not uri.strip():
                    raise ConfigError('%sresources: %r is not a resource URI' % (where, uri), 'authress')
                _length(where, 'resources', uri, RESOURCE_URI, 'a resource URI')
    if 'filters' in params:         # identity_user_info
        _length('', 'filters.filter', (params.get('filters') or {}).get('filter'), FILTER, 'a user search')
