"""What the scim provider refuses, before any request where it can, and what it says when the
server refuses: one clear message, no traceback, no secret (the bearer token is registered with
the secret scan by the conftest; a wrong token here too)."""

import json

import pytest

import secret_scan

WRONG_TOKEN = 'it-scim-wrong-token-0c4e91'


@pytest.mark.parametrize('module, args, expected', [
    ('identity_user', dict(name='x', description='d'), 'scim does not support option description of identity_user'),
    ('identity_user', dict(name='x', domain='corp'), 'scim does not support option domain of identity_user (SCIM has no domains)'),
    ('identity_user', dict(name='x', locked=True), 'SCIM has no lock'),
    ('identity_group', dict(name='g', description='d'), 'a SCIM group has a displayName and members, no description'),
    ('identity_role_assignment', dict(role='admin', group='x'), 'a SCIM Group holds no roles in the core schema'),
    ('identity_user', dict(name='x', user_role='viewer'), "a SCIM role is a value of the user's roles attribute"),
    ('identity_domain_config', dict(domain='d', config={}), 'SCIM has no domains to configure'),
    ('identity_user_info', dict(filters={'user name': 'x'}), 'is not a SCIM attribute path'),
    ('identity_user_info', dict(filters={'title': ['a']}), 'filters.title: expected a string'),
])
def test_refused_before_any_request(run_module, module, args, expected):
    run = run_module(module, **args)
    assert run.get('failed') is True, run.result
    assert expected in run['msg'], run['msg']
    assert run.entries == []          # not even the ServiceProviderConfig
    assert 'Traceback' not in run.stderr


def test_missing_token_and_bad_url_are_one_message(run_module, scim_server):
    run = run_module('identity_user', _connection=False, provider='scim', api_url=scim_server.url, name='x')
    assert run.get('failed') is True and run['msg'] == (
        'scim: scim_token missing: set scim_token (or the environment variables SCIM_URL and SCIM_TOKEN)')
    assert run.entries == []
    bad = run_module('identity_user', _connection=False, provider='scim', api_url='127.0.0.1/v2',
                     scim_token='it-whatever-token-77', name='x')
    assert 'api_url must be the absolute http(s) SCIM base URL' in bad['msg'] and bad.entries == []


def test_wrong_token_is_refused_by_the_server_and_never_shown(run_module, scim_server):
    secret_scan.register(WRONG_TOKEN, 'a wrong SCIM bearer token')
    run = run_module('identity_user', _connection=False, provider='scim', api_url=scim_server.url,
                     scim_token=WRONG_TOKEN, name='x', _diff=True)
    assert run.get('failed') is True and run['status'] == 401
    assert 'HTTP 401' in run['msg'] and 'Authorization failure' in run['msg']
    assert WRONG_TOKEN not in json.dumps(run.result) + run.stderr
    # scim2-server answers the ServiceProviderConfig without authentication (RFC 7644 section 4
    # lets a server do so); the first request that needs the token is refused once, not retried
    assert [(e.method, e.path, e.status) for e in run.entries] == [
        ('GET', '/v2/ServiceProviderConfig', 200), ('GET', '/v2/Users', 401)]


def test_environment_selects_the_provider(run_module, scim_server, admin):
    run = run_module('identity_user', _connection=False, name='fromenv',
                     _env={'SCIM_URL': scim_server.url, 'SCIM_TOKEN': 'it-scim-bearer-5d9c0b27e1f4'})
    assert run['changed'] is True, run.result
    assert admin.user('fromenv') is not None


def test_scim_error_body_gives_scim_type_and_detail(provider, admin):
    from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError
    admin.make_user('taken')
    with pytest.raises(APIError) as caught:
        provider().create_user({'name': 'taken'})
    assert caught.value.status == 409
    assert str(caught.value).startswith('scim: POST /v2/Users failed: HTTP 409: uniqueness: ')


def test_the_server_does_not_validate_emails_and_the_module_says_what_it_stored(run_module, admin):
    """RFC 7643 leaves e-mail validation to the server; scim2-server 0.8.3 stores any string."""
    run = run_module('identity_user', name='badmail', email='not an address')
    assert run['changed'] is True and run['user']['email'] == 'not an address'
    assert admin.user('badmail')['emails'][0]['value'] == 'not an address'


def test_two_groups_with_one_display_name_are_refused_not_guessed(run_module, admin):
    """scim2-server lets two groups share a displayName (RFC 7643 does not make it unique)."""
    first, second = admin.make_group('twin'), admin.make_group('twin')
    admin.make_user('ann')
    run = run_module('identity_group', name='twin', users=['ann'])
    assert run.get('failed') is True and run.writes == []
    assert "2 groups have the displayName 'twin'" in run['msg'] and first['id'] in run['msg']
    by_id = run_module('identity_user', name='ann', groups=[second['id']])
    assert by_id['changed'] is True and [e.method for e in by_id.writes] == ['PATCH']
    assert [m['value'] for m in admin.session.get(admin.url + '/Groups/' + second['id']).json()['members']] \
        == [admin.user('ann')['id']]
