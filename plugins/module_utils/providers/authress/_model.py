# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authress API bodies <-> the collection's common model. Pure functions, no I/O.

Bodies are those of docs/providers.md section 2.5 (JSON names of the ``authress`` SDK models):
``UserIdentity``, ``Group``, ``AccessRecord`` (with ``Statement``), ``Tenant``.

* A user is identified by its ``userId`` (``google|123``, ``tst_abc``...): it is the user's
  ``id`` and ``name`` in the common model; Authress's display ``name`` is ``full_name``.
* A group holds its members itself: ``users`` and ``admins`` are lists of user IDs.
* An access record grants ``roles`` on ``resources`` (resource URIs) to users and groups. A
  role assignment in the common model is {role, actor, resources, record}: :func:`actor_grants`
  tells what each actor holds through a record, :func:`regroup` rebuilds a record's statements
  from what each actor should hold. The record is what the API writes.
* A tenant is the Authress "domain config": ``tenantId``, a lookup identifier, a display name,
  email domains, and the SSO connection users of the tenant log in with.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError

# A record this collection created carries this tag: only such a record is deleted when the
# exclusive form of identity_role_assignment empties it (docs of identity_role_assignment).
MANAGED_TAG = 'managed-by'
MANAGED_VALUE = 'iamops.identity'


# How many IDs :func:`stable_ids` offers for one name (the first is taken unless another object holds it).
STABLE_ID_ATTEMPTS = 5


def stable_ids(prefix, kind, name):
    """The IDs this collection gives, in this order, to a new group (``grp_``) or access record
    (``rec_``) called ``name``: Authress lets the client choose ``groupId`` and ``recordId`` on
    create (SDK ``Group.groupId``: "can be specified on record creation. Must begin with grp_";
    ``AccessRecord.recordId`` likewise) and answers 409 for an ID that exists. Names are not
    unique in Authress, IDs are: two runs creating ``name`` at once send the same ID, one of them
    is answered 409 and adopts the other's object, so nothing is duplicated. The next IDs are for
    when the first is held by an object of another name (renamed since). Case-sensitive, as
    Authress names are."""
    digest = hashlib.sha256(('iamops.identity/%s/%s' % (kind, name)).encode('utf-8')).hexdigest()[:32]
    return ['%s%s' % (prefix, digest)] + ['%s%s-%d' % (prefix, digest, n) for n in range(2, STABLE_ID_ATTEMPTS + 1)]


def one_match(candidates, ref, id_key, what, provider):
    """The one raw object of ``candidates`` whose ``id_key`` or ``name`` is ``ref`` (exact,
    case-sensitive), or None. Several - several of that name, or one with that ID and another of
    that name - are an error naming each (an ambiguous reference is never resolved by a guess)."""
    found = {}
    for raw in candidates:
        if raw.get(id_key) == ref or raw.get('name') == ref:
            found[raw[id_key]] = raw
    if len(found) > 1:
        shown = ', '.join('%s %r' % (key, found[key].get('name')) for key in sorted(found))
        raise ConfigError('%r is ambiguous: it is the ID or name of %d Authress %ss (%s); name the %s by an ID '
                          'that is no other %s\'s name, or rename one of them'
                          % (ref, len(found), what, shown, what, what), provider)
    return next(iter(found.values())) if found else None


def _ids(items, key='userId'):
    return [item[key] for item in items or [] if item.get(key)]


def _refs(ids, key='userId'):
    return [{key: value} for value in ids]


# ---- users -----------------------------------------------------------------------------------

def user_from_api(body, tenant=None):
    """A ``UserIdentity`` as a common-model user; ``tenant`` is its tenant ID when known."""
    user = {'id': body['userId'], 'name': body['userId'], 'full_name': body.get('name'),
            'email': body.get('email'), 'picture': body.get('picture')}
    if tenant is not None:
        user['tenant'] = tenant
    return user


# ---- groups ----------------------------------------------------------------------------------

def group_from_api(body):
    """A ``Group`` as a common-model group (members as user IDs; ``last_updated`` kept for PUTs)."""
    return {'id': body['groupId'], 'name': body['name'], 'users': _ids(body.get('users')),
            'admins': _ids(body.get('admins')), 'tags': dict(body.get('tags') or {}),
            'last_updated': body.get('lastUpdated')}


def group_to_api(group):
    """The ``Group`` body of a common-model group (read-only fields left out)."""
    body = {'name': group['name'], 'users': _refs(group.get('users') or []),
            'admins': _refs(group.get('admins') or [])}
    if group.get('id'):
        body['groupId'] = group['id']
    if group.get('tags'):
        body['tags'] = dict(group['tags'])
    return body


# ---- access records --------------------------------------------------------------------------

