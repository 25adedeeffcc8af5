# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""requests and urllib3, imported once for every piece of the HTTP client.

Without them the names stand for placeholders and :data:`REQUESTS_IMPORT_ERROR` holds the
traceback, which the module frame reports before any provider is built.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import traceback

__all__ = ('requests', 'HTTPAdapter', 'AuthBase', 'Retry', 'urllib3_exceptions', 'REQUESTS_IMPORT_ERROR')

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.adapters import HTTPAdapter
    from requests.auth import AuthBase
    from urllib3.util.retry import Retry
    from urllib3 import exceptions as urllib3_exceptions
except ImportError:  # pragma: no cover - reported by the module frame
    requests = None
    HTTPAdapter = object
    AuthBase = object
    Retry = object
    urllib3_exceptions = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
