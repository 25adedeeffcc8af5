"""A session-wide secret scan: every byte an Ansible run printed, checked against every secret used.

While a test runs (the autouse fixture in tests/integration/conftest.py wraps each test in
:func:`capturing`), every ``subprocess.run`` that runs Ansible - a module process
(``python -m ansible_collections...``) or ``ansible-playbook`` - is watched:

* its output (stdout and stderr: results, diffs, warnings, failures, every verbosity) is kept;
* the secrets it was GIVEN are registered: values under secret-looking keys (password,
  bind password, token, client_secret, api_key, access_key, private_key, credential...) anywhere
  in its module args file, its playbook, its ``-e @file`` / ``-e JSON`` variables, the clouds.yaml
  it points at (``OS_CLIENT_CONFIG_FILE``) and its environment (``OS_PASSWORD``...), nested dicts
  such as ``extra`` included.

One place may hold a secret by design: a module process's result key ``generated_password``
(top level, or in an entry of a batch's ``results``), where ``identity_user`` returns the
password it generated (``password: generate``) once. That key is taken out of a module process's
result before its output is kept (:func:`without_generated`), so a test registers a generated
password and the scan proves it is in no other place of that output (diff, warnings, ``user``,
``item``) and in no output of ``ansible-playbook``, where the onboarding role must never show it.

Tests register other secrets with :func:`register` (the admin client's token, a provider's API
key...). At the end of the session :func:`findings` lists every registered secret, and every
Keystone Fernet token (``gAAAAA...``) or JWT, found in any captured output; the conftest hooks
print them and fail the session. A finding names the test and the secret's label, never the
secret itself.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import subprocess
import threading
from urllib.parse import quote, quote_plus

SECRET_KEY = re.compile(r'(pass(word|wd|phrase)?|secret|token|api_?key|access_?key|private_?key|credentials?'
                        r'|bind_?pw|signing_?key|jwt)$', re.IGNORECASE)
NOT_SECRET_KEYS = frozenset(('update_password', 'token_type', 'token_endpoint_auth_method', 'no_log'))
# option values under secret-looking keys that are no secret ('generate': password: generate)
NOT_SECRET_VALUES = frozenset(('always', 'on_create', '********', 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER', 'generate'))
MIN_LENGTH = 6
PATTERNS = {
    'a Keystone Fernet token': re.compile(r'gAAAAA[A-Za-z0-9_=-]{40,}'),
    'a JWT': re.compile(r'eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}'),
}

_lock = threading.Lock()
_secrets: dict[str, str] = {}        # value -> label
_known: dict[str, str] = {}          # value -> the defect that prints it today
_outputs: list[tuple[str, str, str]] = []  # (test id, what ran, text)
_current = type("Current", (), {"test": None})()  # one test at a time; its threads share it
_real_run = subprocess.run
# environment variables of the providers whose secret-looking names hold secrets
ENV_PREFIXES = ('OS_', 'IAMOPS_', 'ONELOGIN_', 'AUTHRESS_', 'CONNECT_')
# (id key, secret key) pairs sent together as HTTP Basic: base64('id:secret') is a secret too
BASIC_PAIRS = (('client_id', 'client_secret'), ('ONELOGIN_CLIENT_ID', 'ONELOGIN_CLIENT_SECRET'))


def register(value, label='a secret'):
    """Add VALUE (a string of at least MIN_LENGTH characters) to the secrets no output may hold."""
    if isinstance(value, str) and len(value.strip()) >= MIN_LENGTH and value not in NOT_SECRET_VALUES \
            and '{{' not in value:
        with _lock:
            _secrets.setdefault(value, label)


def known_leak(value, defect):
    """VALUE is printed today because of DEFECT: reported as a known leak, not a failure - but
    strict, like ``xfail(strict=True)``: once it is no longer printed the session fails until the
    call is removed."""
    register(value, 'a secret')
    with _lock:
        _known[value] = defect


def register_basic(user, password, label='HTTP Basic credentials'):
    """Register base64('USER:PASSWORD'), what HTTP Basic authentication sends."""
    if isinstance(user, str) and isinstance(password, str) and password:
        for encoding in ('latin-1', 'utf-8'):  # requests sends str credentials as latin-1
            try:
                register(base64.b64encode(('%s:%s' % (user, password)).encode(encoding)).decode('ascii'), label)
            except UnicodeEncodeError:
                pass


def register_from(data, where='args'):
    """Register the values under secret-looking keys anywhere in DATA (dicts, lists), and the
    HTTP Basic form of a client_id/client_secret pair."""
    if isinstance(data, dict):
        for id_key, secret_key in BASIC_PAIRS:
            if isinstance(data.get(id_key), str) and isinstance(data.get(secret_key), str):
                register_basic(data[id_key], data[secret_key], 'HTTP Basic of %s:%s in %s' % (id_key, secret_key, where))
        for key, value in data.items():
            if isinstance(key, str) and SECRET_KEY.search(key) and key not in NOT_SECRET_KEYS:
                for leaf in _strings(value):
                    register(leaf, '%s given as %s in %s' % ('a secret', key, where))
            else:
                register_from(value, where)
    elif isinstance(data, list):
        for item in data:
            register_from(item, where)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def capture(text, what, test=None):
    """Keep TEXT (str or bytes), printed by WHAT during TEST (default: the current test)."""
    if isinstance(text, bytes):
        text = text.decode('utf-8', 'replace')
    if text:
        with _lock:
            _outputs.append((test or getattr(_current, 'test', None) or '(no test)', what, text))


def _load(path):
    """A JSON or YAML file as data (None when unreadable)."""
    try:
        with open(path, encoding='utf-8') as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        import yaml
        return yaml.safe_load(text)
    except Exception:  # noqa: BLE001 - not data we can read: nothing to register
        return None


def _is_ansible(argv):
    return any('ansible-playbook' in arg or arg.startswith('ansible_collections.') for arg in argv)


def _register_inputs(argv, env):
    """Register what an Ansible process was given: args files, playbooks, -e variables, env, clouds.yaml."""
    for index, arg in enumerate(argv):
        previous = argv[index - 1] if index else ''
        if previous in ('-e', '--extra-vars'):
            data = _load(arg[1:]) if arg.startswith('@') else _parse_inline(arg)
            register_from(data, 'extra vars')
        elif os.path.isfile(arg) and arg.endswith(('.json', '.yml', '.yaml')):
            register_from(_load(arg), os.path.basename(arg))
    env = env or {}
    for key, value in env.items():
        if key.startswith(ENV_PREFIXES) and SECRET_KEY.search(key.split('_', 1)[1]):
            register(value, 'environment %s' % key)
    for id_key, secret_key in BASIC_PAIRS:
        if env.get(id_key) and env.get(secret_key):
            register_basic(env[id_key], env[secret_key], 'HTTP Basic of environment %s:%s' % (id_key, secret_key))
    clouds = env.get('OS_CLIENT_CONFIG_FILE')
    if clouds and os.path.isfile(clouds):
        register_from(_load(clouds), 'clouds.yaml')


def _parse_inline(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


def _describe(argv):
    """What ran, without its arguments (they may hold secrets): the module or the playbook's name."""
    for arg in argv:
        if arg.startswith('ansible_collections.'):
            return 'module ' + arg.rsplit('.', 1)[-1]
    names = [os.path.basename(a) for a in argv if a.endswith(('.yml', '.yaml'))]
    return 'ansible-playbook ' + (names[0] if names else '')


