"""A skeleton provider - a flat directory, no domains, no HTTP - runs every module through the
contract (registry, capability checks, intent methods), so the contract is proven by something
that is not Keystone. Each module runs in-process exactly as Ansible would run it (its main(),
argument spec, exit_json/fail_json); the provider counts its writes.
"""

import importlib
import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils.providers import _registry
from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider
from ansible_collections.iamops.identity.plugins.module_utils.providers._spec import Capability, ProviderSpec


class FlatProvider(Provider):
    """Users, groups and roles held on users (OneLogin-like), all in memory."""

    name = 'flat'
    state = None  # the "server": shared by every run of a test

    def __init__(self, params, warn=None, no_log_values=None):
        super(FlatProvider, self).__init__(params, warn, no_log_values)
        self.db = FlatProvider.state

    def _write(self, *what):
        self.db['writes'].append(what)

    # users
    def find_user(self, name, domain=None, cached=True):
        found = self.db['users'].get(name)
        return dict(found) if found else None

    def list_users(self, name=None, domain=None, filters=None):
        for user in sorted(self.db['users'].values(), key=lambda u: u['name']):
            if name in (None, user['name'], user['id']):
                yield dict(user, raw=dict(user))   # info: the common model, the "vendor" record beside it

    def create_user(self, fields, domain=None):
        if self.db.get('down'):
            raise APIError(self.name, 'POST', '/users', reason='cannot connect to http://flat', transient=True)
        if fields['name'] in self.db.get('racing', ()):  # another run creates it first
            self.db['users'][fields['name']] = {'id': 'u-other', 'name': fields['name'], 'domain_id': None,
                                                'email': 'other@example.com'}
            raise APIError(self.name, 'POST', '/users', status=409, server_message='Duplicate entry')
        self._write('create_user', fields['name'])
        user = dict(fields, id='u-' + fields['name'], domain_id=None)
        user.pop('password', None)
        self.db['users'][fields['name']] = user
        return dict(user)

    def update_user(self, user, fields):
        self._write('update_user', user['name'])
        self.db['users'][user['name']].update((k, v) for k, v in fields.items() if k != 'password')
        return dict(self.db['users'][user['name']])

    def delete_user(self, user):
        self._write('delete_user', user['name'])
        del self.db['users'][user['name']]

    def resolve_user(self, ref, domain=None, known=()):
        for user in list(known) + list(self.db['users'].values()):
            if ref in (user['name'], user['id']):
                return dict(user)
        raise NotFoundError('user %r not found' % ref, self.name)

    # groups
    def find_group(self, name, domain=None, cached=True):
        found = self.db['groups'].get(name)
        return dict(found) if found else None

    def list_groups(self, name=None, domain=None):
        for group in sorted(self.db['groups'].values(), key=lambda g: g['name']):
            if name in (None, group['name'], group['id']):
                yield dict(group, raw=dict(group))

    def create_group(self, fields, domain=None):
        self._write('create_group', fields['name'])
        group = dict(fields, id='g-' + fields['name'], domain_id=None)
        self.db['groups'][fields['name']] = group
        return dict(group)

    def update_group(self, group, fields):
        self._write('update_group', group['name'])
        self.db['groups'][group['name']].update(fields)
        return dict(self.db['groups'][group['name']])

    def delete_group(self, group):
        self._write('delete_group', group['name'])
        del self.db['groups'][group['name']]

    def resolve_group(self, ref, domain=None, known=()):
        for group in list(known) + list(self.db['groups'].values()):
            if ref in (group['name'], group['id']):
                return dict(group)
        raise NotFoundError('group %r not found' % ref, self.name)

    def group_members(self, group):
        return [dict(self.db['users'][n]) for n in sorted(self.db['members'].get(group['name'], ()))]

    def user_groups(self, user, among=None):
        return [dict(g) for name, g in sorted(self.db['groups'].items())
                if user['name'] in self.db['members'].get(name, ())]

    def add_group_user(self, group, user):
        self._write('add_member', group['name'], user['name'])
        self.db['members'].setdefault(group['name'], set()).add(user['name'])

    def remove_group_user(self, group, user):
        self._write('remove_member', group['name'], user['name'])
        self.db['members'][group['name']].discard(user['name'])

    # roles on users
    def resolve_assignment(self, kind, actor, item):
        if item['role'] not in self.db['roles']:
            raise NotFoundError('role %r not found' % item['role'], self.name)
        return {'role': {'id': 'r-' + item['role'], 'name': item['role']},
                'user': {'id': actor['id'], 'name': actor['name']}}

    def assignment_key(self, assignment):
        return assignment['role']['id']

    def list_actor_assignments(self, kind, actor):
        return [{'role': {'id': 'r-' + r, 'name': r}, 'user': {'id': actor['id'], 'name': actor['name']}}
                for r in sorted(self.db['user_roles'].get(actor['name'], ()))], True

    def grant(self, assignment):
        self._write('grant', assignment['user']['name'], assignment['role']['name'])
        self.db['user_roles'].setdefault(assignment['user']['name'], set()).add(assignment['role']['name'])

    def revoke(self, assignment):
        self._write('revoke', assignment['user']['name'], assignment['role']['name'])
        self.db['user_roles'][assignment['user']['name']].discard(assignment['role']['name'])

    def assignment_filters(self, params):
        return {'user': self.resolve_user(params['user']) if params.get('user') else None}

    def list_role_assignments(self, filters=None, **kwargs):
        user = (filters or {}).get('user')
        for name in sorted(self.db['user_roles']):
            if user is None or user['name'] == name:
                for role in sorted(self.db['user_roles'][name]):
                    yield {'role': {'name': role}, 'user': {'name': name}, 'raw': {'login': name, 'role': role}}


