"""JMESPath queries: an invalid expression is one full line, reported before any request."""

import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.iamops.identity.plugins.module_utils import _query
from ansible_collections.iamops.identity.plugins.module_utils._errors import IdentityError
from ansible_collections.iamops.identity.plugins.modules import identity_group_info


@pytest.mark.parametrize('expression,message', [
    ('groups[', "invalid query 'groups[': Invalid jmespath expression: Incomplete expression at column 7"),
    ('a.b.', "invalid query 'a.b.': Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', "
             "'lbrace'], got: eof: Parse error at column 4, token \"\" (EOF)"),
    ('[?x==]', "invalid query '[?x==]': invalid token: Parse error at column 5, token \"]\" (RBRACKET)"),
    ('`bad', "invalid query '`bad': Bad jmespath expression: Unclosed ` delimiter at column 0"),
])
def test_validate_query_gives_the_whole_first_line(expression, message):
    with pytest.raises(IdentityError) as err:
        _query.validate_query(expression)
    assert str(err.value) == message
    with pytest.raises(IdentityError) as err:
        _query.jmespath_search(expression, {})
    assert str(err.value) == message


def test_valid_query():
    _query.validate_query('groups[].name')
    assert _query.jmespath_search('groups[].name', {'groups': [{'name': 'a'}]}) == ['a']


def test_an_info_module_with_a_bad_query_fails_before_any_request(server, capsys):
    server.answer((201, {'token': {}}, {'X-Subject-Token': 'tok-123456'}))
    args = {'auth': {'auth_url': server.url + '/v3', 'token': 'tok-123456'}, 'query': 'groups[?name=='}
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            identity_group_info.main()
    result = json.loads(capsys.readouterr().out)
    assert result['failed'] is True
    assert result['msg'] == "invalid query 'groups[?name==': Invalid jmespath expression: Incomplete expression at column 14"
    assert 'exception' not in result
    assert server.requests == []
