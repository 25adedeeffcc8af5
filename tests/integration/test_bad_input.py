"""A bad-input matrix generated from every module's argument spec, each case one module run.

The spec is read from the module itself: its ``main()`` is called with ``AnsibleModule``
intercepted, so the matrix follows the modules as they change (new options, new modules, options
moved into packages). For each option (and each option of the items of a batch form), the cases
the option's type allows: a wrong type, an empty string, an unknown choice, unicode, 10 kB, leading
and trailing spaces, unknown keys in a dict, plus every mutually exclusive pair, every
required-one-of left out, every required-by left out, and a few connection options.

Every case must fail with one ``msg`` line, no traceback, and send no write: the valid part of
each case's arguments points at a real domain (and real user and project), so input that slips
through validation does reach Keystone and shows up as writes. The cases run four at a time, each
through its own fault proxy (no faults: its event log attributes each request to its case); at the
end, the writes in Keystone's own access log must be exactly those the proxies saw.
Every case is asserted in full: none is marked xfail (the defects this matrix found are fixed,
issue 8). A case the code cannot refuse yet would get ``marks=pytest.mark.xfail(strict=True,
reason=<the defect>)`` in ``_param``.
"""

import importlib
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import fault_proxy as fp
import secret_scan
from conftest import COLLECTIONS_ROOT, module_environment, module_runner
from test_faults import proxied_clouds_yaml

if COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, COLLECTIONS_ROOT)

MODULES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                           'plugins', 'modules')
PACKAGE = 'ansible_collections.iamops.identity.plugins.modules.'
WORKERS = 4
WRITE_METHODS = ('POST', 'PUT', 'PATCH', 'DELETE')
CONNECTION = frozenset(('provider', 'cloud', 'auth', 'auth_type', 'region_name', 'interface', 'validate_certs',
                        'ca_path', 'timeout'))
NAME_LIKE = frozenset(('name', 'domain', 'user', 'group', 'role', 'project', 'default_project', 'users_domain',
                       'user_domain', 'group_domain', 'role_domain', 'project_domain', 'default_project_domain',
                       'option'))
LONG = 'x' * 10240
CHECK_MODE_ONLY = frozenset(('identity_domain_config',))
CONTROL = 'ctl-\x00-\u202e-\x1b[31m'  # NUL, right-to-left override, an ANSI escape


# ---- the argument specs, read from the modules ------------------------------------------------
class _Captured(Exception):
    pass


def module_spec(module):
    """The keyword arguments ``module``'s main() gives AnsibleModule (argument_spec, rules)."""
    from ansible.module_utils import basic

    def capture(self, *args, **kwargs):
        raise _Captured(kwargs)

    original = basic.AnsibleModule.__init__
    basic.AnsibleModule.__init__ = capture
    try:
        importlib.import_module(PACKAGE + module).main()
    except _Captured as captured:
        return captured.args[0]
    finally:
        basic.AnsibleModule.__init__ = original
    raise AssertionError('%s: main() built no AnsibleModule' % module)


def modules():
    return sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.endswith('.py') and not name.startswith('_'))


# ---- the valid base of every case ----------------------------------------------------------------
def base_args(module, world, index):
    """Valid arguments for MODULE (in the matrix's own domain): the bad value is put on top."""
    dom = world['domain']
    unique = 'm%03d-%s' % (index, world['uniq'])
    return {
        'identity_user': dict(name=unique, domain=dom),
        'identity_user_info': dict(name='member-' + world['uniq'], domain=dom),
        'identity_group': dict(name=unique, domain=dom),
        'identity_group_info': dict(name='team-' + world['uniq'], domain=dom),
        'identity_role_assignment': dict(role='reader', user='member-' + world['uniq'], user_domain=dom,
                                         project='proj-' + world['uniq'], project_domain=dom),
        'identity_role_assignment_info': dict(user='member-' + world['uniq'], user_domain=dom),
        'identity_domain_config': dict(domain=dom, config={'identity': {'list_limit': 500}}),
        'identity_domain_config_info': dict(domain=dom),
    }.get(module, {})


