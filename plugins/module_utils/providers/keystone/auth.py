# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keystone connection settings and authentication methods.

Settings come from, lowest precedence first:

1. ``OS_*`` environment variables (what ``openrc`` files and AWX credential types set), used only
   when no cloud is named;
2. the cloud named by ``cloud`` (or ``OS_CLOUD``) in ``clouds.yaml`` + ``secure.yaml``, searched
   where openstacksdk searches: ``OS_CLIENT_CONFIG_FILE`` (what AWX's OpenStack credential
   writes), ``./``, ``~/.config/openstack/``, ``/etc/openstack/``; with no cloud named, no
   ``auth`` and no ``OS_*`` credential, the only cloud of that file (as openstacksdk does);
3. the module's ``auth`` dict and top-level options.

One class per authentication method (the way community.hashi_vault organises its auth methods):
each validates its own fields, builds the ``identity`` part of ``POST /v3/auth/tokens`` and names
its secrets so they can be scrubbed from every output.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os


from ansible_collections.iamops.identity.plugins.module_utils import _urls
from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError

PROVIDER = 'keystone'

AUTH_KEYS = (
    'auth_url', 'username', 'user_id', 'password', 'user_domain_name', 'user_domain_id',
    'project_name', 'project_id', 'project_domain_name', 'project_domain_id',
    'domain_name', 'domain_id', 'system_scope', 'application_credential_id',
    'application_credential_name', 'application_credential_secret', 'token',
)
SECRET_KEYS = ('password', 'application_credential_secret', 'token')

ENV_AUTH = {
    'auth_url': ('OS_AUTH_URL',),
    'username': ('OS_USERNAME',),
    'user_id': ('OS_USER_ID',),
    'password': ('OS_PASSWORD',),
    'user_domain_name': ('OS_USER_DOMAIN_NAME',),
    'user_domain_id': ('OS_USER_DOMAIN_ID',),
    'project_name': ('OS_PROJECT_NAME', 'OS_TENANT_NAME'),
    'project_id': ('OS_PROJECT_ID', 'OS_TENANT_ID'),
    'project_domain_name': ('OS_PROJECT_DOMAIN_NAME',),
    'project_domain_id': ('OS_PROJECT_DOMAIN_ID',),
    'domain_name': ('OS_DOMAIN_NAME',),
    'domain_id': ('OS_DOMAIN_ID',),
    'system_scope': ('OS_SYSTEM_SCOPE',),
    'application_credential_id': ('OS_APPLICATION_CREDENTIAL_ID',),
    'application_credential_name': ('OS_APPLICATION_CREDENTIAL_NAME',),
    'application_credential_secret': ('OS_APPLICATION_CREDENTIAL_SECRET',),
    'token': ('OS_TOKEN', 'OS_AUTH_TOKEN'),
}
ENV_OTHER = {
    'auth_type': 'OS_AUTH_TYPE',
    'region_name': 'OS_REGION_NAME',
    'interface': 'OS_INTERFACE',
    'ca_path': 'OS_CACERT',
}
CONFIG_DIRS = ('.', '~/.config/openstack', '/etc/openstack')


def _yaml_load(path):
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML ships with ansible-core
        raise ConfigError('reading %s needs PyYAML' % path, PROVIDER)
    try:
        with open(path) as handle:
            return yaml.safe_load(handle) or {}
    except (IOError, OSError) as exc:
        raise ConfigError('cannot read %s: %s' % (path, exc.strerror), PROVIDER)
    except yaml.YAMLError as exc:
        raise ConfigError('%s is not valid YAML: %s' % (path, str(exc).splitlines()[0]), PROVIDER)


def _candidates(env_var, basename, environ):
    explicit = environ.get(env_var)
    if explicit:
        return [explicit]
    return [os.path.join(os.path.expanduser(d), basename) for d in CONFIG_DIRS]


def _merge(base, extra):
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def _clouds_file(environ):
    return next((p for p in _candidates('OS_CLIENT_CONFIG_FILE', 'clouds.yaml', environ)
                 if os.path.isfile(p)), None)


def only_cloud(environ):
    """The cloud to use when none is named and nothing else is given, as openstacksdk picks it:
    the only cloud of clouds.yaml (what AWX's OpenStack credential writes, with
    ``OS_CLIENT_CONFIG_FILE``). None without a clouds.yaml; several clouds are an error naming them."""
    clouds_file = _clouds_file(environ)
    if clouds_file is None:
        return None
    clouds = _yaml_load(clouds_file).get('clouds') or {}
    if len(clouds) > 1:
        raise ConfigError('no cloud was named and %s has several (%s): name one with cloud or OS_CLOUD'
                          % (clouds_file, ', '.join(sorted(clouds))), PROVIDER)
    return next(iter(clouds), None)


