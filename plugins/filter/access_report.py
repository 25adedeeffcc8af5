# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the identity_access_report role: who has what, across providers, and the drift
from a people file; then the same as one self-contained HTML page.

Pure functions (no request, no file): they take what the info modules read (registered loop
results, one per provider) and the people file. Nothing here names a provider. Each filter is
documented in the sidecar ``<filter name>.yml`` beside this file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import html
import json

from ansible.errors import AnsibleFilterError

FORMAT = 'iamops.identity.access_report/1'


def _by_provider(results, name):
    """provider -> the registered result of its run (skipped runs and missing lists left out)."""
    found = {}
    for result in results or []:
        if not isinstance(result, dict):
            continue
        item = result.get(result.get('ansible_loop_var') or 'item')
        provider = item.get('provider') if isinstance(item, dict) else item
        if provider is None:
            raise AnsibleFilterError('access_report: a result of %s names no provider' % name)
        found[provider] = result
    return found


def _error(result):
    if result is None or result.get('skipped'):
        return None
    if result.get('failed'):
        return result.get('msg') or 'failed'
    return None


def _listing(result, key):
    """The list a run returned: its ``query_result`` when the task used a query, else ``key``."""
    if result is None or result.get('skipped') or result.get('failed'):
        return []
    value = result.get('query_result', result.get(key))
    return value or []


def _name(obj):
    if not isinstance(obj, dict):
        return obj
    return obj.get('name') or obj.get('id')


def assignment_label(assignment):
    """A provider-agnostic one-line label: ``member on project research (Default)``,
    ``reader on domain corp, inherited``, ``ro_viewer on /payroll/*``, ``Staff``."""
    text = _name(assignment.get('role')) or '?'
    if assignment.get('system'):
        text += ' on system %s' % assignment['system']
    elif assignment.get('project'):
        project = assignment['project']
        text += ' on project %s' % _name(project)
        if isinstance(project, dict) and project.get('domain'):
            text += ' (%s)' % _name(project['domain'])
    elif assignment.get('domain'):
        text += ' on domain %s' % _name(assignment['domain'])
    elif assignment.get('resources'):
        text += ' on %s' % ', '.join(assignment['resources'])
    if assignment.get('inherited'):
        text += ', inherited'
    return text


def _wanted_label(grant, person_domain):
    """The label of a role a person's entry asks for, comparable with :func:`assignment_label`."""
    text = str(grant.get('role'))
    if grant.get('system'):
        text += ' on system %s' % grant['system']
    elif grant.get('project'):
        text += ' on project %s (%s)' % (grant['project'], grant.get('project_domain') or person_domain)
    elif grant.get('domain'):
        text += ' on domain %s' % grant['domain']
    elif grant.get('resources'):
        text += ' on %s' % ', '.join(grant['resources'])
    if grant.get('inherited'):
        text += ', inherited'
    return text


def _group_name(ref):
    return ref.get('name') if isinstance(ref, dict) else ref


def _effective(person, provider):
    """The person as ``provider`` sees it: the common keys, overridden by its section."""
    section = person.get(provider) or {}
    if not isinstance(section, dict):
        raise AnsibleFilterError('access_report: person %s: the %s section must be a dictionary'
                                 % (person.get('name'), provider))
    entry = dict((k, v) for k, v in person.items() if v is not None)
    entry.update((k, v) for k, v in section.items() if v is not None)
    entry['name'] = section.get('name') or person['name']
    return entry


def access_report(users, groups, assignments, people=None, providers=None, domain='Default', generated=None):
    """One row per person across the providers read; see access_report.yml."""
    users_by, groups_by, grants_by = (_by_provider(users, 'users'), _by_provider(groups, 'groups'),
                                      _by_provider(assignments, 'assignments'))
    names = list(providers or users_by)
    if people is not None and not isinstance(people, list):
        raise AnsibleFilterError('access_report: the people file must be a list of people')
    report = {'format': FORMAT, 'generated': generated, 'providers': names, 'errors': {},
              'people_file': people is not None, 'rows': [], 'summary': {}}
    # who holds what, per provider, keyed by the account name the provider knows
    held = {}
    for provider in names:
        results = (users_by.get(provider), groups_by.get(provider), grants_by.get(provider))
        errors = _errors(provider, results)
        if errors:
            report['errors'][provider] = errors
        held[provider] = _held(*results)
    wanted = _wanted(people)
    for name in _row_names(names, held, wanted):
        report['rows'].append(_row(name, wanted.get(name), names, held, report, domain))
    report['summary'] = {
        'people': len(report['rows']),
        'with_drift': len([r for r in report['rows'] if r['drift']]),
        'accounts': dict((p, len(held[p])) for p in names),
    }
    return report


