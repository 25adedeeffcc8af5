"""identity_role_assignment's planning (module_utils/_assignments.py), against a fake provider (no HTTP).

The real Keystone behaviour is covered by tests/integration/test_identity_role_assignment.py;
these pin the parts a real server cannot easily produce: a truncated listing (HEAD fallback,
purge refused), conflicting items, duplicates, a failure halfway through the writes.
"""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import (
    APIError, ConfigError, IdentityError, NotFoundError)
from ansible_collections.iamops.identity.plugins.module_utils._module import Task
from ansible_collections.iamops.identity.plugins.module_utils import _assignments as svc
from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider, not_found
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone.intent import KeystoneIntent
from ansible_collections.iamops.identity.plugins.modules import identity_role_assignment as ra

# Keystone's way of naming and identifying an assignment (the planner asks the provider)
label = KeystoneIntent().describe_assignment
key = KeystoneIntent().assignment_key

DOM = {'id': 'd1', 'name': 'corp'}
ROLES = {'member': {'id': 'r-member', 'name': 'member', 'domain_id': None},
         'reader': {'id': 'r-reader', 'name': 'reader', 'domain_id': None},
         'admin': {'id': 'r-admin', 'name': 'admin', 'domain_id': None}}
PROJECTS = {'alpha': {'id': 'p-alpha', 'name': 'alpha', 'domain_id': 'd1'},
            'beta': {'id': 'p-beta', 'name': 'beta', 'domain_id': 'd1'}}
USER = {'id': 'u1', 'name': 'jdoe', 'domain_id': 'd1'}
ACTORS = {('user', 'jdoe'): USER,
          ('user', 'asmith'): {'id': 'u2', 'name': 'asmith', 'domain_id': 'd1'},
          ('user', 'bjones'): {'id': 'u3', 'name': 'bjones', 'domain_id': 'd1'},
          ('group', 'ops'): {'id': 'g1', 'name': 'ops', 'domain_id': 'd1'}}
ACTORS.update(dict(((kind, actor['id']), actor) for (kind, dummy), actor in list(ACTORS.items())))


def assignment(role, project=None, domain=None, system=None, inherited=False, actor=('user', 'jdoe')):
    kind, ref = actor
    known = ACTORS.get(actor) or {'id': None, 'name': ref}   # no id: predicted in check mode
    found = {'role': {'id': ROLES[role]['id'], 'name': role, 'domain': None},
             kind: {'id': known['id'], 'name': known['name'], 'domain': DOM}}
    if project:
        found['project'] = {'id': PROJECTS[project]['id'], 'name': project, 'domain': DOM}
    elif domain:
        found['domain'] = dict(DOM)
    else:
        found['system'] = system
    found['inherited'] = inherited
    return found


class FakeProvider(KeystoneIntent, Provider):
    """Keystone's intent layer over scripted plumbing (no HTTP)."""

    name = 'fake'

    def __init__(self, held, complete=True, exists=(), fail_on=None, prefetched=True):
        self.held = held
        self.complete = complete   # True, False, or the set of actor ids whose listing is complete
        self.prefetched = prefetched
        self.exists = set(exists)
        self.fail_on = fail_on
        self.calls = []

    def resolve_actor(self, kind, ref, domain=None):
        self.calls.append(('resolve_%s' % kind, ref))
        if (kind, ref) not in ACTORS:
            raise NotFoundError('%s %r not found' % (kind, ref), self.name)
        return ACTORS[(kind, ref)]

    def prefetch_users(self, domain=None):
        self.calls.append(('prefetch_users', domain))

    def prefetch_groups(self, domain=None):
        self.calls.append(('prefetch_groups', domain))
        return []

    def prefetch_assignments(self):
        self.calls.append(('prefetch_assignments',))
        return self.prefetched

    def resolve_role(self, ref, domain=None):
        if ref not in ROLES:
            raise NotFoundError('role %r not found' % ref, self.name, what='role')
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
                          inherited=inherited, actor=(kind, actor['name']))

    def list_actor_assignments(self, kind, actor):
        self.calls.append(('list', kind, actor['id']))
        complete = self.complete if isinstance(self.complete, bool) else actor['id'] in self.complete
        return [a for a in self.held if (a.get(kind) or {}).get('id') == actor['id']], complete

    def role_assignment_exists(self, found):
        self.calls.append(('head', label(found)))
        return label(found) in self.exists

    def _write(self, verb, found):
        if self.fail_on == (verb, label(found)):
            raise APIError(self.name, verb, '/x', status=403, server_message='forbidden')
        self.calls.append((verb, label(found), svc.actor_label(found)))

    def assign_role(self, found):
        self._write('PUT', found)

    def unassign_role(self, found):
        self._write('DELETE', found)

    def writes(self):
        return [c[:2] for c in self.calls if c[0] in ('PUT', 'DELETE')]

    def team_writes(self):
        return [(c[0], '%s: %s' % (c[2], c[1])) for c in self.calls if c[0] in ('PUT', 'DELETE')]

    def lookups(self):
        return [c for c in self.calls if c[0] not in ('PUT', 'DELETE', 'head')]


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


