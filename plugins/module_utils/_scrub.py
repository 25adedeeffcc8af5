# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keeping secrets out of every message the HTTP client produces.

* :class:`SecretRegistry` (a part of the client): the secrets of one run, registered in every
  encoding a request may carry them in, masked in any text;
* :func:`scrub_fields`: the values of secret-named fields masked in a server's text (a server
  that echoes the request), whatever their length;
* :func:`redact_url`: a URL's path and query, the values of sensitive-looking parameters hidden.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json as _json
import re

from urllib.parse import urlsplit, parse_qsl, urlencode, quote, quote_plus

SENSITIVE_QUERY = re.compile(r'(pass|secret|token|key|signature|auth)', re.IGNORECASE)
# A secret shorter than this is not scrubbed as a substring: masking every "c" of a message because
# a key had a one-letter piece mangles it. Credentials shorter than this are refused by the
# providers (_urls.check_secret); short passwords are still hidden by Ansible's own no_log and, in
# an echoed body, by the field they stand in (see scrub_fields).
MIN_SECRET_LENGTH = 8
MASK = '********'
# The values of fields named like these are masked in a server's text, whatever their length: a
# server that echoes the request ("password": "...", password=..., Authorization: Basic ...).
SECRET_FIELD = r'[A-Za-z0-9_.-]*(?:pass|secret|salt|token|api_?key|access_?key|private|credential|signature|hash|authori[sz]ation|cookie)[A-Za-z0-9_.-]*'
_FIELD_PATTERNS = (
    # JSON: "password": "x" (a JSON string body, escapes included)
    re.compile(r'(?i)("%s"\s*:\s*")((?:[^"\\]|\\.)*)(?=")' % SECRET_FIELD),
    # Python literals: 'password': 'x'
    re.compile(r"(?i)('%s'\s*:\s*')((?:[^'\\]|\\.)*)(?=')" % SECRET_FIELD),
    # JSON quoted inside a JSON string: \"password\": \"x\"
    re.compile(r'(?i)(\\"%s\\"\s*:\s*\\")((?:\\\\\\"|[^"\\]|\\[^"])*)(?=\\")' % SECRET_FIELD),
    # headers and form fields: Authorization: Basic x, password=x, X-Auth-Token: x
    re.compile(r'(?i)(\b%s\s*[:=]\s*(?:(?:Basic|Bearer|Key|Token|Digest)\s+)?)([^\s&,;"\'<>]+)' % SECRET_FIELD),
    # a bare authorization header value: Basic x / Bearer x
    re.compile(r'(\b(?:Basic|Bearer)\s+)([A-Za-z0-9+/=._~-]{8,})'),
)

_SECRET_KEY = re.compile('^%s$' % SECRET_FIELD, re.IGNORECASE)
_NOT_SECRET_KEY = re.compile(r'(algorithm|_type|_method|_policy|^update_)', re.IGNORECASE)


def secret_forms(value):
    """The ways a request may carry ``value``: as is, JSON-escaped (ASCII or not), as a Python
    literal (a server's dict shown with repr), URL-quoted,
    form-encoded, base64 (standard and URL-safe, with and without padding)."""
    forms = {value, _json.dumps(value)[1:-1], _json.dumps(value, ensure_ascii=False)[1:-1],
             repr(value)[1:-1], quote(value, safe=''), quote_plus(value, safe='')}
    raw = value.encode('utf-8')
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        text = encoded.decode('ascii')
        forms.update((text, text.rstrip('=')))
    return set(form for form in forms if len(form) >= MIN_SECRET_LENGTH)


def scrub_fields(text):
    """``text`` with the values of secret-named fields masked, whatever their length: JSON and
    Python pairs (``"password": "x"``, also JSON-escaped inside a string), headers and form fields
    (``Authorization: Basic x``, ``password=x``) and bare ``Basic``/``Bearer`` credentials."""
    if not isinstance(text, str):
        return text
    for pattern in _FIELD_PATTERNS:
        text = pattern.sub(lambda match: match.group(1) + MASK, text)
    return text


def redact_url(url):
    """Path and query of ``url`` with the values of sensitive-looking parameters replaced."""
    parts = urlsplit(url)
    path = parts.path or '/'
    if not parts.query:
        return path
    pairs = [(k, '***' if SENSITIVE_QUERY.search(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return '%s?%s' % (path, urlencode(pairs, safe='*'))


def is_secret_key(key):
    """Whether a body field named ``key`` holds a secret (``password``, not ``password_algorithm``)."""
    return bool(_SECRET_KEY.search(str(key))) and not _NOT_SECRET_KEY.search(str(key))


class SecretRegistry:
    """The secrets of one run (``secrets``: every form of each) and the scrubbing of text."""

    def __init__(self):
        self.secrets = set()

    def add_secret(self, value):
        """Register a secret: it is scrubbed from every message this client produces, in every
        encoding a request may have carried it in (as is, JSON-escaped, URL- and form-encoded,
        base64). A value shorter than :data:`MIN_SECRET_LENGTH` is not: masking it as a substring
        would mangle messages (see :func:`scrub_fields` for the field it was sent in)."""
        if not (value and isinstance(value, str) and len(value) >= MIN_SECRET_LENGTH):
            return
        self.secrets.update(secret_forms(value))

    def add_basic_auth(self, user, password):
        """Register what HTTP Basic authentication with ``user``:``password`` sends."""
        self.add_secret(password)
        for encoding in ('latin-1', 'utf-8'):  # requests encodes str credentials as latin-1
            try:
                raw = ('%s:%s' % (user, password)).encode(encoding)
            except UnicodeEncodeError:
                continue
            self.add_secret(base64.b64encode(raw).decode('ascii'))

    def _register_body_secrets(self, json_body, data):
        """The values of secret-named fields of a request body (a password hash, its salt, a
        bind password) are secrets of this run: a server may quote the body back."""
        todo = [json_body, data if isinstance(data, dict) else None]
        while todo:
            item = todo.pop()
            if isinstance(item, dict):
                for key, value in item.items():
                    if isinstance(value, (dict, list)):
                        todo.append(value)
                    elif isinstance(value, str) and is_secret_key(key):
                        self.add_secret(value)
            elif isinstance(item, list):
                todo.extend(item)

    def scrub(self, text):
        """``text`` with every registered secret (in each of its forms) masked."""
        if not isinstance(text, str):
            return text
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    def scrub_server_text(self, text):
        """A server's own text: registered secrets masked, then the values of secret-named fields
        (a server that echoes the request quotes the credential and the body it was sent)."""
        return scrub_fields(self.scrub(text))
