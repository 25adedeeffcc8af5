import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers.keystone import auth as ka

CLOUDS = """
clouds:
  prod:
    auth:
      auth_url: https://keystone.example.com:5000
      username: admin
      user_domain_name: Default
      project_name: admin
      project_domain_name: Default
    region_name: RegionOne
    interface: internal
    verify: false
  appcred:
    auth_type: v3applicationcredential
    auth:
      auth_url: https://keystone.example.com/v3
      application_credential_id: ac1
      application_credential_secret: acsecret
"""
SECURE = """
clouds:
  prod:
    auth:
      password: from-secure-yaml
"""


@pytest.fixture
def config_dir(tmp_path):
    (tmp_path / 'clouds.yaml').write_text(CLOUDS)
    (tmp_path / 'secure.yaml').write_text(SECURE)
    return tmp_path


def env_for(tmp_path):
    return {'OS_CLIENT_CONFIG_FILE': str(tmp_path / 'clouds.yaml'),
            'OS_CLIENT_SECURE_FILE': str(tmp_path / 'secure.yaml')}


def test_cloud_from_clouds_yaml_merged_with_secure_yaml(config_dir):
    settings = ka.resolve_settings({'cloud': 'prod'}, env_for(config_dir))
    assert settings['auth']['password'] == 'from-secure-yaml'
    assert settings['auth']['username'] == 'admin'
    assert settings['region_name'] == 'RegionOne'
    assert settings['interface'] == 'internal'
    assert settings['validate_certs'] is False
    method = ka.auth_method(settings)
    assert isinstance(method, ka.PasswordAuth)
    assert method.body() == {'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'name': 'admin', 'domain': {'name': 'Default'}, 'password': 'from-secure-yaml'}}},
        'scope': {'project': {'name': 'admin', 'domain': {'name': 'Default'}}}}}
    assert method.secrets() == ['from-secure-yaml']


def test_module_options_override_the_cloud(config_dir):
    settings = ka.resolve_settings({'cloud': 'prod', 'auth': {'password': 'override', 'username': None},
                                    'validate_certs': True}, env_for(config_dir))
    assert settings['auth']['password'] == 'override'
    assert settings['auth']['username'] == 'admin'
    assert settings['validate_certs'] is True


def test_os_cloud_env_names_the_cloud(config_dir):
    env = dict(env_for(config_dir), OS_CLOUD='appcred', OS_PASSWORD='ignored')
    settings = ka.resolve_settings({}, env)
    method = ka.auth_method(settings)
    assert isinstance(method, ka.ApplicationCredentialAuth)
    assert method.body() == {'auth': {'identity': {
        'methods': ['application_credential'],
        'application_credential': {'id': 'ac1', 'secret': 'acsecret'}}}}


def test_unknown_cloud_lists_the_known_ones(config_dir):
    with pytest.raises(ConfigError) as err:
        ka.resolve_settings({'cloud': 'nope'}, env_for(config_dir))
    assert "cloud 'nope' is not in" in str(err.value) and 'appcred, prod' in str(err.value)


def test_missing_clouds_yaml(tmp_path):
    with pytest.raises(ConfigError) as err:
        ka.resolve_settings({'cloud': 'x'}, {'OS_CLIENT_CONFIG_FILE': str(tmp_path / 'none.yaml')})
    assert 'no clouds.yaml was found' in str(err.value)


def test_invalid_yaml(tmp_path):
    (tmp_path / 'clouds.yaml').write_text('clouds: [unclosed')
    with pytest.raises(ConfigError) as err:
        ka.resolve_settings({'cloud': 'x'}, {'OS_CLIENT_CONFIG_FILE': str(tmp_path / 'clouds.yaml')})
    assert 'is not valid YAML' in str(err.value)


AWX_CLOUDS = """
clouds:
  devstack:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      username: awx
      password: from-awx
      project_name: admin
      domain_name: Default
    verify: false
"""


def test_the_only_cloud_is_used_when_none_is_named(tmp_path):
    """AWX's OpenStack credential: a clouds.yaml with one cloud and OS_CLIENT_CONFIG_FILE, nothing else."""
    (tmp_path / 'clouds.yaml').write_text(AWX_CLOUDS)
    settings = ka.resolve_settings({}, {'OS_CLIENT_CONFIG_FILE': str(tmp_path / 'clouds.yaml')})
    assert settings['auth']['username'] == 'awx' and settings['auth']['auth_url'].endswith('/v3')
    assert settings['validate_certs'] is False


