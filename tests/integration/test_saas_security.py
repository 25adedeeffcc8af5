"""Cross-provider security classes for the SaaS providers (OneLogin, Authress, Posit Connect),
issue 19: each case is a real module run against the provider's emulator on 127.0.0.1.

* **Where the credential goes.** Every URL-forming connection setting (``api_url``, OneLogin's
  ``subdomain``) is tried with user information, a fragment, a query, a path, port tricks, other
  schemes, a backslash, whitespace and plain http to a non-loopback host, all aimed at a *bait*
  server on another port (plain http, and a TLS one for the shapes that come out as https). Every
  case must fail with one line naming the option, and the bait must receive no request at all
  (before the fix, ``subdomain: 127.0.0.1:<port>/#`` sent the token request, client secret in HTTP
  Basic, to it). A next link to another origin must not carry the credential either.
* **Path segments.** ``..``, ``.``, ``/``, ``%2F`` in every name or ID option that can reach a
  request path, in read-only and absent forms: no write, no request to a path that lost or gained
  a segment (a trailing ``/``, ``//``, a dot segment), ``/`` and ``%`` only ever encoded.
* **Servers that echo the request.** The fault proxy's ``echo`` action answers a token request or
  a create with an error quoting the request line, every header and the body: the module's
  message must hold none of the secrets (client secret, its HTTP Basic base64, API key, JWT,
  password, salted hash and salt), in any encoding, while the echo itself is proven by the proxy.
* **Masking does not mangle.** A short or malformed key gives its own clear message, unmangled.

Every output is also scanned by tests/support/secret_scan.py at session end (the secrets here are
registered). State and request counts come from the emulators' and the proxies' own logs.
"""

import base64
import hashlib
import json
import os
import sys
from urllib.parse import quote

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

import fault_proxy as fp
import secret_scan
from conftest import COLLECTIONS_ROOT, module_runner
from scripted_server import ScriptedServer

if COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, COLLECTIONS_ROOT)

from ansible_collections.iamops.identity.tests.emulators.authress.server import AuthressEmulator  # noqa: E402
from ansible_collections.iamops.identity.tests.emulators.onelogin.server import OneLoginEmulator  # noqa: E402
from ansible_collections.iamops.identity.tests.emulators.posit_connect.server import PositConnectEmulator  # noqa: E402

ONELOGIN_ID = OneLoginEmulator.DEFAULT_CLIENT['client_id']
ONELOGIN_SECRET = OneLoginEmulator.DEFAULT_CLIENT['client_secret']
CONNECT_KEY = 'sec-it-admin-key-5b0e9c41d7'
AUTHRESS_CLIENT, AUTHRESS_KEY_ID, AUTHRESS_ACCOUNT = 'sc_security', 'key_sec', 'acc_emulator'  # the emulator's account
WRITE_METHODS = ('POST', 'PUT', 'PATCH', 'DELETE')


# ---- servers ------------------------------------------------------------------------------------
@pytest.fixture(scope='module')
def servers(tmp_path_factory):
    """The three emulators, and two bait servers (plain http, TLS) that must never be reached."""
    key = Ed25519PrivateKey.generate()
    der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    access_key = '%s.%s.%s.%s' % (AUTHRESS_CLIENT, AUTHRESS_KEY_ID, AUTHRESS_ACCOUNT, base64.b64encode(der).decode())
    public = base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    secret_scan.register(access_key, 'the Authress access key')
    secret_scan.register(CONNECT_KEY, 'the Connect API key')
    secret_scan.register(ONELOGIN_SECRET, 'the OneLogin client secret')
    secret_scan.register_basic(ONELOGIN_ID, ONELOGIN_SECRET)
    bait = ScriptedServer()
    bait_tls = ScriptedServer(tls_dir=tmp_path_factory.mktemp('bait-tls'))
    for server in (bait, bait_tls):
        server.answer((200, {'access_token': 'bait-token-0123456789', 'users': [], 'results': []}, None))
    with OneLoginEmulator() as onelogin, AuthressEmulator() as authress, \
            PositConnectEmulator(api_key=CONNECT_KEY) as connect:
        authress.seed({'clients': [{'clientId': AUTHRESS_CLIENT, 'keys': [{'keyId': AUTHRESS_KEY_ID,
                                                                           'publicKey': public}]}]})
        yield dict(onelogin=onelogin, authress=authress, posit_connect=connect, bait=bait, bait_tls=bait_tls,
                   access_key=access_key, authress_public=public)
    bait.close()
    bait_tls.close()


