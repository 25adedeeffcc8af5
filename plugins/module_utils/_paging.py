# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paged listings that always end (:meth:`HTTPClient.paginate <_http.HTTPClient.paginate>`).

A :class:`Listing` stops, marked incomplete with a reason, on a next link already fetched, on a
page that brings no new item, or after ``max_pages`` pages; next links are rebased onto the base
URL's scheme, host and port.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from urllib.parse import urlsplit, urljoin

from ansible_collections.iamops.identity.plugins.module_utils._requests_lib import requests
from ansible_collections.iamops.identity.plugins.module_utils._scrub import redact_url

MAX_PAGES = 10000


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
