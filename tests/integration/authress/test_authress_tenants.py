"""identity_domain_config(_info) with Authress tenants: create, update, delete, diff, reruns."""

from authress_fixtures import access_key, authress_env, emulator, emulator_server, run_module, service_key  # noqa: F401 pylint: disable=unused-import

ACME = {'tenant': {'name': 'Acme', 'lookup_identifier': 'acme', 'domains': ['acme.example'], 'connection_id': 'con_okta'}}


def tenant(emulator, tenant_id):
    return emulator.dump()['tenants'].get(tenant_id)


def test_create_update_delete_with_check_mode_diff_and_reruns(emulator, run_module):
    check = run_module('identity_domain_config', domain='ten_acme', config=ACME, _check=True, _diff=True)
    assert check['changed'] is True and check.writes == [] and tenant(emulator, 'ten_acme') is None
    assert check['diff'] == {'before': {}, 'after': ACME}
    created = run_module('identity_domain_config', domain='ten_acme', config=ACME, _diff=True)
    assert created['changed'] is True and created['config'] == ACME
    stored = tenant(emulator, 'ten_acme')
    assert stored['data'] == {'name': 'Acme'} and stored['tenantLookupIdentifier'] == 'acme'
    assert stored['domains'] == [{'domain': 'acme.example'}] and stored['connection'] == {'connectionId': 'con_okta'}
    assert [(e['method'], e['path'], e['status']) for e in created.entries] == [
        ('GET', '/v1/tenants/ten_acme', 404), ('POST', '/v1/tenants', 201)]
    again = run_module('identity_domain_config', domain='ten_acme', config=ACME)
    assert again['changed'] is False and again.writes == [] and len(again.entries) == 1

    change = {'tenant': {'domains': ['acme.example', 'acme.test'], 'connection_id': None}}
    updated = run_module('identity_domain_config', domain='ten_acme', config=change, _diff=True)
    assert updated['changed'] is True
    assert updated['diff'] == {'before': {'tenant': {'domains': ['acme.example'], 'connection_id': 'con_okta'}},
                               'after': {'tenant': {'domains': ['acme.example', 'acme.test']}}}
    stored = tenant(emulator, 'ten_acme')
    assert [d['domain'] for d in stored['domains']] == ['acme.example', 'acme.test'] and 'connection' not in stored
    assert stored['data'] == {'name': 'Acme'} and stored['createdTime']
    assert [(w['method'], w['path']) for w in updated.writes] == [('PUT', '/v1/tenants/ten_acme')]
    assert run_module('identity_domain_config', domain='ten_acme', config=change).writes == []

    info = run_module('identity_domain_config_info', domain='ten_acme', group='tenant', option='domains')
    assert info['config'] == {'tenant': {'domains': ['acme.example', 'acme.test']}}

    purge = run_module('identity_domain_config', domain='ten_acme', config={'tenant': {'name': 'Acme'}}, purge=True)
    assert purge['changed'] is True and purge['config'] == {'tenant': {'name': 'Acme'}}
    assert 'domains' not in tenant(emulator, 'ten_acme') and 'tenantLookupIdentifier' not in tenant(emulator, 'ten_acme')

    check_delete = run_module('identity_domain_config', domain='ten_acme', state='absent', _check=True)
    assert check_delete['changed'] is True and check_delete.writes == []
    deleted = run_module('identity_domain_config', domain='ten_acme', state='absent', _diff=True)
    assert deleted['changed'] is True and deleted['diff']['before'] == {'tenant': {'name': 'Acme'}}
    assert tenant(emulator, 'ten_acme') is None
    gone = run_module('identity_domain_config', domain='ten_acme', state='absent')
    assert gone['changed'] is False and gone.writes == []
    assert run_module('identity_domain_config_info', domain='ten_acme')['config'] == {}


def test_unmanaged_fields_survive_an_update(emulator, run_module):
    emulator.seed({'tenants': [{'tenantId': 'ten_t', 'data': {'name': 'T'},
                                'tokenConfiguration': {'accessTokenDurationInSeconds': 600}}]})
    result = run_module('identity_domain_config', domain='ten_t', config={'tenant': {'name': 'T2'}})
    assert result['changed'] is True
    assert tenant(emulator, 'ten_t')['tokenConfiguration'] == {'accessTokenDurationInSeconds': 600}


def test_refusals_before_any_request(emulator, run_module):
    cases = [
        (dict(config={'identity': {'driver': 'ldap'}}), 'an Authress tenant is configured under config.tenant only'),
        (dict(config={'tenant': {'color': 'red'}}), 'config.tenant takes name, lookup_identifier, domains, connection_id'),
        (dict(config={'tenant': {'domains': ['Not A Domain']}}), 'config.tenant.domains must be a list'),
        (dict(config={'tenant': {'name': 'x'}}, sensitive_config={'tenant': {'secret': 's3'}}),
         'authress does not support option sensitive_config of identity_domain_config'),
    ]
    for args, message in cases:
        result = run_module('identity_domain_config', domain='ten_x', **args)
        assert result['failed'] is True and message in result['msg'], result['msg']
        assert result.entries == []
    missing = run_module('identity_domain_config', config={'tenant': {'name': 'x'}})
    assert missing['failed'] is True and 'authress needs option domain for identity_domain_config' in missing['msg']
