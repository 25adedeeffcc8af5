"""The shared session setup: every provider's client gets the same connection options, secrets
and headers from providers/_session.py, and missing options are named before any request."""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._auth import GivenBearerAuth
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers import _session
from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider

TOKEN = 'shared-session-token-9d2e'


def given_token():
    return GivenBearerAuth(TOKEN)


class Demo(Provider):
    name = 'demo'


def test_defaults_json_tls_on_thirty_seconds_and_the_no_log_values_scrubbed():
    demo = Demo({}, no_log_values={'module-no-log-value'})
    client = _session.open_client(demo, 'https://api.example.com/', given_token())
    assert demo.client is client and client.provider == 'demo'
    assert client.base_url == 'https://api.example.com'
    assert client.timeout == (10.0, 30.0) and client.verify is True
    assert client.session.headers['Content-Type'] == 'application/json'
    assert client.scrub('x module-no-log-value y') == 'x ******** y'


def test_options_come_from_params_or_the_given_mapping(tmp_path):
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('not read here')
    demo = Demo({'timeout': 5, 'validate_certs': True, 'ca_path': str(bundle)})
    assert _session.open_client(demo, 'https://a.example.com', given_token()).verify == str(bundle)
    client = _session.open_client(demo, 'https://a.example.com', given_token(), options={'validate_certs': False})
    assert client.verify is False and client.timeout == (10.0, 30.0)
    with pytest.raises(ConfigError, match='ca_path /nowhere does not exist'):
        _session.open_client(demo, 'https://a.example.com', given_token(), options={'ca_path': '/nowhere'})


def test_secrets_are_registered_with_the_provider_and_scrubbed_from_errors(server):
    server.answer((400, {'detail': 'bad token %s' % TOKEN}, None))
    no_log = set()
    demo = Demo({'timeout': 5}, no_log_values=no_log)
    client = _session.open_client(demo, server.url, given_token(), secrets=('provider-secret-5a7b',),
                                  headers={'Content-Type': 'application/x-demo'}, error_query='detail')
    assert 'provider-secret-5a7b' in no_log
    assert client.scrub('provider-secret-5a7b') == '********'
    with pytest.raises(APIError) as caught:
        client.json('GET', 'things')
    assert 'bad token ********' in str(caught.value) and TOKEN not in str(caught.value)
    request = server.requests[0]
    assert request['headers']['Authorization'] == 'Bearer %s' % TOKEN
    assert request['headers']['Content-Type'] == 'application/x-demo'


def test_missing_options_are_named_once_each():
    _session.require_options({'api_url': 'u', 'key': 'k'}, ('api_url', 'key'), 'demo', 'or DEMO_URL and DEMO_KEY')
    with pytest.raises(ConfigError) as caught:
        _session.require_options({'api_url': 'u'}, ('api_url', 'key'), 'demo', 'or DEMO_URL and DEMO_KEY')
    assert str(caught.value) == 'demo: key missing: set key (or DEMO_URL and DEMO_KEY)'
    with pytest.raises(ConfigError, match='api_url and key missing: set api_url and key'):
        _session.require_options({}, ('api_url', 'key'), 'demo', 'or DEMO_URL and DEMO_KEY')


def test_a_given_credential_is_sent_without_a_request_and_a_401_is_not_renewed(server):
    server.answer((401, {'detail': 'expired'}, None))
    client = _session.open_client(Demo({'timeout': 5}), server.url, given_token())
    with pytest.raises(APIError) as caught:
        client.get('things')
    assert caught.value.status == 401 and client.stats['auth'] == 0
    assert [r['path'] for r in server.requests] == ['/things']
