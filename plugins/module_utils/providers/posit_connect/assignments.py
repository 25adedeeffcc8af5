# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Posit Connect's roles: one ``user_role`` per user (administrator, publisher, viewer).

Contract (posit-sdk ``connect.users``, ``shared/seeds/002_*``): ``User.update(user_role=...)``
with ``Literal['administrator', 'publisher', 'viewer']``. There are no role objects, no scopes
and no roles of groups. Assigning a role sets the user's ``user_role`` (it replaces the one held);
removing the role a user holds demotes the user to ``viewer``, since a Connect user always has
a role; removing a role the user does not hold changes nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._errors import UnsupportedError
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect import _model
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect.directory import _model_call


class PositConnectAssignments:
    """Mixin: role assignments of :class:`PositConnectProvider` (the user's ``user_role``)."""

    def resolve_role(self, ref, domain=None):
        return _model_call(_model.role, ref)

    def make_assignment(self, kind, actor, role, scope_kind=None, scope=None, inherited=False):
        if kind != 'user':
            raise UnsupportedError(self.name, "role assignments of groups (a Connect role is a user's user_role)")
        if scope_kind or scope or inherited:
            raise UnsupportedError(self.name, 'scoped role assignments (a Connect role applies to the whole server)')
        return {'role': role, 'user': {'id': actor['id'], 'name': actor['name'], 'domain': None}, 'scope': None,
                '_user': actor}

    def list_actor_assignments(self, kind, actor):
        """``([the user's one assignment], True)``: the user object already holds its role."""
        if kind != 'user':
            return [], True
        return [_model.assignment_of(actor)], True

    def role_assignment_exists(self, assignment):
        return self._assignment_user(assignment)['user_role'] == assignment['role']['name']

    def _assignment_user(self, assignment):
        user = assignment.get('_user')
        if user is None:
            user = self.resolve_user(assignment['user']['id'])
        return self._users_by_id.get(user['id'], user) if self._users_by_id else user

    def set_role(self, user, role):
        """Give ``user`` the role ``role`` (``PUT /v1/users/{guid}``); no request when it holds it."""
        if user['user_role'] == role:
            return user
        return self.update_user(user, {'user_role': role})

    def assign_role(self, assignment):
        user = self._assignment_user(assignment)
        return self.set_role(user, _model.role_after(user['user_role'], assignment['role']['name'], 'present'))

    def unassign_role(self, assignment):
        user = self._assignment_user(assignment)
        return self.set_role(user, _model.role_after(user['user_role'], assignment['role']['name'], 'absent'))
