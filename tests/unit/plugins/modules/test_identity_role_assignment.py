"""identity_role_assignment's planning, against a fake provider (no HTTP).

The real Keystone behaviour is covered by tests/integration/test_identity_role_assignment.py;
these pin the parts a real server cannot easily produce: a truncated listing (HEAD fallback,
purge refused), conflicting items, duplicates, a failure halfway through the writes.
"""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import (
    APIError, IdentityError, NotFoundError)
from ansible_collections.iamops.identity.plugins.module_utils._module import Task
from ansible_collections.iamops.identity.plugins.modules import identity_role_assignment as ra

DOM = {'id': 'd1', 'name': 'corp'}
ROLES = {'member': {'id': 'r-member', 'name': 'member', 'domain_id': None},
         'reader': {'id': 'r-reader', 'name': 'reader', 'domain_id': None},
         'admin': {'id': 'r-admin', 'name': 'admin', 'domain_id': None}}
PROJECTS = {'alpha': {'id': 'p-alpha', 'name': 'alpha', 'domain_id': 'd1'},
            'beta': {'id': 'p-beta', 'name': 'beta', 'domain_id': 'd1'}}
USER = {'id': 'u1', 'name': 'jdoe', 'domain_id': 'd1'}


def assignment(role, project=None, domain=None, system=None, inherited=False):
    found = {'role': {'id': ROLES[role]['id'], 'name': role, 'domain': None},
             'user': {'id': 'u1', 'name': 'jdoe', 'domain': DOM}}
    if project:
        found['project'] = {'id': PROJECTS[project]['id'], 'name': project, 'domain': DOM}
    elif domain:
        found['domain'] = dict(DOM)
    else:
        found['system'] = system
    found['inherited'] = inherited
    return found


class FakeProvider:
    name = 'fake'

    def __init__(self, held, complete=True, exists=(), fail_on=None):
        self.held = held
        self.complete = complete
        self.exists = set(exists)
        self.fail_on = fail_on
        self.calls = []

    def resolve_user(self, ref, domain=None):
        self.calls.append(('resolve_user', ref))
        if ref != 'jdoe':
            raise NotFoundError('user %r not found' % ref, self.name)
        return USER

    def resolve_role(self, ref, domain=None):
        if ref not in ROLES:
            raise NotFoundError('role %r not found' % ref, self.name)
        return ROLES[ref]

    def resolve_project(self, ref, domain=None):
        if ref not in PROJECTS:
            raise NotFoundError('project %r not found' % ref, self.name)
        return PROJECTS[ref]

    def resolve_domain(self, ref):
        if ref != 'corp':
            raise NotFoundError('domain %r not found' % ref, self.name)
        return DOM

    def make_assignment(self, kind, actor, role, scope_kind, scope, inherited=False):
        return assignment(role['name'], project=scope['name'] if scope_kind == 'project' else None,
                          domain=scope_kind == 'domain', system='all' if scope_kind == 'system' else None,
                          inherited=inherited)

    def list_actor_assignments(self, kind, actor):
        self.calls.append(('list', kind, actor['id']))
        return list(self.held), self.complete

    def role_assignment_exists(self, found):
        self.calls.append(('head', ra.label(found)))
        return ra.label(found) in self.exists

    def _write(self, verb, found):
        if self.fail_on == (verb, ra.label(found)):
            raise APIError(self.name, verb, '/x', status=403, server_message='forbidden')
        self.calls.append((verb, ra.label(found)))

    def assign_role(self, found):
        self._write('PUT', found)

    def unassign_role(self, found):
        self._write('DELETE', found)

    def writes(self):
        return [c for c in self.calls if c[0] in ('PUT', 'DELETE')]


class FakeModule:
    def __init__(self):
        self.warnings = []

    def warn(self, msg):
        self.warnings.append(msg)


class FakeFrame:
    def __init__(self, provider, check_mode=False):
        self.provider = provider
        self.check_mode = check_mode
        self.module = FakeModule()


PARAM_DEFAULTS = dict(role=None, role_domain=None, user='jdoe', user_domain=None, group=None,
                      group_domain=None, project=None, project_domain=None, domain=None, system=None,
                      inherited=False, state='present', assignments=None, purge=False)


