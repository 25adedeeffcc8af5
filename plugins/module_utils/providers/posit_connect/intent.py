# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Posit Connect's answers to the contract's intent-level questions (``providers/_base.py``): here
Connect decides its fetch strategy.

- Users: one ``prefix`` search per lookup; a batch of two users or more reads the first page of
  the listing (500 users) and the rest only when that costs fewer requests than the lookups would.
- Groups: a batch reads every group in one listing; a group's members are read once per run, and
  only when an existing user's membership must be compared.
- A user's groups: Connect has no such endpoint, so purging reads every group's members once per
  run (what posit-sdk's ``User.groups.find`` does too); without purge, only the named groups'.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect import _model
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect.directory import _model_call


class PositConnectIntent:
    """Mixin: the intent-level methods of :class:`PositConnectProvider`."""

    def check_task(self, module, params, batch_option=None):
        """Connect's documented limits, before the first request: a group a task creates or
        renames has a name shorter than 4096 characters (error 14); a user's ``unique_id``, when
        given, is not blank ("The user unique ID cannot be blank", error 129)."""
        places = [('', params)] + [('%s[%d]: ' % (batch_option, i), item) for i, item in
                                   enumerate(params.get(batch_option) or []) if isinstance(item, dict)]
        for where, item in places:
            if module == 'identity_group':
                for option in ('name', 'new_name'):
                    _model_call(_model.check_group_name, item.get(option), where + option)
            elif module == 'identity_user':
                unique_id = item.get('unique_id')
                if unique_id is not None and not str(unique_id).strip():
                    raise ConfigError('%sunique_id: a Connect unique ID cannot be blank' % where, self.name)

    # ---- users --------------------------------------------------------------------------------
    def user_fields(self, fields, domain=None):
        """``locked`` and ``enabled`` are one thing on Connect: whichever is given sets both."""
        fields = dict(fields)
        locked = _model_call(_model.lock_wanted, fields)
        if locked is not None:
            fields['locked'], fields['enabled'] = locked, not locked
        _model_call(_model.check_role, fields.get('user_role'))
        return fields

    def predict_user(self, fields, domain=None):
        user = dict((key, None) for key, _field in _model.USER_FIELDS)
        user.update((k, v) for k, v in fields.items() if k in user)
        user['locked'] = bool(fields.get('locked'))
        # what Connect gives a new user: the default role, unlocked (``confirmed`` depends on the
        # server's authentication provider and the password, which a prediction does not see: None)
        user['user_role'] = fields.get('user_role') or _model.DEFAULT_ROLE
        user.update(enabled=not user['locked'], domain_id=None, description=None, extra={})
        return user

    def prepare_users(self, refs):
        """Two users or more: the first page of the listing (500 users), and the rest of it only
        when fewer pages remain than there are users to look up; users found on the pages read
        cost no lookup."""
        names = set(ref for ref, _domain in refs)
        self._state()
        if len(names) < 2 or self.directory('users').complete:
            return
        params = _model.page_params()
        body = self._get('v1/users', params=params) or {}
        rows = list(body.get('results') or [])
        left = int(body.get('total') or 0) - len(rows)
        pages_left = -(-left // len(rows)) if rows and left > 0 else 0
        if pages_left >= len(names):
            self._users_partial = dict((raw['username'], self._api_user(raw)) for raw in rows)
            return
        following = _model.next_page(body, len(rows), params)
        while following:
            body = self._get('v1/users', params=following) or {}
            rows.extend(body.get('results') or [])
            following = _model.next_page(body, len(rows), following)
        self.directory('users').fill([self._api_user(raw) for raw in rows])

    def predict_actor(self, kind, ref, domain=None):
        return {'id': None, 'name': ref, 'domain_id': None}

    def prepare_actors(self, actors):
        self.prepare_users([(ref, domain) for kind, ref, domain in actors if kind == 'user'])

    # ---- groups and membership ----------------------------------------------------------------
    def predict_group(self, fields, domain=None):
        return {'id': None, 'name': fields.get('name'), 'owner_id': None, 'domain_id': None,
                'description': None}

    def prepare_groups(self, domains):
        """A batch about groups: every group in one listing."""
        if domains:
            self.prefetch_groups()

    def group_members(self, group):
        return self.list_group_users(group)

    def user_groups(self, user, among=None):
        """``among`` (the groups the task names): their members, each group read once per run;
        without (purge): every group's members, read once per run."""
        if among is None:
            return self.groups_of(user)
        if len(among) > 1:
            self.prefetch_groups()
        groups = []
        for ref, domain in among:
            try:
                groups.append(self.resolve_group(ref, domain))
            except NotFoundError:
                pass  # the module reports it when it resolves the groups it wants
        for group in groups:
            if group.get('id'):
                self.prefetch_group_members(group)
        return [g for g in groups if g.get('id') and user['id'] in self._members[g['id']]]

    def prepare_memberships(self, groups=(), purging=0):
        """Nothing up front: members are read once per group when an existing user needs them."""