def connection(servers, provider, url=None):
    """Valid connection options of PROVIDER (its emulator, or URL)."""
    url = url or servers[provider].url
    if provider == 'onelogin':
        return dict(provider='onelogin', api_url=url, client_id=ONELOGIN_ID, client_secret=ONELOGIN_SECRET)
    if provider == 'authress':
        return dict(provider='authress', api_url=url, access_key=servers['access_key'])
    return dict(provider='posit_connect', api_url=url, api_key=CONNECT_KEY)


@pytest.fixture
def runner(servers, tmp_path):
    """``run(server, module, **args)``: one module run logged against SERVER's emulator."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('OS_', 'ONELOGIN_', 'AUTHRESS_', 'CONNECT_')))
    env['PYTHONPATH'] = COLLECTIONS_ROOT + os.pathsep + env.get('PYTHONPATH', '')

    def run(_server, _module, **args):
        return module_runner(env, servers[_server], tmp_path)(_module, _connection=False, **args)

    return run


def one_line_failure(run):
    assert run.get('failed') is True, run.result
    assert 'exception' not in run.result and 'Traceback' not in run.stderr, run.stderr[-2000:]
    msg = run['msg']
    assert isinstance(msg, str) and msg.strip() and '\n' not in msg, msg
    return msg


# ---- 1. URL-forming settings ----------------------------------------------------------------------
def _url_cases():
    """``(case id, provider, option, template, tls)``: the value is TEMPLATE with {bait} the bait's
    host:port and {emu} the emulator's; ``tls``: the shape comes out as https, aimed at the TLS bait
    (with validate_certs off, so a value that slipped through would really deliver the request)."""
    shapes = [
        ('userinfo', 'http://user:pw@{bait}'),
        ('userinfo before the real host', 'http://{emu}@{bait}'),
        ('fragment', 'http://{bait}/#'),
        ('fragment hiding the host', 'http://{bait}#@{emu}'),
        ('query', 'http://{bait}?next=/'),
        ('query hiding the host', 'http://{bait}?@{emu}'),
        ('second port', 'http://{bait}:80'),
        ('port out of range', 'http://127.0.0.1:99999'),
        ('port not a number', 'http://127.0.0.1:http'),
        ('backslash', 'http://{bait}\\@{emu}'),
        ('whitespace', 'http://{bait} /x'),
        ('newline', 'http://{bait}\n.evil.invalid'),
        ('other scheme ftp', 'ftp://{bait}'),
        ('other scheme file', 'file:///etc/passwd'),
        ('other scheme javascript', 'javascript:alert(1)'),
        ('plain http to a non-loopback host', 'http://bait.invalid:{port}'),
        ('no host', 'http://:{port}'),
        ('dot segment', 'http://{bait}/a/../'),
        ('encoded separator in the path', 'http://{bait}/a%2F..'),
    ]
    cases = []
    for provider in ('onelogin', 'authress', 'posit_connect'):
        for label, template in shapes:
            cases.append(('%s api_url %s' % (provider, label), provider, 'api_url', template, False))
        if provider != 'posit_connect':  # Connect may live under a path; the others at the root
            cases.append(('%s api_url path' % provider, provider, 'api_url', 'http://{bait}/evil', False))
    cases.append(('authress api_url bare host with fragment', 'authress', 'api_url', '{bait}/#', True))
    cases.append(('authress api_url bare host with userinfo', 'authress', 'api_url', 'user:pw@{bait}', True))
    for label, template in [('host and port with fragment (issue 19)', '{bait}/#'), ('host and port', '{bait}'),
                            ('dotted name', 'acme.onelogin.com'), ('userinfo', 'acme:pw@{bait}'),
                            ('query', 'acme?x=1'), ('fragment', 'acme#'), ('slash', 'acme/..'),
                            ('dot segment', '..'), ('leading hyphen', '-acme'), ('too long', 'a' * 64)]:
        cases.append(('onelogin subdomain %s' % label, 'onelogin', 'subdomain', template, True))
    return cases


URL_CASES = _url_cases()


@pytest.mark.parametrize('case', URL_CASES, ids=[c[0] for c in URL_CASES])
def test_url_setting_is_refused_and_the_bait_gets_nothing(servers, runner, case):
    _id, provider, option, template, tls = case
    bait = servers['bait_tls' if tls else 'bait']
    host = bait.url.split('://', 1)[1]
    value = template.format(bait=host, emu=servers[provider].url.split('://', 1)[1], port=host.rsplit(':', 1)[1])
    args = connection(servers, provider)
    if option == 'subdomain':
        args.pop('api_url')
    args[option] = value
    if tls:
        args['validate_certs'] = False
    before, mark = len(bait.requests), servers[provider].mark()
    run = runner(provider, 'identity_user_info', **args)
    msg = one_line_failure(run)
    assert msg.startswith('%s: %s ' % (provider, option)), msg
    assert len(bait.requests) == before, bait.requests[before:]   # nothing reached the bait
    assert servers[provider].entries(mark) == []                   # nor the real server
    assert ONELOGIN_SECRET not in msg and CONNECT_KEY not in msg


@pytest.mark.parametrize('provider', ['onelogin', 'authress', 'posit_connect'])
def test_a_loopback_http_url_and_an_https_url_are_accepted(servers, runner, provider):
    """The refusals are not blanket: the emulator's http://127.0.0.1 URL works (with a trailing
    slash too), and an https URL of a host that does not exist fails on the connection, not on
    the setting."""
    run = runner(provider, 'identity_user_info', **connection(servers, provider, servers[provider].url + '/'))
    assert run.get('failed') is not True, run.result
    assert run.entries, 'no request reached the emulator'
    run = runner(provider, 'identity_user_info', timeout=5,
                 **connection(servers, provider, 'https://%s.invalid' % provider.replace('_', '-')))
    msg = one_line_failure(run)
    assert ('%s: api_url' % provider) not in msg and 'invalid' in msg, msg


def test_no_credential_is_sent_to_another_origin(servers):
    """The client itself (in this process): a request to another origin than the base URL's
    carries no credential - not the auth strategy's token, not an explicit HTTP Basic pair, not an
    Authorization or X-Auth-Token header a caller set - as the bait's request log shows."""
    from ansible_collections.iamops.identity.plugins.module_utils._auth import BearerAuth
    from ansible_collections.iamops.identity.plugins.module_utils._http import HTTPClient

    class Static(BearerAuth):
        def obtain(self, client):
            return 'static-token-0123456789'

    bait = servers['bait']
    before = len(bait.requests)
    client = HTTPClient(servers['posit_connect'].url, 'test', auth=Static())
    client.request('GET', bait.url + '/basic', auth=('user', 'Basic-Pw-0123456789'))
    client.request('GET', bait.url + '/strategy')
    client.request('GET', bait.url + '/headers', headers={'Authorization': 'Bearer x-0123456789',
                                                          'X-Auth-Token': 'y-0123456789'})
    sent = bait.requests[before:]
    assert [r['path'] for r in sent] == ['/basic', '/strategy', '/headers']
    assert not [(r['path'], k) for r in sent for k in r['headers'] if k.lower() in ('authorization', 'x-auth-token')]
    assert client.stats['auth'] == 0  # the strategy never even obtained its token for them