def item(role, **kw):
    return dict(dict(role_domain=None, project=None, project_domain=None, domain=None, system=None,
                     inherited=False, state=None), role=role, **kw)


def run(provider, check_mode=False, **params):
    frame = FakeFrame(provider, check_mode)
    task = Task(frame, dict(PARAM_DEFAULTS, **params))
    ra.ensure_assignments(task)
    return task, frame.module.warnings


def test_label_and_key():
    a = assignment('reader', domain=True, inherited=True)
    assert ra.label(a) == 'reader on domain corp, inherited to projects'
    assert ra.assignment_key(a) == ('r-reader', 'domain', 'd1', True)
    b = assignment('member', project='alpha')
    assert ra.label(b) == 'member on project alpha in domain corp'
    c = assignment('admin', system='all')
    assert ra.label(c) == 'admin on system all'
    assert ra.assignment_key(c) == ('r-admin', 'system', 'all', False)
    c['role']['domain'] = {'id': 'd1', 'name': None}
    assert ra.label(c) == 'admin (role of domain d1) on system all'


def test_exclusive_form_adds_listed_and_purges_the_rest():
    held = [assignment('member', project='alpha'), assignment('reader', project='beta'),
            assignment('admin', system='all'), assignment('reader', domain=True, inherited=True)]
    provider = FakeProvider(held)
    task, warnings = run(provider, purge=True, assignments=[
        item('member', project='alpha'), item('member', project='beta'),
        item('reader', domain='corp', inherited=True)])
    # grants first, then the revocations, ordered by label
    assert provider.writes() == [
        ('PUT', 'member on project beta in domain corp'),
        ('DELETE', 'admin on system all'),
        ('DELETE', 'reader on project beta in domain corp')]
    assert [c for c in provider.calls if c[0] == 'list'] == [('list', 'user', 'u1')]
    assert task.result['changed'] is True
    assert [r['changed'] for r in task.result['results']] == [False, True, False]
    assert [ra.label(a) for a in task.result['purged']] == ['admin on system all', 'reader on project beta in domain corp']
    assert sorted(task.diff['before']) == ['admin on system all', 'reader on project beta in domain corp']
    assert list(task.diff['after']) == ['member on project beta in domain corp']
    assert sorted(ra.label(a) for a in task.result['assignments']) == [
        'member on project alpha in domain corp', 'member on project beta in domain corp',
        'reader on domain corp, inherited to projects']
    assert warnings == []


def test_check_mode_predicts_and_writes_nothing():
    held = [assignment('member', project='alpha'), assignment('admin', system='all')]
    provider = FakeProvider(held)
    task, dummy = run(provider, check_mode=True, purge=True, assignments=[item('reader', project='alpha')])
    assert provider.writes() == []
    assert task.result['changed'] is True
    assert [ra.label(a) for a in task.result['assignments']] == ['reader on project alpha in domain corp']
    assert len(task.result['purged']) == 2


def test_without_purge_unlisted_assignments_stay():
    held = [assignment('member', project='alpha'), assignment('admin', system='all')]
    provider = FakeProvider(held)
    task, dummy = run(provider, assignments=[item('member', project='alpha')])
    assert provider.writes() == [] and task.result['changed'] is False
    assert task.result['purged'] == []
    assert task.diff == {'before': {}, 'after': {}}


def test_empty_list_with_purge_revokes_everything():
    held = [assignment('member', project='alpha'), assignment('admin', system='all')]
    provider = FakeProvider(held)
    task, dummy = run(provider, assignments=[], purge=True)
    assert [w[0] for w in provider.writes()] == ['DELETE', 'DELETE']
    assert task.result['assignments'] == []


def test_item_state_absent_and_top_level_state_default():
    held = [assignment('member', project='alpha'), assignment('reader', project='alpha')]
    provider = FakeProvider(held)
    task, dummy = run(provider, state='absent', assignments=[
        item('member', project='alpha'), item('admin', system='all'),
        item('reader', project='alpha', state='present')])
    assert provider.writes() == [('DELETE', 'member on project alpha in domain corp')]
    assert [r['item']['state'] for r in task.result['results']] == ['absent', 'absent', 'present']
    assert [r['changed'] for r in task.result['results']] == [True, False, False]


