# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP client shared by every provider.

One ``requests.Session`` per module run with:

* connect/read timeouts and TLS verification on by default (``validate_certs``, ``ca_path``);
* retries with exponential backoff done by urllib3's ``Retry`` on the session's adapter: connection
  errors, and 429/502/503/504 answers to idempotent methods (GET, HEAD, PUT, PATCH, DELETE,
  OPTIONS), honouring ``Retry-After`` (capped). POST is never retried on a status, so a create is
  never repeated blindly; the module frame looks the object up again instead;
* a pagination iterator driven by a provider-supplied "next page" function;
* a request counter (``stats``) that tests and benchmarks read;
* errors mapped to one :class:`APIError` carrying method, path (sensitive query values redacted),
  status and the server's own message, with every registered secret scrubbed from it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import traceback

from ansible.module_utils.six.moves.urllib.parse import urlsplit, parse_qsl, urlencode

from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, IdentityError

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry
except ImportError:  # pragma: no cover - reported by the module frame
    requests = None
    HTTPAdapter = object
    Retry = object
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

JMESPATH_IMPORT_ERROR = None
try:
    import jmespath
except ImportError:  # pragma: no cover - reported by the module frame
    jmespath = None
    JMESPATH_IMPORT_ERROR = traceback.format_exc()

WRITE_METHODS = frozenset(('POST', 'PUT', 'PATCH', 'DELETE'))
RETRY_STATUSES = frozenset((429, 502, 503, 504))
RETRY_METHODS = frozenset(('GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'))
SENSITIVE_QUERY = re.compile(r'(pass|secret|token|key|signature|auth)', re.IGNORECASE)
MAX_RETRY_AFTER = 60.0

# Where the server's own error text sits in the error bodies of the providers we speak to:
# Keystone {"error": {"message"}}, OneLogin v1 {"status": {"message"}}, OneLogin v2 / generic
# {"message"}, Authress {"title"}, Posit Connect {"error": "text"}.
DEFAULT_ERROR_QUERY = "error.message || status.message || message || title || error || detail"


class CappedRetry(Retry):
    """urllib3 ``Retry`` whose ``Retry-After`` wait is bounded, so total time stays bounded."""

    def get_retry_after(self, response):
        value = super(CappedRetry, self).get_retry_after(response)
        if value is None:
            return None
        return min(value, MAX_RETRY_AFTER)


def make_retry(retries, backoff_factor):
    kwargs = dict(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        backoff_factor=backoff_factor,
        status_forcelist=RETRY_STATUSES,
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )
    try:
        return CappedRetry(allowed_methods=RETRY_METHODS, **kwargs)
    except TypeError:  # urllib3 < 1.26
        return CappedRetry(method_whitelist=RETRY_METHODS, **kwargs)