ALLOWED_KEY = 'generated_password'  # a module's result key returning a generated password


def without_generated(text):
    """A module process's stdout with its result's :data:`ALLOWED_KEY` values taken out (at top
    level and in each ``results`` entry); any other text is kept as it is."""
    try:
        result = json.loads(text)
    except (TypeError, ValueError):
        return text
    if not isinstance(result, dict):
        return text
    result.pop(ALLOWED_KEY, None)
    for entry in result.get('results') or []:
        if isinstance(entry, dict):
            entry.pop(ALLOWED_KEY, None)
    return json.dumps(result)


def _watching_run(*args, **kwargs):
    """``subprocess.run`` that registers an Ansible process's secrets and keeps its output."""
    argv = args[0] if args else kwargs.get('args')
    argv = [str(a) for a in argv] if isinstance(argv, (list, tuple)) else [str(argv)]
    ansible = _is_ansible(argv)
    if ansible:
        _register_inputs(argv, kwargs.get('env') or os.environ)
    result = _real_run(*args, **kwargs)  # pylint: disable=subprocess-run-check
    if ansible:
        what = _describe(argv)
        module = what.startswith('module ')
        capture(without_generated(result.stdout) if module else result.stdout, what + ' (stdout)')
        capture(result.stderr, what + ' (stderr)')
    return result


@contextlib.contextmanager
def capturing(test):
    """Watch the Ansible runs of TEST (its node id) while the block runs."""
    _current.test = test
    subprocess.run = _watching_run
    try:
        yield
    finally:
        subprocess.run = _real_run
        _current.test = None