def batch_item(module, world, index):
    """A valid item of MODULE's batch form, or None."""
    unique = 'i%03d-%s' % (index, world['uniq'])
    return {'identity_user': {'name': unique}, 'identity_group': {'name': unique},
            'identity_role_assignment': {'role': 'reader', 'user': 'member-' + world['uniq'],
                                         'user_domain': world['domain'], 'project': 'proj-' + world['uniq'],
                                         'project_domain': world['domain']}}.get(module)


# ---- case generation ------------------------------------------------------------------------------
def values_for(option, spec, info=False):
    """``[(kind, bad value)]`` for one option of a spec."""
    kind = spec.get('type', 'str')
    cases = []
    if spec.get('choices'):
        cases.append(('unknown choice', 'bogus-choice'))
    if kind == 'str':
        cases.append(('wrong type (dict)', {'nested': 'dict'}))
        if option in NAME_LIKE:
            cases += [('empty string', ''), ('leading/trailing spaces', '  spaced  ')]
            if not info and option == 'name':  # the objects' own names: long, control characters
                cases += [('10 kB', LONG), ('unicode control characters', CONTROL)]
    elif kind == 'bool':
        cases += [('wrong type (str)', 'maybe')]
    elif kind in ('int', 'float'):
        cases += [('wrong type (str)', 'soon'), ('negative', -1)]
    elif kind == 'list':
        cases += [('wrong type (dict)', {'a': 1})]
        if spec.get('elements') == 'dict':
            cases += [('item not a dict', ['just-a-string'])]
        else:
            cases += [('empty string item', ['']), ('10 kB item', [LONG])]
    elif kind == 'dict':
        cases += [('wrong type (str)', 'not a dict')]
        if spec.get('options'):
            cases += [('unknown key in dict', {'bogus_key': 'x'})]
        elif option == 'extra':  # free-form, but not a back door to the core fields
            cases += [('core field password in extra', {'password': EXTRA_PASSWORD}),
                      ('core field enabled in extra', {'enabled': True})]
        else:
            cases += [('nested unknown key', {'bogus_key': {'deep': 'x'}})]
    elif kind == 'path':
        cases += [('missing file', '/nonexistent/iamops/ca.pem'), ('empty string', '')]
    return cases


def generate(world):
    """Every case: ``(case id, module, args)``."""
    cases = []

    def add(module, label, args):
        case_id = '%s: %s' % (module, label)
        if any(case_id == c[0] for c in cases):
            case_id += ' #%d' % len(cases)
        cases.append((case_id, module, args))

    for module in modules():
        spec = module_spec(module)
        options = spec['argument_spec']
        connection_cases = module == 'identity_user_info'  # shared by all modules: covered once
        info = module.endswith('_info')
        names_seen = 0
        for option, ospec in sorted(options.items()):
            if option in CONNECTION and not connection_cases:
                continue
            values = values_for(option, ospec, info)
            if info and option in NAME_LIKE:  # read-only: the first two names get every case, the others one
                names_seen += 1
                values = values if names_seen <= 2 else values[1:2]
            for kind, value in values:
                args = dict(base_args(module, world, len(cases)))
                if option in CONNECTION and option != 'auth':
                    args[option] = value
                elif option == 'auth':
                    auth = {'auth_url': world['proxy_placeholder'], 'username': 'admin', 'password': world['password'],
                            'user_domain_name': 'Default', 'project_name': 'admin',
                            'project_domain_name': 'Default'}
                    args['auth'] = value if not isinstance(value, dict) else dict(auth, **value)
                else:
                    args[option] = value
                add(module, '%s %s' % (option, kind), args)
            suboptions = ospec.get('options') if ospec.get('type') == 'list' else None
            item = batch_item(module, world, 0)
            if suboptions and item is not None:
                first = [(k, v) for sub in sorted(suboptions) for k, v in values_for(sub, suboptions[sub])[:1]]
                for sub, (kind, value) in zip(sorted(suboptions), first):
                    batch = dict(base_args(module, world, len(cases)))
                    for key in ('name', 'role', 'user', 'user_domain', 'project', 'project_domain'):
                        batch.pop(key, None)
                    bad = dict(batch_item(module, world, len(cases)), **{sub: value})
                    add(module, '%s[].%s %s' % (option, sub, kind), dict(batch, **{option: [bad]}))
                batch = {k: v for k, v in base_args(module, world, len(cases)).items()
                         if k not in ('name', 'role', 'user', 'user_domain', 'project', 'project_domain')}
                add(module, '%s[] unknown key' % option,
                    dict(batch, **{option: [dict(batch_item(module, world, len(cases)), bogus_key='x')]}))
        for group in spec.get('mutually_exclusive') or []:
            for first, second in zip(group, group[1:]):
                args = dict(base_args(module, world, len(cases)))
                for option in (first, second):
                    args.setdefault(option, sample(options[option], world))
                add(module, 'mutually exclusive %s|%s' % (first, second), args)
        for group in spec.get('required_one_of') or []:
            args = {k: v for k, v in base_args(module, world, len(cases)).items() if k not in group}
            add(module, 'none of %s' % '|'.join(group), args)
        for option, needed in sorted((spec.get('required_by') or {}).items()):
            args = {k: v for k, v in base_args(module, world, len(cases)).items()
                    if k not in ([needed] if isinstance(needed, str) else needed)}
            args[option] = world['domain']
            add(module, '%s without %s' % (option, needed), args)
        add(module, 'unknown option', dict(base_args(module, world, len(cases)), bogus_option='x'))
        if connection_cases:  # issue 19: an auth_url that would send the password elsewhere
            for kind, url in AUTH_URL_SHAPES:
                auth = {'auth_url': url, 'username': 'admin', 'password': world['password'],
                        'user_domain_name': 'Default', 'project_name': 'admin', 'project_domain_name': 'Default'}
                add(module, 'auth.auth_url %s' % kind, dict(base_args(module, world, len(cases)), auth=auth))
    return cases