# ---- 2. path segments -------------------------------------------------------------------------------
SEGMENTS = ['..', '.', 'a/b', 'a%2Fb', '../x', 'x/../..']


def _path_cases():
    """``(case id, provider, module, args)`` for every name/ID option that reaches a path, in forms
    that must write nothing (absent, info), each with every segment shape."""
    forms = {
        'onelogin': [('identity_user', 'name', dict(state='absent')), ('identity_user_info', 'name', {}),
                     ('identity_group_info', 'name', {}), ('identity_role_assignment_info', 'user', {}),
                     ('identity_role_assignment_info', 'role', {})],
        'authress': [('identity_user', 'name', dict(state='absent')), ('identity_user_info', 'name', {}),
                     ('identity_user', 'tenant', dict(name='sec-user')),
                     ('identity_group', 'name', dict(state='absent')), ('identity_group_info', 'name', {}),
                     ('identity_role_assignment_info', 'user', {}), ('identity_role_assignment_info', 'record', {}),
                     ('identity_role_assignment_info', 'role', {}), ('identity_domain_config_info', 'domain', {})],
        'posit_connect': [('identity_user_info', 'name', {}), ('identity_group', 'name', dict(state='absent')),
                          ('identity_group_info', 'name', {}), ('identity_role_assignment_info', 'user', {})],
    }
    cases = []
    for provider, items in sorted(forms.items()):
        for module, option, base in items:
            for segment in SEGMENTS:
                cases.append(('%s %s %s=%r' % (provider, module, option, segment), provider, module,
                              dict(base, **{option: segment})))
    return cases


