# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SCIM's answers to the contract's intent-level questions (``providers/_base.py``): check-mode
predictions and the batch hints.

- Users: one ``userName eq`` filter per lookup; a batch of several users (or a server without
  filtering) reads every user in one listing instead when there are more names than pages.
- Groups: a batch reads every group in one listing; a group's members are read once per run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._errors import UnsupportedError
from ansible_collections.iamops.identity.plugins.module_utils._handlers import or_none
from ansible_collections.iamops.identity.plugins.module_utils.providers.scim import _model
from ansible_collections.iamops.identity.plugins.module_utils.providers.scim.directory import refuse_domain


class ScimIntent:
    """Mixin: the intent-level methods of :class:`ScimProvider`."""

    _has_enterprise = None

    def user_fields(self, fields, domain=None):
        """``manager`` (a userName or id) becomes the manager's id; an attribute of the enterprise
        extension is refused, before any write, on a server whose User resource type does not
        list the extension (``/ResourceTypes/User``, read once per run)."""
        fields = dict(fields)
        if _model.enterprise_wanted(fields):
            self._require_enterprise()
        if fields.get('manager'):
            fields['manager'] = self.resolve_user(fields['manager'])['id']
        return fields

    def _require_enterprise(self):
        if self._has_enterprise is None:
            resource_type = or_none(self._get, 'ResourceTypes/User') or {}
            extensions = [e.get('schema') for e in resource_type.get('schemaExtensions') or [] if isinstance(e, dict)]
            self._has_enterprise = _model.ENTERPRISE in extensions
        if not self._has_enterprise:
            raise UnsupportedError(self.name, 'department, company and manager on this server (its User resource '
                                              'type in /ResourceTypes has no enterprise extension)')

    def predict_user(self, fields, domain=None):
        """What a create of ``fields`` makes: SCIM's server defaults are not announced, so the
        user is predicted active unless ``enabled`` says otherwise (scim2-server stores what it
        is sent and reads an absent ``active`` as active)."""
        user = dict((key, None) for key in _model.USER_KEYS)
        user.update((k, v) for k, v in fields.items() if k in user)
        user.update(id=None, domain_id=None, description=None, extra={},
                    enabled=True if fields.get('enabled') is None else bool(fields['enabled']))
        return user

    def prepare_users(self, refs):
        """Several users: when one listing costs fewer requests than one filter per name, read
        every user once (``totalResults`` first, with ``count=0``)."""
        self._state()
        names = set(ref for ref, _domain in refs)
        if len(names) < 2 or self._scim_users().listed or not self.features.filter:
            return
        pages = -(-self._total('Users') // self.features.page_size())
        if pages < len(names):
            self._all_users()

    def predict_actor(self, kind, ref, domain=None):
        refuse_domain(kind, ref, domain)
        return {'id': None, 'name': ref, 'domain_id': None}

    def predict_group(self, fields, domain=None):
        return {'id': None, 'name': fields.get('name'), 'domain_id': None, 'description': None}

    def prepare_groups(self, domains):
        """A batch about groups: every group in one listing."""
        if domains:
            self._all_groups()

    def prepare_memberships(self, groups=(), purging=0):
        """Nothing up front: a group's members are read once, when they are compared."""
