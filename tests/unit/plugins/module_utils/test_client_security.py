"""Issue 19, without a server: URL-forming settings (plugins/module_utils/_urls.py), the client's
path segments, and the scrubbing of secrets in every encoding a request carried them in."""

import base64
import hashlib
import json

import pytest

from ansible_collections.iamops.identity.plugins.module_utils import _urls
from ansible_collections.iamops.identity.plugins.module_utils._http import HTTPClient, format_path
from ansible_collections.iamops.identity.plugins.module_utils._scrub import scrub_fields
from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers._base import Provider
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone import auth as keystone_auth
from ansible_collections.iamops.identity.plugins.module_utils.providers.onelogin import session as onelogin_session
from ansible_collections.iamops.identity.plugins.module_utils.providers.posit_connect import session as connect_session


# ---- URLs ---------------------------------------------------------------------------------------
@pytest.mark.parametrize('value, expected', [
    ('https://acme.onelogin.com/', 'https://acme.onelogin.com'),
    ('HTTPS://Acme.example.com:8443', 'https://Acme.example.com:8443'),
    ('http://127.0.0.1:6297', 'http://127.0.0.1:6297'),
    ('http://localhost:3939/', 'http://localhost:3939'),
    ('http://[::1]:8080', 'http://[::1]:8080'),
    ('https://[2001:db8::1]', 'https://[2001:db8::1]'),
])
def test_clean_urls_are_accepted(value, expected):
    assert _urls.check_url(value, 'api_url', 'p', path=False) == expected


@pytest.mark.parametrize('value, problem', [
    ('http://127.0.0.1:6297/#', 'holds a fragment'),
    ('https://evil.example#@good.example', 'holds a fragment'),
    ('https://host?x=1', 'holds a query'),
    ('https://user:pw@host', 'holds user information'),
    ('https://good.example@evil.example', 'holds user information'),
    ('https://host/evil', 'holds a path'),
    ('https://host:99999', 'has an invalid port'),
    ('https://host:0', 'has an invalid port'),
    ('https://host:80:81', 'has an invalid port'),
    ('https://host:abc', 'has an invalid port'),
    ('ftp://host', 'is not an https:// URL'),
    ('file:///etc/passwd', 'is not an https:// URL'),
    ('javascript:alert(1)', 'has no scheme'),
    ('host.example.com', 'has no scheme'),
    ('http://example.com', 'is plain http'),
    ('http://10.0.0.1', 'is plain http'),
    ('https://127.0.0.1:6297\\@evil', 'holds a backslash'),
    ('https://ho st', 'holds whitespace'),
    ('https://host\n', 'holds whitespace'),
    ('https://', 'has no valid host name'),
    ('https://300.1.1', 'has no valid host name'),
    ('https://bad_label-.example', 'has no valid host name'),
    ('', 'is not a URL'),
])
def test_bad_urls_are_refused_naming_the_option(value, problem):
    with pytest.raises(ConfigError) as err:
        _urls.check_url(value, 'api_url', 'onelogin', path=False)
    text = str(err.value)
    assert text.startswith('onelogin: api_url ') and problem in text, text
    assert '\n' not in text and len(text) < 400


@pytest.mark.parametrize('value', ['https://host/a/../b', 'https://host/./x', 'https://host//x', 'https://host/a%2Fb',
                                   'https://host/%2e%2e'])
def test_a_path_where_one_belongs_has_no_dot_or_encoded_segments(value):
    with pytest.raises(ConfigError, match='path segment'):
        _urls.check_url(value, 'api_url', 'posit_connect')
    assert _urls.check_url('https://host/rsconnect/', 'api_url', 'posit_connect') == 'https://host/rsconnect'


def test_userinfo_is_not_repeated_in_the_message():
    with pytest.raises(ConfigError) as err:
        _urls.check_url('https://admin:Hunter2-pw@host', 'api_url', 'p')
    assert 'Hunter2-pw' not in str(err.value) and "'https://********@host'" in str(err.value)


def test_a_10kb_value_gives_a_short_message():
    with pytest.raises(ConfigError) as err:
        _urls.check_url('https://' + 'x' * 10240 + '#', 'api_url', 'p')
    assert len(str(err.value)) < 300


def test_onelogin_subdomain_is_one_dns_label():
    assert onelogin_session.api_url({'subdomain': 'Acme-2'}) == 'https://acme-2.onelogin.com'
    for bad in ('127.0.0.1:6297/#', 'acme.onelogin.com', 'acme@evil', 'a/b', '..', '-acme', 'a' * 64, 'acme?x'):
        with pytest.raises(ConfigError, match='subdomain .* is not one DNS label'):
            onelogin_session.api_url({'subdomain': bad})


def test_connect_url_keeps_its_path_and_refuses_the_rest():
    assert connect_session.api_base('https://host/rsconnect/') == 'https://host/rsconnect/__api__'
    assert connect_session.api_base('http://127.0.0.1:3939') == 'http://127.0.0.1:3939/__api__'
    with pytest.raises(ConfigError, match='is plain http'):
        connect_session.api_base('http://connect.example.com')


def test_keystone_auth_url_keeps_http_for_any_host_but_not_userinfo_or_fragments():
    assert keystone_auth.identity_url('http://keystone.lab:5000') == 'http://keystone.lab:5000/v3'
    assert keystone_auth.identity_url('http://10.0.0.5/identity/v3/') == 'http://10.0.0.5/identity/v3'
    for bad, problem in (('http://admin:pw@keystone.lab:5000/v3', 'user information'),
                         ('http://keystone.lab:5000/v3#x', 'fragment'),
                         ('http://keystone.lab:5000/v3?x=1', 'query')):
        with pytest.raises(ConfigError, match=problem):
            keystone_auth.identity_url(bad)


