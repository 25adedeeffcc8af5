"""Task.find_renamed (the new_name lookup shared by identity_user and identity_group) and the batch
refusal of two items renaming to one name, without HTTP."""

import re
import types

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils._module import IdentityModule, Task


class Failed(Exception):
    pass


def task(**params):
    frame = types.SimpleNamespace(provider=types.SimpleNamespace(name='fake'))
    return Task(frame, dict(dict(state='present', new_name=None), **params))


def finder(*objs, fold=False):
    asked = []

    def find(name):
        asked.append(name)
        key = name.lower() if fold else name
        return next((o for o in objs if (o['name'].lower() if fold else o['name']) == key), None)
    return find, asked


ADA = {'id': '1', 'name': 'ada'}


def test_without_new_name_one_lookup():
    find, asked = finder(ADA)
    assert task(name='ada').find_renamed(find, 'user') == (ADA, 'ada') and asked == ['ada']


def test_rename_renamed_already_and_case_only():
    find, asked = finder(ADA)
    assert task(name='ada', new_name='lovelace').find_renamed(find, 'user') == (ADA, 'ada')
    assert asked == ['ada', 'lovelace']
    done = {'id': '1', 'name': 'lovelace'}
    assert task(name='ada', new_name='lovelace').find_renamed(finder(done)[0], 'user') == (done, 'lovelace')
    # a server that ignores case finds one user under both names: that user is renamed
    assert task(name='ada', new_name='Ada').find_renamed(finder(ADA, fold=True)[0], 'user') == (ADA, 'ada')


def test_neither_two_objects_and_absent_are_refused():
    with pytest.raises(NotFoundError, match="user 'ada' not found, so it cannot be renamed to 'x'"):
        task(name='ada', new_name='x').find_renamed(finder()[0], 'user')
    with pytest.raises(ConfigError, match="cannot rename group 'ada' to 'bob': another group is called 'bob' already"):
        task(name='ada', new_name='bob').find_renamed(finder(ADA, {'id': '2', 'name': 'bob'})[0], 'group')
    find, asked = finder(ADA)
    with pytest.raises(ConfigError, match='new_name is given with state=absent'):
        task(name='ada', new_name='x', state='absent').find_renamed(find, 'user')
    assert asked == []


def fail_json(**result):
    raise Failed(result['msg'])


def frame(fold=False):
    module = types.SimpleNamespace(fail_json=fail_json)
    spec = types.SimpleNamespace(name_key=(lambda n: n.casefold()) if fold else (lambda n: n))
    return types.SimpleNamespace(module=module, spec=spec)


def items(*pairs, **common):
    return [Task(None, dict(dict(dict(domain=None, state='present'), **common), name=n, new_name=m)) for n, m in pairs]


@pytest.mark.parametrize('pairs,fold,msg', [
    ((('a', 'x'), ('b', 'x')), False, "users[0] new_name and users[1] new_name both name 'x'"),
    ((('a', 'b'), ('b', None)), False, "users[0] new_name and users[1] name both name 'b'"),
    ((('a', 'x'), ('b', 'X')), True, "users[0] new_name and users[1] new_name both name 'X'"),
])
def test_batch_renames_onto_one_name_refused(pairs, fold, msg):
    with pytest.raises(Failed, match=re.escape(msg)):
        IdentityModule._refuse_renames(frame(fold), items(*pairs), 'users')


def test_batch_distinct_renames_pass_and_absent_refused():
    IdentityModule._refuse_renames(frame(), items(('a', 'x'), ('b', 'y'), ('c', None), ('x2', 'X')), 'users')
    with pytest.raises(Failed, match=r'users\[0\]: new_name is given with state=absent'):
        IdentityModule._refuse_renames(frame(), items(('a', 'x'), state='absent'), 'users')
