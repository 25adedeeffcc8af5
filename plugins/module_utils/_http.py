# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP client shared by every provider.

One ``requests.Session`` per module run, bound to one base URL, with:

* timeouts and TLS verification on by default (``validate_certs``, ``ca_path``; a ``ca_path``
  that does not exist is a :class:`ConfigError` when the client is built);
* authentication as a strategy on the session (:mod:`_auth`);
* retries done by urllib3 on the session's adapter (:mod:`_retry`);
* :meth:`HTTPClient.paginate`, a :class:`_paging.Listing` that always ends;
* :meth:`HTTPClient.path` quoting each argument as one path segment;
* counters (``stats``: requests, writes, retries, auth; ``by_method``) that tests and
  benchmarks read;
* threads: a batch run with ``parallel`` sends the requests of several items at once through one
  client (:mod:`_parallel`). What one request's retries did (:class:`_retry.RetryLog`), whether a
  thread is obtaining the credential, and the writes a thread made are kept per thread; the
  counters are updated under a lock; the credential is obtained (or renewed after a 401) by one
  thread at a time, and a thread that waited for another's renewal resends with it instead of
  renewing again. While the run's :class:`_parallel.Gate` is set (``gate``), a thread gives it up
  only while it waits for the network (or for the credential), so the rest of the module's code
  runs one thread at a time;
* every failure one line: an :class:`APIError` naming method, path (sensitive query values
  redacted), status and the server's own text (:mod:`_failures`), or the transport failure,
  with every registered secret scrubbed from it (:mod:`_scrub`), and ``outcome_unknown`` set when
  a write may have reached the server.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import threading
import time

from contextlib import contextmanager

from urllib.parse import urlsplit, urlunsplit, quote

from ansible_collections.iamops.identity.plugins.module_utils._auth import AUTH_HEADERS, NO_AUTH
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError
from ansible_collections.iamops.identity.plugins.module_utils._failures import (
    DEFAULT_ERROR_QUERY, content_type, server_message, text_excerpt, transport_kind, transport_reason)
from ansible_collections.iamops.identity.plugins.module_utils._paging import MAX_PAGES, Listing
from ansible_collections.iamops.identity.plugins.module_utils._requests_lib import requests
from ansible_collections.iamops.identity.plugins.module_utils._retry import (
    MAX_TOTAL_WAIT, ONCE_HEADER, RETRY_STATUSES, OnceAwareAdapter, RetryLog, make_retry)
from ansible_collections.iamops.identity.plugins.module_utils._scrub import SecretRegistry, redact_url

WRITE_METHODS = frozenset(('POST', 'PUT', 'PATCH', 'DELETE'))


def format_path(template, *args, **kwargs):
    """``template`` with each ``{}`` replaced by one argument quoted as one path segment.

    ``/`` and ``%`` are encoded, so no name or ID can add a segment; an empty argument, ``.``
    and ``..`` are refused (:class:`ConfigError`): they would name another resource
    (``/v1/users/..`` is ``/v1/``) whatever the quoting, since URLs are normalized."""
    segments = []
    for arg in args:
        text = '' if arg is None else str(arg)
        if text.strip() in ('', '.', '..'):
            raise ConfigError('%r cannot be a name or ID here: as a segment of the request path %s it '
                              'would address another resource (empty names, "." and ".." are refused)'
                              % (text, template.replace('{}', '<name or ID>')), kwargs.get('provider'))
        segments.append(quote(text, safe=''))
    return template.format(*segments)