def _forms(secret):
    """The ways SECRET can be printed: as is, JSON-escaped (with and without \\u escapes), as a
    Python literal, URL- and form-encoded, base64 (standard, URL-safe, unpadded)."""
    forms = {secret, json.dumps(secret, ensure_ascii=False)[1:-1], json.dumps(secret)[1:-1], repr(secret)[1:-1],
             quote(secret, safe=''), quote_plus(secret, safe='')}
    raw = secret.encode('utf-8')
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        forms.update((encoded.decode('ascii'), encoded.decode('ascii').rstrip('=')))
    return set(form for form in forms if len(form) >= MIN_LENGTH)


def _decoded(text):
    """TEXT plus every string inside the JSON documents it holds (a module's result, the JSON a
    playbook prints at -v): an escaped secret inside a JSON string is found in its decoded form."""
    found = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                found.append(str(key))
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    decoder = json.JSONDecoder()
    done = 0  # documents do not overlap: a line inside one already read is not a start
    for start in [0] + [m.start() for m in re.finditer(r'(?m)^[^{\n]*(?=\{)', text)]:
        index = text.find('{', start)
        if index < done:
            continue
        try:
            value, done = decoder.raw_decode(text, index)
        except ValueError:
            continue
        walk(value)
    return text + ('\n' + '\n'.join(found) if found else '')


def findings():
    """``[(test, what ran, label)]``: each registered secret or token pattern found in an output."""
    with _lock:
        secrets = dict(_secrets)
        outputs = list(_outputs)
    found = []
    for test, what, text in outputs:
        text = _decoded(text)
        for secret, label in secrets.items():
            if secret not in _known and any(form in text for form in _forms(secret)):
                found.append((test, what, label))
        for label, pattern in PATTERNS.items():
            if pattern.search(text):
                found.append((test, what, label))
    return sorted(set(found))


def known():
    """``{defect: seen}`` for the known leaks: seen is whether any output still holds the secret."""
    with _lock:
        outputs = [text for _t, _w, text in _outputs]
        leaks = dict(_known)
    return dict((defect, any(form in text for text in outputs for form in _forms(value)))
                for value, defect in leaks.items())


def failed():
    """True when the session must fail: a leak, or a known leak no longer seen."""
    return bool(findings()) or not all(known().values())


def stats():
    with _lock:
        return {'secrets': len(_secrets), 'outputs': len(_outputs),
                'bytes': sum(len(text) for _t, _w, text in _outputs)}


def report():
    """Lines for the terminal summary (no secret value in them)."""
    found = findings()
    numbers = stats()
    lines = ['secret scan: %(secrets)d secrets checked in %(outputs)d outputs (%(bytes)d characters)' % numbers]
    lines += ['LEAK: %s found in the output of %s [%s]' % (label, what, test) for test, what, label in found]
    for defect, seen in sorted(known().items()):
        lines.append(('known leak, still printed: %s' if seen else
                      'known leak NO LONGER printed (remove its secret_scan.known_leak call): %s') % defect)
    return lines, failed()


def dump(path):
    """Write what this session registered and captured to PATH (JSON, mode 0600), for
    :func:`merge`: the integration tests run as two pytest processes, and every secret of one is
    checked against every output of both."""
    with _lock:
        data = {'secrets': dict(_secrets), 'known': dict(_known), 'outputs': list(_outputs)}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, 'w', encoding='utf-8') as handle:
        json.dump(data, handle)


def merge(paths):
    """Load the :func:`dump` files of PATHS into this process (after :func:`reset`): then
    :func:`report` is the scan of all those sessions at once."""
    reset()
    for path in paths:
        with open(path, encoding='utf-8') as handle:
            data = json.load(handle)
        with _lock:
            for value, label in data['secrets'].items():
                _secrets.setdefault(value, label)
            _known.update(data['known'])
            _outputs.extend(tuple(entry) for entry in data['outputs'])


def main(argv):
    """``python secret_scan.py merge FILE...``: the report of the merged sessions; exit 1 on a leak."""
    if len(argv) < 2 or argv[0] != 'merge':
        print('usage: secret_scan.py merge FILE...')
        return 2
    merge(argv[1:])
    lines, leaked = report()
    print('\n'.join(['merged %d sessions: ' % len(argv[1:]) + lines[0]] + lines[1:]))
    return 1 if leaked else 0


def reset():
    """Forget every secret and output (the unit tests of this module use it)."""
    with _lock:
        _secrets.clear()
        _outputs.clear()
        _known.clear()


if __name__ == '__main__':
    import sys
    sys.exit(main(sys.argv[1:]))