def item(role=None, **kw):
    return dict(dict(role_domain=None, project=None, project_domain=None, domain=None, system=None,
                     inherited=False, state=None, user=None, user_domain=None, group=None,
                     group_domain=None), role=role, **kw)


def run(provider, check_mode=False, **params):
    frame = FakeFrame(provider, check_mode)
    task = Task(frame, dict(PARAM_DEFAULTS, **params))
    ra.ensure_assignments(task)
    return task, frame.module.warnings


def test_label_and_key():
    a = assignment('reader', domain=True, inherited=True)
    assert label(a) == 'reader on domain corp, inherited to projects'
    assert key(a) == ('r-reader', 'domain', 'd1', True)
    b = assignment('member', project='alpha')
    assert label(b) == 'member on project alpha (corp)'
    c = assignment('admin', system='all')
    assert label(c) == 'admin on system all'
    assert key(c) == ('r-admin', 'system', 'all', False)
    c['role']['domain'] = {'id': 'd1', 'name': None}
    assert label(c) == 'admin (role of domain d1) on system all'


def test_exclusive_form_adds_listed_and_purges_the_rest():
    held = [assignment('member', project='alpha'), assignment('reader', project='beta'),
            assignment('admin', system='all'), assignment('reader', domain=True, inherited=True)]
    provider = FakeProvider(held)
    task, warnings = run(provider, purge=True, assignments=[
        item('member', project='alpha'), item('member', project='beta'),
        item('reader', domain='corp', inherited=True)])
    # grants first, then the revocations, ordered by label
    assert provider.writes() == [
        ('PUT', 'member on project beta (corp)'),
        ('DELETE', 'admin on system all'),
        ('DELETE', 'reader on project beta (corp)')]
    assert [c for c in provider.calls if c[0] == 'list'] == [('list', 'user', 'u1')]
    assert task.result['changed'] is True
    # the purge is reported on the actor's first item (no declaration): that entry changed something
    assert [r['changed'] for r in task.result['results']] == [True, True, False]
    assert [label(a) for a in task.result['purged']] == ['admin on system all', 'reader on project beta (corp)']
    # the diff: one line per assignment, revocations first, names only
    assert task.diff == {'prepared': '- admin on system all\n'
                                     '- reader on project beta (corp)\n'
                                     '+ member on project beta (corp)\n'}
    assert sorted(label(a) for a in task.result['assignments']) == [
        'member on project alpha (corp)', 'member on project beta (corp)',
        'reader on domain corp, inherited to projects']
    assert warnings == []


def test_check_mode_predicts_and_writes_nothing():
    held = [assignment('member', project='alpha'), assignment('admin', system='all')]
    provider = FakeProvider(held)
    task, dummy = run(provider, check_mode=True, purge=True, assignments=[item('reader', project='alpha')])
    assert provider.writes() == []
    assert task.result['changed'] is True
    assert [label(a) for a in task.result['assignments']] == ['reader on project alpha (corp)']
    assert len(task.result['purged']) == 2


def test_without_purge_unlisted_assignments_stay():
    held = [assignment('member', project='alpha'), assignment('admin', system='all')]
    provider = FakeProvider(held)
    task, dummy = run(provider, assignments=[item('member', project='alpha')])
    assert provider.writes() == [] and task.result['changed'] is False
    assert task.result['purged'] == []
    assert task.diff == {'prepared': ''}


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
    assert provider.writes() == [('DELETE', 'member on project alpha (corp)')]
    assert [r['item']['state'] for r in task.result['results']] == ['absent', 'absent', 'present']
    assert [r['changed'] for r in task.result['results']] == [True, False, False]


