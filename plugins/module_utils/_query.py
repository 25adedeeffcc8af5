# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""JMESPath: the ``query`` option of the info modules, and the lookups of a server's error text.

Without the jmespath library :data:`JMESPATH_IMPORT_ERROR` holds the traceback (the module frame
reports it when a ``query`` is given) and :func:`first_found` still reads ``a.b || c`` chains.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import traceback

from ansible_collections.iamops.identity.plugins.module_utils._errors import IdentityError

JMESPATH_IMPORT_ERROR = None
try:
    import jmespath
except ImportError:  # pragma: no cover - reported by the module frame
    jmespath = None
    JMESPATH_IMPORT_ERROR = traceback.format_exc()


def _query_error(expression, exc):
    lines = str(exc).splitlines()
    text = re.sub(r'[,:]?\s*for expression:?\s*$', '', lines[0] if lines else '').rstrip(' :,')
    column = getattr(exc, 'lex_position', getattr(exc, 'lexer_position', None))
    if column is not None and 'column' not in text:
        text += ' at column %s' % column
    return IdentityError('invalid query %r: %s' % (expression, text or type(exc).__name__))


def validate_query(expression):
    """Compile a JMESPath expression; a syntax error is one :class:`IdentityError` line."""
    try:
        jmespath.compile(expression)
    except jmespath.exceptions.JMESPathError as exc:
        raise _query_error(expression, exc)


def jmespath_search(expression, data):
    """Apply a JMESPath expression, turning its errors into one clear message."""
    try:
        return jmespath.search(expression, data)
    except jmespath.exceptions.JMESPathError as exc:
        raise _query_error(expression, exc)


def first_found(query, body):
    """``query`` (a JMESPath ``a.b || c`` chain) on ``body``; works without the jmespath library."""
    if jmespath is not None:
        return jmespath.search(query, body)
    for alternative in query.split('||'):
        found = body
        for key in alternative.strip().split('.'):
            found = found.get(key) if isinstance(found, dict) else None
        if found:
            return found
    return None