def load_cloud(name, environ=None):
    """The settings of cloud ``name`` from clouds.yaml merged with secure.yaml."""
    environ = os.environ if environ is None else environ
    clouds_file = _clouds_file(environ)
    if clouds_file is None:
        raise ConfigError('cloud %r was asked for but no clouds.yaml was found (looked in '
                          'OS_CLIENT_CONFIG_FILE, ./, ~/.config/openstack/, /etc/openstack/)'
                          % name, PROVIDER)
    clouds = (_yaml_load(clouds_file).get('clouds') or {})
    if name not in clouds:
        raise ConfigError('cloud %r is not in %s (it has: %s)' % (
            name, clouds_file, ', '.join(sorted(clouds)) or 'none'), PROVIDER)
    cloud = _merge({}, clouds[name] or {})
    secure_file = next((p for p in _candidates('OS_CLIENT_SECURE_FILE', 'secure.yaml', environ)
                        if os.path.isfile(p)), None)
    if secure_file:
        secure = (_yaml_load(secure_file).get('clouds') or {}).get(name)
        if secure:
            _merge(cloud, secure)
    return cloud


def resolve_settings(params, environ=None):
    """Merge environment, clouds.yaml and module options into one settings dict.

    Returns ``{'auth': {...}, 'auth_type', 'region_name', 'interface', 'validate_certs',
    'ca_path'}`` with ``auth`` holding only the keys that were set.
    """
    environ = os.environ if environ is None else environ
    settings = {'auth': {}}
    cloud_name = params.get('cloud') or environ.get('OS_CLOUD')
    if not cloud_name and not params.get('auth') and not any(
            environ.get(name) for names in ENV_AUTH.values() for name in names):
        cloud_name = only_cloud(environ)
    if cloud_name:
        if not isinstance(cloud_name, str):
            raise ConfigError('cloud must be the name of a cloud in clouds.yaml', PROVIDER)
        cloud = load_cloud(cloud_name, environ)
        settings['auth'] = dict((k, v) for k, v in (cloud.get('auth') or {}).items() if v is not None)
        for key in ('auth_type', 'region_name', 'interface'):
            if cloud.get(key):
                settings[key] = cloud[key]
        if 'verify' in cloud:
            settings['validate_certs'] = bool(cloud['verify'])
        if cloud.get('insecure'):
            settings['validate_certs'] = False
        if cloud.get('cacert'):
            settings['ca_path'] = cloud['cacert']
    else:
        for key, names in ENV_AUTH.items():
            value = next((environ[n] for n in names if environ.get(n)), None)
            if value:
                settings['auth'][key] = value
        for key, name in ENV_OTHER.items():
            if environ.get(name):
                settings[key] = environ[name]
        if environ.get('OS_INSECURE', '').lower() in ('1', 'true', 'yes'):
            settings['validate_certs'] = False
    for key, value in (params.get('auth') or {}).items():
        if value is not None:
            settings['auth'][key] = value
    for key in ('auth_type', 'region_name', 'interface', 'validate_certs', 'ca_path'):
        if params.get(key) is not None:
            settings[key] = params[key]
    unknown = sorted(set(settings['auth']) - set(AUTH_KEYS))
    if unknown:
        raise ConfigError('unsupported auth setting(s): %s (supported: %s)' % (
            ', '.join(unknown), ', '.join(AUTH_KEYS)), PROVIDER)
    settings.setdefault('interface', 'public')
    settings.setdefault('validate_certs', True)
    return settings


def identity_url(auth_url):
    """The Keystone v3 base URL for an ``auth_url`` given with or without its version."""
    url = (auth_url or '').rstrip('/')
    if not url:
        raise ConfigError('no auth_url: set auth.auth_url, a cloud in clouds.yaml, or OS_AUTH_URL',
                          PROVIDER)
    if not (url.startswith('http://') or url.startswith('https://')):
        raise ConfigError('auth_url %r is not an http(s) URL' % url, PROVIDER)
    # plain http stays possible for any host (labs run plain-http Keystone); user information,
    # a query or a fragment would send the password elsewhere than the host it names
    url = _urls.check_url(url, 'auth_url', PROVIDER, http='any', example='https://keystone.example.com:5000/v3')
    if url.endswith('/v2.0'):
        raise ConfigError('auth_url %s is the Keystone v2.0 API, which is not supported; use the '
                          'v3 endpoint' % url, PROVIDER)
    if not url.endswith('/v3'):
        url += '/v3'
    return url


# ---- authentication methods --------------------------------------------------------------