def _errors(provider, results):
    """The distinct error messages of a provider's registered listings, without the provider's name."""
    errors = []
    for result in results:
        message = _error(result)
        if message and message.startswith(provider + ': '):
            message = message[len(provider) + 2:]   # the report names the provider already
        if message and message not in errors:
            errors.append(message)
    return errors


def _held(users, groups, grants):
    """What each account of one provider holds, keyed by its name: account state, e-mail, groups,
    direct roles and the roles its groups give."""
    accounts = dict((u.get('id'), u) for u in _listing(users, 'users'))
    member_of = {}
    for group in _listing(groups, 'groups'):
        for member in group.get('users') or []:
            member_id = member.get('id') if isinstance(member, dict) else member
            member_of.setdefault(member_id, []).append(group.get('name') or group.get('id'))
    direct, via_group = {}, {}
    for grant in _listing(grants, 'role_assignments'):
        if grant.get('user'):
            direct.setdefault(grant['user'].get('id'), []).append(assignment_label(grant))
        elif grant.get('group'):
            via_group.setdefault(_name(grant['group']), []).append(assignment_label(grant))
    held = {}
    for user_id, user in accounts.items():
        groups_held = sorted(member_of.get(user_id, []))
        inherited = sorted(set('%s (via group %s)' % (label, group)
                               for group in groups_held for label in via_group.get(group, [])))
        held[user.get('name') or user_id] = {
            'account': 'enabled' if user.get('enabled') is not False else 'disabled',
            'email': user.get('email'), 'groups': groups_held, 'roles': sorted(set(direct.get(user_id, []))),
            'group_roles': inherited}
    return held


def _wanted(people):
    """The people of the file by name, each checked to have one."""
    wanted = {}
    for person in people or []:
        if not isinstance(person, dict) or not person.get('name'):
            raise AnsibleFilterError('access_report: every person of the people file needs a name')
        wanted[person['name']] = person
    return wanted


def _row_names(names, held, wanted):
    """The rows' names: the people of the file first (in its order), then every other account."""
    order = list(wanted)
    for provider in names:
        for account in sorted(held[provider]):
            person = next((p for p in wanted.values() if _effective(p, provider)['name'] == account), None)
            name = person['name'] if person else account
            if name not in order:
                order.append(name)
    return order


def _row(name, person, names, held, report, domain):
    """One person's (or one account's) row: a cell per provider, its drift, the first e-mail known."""
    entry = {'name': name, 'email': None, 'providers': {}, 'drift': [], 'in_people_file': person is not None}
    for provider in names:
        account_name = _effective(person, provider)['name'] if person else name
        state = held[provider].get(account_name)
        cell = dict(state) if state else {'account': 'none', 'email': None, 'groups': [], 'roles': [], 'group_roles': []}
        cell['name'] = account_name
        cell['drift'] = []
        if person is not None and provider not in report['errors']:
            cell['drift'] = _drift(_effective(person, provider), provider, state, person, domain)
        elif person is None and state and report['people_file']:
            cell['drift'] = ['account not in the people file']
        entry['providers'][provider] = cell
        entry['email'] = entry['email'] or cell.get('email') or (person or {}).get('email')
        entry['drift'].extend('%s: %s' % (provider, line) for line in cell['drift'])
    return entry


