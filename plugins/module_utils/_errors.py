# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exceptions shared by the client, the providers and the module frame.

Providers and the HTTP client raise these; only the module frame turns them into ``fail_json``.
Every message names the provider, and - for HTTP failures - the request (method and path, query
values of sensitive parameters redacted) and the server's own error text.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class IdentityError(Exception):
    """Base class: a failure the module reports with one clear message."""

    def __init__(self, message, provider=None):
        super(IdentityError, self).__init__(message)
        self.provider = provider
        self.message = message

    def __str__(self):
        if self.provider and not self.message.startswith((self.provider + ':', self.provider + ' ')):
            return '%s: %s' % (self.provider, self.message)
        return self.message


class ConfigError(IdentityError):
    """Connection or authentication options are missing, contradictory or unreadable."""


class NotFoundError(IdentityError):
    """A referenced object (domain, project, role, group, user) does not exist.

    ``what``: the kind of object missing (``'role'``...) when the raiser says, so that a caller
    can tell a missing role from a missing scope (``on_missing``); None otherwise.
    """

    def __init__(self, message, provider=None, what=None):
        super(NotFoundError, self).__init__(message, provider)
        self.what = what


class UnsupportedError(IdentityError):
    """The provider's API does not offer the requested capability."""

    def __init__(self, provider, capability):
        super(UnsupportedError, self).__init__(
            '%s does not support %s' % (provider, capability), provider=provider)
        self.capability = capability


class APIError(IdentityError):
    """An HTTP request failed: carries method, path, status and the server's message.

    ``transient``: the failure may go away by itself (connection trouble, 429, 502-504).
    ``outcome_unknown``: the request was a write that may have reached the server (a read timeout,
    a connection dropped after sending, a 5xx answer): the caller looks the object up instead
    of sending it again. ``retries`` and ``elapsed`` (seconds) tell how long the client tried.
    ``conflict``: the server refused a create because the object exists (409, or a provider's own
    way of saying so, such as a 422 "Username has already been taken"): another run made it
    meanwhile, so the caller looks it up and adopts it. A provider sets it on the errors it knows.
    """

    def __init__(self, provider, method, path, status=None, server_message=None, reason=None,
                 transient=False, outcome_unknown=False, retries=0, elapsed=None):
        self.method = method
        self.path = path
        self.status = status
        self.server_message = server_message
        self.reason = reason
        self.transient = transient
        self.outcome_unknown = outcome_unknown
        self.retries = retries
        self.elapsed = elapsed
        self.conflict = status == 409
        if status is not None:
            text = '%s %s failed: HTTP %s' % (method, path, status)
            if server_message:
                text += ': %s' % server_message
        else:
            text = '%s %s failed: %s' % (method, path, reason or 'no response')
        if retries:
            noun = 'retry' if retries == 1 else 'retries'
            text += ' (after %d %s over %.1f s)' % (retries, noun, elapsed or 0.0)
        super(APIError, self).__init__(' '.join(text.split()), provider=provider)
