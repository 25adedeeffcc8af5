# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validation of every connection setting that forms a URL, before any request.

A connection setting decides where the credential goes: a subdomain setting of
``127.0.0.1:6297/#`` would otherwise send the token request, with the client secret in HTTP
Basic, to that host. Every provider's session builds its base URL with these functions, so a
setting is either one clean origin (plus a path where the provider's API lives under one) or a
:class:`ConfigError` naming the option, raised before the first request:

* the scheme is ``https``; plain ``http`` only for a loopback host (``localhost``, ``127.0.0.0/8``,
  ``::1``: the local emulators and a port-forward), or for any host where the provider allows it
  (a self-hosted service that labs run over plain http), never another scheme;
* a host: an IP literal or DNS labels (letters, digits, ``-``, ``_``), no user information
  (``user:password@``), a port only as 1-65535;
* no query and no fragment; a path only where the provider's API may live under one, and then
  without dot segments, empty segments or encoded separators;
* no whitespace, control character or backslash anywhere (``http://host\\@evil``).

Values are quoted in messages cut to a sane length, so a 10 kB value gives a one-line message.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from urllib.parse import urlsplit, unquote

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError

LABEL = re.compile(r'^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$')
SUBDOMAIN = re.compile(r'^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$')
PATH_SEGMENT = re.compile(r"^[A-Za-z0-9._~!$&'()*+,;=:@-]*$")
LOOPBACK_NAMES = ('localhost', 'localhost.localdomain')
SHOWN = 80  # characters of a bad value quoted in a message


def shown(value):
    """``repr`` of ``value`` cut to :data:`SHOWN` characters (a message stays one short line), the
    user information of a URL (``user:password@``) masked: it may hold a password."""
    text = repr(re.sub(r'(//)[^/?#@]*@', r'\1********@', value) if isinstance(value, str) else value)
    return text if len(text) <= SHOWN else text[:SHOWN] + '...'


def is_loopback(host):
    """Whether ``host`` (a hostname or IP literal, without brackets) is this machine."""
    host = (host or '').lower().rstrip('.')
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_ok(host):
    if not host or len(host) > 253:
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    if re.match(r'^[0-9.]+$', host):  # 127.1, 300.1.1.1: not an address, not a name
        return False
    return all(LABEL.match(label) for label in host.rstrip('.').split('.'))


def _port_problem(netloc):
    """What is wrong with the port of ``netloc``, or None (no port, or 1-65535)."""
    if netloc.startswith('['):
        port_text = netloc.rsplit(']', 1)[1]
    else:
        port_text = netloc[len(netloc.split(':', 1)[0]):]
    if port_text and (not re.match(r'^:[0-9]{1,5}$', port_text) or not 0 < int(port_text[1:]) < 65536):
        return 'has an invalid port %s' % shown(port_text[1:])
    return None


def _path_problem(parts, path):
    """What is wrong with the path of ``parts`` (a ``urlsplit`` result), or None."""
    url_path = parts.path.rstrip('/')
    if url_path and not path:
        return 'holds a path (%s), where none belongs' % shown(parts.path)
    for segment in url_path.split('/')[1:]:
        decoded = unquote(segment)
        if decoded in ('', '.', '..') or '/' in decoded or '\\' in decoded \
                or not PATH_SEGMENT.match(segment.replace('%', '')):
            return 'has a path segment %s that is empty, a dot segment or encoded' % shown(segment)
    return None


def _problems(value, path, http):
    """What is wrong with ``value`` as a base URL, first problem first (only the first is read)."""
    if not isinstance(value, str) or not value:
        yield 'is not a URL'
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        yield 'holds whitespace or control characters'
    if '\\' in value:
        yield 'holds a backslash'
    if '://' not in value:
        yield 'has no scheme, it must start with https://'
    parts = urlsplit(value)
    if parts.scheme.lower() not in ('http', 'https'):
        yield 'is not an https:// URL (scheme %s)' % shown(parts.scheme)
    if '#' in value:
        yield 'holds a fragment (#)'
    if '?' in value:
        yield 'holds a query (?)'
    if '@' in parts.netloc:
        yield 'holds user information (user:password@), give credentials in their own options'
    if not _host_ok(parts.hostname):
        yield 'has no valid host name'
    problem = _port_problem(parts.netloc)
    if problem:
        yield problem
    if parts.scheme.lower() == 'http' and http != 'any' and not is_loopback(parts.hostname):
        yield ('is plain http, which would send the credential unencrypted; use https '
               '(plain http is accepted for a loopback host only: localhost, 127.0.0.1, ::1)')
    problem = _path_problem(parts, path)
    if problem:
        yield problem


def check_url(value, option, provider, path=True, http='loopback', example='https://host.example.com'):
    """``value`` as a base URL (no trailing slash), or a :class:`ConfigError` naming ``option``.

    ``path``: whether the URL may carry a path (an API under a prefix); ``http``: ``'loopback'``
    accepts plain http for a loopback host only, ``'any'`` for any host.
    """
    problem = next(_problems(value, path, http), None)
    if problem:
        raise ConfigError('%s %s %s (expected the server URL alone, like %s)' % (
            option, shown(value), problem, example), provider)
    parts = urlsplit(value)
    return '%s://%s%s' % (parts.scheme.lower(), parts.netloc, parts.path.rstrip('/'))


def check_label(value, option, provider, example):
    """``value`` as one DNS label (an account's ``subdomain``), or a :class:`ConfigError`."""
    if not isinstance(value, str) or not SUBDOMAIN.match(value):
        raise ConfigError('%s %s is not one DNS label (letters, digits and inner hyphens, at most 63): '
                          'give the %s alone, or the whole URL as api_url' % (option, shown(value), example),
                          provider)
    return value.lower()


def check_secret(value, option, provider, minimum=8):
    """Refuse a credential shorter than ``minimum`` characters: no real API credential is that
    short, and one that short cannot be masked safely (every occurrence of it in any output would
    be hidden, mangling the messages, while its encodings would not be). The value is not shown."""
    if isinstance(value, str) and len(value.strip()) < minimum:
        raise ConfigError('%s is %d characters long, shorter than any real credential (at least %d): '
                          'check that the whole value was given' % (option, len(value.strip()), minimum),
                          provider)
    return value
