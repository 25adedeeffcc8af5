# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authress session: the API URL and access key, the run's JWT (``_auth``), and the GET/send/list
helpers every other part uses.

Contract: the Authress Python SDK ``UsersApi`` (``shared/seeds/001_*``) and docs/providers.md
section 2: all paths under ``/v1``; ``Authorization: Bearer <JWT signed locally>``; collections
``{"<items>": [...], "pagination": {"next": {"cursor"}}}`` followed with ``?cursor=``; errors
``{"title"}``; ``If-Unmodified-Since`` on group and record updates (412 when stale).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.iamops.identity.plugins.module_utils import _urls
from ansible_collections.iamops.identity.plugins.module_utils._auth import BearerAuth
from ansible_collections.iamops.identity.plugins.module_utils._failures import DEFAULT_ERROR_QUERY
from ansible_collections.iamops.identity.plugins.module_utils._directory import collect
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError, IdentityError
from ansible_collections.iamops.identity.plugins.module_utils._handlers import missing_is_gone, or_none
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress.spec import SPEC
from ansible_collections.iamops.identity.plugins.module_utils.providers._session import open_client
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress import _auth, _limits

# The most rows one page may hold (the SDK's bounds on `limit`): fewer pages, fewer requests.
PAGE_LIMITS = {'users': 100, 'groups': 20, 'records': 20, 'roles': 100}
# Authress's error body: {"errorCode", "title"}.
ERROR_QUERY = 'title || ' + DEFAULT_ERROR_QUERY


class JWTAuth(BearerAuth):
    """The client's auth strategy for Authress: ``Authorization: Bearer <JWT>``, the JWT signed
    locally (no request). Before each request the token source re-signs it when less than an hour
    of validity is left, so a long batch never sends an expired token. Not renewed on a 401: a
    token signed again with the same key would be refused again."""

    renewable = False

    def __init__(self, tokens):
        super(JWTAuth, self).__init__()
        self.tokens = tokens

    def obtain(self, client):
        return self.tokens.token()

    def __call__(self, request):
        if self.credential is not None:
            self.credential = self.tokens.token()
        return super(JWTAuth, self).__call__(request)


ITEM_KEYS = {'users': 'userId', 'groups': 'groupId', 'records': 'recordId', 'roles': 'roleId',
             'tenants': 'tenantId'}