class AuthMethod:
    """One Keystone authentication method. Subclasses set ``name``, ``aliases`` and ``body``."""

    name = None
    aliases = ()
    required = ()

    def __init__(self, auth):
        self.auth = auth
        missing = [k for k in self.required if not auth.get(k)]
        if missing:
            raise ConfigError('%s authentication needs %s' % (self.name, ', '.join(
                'auth.%s' % k for k in missing)), PROVIDER)
        self.validate()

    def validate(self):
        pass

    def secrets(self):
        return [self.auth[k] for k in SECRET_KEYS if self.auth.get(k)]

    def identity(self):
        raise NotImplementedError

    def scope(self):
        """The ``scope`` of the token request, or None for an unscoped/default-scoped token."""
        auth = self.auth
        if auth.get('system_scope'):
            return {'system': {auth['system_scope']: True}}
        if auth.get('project_id'):
            return {'project': {'id': auth['project_id']}}
        if auth.get('project_name'):
            domain = _domain_ref(auth, 'project_domain', fallback=auth)
            if not domain:
                raise ConfigError('auth.project_name needs auth.project_domain_name or '
                                  'auth.project_domain_id', PROVIDER)
            return {'project': {'name': auth['project_name'], 'domain': domain}}
        if auth.get('domain_id'):
            return {'domain': {'id': auth['domain_id']}}
        if auth.get('domain_name'):
            return {'domain': {'name': auth['domain_name']}}
        return None

    def body(self):
        body = {'auth': {'identity': self.identity()}}
        scope = self.scope()
        if scope:
            body['auth']['scope'] = scope
        return body


def _domain_ref(auth, prefix, fallback=None):
    if auth.get(prefix + '_id'):
        return {'id': auth[prefix + '_id']}
    if auth.get(prefix + '_name'):
        return {'name': auth[prefix + '_name']}
    if fallback is not None:
        # as in openstacksdk: user_domain_* stands for project_domain_* and vice versa, and
        # domain_* for both when a project is named
        other = 'user_domain' if prefix == 'project_domain' else 'project_domain'
        return _domain_ref(fallback, other) or _domain_ref(fallback, 'domain')
    return None


class PasswordAuth(AuthMethod):
    name = 'password'
    aliases = ('password', 'v3password')
    required = ('password',)

    def validate(self):
        if not (self.auth.get('user_id') or self.auth.get('username')):
            raise ConfigError('password authentication needs auth.username or auth.user_id',
                              PROVIDER)
        if not self.auth.get('user_id') and not _domain_ref(self.auth, 'user_domain', self.auth):
            raise ConfigError('auth.username needs auth.user_domain_name or auth.user_domain_id',
                              PROVIDER)

    def identity(self):
        auth = self.auth
        if auth.get('user_id'):
            user = {'id': auth['user_id']}
        else:
            user = {'name': auth['username'], 'domain': _domain_ref(auth, 'user_domain', auth)}
        user['password'] = auth['password']
        return {'methods': ['password'], 'password': {'user': user}}


class ApplicationCredentialAuth(AuthMethod):
    name = 'v3applicationcredential'
    aliases = ('v3applicationcredential', 'applicationcredential', 'application_credential')
    required = ('application_credential_secret',)

    def validate(self):
        auth = self.auth
        if not (auth.get('application_credential_id') or auth.get('application_credential_name')):
            raise ConfigError('application credential authentication needs '
                              'auth.application_credential_id or auth.application_credential_name',
                              PROVIDER)
        if not auth.get('application_credential_id') and not (auth.get('user_id') or auth.get('username')):
            raise ConfigError('auth.application_credential_name needs the owner: auth.user_id, '
                              'or auth.username with auth.user_domain_name/id', PROVIDER)

    def identity(self):
        auth = self.auth
        cred = {'secret': auth['application_credential_secret']}
        if auth.get('application_credential_id'):
            cred['id'] = auth['application_credential_id']
        else:
            cred['name'] = auth['application_credential_name']
            if auth.get('user_id'):
                cred['user'] = {'id': auth['user_id']}
            else:
                cred['user'] = {'name': auth['username'],
                                'domain': _domain_ref(auth, 'user_domain', auth)}
        return {'methods': ['application_credential'], 'application_credential': cred}

    def scope(self):
        return None  # an application credential carries its own project scope


class ExistingTokenAuth(AuthMethod):
    """A token the caller already holds, exchanged for a scoped one (or used as it is when
    unscoped): the ``token`` method of ``POST /v3/auth/tokens``."""

    name = 'token'
    aliases = ('token', 'v3token', 'admin_token')
    required = ('token',)

    def identity(self):
        return {'methods': ['token'], 'token': {'id': self.auth['token']}}


METHODS = (PasswordAuth, ApplicationCredentialAuth, ExistingTokenAuth)


def auth_method(settings):
    """The :class:`AuthMethod` for resolved ``settings`` (explicit ``auth_type`` or inferred)."""
    auth = settings['auth']
    auth_type = settings.get('auth_type')
    if auth_type:
        for cls in METHODS:
            if auth_type.lower() in cls.aliases:
                return cls(auth)
        raise ConfigError('auth_type %r is not supported (supported: password, '
                          'v3applicationcredential, token)' % auth_type, PROVIDER)
    if auth.get('application_credential_secret'):
        return ApplicationCredentialAuth(auth)
    if auth.get('token') and not auth.get('password'):
        return ExistingTokenAuth(auth)
    if not auth.get('password'):
        raise ConfigError('no credentials: give auth.password (with auth.username), an '
                          'application credential, or auth.token; or name a cloud', PROVIDER)
    return PasswordAuth(auth)