# auth_url shapes refused before any request (the proxy must see nothing: the password is in the
# token request's body); @PROXYHOST@ is the case's proxy's host:port
AUTH_URL_SHAPES = [
    ('userinfo', 'http://admin:pw@@PROXYHOST@/v3'),
    ('userinfo hiding the host', 'http://@PROXYHOST@@bait.invalid/v3'),
    ('fragment', '@PROXY@#x'),
    ('fragment hiding the host', 'http://bait.invalid#@@PROXYHOST@/v3'),
    ('query', '@PROXY@?next=/'),
    ('other scheme', 'ftp://@PROXYHOST@/v3'),
    ('backslash', 'http://@PROXYHOST@\\@bait.invalid/v3'),
    ('port out of range', 'http://127.0.0.1:99999/v3'),
    ('dot segment', '@PROXY@/../v3'),
]


def sample(ospec, world):
    """A plausible valid value of an option (for the mutually exclusive pairs)."""
    kind = ospec.get('type', 'str')
    if ospec.get('choices'):
        return ospec['choices'][0]
    if ospec.get('no_log'):  # a secret of its own: the secret scan must not find it in every output
        return 'Sample-Secret-' + world['uniq']
    return {'bool': True, 'list': [], 'dict': {}, 'int': 1, 'float': 1.0}.get(kind, world['domain'])


# printed by the module today (extra is shown in results): a known leak for the secret scan
EXTRA_PASSWORD = 'Extra-Secret-Pw-1'

# ---- running the matrix ---------------------------------------------------------------------------
WORLD = {'uniq': 'bad%s' % os.getpid(), 'domain': 'matrix-%s' % os.getpid(), 'password': 'Matrix-Admin-Placeholder',
         'proxy_placeholder': '@PROXY@'}
CASES = generate(WORLD)


