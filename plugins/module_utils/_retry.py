# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retries, done by urllib3 on the session's adapter, following what the server said.

429, and 503 with ``Retry-After``, were not processed, so any method is retried; 502/504 and 503
without ``Retry-After`` retry idempotent methods only (never POST). Connect errors are retried for
any method, read errors never for POST. Waits follow ``Retry-After``, else the provider's
``retry_after(response)`` hook (a rate-limit reset header), else exponential backoff with jitter;
each wait is capped at :data:`MAX_RETRY_AFTER` and all of them at ``max_total_wait`` seconds, past
which the client stops and says "after N retries over S s".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import threading
import time

from ansible_collections.iamops.identity.plugins.module_utils._requests_lib import HTTPAdapter, Retry, urllib3_exceptions

RETRY_STATUSES = frozenset((429, 502, 503, 504))
RETRY_METHODS = frozenset(('GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'))
MAX_RETRY_AFTER = 60.0
MAX_TOTAL_WAIT = 120.0
ONCE_HEADER = 'X-Iamops-Send-Once'  # internal marker, removed before the request leaves


class RetryLog(threading.local):
    """What the retries of one request did (shared by the copies urllib3 makes of the Retry).

    Per thread: urllib3 runs a request's retries in the thread that sent it, and concurrent
    requests of one client (``parallel``) each reset and read their own."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.retries = 0
        self.waited = 0.0
        self.budget_spent = False


class ServerRetry(Retry):
    """urllib3 ``Retry`` that follows what the server said (see this module's docstring)."""

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