def test_short_credentials_are_refused_without_showing_them():
    with pytest.raises(ConfigError) as err:
        _urls.check_secret('a.b.c', 'access_key', 'authress')
    assert 'a.b.c' not in str(err.value) and '5 characters' in str(err.value)
    assert _urls.check_secret('long-enough-key', 'access_key', 'authress') == 'long-enough-key'


# ---- path segments --------------------------------------------------------------------------------
@pytest.mark.parametrize('segment', ['..', '.', '', ' ', None])
def test_dot_and_empty_segments_are_refused(segment):
    client = HTTPClient('https://api.example.com', 'authress')
    with pytest.raises(ConfigError) as err:
        client.path('/v1/tenants/{}/users', segment)
    assert str(err.value).startswith('authress: ') and 'cannot be a name or ID' in str(err.value)
    assert '/v1/tenants/<name or ID>/users' in str(err.value)


@pytest.mark.parametrize('segment, quoted', [('a/b', 'a%2Fb'), ('%2F', '%252F'), ('../x', '..%2Fx'),
                                             ('google|1', 'google%7C1'), ('...', '...'), ('a?b#c', 'a%3Fb%23c')])
def test_separators_are_encoded_into_one_segment(segment, quoted):
    assert format_path('/v1/users/{}', segment) == '/v1/users/' + quoted


# ---- secrets ----------------------------------------------------------------------------------------
def test_every_encoding_of_a_registered_secret_is_scrubbed():
    client = HTTPClient('https://api.example.com', 'p')
    secret = 'S\u00e9cret"\\/-0001'
    client.add_secret(secret)
    for form in (secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1],
                 'S%C3%A9cret%22%5C%2F-0001', base64.b64encode(secret.encode()).decode()):
        assert client.scrub('x %s y' % form) == 'x ******** y', form


def test_basic_auth_base64_is_scrubbed_in_both_encodings():
    client = HTTPClient('https://api.example.com', 'p')
    client.add_basic_auth('client-id', 'S\u00e9cret-0002')
    for raw in ('client-id:S\u00e9cret-0002'.encode('latin-1'), 'client-id:S\u00e9cret-0002'.encode('utf-8')):
        assert 'REDACT' not in client.scrub(base64.b64encode(raw).decode())
        assert client.scrub(base64.b64encode(raw).decode()) == '********'


def test_short_secrets_are_not_masked_as_substrings():
    """``access_key: a.b.c`` used to mask every letter c; a piece shorter than 8 is not registered."""
    client = HTTPClient('https://api.example.com', 'p')
    client.add_secret('c')
    client.add_secret('abcdefg')
    assert client.scrub('access_key is not a key: check it') == 'access_key is not a key: check it'
    no_log = set()
    provider = Provider({}, no_log_values=no_log)
    provider.add_secret('c')
    provider.add_secret('long-enough-secret')
    assert no_log == {'long-enough-secret'}


def test_secret_named_fields_are_masked_whatever_their_length():
    password, salt = 'Pw-1', 's4lt'
    digest = hashlib.sha256((salt + password).encode()).hexdigest()
    body = json.dumps({'username': 'jdoe', 'password': digest, 'salt': salt, 'email': 'j@example.com'})
    echoed = 'you sent: Authorization: Basic Y2xpZW50OnNlY3JldA== X-Auth-Token: gAAAAAtoken %s nested=%s form=%s' % (
        body, json.dumps(body), 'grant_type=password&password=Pw-1&client_secret=abc')
    text = scrub_fields(echoed)
    for leaked in (digest, '"s4lt"', 'Y2xpZW50OnNlY3JldA', 'gAAAAAtoken', 'Pw-1', '=abc'):
        assert leaked not in text, (leaked, text)
    assert 'jdoe' in text and 'j@example.com' in text  # the rest stays readable
    assert scrub_fields("Invalid input for field 'password': 'abc' is too short") == \
        "Invalid input for field 'password': '********' is too short"
    assert scrub_fields('Bearer eyJhbGciOiJFZERTQSJ9.x.y refused') == 'Bearer ******** refused'


def test_request_body_secrets_are_registered_before_sending():
    client = HTTPClient('https://api.example.com', 'p')
    client._register_body_secrets({'user': {'password': 'body-secret-0003', 'password_algorithm': 'salt+sha256'},
                                   'name': 'not-a-secret-name'}, None)
    assert client.scrub('body-secret-0003 not-a-secret-name salt+sha256') == '******** not-a-secret-name salt+sha256'


def test_scim_url_keeps_its_base_path_and_refuses_the_rest():
    from ansible_collections.iamops.identity.plugins.module_utils.providers.scim import session as scim_session
    assert scim_session.api_base('https://idp.example.com/scim/v2/') == 'https://idp.example.com/scim/v2'
    for bad, problem in (('https://u:pw@idp.example.com/scim/v2', 'user information'),
                         ('https://idp.example.com/scim/v2#x', 'fragment'),
                         ('http://idp.example.com/scim/v2', 'plain http'),
                         ('https://idp.example.com/scim/../v2', 'path segment')):
        with pytest.raises(ConfigError, match=problem):
            scim_session.api_base(bad)