def record_from_api(body):
    """An ``AccessRecord`` flattened: record-level actors and one (roles, resources) per statement.

    Statement-level ``users``/``groups`` are kept per statement (Authress allows actors at one
    level or the other, not both).
    """
    statements = []
    for statement in body.get('statements') or []:
        statements.append({'roles': list(statement.get('roles') or []),
                           'resources': [r['resourceUri'] for r in statement.get('resources') or []],
                           'users': _ids(statement.get('users')),
                           'groups': _ids(statement.get('groups'), 'groupId')})
    return {'id': body['recordId'], 'name': body['name'], 'description': body.get('description'),
            'users': _ids(body.get('users')), 'admins': _ids(body.get('admins')),
            'groups': _ids(body.get('groups'), 'groupId'), 'statements': statements,
            'tags': dict(body.get('tags') or {}), 'status': body.get('status'),
            'last_updated': body.get('lastUpdated')}


def record_to_api(record):
    """The ``AccessRecord`` body of a flattened record (read-only fields left out)."""
    body = {'name': record['name'], 'users': _refs(record.get('users') or []),
            'groups': _refs(record.get('groups') or [], 'groupId'), 'statements': []}
    if record.get('id'):
        body['recordId'] = record['id']
    if record.get('description') is not None:
        body['description'] = record['description']
    if record.get('admins'):
        body['admins'] = _refs(record['admins'])
    for statement in record['statements']:
        out = {'roles': list(statement['roles']),
               'resources': [{'resourceUri': uri} for uri in statement['resources']]}
        if statement.get('users'):
            out['users'] = _refs(statement['users'])
        if statement.get('groups'):
            out['groups'] = _refs(statement['groups'], 'groupId')
        body['statements'].append(out)
    if record.get('tags'):
        body['tags'] = dict(record['tags'])
    return body


def actor_grants(record):
    """``{(kind, actor id): {(role, resources)}}``: what each actor holds through a flattened
    record (statement-level actors hold their statement; record-level ones every statement)."""
    held = {}
    for statement in record['statements']:
        users = statement.get('users') or record.get('users') or []
        groups = statement.get('groups') or record.get('groups') or []
        resources = tuple(sorted(statement['resources']))
        for actor in [('user', u) for u in users] + [('group', g) for g in groups]:
            held.setdefault(actor, set()).update((role, resources) for role in statement['roles'])
    return held


def _statements(grants):
    """Statements for a set of (role, resources) grants: one per resources set, roles merged."""
    by_resources = {}
    for role, resources in grants:
        by_resources.setdefault(tuple(resources), set()).add(role)
    return [{'roles': sorted(roles), 'resources': list(resources), 'users': [], 'groups': []}
            for resources, roles in sorted(by_resources.items())]


def regroup(record, wanted):
    """``record`` with ``wanted`` ({actor: {(role, resources)}}) as its grants. When every actor
    holds the same grants they sit on the record (the usual shape); otherwise actors with equal
    grants share statements. Without actors left, the statements stay as they were."""
    after = dict(record, users=[], groups=[])
    if not wanted:
        after['statements'] = [dict(s, users=[], groups=[]) for s in record['statements']]
        return after
    by_grants = {}
    for actor, grants in sorted(wanted.items()):
        by_grants.setdefault(frozenset(grants), []).append(actor)
    if len(by_grants) == 1:
        grants, actors = next(iter(by_grants.items()))
        after['users'] = [a for kind, a in actors if kind == 'user']
        after['groups'] = [a for kind, a in actors if kind == 'group']
        after['statements'] = _statements(grants)
        return after
    after['statements'] = []
    for grants, actors in sorted(by_grants.items(), key=lambda item: sorted(item[0])):
        for statement in _statements(grants):
            statement['users'] = [a for kind, a in actors if kind == 'user']
            statement['groups'] = [a for kind, a in actors if kind == 'group']
            after['statements'].append(statement)
    return after


def is_managed(record):
    return (record.get('tags') or {}).get(MANAGED_TAG) == MANAGED_VALUE


# ---- tenants (the "domain config" of Authress) -----------------------------------------------

def tenant_from_api(body):
    """A ``Tenant`` in the common model of a domain configuration."""
    return {'id': body.get('tenantId'), 'name': (body.get('data') or {}).get('name'),
            'lookup_identifier': body.get('tenantLookupIdentifier'),
            'domains': [d['domain'] for d in body.get('domains') or []],
            'connection_id': (body.get('connection') or {}).get('connectionId'),
            'created': body.get('createdTime')}


def tenant_to_api(tenant, raw=None):
    """The ``Tenant`` body for a PUT or POST: the managed fields of common-model ``tenant`` (None:
    not managed) over the current API body ``raw``, whose other fields (``tokenConfiguration``)
    are sent back unchanged because a PUT replaces the tenant whole."""
    body = dict((k, v) for k, v in (raw or {}).items() if k != 'createdTime')
    if tenant.get('id') is not None:
        body['tenantId'] = tenant['id']
    if tenant.get('lookup_identifier') is not None:
        body['tenantLookupIdentifier'] = tenant['lookup_identifier']
    if tenant.get('name') is not None:
        body['data'] = dict(body.get('data') or {}, name=tenant['name'])
    if tenant.get('domains') is not None:
        body['domains'] = [{'domain': d} for d in tenant['domains']]
    if tenant.get('connection_id') is not None:
        body['connection'] = {'connectionId': tenant['connection_id']} if tenant['connection_id'] else None
    return dict((k, v) for k, v in body.items() if v is not None)
