"""Pure helpers of identity_domain_config: value comparison, shape rules and the plan."""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.modules import identity_domain_config as mod
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone import domain_config as keystone

MASK = '********'


def plan(*args, **kwargs):
    """The module's plan, values compared the way Keystone reads them."""
    return mod.plan(*args, value=keystone.canonical, **kwargs)


CURRENT = {'identity': {'driver': 'ldap', 'list_limit': 100},
           'ldap': {'url': 'ldap://a', 'page_size': 0, 'user_filter': '(uid=*)', 'use_tls': False}}


@pytest.mark.parametrize('left,right', [
    (5, '5'), (True, 'True'), (True, 'true'), (False, 'FALSE'), (['a', 'b'], 'a,b'), (0, '0'), ('x', 'x')])
def test_canonical_equal(left, right):
    assert keystone.canonical(left) == keystone.canonical(right)


@pytest.mark.parametrize('left,right', [(5, '6'), (True, 'yes'), (False, 0), ('a', 'A'), (['a'], 'a,b'), ('', None)])
def test_canonical_different(left, right):
    assert keystone.canonical(left) != keystone.canonical(right)


@pytest.mark.parametrize('config,sensitive,expected', [
    ({'ldap': 'x'}, {}, 'config: the value of group ldap should be a dictionary of options'),
    ({'ldap': {}}, {}, 'config: the value of group ldap should be a dictionary of options'),
    ({}, {'ldap': None}, 'sensitive_config: group ldap is null'),
    ({}, {'ldap': {'password': None}}, 'sensitive_config: ldap.password is null'),
    ({'ldap': None}, {'ldap': {'password': 'x'}}, 'config removes group ldap (null) but sensitive_config sets options in it'),
])
def test_check_shape_refuses(config, sensitive, expected):
    with pytest.raises(ConfigError) as err:
        keystone.check_shape(config, sensitive, 'keystone')
    assert str(err.value).startswith('keystone: ' + expected)


def test_check_shape_accepts_nulls_in_config():
    keystone.check_shape({'ldap': {'url': None}, 'identity': None}, {'ldap': {'password': 'x'}}, 'keystone')


def test_plan_create_sends_everything_and_masks_the_secret():
    planned = plan(None, {'identity': {'driver': 'ldap'}, 'ldap': {'url': 'ldap://a', 'user': None}},
                   {'ldap': {'password': 's3cret'}}, purge=False, send_secrets=True)
    assert planned['set'] == {'identity': {'driver': 'ldap'}, 'ldap': {'url': 'ldap://a', 'password': 's3cret'}}
    assert planned['remove'] == []
    assert planned['before'] == {}
    assert planned['after'] == {'identity': {'driver': 'ldap'}, 'ldap': {'url': 'ldap://a', 'password': MASK}}
    assert planned['config'] == {'identity': {'driver': 'ldap'}, 'ldap': {'url': 'ldap://a'}}


def test_plan_merge_sets_only_what_differs():
    planned = plan(CURRENT, {'ldap': {'url': 'ldap://b', 'page_size': '0', 'use_tls': 'False', 'suffix': 'dc=x'}},
                   {'ldap': {'password': 's3cret'}}, purge=False, send_secrets=False)
    assert planned['set'] == {'ldap': {'url': 'ldap://b', 'suffix': 'dc=x'}}
    assert planned['remove'] == []
    assert planned['before'] == {'ldap': {'url': 'ldap://a'}}
    assert planned['after'] == {'ldap': {'url': 'ldap://b', 'suffix': 'dc=x'}}
    assert planned['config']['ldap'] == dict(CURRENT['ldap'], url='ldap://b', suffix='dc=x')


def test_plan_identical_is_empty():
    planned = plan(CURRENT, CURRENT, {}, purge=True, send_secrets=False)
    assert (planned['set'], planned['remove'], planned['before'], planned['after']) == ({}, [], {}, {})
    assert planned['config'] == CURRENT


def test_plan_always_resends_secrets():
    planned = plan(CURRENT, {}, {'ldap': {'password': 's3cret'}}, purge=False, send_secrets=True)
    assert planned['set'] == {'ldap': {'password': 's3cret'}}
    assert planned['before'] == {} and planned['after'] == {'ldap': {'password': MASK}}
    assert planned['config'] == CURRENT


def test_plan_nulls_remove_options_and_groups():
    planned = plan(CURRENT, {'ldap': {'user_filter': None, 'suffix': None}, 'identity': None},
                   {}, purge=False, send_secrets=False)
    assert planned['set'] == {}
    assert planned['remove'] == [('ldap', 'user_filter'), ('identity', None)]
    assert planned['before'] == {'ldap': {'user_filter': '(uid=*)'}, 'identity': CURRENT['identity']}
    assert planned['after'] == {}
    assert planned['config'] == {'ldap': {'url': 'ldap://a', 'page_size': 0, 'use_tls': False}}


def test_plan_purge_removes_in_sorted_order_and_keeps_groups_named_by_secrets():
    planned = plan(CURRENT, {'ldap': {'url': 'ldap://a'}}, {}, purge=True, send_secrets=False)
    assert planned['remove'] == [('identity', None), ('ldap', 'page_size'), ('ldap', 'use_tls'), ('ldap', 'user_filter')]
    assert planned['config'] == {'ldap': {'url': 'ldap://a'}}
    # the identity group is named by sensitive_config (even when its secrets are not sent)
    planned = plan(CURRENT, {'ldap': {'url': 'ldap://a'}}, {'identity': {'x': 'y'}}, purge=True, send_secrets=False)
    assert planned['remove'][:2] == [('identity', 'driver'), ('identity', 'list_limit')]
    assert planned['config'] == {'ldap': {'url': 'ldap://a'}}


def test_plan_removing_everything_predicts_no_config():
    planned = plan({'ldap': {'url': 'x'}}, {'ldap': None}, {}, purge=False, send_secrets=False)
    assert planned['remove'] == [('ldap', None)] and planned['config'] is None