def test_unknown_role_in_any_present_item_fails_before_any_write():
    held = [assignment('member', project='alpha')]
    provider = FakeProvider(held)
    with pytest.raises(NotFoundError) as err:
        run(provider, purge=True, assignments=[item('member', project='beta'), item('membr', project='alpha')])
    assert str(err.value) == "fake: assignments[1]: role 'membr' not found"
    assert provider.writes() == []


def test_an_unknown_role_in_an_absent_item_has_nothing_to_revoke_and_warns_unless_ignored():
    """A removal never fails on what does not exist (a leaver's rerun stays a no-op): the default
    fail warns as warn does; ignore is silent. A present item still fails under fail."""
    for mode, warned in (('fail', True), ('warn', True), ('ignore', False)):
        provider = FakeProvider([assignment('member', project='alpha')])
        task, warnings = run(provider, on_missing=mode, assignments=[item('ghost', project='alpha', state='absent')])
        assert task.result['changed'] is False and provider.writes() == []
        assert task.result['results'][0]['assignment'] is None
        assert warnings == (["assignments[0]: nothing to revoke: fake: role 'ghost' not found"] if warned else [])
    with pytest.raises(NotFoundError) as err:
        run(FakeProvider([]), assignments=[item('ghost', project='alpha')])
    assert str(err.value) == "fake: assignments[0]: role 'ghost' not found"


def test_an_unknown_scope_in_an_absent_item_warns_whatever_on_missing_says():
    for mode in ('fail', 'warn', 'ignore'):
        provider = FakeProvider([assignment('member', project='alpha')])
        task, warnings = run(provider, on_missing=mode, assignments=[item('member', project='ghost', state='absent')])
        assert task.result['changed'] is False and provider.writes() == []
        assert warnings == ["assignments[0]: nothing to revoke: fake: project 'ghost' not found"]
        with pytest.raises(NotFoundError):   # and a present one fails
            run(provider, on_missing=mode, assignments=[item('member', project='ghost')])


def test_single_form_absent_for_a_missing_user_is_a_no_op_with_a_warning_unless_ignored():
    for mode, warned in (('fail', True), ('warn', True), ('ignore', False)):
        provider = FakeProvider([])
        task, warnings = run(provider, on_missing=mode, user='gone', user_domain='corp', role='member', project='alpha',
                             state='absent')
        assert task.result == {'changed': False, 'assignment': None} and provider.writes() == []
        assert warnings == (["nothing to revoke: fake: user 'gone' not found"] if warned else [])
    provider = FakeProvider([])
    with pytest.raises(NotFoundError):
        run(provider, user='gone', role='member', project='alpha')


def test_conflicting_items_fail():
    provider = FakeProvider([])
    with pytest.raises(IdentityError) as err:
        run(provider, assignments=[item('member', project='alpha'), item('member', project='alpha', state='absent')])
    assert 'assignments[0] and assignments[1] ask for the same assignment (member on project alpha (corp)) both present and absent' in str(err.value)
    assert provider.writes() == []


def test_duplicate_items_write_once():
    provider = FakeProvider([])
    task, dummy = run(provider, assignments=[item('member', project='alpha'), item('member', project='alpha')])
    assert provider.writes() == [('PUT', 'member on project alpha (corp)')]
    assert [r['changed'] for r in task.result['results']] == [True, False]


def test_truncated_listing_checks_the_missing_with_head_and_refuses_purge():
    held = [assignment('member', project='alpha')]
    provider = FakeProvider(held, complete=False, exists={'reader on project beta (corp)'})
    run(provider, assignments=[item('member', project='alpha'), item('reader', project='beta'),
                               item('admin', system='all')])
    heads = [c for c in provider.calls if c[0] == 'head']
    assert heads == [('head', 'reader on project beta (corp)'), ('head', 'admin on system all')]
    assert provider.writes() == [('PUT', 'admin on system all')]
    with pytest.raises(IdentityError) as err:
        run(FakeProvider(held, complete=False), purge=True, assignments=[])
    assert 'purge cannot tell what to revoke; nothing was changed' in str(err.value)


def test_single_form_results():
    provider = FakeProvider([assignment('member', project='alpha')])
    task, dummy = run(provider, role='member', project='alpha')
    assert task.result['changed'] is False
    assert label(task.result['assignment']) == 'member on project alpha (corp)'
    task, dummy = run(provider, role='reader', domain='corp', inherited=True)
    assert task.result['changed'] is True
    assert task.diff == {'prepared': '+ reader on domain corp, inherited to projects\n'}
    task, dummy = run(provider, role='admin', system='all', state='absent')
    assert task.result == {'changed': False, 'assignment': None}
    task, dummy = run(provider, role='member', project='alpha', state='absent')
    assert task.result['changed'] is True and task.result['assignment']['project']['id'] == 'p-alpha'
    assert task.diff == {'prepared': '- member on project alpha (corp)\n'}


