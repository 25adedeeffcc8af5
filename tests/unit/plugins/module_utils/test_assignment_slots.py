"""The assignment service's slots and floor roles (``Provider.assignment_slot``/``revocable``),
proven with an in-memory provider whose users hold one role each (as on Posit Connect), through
identity_role_assignment run in-process."""

import importlib
import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.iamops.identity.plugins.module_utils._errors import NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils.providers import _registry
from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider
from ansible_collections.iamops.identity.plugins.module_utils.providers._spec import Capability, ProviderSpec

ROLES = ('admin', 'editor', 'reader')   # reader: the floor


class OneRoleProvider(Provider):
    name = 'onerole'
    db = None

    def resolve_user(self, ref, domain=None, known=()):
        if ref not in self.db['roles']:
            raise NotFoundError('user %r not found' % ref, self.name)
        return {'id': 'u-' + ref, 'name': ref}

    def resolve_assignment(self, kind, actor, item):
        return {'role': {'id': item['role'], 'name': item['role']}, 'user': {'id': actor['id'], 'name': actor['name']}}

    def assignment_key(self, assignment):
        return assignment['role']['name']

    def assignment_slot(self, assignment):
        return 'role'

    def revocable(self, assignment):
        return assignment['role']['name'] != 'reader'

    def list_actor_assignments(self, kind, actor):
        role = self.db['roles'][actor['name']]
        return [{'role': {'id': role, 'name': role}, 'user': dict(actor)}], True

    def grant(self, assignment):
        self.db['writes'].append(('grant', assignment['user']['name'], assignment['role']['name']))
        self.db['roles'][assignment['user']['name']] = assignment['role']['name']

    def revoke(self, assignment):
        user, role = assignment['user']['name'], assignment['role']['name']
        if self.db['roles'][user] == role:   # a replaced role is gone already
            self.db['writes'].append(('revoke', user, role))
            self.db['roles'][user] = 'reader'


SPEC = ProviderSpec(name='onerole', title='One role per user', options={'onerole_url': dict(type='str')},
                    detect_options=('onerole_url',),
                    capabilities={'identity_role_assignment': Capability(('role', 'user', 'assignments', 'purge'))})


@pytest.fixture
def db(monkeypatch):
    monkeypatch.setattr(_registry, 'REGISTRY', _registry.REGISTRY + ((SPEC, lambda: OneRoleProvider),))
    monkeypatch.setattr(_registry, 'SPECS', _registry.SPECS + (SPEC,))
    monkeypatch.setattr(_registry, 'NAMES', _registry.NAMES + ('onerole',))
    for name in [k for k in __import__('os').environ if k.startswith(('OS_', 'CONNECT_'))]:
        monkeypatch.delenv(name)
    OneRoleProvider.db = {'roles': {'ann': 'editor', 'bob': 'reader'}, 'writes': []}
    return OneRoleProvider.db


def run(capsys, _check=False, **args):
    args.update(onerole_url='memory://', _ansible_check_mode=_check, _ansible_diff=True)
    mod = importlib.import_module('ansible_collections.iamops.identity.plugins.modules.identity_role_assignment')
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            mod.main()
    return json.loads(capsys.readouterr().out)


def test_a_grant_replaces_the_role_in_its_slot_and_shows_it_revoked(db, capsys):
    result = run(capsys, user='ann', role='admin')
    assert result['changed'] is True and db['roles']['ann'] == 'admin'
    assert db['writes'] == [('grant', 'ann', 'admin')]      # the replaced role costs no write
    assert result['diff'] == {'prepared': '- editor\n+ admin\n'}
    listed = run(capsys, user='ann', assignments=[dict(role='admin')])
    assert [a['role']['name'] for a in listed['assignments']] == ['admin'] and listed['changed'] is False


def test_two_roles_wanted_in_one_slot_are_refused_before_any_write(db, capsys):
    result = run(capsys, user='ann', assignments=[dict(role='admin'), dict(role='reader')])
    assert result['failed'] is True and 'holds only one role' in result['msg']
    assert db['writes'] == []


def test_the_floor_is_never_revoked(db, capsys):
    assert run(capsys, user='bob', role='reader', state='absent')['changed'] is False
    purged = run(capsys, user='bob', assignments=[], purge=True)
    assert purged['changed'] is False and purged['purged'] == [] and db['writes'] == []
    demoted = run(capsys, user='ann', assignments=[], purge=True)
    assert demoted['changed'] is True and db['roles']['ann'] == 'reader'
    assert db['writes'] == [('revoke', 'ann', 'editor')]


def test_check_mode_predicts_the_replacement_without_writing(db, capsys):
    result = run(capsys, _check=True, user='ann', role='reader')
    assert result['changed'] is True and db['writes'] == [] and db['roles']['ann'] == 'editor'
    assert result['diff'] == {'prepared': '- editor\n+ reader\n'}