PATH_CASES = _path_cases()


@pytest.mark.parametrize('case', PATH_CASES, ids=[c[0] for c in PATH_CASES])
def test_a_name_cannot_change_the_request_path(servers, runner, case):
    _id, provider, module, args = case
    emulator = servers[provider]
    if provider == 'authress':
        emulator.seed({'users': [{'userId': 'sec-user'}]})
    before = _state(emulator)
    value = [v for k, v in args.items() if v in SEGMENTS][0]
    run = runner(provider, module, **dict(connection(servers, provider), **args))
    if run.get('failed'):
        one_line_failure(run)
    else:
        assert run['changed'] is False, run.result
    # a write, if any, goes to the object the value names, encoded as one segment (Authress links a
    # user to tenant 'a/b' with PATCH /v1/tenants/a%2Fb/users, which the server refuses: no tenant)
    assert all(quote(value, safe='') in entry['path'].split('/') and entry['status'] >= 400
               for entry in run.writes), run.writes
    paths = [entry['path'] for entry in run.entries]
    for path in paths:  # nothing lost or gained a segment
        assert not path.endswith('/') and '//' not in path, paths
        assert not any(segment in ('.', '..') for segment in path.split('/')), paths
    if '/' in value or '%' in value:  # separators only ever encoded, as one segment
        assert not any(value in path for path in paths), paths
    assert _state(emulator) == before  # nothing changed on the server
    if value in ('.', '..') and run.get('failed'):
        assert 'cannot be a name or ID' in run['msg'] or args.get('name') == value, run['msg']


def _state(emulator):
    """The emulator's objects without what a read updates (Connect's last active time, OneLogin's
    rate limit and tokens)."""
    def strip(value):
        if isinstance(value, dict):
            return dict((k, strip(v)) for k, v in value.items()
                        if not any(word in k for word in ('time', 'active', 'rate_limit', 'token')))
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(emulator.dump())


def test_authress_user_dot_dot_absent_sends_nothing(servers, runner):
    """Issue 19: ``name: ..`` with ``state: absent`` sent ``GET /v1/`` and reported ok."""
    mark = servers['authress'].mark()
    run = runner('authress', 'identity_user', name='..', state='absent', **connection(servers, 'authress'))
    msg = one_line_failure(run)
    assert "'..' cannot be a name or ID here" in msg, msg
    assert servers['authress'].entries(mark) == []


def test_authress_tenant_dot_dot_writes_nothing(servers, runner):
    """Issue 19: ``tenant: ..`` sent ``PATCH /v1/users`` (``/v1/tenants/../users``)."""
    servers['authress'].seed({'users': [{'userId': 'sec-user'}]})
    before = servers['authress'].dump()['user_tenant']
    run = runner('authress', 'identity_user', name='sec-user', tenant='..', **connection(servers, 'authress'))
    one_line_failure(run)
    assert run.writes == []
    assert servers['authress'].dump()['user_tenant'] == before


# ---- 3. servers that echo the request --------------------------------------------------------------
def _echo(servers, runner, provider, method, path, module, args, text=False, proxy_args=None):
    """Run MODULE through a fault proxy whose ``echo`` answers METHOD PATH; return (run, event)."""
    with fp.FaultProxy(servers[provider].url, lifetime=60) as proxy:
        proxy.fault(method, path, fp.echo(400, text=text))
        conn = connection(servers, provider, proxy.url)
        conn.update(proxy_args or {})
        if provider == 'authress':  # the proxy as one of the account's custom domains (the JWT's issuer)
            servers[provider].custom_domains = [proxy.url]
        try:
            run = runner(provider, module, **dict(conn, **args))
        finally:
            if provider == 'authress':
                servers[provider].custom_domains = []
        fired = proxy.fired()
    assert len(fired) == 1 and fired[0].sent == 400, (fired, run.result)  # the echo really answered
    msg = one_line_failure(run)
    assert 'HTTP 400' in msg and 'bad request, you sent' in msg or text, msg
    return run, msg


def _nothing_of(run, *secrets):
    printed = json.dumps(run.result) + json.dumps(run.result, ensure_ascii=False) + run.stderr
    for secret in secrets:
        for form in secret_forms(secret):
            assert form not in printed, 'a form of a secret is printed: ...%s...' % form[:4]