SPEC = ProviderSpec(
    name='flat', title='Flat test directory',
    options={'flat_url': dict(type='str')}, detect_options=('flat_url',), env={'flat_url': ['FLAT_URL']},
    capabilities={
        'identity_user': Capability(('name', 'email', 'description', 'enabled', 'password', 'update_password',
                                     'groups', 'purge_groups', 'users')),
        'identity_user_info': Capability(('name',), states=None),
        'identity_group': Capability(('name', 'description', 'users', 'purge_users', 'groups')),
        'identity_group_info': Capability(('name', 'with_members'), states=None),
        'identity_role_assignment': Capability(('role', 'user', 'assignments', 'purge'),
                                               reasons={'group': 'roles are held by users only'}),
        'identity_role_assignment_info': Capability(('user',), states=None),
    },
    unsupported={'identity_domain_config': 'a flat directory has no domains'},
)


@pytest.fixture
def flat(monkeypatch):
    monkeypatch.setattr(_registry, 'REGISTRY', _registry.REGISTRY + ((SPEC, lambda: FlatProvider),))
    monkeypatch.setattr(_registry, 'SPECS', _registry.SPECS + (SPEC,))
    monkeypatch.setattr(_registry, 'NAMES', _registry.NAMES + ('flat',))
    for name in [k for k in __import__('os').environ if k.startswith('OS_')]:
        monkeypatch.delenv(name)
    FlatProvider.state = {'users': {}, 'groups': {}, 'members': {}, 'roles': {'admin', 'viewer'},
                          'user_roles': {}, 'writes': []}
    return FlatProvider.state


def run(capsys, module, _check=False, _diff=True, **args):
    """Run ``module`` in-process like Ansible does; returns its JSON result."""
    args.setdefault('flat_url', 'memory://')
    args.update(_ansible_check_mode=_check, _ansible_diff=_diff)
    mod = importlib.import_module('ansible_collections.iamops.identity.plugins.modules.' + module)
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            mod.main()
    return json.loads(capsys.readouterr().out)


def test_user_lifecycle_with_groups_check_mode_and_reruns(flat, capsys):
    flat['groups']['staff'] = {'id': 'g-staff', 'name': 'staff', 'domain_id': None, 'description': None}
    args = dict(name='jdoe', email='j@example.com', password='S3cret-pw', groups=['staff'])
    predicted = run(capsys, 'identity_user', _check=True, **args)
    assert predicted['changed'] is True and flat['writes'] == []
    assert predicted['user']['id'] is None and predicted['groups'][0]['name'] == 'staff'
    created = run(capsys, 'identity_user', **args)
    assert created['changed'] is True
    assert flat['writes'] == [('create_user', 'jdoe'), ('add_member', 'staff', 'jdoe')]
    assert created['diff']['after']['password'] == '********'
    assert 'S3cret-pw' not in json.dumps(created)
    assert flat['members']['staff'] == {'jdoe'}
    again = run(capsys, 'identity_user', **args)
    assert again['changed'] is False and len(flat['writes']) == 2
    run(capsys, 'identity_user', name='jdoe', enabled=False, groups=[], purge_groups=True)
    assert flat['users']['jdoe']['enabled'] is False and flat['members']['staff'] == set()
    gone = run(capsys, 'identity_user', name='jdoe', state='absent')
    assert gone['changed'] is True and 'jdoe' not in flat['users']


def test_check_mode_chain_predicts_a_group_an_earlier_task_would_create(flat, capsys):
    result = run(capsys, 'identity_user', _check=True, name='bob', groups=['newteam'])
    assert result['changed'] is True and flat['writes'] == []
    assert [g['name'] for g in result['groups']] == ['newteam']
    assert any('check mode takes it as created' in str(w) for w in result['warnings']), result
    real = run(capsys, 'identity_user', name='bob', groups=['newteam'])
    assert real['failed'] is True and "group 'newteam' not found" in real['msg']