def redact_url(url):
    """Path and query of ``url`` with the values of sensitive-looking parameters replaced."""
    parts = urlsplit(url)
    path = parts.path or '/'
    if not parts.query:
        return path
    pairs = [(k, '***' if SENSITIVE_QUERY.search(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return '%s?%s' % (path, urlencode(pairs, safe='*'))


def server_message(response, query=DEFAULT_ERROR_QUERY):
    """The server's own error text from ``response`` (JSON error body or a short text excerpt)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if body is not None:
        found = jmespath.search(query, body) if isinstance(body, dict) else None
        if isinstance(found, dict):
            found = found.get('description') or found.get('message') or found
        if found:
            return found if isinstance(found, str) else repr(found)
        return None
    text = re.sub(r'<[^>]+>', ' ', response.text or '')
    text = ' '.join(text.split())
    if not text:
        return None
    ctype = response.headers.get('Content-Type', 'unknown content type')
    return 'non-JSON answer (%s): %s' % (ctype.split(';')[0], text[:200])


class HTTPClient:
    """A ``requests.Session`` bound to one base URL and one provider's conventions."""

    def __init__(self, base_url, provider, timeout=30.0, validate_certs=True, ca_path=None,
                 retries=4, backoff_factor=0.5, headers=None, error_query=DEFAULT_ERROR_QUERY,
                 user_agent='iamops.identity'):
        self.base_url = base_url.rstrip('/')
        self.provider = provider
        self.timeout = (min(10.0, timeout), timeout)
        self.error_query = error_query
        self.secrets = set()
        self.stats = {'requests': 0, 'writes': 0, 'retries': 0}
        self.by_method = {}
        self.session = requests.Session()
        # passed with every request: a session-level value loses to REQUESTS_CA_BUNDLE
        self.verify = ca_path if (validate_certs and ca_path) else bool(validate_certs)
        if not self.verify:  # the user chose this; do not repeat a warning on every request
            requests.packages.urllib3.disable_warnings(
                requests.packages.urllib3.exceptions.InsecureRequestWarning)
        self.session.headers['User-Agent'] = user_agent
        self.session.headers['Accept'] = 'application/json'
        if headers:
            self.session.headers.update(headers)
        adapter = HTTPAdapter(max_retries=make_retry(retries, backoff_factor), pool_maxsize=16)
        self.session.mount('http://', adapter)
        self.session.mount('https://', adapter)

    # --------------------------------------------------------------------------------------
    def add_secret(self, value):
        """Register a secret: it is scrubbed from every message this client produces."""
        if value and isinstance(value, str) and len(value) >= 4:
            self.secrets.add(value)

    def scrub(self, text):
        if not isinstance(text, str):
            return text
        for secret in self.secrets:
            text = text.replace(secret, '********')
        return text

    def url(self, path):
        if path.startswith('http://') or path.startswith('https://'):
            return path
        return self.base_url + '/' + path.lstrip('/')

    def _count(self, method, response):
        self.stats['requests'] += 1
        self.by_method[method] = self.by_method.get(method, 0) + 1
        if method in WRITE_METHODS:
            self.stats['writes'] += 1
        retries = getattr(getattr(response, 'raw', None), 'retries', None)
        if retries is not None and retries.history:
            self.stats['retries'] += len(retries.history)

    def request(self, method, path, json=None, params=None, headers=None, ok=None, data=None,
                auth=None):
        """Send one request; return the ``requests.Response`` or raise :class:`APIError`.

        ``ok`` is the set of acceptable statuses (default: any 2xx).
        """
        method = method.upper()
        url = self.url(path)
        shown = redact_url(requests.Request(method, url, params=params).prepare().url)
        try:
            response = self.session.request(method, url, json=json, params=params, data=data,
                                            headers=headers, timeout=self.timeout,
                                            allow_redirects=False, auth=auth, verify=self.verify)
        except requests.exceptions.SSLError as exc:
            cause = _root_cause(exc)
            if 'CERTIFICATE_VERIFY_FAILED' in cause or 'certificate' in cause.lower():
                reason = ('the TLS certificate of %s could not be verified (%s); give its CA '
                          'bundle with ca_path, or set validate_certs=false for a test server'
                          % (self._origin(url), cause))
            else:
                reason = 'TLS handshake with %s failed (%s); is it an https server?' % (
                    self._origin(url), cause)
            raise APIError(self.provider, method, shown, reason=self.scrub(reason))
        except requests.exceptions.ConnectTimeout:
            raise APIError(self.provider, method, shown, transient=True, reason=(
                'could not connect to %s within %ss' % (self._origin(url), self.timeout[0])))
        except requests.exceptions.ReadTimeout:
            raise APIError(self.provider, method, shown, transient=True, reason=(
                'no answer from %s within %ss' % (self._origin(url), self.timeout[1])))
        except requests.exceptions.ConnectionError as exc:
            raise APIError(self.provider, method, shown, transient=True, reason=self.scrub(
                'cannot connect to %s: %s' % (self._origin(url), _root_cause(exc))))
        except requests.exceptions.RequestException as exc:
            raise APIError(self.provider, method, shown, reason=self.scrub(_root_cause(exc)))
        self._count(method, response)
        good = (200 <= response.status_code < 300) if ok is None else response.status_code in ok
        if not good:
            raise APIError(self.provider, method, shown, status=response.status_code,
                           server_message=self.scrub(server_message(response, self.error_query)),
                           transient=response.status_code in RETRY_STATUSES)
        return response

    def json(self, method, path, **kwargs):
        """Like :meth:`request`, returning the decoded JSON body (``None`` for an empty body)."""
        return self.decode(self.request(method, path, **kwargs))

    def decode(self, response):
        """The JSON body of a successful ``response``; a non-JSON body is an :class:`APIError`."""
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise APIError(self.provider, response.request.method, redact_url(response.url),
                           status=response.status_code,
                           server_message='expected JSON, got %s' % server_message(response, self.error_query))

    def get(self, path, params=None, missing_ok=False):
        """GET a JSON document; with ``missing_ok`` a 404 returns ``None``."""
        try:
            return self.json('GET', path, params=params)
        except APIError as exc:
            if missing_ok and exc.status == 404:
                return None
            raise

    def paginate(self, path, params, items, next_page):
        """Yield the items of every page of a listing, one page in memory at a time.

        ``items(body)`` returns the page's list; ``next_page(body, response, params)`` returns
        ``(path, params)`` of the next page, or ``None`` after the last one.
        """
        while path:
            response = self.request('GET', path, params=params)
            body = response.json() if response.content else None
            yield from items(body) or ()
            following = next_page(body, response, params)
            path, params = following if following else (None, None)

    @staticmethod
    def _origin(url):
        parts = urlsplit(url)
        return '%s://%s' % (parts.scheme, parts.netloc)


def _root_cause(exc):
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
    text = re.sub(r'<urllib3\.[^>]*>', '', text)
    return re.sub(r'\s+', ' ', text).strip(' :,') or type(exc).__name__


def validate_query(expression):
    """Refuse a JMESPath expression that does not compile (before any request)."""
    try:
        jmespath.compile(expression)
    except jmespath.exceptions.JMESPathError as exc:
        raise IdentityError('invalid query %r: %s' % (expression, str(exc).splitlines()[0]))


def jmespath_search(expression, data):
    """Apply a JMESPath expression, turning its syntax errors into one clear message."""
    try:
        return jmespath.search(expression, data)
    except jmespath.exceptions.JMESPathError as exc:
        raise IdentityError('invalid query %r: %s' % (expression, str(exc).splitlines()[0]))