@pytest.fixture(scope='module')
def outcomes(keystone, admin, access_log, tmp_path_factory):
    """Run every case (WORKERS at a time), each through its own proxy; return {case id: outcome}."""
    dom = admin.make_domain(WORLD['domain'])
    admin.make_user('member-' + WORLD['uniq'], dom['id'])
    admin.make_project('proj-' + WORLD['uniq'], dom['id'])
    admin.post('/groups', {'group': {'name': 'team-' + WORLD['uniq'], 'domain_id': dom['id']}})
    mark = access_log.mark()
    started = time.monotonic()

    base = tmp_path_factory.mktemp('matrix')  # one directory per case under it: mktemp is not thread-safe

    def one(case):
        case_id, module, args = case
        directory = base / ('case-%03d' % CASES.index(case))
        directory.mkdir()
        with fp.FaultProxy(keystone['auth_url'], lifetime=120) as proxy:
            text = (json.dumps(args).replace('@PROXYHOST@', proxy.url.split('://', 1)[1].split('/', 1)[0])
                    .replace('@PROXY@', proxy.url).replace(WORLD['password'], keystone['password']))
            clouds = proxied_clouds_yaml(keystone, proxy.url, directory / 'clouds.yaml')
            run = module_runner(module_environment(clouds), access_log, directory)
            try:
                # a domain configuration that slipped through would change how Keystone reads a
                # domain (the Default one, for an empty name): check mode, judged on failed only
                result = run(module, _check=module in CHECK_MODE_ONLY, **json.loads(text))
                return case_id, dict(result=result.result, stderr=result.stderr, events=list(proxy.events))
            except AssertionError as exc:  # no JSON at all: a crash
                return case_id, dict(result=None, stderr=str(exc), events=list(proxy.events))

    with secret_scan.capturing('test_bad_input.py (matrix)'), ThreadPoolExecutor(WORKERS) as pool:
        found = dict(pool.map(one, CASES))
    seen_writes = sum(1 for o in found.values() for e in o['events'] if e.method in WRITE_METHODS
                      and e.path != '/v3/auth/tokens' and e.forwarded)
    if os.environ.get('IAMOPS_MATRIX_REPORT'):  # one line per case, to triage the matrix
        with open(os.environ['IAMOPS_MATRIX_REPORT'], 'w') as handle:
            for case_id, outcome in sorted(found.items()):
                result = outcome['result'] or {}
                writes = [e.method + ' ' + e.path for e in outcome['events'] if e.method in WRITE_METHODS
                          and e.path != '/v3/auth/tokens' and e.forwarded]
                handle.write(json.dumps(dict(case=case_id, failed=result.get('failed'), msg=(result.get('msg') or '')[:300],
                                             crash=outcome['result'] is None, exception='exception' in result,
                                             traceback='Traceback' in outcome['stderr'], writes=writes,
                                             requests=len(outcome['events']))) + '\n')
    found['__totals__'] = dict(seconds=time.monotonic() - started, keystone_writes=len(access_log.writes(mark)),
                               proxy_writes=seen_writes)
    return found


def test_matrix_size_and_write_accounting(outcomes):
    totals = outcomes['__totals__']
    assert 150 <= len(CASES) <= 500, len(CASES)
    assert set(m for _c, m, _a in CASES) == set(modules())  # every module has cases
    # Keystone's own log holds exactly the writes the cases' proxies forwarded: none escaped attribution
    assert totals['keystone_writes'] == totals['proxy_writes'], totals


def _param(case):
    return pytest.param(case[0], id=case[0])


@pytest.mark.parametrize('case_id', [_param(case) for case in CASES])
def test_bad_input(outcomes, case_id):
    outcome = outcomes[case_id]
    result = outcome['result']
    assert result is not None, 'the module printed no JSON (a crash):\n' + outcome['stderr'][-2000:]
    assert 'Traceback' not in outcome['stderr'], outcome['stderr'][-2000:]
    assert 'exception' not in result, result['exception'][-2000:]
    writes = [(e.method, e.path) for e in outcome['events']
              if e.method in WRITE_METHODS and e.path != '/v3/auth/tokens' and e.forwarded]
    assert writes == [], 'input accepted and written: %s; result %s' % (writes, json.dumps(result)[:500])
    assert result.get('failed') is True, 'bad input accepted: %s' % json.dumps(result)[:500]
    msg = result.get('msg')
    assert isinstance(msg, str) and msg.strip() and '\n' not in msg, msg
    if ': auth.auth_url ' in case_id:  # refused before the password was sent anywhere
        assert outcome['events'] == [], [(e.method, e.path) for e in outcome['events']]
        assert msg.startswith('keystone: auth_url '), msg