def test_batch_form_and_duplicates(flat, capsys):
    result = run(capsys, 'identity_user', users=[dict(name='a'), dict(name='b', email='b@x')])
    assert result['changed'] is True and sorted(flat['users']) == ['a', 'b']
    assert [r['changed'] for r in result['results']] == [True, True]
    dup = run(capsys, 'identity_user', users=[dict(name='a'), dict(name='a', email='x')])
    assert dup['failed'] is True and 'users[0] and users[1] are about the same object' in dup['msg']
    empty = run(capsys, 'identity_user', users=[])
    assert empty['changed'] is False and empty['results'] == []


def test_groups_and_members(flat, capsys):
    flat['users']['ann'] = {'id': 'u-ann', 'name': 'ann', 'domain_id': None}
    created = run(capsys, 'identity_group', name='ops', description='Ops', users=['ann'])
    assert created['changed'] is True and flat['members']['ops'] == {'ann'}
    assert run(capsys, 'identity_group', name='ops', description='Ops', users=['ann'])['changed'] is False
    info = run(capsys, 'identity_group_info', name='ops', with_members=True)
    assert info['groups'][0]['name'] == 'ops' and info['groups'][0]['users'][0]['name'] == 'ann'
    assert info['groups'][0]['raw']['name'] == 'ops'
    assert 'subgroups' not in info['groups'][0]          # the skeleton's groups hold no groups
    refused = run(capsys, 'identity_group', name='ops', subgroups=['other'])
    assert refused['failed'] is True and refused['msg'] == 'flat does not support option subgroups of identity_group'


def test_roles_on_users_with_purge(flat, capsys):
    flat['users']['ann'] = {'id': 'u-ann', 'name': 'ann', 'domain_id': None}
    flat['user_roles']['ann'] = {'viewer'}
    result = run(capsys, 'identity_role_assignment', user='ann', purge=True, assignments=[dict(role='admin')])
    assert result['changed'] is True and flat['user_roles']['ann'] == {'admin'}
    assert [w[0] for w in flat['writes']] == ['grant', 'revoke']
    assert result['purged'][0]['role']['name'] == 'viewer'
    again = run(capsys, 'identity_role_assignment', user='ann', purge=True, assignments=[dict(role='admin')])
    assert again['changed'] is False and len(flat['writes']) == 2
    info = run(capsys, 'identity_role_assignment_info', user='ann')
    assert info['role_assignments'] == [{'role': {'name': 'admin'}, 'user': {'name': 'ann'},
                                         'raw': {'login': 'ann', 'role': 'admin'}}]


@pytest.mark.parametrize('module,args,message', [
    ('identity_user', dict(name='x', domain='corp'), 'flat does not support option domain of identity_user'),
    ('identity_user', dict(users=[dict(name='x', default_project='p')]),
     'flat does not support users[0]: option default_project of identity_user'),
    ('identity_role_assignment', dict(group='ops', role='admin'),
     'flat does not support option group of identity_role_assignment (roles are held by users only)'),
    ('identity_domain_config', dict(domain='x', config={}),
     'flat does not support identity_domain_config (a flat directory has no domains)'),
    ('identity_domain_config_info', dict(domain='x'), 'flat does not support identity_domain_config_info'),
    ('identity_user', dict(name='x', groups=['g', dict(name='h', domain='corp')]),
     'flat does not support option groups[1].domain of identity_user'),
    ('identity_user', dict(users=[dict(name='x', groups=[dict(name='h', domain='corp')])]),
     'flat does not support users[0]: option groups[0].domain of identity_user'),
    ('identity_user', dict(name='x', cloud='prod'), 'option cloud belongs to provider keystone, but provider flat is selected'),
])
def test_what_the_provider_cannot_do_fails_before_any_request(flat, capsys, module, args, message):
    result = run(capsys, module, provider='flat', **args)
    assert result['failed'] is True
    assert message in result['msg'], result['msg']
    assert flat['writes'] == []


def test_provider_inferred_from_its_settings_or_refused_when_ambiguous(flat, capsys, monkeypatch):
    assert run(capsys, 'identity_user_info', name='nobody')['users'] == []     # flat_url given: inferred
    monkeypatch.setenv('OS_CLOUD', 'prod')
    both = run(capsys, 'identity_user_info', name='nobody')
    assert both['failed'] is True and 'several providers are present (keystone, flat)' in both['msg'].replace('the settings of ', '')
    monkeypatch.setenv('FLAT_URL', 'memory://')
    assert run(capsys, 'identity_user_info', provider='flat', flat_url=None, name='nobody')['users'] == []


