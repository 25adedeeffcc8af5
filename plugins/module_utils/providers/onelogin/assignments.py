# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""OneLogin roles on users.

A role assignment is ``{role: {id, name}, user: {id, name}}``: OneLogin roles are held by users,
with no scope; one assignment of a user is identified by its role's ID. A user's roles are its
``role_ids`` (in every v2 user body, so a resolved user needs no further read) or
``GET /api/1/users/{id}/roles``; they change with ``PUT /api/1/users/{id}/add_roles`` and
``remove_roles`` (UsersV1Api ``add_roles_to_user``, ``remove_user_role``). Roles are listed once
per run from ``/api/2/roles``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._errors import NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin import _model


def _actor(user):
    return {'id': user['id'], 'name': user.get('name')}


class OneLoginAssignments:
    """Mixin: role assignments of :class:`OneLoginProvider`."""

    def __init__(self, params, warn=None, no_log_values=None):
        super(OneLoginAssignments, self).__init__(params, warn, no_log_values)

    # ---- roles ---------------------------------------------------------------------------------------
    def _roles(self):
        roles = self.directory('roles')
        if not roles.listed:
            roles.fill([_model.role_from_api(r) for r in self._list_v2('/api/2/roles')])
        return roles.values()

    def _role(self, role_id):
        for role in self._roles():
            if role['id'] == str(role_id):
                return dict(role)
        return {'id': str(role_id), 'name': None}

    def resolve_role(self, ref, domain=None):
        """The role ``ref`` names: an ID when it is digits, else a name held by one role only
        (:func:`_model.pick`: two roles with the name are refused, naming both)."""
        found = self._pick('role', str(ref), self._roles())
        if found is None:
            raise NotFoundError('role %s%r not found%s' % (
                'ID ' if _model.is_id(ref) else '', str(ref), _model.id_hint('role', ref, self._roles())), self.name, what='role')
        return dict(found)

    def _roles_of(self, body):
        """The roles ({id, name}) of a user body: its ``role_ids``, else one v1 read."""
        ids = body.get('role_ids')
        if ids is None:
            ids = _model.v1_role_ids(self._json('GET', self.client.path('/api/1/users/{}/roles', body['id'])))
        return [self._role(r) for r in ids]

    # ---- the assignment module ------------------------------------------------------------------------
    def prepare_actors(self, actors):
        self.prepare_users([(ref, domain) for kind, ref, domain in actors if kind == 'user'])

    def resolve_assignment(self, kind, actor, item):
        return {'role': self.resolve_role(item['role']), 'user': _actor(actor)}

    def assignment_key(self, assignment):
        return assignment['role']['id']

    def actor_assignments(self, actors):
        """Each user's roles from its resolved body (no request), or one read each."""
        self._roles()  # the items' roles resolve from it next: read before counting the budget
        found = []
        for kind, user in actors:
            body = self._held(user.get('name')) or {'id': user['id']}
            ids = user.get('role_ids')
            roles = [self._role(r) for r in ids] if ids is not None else self._roles_of(body)
            found.append(([{'role': role, 'user': _actor(user)} for role in roles], True))
        self._check_assignment_batch(found)
        return found

    def _check_assignment_batch(self, found):
        """The fewest writes a batch of ``assignments`` needs, against the rate limit left."""
        items = self.batch
        if len(items) < 2:
            return
        held = set()
        for assignments, _complete in found:
            held.update((a['user']['name'], a['role']['name']) for a in assignments)
            held.update((a['user']['name'], a['role']['id']) for a in assignments)
        needed = 0
        for item in items:
            if item.get('role') is None or not self._role_exists(item['role']):
                continue  # a missing role writes nothing (on_missing: fails before any write, or left out)
            needed += 1 if (item['state'] == 'present') != ((item.get('user'), item['role']) in held) else 0
        self.check_budget(needed, 'the batch of %d assignments' % len(items))

    def _role_exists(self, ref):
        try:
            return bool(self.resolve_role(ref))
        except NotFoundError:
            return False

    def assignment_exists(self, assignment):
        user = self.resolve_user(assignment['user']['id'])
        return assignment['role']['id'] in (user.get('role_ids') or [])

    def grant(self, assignment):
        self._role_change('add_roles', assignment, lambda ids, role: ids + [role] if role not in ids else ids)

    def revoke(self, assignment):
        self._role_change('remove_roles', assignment, lambda ids, role: [r for r in ids if r != role])

    def _role_change(self, action, assignment, update):
        """``add_roles``/``remove_roles`` of one role: sent once, read back when its answer was
        lost (a repeat would be refused as already done)."""
        user_id, role_id = assignment['user']['id'], int(assignment['role']['id'])
        granting = action == 'add_roles'
        self._write_once('PUT', self.client.path('/api/1/users/{}/{}', user_id, action), json={'role_id_array': [role_id]},
                         user_id=user_id, done=lambda fresh: fresh is not None and (
                             role_id in (fresh.get('role_ids') or [])) == granting)
        body = self._held(assignment['user'].get('name'))
        if body is not None:
            body['role_ids'] = update(list(body.get('role_ids') or []), role_id)

    # ---- the info module ------------------------------------------------------------------------------
    def assignment_filters(self, params):
        return {'user': self.resolve_user(params['user']) if params.get('user') else None,
                'role': self.resolve_role(params['role']) if params.get('role') else None}

    def list_role_assignments(self, filters=None, effective=False, include_names=False,
                              include_subtree=False, inherited=False):
        filters = filters or {}
        user, role = filters.get('user'), filters.get('role')
        if user is not None:
            pairs = [(user, r) for r in self._roles_of(self._held(user['name']) or
                                                       {'id': user['id'], 'role_ids': user.get('role_ids')})]
        elif role is not None:
            pairs = [({'id': str(u['id']), 'name': u.get('username')}, role)
                     for u in self._list_v2(self.client.path('/api/2/roles/{}/users', role['id']))]
        else:
            pairs = [(_model.user_from_api(b), self._role(r))
                     for b in self._list_v2('/api/2/users', {'fields': 'id,username,role_ids'})
                     for r in b.get('role_ids') or []]
        for actor, found in pairs:
            if role is None or found['id'] == role['id']:
                yield {'role': found, 'user': _actor(actor),
                       'raw': {'user_id': int(actor['id']), 'role_id': int(found['id'])}}
