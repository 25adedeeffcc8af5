# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Error handlers: "missing means gone", written once (after amazon.aws's ``AWSErrorHandler``).

A provider asks for an object that may not exist, or deletes one that another run may have
deleted already. The identity system answers "not found" (a 404, or a status of its own); this
module turns that answer into ``None`` (a read) or "already gone" (a delete), and lets every other
error through unchanged::

    @missing_is_none
    def _get_or_none(self, path):
        return self._json('GET', path)

    with missing_is_gone():
        self._send('DELETE', path, ok=(204,))

``statuses`` is the set of HTTP statuses that mean "not found" (404 by default; a provider whose
server says so otherwise names its own). ``match`` narrows a status to the server messages a
regular expression finds (a 400 that means "not a member" but is also every other bad request).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools

from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError

MISSING = (404,)


def is_missing(exc, statuses=MISSING, match=None):
    """Whether ``exc`` is the server saying the object is not there."""
    if not isinstance(exc, APIError) or exc.status not in statuses:
        return False
    return match is None or bool(match.search(exc.server_message or ''))


class MissingIsGone:
    """Context manager: a not-found answer inside it is swallowed; ``gone`` tells whether one was,
    and ``error`` is that answer (for a warning that quotes it)."""

    def __init__(self, statuses=MISSING, match=None):
        self.statuses = tuple(statuses)
        self.match = match
        self.gone = False
        self.error = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc is not None and is_missing(exc, self.statuses, self.match):
            self.gone, self.error = True, exc
            return True
        return False


def missing_is_gone(statuses=MISSING, match=None):
    """``with missing_is_gone(): <a delete>``: "not found" means the desired state holds."""
    return MissingIsGone(statuses, match)


def missing_is_none(func=None, statuses=MISSING, match=None):
    """Decorator: the call answers ``None`` when the server says "not found".

    Usable bare (``@missing_is_none``) or with arguments (``@missing_is_none(statuses=(404, 410))``).
    """
    def decorate(inner):
        @functools.wraps(inner)
        def wrapper(*args, **kwargs):
            try:
                return inner(*args, **kwargs)
            except APIError as exc:
                if is_missing(exc, statuses, match):
                    return None
                raise
        return wrapper
    return decorate(func) if func is not None else decorate


def or_none(call, *args, **kwargs):
    """``call(*args, **kwargs)``, or ``None`` when the server says "not found" (404)."""
    return missing_is_none(call)(*args, **kwargs)
