"""KeystoneProvider's domain-configuration section against a scripted local HTTP server."""

import json

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone.provider import KeystoneProvider

CORP = {'id': 'd1', 'name': 'corp'}
PATH = '/v3/domains/d1/config'
SERVER_ERROR = (500, {'error': {'code': 500, 'message': 'An unexpected error prevented the server from fulfilling your request.'}}, None)


@pytest.fixture
def provider(server):
    # an unscoped token given as an option: no token request, so every request seen is ours
    warnings = []
    prov = KeystoneProvider({'auth': {'auth_url': server.url + '/v3', 'token': 'tok-123456'}},
                            warn=warnings.append, environ={})
    prov._cache_domain(dict(CORP))
    prov.warnings = warnings
    return prov


def calls(server):
    return [(r['method'], r['path']) + ((json.loads(r['body']),) if r['body'] else ()) for r in server.requests]


def test_validate_knows_the_stock_whitelist_without_a_request(server, provider):
    provider.validate_domain_config({'identity': {'driver': 'ldap'}, 'ldap': {'url': 'x', 'user_tree_dn': None}},
                                    {'ldap': {'password': 'p'}})
    assert server.requests == []


def test_validate_asks_keystone_about_unknown_options_and_reports_its_text(server, provider):
    refusal = (403, {'error': {'code': 403, 'message': 'Invalid domain specific configuration: Group assignment '
                               'is not supported for domain specific configurations.'}}, None)
    server.answer(refusal)
    with pytest.raises(ConfigError) as err:
        provider.validate_domain_config({'assignment': {'driver': 'sql', 'x': 1}}, {})
    assert str(err.value) == (
        'keystone: config: Keystone refuses assignment.driver: Invalid domain specific configuration: Group '
        'assignment is not supported for domain specific configurations (checked with GET '
        '/v3/domains/config/assignment/driver/default; nothing was written)')
    assert calls(server) == [('GET', '/v3/domains/config/assignment/driver/default')]
    # an option a Keystone adds with additional_whitelisted_options has a default: accepted
    server.answer((200, {'config': {'extra_opt': 1}}, None))
    provider.validate_domain_config({'ldap': {'extra_opt': 2}}, {'ldap': {'extra_secret': 'x'}})
    assert calls(server) == [('GET', '/v3/domains/config/ldap/extra_opt/default')]
    # a whole unknown group removed with null is checked too
    server.answer(refusal)
    with pytest.raises(ConfigError):
        provider.validate_domain_config({'assignment': None}, {})
    assert calls(server) == [('GET', '/v3/domains/config/assignment/default')]


def test_validate_routes_sensitive_options_and_masks_a_misplaced_secret(server, provider):
    with pytest.raises(ConfigError) as err:
        provider.validate_domain_config({'ldap': {'password': 'Leaked-Secret-1'}}, {})
    assert 'ldap.password is a sensitive option' in str(err.value)
    assert 'Leaked-Secret-1' in provider._no_log_values      # Ansible masks it in the echoed args
    with pytest.raises(ConfigError) as err:
        provider.validate_domain_config({}, {'ldap': {'url': 'ldap://x'}})
    assert 'sensitive_config: ldap.url is not a sensitive option' in str(err.value)
    assert server.requests == []


def test_get_config_whole_group_option_and_missing(server, provider):
    server.answer((200, {'config': {'ldap': {'url': 'x'}}}, None))
    assert provider.get_domain_config('corp') == {'ldap': {'url': 'x'}}
    server.answer((200, {'config': {'url': 'x'}}, None))
    assert provider.get_domain_config('d1', 'ldap', 'url') == {'ldap': {'url': 'x'}}
    assert calls(server) == [('GET', PATH + '/ldap/url')]
    server.answer((404, {'error': {'code': 404, 'message': 'Could not find any options'}}, None))
    assert provider.get_domain_config('corp') is None
    with pytest.raises(ConfigError):
        provider.get_domain_config('corp', 'ldap', 'password')


