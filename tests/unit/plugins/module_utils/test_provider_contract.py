"""The provider contract made true: every method the modules and services call on a provider is
declared on ``providers/_base.Provider`` (so a provider that lacks one fails clearly, never with an
AttributeError), the neutral defaults a provider inherits, and what the specs declare for the frame."""

import ast
import pathlib

import pytest

from ansible_collections.iamops.identity.plugins.module_utils import _module
from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers import _registry
from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider

PLUGINS = pathlib.Path(_module.__file__).resolve().parents[1]
CALLERS = sorted(PLUGINS.glob('modules/*.py')) + [PLUGINS / 'module_utils' / name for name in (
    '_membership.py', '_assignments.py', '_module.py')]


def _provider_attributes(path):
    """Attributes read on anything named ``provider`` (``provider.x``, ``task.provider.x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute):
            owner = node.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, 'attr', None)
            if name == 'provider':
                found.add(node.attr)
    return found


@pytest.mark.parametrize('path', CALLERS, ids=lambda p: p.name)
def test_every_attribute_called_on_a_provider_is_declared_on_the_base(path):
    base = Provider({})
    called = _provider_attributes(path)
    assert sorted(name for name in called if not hasattr(base, name)) == []


def test_the_scan_finds_the_calls():
    called = set().union(*(_provider_attributes(path) for path in CALLERS))
    assert set(['find_user', 'apply_memberships', 'blind_spots', 'check_domain_config_shape']) <= called


def test_the_scan_sees_a_missing_method():
    sample = pathlib.Path(__file__).with_name('_contract_sample.txt')
    sample.write_text('def f(task):\n    task.provider.no_such_method()\n')
    try:
        assert 'no_such_method' in _provider_attributes(sample)
        assert not hasattr(Provider({}), 'no_such_method')
    finally:
        sample.unlink()


def test_a_provider_compares_configuration_values_as_given_by_default():
    provider = Provider({})
    assert provider.domain_config_value('5') == '5' and provider.domain_config_value(5) != '5'


@pytest.mark.parametrize('config,sensitive,expected', [
    ({'g': 'x'}, {}, 'config: the value of group g should be a dictionary of options'),
    ({'g': {}}, {}, 'config: the value of group g should be a dictionary of options'),
    ({'g': None}, {'g': {'p': 'x'}}, 'config removes group g (null) but sensitive_config sets options in it'),
    ({}, {'g': None}, 'sensitive_config: the value of group g should be a dictionary of options'),
    ({}, {'g': {'p': None}}, 'sensitive_config: an option of group g is null'),
])
def test_the_default_shape_check_names_no_provider(config, sensitive, expected):
    provider = Provider({})
    provider.name = 'any'
    with pytest.raises(ConfigError) as err:
        provider.check_domain_config_shape(config, sensitive)
    assert str(err.value).startswith('any: ' + expected) and 'Keystone' not in str(err.value)
    provider.check_domain_config_shape({'g': {'o': None}, 'h': None}, {'g': {'p': 'x'}})  # fine


def test_choices_come_from_the_providers_capabilities():
    choices = _registry.option_choices('identity_user')
    assert choices['user_role'] == ['administrator', 'publisher', 'viewer']
    assert 'salt+sha256' in choices['password_algorithm']
    assert _registry.option_choices('identity_role_assignment') == {'system': ['all']}
    spec = _module.with_choices({'system': dict(type='str'), 'assignments': dict(
        type='list', elements='dict', options={'system': dict(type='str')})}, {'system': ['all']}, 'assignments')
    assert spec['system']['choices'] == ['all'] and spec['assignments']['options']['system']['choices'] == ['all']


def test_clearable_options_are_the_selected_providers():
    specs = dict((spec.name, spec) for spec in _registry.SPECS)
    assert 'phone' in specs['onelogin'].clearable['identity_user']
    assert 'phone' not in specs['keystone'].clearable['identity_user']
    assert 'identity_user' not in specs['authress'].clearable
    assert _module.CLEARABLE == frozenset(['query'])