def test_a_failed_write_says_what_was_done_before_it():
    held = [assignment('member', project='alpha'), assignment('admin', system='all')]
    provider = FakeProvider(held, fail_on=('DELETE', 'member on project alpha (corp)'))
    with pytest.raises(APIError) as err:
        run(provider, purge=True, assignments=[item('reader', project='beta')])
    msg = str(err.value)
    assert msg.startswith('fake: DELETE /x failed: HTTP 403: forbidden; done before this failure: ')
    assert msg.endswith('granted reader on project beta (corp); revoked admin on system all')
    assert '\n' not in msg


# ---- many users and groups in one task ---------------------------------------------------------

ASMITH, BJONES, OPS = ('user', 'asmith'), ('user', 'bjones'), ('group', 'ops')


def team(**params):
    """Params of a list-form task without a top-level actor (user_domain: the items' default)."""
    return dict(dict(user=None, user_domain='corp'), **params)


def test_team_onboarding_resolves_each_user_once_and_reads_assignments_once():
    held = [assignment('member', project='alpha', actor=ASMITH)]
    provider = FakeProvider(held)
    items = [item(role, user=user, project='alpha') for user in ('asmith', 'bjones') for role in ('member', 'reader')]
    task, warnings = run(provider, **team(assignments=items))
    assert provider.lookups() == [
        ('prefetch_users', 'd1'),      # two users of one domain: one listing of it
        ('resolve_user', 'asmith'), ('resolve_user', 'bjones'),
        ('prefetch_assignments',),     # two actors: one listing of every assignment
        ('list', 'user', 'u2'), ('list', 'user', 'u3')]
    assert provider.team_writes() == [
        ('PUT', 'user asmith (corp): reader on project alpha (corp)'),
        ('PUT', 'user bjones (corp): member on project alpha (corp)'),
        ('PUT', 'user bjones (corp): reader on project alpha (corp)')]
    assert [r['changed'] for r in task.result['results']] == [False, True, True, True]
    assert [r['assignment']['user']['name'] for r in task.result['results']] == ['asmith', 'asmith', 'bjones', 'bjones']
    # diff lines carry the actor: the same role on the same project for two people are two lines
    assert task.diff['prepared'].splitlines() == [
        '+ user asmith (corp): reader on project alpha (corp)',
        '+ user bjones (corp): member on project alpha (corp)',
        '+ user bjones (corp): reader on project alpha (corp)']
    assert len(task.result['assignments']) == 4 and task.result['purged'] == []
    assert warnings == []

    again = FakeProvider(held + [a for a in task.result['assignments'] if a not in held])
    task, dummy = run(again, **team(assignments=items))
    assert task.result['changed'] is False and again.writes() == []


def test_team_offboarding_declarations_with_purge_revoke_everything_of_those_named_only():
    held = [assignment('member', project='alpha', actor=ASMITH), assignment('admin', system='all', actor=ASMITH),
            assignment('reader', domain=True, inherited=True, actor=BJONES),
            assignment('member', project='alpha'),                      # jdoe: not named, untouched
            assignment('member', project='beta', actor=OPS)]            # a group: not named, untouched
    provider = FakeProvider(held)
    task, warnings = run(provider, check_mode=True, **team(purge=True, assignments=[item(user='asmith'), item(user='bjones')]))
    assert provider.writes() == [] and task.result['changed'] is True
    predicted = dict(task.diff)
    task, warnings = run(provider, **team(purge=True, assignments=[item(user='asmith'), item(user='bjones')]))
    expected = ['user asmith (corp): admin on system all',
                'user asmith (corp): member on project alpha (corp)',
                'user bjones (corp): reader on domain corp, inherited to projects']
    assert provider.team_writes() == [('DELETE', label) for label in expected]
    assert [svc.actor_label(a) + ': ' + label(a) for a in task.result['purged']] == expected
    assert [a['user']['id'] for a in task.result['purged']] == ['u2', 'u2', 'u3']
    assert task.diff == predicted and task.diff['prepared'].splitlines() == ['- ' + line for line in expected]
    assert task.result['results'] == [
        {'item': dict(item(user='asmith'), state='present'), 'changed': True, 'assignment': None},   # its purge
        {'item': dict(item(user='bjones'), state='present'), 'changed': True, 'assignment': None}]
    assert task.result['assignments'] == []
    assert warnings == []


