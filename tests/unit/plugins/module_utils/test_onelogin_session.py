"""OneLogin connection settings, the rate-limit wait hook and the token strategy (no server)."""

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin import session


@pytest.mark.parametrize('params, url', [
    ({'api_url': 'https://acme.onelogin.com/'}, 'https://acme.onelogin.com'),
    ({'subdomain': 'acme'}, 'https://acme.onelogin.com'),
    ({'region': 'eu'}, 'https://api.eu.onelogin.com'),
])
def test_api_url(params, url):
    assert session.api_url(params) == url


@pytest.mark.parametrize('params, message', [
    ({}, 'onelogin needs the API URL: api_url (or ONELOGIN_URL), subdomain or region'),
    ({'subdomain': 'acme', 'region': 'us'}, 'give one of api_url, subdomain and region, not subdomain and region'),
    ({'api_url': 'acme.onelogin.com'},
     "api_url 'acme.onelogin.com' has no scheme, it must start with https:// "
     "(expected the server URL alone, like https://<subdomain>.onelogin.com)"),
])
def test_api_url_refusals(params, message):
    with pytest.raises(ConfigError) as err:
        session.api_url(params)
    # a message that already starts with the provider's name is not prefixed again
    assert str(err.value) == (message if message.startswith('onelogin ') else 'onelogin: ' + message)


def test_reset_wait_reads_the_rate_limit_reset():
    class Response:
        headers = {'X-RateLimit-Limit': '5000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '17'}

    assert session.reset_wait(Response()) == 17
    Response.headers = {}
    assert session.reset_wait(Response()) is None


def test_token_strategy_sends_bearer_and_names_its_secrets():
    class Request:
        headers = {}

    strategy = session.OneLoginToken(None, 'id', 'secret')
    credential = {'access_token': 'tok-123', 'refresh_token': 'ref-456', 'token_type': 'bearer'}
    strategy.apply(Request, credential)
    assert Request.headers == {'Authorization': 'Bearer tok-123'}
    assert strategy.secrets(credential) == ('tok-123', 'ref-456')
