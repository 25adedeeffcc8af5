# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SCIM role assignments: the values of a User's ``roles`` attribute (RFC 7643 4.1.2).

SCIM has no role catalogue: a role is a value on the user (``{"value": "auditor"}``), granted
with ``PATCH add roles`` and revoked with ``PATCH remove roles[value eq "auditor"]`` (or a PUT of
the user without PATCH). Groups hold no roles in the core schema. Whether a server has ``roles``
is in its ``/Schemas``: read once per run before the first assignment is planned; a server
whose User schema has no writable ``roles`` is refused then, before any write (the static
capabilities cannot say it before any request: docs/scim-contract-gaps.md).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._handlers import or_none
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, UnsupportedError
from ansible_collections.iamops.identity.plugins.module_utils.providers.scim import _model


class ScimAssignments:
    """Mixin: role assignments of :class:`ScimProvider` (the user's ``roles`` values)."""

    _has_roles = None

    def _require_roles(self):
        """Refuse, before any write, a server whose User schema has no writable ``roles``."""
        if self._has_roles is None:
            try:
                schema = or_none(self._get, 'Schemas/' + _model.USER_SCHEMA)  # a constant URN
            except APIError as exc:
                if exc.status not in (400, 403, 501):
                    raise
                schema = None
            if schema is None:  # no per-schema endpoint: the whole list
                listing = or_none(self._get, 'Schemas') or {}
                schema = next((s for s in _model.resources(listing) if s.get('id') == _model.USER_SCHEMA), None)
            self._has_roles = _model.schema_has_roles(schema)
        if not self._has_roles:
            raise UnsupportedError(self.name, 'role assignments on this server (its User schema in /Schemas has '
                                              'no writable roles attribute)')

    def check_assignment(self, item, where):
        """Nothing to refuse beyond the capability: a role is any value."""

    def resolve_assignment(self, kind, actor, item):
        self._require_roles()
        return _model.assignment(actor, item['role'])

    def assignment_key(self, assignment):
        return assignment['role']['id']

    def describe_assignment(self, assignment):
        return 'role %s' % assignment['role']['id']

    def _fresh_raw(self, user):
        """The user's resource as this run last read or wrote it (one GET when not read yet)."""
        self._state()
        raw = self._raw.get(user['id'])
        if raw is None or 'meta' not in raw:
            self.get_user(user['id'])
            raw = self._raw.get(user['id']) or {}
        return raw

    def list_actor_assignments(self, kind, actor):
        if kind != 'user' or not actor.get('id'):
            return [], True
        self._require_roles()
        return [_model.assignment(actor, v) for v in _model.role_values(self._fresh_raw(actor))], True

    def assignment_exists(self, assignment):
        return assignment['role']['id'] in _model.role_values(self._fresh_raw(assignment['user']))

    def apply_assignments(self, grant=(), revoke=(), show=None):
        """One write per user: a PATCH adding and removing its role values (a PUT of the user
        without PATCH), with ``If-Match`` where the server offers ETags."""
        show = show or self.describe_assignment
        per_user, order = {}, []
        for index, batch in enumerate((grant, revoke)):
            for item in batch:
                key = item['user']['id']
                if key not in per_user:
                    per_user[key] = (item['user'], [], [])
                    order.append(key)
                per_user[key][1 + index].append(item['role']['id'])
        done = []
        for key in order:
            user, adding, removing = per_user[key]
            try:
                self._change_roles(user, adding, removing)
            except APIError as exc:
                if done:
                    exc.message += '; done before this failure: %s' % '; '.join(done)
                raise
            done.extend(['granted role %s to %s' % (v, user['name']) for v in adding]
                        + ['revoked role %s from %s' % (v, user['name']) for v in removing])

    def _change_roles(self, user, adding, removing):
        raw = self._fresh_raw(user)
        path = self.client.path('Users/{}', user['id'])
        what = 'the roles of user %r' % user['name']

        def done():
            now = set(_model.role_values(or_none(self._get, path)))
            return set(adding) <= now and not (set(removing) & now)

        if self.features.patch:
            answer = self._write('PATCH', path, raw, _model.patch_body(_model.role_operations(adding, removing)),
                                 what, done)
        else:
            body = dict((k, v) for k, v in raw.items() if k not in ('meta', 'groups'))
            body['roles'] = _model.roles_after(raw, adding, removing)
            answer = self._write('PUT', path, raw, body, what, done)
        if not answer or not answer.get('id'):
            answer = self._get(path)
        self._api_user(answer)

    def grant(self, assignment):
        self.apply_assignments(grant=[assignment])

    def revoke(self, assignment):
        self.apply_assignments(revoke=[assignment])

    # ---- info ---------------------------------------------------------------------------------
    def assignment_filters(self, params):
        return {'user': self.resolve_user(params['user']) if params.get('user') else None,
                'role': params.get('role')}

    def list_role_assignments(self, filters=None, effective=False, include_names=False,
                              include_subtree=False, inherited=False):
        """The role values of one user, or of every user (``roles.value eq`` filtered on the
        server when a role is asked for and the server filters)."""
        self._require_roles()
        filters = filters or {}
        role = filters.get('role')
        if filters.get('user'):
            users = [filters['user']]
        elif role and self.features.filter:
            users = self.list_users(filters={'filter': _model.eq('roles.value', role)})
        else:
            users = self.list_users()
        for user in users:
            raw = self._fresh_raw(user)
            for entry in raw.get('roles') or []:
                value = entry.get('value') if isinstance(entry, dict) else None
                if value and (role is None or value == role):
                    yield dict(_model.assignment(user, value), raw=entry)
