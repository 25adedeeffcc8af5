# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication as a strategy on the client's session (one class per way, as
community.hashi_vault keeps one class per auth method).

A :class:`CredentialAuth` subclass ``obtain``-s the credential lazily, once per run, on the first
request (its own requests bypass the strategy and count in ``stats['auth']``), ``apply``-es it to
every request sent to the base URL's origin, and - when ``renewable`` - obtains it again once on a
401 and resends that request once. The credential's header values are registered as secrets. No
request to another origin ever carries the strategy's header or any of :data:`AUTH_HEADERS`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.iamops.identity.plugins.module_utils._requests_lib import AuthBase

AUTH_HEADERS = ('Authorization', 'X-Auth-Token')


class CredentialAuth(AuthBase):
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


class BearerAuth(CredentialAuth):
    """``Authorization: Bearer <token>`` where ``obtain`` returns the token string."""

    def apply(self, request, credential):
        request.headers[self.header] = 'Bearer %s' % credential


class GivenCredentialAuth(CredentialAuth):
    """A credential given in the options (an API key, a token): obtained without a request and
    never renewed (a 401 means a wrong or expired credential). Subclasses implement ``apply``."""

    renewable = False

    def __init__(self, value):
        super(GivenCredentialAuth, self).__init__()
        self.value = value

    def obtain(self, client):
        return self.value


class GivenBearerAuth(GivenCredentialAuth, BearerAuth):
    """``Authorization: Bearer <token>`` with a token given in the options, never renewed."""


class _NoAuth(AuthBase):
    """Overrides the session's strategy for one request (and keeps requests from reading netrc)."""

    def __call__(self, request):
        return request


NO_AUTH = _NoAuth()