def secret_forms(secret):
    raw = secret.encode('utf-8')
    return {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1], quote(secret, safe=''),
            base64.b64encode(raw).decode()}


def test_onelogin_token_endpoint_echoing_basic_auth(servers, runner):
    """A token endpoint quoting ``Authorization: Basic base64(client_id:client_secret)``: the
    message holds neither the secret nor its base64, in a secret with quotes and non-ASCII too."""
    secret = 'Echo-S\u00e9cret"\\/-0001'
    basic = base64.b64encode(('%s:%s' % (ONELOGIN_ID, secret)).encode('latin-1')).decode()
    secret_scan.register(secret, 'an echoed client secret')
    secret_scan.register(basic, 'the HTTP Basic base64 of an echoed client secret')
    run, msg = _echo(servers, runner, 'onelogin', 'POST', r'^/auth/oauth2/v2/token$', 'identity_user_info', {},
                     proxy_args=dict(client_secret=secret))
    assert 'POST /auth/oauth2/v2/token' in msg and 'Authorization: ' in msg, msg
    _nothing_of(run, secret, basic)


def test_onelogin_create_echoing_the_salted_hash_and_salt(servers, runner):
    """A create quoting its body: the password, its salted SHA-256 and the salt (4 characters,
    masked as the field it is sent in) are nowhere in the output."""
    password, salt = 'Echo-P\u00e4ssw"rd\\-0002', 's4lt'
    digest = hashlib.sha256((salt + password).encode('utf-8')).hexdigest()
    secret_scan.register(password, 'an echoed password')
    secret_scan.register(digest, 'an echoed salted password hash')
    run, msg = _echo(servers, runner, 'onelogin', 'POST', r'^/api/2/users$', 'identity_user',
                     dict(name='echo-user', email='echo@example.com', password=password,
                          password_algorithm='salt+sha256', password_salt=salt))
    assert 'Authorization: ********' in msg, msg
    assert salt not in msg and '"salt": "********"' in msg, msg
    _nothing_of(run, password, digest)
    assert run.writes == [] and run['changed'] is False  # the echo did not forward the create


def test_authress_create_echoing_its_jwt(servers, runner):
    run, msg = _echo(servers, runner, 'authress', 'POST', r'^/v1/groups$', 'identity_group', dict(name='echo-group'))
    assert 'Authorization: ********' in msg and 'eyJ' not in msg, msg
    _nothing_of(run, servers['access_key'], servers['access_key'].split('.')[-1])


def test_posit_connect_create_echoing_its_key_and_password(servers, runner):
    password = 'Echo-Connect-Pw"\\-0003'
    secret_scan.register(password, 'an echoed Connect password')
    run, msg = _echo(servers, runner, 'posit_connect', 'POST', r'^/__api__/v1/users$', 'identity_user',
                     dict(name='echouser', email='echo@example.com', password=password))
    assert 'Authorization: ********' in msg, msg
    _nothing_of(run, CONNECT_KEY, password)


def test_posit_connect_read_echoing_as_plain_text(servers, runner):
    """The echo as a text/plain page (not JSON): the excerpt in the message is scrubbed too."""
    run, msg = _echo(servers, runner, 'posit_connect', 'GET', r'^/__api__/v1/user', 'identity_user_info', {},
                     text=True)
    assert 'text/plain' in msg, msg
    _nothing_of(run, CONNECT_KEY)


# ---- 4. masking does not mangle ---------------------------------------------------------------------
def test_a_short_authress_key_is_refused_without_mangling_the_message(servers, runner):
    """Issue 19: ``access_key: a.b.c`` masked every letter c of the message."""
    run = runner('authress', 'identity_user_info', provider='authress', api_url=servers['authress'].url,
                 access_key='a.b.c')
    msg = one_line_failure(run)
    assert msg == ('authress: access_key is 5 characters long, shorter than any real credential (at least 8): '
                   'check that the whole value was given'), msg
    assert run.entries == []


def test_a_malformed_key_with_a_one_letter_piece_keeps_its_message(servers, runner):
    key = 'sc_malformed.key.acc.c'
    run = runner('authress', 'identity_user_info', provider='authress', api_url=servers['authress'].url,
                 access_key=key)
    msg = one_line_failure(run)
    assert msg == 'authress: access_key holds no Ed25519 private key in its last part', msg
    assert run.entries == []
