# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run's directory cache: one idiom for every provider's users, groups, roles, ...

A provider keeps what it has read in one :class:`DirectoryCache` (``self.directory``, made on
first use by :class:`CachedDirectory`). Per kind (``'users'``, ``'groups'``, ...) and scope (a
domain, a tenant; ``None`` when the provider has none) a :class:`Directory` holds the objects by
name and by id, and knows whether it holds the complete listing:

- :meth:`Directory.fill` stores a listing; ``complete=True`` only for a listing that brought every
  object (a truncated one would make the objects beyond it look absent);
- :meth:`Directory.by_name` / :meth:`Directory.by_id` answer the object, ``None`` when the complete
  listing shows it is absent (no request), or :data:`MISS` when the cache does not know (ask the
  server, then :meth:`Directory.put` the answer: a by-name lookup fills by-id too);
- :meth:`Directory.put`, :meth:`Directory.rename` and :meth:`Directory.drop` keep it true after a
  create, update, rename or delete.

Names are compared through the provider's ``ProviderSpec.name_key`` (case-folded where the
identity system compares names without regard to case). One lock per cache makes each call
atomic for the workers of ``_parallel`` (which already run the module's code one at a time).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

MISS = object()  # the cache does not know: ask the server
_MAKING = threading.Lock()


def _same(value):
    return value


class Directory:
    """One kind's objects of one scope, by name and by id, and whether the listing was complete.

    ``name``/``id`` are the keys of an object that hold its name and its id (``'username'``,
    ``'guid'``, ...); ``name_key`` maps a name to the key it is stored under.
    """

    def __init__(self, name_key=None, name='name', id='id', lock=None):
        self._name_key = name_key or _same
        self._name, self._id = name, id
        self._lock = lock or threading.RLock()
        self._by_name = {}
        self._by_id = {}
        self.complete = False  # holds the complete listing: absent means absent
        self.listed = False    # a listing was read (complete or not)
        self._absent = set()   # ids the server said are not there (see absent())

    def key(self, name):
        return self._name_key(name)

    def __len__(self):
        return len(self._by_id) or len(self._by_name)

    def put(self, obj):
        """Remember ``obj`` (a create, an update, a lookup's answer); returns it. ``None`` is kept out."""
        if obj is None:
            return None
        with self._lock:
            name, obj_id = obj.get(self._name), obj.get(self._id)
            if name is not None:
                self._by_name[self.key(name)] = obj
            if obj_id is not None:
                self._absent.discard(obj_id)
                old = self._by_id.get(obj_id)
                old_name = old.get(self._name) if old is not None else None
                if old_name is not None and old_name != name and self._by_name.get(self.key(old_name)) is old:
                    del self._by_name[self.key(old_name)]  # renamed since it was read
                self._by_id[obj_id] = obj
        return obj

    def fill(self, objs, complete=True):
        """Store a listing; ``complete``: it brought every object (absent means absent). After a
        complete listing :meth:`values` answers in the listing's order (then what was put since)."""
        objs = list(objs)
        with self._lock:
            if complete:
                held, self._by_id = self._by_id, {}
                for obj in objs:
                    if obj.get(self._id) is not None:
                        self._by_id[obj[self._id]] = obj
                self._by_id.update((k, v) for k, v in held.items() if k not in self._by_id)
            for obj in objs:
                self.put(obj)
            self.complete = self.complete or bool(complete)
            self.listed = True
        return objs

    def by_name(self, name):
        """The object called ``name``; ``None`` when the complete listing lacks it; else :data:`MISS`."""
        with self._lock:
            found = self._by_name.get(self.key(name), MISS)
            if found is MISS and self.complete:
                return None
            return found

    def by_id(self, obj_id):
        """The object whose id is ``obj_id``; ``None`` when the complete listing lacks it or the
        server said it is absent (:meth:`absent`); else :data:`MISS`."""
        with self._lock:
            found = self._by_id.get(obj_id, MISS)
            if found is MISS and (self.complete or obj_id in self._absent):
                return None
            return found

    def held(self, obj_id):
        """The object ``obj_id`` if the cache holds it, else None (never :data:`MISS`)."""
        found = self.by_id(obj_id)
        return None if found is MISS else found

    def absent(self, obj_id):
        """The server said there is no object ``obj_id`` (a lookup by id found nothing): later
        lookups answer ``None`` without a request, until :meth:`put` of such an object."""
        with self._lock:
            self._absent.add(obj_id)

    def find(self, ref):
        """The object whose name, else id, is ``ref``; None when the cache does not hold it."""
        for found in (self.by_name(ref), self.by_id(ref)):
            if found is not None and found is not MISS:
                return found
        return None

    def read(self, obj_id, fetch, cached=True):
        """The object ``obj_id``: what the cache says (``None``: known absent), else ``fetch()``'s
        answer (one request, ``None`` when there is no such object), remembered either way.
        ``cached=False`` asks again."""
        found = self.by_id(obj_id) if cached else MISS
        if found is MISS:
            found = fetch()
            with self._lock:
                if found is None:
                    self._by_id.pop(obj_id, None)
                    self._absent.add(obj_id)
                else:
                    self.put(found)
                    self._by_id[obj_id] = found  # also under the id asked for
        return found

    def names_like(self, name):
        """The names held that equal ``name`` case-folded (a server that compares names without
        regard to case may mean one of them)."""
        folded = name.casefold()
        with self._lock:
            return [obj.get(self._name) for obj in self._by_name.values()
                    if str(obj.get(self._name)).casefold() == folded]

    def rename(self, obj, old_name):
        """``obj`` (already under its new name) was called ``old_name``."""
        with self._lock:
            if old_name is not None and self._by_name.get(self.key(old_name)) is not None \
                    and old_name != obj.get(self._name):
                del self._by_name[self.key(old_name)]
            return self.put(obj)

    def drop(self, obj):
        """``obj`` is gone (deleted): a later lookup answers absent when the listing was complete."""
        with self._lock:
            name, obj_id = obj.get(self._name), obj.get(self._id)
            if name is not None:
                held = self._by_name.get(self.key(name))
                if held is not None and (obj_id is None or held.get(self._id) in (obj_id, None)):
                    del self._by_name[self.key(name)]
            if obj_id is not None:
                self._by_id.pop(obj_id, None)

    def named(self, name=None):
        """The objects held by name (one per name, the last put), or those called ``name`` among
        every object held (several objects may share a name where the system allows it)."""
        with self._lock:
            if name is None:
                return list(self._by_name.values())
            key = self.key(name)
            return [obj for obj in self.values() if self.key(obj.get(self._name)) == key]

    def values(self):
        """Every object held (each once)."""
        with self._lock:
            seen, out = set(), []
            for obj in list(self._by_id.values()) + list(self._by_name.values()):
                if id(obj) not in seen:
                    seen.add(id(obj))
                    out.append(obj)
            return out

    def clear(self):
        with self._lock:
            self._by_name.clear()
            self._by_id.clear()
            self._absent.clear()
            self.complete = self.listed = False


class DirectoryCache:
    """Every :class:`Directory` of a run, per (kind, scope); they share one lock."""

    def __init__(self, name_key=None):
        self._name_key = name_key
        self._lock = threading.RLock()
        self._dirs = {}

    def __call__(self, kind, scope=None, name='name', id='id', name_key=None):
        """The :class:`Directory` of ``kind`` in ``scope`` (made empty on first use); ``name_key``
        overrides the cache's name comparison for this kind (a schema that says so per attribute)."""
        with self._lock:
            found = self._dirs.get((kind, scope))
            if found is None:
                found = self._dirs[(kind, scope)] = Directory(name_key or self._name_key, name, id, self._lock)
            return found

    def known(self, kind, scope=None):
        """Whether a :class:`Directory` of ``kind`` in ``scope`` was made (something was read)."""
        return (kind, scope) in self._dirs

    def forget(self, kind, scope=None):
        """Drop what is held of ``kind`` in ``scope`` (a re-read is wanted)."""
        with self._lock:
            self._dirs.pop((kind, scope), None)


class CachedDirectory:
    """Mixin: ``self.directory``, the provider's :class:`DirectoryCache`, made on first use with the
    provider's name comparison (its spec's ``name_key``)."""

    _directory = None

    @property
    def directory(self):
        if self._directory is None:
            with _MAKING:  # two workers asking first make one cache
                if self._directory is None:
                    spec = getattr(self, 'spec', None)
                    self._directory = DirectoryCache(spec.name_key if spec is not None else None)
        return self._directory


def collect(listing):
    """``(items, complete)`` of a listing the client paginates: the one listing convention.

    ``complete`` is False when the client stopped the listing early (its ``complete`` attribute).
    """
    items = list(listing)
    return items, getattr(listing, 'complete', True) is not False
