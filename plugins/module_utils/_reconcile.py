# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure reconcile functions: desired vs current -> plan of actions, and the diff.

Nothing here does I/O, so everything here is unit-tested on its own. "Desired" is always built
from the options the user actually gave (an omitted option is not managed), the way netbox's
modules build their before/after: a field the play does not mention is never reported, changed
or reset.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.dict_transformations import recursive_diff

SECRET_MARK = '********'


def managed(params, keys):
    """The subset of ``params`` the user set: keys listed in ``keys`` whose value is not None."""
    return dict((k, params[k]) for k in keys if params.get(k) is not None)


def project(current, keys):
    """``current`` (or ``{}``) restricted to ``keys``; a key missing on the server reads None."""
    current = current or {}
    return dict((k, current.get(k)) for k in keys)


def _normalise(value):
    """Compare ``''`` as absent, so an empty string never flaps against a server's null."""
    if isinstance(value, dict):
        return dict((k, _normalise(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return None if value == '' else value


def changes(desired, current):
    """The fields of ``desired`` whose value differs from ``current`` (a dict, maybe empty).

    Nested dicts compare whole, except that a desired nested dict only manages its own keys.
    """
    result = {}
    current = current or {}
    for key, want in desired.items():
        have = current.get(key)
        if isinstance(want, dict) and isinstance(have, dict):
            sub = changes(want, have)
            if sub:
                result[key] = want
        elif _normalise(want) != _normalise(have):
            result[key] = want
    return result


def without_nulls(value):
    """``value`` without the keys whose value is None, at every depth of nested dicts (a nested
    dict left empty by that goes too): a diff shows what a field is, never that it is nothing."""
    if not isinstance(value, dict):
        return value
    kept = {}
    for key, item in value.items():
        if item is None:
            continue
        stripped = without_nulls(item)
        if isinstance(item, dict) and item and not stripped:
            continue
        kept[key] = stripped
    return kept


def diff(before, after):
    """Ansible's ``diff`` dict: the differing parts of ``before`` and ``after`` only, without
    nulls (a field set from nothing shows in ``after`` only, a field cleared in ``before`` only).

    ``before``/``after`` may be None (object absent). Returns ``{'before': {}, 'after': {}}``
    when nothing differs.
    """
    left, right = before or {}, after or {}
    found = recursive_diff(left, right)
    if not found:
        return {'before': {}, 'after': {}}
    return {'before': without_nulls(found[0]), 'after': without_nulls(found[1])}


def lines_diff(granted, revoked):
    """Ansible's ``diff`` of a set of one-line items (role assignments) as ``prepared`` text,
    which the diff callback prints as it is: one line per item, ``+ label`` for one granted,
    ``- label`` for one revoked. ``granted``/``revoked``: ``(group, label)`` pairs; lines are
    sorted by group (the actor), revocations first, then by label. Nothing changed: ``''``.
    """
    entries = sorted([(group, 0, label) for group, label in revoked]
                     + [(group, 1, label) for group, label in granted])
    return {'prepared': ''.join('%s %s\n' % ('-+'[sign], label) for _group, sign, label in entries)}


def plan_set(desired, current, purge):
    """Membership-style plan: ``(to_add, to_remove)`` keeping the caller's order.

    ``purge=False`` only adds what is missing; ``purge=True`` also removes what is not listed.
    """
    current_set = set(current)
    desired_set = set(desired)
    to_add = []
    for item in desired:
        if item not in current_set and item not in to_add:
            to_add.append(item)
    to_remove = [item for item in current if item not in desired_set] if purge else []
    return to_add, to_remove


def mask_secrets(data, secret_keys):
    """A copy of ``data`` with the values of ``secret_keys`` replaced by a fixed mark."""
    if not data:
        return data
    masked = dict(data)
    for key in secret_keys:
        if key in masked and masked[key] is not None:
            masked[key] = SECRET_MARK
    return masked


def _managed_part(have, want):
    """What the diff shows of a current value: of a nested dict, only the keys the task manages
    (its other keys are neither compared nor changed, so they are not part of the change)."""
    if isinstance(have, dict) and isinstance(want, dict):
        return dict((k, have.get(k)) for k in want)
    return have


def plan_state(current, desired, state, secrets=None, always_send=()):
    """Plan one object's reconcile.

    ``current``: the server's view projected on the managed keys, or None when absent.
    ``desired``: the managed fields the user gave (no secrets), ``secrets``: secret fields the
    user gave (never compared), ``always_send``: secret keys to send even when the object exists
    (``update_password: always``).

    Returns ``(action, payload, diff)``: action is ``'create'``, ``'update'``, ``'delete'`` or
    None; payload the fields to send; diff the before/after with secrets masked.
    """
    secrets = secrets or {}
    if state == 'absent':
        if current is None:
            return None, {}, diff(None, None)
        return 'delete', {}, diff(current, None)
    if current is None:
        payload = dict(desired)
        payload.update(secrets)
        return 'create', payload, diff(None, mask_secrets(payload, secrets))
    payload = changes(desired, current)
    resend = dict((k, v) for k, v in secrets.items() if k in always_send)
    if not payload and not resend:
        return None, {}, diff(None, None)
    before = dict((k, _managed_part(current.get(k), payload[k])) for k in payload)
    after = dict(payload)
    for key in resend:
        before[key] = None
        after[key] = SECRET_MARK
    payload.update(resend)
    return 'update', payload, diff(before, after)
