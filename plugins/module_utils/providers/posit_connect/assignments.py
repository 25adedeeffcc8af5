# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Posit Connect's roles: one ``user_role`` per user (administrator, publisher, viewer).

Contract (posit-sdk ``connect.users``, ``shared/seeds/002_*``): ``User.update(user_role=...)``
with ``Literal['administrator', 'publisher', 'viewer']``. There are no role objects, no scopes
and no roles of groups. In the common model a user holds exactly one assignment, in the slot
``user_role``: assigning a role sets ``user_role`` (the role held before is reported revoked);
revoking the role a user holds demotes the user to ``viewer``, the floor every user holds (so
revoking ``viewer`` changes nothing); revoking a role the user does not hold changes nothing.
Every change is one ``PUT /v1/users/{guid}``; reading a user's role costs nothing more than
resolving the user.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect import _model
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect.directory import _model_call

SLOT = 'user_role'


class PositConnectAssignments:
    """Mixin: role assignments of :class:`PositConnectProvider` (the user's ``user_role``)."""

    def resolve_role(self, ref, domain=None):
        return _model_call(_model.role, ref)

    def check_assignment(self, item, where):
        if item.get('role') is not None and item['role'] not in _model.ROLES:
            raise ConfigError('%srole must be one of %s (a Connect user_role), got %r' % (
                '%s: ' % where if where else '', ', '.join(_model.ROLES), item['role']), self.name)

    def resolve_assignment(self, kind, actor, item):
        role = self.resolve_role(item['role'])
        return {'role': {'id': role['id'], 'name': role['name']}, 'user': {'id': actor['id'], 'name': actor['name']}}

    def assignment_key(self, assignment):
        return assignment['role']['name']

    def describe_assignment(self, assignment):
        return 'user_role %s' % assignment['role']['name']

    def assignment_slot(self, assignment):
        return SLOT

    def revocable(self, assignment):
        return assignment['role']['name'] != _model.FLOOR_ROLE

    def list_actor_assignments(self, kind, actor):
        """``([the user's one assignment], True)``: the resolved user already holds its role."""
        if kind != 'user' or not actor.get('id'):
            return [], True
        return [_model.assignment_of(self._fresh_user(actor))], True

    def predicted_assignments(self, kind, actor):
        """A user check mode predicts (an earlier task creates it) holds Connect's default role."""
        if kind != 'user':
            return []
        return [_model.assignment_of(dict(actor, id=None, user_role=actor.get('user_role') or _model.DEFAULT_ROLE))]

    def assignment_exists(self, assignment):
        return self._fresh_user(assignment['user'])['user_role'] == assignment['role']['name']

    def _fresh_user(self, ref):
        """The run's latest view of a user (its role may have changed in this run)."""
        self._state()
        user = self._held_user(ref['id'])
        return user if user is not None else self.resolve_user(ref['id'])

    def set_role(self, user, role):
        """Give ``user`` the role ``role`` (``PUT /v1/users/{guid}``); no request when it holds it."""
        if user['user_role'] == role:
            return user
        return self.update_user(user, {'user_role': role})

    def grant(self, assignment):
        user = self._fresh_user(assignment['user'])
        return self.set_role(user, _model.role_after(user['user_role'], assignment['role']['name'], 'present'))

    def revoke(self, assignment):
        user = self._fresh_user(assignment['user'])
        return self.set_role(user, _model.role_after(user['user_role'], assignment['role']['name'], 'absent'))

    # ---- info ---------------------------------------------------------------------------------
    def assignment_filters(self, params):
        return {'user': self.resolve_user(params['user']) if params.get('user') else None,
                'role': self.resolve_role(params['role']) if params.get('role') else None}

    def list_role_assignments(self, filters=None, effective=False, include_names=False,
                              include_subtree=False, inherited=False):
        """Every user's one assignment (``GET /v1/users``, filtered by ``user_role`` on the
        server when a role is asked for), or one user's."""
        filters = filters or {}
        role = (filters.get('role') or {}).get('name')
        if filters.get('user'):
            users = [self._fresh_user(filters['user'])]
        else:
            users = self.list_users(filters={'user_role': role} if role else None)
        for user in users:
            if role is None or user['user_role'] == role:
                yield dict(_model.assignment_of(user), raw={'guid': user['id'], 'username': user['name'],
                                                            'user_role': user['user_role']})