def test_defaults_paths(server, provider):
    server.answer((200, {'config': {'page_size': 0}}, None))
    assert provider.get_domain_config_default('ldap', 'page_size') == {'ldap': {'page_size': 0}}
    server.answer((200, {'config': {'identity': {'driver': 'sql'}}}, None))
    assert provider.get_domain_config_default('identity') == {'identity': {'driver': 'sql'}}
    assert calls(server) == [('GET', '/v3/domains/config/identity/default')]


def test_update_patches_then_deletes_with_falsy_options_made_deletable(server, provider):
    current = {'identity': {'driver': 'ldap', 'list_limit': 5},
               'ldap': {'url': 'a', 'page_size': 0, 'use_tls': False, 'user_filter': 'f', 'user': None}}
    patched = {'identity': {'driver': 'ldap', 'list_limit': 5},
               'ldap': {'url': 'b', 'page_size': '0', 'use_tls': 'false', 'user_filter': 'f', 'user': 'null'}}
    server.answer((200, {'config': patched}, None), (204, '', None))
    after = provider.update_domain_config('corp', current, {'ldap': {'url': 'b'}}, [
        ('ldap', 'page_size'), ('ldap', 'use_tls'), ('ldap', 'user_filter'), ('ldap', 'user'), ('identity', 'list_limit')])
    assert calls(server) == [
        ('PATCH', PATH, {'config': {'ldap': {'url': 'b', 'page_size': '0', 'use_tls': 'false', 'user': 'null'}}}),
        ('DELETE', PATH + '/ldap/page_size'), ('DELETE', PATH + '/ldap/use_tls'),
        ('DELETE', PATH + '/ldap/user_filter'), ('DELETE', PATH + '/ldap/user'), ('DELETE', PATH + '/identity/list_limit')]
    assert after == {'identity': {'driver': 'ldap'}, 'ldap': {'url': 'b'}}


def test_update_removing_groups_only_sends_deletes_and_tolerates_404(server, provider):
    server.answer((404, {'error': {'message': 'Could not find group ldap'}}, None))
    after = provider.update_domain_config('corp', {'identity': {'driver': 'ldap'}, 'ldap': {'url': 'a'}}, {}, [('ldap', None)])
    assert calls(server) == [('DELETE', PATH + '/ldap')]
    assert after == {'identity': {'driver': 'ldap'}}


def test_create_over_an_invisible_sensitive_only_config_warns(server, provider):
    server.answer((200, {'config': {'identity': {'driver': 'ldap'}}}, None))
    assert provider.create_domain_config('corp', {'identity': {'driver': 'ldap'}}) == {'identity': {'driver': 'ldap'}}
    assert calls(server) == [('PUT', PATH, {'config': {'identity': {'driver': 'ldap'}}})]
    assert "domain 'corp' had a configuration holding only sensitive options" in provider.warnings[0]
    server.answer((201, {'config': {'identity': {'driver': 'ldap'}}}, None))
    provider.create_domain_config('corp', {'identity': {'driver': 'ldap'}})
    assert len(provider.warnings) == 1


def test_a_new_sql_driver_is_checked_and_undone_when_keystone_cannot_load_it(server, provider):
    server.answer((201, {'config': {'identity': {'driver': 'sql'}}}, None), SERVER_ERROR, (204, '', None))
    with pytest.raises(ConfigError) as err:
        provider.create_domain_config('corp', {'identity': {'driver': 'sql'}})
    assert calls(server) == [('PUT', PATH, {'config': {'identity': {'driver': 'sql'}}}),
                             ('GET', '/v3/users?domain_id=d1&name=iamops-driver-check'), ('DELETE', PATH)]
    assert str(err.value).startswith("keystone: the configuration of domain 'corp' makes Keystone load a "
                                     "domain-specific SQL identity driver, but Keystone could not load it")
    assert str(err.value).endswith('the configuration just created was removed')

    server.answer((201, {'config': {'identity': {'driver': 'sql'}}}, None), (200, {'users': []}, None))
    provider.create_domain_config('corp', {'identity': {'driver': 'sql'}})
    assert len(server.requests) == 2                            # checked, fine, nothing undone