def test_query_is_checked_before_any_request_and_applied_after(flat, capsys):
    flat['users']['ann'] = {'id': 'u-ann', 'name': 'ann', 'domain_id': None}
    assert run(capsys, 'identity_user_info', query='length(users)')['query_result'] == 1
    bad = run(capsys, 'identity_user_info', query='users[?')
    assert bad['failed'] is True and bad['msg'].startswith("invalid query 'users[?': ")


def test_a_create_that_loses_a_race_adopts_the_object_and_reconciles_it(flat, capsys):
    flat['racing'] = {'jdoe'}
    result = run(capsys, 'identity_user', name='jdoe', email='j@example.com', password='Pw-123456')
    assert result['changed'] is True and 'failed' not in result
    assert flat['users']['jdoe']['email'] == 'j@example.com'          # reconciled with the task
    assert flat['writes'] == [('update_user', 'jdoe')]                  # no second create
    assert any('created by someone else meanwhile' in str(w) for w in result['warnings'])


def test_a_batch_stops_when_the_server_stops_answering(flat, capsys):
    flat['users']['a'] = {'id': 'u-a', 'name': 'a', 'domain_id': None, 'email': 'a@x'}
    flat['down'] = True
    result = run(capsys, 'identity_user', users=[dict(name='a', email='a@x'), dict(name='b'), dict(name='c'),
                                                 dict(name='d')])
    assert result['failed'] is True
    assert [r.get('skipped', False) for r in result['results']] == [False, False, True, True]
    assert 'done before (1): name=a' in result['msg']
    assert 'not attempted (2): name=c; name=d' in result['msg']


@pytest.mark.parametrize('args,message', [
    (dict(name=' jdoe'), "name: ' jdoe' has leading or trailing spaces"),
    (dict(name='jdoe', groups=['staff ']), "groups: 'staff ' has leading or trailing spaces"),
    (dict(users=[dict(name='ok'), dict(name='bad ')]), "users[1]: name: 'bad ' has leading or trailing spaces"),
    (dict(name='   '), "name: '   ' is empty"),
])
def test_names_the_server_would_trim_are_refused_before_any_request(flat, capsys, args, message):
    result = run(capsys, 'identity_user', **args)
    assert result['failed'] is True and message in result['msg'], result['msg']
    assert flat['writes'] == []


def test_a_secret_put_in_extra_never_shows(flat, capsys, monkeypatch):
    SPEC.capabilities['identity_user'].options |= {'extra'}
    try:
        result = run(capsys, 'identity_user', name='x', extra={'badge': 'B-1', 'api_token': 'Tok-Secret-99'},
                     _ansible_verbosity=4)
    finally:
        SPEC.capabilities['identity_user'].options -= {'extra'}
    text = json.dumps(result)
    assert 'Tok-Secret-99' not in text and 'B-1' in text


STANDARD_KEYS = {'changed', 'failed', 'msg', 'invocation', 'warnings', 'deprecations', 'diff', 'skipped'}


def returned_documented(module):
    import yaml
    mod = importlib.import_module('ansible_collections.iamops.identity.plugins.modules.' + module)
    return yaml.safe_load(mod.RETURN) or {}


@pytest.mark.parametrize('module,args', [
    ('identity_user', dict(name='ann', groups=['staff'])),
    ('identity_user', dict(users=[dict(name='bob')])),
    ('identity_user_info', dict(query='users[].name')),
    ('identity_group', dict(name='staff', users=['ann'])),
    ('identity_group', dict(groups=[dict(name='ops')])),
    ('identity_group_info', dict(with_members=True, query='groups[].name')),
    ('identity_role_assignment', dict(user='ann', role='admin')),
    ('identity_role_assignment', dict(user='ann', purge=True, assignments=[dict(role='viewer')])),
    ('identity_role_assignment_info', dict(user='ann', query='role_assignments')),
])
def test_every_returned_key_is_documented_in_return(flat, capsys, module, args):
    flat['users']['ann'] = {'id': 'u-ann', 'name': 'ann', 'domain_id': None}
    flat['groups']['staff'] = {'id': 'g-staff', 'name': 'staff', 'domain_id': None, 'description': None}
    result = run(capsys, module, **args)
    assert result.get('failed') is not True, result
    documented = returned_documented(module)
    assert set(result) - STANDARD_KEYS <= set(documented), set(result) - STANDARD_KEYS - set(documented)
    for key, doc in documented.items():
        if doc.get('returned') == 'always':
            assert key in result, key


def test_modules_of_a_provider_that_reports_document_what_it_reports():
    from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin.spec import SPEC as ONELOGIN
    for module in ONELOGIN.capabilities:
        assert 'rate_limit' in returned_documented(module), module
