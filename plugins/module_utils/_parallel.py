# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bounded concurrency for the batch forms (``parallel``).

The design keeps the module's code single-threaded in effect: every worker holds the run's
:class:`Gate` while it runs Python code, and the HTTP client gives the gate up only while it waits
for the network (or for another thread's token renewal). So the provider's caches, the
``Task`` objects, the counters and Ansible's module object are only ever touched by one thread at
a time - exactly as in a serial run - while up to ``parallel`` requests are in flight. What has to
be read before any write (listings, name resolution) is read by the caller before it hands the
items over; each item's function then runs in a worker, and the results come back in item order.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

# The HTTP client's connection pool (_http.HTTPClient: pool_maxsize) holds this many connections:
# more workers than that would wait for a connection instead of sending.
MAX_PARALLEL = 16

SKIPPED = object()  # what run() gives for an item not started because stop() said so


def argument_spec():
    """The ``parallel`` option of the batch forms (doc fragment ``iamops.identity.parallel``): no
    default in the spec, so the provider's :func:`effective` default applies when it is omitted."""
    return dict(parallel=dict(type='int', choices=list(range(1, MAX_PARALLEL + 1))))


class Gate:
    """A lock held by the thread running the module's code; given up around network waits."""

    def __init__(self):
        self._lock = threading.Lock()
        self._local = threading.local()

    def __enter__(self):
        self._lock.acquire()
        self._local.held = True
        return self

    def __exit__(self, *exc):
        self._local.held = False
        self._lock.release()

    def held(self):
        return getattr(self._local, 'held', False)

    @contextmanager
    def released(self):
        """Let the other workers run while this one waits (a no-op for a thread not holding it)."""
        if not self.held():
            yield
            return
        self.__exit__()
        try:
            yield
        finally:
            self.__enter__()


class OrderedWarnings:
    """A ``warn(msg)`` that, during a parallel run, keeps each item's warnings and gives them to
    ``warn`` in item order once the run is over (:meth:`flush`) - the order of the serial run."""

    def __init__(self, warn):
        self.warn = warn
        self._local = threading.local()
        self._kept = []

    def __call__(self, msg, **kwargs):
        index = getattr(self._local, 'index', None)
        if index is None:
            return self.warn(msg, **kwargs)
        self._kept.append((index, len(self._kept), msg, kwargs))
        return None

    def flush(self):
        kept, self._kept = sorted(self._kept, key=lambda k: k[:2]), []
        for _index, _seq, msg, kwargs in kept:
            self.warn(msg, **kwargs)


def effective(value, provider):
    """The number of workers: ``value`` (the ``parallel`` option) when given, else the provider's
    measured ``default_parallel`` (1 for a provider that declares none), within 1..MAX_PARALLEL."""
    if value is None:
        value = getattr(provider, 'default_parallel', 1) or 1
    return max(1, min(int(value), MAX_PARALLEL))


def run(items, func, workers, client, stop=None, warnings=None):
    """``func(item)`` for each of ``items``, at most ``workers`` at a time; returns, in item order,
    ``(value, exception)`` for each (``exception`` an ``Exception`` it raised, else None), or
    :data:`SKIPPED` for an item not started because ``stop()`` was true by then (asked before each
    item, with the gate held). ``client``: the HTTP client whose gate this is (``client.gate``).
    Anything that is not an ``Exception`` (``SystemExit``, ``KeyboardInterrupt``) is raised again.
    With one worker, or one item, it all runs in the calling thread. ``warnings``: an
    :class:`OrderedWarnings` told which item each worker runs."""
    items = list(items)
    if workers <= 1 or len(items) <= 1 or client is None or getattr(client, 'gate', None) is not None:
        # (an item of a parallel run that has a list of its own runs that list in its own thread)
        return [_one(func, item, stop) for item in items]
    gate = Gate()
    previous = getattr(client, 'gate', None)
    client.gate = gate

    def work(index, item):
        with gate:
            if warnings is not None:
                warnings._local.index = index
            try:
                return _one(func, item, stop)
            finally:
                if warnings is not None:
                    warnings._local.index = None

    try:
        with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
            futures = [pool.submit(work, index, item) for index, item in enumerate(items)]
            return [future.result() for future in futures]
    finally:
        client.gate = previous


def _one(func, item, stop):
    if stop is not None and stop():
        return SKIPPED
    try:
        return func(item), None
    except Exception as exc:  # handed back to the caller, who reports it per item
        return None, exc
