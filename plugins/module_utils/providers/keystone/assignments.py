# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keystone roles and role assignments."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._handlers import missing_is_gone, or_none
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, NotFoundError


class KeystoneAssignments:
    """Mixin: roles and role assignments of :class:`KeystoneProvider`."""

    # ---- roles and role assignments (identity_role_assignment) -------------------------------
    # Contract (openstacksdk identity.v3 proxy: roles, find_role, role_assignments,
    # {assign,unassign}_{project,domain,system}_role_{to,from}_{user,group} and
    # validate_{user,group}_has_{project,domain,system}_role; Keystone OS-INHERIT for the inherited
    # ones): GET /v3/roles (the global roles; ?domain_id= for one domain's roles), GET /v3/roles/{id},
    # GET /v3/role_assignments, PUT|HEAD|DELETE /v3/{projects/{p}|domains/{d}|system}/
    # {users|groups}/{a}/roles/{r} and PUT|HEAD|DELETE /v3/OS-INHERIT/{domains/{d}|projects/{p}}/
    # {users|groups}/{a}/roles/{r}/inherited_to_projects.
    #
    # An assignment in the common model: {role, user | group, project | domain | system, inherited}
    # with role {id, name, domain} (domain null for a global role), user/group/project
    # {id, name, domain}, domain {id, name} (each domain a {id, name} pair), system 'all'.

    def _domain_ref(self, domain_id):
        """``{id, name}`` of a domain from what this run already knows (never a request)."""
        if not domain_id:
            return None
        known = self._known_domain(domain_id)
        return {'id': domain_id, 'name': known['name'] if known else None}

    def _role_listing(self, domain_id):
        """The :class:`_directory.Directory` of the roles of ``domain_id`` (None: the global
        roles), listed once per run (not ``complete`` when the listing came back incomplete:
        /roles ignores marker, and past [role] list_limit it repeats its first page)."""
        roles = self.directory('roles', domain_id)
        if not roles.listed:
            params = {'domain_id': domain_id} if domain_id else None
            found, complete = self._collect('/roles', 'roles', params)
            roles.fill([dict((k, raw.get(k)) for k in ('id', 'name', 'domain_id')) for raw in found], complete)
        return roles

    def _role_by_name(self, ref, domain_id):
        """After an incomplete listing: the role named ``ref`` (``GET /v3/roles?name=``), or None."""
        params = {'name': ref}
        if domain_id:
            params['domain_id'] = domain_id
        for raw in self._list('/roles', 'roles', params):
            if raw.get('domain_id') == domain_id:
                return dict((k, raw.get(k)) for k in ('id', 'name', 'domain_id'))
        return None

    def resolve_role(self, ref, domain=None):
        """The role whose name or id is ``ref``: global, or of ``domain`` (name or id) when given.

        One ``GET /v3/roles`` per run serves every global role (and one ``?domain_id=`` listing
        per domain its domain-specific roles); a global lookup that misses tries ``ref`` as the id
        of a domain-specific role.
        """
        domain_id = self.resolve_domain(domain)['id'] if domain else None
        listed = self._role_listing(domain_id)
        role = listed.find(ref)
        if role is None and not listed.complete:
            role = listed.put(self._role_by_name(ref, domain_id))
        if role is None and (domain_id is None or not listed.complete):
            raw = or_none(self._get, self.client.path('/roles/{}', ref))
            if raw and raw.get('role') and (domain_id is None or raw['role'].get('domain_id') == domain_id):
                role = listed.put(dict((k, raw['role'].get(k)) for k in ('id', 'name', 'domain_id')))
        if role is None:
            if domain_id is None:
                raise NotFoundError('role %r not found among the global roles (looked up by name and '
                                    'by id; a domain-specific role needs its role_domain)' % ref, self.name, what='role')
            raise NotFoundError('role %r not found in domain %r (looked up by name and by id)'
                                % (ref, self.resolve_domain(domain)['name']), self.name, what='role')
        return role

    def make_assignment(self, kind, actor, role, scope_kind, scope, inherited=False):
        """A common-model assignment from resolved objects (names from what the run knows)."""
        assignment = {
            'role': {'id': role['id'], 'name': role.get('name'), 'domain': self._domain_ref(role.get('domain_id'))},
            kind: {'id': actor['id'], 'name': actor.get('name'), 'domain': self._domain_ref(actor.get('domain_id'))},
        }
        if scope_kind == 'system':
            assignment['system'] = 'all'
        elif scope_kind == 'project':
            assignment['project'] = {'id': scope['id'], 'name': scope.get('name'),
                                     'domain': self._domain_ref(scope.get('domain_id'))}
        else:
            assignment['domain'] = {'id': scope['id'], 'name': scope.get('name')}
        assignment['inherited'] = bool(inherited)
        return assignment

    def _from_keystone_assignment(self, raw):
        """Keystone's role assignment (``include_names``) -> common model; learns its names."""
        def named(obj, with_domain=True):
            found = {'id': obj.get('id'), 'name': obj.get('name')}
            if with_domain:
                domain = obj.get('domain')
                found['domain'] = {'id': domain.get('id'), 'name': domain.get('name')} if domain else None
                if domain and domain.get('id') and domain.get('name') and self._known_domain(domain['id']) is None:
                    self._cache_domain(dict(found['domain']))
            return found

        scope = raw.get('scope') or {}
        assignment = {'role': named(raw.get('role') or {})}
        for kind in ('user', 'group'):
            if raw.get(kind):
                assignment[kind] = named(raw[kind])
        if scope.get('project'):
            project = assignment['project'] = named(scope['project'])
            if project['name'] and project['domain']:
                learnt = {'id': project['id'], 'name': project['name'], 'domain_id': project['domain']['id']}
                for ref in (project['name'], project['id']):
                    self._projects.setdefault((project['domain']['id'], ref), learnt)
        elif scope.get('domain'):
            domain = assignment['domain'] = named(scope['domain'], with_domain=False)
            if domain['name'] and self._known_domain(domain['id']) is None:
                self._cache_domain(dict(domain))
        elif scope.get('system'):
            assignment['system'] = 'all'
        assignment['inherited'] = scope.get('OS-INHERIT:inherited_to') == 'projects'
        return assignment

    def resolve_actor(self, kind, ref, domain=None):
        """The user or group (``kind``) whose name (in ``domain``) or id is ``ref``; cached per run.

        After :meth:`prefetch_users` / :meth:`prefetch_groups` of ``domain`` a name costs no
        request, and neither does the id of a user or group of that listing (matched against it).
        """
        if kind == 'user':  # each looks in what the run listed (names, then ids) before asking
            return self.resolve_user(ref, domain)
        return self.resolve_group(ref, domain)

    _actor_assignments = None  # (kind, actor id) -> direct assignments, from prefetch_assignments

    def _read_assignments(self, params):
        """``(assignments, complete)`` from one ``GET /v3/role_assignments`` (all its pages)."""
        found, complete = self._collect('/role_assignments', 'role_assignments', params)
        return [self._from_keystone_assignment(raw) for raw in found], complete

    def prefetch_assignments(self):
        """Read every direct role assignment of every user and group with ONE request.

        ``GET /v3/role_assignments?include_names=true`` (no actor filter), grouped by actor, so
        :meth:`list_actor_assignments` answers many actors without a request each. Returns False,
        keeping nothing, when Keystone truncated the list (list_limit) or failed to build it (a
        5xx: with ``include_names`` Keystone reads every actor's name, and one unreachable LDAP
        domain fails the whole list): the caller then lists per actor.
        """
        if self._actor_assignments is not None:
            return True
        try:
            found, complete = self._read_assignments({'include_names': 'true'})
        except APIError as exc:
            if exc.status is None or exc.status < 500:
                raise
            return False
        if not complete:
            return False
        index = {}
        for assignment in found:
            kind = 'user' if assignment.get('user') else 'group'
            index.setdefault((kind, assignment[kind]['id']), []).append(assignment)
        self._actor_assignments = index
        return True

    def list_actor_assignments(self, kind, actor):
        """The direct role assignments of a user or group (``kind``): ``(assignments, complete)``.

        One ``GET /v3/role_assignments?{kind}.id=...&include_names=true``: every scope (project,
        domain, system) and the inherited ones; not those a user has through its groups. The names
        it carries seed the run's domain and project caches, so the scopes the actor already holds
        cost no lookup. ``complete`` is False when Keystone truncated the list (list_limit).
        After :meth:`prefetch_assignments` it costs no request.
        """
        if self._actor_assignments is not None:
            return list(self._actor_assignments.get((kind, actor['id']), ())), True
        return self._read_assignments({'%s.id' % kind: actor['id'], 'include_names': 'true'})

    def _remember_assignment(self, assignment, present):
        """Keep the prefetched assignments true to the writes of this run."""
        if self._actor_assignments is None:
            return
        kind = 'user' if assignment.get('user') else 'group'
        path = self._assignment_path(assignment)
        held = [a for a in self._actor_assignments.get((kind, assignment[kind]['id']), ())
                if self._assignment_path(a) != path]
        if present:
            held.append(assignment)
        self._actor_assignments[(kind, assignment[kind]['id'])] = held

    def list_role_assignments(self, filters=None, effective=False, include_names=False,
                              include_subtree=False, inherited=False):
        """Role assignments in the common model (the shape ``identity_role_assignment`` returns),
        each with Keystone's role assignment object under ``raw``; filtered server-side. Names are
        null unless ``include_names`` (Keystone then returns them, one request all the same).

        ``filters``: resolved objects by key ``user``, ``group``, ``role``, ``project``, ``domain``,
        and ``system`` ('all'). ``inherited`` keeps only the OS-INHERIT ones (checked here too:
        Keystone's ``scope.OS-INHERIT:inherited_to`` filter lets system assignments through).
        """
        keys = {'user': 'user.id', 'group': 'group.id', 'role': 'role.id',
                'project': 'scope.project.id', 'domain': 'scope.domain.id'}
        params = {}
        for key, value in (filters or {}).items():
            if value is None:
                continue
            if key == 'system':
                params['scope.system'] = value
            else:
                params[keys[key]] = value['id']
        for flag, value in (('effective', effective), ('include_names', include_names),
                            ('include_subtree', include_subtree)):
            if value:
                params[flag] = 'true'
        if inherited:
            params['scope.OS-INHERIT:inherited_to'] = 'projects'
        for raw in self._list('/role_assignments', 'role_assignments', params):
            if inherited and (raw.get('scope') or {}).get('OS-INHERIT:inherited_to') != 'projects':
                continue
            assignment = self._from_keystone_assignment(raw)
            assignment['raw'] = raw
            yield assignment

    def _assignment_path(self, assignment):
        """The path of one direct assignment; every ID in it is quoted as one segment (client.path)."""
        kind = 'users' if assignment.get('user') else 'groups'
        actor = assignment.get('user') or assignment.get('group')
        tail = self.client.path('{}/{}/roles/{}', kind, actor['id'], assignment['role']['id'])
        if assignment.get('system'):
            return '/system/' + tail
        if assignment.get('project'):
            target = self.client.path('projects/{}', assignment['project']['id'])
        else:
            target = self.client.path('domains/{}', assignment['domain']['id'])
        if assignment.get('inherited'):
            return '/OS-INHERIT/%s/%s/inherited_to_projects' % (target, tail)
        return '/%s/%s' % (target, tail)

    def role_assignment_exists(self, assignment):
        """Whether this direct assignment exists (one ``HEAD``)."""
        self.connect()
        with missing_is_gone() as missing:
            self.client.request('HEAD', self._assignment_path(assignment), ok=(200, 204))
        return not missing.gone

    def assign_role(self, assignment):
        self._send('PUT', self._assignment_path(assignment), ok=(200, 201, 204))
        self._remember_assignment(assignment, True)

    def unassign_role(self, assignment):
        with missing_is_gone():  # already gone: the desired state holds
            self._send('DELETE', self._assignment_path(assignment), ok=(200, 204))
        self._remember_assignment(assignment, False)