def _drift(entry, provider, state, person, domain):
    """What differs between a person's entry (as ``provider`` sees it) and what they hold."""
    listed = person.get('providers')
    if listed is not None and provider not in listed:
        return ['account not in the people file'] if state else []
    if state is None:
        return ['no account']
    drift = []
    if state['account'] == 'disabled' and entry.get('enabled') is not False:
        drift.append('account disabled')
    if state['account'] == 'enabled' and entry.get('enabled') is False:
        drift.append('account enabled, the people file says disabled')
    if 'groups' in entry:
        want = set(_group_name(g) for g in entry.get('groups') or [])
        have = set(state['groups'])
        drift.extend('not in group %s' % g for g in sorted(want - have))
        drift.extend('in group %s, not in the people file' % g for g in sorted(have - want))
    if 'roles' in entry:
        want = set(_wanted_label(g, entry.get('domain') or domain) for g in entry.get('roles') or [])
        have = set(state['roles'])
        drift.extend('lacks %s' % label for label in sorted(want - have))
        drift.extend('holds %s, not in the people file' % label for label in sorted(have - want))
    return drift


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:22px;margin:0 0 4px}
p.meta{color:#5b6475;margin:0 0 16px}
.errors{background:#fff4e5;border:1px solid #f0b35a;padding:8px 12px;margin-bottom:16px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #d5dae3;padding:6px 8px;vertical-align:top;text-align:left}
th{background:#22324d;color:#fff;cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending]::after{content:" \\25B2"}
th[aria-sort=descending]::after{content:" \\25BC"}
tr:nth-child(even) td{background:#f6f8fb}
tr.drift td.person{border-left:6px solid #d23c3c}
td.drift{color:#b42318;font-weight:600}
td.drift ul{margin:0;padding-left:16px}
.account-none{color:#8a93a6}
.account-disabled{color:#b42318}
.tag{display:inline-block;background:#e7ecf5;border-radius:3px;padding:1px 5px;margin:1px}
.role{display:block}
"""

SCRIPT = """
(function(){
  var table=document.getElementById('access');
  var heads=table.tHead.rows[0].cells;
  function key(row,i){var c=row.cells[i];return (c.getAttribute('data-sort')||c.textContent).trim().toLowerCase();}
  function sort(i,asc){
    Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
    heads[i].setAttribute('aria-sort',asc?'ascending':'descending');
    var body=table.tBodies[0];
    var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){var x=key(a,i),y=key(b,i);
      var n=(!isNaN(parseFloat(x))&&!isNaN(parseFloat(y)))?parseFloat(x)-parseFloat(y):x.localeCompare(y);
      return asc?n:-n;});
    rows.forEach(function(r){body.appendChild(r);});
  }
  Array.prototype.forEach.call(heads,function(th,i){
    th.addEventListener('click',function(){sort(i,th.getAttribute('aria-sort')!=='ascending');});
  });
  // a link can open the page sorted: #sort=<column>, or #sort=<column>-desc
  var wanted=/^#sort=([0-9]+)(-desc)?$/.exec(location.hash);
  if(wanted&&heads[+wanted[1]]){sort(+wanted[1],!wanted[2]);}
})();
"""


def _e(value):
    return html.escape('' if value is None else str(value), quote=True)


def _cell(cell):
    parts = ['<span class="account-%s">%s</span>' % (_e(cell['account']), _e(cell['account']))]
    if cell['account'] != 'none' and cell.get('name'):
        parts[0] = '<span class="account-%s">%s (%s)</span>' % (_e(cell['account']), _e(cell['name']), _e(cell['account']))
    if cell['groups']:
        parts.append('<div>%s</div>' % ''.join('<span class="tag">%s</span>' % _e(g) for g in cell['groups']))
    roles = cell['roles'] + cell['group_roles']
    if roles:
        parts.append('<div>%s</div>' % ''.join('<span class="role">%s</span>' % _e(r) for r in roles))
    sort = '%s %d' % (cell['account'], len(roles))
    return '<td data-sort="%s">%s</td>' % (_e(sort), ''.join(parts))


def access_report_html(report, title='Identity access report'):
    """The report as one self-contained HTML page: a sortable table (inline CSS and JS, no
    external asset), one row per person, drift marked."""
    if not isinstance(report, dict) or report.get('format') != FORMAT:
        raise AnsibleFilterError('access_report_html: the input is not an access report (%s)' % FORMAT)
    providers = report['providers']
    head = ['<th scope="col">Person</th>', '<th scope="col">E-mail</th>']
    head += ['<th scope="col">%s</th>' % _e(p) for p in providers]
    head.append('<th scope="col">Drift</th>')
    body = []
    for row in report['rows']:
        drift = row['drift']
        cells = ['<td class="person">%s</td>' % _e(row['name']), '<td>%s</td>' % _e(row['email'])]
        cells += [_cell(row['providers'][p]) for p in providers]
        if drift:
            cells.append('<td class="drift" data-sort="%d"><ul>%s</ul></td>' % (
                len(drift), ''.join('<li>%s</li>' % _e(line) for line in drift)))
        else:
            cells.append('<td data-sort="0">none</td>')
        body.append('<tr class="person%s" data-person="%s">%s</tr>' % (
            ' drift' if drift else '', _e(row['name']), ''.join(cells)))
    summary = report['summary']
    meta = '%d people, %d with drift%s; providers: %s%s' % (
        summary['people'], summary['with_drift'],
        '' if report['people_file'] else ' (no people file: drift not checked)',
        ', '.join('%s (%d accounts)' % (p, summary['accounts'].get(p, 0)) for p in providers),
        '; generated %s' % report['generated'] if report.get('generated') else '')
    errors = ''
    if report['errors']:
        errors = '<div class="errors"><strong>Not read:</strong><ul>%s</ul></div>' % ''.join(
            '<li>%s: %s</li>' % (_e(p), _e('; '.join(e))) for p, e in sorted(report['errors'].items()))
    data = json.dumps(report, sort_keys=True).replace('</', '<\\/')
    return ''.join([
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<title>%s</title><style>%s</style></head><body>' % (_e(title), STYLE),
        '<h1>%s</h1><p class="meta" id="summary">%s</p>%s' % (_e(title), _e(meta), errors),
        '<table id="access"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>' % (''.join(head), ''.join(body)),
        '<script type="application/json" id="report-data">%s</script>' % data,
        '<script>%s</script></body></html>\n' % SCRIPT])


class FilterModule(object):

    def filters(self):
        return {
            'access_report': access_report,
            'access_report_html': access_report_html,
        }
