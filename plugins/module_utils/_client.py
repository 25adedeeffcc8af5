# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP client shared by every provider.

One ``requests.Session`` per module run, bound to one base URL, with:

* timeouts and TLS verification on by default (``validate_certs``, ``ca_path``; a ``ca_path``
  that does not exist is a :class:`ConfigError` when the client is built);
* authentication as a strategy on the session: a :class:`TokenAuth` subclass ``obtain``-s the
  credential lazily, once per run, on the first request (its own requests bypass the strategy
  and count in ``stats['auth']``), ``apply``-es it to every request sent to the base URL's
  origin, and - when ``renewable`` - obtains it again once on a 401 and resends that request
  once. The credential's header values are registered as secrets. No request to another origin
  ever carries the strategy's header, ``Authorization`` or ``X-Auth-Token``;
* retries done by urllib3 on the session's adapter (:class:`ServerRetry`), following what the
  server said: 429, and 503 with ``Retry-After``, were not processed, so any method is retried;
  502/504 and 503 without ``Retry-After`` retry idempotent methods only (never POST). Connect
  errors are retried for any method, read errors never for POST. Waits follow ``Retry-After``,
  else the provider's ``retry_after(response)`` hook (a rate-limit reset header), else
  exponential backoff with jitter; each wait is capped at ``MAX_RETRY_AFTER`` and all of them at
  ``max_total_wait`` seconds, past which the client stops and says "after N retries over S s";
* :meth:`HTTPClient.paginate`, a :class:`Listing` that always ends: it stops, marked incomplete
  with a reason, on a next link already fetched, on a page that brings no new item, or after
  ``max_pages`` pages; next links are rebased onto the base URL's scheme, host and port;
* :meth:`HTTPClient.path` quoting each argument as one path segment;
* counters (``stats``: requests, writes, retries, auth; ``by_method``) that tests and
  benchmarks read;
* every failure one line: an :class:`APIError` naming method, path (sensitive query values
  redacted), status and the server's own text, or the transport failure (read timeout, connect
  timeout, dropped connection, TLS), with every registered secret scrubbed from it, and
  ``outcome_unknown`` set when a write may have reached the server.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import random
import re
import time
import traceback

from urllib.parse import urlsplit, urlunsplit, urljoin, parse_qsl, urlencode, quote

from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError, IdentityError

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.adapters import HTTPAdapter
    from requests.auth import AuthBase
    from urllib3.util.retry import Retry
    from urllib3 import exceptions as urllib3_exceptions
except ImportError:  # pragma: no cover - reported by the module frame
    requests = None
    HTTPAdapter = object
    AuthBase = object
    Retry = object
    urllib3_exceptions = None
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
AUTH_HEADERS = ('Authorization', 'X-Auth-Token')
SENSITIVE_QUERY = re.compile(r'(pass|secret|token|key|signature|auth)', re.IGNORECASE)
MAX_RETRY_AFTER = 60.0
MAX_TOTAL_WAIT = 120.0
MAX_PAGES = 10000

# Where the server's own error text sits in the error bodies of the providers we speak to:
# Keystone {"error": {"message"}}, OneLogin v1 {"status": {"message"}}, OneLogin v2 / generic
# {"message"}, Authress {"title"}, Posit Connect {"error": "text"}.
DEFAULT_ERROR_QUERY = "error.message || status.message || message || title || error || detail"