def test_purge_is_per_actor_and_keys_never_mix_actors():
    # jdoe keeps member on alpha (listed for jdoe); asmith holds the same and it is not listed for him
    held = [assignment('member', project='alpha'), assignment('member', project='alpha', actor=ASMITH),
            assignment('reader', project='beta', actor=OPS)]
    provider = FakeProvider(held)
    task, dummy = run(provider, user='jdoe', user_domain='corp', purge=True, assignments=[
        item('member', project='alpha'),                              # the top-level user's
        item('reader', project='alpha', user='asmith'),
        item('reader', project='beta', group='ops', group_domain='corp')])
    assert provider.team_writes() == [
        ('PUT', 'user asmith (corp): reader on project alpha (corp)'),
        ('DELETE', 'user asmith (corp): member on project alpha (corp)')]
    assert [r['changed'] for r in task.result['results']] == [False, True, False]
    assert task.result['results'][2]['assignment']['group']['id'] == 'g1'
    assert ('prefetch_groups', 'd1') not in provider.calls   # one group in its domain: no listing


def test_one_actor_named_in_items_too_keeps_plain_labels_and_one_filtered_listing():
    provider = FakeProvider([])
    task, dummy = run(provider, user='jdoe', user_domain='corp', assignments=[
        item('member', project='alpha'), item('reader', project='alpha', user='u1')])   # jdoe by id
    assert 'prefetch_assignments' not in [c[0] for c in provider.calls]
    assert [c for c in provider.calls if c[0] == 'list'] == [('list', 'user', 'u1')]
    assert task.diff['prepared'].splitlines() == ['+ member on project alpha (corp)', '+ reader on project alpha (corp)']


def test_items_without_any_actor_and_roles_without_scope_are_refused_before_any_request():
    provider = FakeProvider([])
    with pytest.raises(ConfigError) as err:
        run(provider, **team(assignments=[item('member', project='alpha', user='asmith'), item('member', project='alpha')]))
    assert str(err.value) == ('fake: assignments[1] names no user or group: give user or group in the item, '
                              'or at top level for every item')
    with pytest.raises(ConfigError) as err:
        run(provider, **team(assignments=[item(user='asmith'), item('member', user='bjones')]))
    assert str(err.value) == 'fake: assignments[1]: role member needs a scope: give one of project, domain and system'
    with pytest.raises(ConfigError) as err:
        run(provider, group='ops', group_domain='corp', user=None, user_domain='corp', assignments=[item('member', system='all')])
    assert str(err.value) == 'fake: user_domain is given but no user is (at top level or in an item of assignments)'
    assert provider.calls == []


def test_an_unknown_user_among_several_fails_naming_its_item_before_any_listing_or_write():
    provider = FakeProvider([assignment('member', project='alpha', actor=ASMITH)])
    with pytest.raises(NotFoundError) as err:
        run(provider, **team(purge=True, assignments=[
            item('member', project='alpha', user='asmith'), item(user='bjones'),
            item('member', project='alpha', user='ghost'), item('reader', project='alpha', user='ghost')]))
    assert str(err.value) == "fake: assignments[2]: user 'ghost' not found"
    assert provider.writes() == [] and not [c for c in provider.calls if c[0] in ('list', 'prefetch_assignments')]
    # the item named is the one that wants an assignment of it, not an earlier declaration
    with pytest.raises(NotFoundError) as err:
        run(provider, purge=True, assignments=[item(user='ghost'), item('member', project='alpha'),
                                               item('member', project='alpha', user='ghost')])
    assert str(err.value) == "fake: assignments[2]: user 'ghost' not found"
    # an unknown top-level user wanted by items that do not name it: the message as in the single form
    with pytest.raises(NotFoundError) as err:
        run(provider, user='ghost', assignments=[item('member', project='alpha'), item(user='ghost'), item(user='asmith')])
    assert str(err.value) == "fake: user 'ghost' not found"