def test_unknown_role_in_any_present_item_fails_before_any_write():
    held = [assignment('member', project='alpha')]
    provider = FakeProvider(held)
    with pytest.raises(NotFoundError) as err:
        run(provider, purge=True, assignments=[item('member', project='beta'), item('membr', project='alpha')])
    assert str(err.value) == "fake: assignments[1]: role 'membr' not found"
    assert provider.writes() == []


def test_unknown_names_in_absent_items_are_skipped_with_a_warning():
    provider = FakeProvider([assignment('member', project='alpha')])
    task, warnings = run(provider, assignments=[item('ghost', project='alpha', state='absent')])
    assert task.result['changed'] is False and provider.writes() == []
    assert task.result['results'][0]['assignment'] is None
    assert warnings == ["assignments[0]: nothing to revoke: fake: role 'ghost' not found"]


def test_single_form_absent_for_a_missing_user_is_not_an_error():
    provider = FakeProvider([])
    task, warnings = run(provider, user='gone', role='member', project='alpha', state='absent')
    assert task.result == {'changed': False, 'assignment': None}
    assert warnings == ["nothing to revoke: fake: user 'gone' not found"]
    with pytest.raises(NotFoundError):
        run(provider, user='gone', role='member', project='alpha')


def test_conflicting_items_fail():
    provider = FakeProvider([])
    with pytest.raises(IdentityError) as err:
        run(provider, assignments=[item('member', project='alpha'), item('member', project='alpha', state='absent')])
    assert 'assignments[0] and assignments[1] ask for the same assignment (member on project alpha in domain corp) both present and absent' in str(err.value)
    assert provider.writes() == []


def test_duplicate_items_write_once():
    provider = FakeProvider([])
    task, dummy = run(provider, assignments=[item('member', project='alpha'), item('member', project='alpha')])
    assert provider.writes() == [('PUT', 'member on project alpha in domain corp')]
    assert [r['changed'] for r in task.result['results']] == [True, False]


def test_truncated_listing_checks_the_missing_with_head_and_refuses_purge():
    held = [assignment('member', project='alpha')]
    provider = FakeProvider(held, complete=False, exists={'reader on project beta in domain corp'})
    run(provider, assignments=[item('member', project='alpha'), item('reader', project='beta'),
                               item('admin', system='all')])
    heads = [c for c in provider.calls if c[0] == 'head']
    assert heads == [('head', 'reader on project beta in domain corp'), ('head', 'admin on system all')]
    assert provider.writes() == [('PUT', 'admin on system all')]
    with pytest.raises(IdentityError) as err:
        run(FakeProvider(held, complete=False), purge=True, assignments=[])
    assert 'purge cannot tell what to revoke; nothing was changed' in str(err.value)


def test_single_form_results():
    provider = FakeProvider([assignment('member', project='alpha')])
    task, dummy = run(provider, role='member', project='alpha')
    assert task.result['changed'] is False
    assert ra.label(task.result['assignment']) == 'member on project alpha in domain corp'
    task, dummy = run(provider, role='reader', domain='corp', inherited=True)
    assert task.result['changed'] is True
    assert task.diff == {'before': {}, 'after': {'reader on domain corp, inherited to projects': task.result['assignment']}}
    task, dummy = run(provider, role='admin', system='all', state='absent')
    assert task.result == {'changed': False, 'assignment': None}
    task, dummy = run(provider, role='member', project='alpha', state='absent')
    assert task.result['changed'] is True and task.result['assignment']['project']['id'] == 'p-alpha'
    assert list(task.diff['before']) == ['member on project alpha in domain corp'] and task.diff['after'] == {}


def test_a_failed_write_says_what_was_done_before_it():
    held = [assignment('member', project='alpha'), assignment('admin', system='all')]
    provider = FakeProvider(held, fail_on=('DELETE', 'member on project alpha in domain corp'))
    with pytest.raises(APIError) as err:
        run(provider, purge=True, assignments=[item('reader', project='beta')])
    msg = str(err.value)
    assert msg.startswith('fake: DELETE /x failed: HTTP 403: forbidden; done before this failure: ')
    assert msg.endswith('granted reader on project beta in domain corp; revoked admin on system all')
    assert '\n' not in msg