# ---- retries ---------------------------------------------------------------------------------
class RetryLog:
    """What the retries of one request did (shared by the copies urllib3 makes of the Retry)."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.retries = 0
        self.waited = 0.0
        self.budget_spent = False


class ServerRetry(Retry):
    """urllib3 ``Retry`` that follows what the server said (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        self.log = kwargs.pop('log', None)
        self.retry_after_hook = kwargs.pop('retry_after_hook', None)
        self.max_total_wait = kwargs.pop('max_total_wait', MAX_TOTAL_WAIT)
        self.jitter = kwargs.pop('jitter', 0.0)  # used only where urllib3 lacks backoff_jitter
        # the methods a 502/504 (or a 503 without Retry-After) may resend: none for a
        # non-idempotent request (see HTTPClient.request's ``idempotent``)
        self.status_methods = kwargs.pop('status_methods', RETRY_METHODS)
        self.planned_wait = None
        super(ServerRetry, self).__init__(*args, **kwargs)

    def new(self, **kwargs):
        copy = super(ServerRetry, self).new(**kwargs)
        copy.log, copy.retry_after_hook = self.log, self.retry_after_hook
        copy.max_total_wait, copy.jitter = self.max_total_wait, self.jitter
        copy.status_methods = self.status_methods
        return copy

    def is_retry(self, method, status_code, has_retry_after=False):
        if status_code not in RETRY_STATUSES:
            return False
        if status_code == 429 or (status_code == 503 and has_retry_after):
            return True  # the server did not process the request: any method may be resent
        return (method or '').upper() in self.status_methods

    def get_retry_after(self, response):
        try:
            value = super(ServerRetry, self).get_retry_after(response)
            if value is None and self.retry_after_hook is not None:
                value = self.retry_after_hook(response)
            return None if value is None else max(0.0, min(float(value), MAX_RETRY_AFTER))
        except (ValueError, TypeError, urllib3_exceptions.HTTPError):
            return None  # an unreadable header: fall back to the backoff

    def get_backoff_time(self):
        value = super(ServerRetry, self).get_backoff_time()
        if value > 0 and self.jitter and getattr(self, 'backoff_jitter', None) is None:  # urllib3 1.26
            value += random.random() * self.jitter
        return value

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        retry = super(ServerRetry, self).increment(method, url, response=response, error=error,
                                                   _pool=_pool, _stacktrace=_stacktrace)
        wait = None
        if response is not None and self.respect_retry_after_header:
            wait = retry.get_retry_after(response)
        if wait is None:
            wait = retry.get_backoff_time()
        if self.log is not None:
            if self.log.waited + wait > self.max_total_wait:
                self.log.budget_spent = True
                reason = error or urllib3_exceptions.ResponseError(
                    'HTTP %s' % getattr(response, 'status', '?'))
                raise urllib3_exceptions.MaxRetryError(_pool, url, reason)
            self.log.retries += 1
            self.log.waited += wait
        retry.planned_wait = wait
        return retry

    def sleep(self, response=None):
        if self.planned_wait is None:
            return super(ServerRetry, self).sleep(response)
        if self.planned_wait > 0:
            time.sleep(self.planned_wait)


CappedRetry = ServerRetry  # the former name


def make_retry(retries, backoff_factor, log=None, retry_after=None, max_total_wait=MAX_TOTAL_WAIT,
               methods=RETRY_METHODS):
    """The :class:`ServerRetry` of one client: ``retries`` per kind, jitter up to ``backoff_factor``.

    ``methods``: those whose read errors and 502/504 are retried (an empty set for requests that
    must not be sent twice: only connect errors, 429 and 503 with Retry-After are retried then,
    since the server did not act on those)."""
    kwargs = dict(
        # read=False: a read error (no answer, a dropped connection) is raised at once
        total=retries, connect=retries, read=retries if methods else False, status=retries, other=0,
        backoff_factor=backoff_factor, status_forcelist=RETRY_STATUSES,
        respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False,
        log=log, retry_after_hook=retry_after, max_total_wait=max_total_wait,
        status_methods=frozenset(methods),
    )
    try:  # urllib3 2.x
        return ServerRetry(allowed_methods=RETRY_METHODS, backoff_jitter=backoff_factor, **kwargs)
    except TypeError:  # urllib3 1.26
        return ServerRetry(allowed_methods=RETRY_METHODS, jitter=backoff_factor, **kwargs)


ONCE_HEADER = 'X-Iamops-Send-Once'  # internal marker, removed before the request leaves


class OnceAwareAdapter(HTTPAdapter):
    """The session's adapter: a request marked with :data:`ONCE_HEADER` (a write that must not
    be sent twice) goes through a second adapter whose Retry resends nothing the server may have
    acted on; every other request gets the normal Retry."""

    def __init__(self, once_retries=None, **kwargs):
        super(OnceAwareAdapter, self).__init__(**kwargs)
        self.once = HTTPAdapter(max_retries=once_retries, pool_maxsize=kwargs.get('pool_maxsize', 10))

    def send(self, request, **kwargs):
        if request.headers.pop(ONCE_HEADER, None) is not None:
            return self.once.send(request, **kwargs)
        return super(OnceAwareAdapter, self).send(request, **kwargs)

    def close(self):
        self.once.close()
        super(OnceAwareAdapter, self).close()


# ---- authentication --------------------------------------------------------------------------
class TokenAuth(AuthBase):
    """A provider's way to authenticate, installed as the session's ``auth``.

    Subclasses implement :meth:`obtain` and :meth:`apply`. The client calls ``obtain(client)``
    before the first request that needs it (and again once on a 401 when ``renewable``); the
    requests ``obtain`` sends through ``client`` go out without this strategy and are counted
    in ``stats['auth']``. ``obtain`` may return any object (a token's body, for instance):
    ``apply`` turns it into the header, whose value the client scrubs from every message.
    """

    renewable = True
    header = 'Authorization'  # the header apply() sets: never sent to another origin
    credential = None  # set by the client after each obtain()

    def __init__(self):
        self.credential = None

    def obtain(self, client):
        """Get a fresh credential (using ``client``); return it."""
        raise NotImplementedError

    def apply(self, request, credential):
        """Set ``credential`` on ``request`` (a ``requests.PreparedRequest``)."""
        raise NotImplementedError

    def secrets(self, credential):
        """Values to scrub besides the headers :meth:`apply` sets (default: none)."""
        return ()

    def __call__(self, request):
        if self.credential is not None:
            self.apply(request, self.credential)
        return request


class BearerAuth(TokenAuth):
    """``Authorization: Bearer <token>`` where ``obtain`` returns the token string."""

    def apply(self, request, credential):
        request.headers[self.header] = 'Bearer %s' % credential


class _NoAuth(AuthBase):
    """Overrides the session's strategy for one request (and keeps requests from reading netrc)."""

    def __call__(self, request):
        return request


NO_AUTH = _NoAuth()


# ---- messages --------------------------------------------------------------------------------
def redact_url(url):
    """Path and query of ``url`` with the values of sensitive-looking parameters replaced."""
    parts = urlsplit(url)
    path = parts.path or '/'
    if not parts.query:
        return path
    pairs = [(k, '***' if SENSITIVE_QUERY.search(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return '%s?%s' % (path, urlencode(pairs, safe='*'))


def _search(query, body):
    """``query`` (a JMESPath ``a.b || c`` chain) on ``body``; works without the jmespath library."""
    if jmespath is not None:
        return jmespath.search(query, body)
    for alternative in query.split('||'):
        found = body
        for key in alternative.strip().split('.'):
            found = found.get(key) if isinstance(found, dict) else None
        if found:
            return found
    return None


def _text_excerpt(response, size=200):
    text = re.sub(r'<[^>]+>', ' ', response.text or '')
    return ' '.join(text.split())[:size]


def _content_type(response):
    return (response.headers.get('Content-Type') or 'no content type').split(';')[0].strip()


def server_message(response, query=DEFAULT_ERROR_QUERY):
    """The server's own error text from ``response`` (JSON error body or a short text excerpt)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if body is not None:
        found = _search(query, body) if isinstance(body, dict) else None
        if isinstance(found, dict):
            found = found.get('description') or found.get('message') or found
        if found:
            return found if isinstance(found, str) else repr(found)
        return None
    text = _text_excerpt(response)
    if not text:
        return None
    return 'non-JSON answer (%s): %s' % (_content_type(response), text)


def _seconds(value):
    return '%g s' % value


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


def _transport_kind(exc):
    """'connect', 'connect_timeout', 'read_timeout', 'dropped' or 'other' for a requests error."""
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


# ---- the client ------------------------------------------------------------------------------
class HTTPClient:
    """A ``requests.Session`` bound to one base URL and one provider's conventions.

    ``timeout``: seconds for an answer (connecting: at most 10). ``retries``: per kind of failure,
    ``backoff_factor``: exponential backoff (and jitter up to it), ``max_total_wait``: seconds all
    waits of one request may add up to. ``auth``: a :class:`TokenAuth`. ``retry_after(response)``:
    seconds to wait before retrying a urllib3 ``response`` that has no ``Retry-After`` header, or
    None. ``max_pages``: the most pages one :class:`Listing` fetches. ``headers``: sent with every
    request (``Authorization`` and ``X-Auth-Token`` only to the base URL's origin).
    """

    def __init__(self, base_url, provider, timeout=30.0, validate_certs=True, ca_path=None,
                 retries=4, backoff_factor=0.5, headers=None, error_query=DEFAULT_ERROR_QUERY,
                 user_agent='iamops.identity', auth=None, retry_after=None,
                 max_total_wait=MAX_TOTAL_WAIT, max_pages=MAX_PAGES):
        self.base_url = base_url.rstrip('/')
        self.provider = provider
        self.timeout = (min(10.0, timeout), timeout)
        self.error_query = error_query
        self.max_pages = max_pages
        self.secrets = set()
        self.stats = {'requests': 0, 'writes': 0, 'retries': 0, 'auth': 0}
        # writes that changed, or may have changed, something: all but those the server refused
        # with a 4xx (a batch item's ``changed`` after a failure)
        self.changes = 0
        self.by_method = {}
        if validate_certs and ca_path and not os.path.exists(ca_path):
            raise ConfigError('ca_path %s does not exist (give the CA bundle that signed the '
                              'server certificate)' % ca_path, provider)
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
        self.auth = auth
        self.session.auth = auth
        self._obtaining = False
        self._last_retries, self._last_elapsed = 0, 0.0
        self.retry_log = RetryLog()
        adapter = OnceAwareAdapter(
            max_retries=make_retry(retries, backoff_factor, self.retry_log, retry_after, max_total_wait),
            once_retries=make_retry(retries, backoff_factor, self.retry_log, retry_after, max_total_wait,
                                    methods=()),
            pool_maxsize=16)
        self.session.mount('http://', adapter)
        self.session.mount('https://', adapter)

    # ---- secrets, URLs -------------------------------------------------------------------
    def add_secret(self, value):
        """Register a secret: it is scrubbed from every message this client produces."""
        if value and isinstance(value, str) and len(value) >= 4:
            self.secrets.add(value)

    def scrub(self, text):
        if not isinstance(text, str):
            return text
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, '********')
        return text

    def url(self, path):
        if path.startswith('http://') or path.startswith('https://'):
            return path
        return self.base_url + '/' + path.lstrip('/')

    def path(self, template, *args):
        """``template`` with each ``{}`` replaced by one argument quoted as one path segment."""
        return template.format(*[quote(str(arg), safe='') for arg in args])

    def rebase(self, url):
        """``url`` moved onto the base URL's scheme, host and port (its path and query kept)."""
        parts, base = urlsplit(url), urlsplit(self.base_url)
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ''))

    def same_origin(self, url):
        return self._origin(url) == self._origin(self.base_url)

    @staticmethod
    def _origin(url):
        parts = urlsplit(url)
        return '%s://%s' % (parts.scheme, parts.netloc)

    # ---- authentication ------------------------------------------------------------------
    @property
    def credential(self):
        """The credential the auth strategy obtained (None before the first request)."""
        return self.auth.credential if self.auth is not None else None

    def authenticate(self):
        """Obtain the strategy's credential now (done lazily by the first request otherwise)."""
        if self.auth is None:
            raise ConfigError('no authentication strategy is configured', self.provider)
        self._obtaining = True
        try:
            credential = self.auth.obtain(self)
        finally:
            self._obtaining = False
        if credential is None:
            raise ConfigError('authentication gave no credential', self.provider)
        probe = requests.PreparedRequest()
        probe.prepare_headers({})
        self.auth.apply(probe, credential)
        for value in list(probe.headers.values()) + list(self.auth.secrets(credential)):
            if isinstance(value, str):
                self.add_secret(value)
                self.add_secret(value.split(' ')[-1])  # the token of 'Bearer <token>'
        if isinstance(credential, str):
            self.add_secret(credential)
        self.auth.credential = credential
        return credential

    # ---- requests ------------------------------------------------------------------------
    def request(self, method, path, json=None, params=None, headers=None, ok=None, data=None,
                auth=None, idempotent=None):
        """Send one request; return the ``requests.Response`` or raise :class:`APIError`.

        ``ok`` is the set of acceptable statuses (default: any 2xx). ``auth=False`` sends the
        request without the session's auth strategy; another value is passed to requests.
        ``idempotent=False``: a PUT/PATCH/DELETE that must not be sent twice (an action such as
        OneLogin's ``add_roles``, or a DELETE whose repeat answers 404): a lost answer or a 5xx is
        not retried but raised with ``outcome_unknown``, for the caller to read back (see
        :func:`confirm_write`). POST is always sent once.
        """
        method = method.upper()
        url = self.url(path)
        shown = redact_url(requests.Request(method, url, params=params).prepare().url)
        headers = dict(headers or {})
        if idempotent is False or method == 'POST':
            headers[ONCE_HEADER] = '1'
        strategy = (auth is None and self.auth is not None and not self._obtaining
                    and self.same_origin(url))
        if auth is False or (auth is None and not strategy):
            auth = NO_AUTH
        if not self.same_origin(url):  # never send a credential to another origin
            for name in set(AUTH_HEADERS + ((self.auth.header,) if self.auth is not None else ())):
                headers[name] = None
        if strategy and self.auth.credential is None:
            self.authenticate()
        send = dict(json=json, params=params, data=data, headers=headers, auth=auth)
        response = self._send(method, url, shown, send)
        if response.status_code == 401 and strategy and self.auth.renewable:
            self.authenticate()
            response = self._send(method, url, shown, send)
        good = (200 <= response.status_code < 300) if ok is None else response.status_code in ok
        if not good:
            status = response.status_code
            raise APIError(self.provider, method, shown, status=status,
                           server_message=self.scrub(server_message(response, self.error_query)),
                           transient=status in RETRY_STATUSES,
                           # a write answered 5xx may have happened; one answered 2xx but not
                           # with the status expected (a proxy rewrote it) did happen
                           outcome_unknown=method in WRITE_METHODS and (
                               200 <= status < 300 or status >= 500 and not (
                                   status == 503 and response.headers.get('Retry-After'))),
                           retries=self._last_retries, elapsed=self._last_elapsed)
        return response

    def _send(self, method, url, shown, send):
        self.retry_log.reset()
        started = time.monotonic()
        try:
            response = self.session.request(method, url, timeout=self.timeout, allow_redirects=False,
                                            verify=self.verify, **send)
        except requests.exceptions.RequestException as exc:
            self._account(None, method, started)
            raise self._transport_error(exc, method, url, shown)
        self._account(response, method, started)
        return response

    def _account(self, response, method, started):
        self._last_retries = self.retry_log.retries
        self._last_elapsed = time.monotonic() - started
        self.stats['retries'] += self.retry_log.retries
        if response is None:
            if method in WRITE_METHODS and not self._obtaining:
                self.changes += 1  # no answer: it may have been done
            return
        if self._obtaining:
            self.stats['auth'] += 1
            return
        self.stats['requests'] += 1
        self.by_method[method] = self.by_method.get(method, 0) + 1
        if method in WRITE_METHODS:
            self.stats['writes'] += 1
            if not 400 <= response.status_code < 500:
                self.changes += 1

    def _transport_error(self, exc, method, url, shown):
        origin = self._origin(url)
        write = method in WRITE_METHODS
        done = dict(retries=self._last_retries, elapsed=self._last_elapsed)
        if isinstance(exc, requests.exceptions.SSLError):
            cause = _root_cause(exc)
            if 'CERTIFICATE_VERIFY_FAILED' in cause or 'certificate' in cause.lower():
                reason = ('the TLS certificate of %s could not be verified (%s); give its CA '
                          'bundle with ca_path, or set validate_certs=false for a test server'
                          % (origin, cause))
            else:
                reason = 'TLS handshake with %s failed (%s); is it an https server?' % (origin, cause)
            return APIError(self.provider, method, shown, reason=self.scrub(reason), **done)
        kind = _transport_kind(exc)
        if kind == 'connect_timeout':
            reason = 'could not connect to %s within %s' % (origin, _seconds(self.timeout[0]))
        elif kind == 'read_timeout':
            reason = 'no answer from %s within %s' % (origin, _seconds(self.timeout[1]))
        elif kind == 'dropped':
            reason = 'the connection to %s was dropped before an answer (%s)' % (origin, _root_cause(exc))
        elif kind == 'connect':
            reason = 'cannot connect to %s: %s' % (origin, _root_cause(exc))
        else:
            reason = '%s (talking to %s)' % (_root_cause(exc), origin)
        if self.retry_log.budget_spent:
            reason += '; retries stopped at max_total_wait'
        return APIError(self.provider, method, shown, reason=self.scrub(reason), transient=True,
                        outcome_unknown=write and kind not in ('connect', 'connect_timeout'), **done)

    def confirm_write(self, send, done, what, warn=None):
        """Send a write that must not be repeated; when its answer was lost, read back instead.

        ``send()`` sends it (with ``idempotent=False``, or a POST); ``done()`` reads the server
        and says whether the write took effect; ``what`` names it for the warning (no secret).
        Returns ``send()``'s value, or ``None`` when the answer was lost and ``done()`` found the
        write done (``warn`` is told so). When ``done()`` finds it not done, the error is raised
        again with ``outcome_unknown`` cleared and the write no longer counted as a change: the
        task fails and says ``changed: false``, which is then true."""
        try:
            return send()
        except APIError as exc:
            if not exc.outcome_unknown:
                raise
            if not done():
                exc.outcome_unknown = False
                self.changes = max(0, self.changes - 1)
                raise
            if warn is not None:
                warn('%s: the answer to %s was lost (%s); read back: it was done'
                     % (self.provider, what, exc))
            return None

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
            method = response.request.method
            # a write answered 2xx was done, but what it made cannot be read: look it up
            raise APIError(self.provider, method, redact_url(response.url),
                           status=response.status_code, outcome_unknown=method in WRITE_METHODS,
                           server_message=self.scrub(
                               'expected JSON, got %s: %s' % (_content_type(response), _text_excerpt(response))))

    def get(self, path, params=None, missing_ok=False):
        """GET a JSON document; with ``missing_ok`` a 404 returns ``None``."""
        try:
            return self.json('GET', path, params=params)
        except APIError as exc:
            if missing_ok and exc.status == 404:
                return None
            raise

    def paginate(self, path, params, items, next_page, key=None, max_pages=None):
        """A :class:`Listing` of the items of every page, one page in memory at a time.

        ``items(body)`` returns the page's list; ``next_page(body, response, params)`` returns
        ``(path, params)`` of the next page, or ``None`` after the last one. ``key(item)``
        identifies an item (default: a dict's ``id``), compared as a string.
        """
        return Listing(self, path, params, items, next_page, key=key,
                       max_pages=self.max_pages if max_pages is None else max_pages)


class Listing:
    """The items of a paged listing; iterate it, then read ``complete`` and ``reason``.

    ``complete`` is None while pages remain, then True, or False with ``reason`` when the
    listing was stopped (a repeated next link, a page with nothing new, ``max_pages``) or a
    provider called :meth:`mark_incomplete` (its own truncation signal). Items already yielded
    (same key) are not yielded again. The first page is ``client.url(path)``; a next path that
    is an absolute URL, or starts with the base URL's path, or is relative (``?page=2``,
    ``users?page=2``) is a link, resolved against the page and rebased onto the base URL's
    origin; any other path starting with ``/`` is an API path like the first one.
    """

    def __init__(self, client, path, params, items, next_page, key=None, max_pages=MAX_PAGES):
        self.client = client
        self.items = items
        self.next_page = next_page
        self.key = key or _default_key
        self.max_pages = max_pages
        self.pages = 0
        self.complete = None
        self.reason = None
        self._walk = self._pages(path, params)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._walk)

    next = __next__

    def mark_incomplete(self, reason):
        """Mark the listing incomplete (the first reason given is kept)."""
        self.complete = False
        if self.reason is None:
            self.reason = reason

    def _page_url(self, path, params, current):
        client = self.client
        base_path = urlsplit(client.base_url).path.rstrip('/')
        if current is None or path.startswith(('http://', 'https://')):
            url = client.url(path)
        elif path.startswith('/') and not (base_path and path.startswith(base_path + '/')):
            url = client.url(path)  # an API path, like the first page's
        else:
            url = urljoin(current, path)  # a link relative to the page: '/v3/users?marker=x', '?page=2'
        return requests.Request('GET', client.rebase(url), params=params).prepare().url

    def _pages(self, path, params):
        fetched, seen, current = set(), set(), None
        while path:
            if self.pages >= self.max_pages:
                self.mark_incomplete('stopped after %d pages (the most one listing may take)' % self.max_pages)
                return
            current = self._page_url(path, params, current)
            if current in fetched:
                self.mark_incomplete('the server linked %s again' % redact_url(current))
                return
            fetched.add(current)
            response = self.client.request('GET', current)
            self.pages += 1
            body = self.client.decode(response)
            new = 0
            for item in self.items(body) or ():
                key = self.key(item)
                if key is not None:
                    key = str(key)
                    if key in seen:
                        continue
                    seen.add(key)
                new += 1
                yield item
            following = self.next_page(body, response, params)
            if not following:
                break
            if not new:
                self.mark_incomplete('page %d (%s) brought no new item but linked a next page'
                                     % (self.pages, redact_url(current)))
                return
            path, params = following
        if self.complete is None:
            self.complete = True


def _default_key(item):
    return item.get('id') if isinstance(item, dict) else None


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
    if isinstance(seen, urllib3_exceptions.ProtocolError) and len(seen.args) > 1:
        text = str(seen.args[1]) or type(seen.args[1]).__name__
    text = re.sub(r'<urllib3\.[^>]*>', '', text)
    return re.sub(r'\s+', ' ', text).strip(' :,') or type(exc).__name__


# ---- JMESPath --------------------------------------------------------------------------------
def _query_error(expression, exc):
    lines = str(exc).splitlines()
    text = re.sub(r'[,:]?\s*for expression:?\s*$', '', lines[0] if lines else '').rstrip(' :,')
    column = getattr(exc, 'lex_position', getattr(exc, 'lexer_position', None))
    if column is not None and 'column' not in text:
        text += ' at column %s' % column
    return IdentityError('invalid query %r: %s' % (expression, text or type(exc).__name__))


def validate_query(expression):
    """Compile a JMESPath expression; a syntax error is one :class:`IdentityError` line."""
    try:
        jmespath.compile(expression)
    except jmespath.exceptions.JMESPathError as exc:
        raise _query_error(expression, exc)


def jmespath_search(expression, data):
    """Apply a JMESPath expression, turning its errors into one clear message."""
    try:
        return jmespath.search(expression, data)
    except jmespath.exceptions.JMESPathError as exc:
        raise _query_error(expression, exc)