def test_a_missing_actor_with_only_removals_warns_and_the_others_proceed():
    held = [assignment('member', project='alpha', actor=ASMITH)]
    provider = FakeProvider(held)
    task, warnings = run(provider, **team(purge=True, on_missing='warn', assignments=[
        item(user='asmith'), item(user='gone'), item('member', project='alpha', user='gone', state='absent')]))
    assert warnings == ["assignments[1]: nothing to revoke: fake: user 'gone' not found"]
    assert provider.team_writes() == [('DELETE', 'user asmith (corp): member on project alpha (corp)')]
    assert [(r['changed'], r['assignment']) for r in task.result['results'][1:]] == [(False, None), (False, None)]
    # only one actor left to read: its filtered listing, no listing of everyone
    assert [c for c in provider.calls if c[0] in ('list', 'prefetch_assignments')] == [('list', 'user', 'u2')]


def test_declarations_without_purge_change_nothing_and_say_so():
    provider = FakeProvider([assignment('member', project='alpha', actor=ASMITH)])
    task, warnings = run(provider, **team(assignments=[item(user='asmith'), item('reader', project='beta', user='bjones'),
                                                       item(user='bjones')]))
    assert warnings == ['assignments[0], assignments[2] name only a user or group: without purge=true that changes nothing']
    assert provider.team_writes() == [('PUT', 'user bjones (corp): reader on project beta (corp)')]


def test_the_same_assignment_for_two_actors_is_no_conflict_but_twice_for_one_is():
    held = [assignment('member', project='alpha', actor=BJONES)]
    provider = FakeProvider(held)
    task, dummy = run(provider, **team(assignments=[item('member', project='alpha', user='asmith'),
                                                    item('member', project='alpha', user='bjones', state='absent')]))
    assert provider.team_writes() == [('PUT', 'user asmith (corp): member on project alpha (corp)'),
                                      ('DELETE', 'user bjones (corp): member on project alpha (corp)')]
    with pytest.raises(IdentityError) as err:
        run(FakeProvider(held), **team(assignments=[item('member', project='alpha', user='bjones'),
                                                    item('member', project='alpha', user='u3', state='absent'),
                                                    item(user='asmith')]))
    assert ('assignments[0] and assignments[1] ask for the same assignment (user bjones (corp): member on project '
            'alpha (corp)) both present and absent') in str(err.value)


def test_a_truncated_listing_refuses_purge_naming_the_actor():
    provider = FakeProvider([], complete={'u2'}, prefetched=False)
    with pytest.raises(IdentityError) as err:
        run(provider, **team(purge=True, assignments=[item(user='asmith'), item(user='bjones')]))
    assert "the list of role assignments of user 'bjones' came back truncated" in str(err.value)
    assert provider.writes() == []
    # without purge, what the truncated listing misses is checked with one HEAD each
    provider = FakeProvider([], complete={'u2'}, prefetched=False)
    run(provider, **team(assignments=[item('member', project='alpha', user='asmith'), item('member', project='alpha', user='bjones')]))
    assert [c for c in provider.calls if c[0] == 'head'] == [('head', 'member on project alpha (corp)')]
    assert provider.team_writes() == [('PUT', 'user asmith (corp): member on project alpha (corp)'),
                                      ('PUT', 'user bjones (corp): member on project alpha (corp)')]


def test_groups_of_one_domain_are_listed_once():
    provider = FakeProvider([])
    ACTORS[('group', 'devs')] = {'id': 'g2', 'name': 'devs', 'domain_id': 'd1'}
    try:
        task, dummy = run(provider, group_domain='corp', assignments=[
            item('member', project='alpha', group='ops'), item('member', project='alpha', group='devs'),
            item('member', project='alpha', user='asmith', user_domain='corp')])
    finally:
        del ACTORS[('group', 'devs')]
    assert [c for c in provider.calls if c[0].startswith('prefetch')] == [('prefetch_groups', 'd1'), ('prefetch_assignments',)]
    assert task.diff['prepared'].splitlines() == ['+ group devs (corp): member on project alpha (corp)',
                                                  '+ group ops (corp): member on project alpha (corp)',
                                                  '+ user asmith (corp): member on project alpha (corp)']


def test_a_failed_write_in_a_team_names_the_actors_done_before_it():
    provider = FakeProvider([assignment('admin', system='all', actor=BJONES)],
                            fail_on=('DELETE', 'admin on system all'))
    with pytest.raises(APIError) as err:
        run(provider, **team(purge=True, assignments=[item('reader', project='beta', user='asmith'), item(user='bjones')]))
    assert str(err.value).endswith('; done before this failure: granted user asmith (corp): reader on project beta (corp)')