def test_the_only_cloud_is_not_used_over_explicit_settings(tmp_path):
    (tmp_path / 'clouds.yaml').write_text(AWX_CLOUDS)
    env = {'OS_CLIENT_CONFIG_FILE': str(tmp_path / 'clouds.yaml'), 'OS_AUTH_URL': 'http://k:5000/v3',
           'OS_USERNAME': 'env-user'}
    assert ka.resolve_settings({}, env)['auth'] == {'auth_url': 'http://k:5000/v3', 'username': 'env-user'}
    given = ka.resolve_settings({'auth': {'auth_url': 'http://other/v3', 'token': 't0k'}},
                                {'OS_CLIENT_CONFIG_FILE': str(tmp_path / 'clouds.yaml')})
    assert given['auth'] == {'auth_url': 'http://other/v3', 'token': 't0k'}


def test_several_clouds_and_none_named(config_dir):
    with pytest.raises(ConfigError) as err:
        ka.resolve_settings({}, env_for(config_dir))
    assert 'no cloud was named' in str(err.value) and 'name one with cloud or OS_CLOUD' in str(err.value)
    assert 'appcred, prod' in str(err.value)


def test_openrc_environment():
    env = {'OS_AUTH_URL': 'http://k:5000/v3', 'OS_USERNAME': 'u', 'OS_PASSWORD': 'p4ss',
           'OS_USER_DOMAIN_ID': 'default', 'OS_PROJECT_ID': 'p1', 'OS_REGION_NAME': 'R',
           'OS_INSECURE': 'true'}
    settings = ka.resolve_settings({}, env)
    assert settings['region_name'] == 'R' and settings['validate_certs'] is False
    body = ka.auth_method(settings).body()
    assert body['auth']['identity']['password']['user'] == {'name': 'u', 'domain': {'id': 'default'}, 'password': 'p4ss'}
    assert body['auth']['scope'] == {'project': {'id': 'p1'}}


def test_system_and_domain_scope():
    base = {'auth_url': 'http://k', 'user_id': 'u1', 'password': 'p4ss'}
    assert ka.auth_method({'auth': dict(base, system_scope='all')}).scope() == {'system': {'all': True}}
    assert ka.auth_method({'auth': dict(base, domain_name='corp')}).scope() == {'domain': {'name': 'corp'}}


def test_token_auth():
    method = ka.auth_method({'auth': {'auth_url': 'http://k', 'token': 'tok123'}})
    assert isinstance(method, ka.ExistingTokenAuth) and method.scope() is None
    assert method.identity() == {'methods': ['token'], 'token': {'id': 'tok123'}}


@pytest.mark.parametrize('auth,message', [
    ({'auth_url': 'http://k'}, 'no credentials'),
    ({'auth_url': 'http://k', 'password': 'p4ss'}, 'needs auth.username or auth.user_id'),
    ({'auth_url': 'http://k', 'password': 'p4ss', 'username': 'u'}, 'needs auth.user_domain_name'),
    ({'auth_url': 'http://k', 'application_credential_secret': 's3cr', 'application_credential_name': 'n'},
     'needs the owner'),
    ({'auth_url': 'http://k', 'user_id': 'u', 'password': 'p4ss', 'project_name': 'p'}, 'project_domain'),
])
def test_incomplete_credentials(auth, message):
    with pytest.raises(ConfigError) as err:
        ka.auth_method({'auth': auth}).body()
    assert message in str(err.value)
    assert 'p4ss' not in str(err.value) and 's3cr' not in str(err.value)


def test_unknown_auth_type():
    with pytest.raises(ConfigError) as err:
        ka.auth_method({'auth': {'password': 'x'}, 'auth_type': 'v3oidc'})
    assert "auth_type 'v3oidc' is not supported" in str(err.value)


@pytest.mark.parametrize('url,expected', [
    ('http://k:5000', 'http://k:5000/v3'),
    ('http://k:5000/', 'http://k:5000/v3'),
    ('https://k/identity/v3/', 'https://k/identity/v3'),
])
def test_identity_url(url, expected):
    assert ka.identity_url(url) == expected


@pytest.mark.parametrize('url,message', [
    (None, 'no auth_url'), ('k:5000', 'is not an http(s) URL'), ('http://k/v2.0', 'v2.0 API'),
])
def test_bad_identity_url(url, message):
    with pytest.raises(ConfigError) as err:
        ka.identity_url(url)
    assert message in str(err.value)
