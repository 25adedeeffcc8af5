"""_handlers: "missing means gone" turns a not-found answer into None / already gone, and lets
every other error through."""

import re

import pytest

from ansible_collections.iamops.identity.plugins.module_utils import _handlers
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, IdentityError


def error(status, message=None):
    return APIError('p', 'DELETE', '/x', status=status, server_message=message)


def raiser(exc):
    def call(*args, **kwargs):
        raise exc
    return call


def test_gone_swallows_404_and_says_so():
    answer = error(404)
    with _handlers.missing_is_gone() as missing:
        raise answer
    assert missing.gone is True and missing.error is answer


def test_gone_without_error_is_not_gone():
    with _handlers.missing_is_gone() as missing:
        pass
    assert missing.gone is False


@pytest.mark.parametrize('exc', [error(500), error(403), error(None), IdentityError('no', 'p'), ValueError('x')])
def test_gone_lets_other_errors_through(exc):
    with pytest.raises(type(exc)):
        with _handlers.missing_is_gone():
            raise exc


def test_gone_with_own_statuses_and_message():
    with _handlers.missing_is_gone(statuses=(400,), match=re.compile('not a member')) as missing:
        raise error(400, 'user is not a member')
    assert missing.gone
    with pytest.raises(APIError):
        with _handlers.missing_is_gone(statuses=(400,), match=re.compile('not a member')):
            raise error(400, 'bad body')
    with pytest.raises(APIError):  # 404 is not one of the statuses named
        with _handlers.missing_is_gone(statuses=(410,)):
            raise error(404)


def test_missing_is_none_bare_and_with_arguments():
    assert _handlers.missing_is_none(raiser(error(404)))() is None
    assert _handlers.missing_is_none(lambda a, b=1: (a, b))(2, b=3) == (2, 3)
    assert _handlers.missing_is_none(statuses=(410,))(raiser(error(410)))() is None
    with pytest.raises(APIError):
        _handlers.missing_is_none(raiser(error(502)))()


def test_missing_is_none_as_method_decorator_keeps_name():
    class Session:
        @_handlers.missing_is_none
        def get_or_none(self, path):
            """doc"""
            raise error(404) if path == '/gone' else None

    assert Session().get_or_none('/gone') is None
    assert Session.get_or_none.__name__ == 'get_or_none'


def test_or_none():
    assert _handlers.or_none(raiser(error(404)), '/x') is None
    assert _handlers.or_none(dict, a=1) == {'a': 1}
    with pytest.raises(APIError):
        _handlers.or_none(raiser(error(400)))


def test_is_missing():
    assert _handlers.is_missing(error(404))
    assert not _handlers.is_missing(error(409))
    assert not _handlers.is_missing(ValueError())
