# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a failed request says, in one line: the server's own error text (found by the provider's
error query, or a short excerpt of a non-JSON answer), or the kind and reason of a transport
failure (connect and read timeouts, a dropped connection, TLS)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.iamops.identity.plugins.module_utils._query import first_found
from ansible_collections.iamops.identity.plugins.module_utils._requests_lib import requests, urllib3_exceptions

# Where a server's own error text commonly sits in a JSON error body: {"error": {"message"}},
# {"status": {"message"}}, {"message"}, {"title"}, {"error": "text"}, {"detail"}. A provider
# gives its own query (a JMESPath ``a || b`` chain) where it knows its servers' shape.
DEFAULT_ERROR_QUERY = "error.message || status.message || message || title || error || detail"


def text_excerpt(response, size=200, scrub=None):
    """The first ``size`` characters of a response's text, markup and runs of space removed."""
    text = re.sub(r'<[^>]+>', ' ', response.text or '')
    text = ' '.join(text.split())
    # scrubbed before it is cut: a secret cut in two at the end would no longer be recognised
    return (scrub(text) if scrub else text)[:size]


def content_type(response):
    return (response.headers.get('Content-Type') or 'no content type').split(';')[0].strip()


def server_message(response, query=DEFAULT_ERROR_QUERY, scrub=None):
    """The server's own error text from ``response`` (JSON error body or a short text excerpt)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if body is not None:
        found = first_found(query, body) if isinstance(body, dict) else None
        if isinstance(found, dict):
            found = found.get('description') or found.get('message') or found
        if found:
            return found if isinstance(found, str) else repr(found)
        return None
    text = text_excerpt(response, scrub=scrub)
    if not text:
        return None
    return 'non-JSON answer (%s): %s' % (content_type(response), text)


# ---- transport failures ----------------------------------------------------------------------
def root_cause(exc):
    """The innermost readable reason of a requests/urllib3 exception chain."""
    seen = exc
    while True:
        inner = seen.args[0] if seen.args and isinstance(seen.args[0], Exception) else None
        inner = inner or getattr(seen, 'reason', None)
        if not isinstance(inner, Exception) or inner is seen:
            break
        seen = inner
    text = str(seen)
    for pattern in (r"\[SSL[^\]]*\][^()'\"]*", r'Failed to establish a new connection: ([^\'")]*)',
                    r'(Name or service not known|Temporary failure in name resolution)'):
        match = re.search(pattern, text)
        if match:
            return (match.group(1) if match.groups() else match.group(0)).strip(' .')
    if isinstance(seen, urllib3_exceptions.ProtocolError) and len(seen.args) > 1:
        text = str(seen.args[1]) or type(seen.args[1]).__name__
    text = re.sub(r'<urllib3\.[^>]*>', '', text)
    return re.sub(r'\s+', ' ', text).strip(' :,') or type(exc).__name__


def _exception_chain(exc):
    """``exc`` and the exceptions it wraps (args, ``reason``, context), outermost first."""
    seen = []
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if not isinstance(current, BaseException) or any(current is s for s in seen):
            continue
        seen.append(current)
        todo.extend(a for a in current.args if isinstance(a, BaseException))
        todo.extend((getattr(current, 'reason', None), current.__cause__, current.__context__))
    return seen


def transport_kind(exc):
    """'tls', 'connect', 'connect_timeout', 'read_timeout', 'dropped' or 'other' for a requests error."""
    if isinstance(exc, requests.exceptions.SSLError):
        return 'tls'
    chain = _exception_chain(exc)
    for kind, types in (('read_timeout', (urllib3_exceptions.ReadTimeoutError,)),
                        ('connect', (urllib3_exceptions.NewConnectionError,)),
                        ('connect_timeout', (urllib3_exceptions.ConnectTimeoutError,)),
                        ('dropped', (urllib3_exceptions.ProtocolError,))):
        if any(isinstance(e, types) for e in chain):
            return kind
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return 'connect_timeout'
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return 'read_timeout'
    return 'other'


def _seconds(value):
    return '%g s' % value


def transport_reason(exc, kind, origin, timeout):
    """One line saying why talking to ``origin`` failed (``timeout``: (connect, read) seconds)."""
    cause = root_cause(exc)
    if kind == 'tls':
        if 'CERTIFICATE_VERIFY_FAILED' in cause or 'certificate' in cause.lower():
            return ('the TLS certificate of %s could not be verified (%s); give its CA bundle with '
                    'ca_path, or set validate_certs=false for a test server' % (origin, cause))
        return 'TLS handshake with %s failed (%s); is it an https server?' % (origin, cause)
    if kind == 'connect_timeout':
        return 'could not connect to %s within %s' % (origin, _seconds(timeout[0]))
    if kind == 'read_timeout':
        return 'no answer from %s within %s' % (origin, _seconds(timeout[1]))
    if kind == 'dropped':
        return 'the connection to %s was dropped before an answer (%s)' % (origin, cause)
    if kind == 'connect':
        return 'cannot connect to %s: %s' % (origin, cause)
    return '%s (talking to %s)' % (cause, origin)