class HTTPClient(SecretRegistry):
    """A ``requests.Session`` bound to one base URL and one provider's conventions.

    ``timeout``: seconds for an answer (connecting: at most 10). ``retries``: per kind of failure,
    ``backoff_factor``: exponential backoff (and jitter up to it), ``max_total_wait``: seconds all
    waits of one request may add up to. ``auth``: a :class:`_auth.CredentialAuth`. ``retry_after(response)``:
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
        SecretRegistry.__init__(self)
        self.stats = {'requests': 0, 'writes': 0, 'retries': 0, 'auth': 0}
        # writes that changed, or may have changed, something: all but those the server refused
        # with a 4xx (a batch item's ``changed`` after a failure)
        self.changes = 0
        self.by_method = {}
        self._local = threading.local()        # per thread: obtaining, last retries/elapsed, changes
        self._count_lock = threading.Lock()    # the counters above, from several threads
        self._auth_lock = threading.Lock()     # one thread obtains or renews the credential at a time
        self._auth_generation = 0              # credentials obtained so far
        self.gate = None  # a _parallel.Gate while items run concurrently: given up during network waits
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
        self.retry_log = RetryLog()
        adapter = OnceAwareAdapter(
            max_retries=make_retry(retries, backoff_factor, self.retry_log, retry_after, max_total_wait),
            once_retries=make_retry(retries, backoff_factor, self.retry_log, retry_after, max_total_wait,
                                    methods=()),
            pool_maxsize=16)
        self.session.mount('http://', adapter)
        self.session.mount('https://', adapter)

    # ---- URLs -------------------------------------------------------------------
    def url(self, path):
        if path.startswith('http://') or path.startswith('https://'):
            return path
        return self.base_url + '/' + path.lstrip('/')

    def path(self, template, *args):
        """``template`` with each ``{}`` replaced by one argument quoted as one path segment
        (see :func:`format_path`: empty, ``.`` and ``..`` arguments are refused)."""
        return format_path(template, *args, provider=self.provider)

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

    # ---- per-thread state ----------------------------------------------------------------
    @property
    def _obtaining(self):
        return getattr(self._local, 'obtaining', False)

    @_obtaining.setter
    def _obtaining(self, value):
        self._local.obtaining = value

    @property
    def _last_retries(self):
        return getattr(self._local, 'retries', 0)

    @property
    def _last_elapsed(self):
        return getattr(self._local, 'elapsed', 0.0)

    def thread_changes(self):
        """Like ``changes``, counting only the writes this thread sent (a parallel item's)."""
        return getattr(self._local, 'changes', 0)

    @contextmanager
    def released(self):
        """Give up the run's gate (when this thread holds it) while waiting."""
        if self.gate is None:
            yield
        else:
            with self.gate.released():
                yield

    # ---- authentication ------------------------------------------------------------------
    @property
    def credential(self):
        """The credential the auth strategy obtained (None before the first request)."""
        return self.auth.credential if self.auth is not None else None

    def authenticate(self):
        """Obtain the strategy's credential now (done lazily by the first request otherwise)."""
        return self._obtain(self._auth_generation)

    def _obtain(self, generation):
        """Obtain the credential unless another thread did since ``generation`` (the count of
        credentials obtained when this thread found it missing, or sent the request answered
        401): concurrent requests answered 401 renew it once, not once each."""
        if self.auth is None:
            raise ConfigError('no authentication strategy is configured', self.provider)
        if not self._auth_lock.acquire(False):
            with self.released():
                self._auth_lock.acquire()
        try:
            if generation != self._auth_generation and self.auth.credential is not None:
                return self.auth.credential
            return self._obtain_now()
        finally:
            self._auth_lock.release()

    def _obtain_now(self):
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
        self._auth_generation += 1
        return credential

    # ---- requests ------------------------------------------------------------------------
    def request(self, method, path, json=None, params=None, headers=None, ok=None, data=None,
                auth=None, idempotent=None):
        """Send one request; return the ``requests.Response`` or raise :class:`APIError`.

        ``ok`` is the set of acceptable statuses (default: any 2xx). ``auth=False`` sends the
        request without the session's auth strategy; another value is passed to requests.
        ``idempotent=False``: a PUT/PATCH/DELETE that must not be sent twice (an action endpoint
        that adds roles, or a DELETE whose repeat answers 404): a lost answer or a 5xx is
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
            auth = NO_AUTH
            for name in set(AUTH_HEADERS + ((self.auth.header,) if self.auth is not None else ())):
                headers[name] = None
        elif isinstance(auth, tuple) and len(auth) == 2:  # HTTP Basic: the base64 is a secret too
            self.add_basic_auth(*auth)
        self._register_body_secrets(json, data)
        if strategy and self.auth.credential is None:
            self._obtain(self._auth_generation)
        send = dict(json=json, params=params, data=data, headers=headers, auth=auth)
        generation = self._auth_generation  # the credential this request carries
        response = self._send(method, url, shown, send)
        if response.status_code == 401 and strategy and self.auth.renewable:
            self._obtain(generation)  # renewed once, by whichever thread comes first
            response = self._send(method, url, shown, send)
        good = (200 <= response.status_code < 300) if ok is None else response.status_code in ok
        if not good:
            status = response.status_code
            text = server_message(response, self.error_query, self.scrub_server_text)
            raise APIError(self.provider, method, shown, status=status,
                           server_message=self.scrub_server_text(text),
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
            with self.released():
                response = self.session.request(method, url, timeout=self.timeout, allow_redirects=False,
                                                verify=self.verify, **send)
        except requests.exceptions.RequestException as exc:
            self._account(None, method, started)
            raise self._transport_error(exc, method, url, shown)
        self._account(response, method, started)
        return response

    def _account(self, response, method, started):
        self._local.retries = self.retry_log.retries
        self._local.elapsed = time.monotonic() - started
        with self._count_lock:
            self._count(response, method)

    def _count(self, response, method):
        self.stats['retries'] += self.retry_log.retries
        if response is None:
            if method in WRITE_METHODS and not self._obtaining:
                self._changed()  # no answer: it may have been done
            return
        if self._obtaining:
            self.stats['auth'] += 1
            return
        self.stats['requests'] += 1
        self.by_method[method] = self.by_method.get(method, 0) + 1
        if method in WRITE_METHODS:
            self.stats['writes'] += 1
            if not 400 <= response.status_code < 500:
                self._changed()

    def _changed(self):
        self.changes += 1
        self._local.changes = self.thread_changes() + 1

    def _transport_error(self, exc, method, url, shown):
        kind = transport_kind(exc)
        reason = transport_reason(exc, kind, self._origin(url), self.timeout)
        done = dict(retries=self._last_retries, elapsed=self._last_elapsed)
        if kind == 'tls':
            return APIError(self.provider, method, shown, reason=self.scrub(reason), **done)
        if self.retry_log.budget_spent:
            reason += '; retries stopped at max_total_wait'
        return APIError(self.provider, method, shown, reason=self.scrub(reason), transient=True,
                        outcome_unknown=method in WRITE_METHODS and kind not in ('connect', 'connect_timeout'),
                        **done)

    def not_done(self, exc):
        """A write whose outcome was unknown (``exc``) was read back and found not done: it no
        longer counts as a change, and ``exc`` no longer says its outcome is unknown."""
        exc.outcome_unknown = False
        with self._count_lock:
            self.changes = max(0, self.changes - 1)
        self._local.changes = max(0, self.thread_changes() - 1)

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
                self.not_done(exc)
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
                           server_message=self.scrub_server_text(
                               'expected JSON, got %s: %s' % (content_type(response), text_excerpt(
                                   response, scrub=self.scrub_server_text))))

    def get(self, path, params=None):
        """GET a JSON document (a "not found" is the caller's to handle: ``_handlers.or_none``)."""
        return self.json('GET', path, params=params)

    def paginate(self, path, params, items, next_page, key=None, max_pages=None):
        """A :class:`Listing` of the items of every page, one page in memory at a time.

        ``items(body)`` returns the page's list; ``next_page(body, response, params)`` returns
        ``(path, params)`` of the next page, or ``None`` after the last one. ``key(item)``
        identifies an item (default: a dict's ``id``), compared as a string.
        """
        return Listing(self, path, params, items, next_page, key=key,
                       max_pages=self.max_pages if max_pages is None else max_pages)