class AuthressSession:
    """Mixin: the HTTP session of :class:`AuthressProvider`."""

    name = 'authress'

    def __init__(self, params, warn=None, no_log_values=None, environ=None):
        super(AuthressSession, self).__init__(params, warn, no_log_values)
        _limits.check(params)   # every documented bound, before any request
        api_url = _auth.normalize_url(params.get('api_url'))
        access_key = params.get('access_key')
        if not api_url:
            raise ConfigError('api_url (or AUTHRESS_URL) is required: the Authress API URL of the account, '
                              'https://<accountId>.api.authress.io or a custom domain', self.name)
        api_url = _urls.check_url(api_url, 'api_url', self.name, path=SPEC.api_url_path,
                                  example='https://<accountId>.api.authress.io or https://login.example.com')
        if not access_key:
            raise ConfigError('access_key (or AUTHRESS_ACCESS_KEY) is required: a service client access key',
                              self.name)
        _urls.check_secret(access_key, 'access_key', self.name)
        # the key, and its private part alone, are secrets before the token source reads them
        self.add_secret(access_key)
        self.add_secret(access_key.strip().split('.')[-1])
        self.tokens = _auth.TokenSource(access_key, api_url, on_new_token=self.add_secret)
        open_client(self, api_url, JWTAuth(self.tokens), error_query=ERROR_QUERY)
        self._tenant_users = {}    # tenantId -> set of userIds linked to it
        self._group_searched = set()   # the references searched for (filter) by this run

    # ---- helpers -----------------------------------------------------------------------------
    def _path(self, *parts):
        """``/v1/<part>/...``, each part quoted as one path segment (``google|1`` -> ``google%7C1``)."""
        return self.client.path('/v1' + '/{}' * len(parts), *parts)

    def _get(self, url, params=None):
        return self.client.get(url, params=params)

    def _send(self, method, url, json=None, ok=None, headers=None, idempotent=True):
        """One write. ``idempotent=False``: the client does not resend it after a lost answer or a
        5xx (the caller reads back what happened instead)."""
        extra = {} if idempotent else {'idempotent': False}
        return self.client.json(method, url, json=json, ok=ok, headers=headers, **extra)

    def _delete(self, kind, obj_id):
        """DELETE ``/v1/<kind>/<obj_id>``, never resent blindly: when its answer is lost (or is a
        5xx) the object is read back (the client's ``confirm_write``). A group or record delete is
        synchronous: gone (404, or a record now DELETED) means done; still there means it did
        not happen, and the task fails saying so (``changed: false``). A user's delete completes
        asynchronously (202), so a user still there may be under deletion: the DELETE is sent
        once more (what it answers says: 202 accepted, 404 gone already)."""
        path = self._path(kind, obj_id)

        def send():
            return self._send('DELETE', path, ok=(200, 202, 204), idempotent=False)

        def gone():
            raw = or_none(self._get, path)
            if raw is not None and kind == 'users':
                with missing_is_gone():
                    send()
                return True
            return raw is None or raw.get('status') == 'DELETED'
        self.client.confirm_write(send, gone, 'DELETE %s' % path, warn=self.warn)

    def _list(self, kind, params=None, key=None):
        """A :class:`Listing` of every item of ``/v1/<kind>`` (all pages, as large as allowed);
        its ``complete`` tells, once read, whether every page came."""
        params = dict(params or {})
        if kind in PAGE_LIMITS:
            params.setdefault('limit', PAGE_LIMITS[kind])

        def items(body):
            return (body or {}).get(key or kind) or []

        def next_page(body, response, sent):
            cursor = (((body or {}).get('pagination') or {}).get('next') or {}).get('cursor')
            return (self._path(kind), dict(sent, cursor=cursor)) if cursor else None

        return self.client.paginate(self._path(kind), params, items, next_page,
                                    key=lambda item: item.get(ITEM_KEYS[kind]))

    def _collect(self, kind, params=None):
        """``(items, complete)`` of ``/v1/<kind>``, every page: the listing convention of every
        provider (``_directory.collect``)."""
        return collect(self._list(kind, params))

    def _whole(self, kind, params=None):
        """Every item of ``/v1/<kind>``, or an error when the listing stopped early: what the
        module plans from it (purge, membership, a name's one object) must stand on the whole set."""
        listing = self._list(kind, params)
        items, complete = collect(listing)
        if not complete:
            raise IdentityError('the listing of Authress %s stopped early (%s), so it cannot stand for all of '
                                'them; nothing was changed' % (kind, listing.reason), self.name)
        return items

    def _put_unmodified(self, kind, obj_id, current, build):
        """PUT ``build(current)`` to ``/v1/<kind>/<obj_id>`` with ``If-Unmodified-Since`` set to the
        ``lastUpdated`` of ``current`` (the raw object). When someone else changed the object in
        between (412), read it again and apply ``build`` to the fresh object once more; a second
        412 fails with a clear message. ``build`` returns None when the fresh object needs no
        change any more. Returns the raw object written (or the fresh one left as it is).

        The PUT is sent once by the client (``idempotent=False``). When its answer is lost (or is
        a 5xx) the object is read again and ``build`` decides: None - the write landed, nothing
        more is sent; a body - it did not, and it is sent once more, still conditional on the
        fresh ``lastUpdated`` (so it can never overwrite a change made in between).
        """
        conflicts = lost = 0
        while True:
            body = build(current)
            if body is None:
                return current
            headers = {'If-Unmodified-Since': current['lastUpdated']} if current.get('lastUpdated') else None
            try:
                answer = self._send('PUT', self._path(kind, obj_id), json=body, headers=headers, ok=(200, 202),
                                    idempotent=False)
            except APIError as exc:
                if exc.status == 412:
                    conflicts += 1
                    if conflicts == 2:
                        raise APIError(self.name, 'PUT', self._path(kind, obj_id), status=412, server_message=(
                            '%s %s kept changing while this task updated it (412 twice, after one fresh '
                            'read); run the task again' % (kind[:-1], obj_id)))
                elif exc.outcome_unknown and not lost:
                    # the answer was lost: read back; build() tells whether the write landed
                    lost += 1
                else:
                    raise
                current = self._get(self._path(kind, obj_id))
                continue
            # a record update answers 202 without a body: what was sent is what is stored
            return answer if answer else dict(current, **body)

    def _wait_gone(self, url, timeout, interval=0.5):
        """Poll ``url`` until it answers 404 (an asynchronous delete completed), at most ``timeout``
        seconds; returns whether it is gone."""
        deadline = time.time() + timeout
        while True:
            if or_none(self._get, url) is None:
                return True
            if time.time() >= deadline:
                return False
            time.sleep(min(interval, max(0.0, deadline - time.time())))
            interval = min(interval * 2, 5.0)
