# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SCIM session: the base URL and bearer token, one HTTP session, the server's
``ServiceProviderConfig`` (read once per run, before the first request that depends on it), the
listing helper (``startIndex``/``count``) and the write helpers (PATCH, or PUT where the server
has no PATCH; ``If-Match`` where it offers ETags).

Contract: RFC 7644 sections 3.4.2 (filter, paging), 3.5 (PUT, PATCH), 3.12 (errors), 3.14
(versioning), 4 (ServiceProviderConfig); bearer tokens per RFC 6750.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.iamops.identity.plugins.module_utils import _urls
from ansible_collections.iamops.identity.plugins.module_utils._auth import GivenBearerAuth
from ansible_collections.iamops.identity.plugins.module_utils.providers.scim.spec import SPEC
from ansible_collections.iamops.identity.plugins.module_utils.providers._session import open_client, require_options
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError
from ansible_collections.iamops.identity.plugins.module_utils._handlers import missing_is_gone
from ansible_collections.iamops.identity.plugins.module_utils.providers.scim import _model

CONTENT_TYPE = 'application/scim+json'


def api_base(url):
    """The SCIM base URL (the one ``/Users`` hangs off, such as ``https://idp.example.com/scim/v2``):
    scheme and host are required; a trailing ``/`` is dropped. Nothing is appended: SCIM does
    not fix the base path (RFC 7644 3.13 only suggests ``/v2``)."""
    url = (url or '').strip()
    parts = urlsplit(url)
    if parts.scheme not in ('http', 'https') or not parts.netloc:
        raise ConfigError('api_url must be the absolute http(s) SCIM base URL (the one /Users and '
                          '/Groups are under, for example https://idp.example.com/scim/v2), got %r' % url, 'scim')
    return _urls.check_url(url, 'api_url', 'scim', path=SPEC.api_url_path, example='https://idp.example.com/scim/v2')


class ScimSession:
    """Mixin: the HTTP session of :class:`ScimProvider`."""

    name = 'scim'

    def __init__(self, params, warn=None, no_log_values=None, environ=None):
        super(ScimSession, self).__init__(params, warn, no_log_values)
        require_options(params, ('api_url', 'scim_token'), self.name, 'or the environment variables SCIM_URL and SCIM_TOKEN')
        token = _urls.check_secret(params['scim_token'], 'scim_token', self.name)
        open_client(self, api_base(params['api_url']), GivenBearerAuth(token), secrets=(token,),
                    headers={'Content-Type': CONTENT_TYPE, 'Accept': '%s, application/json' % CONTENT_TYPE},
                    error_query=_model.ERROR_QUERY)
        self._features = None

    # ---- what the server supports ------------------------------------------------------------
    @property
    def features(self):
        """The server's ``ServiceProviderConfig`` (:class:`_model.Features`), read on first use.

        A server that does not serve it (404, 501) is taken as offering the least (no PATCH, no
        filter, no ETag), with a warning; a 401/403 or a transport failure is raised.
        """
        if self._features is None:
            raw = None
            with missing_is_gone(statuses=(404, 405, 501)) as missing:
                raw = self.client.get('ServiceProviderConfig')
            if missing.gone:
                self.warn('scim: the server serves no ServiceProviderConfig (%s): PATCH, filter and ETag '
                          'are not used' % missing.error)
            self._features = _model.Features(raw)
        return self._features

    def report(self):
        return {}

    # ---- reads ---------------------------------------------------------------------------------
    def _get(self, path, params=None):
        return self.client.get(path, params=params)

    def _collect(self, path, params=None):
        """``(rows, complete)`` of a listing: every page, ``startIndex``/``count`` paging."""
        size = self.features.page_size()

        def items(body):
            return _model.resources(body)

        def following(body, response, current):
            start = _model.next_start(body, current)
            return ('/' + path.lstrip('/'), _model.page_params(params, start, size)) if start else None

        listing = self.client.paginate(path, _model.page_params(params, 1, size), items, following,
                                       key=lambda row: row.get('id'))
        rows = list(listing)
        if listing.complete is False:
            self.warn('scim: the listing of %s stopped early: %s' % (path, listing.reason))
        return rows, listing.complete is not False

    def _total(self, path, params=None):
        """``totalResults`` of a listing, read with ``count=0`` (RFC 7644 3.4.2.4)."""
        body = self._get(path, params=dict(params or {}, count=0)) or {}
        return int(body.get('totalResults') or 0)

    # ---- writes --------------------------------------------------------------------------------
    def _conditions(self, raw):
        """``If-Match`` with the version last read, where the server offers ETags (RFC 7644 3.14)."""
        version = ((raw or {}).get('meta') or {}).get('version')
        if version and self.features.etag:
            return {'If-Match': version}
        return None

    def _write(self, method, path, raw, body, what, done=None):
        """Send a PUT/PATCH of the resource last read as ``raw``, once (``idempotent=False``: with
        ``If-Match`` a repeat would answer 412, and PATCH ``add`` need not be idempotent).

        When its answer is lost, ``done()`` reads the resource back and says whether the change
        is there (then the run goes on, with a warning); without ``done`` (a password, which
        cannot be read back) the error is raised with its outcome unknown. A 412 (changed on the
        server since it was read) is one clear error: that write was not applied.
        """
        headers = self._conditions(raw)

        def send():
            return self.client.json(method, path, json=body, headers=headers, idempotent=False)

        try:
            if done is None:
                return send()
            return self.client.confirm_write(send, done, '%s %s (%s)' % (method, path, what), warn=self.warn)
        except APIError as exc:
            if exc.status == 412:
                exc.message += ('; %s changed on the server since this run read it (ETag %s no longer matches): '
                                'nothing was written, run again' % (what, ((raw or {}).get('meta') or {}).get('version')))
            raise
