# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authress access records as role assignments.

An access record (docs/providers.md section 2: ``/v1/records``) grants roles on resources
(resource URIs) to users and groups, through statements ``{roles, resources}``. One role
assignment of the common model is ``{role, user | group, resources, record}``: the actor holds
``role`` on exactly ``resources`` through ``record``; what identifies it is (record, role,
resources). The module plans assignments; this mixin writes each touched record once
(:meth:`apply_assignments`), with ``If-Unmodified-Since`` and one fresh retry on 412.

Records keep their users and groups either on the record (every actor holds every statement) or
on each statement. A record this collection creates carries the tag ``managed-by:
iamops.identity``; only such a record is deleted when its last user or group is removed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._handlers import or_none
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError, IdentityError
from ansible_collections.iamops.identity.plugins.module_utils.providers._base import not_found
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress import _model


def _actor(assignment):
    kind = 'user' if assignment.get('user') else 'group'
    return (kind, assignment[kind]['id'])


def _grant(assignment):
    return (assignment['role']['id'], tuple(assignment['resources']))


class AuthressRecords:
    """Mixin: access records of :class:`AuthressProvider`."""

    # ---- reads -------------------------------------------------------------------------------
    def _all_records(self):
        """The :class:`_directory.Directory` of the ACTIVE records (one listing per run)."""
        records = self.directory('records', id='recordId')
        if not records.listed:
            records.fill(self._whole('records', {'status': 'ACTIVE'}))   # raises rather than answer a part
        return records

    def _sorted_records(self):
        return sorted(self._all_records().values(), key=lambda raw: raw['recordId'])

    def _raw_record(self, ref):
        """The ACTIVE record ``ref`` names, or None: by the rule of groups (``_model.one_match``),
        its ``recordId`` or its name, exactly; a reference several records match is refused."""
        return _model.one_match(self._all_records().values(), ref, 'recordId', 'access record', self.name)

    def _role(self, role_id):
        roles = self.directory('roles', name='roleId', id='roleId')
        if roles.read(role_id, lambda: or_none(self._get, self._path('roles', role_id))) is None:
            raise not_found(self, 'role', role_id)
        return {'id': role_id, 'name': role_id}   # records name roles by ID: so does every assignment

    @staticmethod
    def _assignment(kind, actor, role, resources, record, status=None):
        found = {'role': role, kind: {'id': actor['id'], 'name': actor.get('name') or actor['id']},
                 'resources': sorted(resources), 'record': {'id': record.get('id'), 'name': record.get('name')}}
        if status:
            found['record']['status'] = status
        return found

    def _actor_named(self, kind, actor_id):
        """``{id, name}`` of a record's user or group: a group's name when this run has read it."""
        raw = self._held_group(actor_id) if kind == 'group' else None
        return {'id': actor_id, 'name': raw['name'] if raw else actor_id}

    def _held_by(self, kind, actor_id):
        found = []
        for raw in self._sorted_records():
            record = _model.record_from_api(raw)
            for (held_kind, held_actor), grants in sorted(_model.actor_grants(record).items()):
                if (held_kind, held_actor) != (kind, actor_id):
                    continue
                actor = self._actor_named(kind, held_actor)
                for role_id, resources in sorted(grants):
                    found.append(self._assignment(kind, actor, {'id': role_id, 'name': role_id},
                                                  resources, record, raw.get('status')))
        return found

    # ---- the contract ------------------------------------------------------------------------
    def check_assignment(self, item, where):
        if item.get('role') is None:
            return
        missing = [option for option in ('resources', 'record') if not item.get(option)]
        if missing:
            raise ConfigError('%srole %s needs %s: an Authress role is granted on resources through an '
                              'access record' % ('%s: ' % where if where else '', item['role'], ' and '.join(missing)),
                              self.name)

    def resolve_assignment(self, kind, actor, item):
        # a role to grant must exist; one to revoke may be gone already and still be in a record
        role = self._role(item['role']) if item.get('state') != 'absent' else {'id': item['role'], 'name': item['role']}
        raw = self._raw_record(item['record'])
        record = {'id': raw['recordId'], 'name': raw['name']} if raw else {'id': None, 'name': item['record']}
        return self._assignment(kind, actor, role, set(item['resources']), record)

    def assignment_key(self, assignment):
        record = assignment['record']
        return (record['id'] or ('new', record['name']), assignment['role']['id'], tuple(assignment['resources']))

    def describe_assignment(self, assignment):
        return '%s on %s (record %s)' % (assignment['role']['id'], ', '.join(assignment['resources']),
                                         assignment['record']['name'] or assignment['record']['id'])

    def list_actor_assignments(self, kind, actor):
        return self._held_by(kind, actor['id']), True

    def actor_assignments(self, actors):
        return [(self._held_by(kind, actor['id']), True) for kind, actor in actors]

    def assignment_exists(self, assignment):
        return False  # listings are never truncated: every page is read

    def grant(self, assignment):
        self.apply_assignments([assignment], [])

    def revoke(self, assignment):
        self.apply_assignments([], [assignment])

    def apply_assignments(self, grant=(), revoke=(), show=None):
        """Write each touched record once: create it, update it, or delete it when it becomes
        empty and this collection created it."""
        show = show or self.describe_assignment
        by_record = {}
        for action, batch in (('grant', grant), ('revoke', revoke)):
            for assignment in batch:
                record = assignment['record']
                by_record.setdefault(record['id'] or ('new', record['name']), ([], []))[action == 'revoke'].append(
                    assignment)
        done = []
        for key in sorted(by_record, key=str):
            granting, revoking = by_record[key]
            try:
                self._write_record(key, granting, revoking)
            except APIError as exc:
                if done:
                    exc.message += '; done before this failure: %s' % '; '.join(done)
                raise
            done.extend(['granted %s' % show(a) for a in granting] + ['revoked %s' % show(a) for a in revoking])

    # ---- info --------------------------------------------------------------------------------
    def assignment_filters(self, params):
        """The info module's filters: actors resolved (NotFoundError when one does not exist)."""
        filters = {'role': params.get('role'), 'record': params.get('record')}
        if params.get('user'):
            filters['user'] = self.resolve_user(params['user'])
        if params.get('group'):
            filters['group'] = self.resolve_group(params['group'])
        return filters

    def list_role_assignments(self, filters=None, **kwargs):
        """Every assignment the ACTIVE access records grant, with each record's status."""
        filters = filters or {}
        for raw in self._sorted_records():
            if filters.get('record') not in (None, raw['recordId'], raw['name']):
                continue
            record = _model.record_from_api(raw)
            for (kind, actor_id), grants in sorted(_model.actor_grants(record).items()):
                wanted = filters.get(kind)
                other = 'group' if kind == 'user' else 'user'
                if filters.get(other) or (wanted and wanted['id'] != actor_id):
                    continue
                actor = self._actor_named(kind, actor_id)
                for role_id, resources in sorted(grants):
                    if filters.get('role') in (None, role_id):
                        found = self._assignment(kind, actor, {'id': role_id, 'name': role_id},
                                                 resources, record, raw.get('status'))
                        found['raw'] = raw
                        yield found

    # ---- writing one record ------------------------------------------------------------------
    def _write_record(self, key, granting, revoking):
        if isinstance(key, tuple):  # a record to create
            key, created = self._create_record(key[1], granting)
            for assignment in granting:   # what the module reports names the record it made
                assignment['record']['id'] = key
            if created:
                return

        def build(fresh):
            record = _model.record_from_api(fresh)
            changed = self._changed_record(record, granting, revoking)
            if changed is None:
                return None
            return _model.record_to_api(changed)

        current = self._all_records().by_id(key) or self._get(self._path('records', key))
        record = _model.record_from_api(current)
        after = self._changed_record(record, granting, revoking)
        if after is not None and not self._actors(after) and _model.is_managed(record):
            self._delete('records', key)
            self._all_records().drop({'recordId': key})
            return
        raw = self._put_unmodified('records', key, current, build)
        self._all_records().put(raw)

    def _create_record(self, name, granting):
        """POST a new record with the first of its stable IDs (``_model.stable_ids``) that no
        ACTIVE record of another name holds. Returns ``(recordId, True)`` when created, else
        ``(recordId, False)`` for the record of this name found there (another run created it
        meanwhile: 409; or the answer to this POST was lost and reading back found it), which the
        caller then updates with this task's grants (no write when it holds them). Two runs
        creating one record at once thus leave one record holding both runs' grants."""
        body = _model.record_to_api(self._new_record(name, granting))
        for record_id in _model.stable_ids('rec_', 'record', name):
            path = self._path('records', record_id)
            holder = or_none(self._get, path)
            if holder is None or holder.get('status') == 'DELETED':
                def send(record_id=record_id):
                    return self._send('POST', self._path('records'), json=dict(body, recordId=record_id),
                                      ok=(200, 201, 202), idempotent=False)

                def done(path=path):   # a lost answer: is the record there now?
                    found = or_none(self._get, path)
                    return bool(found) and found.get('status') == 'ACTIVE' and found['name'] == name
                try:
                    raw = self.client.confirm_write(send, done, 'POST /v1/records (record %r)' % name,
                                                    warn=self.warn)
                except APIError as exc:
                    if exc.status != 409:
                        raise
                    holder = or_none(self._get, path)
                    if holder is None or holder.get('status') == 'DELETED':
                        raise
                    if holder['name'] == name:
                        self.warn('access record %r was created by another run meanwhile (%s): its grants and '
                                  'this task\'s are merged' % (name, record_id))
                else:
                    if raw is not None:   # created now; None: the answer was lost, the record is there
                        self._all_records().put(raw)
                        return record_id, True
                    holder = self._get(path)
            if holder.get('status') == 'ACTIVE' and holder['name'] == name:
                self._all_records().put(holder)
                return record_id, False
        raise IdentityError('cannot create access record %r: the IDs this collection gives it (%s...) are all held '
                            'by records of other names' % (name, _model.stable_ids('rec_', 'record', name)[0]),
                            self.name)

    @staticmethod
    def _new_record(name, granting):
        wanted = {}
        for a in granting:
            wanted.setdefault(_actor(a), set()).add(_grant(a))
        record = {'name': name, 'statements': [], 'tags': {_model.MANAGED_TAG: _model.MANAGED_VALUE}}
        return _model.regroup(record, wanted)

    @staticmethod
    def _actors(record):
        return _model.actor_grants(record)

    @staticmethod
    def _changed_record(record, granting, revoking):
        """The flattened record after ``granting`` and ``revoking``, or None when unchanged."""
        held = _model.actor_grants(record)
        wanted = dict((actor, set(grants)) for actor, grants in held.items())
        for a in granting:
            wanted.setdefault(_actor(a), set()).add(_grant(a))
        for a in revoking:
            wanted.get(_actor(a), set()).discard(_grant(a))
        wanted = dict((actor, grants) for actor, grants in wanted.items() if grants)
        if wanted == held:
            return None
        return _model.regroup(record, wanted)