def test_check_mode_predicts_the_grants_of_a_user_an_earlier_task_would_create():
    held = [assignment('member', project='alpha', actor=ASMITH)]
    items = [item('member', project='alpha', user='carol'), item('reader', project='beta', user='carol'),
             item('member', project='alpha', user='asmith')]
    provider = FakeProvider(held)
    task, warnings = run(provider, check_mode=True, **team(purge=True, assignments=items))
    assert warnings == ["assignments[0]: fake: user 'carol' not found: check mode takes it as created by an "
                        "earlier task and predicts its assignments; a real run fails if it still does not exist"]
    assert provider.writes() == [] and task.result['changed'] is True
    assert task.diff['prepared'].splitlines() == ['+ user carol (corp): member on project alpha (corp)',
                                                  '+ user carol (corp): reader on project beta (corp)']
    assert task.result['purged'] == []
    assert [r['changed'] for r in task.result['results']] == [True, True, False]
    assert task.result['results'][0]['assignment']['user'] == {'id': None, 'name': 'carol', 'domain': DOM}
    # only asmith exists: its own listing, no listing of everyone, none for carol
    assert [c for c in provider.calls if c[0] in ('list', 'prefetch_assignments')] == [('list', 'user', 'u2')]
    # two such users stay two actors
    task, dummy = run(FakeProvider([]), check_mode=True, **team(assignments=[
        item('member', project='alpha', user='carol'), item('member', project='alpha', user='dave')]))
    assert task.diff['prepared'].splitlines() == ['+ user carol (corp): member on project alpha (corp)',
                                                  '+ user dave (corp): member on project alpha (corp)']
    # a real run fails, and so does check mode when the user's domain does not exist either
    with pytest.raises(NotFoundError) as err:
        run(FakeProvider(held), **team(purge=True, assignments=items))
    assert str(err.value) == "fake: assignments[0]: user 'carol' not found"
    with pytest.raises(NotFoundError) as err:
        run(FakeProvider(held), check_mode=True, user=None, user_domain='nowhere', assignments=items)
    assert str(err.value) == "fake: assignments[0]: domain 'nowhere' not found"


def test_in_diff_mode_each_entry_carries_its_own_lines_so_a_loop_shows_them_all():
    """In a loop (a role looping over providers), Ansible's diff callback prints the diffs of
    the entries of ``results``: together they are exactly the task's lines."""
    held = [assignment('member', project='alpha', actor=ASMITH), assignment('admin', system='all', actor=ASMITH),
            assignment('reader', project='beta', actor=BJONES)]
    provider = FakeProvider(held)
    frame = FakeFrame(provider)
    frame.module._diff = True
    task = Task(frame, dict(PARAM_DEFAULTS, **team(purge=True, assignments=[
        item('reader', project='alpha', user='asmith'), item(user='asmith'),
        item('reader', project='beta', user='bjones'), item('member', project='alpha', user='bjones')])))
    ra.ensure_assignments(task)
    entries = task.result['results']
    assert [e['diff']['prepared'].splitlines() for e in entries] == [
        ['+ user asmith (corp): reader on project alpha (corp)'],
        ['- user asmith (corp): admin on system all', '- user asmith (corp): member on project alpha (corp)'],
        [],
        ['+ user bjones (corp): member on project alpha (corp)']]
    assert [e['changed'] for e in entries] == [True, True, False, True]
    shown = sorted(line for e in entries if e['changed'] for line in e['diff']['prepared'].splitlines())
    assert shown == sorted(task.diff['prepared'].splitlines())


# ---- on_missing ----------------------------------------------------------------------------------

def test_warn_leaves_out_an_item_with_a_missing_role_and_purge_keeps_exactly_the_listed_existing_ones():
    held = [assignment('member', project='alpha'), assignment('reader', project='beta'), assignment('admin', system='all')]
    provider = FakeProvider(held)
    task, warnings = run(provider, purge=True, on_missing='warn', assignments=[
        item('member', project='alpha'), item('ghost', project='beta'), item('reader', project='alpha')])
    assert warnings == ["assignments[1]: left out, nothing granted: fake: role 'ghost' not found"]
    assert provider.writes() == [('PUT', 'reader on project alpha (corp)'), ('DELETE', 'admin on system all'),
                                 ('DELETE', 'reader on project beta (corp)')]
    assert [(r['changed'], r['assignment'] and label(r['assignment'])) for r in task.result['results']] == [
        (True, 'member on project alpha (corp)'), (False, None), (True, 'reader on project alpha (corp)')]
    assert sorted(label(a) for a in task.result['assignments']) == [
        'member on project alpha (corp)', 'reader on project alpha (corp)']