def test_switching_to_sql_by_removing_the_driver_sets_it_back(server, provider):
    server.answer((204, '', None), SERVER_ERROR, (200, {'config': {}}, None))
    with pytest.raises(ConfigError) as err:
        provider.update_domain_config('corp', {'identity': {'driver': 'ldap'}, 'ldap': {'url': 'a'}}, {}, [('identity', None)])
    assert calls(server) == [('DELETE', PATH + '/identity'), ('GET', '/v3/users?domain_id=d1&name=iamops-driver-check'),
                             ('PATCH', PATH, {'config': {'identity': {'driver': 'ldap'}}})]
    assert 'a configuration without identity.driver uses the SQL driver' in str(err.value)
    assert str(err.value).endswith("identity.driver was set back to 'ldap'")


def test_undo_failure_is_reported(server, provider):
    server.answer((201, {'config': {'ldap': {'url': 'a'}}}, None), SERVER_ERROR, SERVER_ERROR)
    with pytest.raises(ConfigError) as err:
        provider.create_domain_config('corp', {'ldap': {'url': 'a'}})
    assert 'undoing the change failed too (keystone: DELETE /v3/domains/d1/config failed: HTTP 500' in str(err.value)


def test_no_check_when_the_driver_stays_or_is_not_sql(server, provider):
    server.answer((200, {'config': {'identity': {'driver': 'sql', 'list_limit': 3}}}, None))
    provider.update_domain_config('corp', {'identity': {'driver': 'sql'}}, {'identity': {'list_limit': 3}})
    server.answer((201, {'config': {'identity': {'driver': 'ldap'}}}, None))
    provider.create_domain_config('corp', {'identity': {'driver': 'ldap'}})
    assert len(server.requests) == 1


def test_warnings(provider):
    assert provider.domain_config_warnings('corp', None, {'identity': {'driver': 'ldap'}}, True) == []
    found = provider.domain_config_warnings('corp', {'identity': {'driver': 'ldap'}}, {'ldap': {'url': 'x'}}, True)
    assert len(found) == 2
    assert "domain 'corp' has ldap options but no identity.driver" in found[0]
    assert 'check mode cannot tell' in found[1]
    assert len(provider.domain_config_warnings('corp', None, {'identity': {'driver': 'sql'}}, False)) == 0


def test_user_errors_of_a_broken_domain_explain_its_backend(server, provider):
    server.answer(SERVER_ERROR, (200, {'config': {'identity': {'driver': 'ldap'}, 'ldap': {'url': 'ldap://dir:389'}}}, None))
    with pytest.raises(APIError) as err:
        list(provider.list_users(domain='corp'))
    assert calls(server) == [('GET', '/v3/users?domain_id=d1&limit=1000'), ('GET', PATH)]
    assert ("(Keystone could not read the users of domain 'corp': its identity driver is ldap: the LDAP server "
            "of its domain configuration (ldap://dir:389) is unreachable") in str(err.value)
    server.answer(SERVER_ERROR, (200, {'config': {'identity': {'driver': 'sql'}}}, None))
    with pytest.raises(APIError) as err:
        list(provider.list_users(domain='corp'))
    assert 'its domain configuration selects the SQL identity driver, which Keystone allows for one domain only' in str(err.value)
    server.answer(SERVER_ERROR, (404, {'error': {'message': 'Could not find any options'}}, None))
    with pytest.raises(APIError) as err:
        list(provider.list_users(domain='corp'))
    assert 'its identity backend failed' in str(err.value)