def test_ignore_leaves_out_a_missing_role_silently_and_fail_writes_nothing():
    held = [assignment('member', project='alpha')]
    provider = FakeProvider(held)
    task, warnings = run(provider, on_missing='ignore', assignments=[item('ghost', project='alpha'), item('reader', project='alpha')])
    assert warnings == [] and provider.writes() == [('PUT', 'reader on project alpha (corp)')]
    provider = FakeProvider(held)
    with pytest.raises(NotFoundError):
        run(provider, assignments=[item('reader', project='alpha'), item('ghost', project='alpha')])
    assert provider.writes() == []


def test_single_form_missing_role_under_warn_is_a_no_op():
    provider = FakeProvider([])
    task, warnings = run(provider, on_missing='warn', role='ghost', project='alpha')
    assert task.result == {'changed': False, 'assignment': None} and provider.writes() == []
    assert warnings == ["left out, nothing granted: fake: role 'ghost' not found"]


def test_a_missing_actor_under_warn_changes_nothing_and_the_others_are_applied():
    provider = FakeProvider([assignment('admin', system='all', actor=ASMITH)])
    task, warnings = run(provider, **team(purge=True, on_missing='warn', assignments=[
        item('member', project='alpha', user='gone'), item('reader', project='alpha', user='asmith')]))
    assert warnings == ["assignments[0]: left out, nothing granted: fake: user 'gone' not found"]
    assert provider.team_writes() == [('PUT', 'user asmith (corp): reader on project alpha (corp)'),
                                      ('DELETE', 'user asmith (corp): admin on system all')]
    assert task.result['results'][0] == dict(item=task.result['results'][0]['item'], changed=False, assignment=None)
    # alone: changed=false, no write, no listing; ignore: no warning
    provider = FakeProvider([])
    task, warnings = run(provider, on_missing='ignore', user='gone', user_domain='corp', role='member', project='alpha')
    assert task.result == {'changed': False, 'assignment': None} and warnings == []
    assert [c for c in provider.calls if c[0] == 'list'] == [] and provider.writes() == []


def test_a_missing_actor_in_an_unknown_domain_still_fails_under_warn():
    with pytest.raises(NotFoundError) as err:
        run(FakeProvider([]), on_missing='warn', user='gone', user_domain='nowhere', role='member', project='alpha')
    assert str(err.value) == "fake: domain 'nowhere' not found"


def test_check_mode_predicts_a_missing_actor_whatever_on_missing_says_and_warns_for_removals():
    for mode in ('fail', 'warn', 'ignore'):
        task, warnings = run(FakeProvider([]), check_mode=True, on_missing=mode, user='carol', user_domain='corp', role='member', project='alpha')
        assert task.result['changed'] is True and len(warnings) == 1 and 'check mode takes it as created' in warnings[0]
    # only removals (a purge-only declaration): nothing to revoke, in check mode as in the real run
    for check_mode in (True, False):
        task, warnings = run(FakeProvider([]), check_mode=check_mode, user='gone', user_domain='corp', assignments=[],
                             purge=True)
        assert task.result['changed'] is False
        assert warnings == ["nothing to revoke: fake: user 'gone' not found"]


def test_not_found_says_what_is_missing():
    exc = not_found(FakeProvider([]), 'role', 'ghost')
    assert (str(exc), exc.what) == ("fake: role 'ghost' not found", 'role')
    assert NotFoundError('project x not found', 'fake').what is None


@pytest.mark.parametrize('mode,warned', [('fail', "assignments[0]: nothing to revoke: fake: role 'x' not found"),
                                         ('warn', "assignments[0]: nothing to revoke: fake: role 'x' not found"),
                                         ('ignore', None)])
def test_missing_in_item_for_a_role_to_revoke(mode, warned):
    task = Task(FakeFrame(FakeProvider([])), dict(PARAM_DEFAULTS, on_missing=mode))
    exc = NotFoundError("role 'x' not found", 'fake', what='role')
    svc.missing_in_item(task, dict(state='absent'), 'assignments[0]', exc)
    assert task.frame.module.warnings == ([warned] if warned else [])
