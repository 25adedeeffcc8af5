# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the onboarding and offboarding roles: one people file, several providers.

Pure functions (no request, no file): they turn the people, the providers' declared
capabilities (lookup ``iamops.identity.provider_capabilities``) and what the info modules read
into the items of each provider's batch module runs, and the module results back into one
summary. Nothing here names a provider: what a provider can do is read from its capabilities.
Each filter is documented in the sidecar ``<filter name>.yml`` beside this file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import io

from ansible.errors import AnsibleFilterError

# the keys every person may give, whatever the provider ('roles' and 'providers' are the role's)
COMMON = ('name', 'email', 'first_name', 'last_name', 'groups', 'roles', 'password', 'description',
          'enabled', 'domain', 'default_project', 'extra')
ROLE_KEYS = ('roles', 'providers')
ACTOR_KEYS = ('user', 'group', 'raw')
STATUSES = ('created', 'changed', 'already right', 'refused', 'failed', 'left alone', 'no account')


def _loop_item(result):
    """The loop item of one result of a registered loop (whatever its ``loop_var``)."""
    item = result.get(result.get('ansible_loop_var') or 'item')
    return item if isinstance(item, dict) else {'provider': item}


def _caps(capabilities, provider, module):
    found = (capabilities.get(provider) or {}).get('modules', {}).get(module)
    return found or {'options': [], 'states': [], 'limits': {}, 'reasons': {}}


def _why(caps, key, default='not supported'):
    return caps['reasons'].get(key) or default


def _drop_none(item):
    return dict((k, v) for k, v in item.items() if v is not None)


def effective(person, provider):
    """The person as ``provider`` sees it: the common keys, overridden and completed by the
    person's section for that provider. Returns ``(entry, keys given by the section)``."""
    section = person.get(provider) or {}
    if not isinstance(section, dict):
        raise AnsibleFilterError('person %s: the %s section must be a dictionary' % (person.get('name'), provider))
    entry = dict((k, v) for k, v in person.items() if k in COMMON and v is not None)
    entry.update((k, v) for k, v in section.items() if v is not None)
    entry['name'] = section.get('name') or person['name']
    return entry, set(k for k, v in section.items() if v is not None)


def acts_on(person, provider):
    wanted = person.get('providers')
    return not wanted or provider in wanted


def _domain_of(entry, user_caps, default_domain):
    if 'domain' not in user_caps['options']:
        return None
    return entry.get('domain') or default_domain


def read_targets(people, providers, capabilities, default_domain=None):
    """What to read before acting: one ``{provider, domain}`` per provider (and per domain of
    its people, for a provider with domains)."""
    targets = []
    for provider in providers:
        user_caps = _caps(capabilities, provider, 'identity_user_info')
        domains = []
        for person in people:
            if not acts_on(person, provider):
                continue
            entry, _given = effective(person, provider)
            domain = _domain_of(entry, user_caps, default_domain)
            if domain not in domains:
                domains.append(domain)
        for domain in domains or [_domain_of({}, user_caps, default_domain)]:
            targets.append({'provider': provider, 'domain': domain})
    return targets


def read_targets_per_provider(targets):
    """One ``{provider, domain: None}`` per provider of ``targets`` (reads that cover every domain)."""
    found = []
    for target in targets:
        if not any(t['provider'] == target['provider'] for t in found):
            found.append({'provider': target['provider'], 'domain': None})
    return found


def tenant_targets(providers, capabilities, tenants):
    """What to read of the tenant links: one ``{provider, domain: None, tenant}`` per tenant of
    ``tenants`` and provider whose users are linked to a tenant (its identity_user takes
    ``tenant``, its identity_user_info lists by ``filters``): a tenant's users are listed, a
    user's tenant is not shown."""
    found = []
    for provider in providers:
        if 'tenant' not in _caps(capabilities, provider, 'identity_user')['options'] \
                or 'filters' not in _caps(capabilities, provider, 'identity_user_info')['options']:
            continue
        for tenant in tenants or []:
            if tenant and {'provider': provider, 'domain': None, 'tenant': tenant} not in found:
                found.append({'provider': provider, 'domain': None, 'tenant': tenant})
    return found


def _tenant_links(reads):
    """(provider, user name) -> the tenant it is linked to, from the registered listings of
    each tenant's users, and provider -> msg of the reads that failed."""
    found, failed = {}, {}
    for result in (reads or {}).get('results') or []:
        target = _loop_item(result)
        if result.get('skipped'):
            continue
        if result.get('failed') or 'users' not in result:
            failed[target.get('provider')] = 'tenant %s not read: %s' % (
                target.get('tenant'), result.get('msg') or 'the read failed')
            continue
        for user in result.get('users') or []:
            found[(target.get('provider'), user.get('name'))] = target.get('tenant')
    return found, failed


def _accounts(reads):
    """(provider, domain) -> {name: account} from the registered identity_user_info loop, and
    provider -> message of the reads that failed."""
    found, failed = {}, {}
    if isinstance(reads, dict):
        reads = reads.get('results') or []
    for result in reads or []:
        target = _loop_item(result)
        key = (target.get('provider'), target.get('domain'))
        if result.get('skipped'):
            continue
        if result.get('failed') or ('users' not in result and 'query_result' not in result):
            # the roles register these runs with failed_when: false (one provider's failure must not
            # stop the others): a run that returned no listing failed
            failed[target.get('provider')] = result.get('msg') or 'the read failed'
            continue
        users = result.get('users')
        if users is None:
            users = result.get('query_result') or []
        found[key] = dict((u.get('name'), u) for u in users)
    return found, failed


def _account(accounts, provider, domain, name):
    return (accounts.get((provider, domain)) or {}).get(name)


def _role_item(grant, entry, assign_caps, domain_default):
    if isinstance(grant, str):
        grant = {'role': grant}
    item = {'user': entry['name']}
    if 'user_domain' in assign_caps['options'] and entry.get('domain'):
        item['user_domain'] = entry['domain']
    for key, value in grant.items():
        if value is None:
            continue
        if key not in assign_caps['options']:
            return None, '%s %s (%s)' % (key, 'of role ' + str(grant.get('role')), _why(assign_caps, key))
        item[key] = value
    if grant.get('project') is not None and grant.get('project_domain') is None \
            and 'project_domain' in assign_caps['options']:
        item['project_domain'] = entry.get('domain') or domain_default
    return item, None


def onboarding_plan(people, providers, capabilities, reads, settings=None):
    """Per provider, the items of its identity_user batch and the role grants of each person,
    plus what is refused, who is left alone (a leaver) and what could not be read.

    ``settings``: ``domain`` (the default domain), ``exclusive_roles``, ``restore`` (a restore
    run: the recorded state is the authority, the leaver rule does not apply).
    """
    settings = settings or {}
    default_domain = settings.get('domain')
    accounts, read_failed = _accounts(reads)
    disabled = _disabled_people(people, providers, capabilities, accounts, default_domain)
    plan = {'providers': {}, 'left_alone': [], 'people': [p['name'] for p in people]}
    for person in people:
        if person['name'] in disabled and not person.get('enabled') and not settings.get('restore'):
            plan['left_alone'].append(person['name'])
    for provider in providers:
        plan['providers'][provider] = _onboarding_step(
            people, provider, capabilities, accounts, read_failed.get(provider), plan['left_alone'], settings)
    plan['user_runs'] = [{'provider': p} for p in providers if plan['providers'][p]['users']]
    return plan


def _disabled_people(people, providers, capabilities, accounts, default_domain):
    """The names of the leavers: people with an account disabled on any provider of the run."""
    disabled = set()
    for provider in providers:
        user_caps = _caps(capabilities, provider, 'identity_user_info')
        for person in people:
            if not acts_on(person, provider):
                continue
            entry, _given = effective(person, provider)
            found = _account(accounts, provider, _domain_of(entry, user_caps, default_domain), entry['name'])
            if found and found.get('enabled') is False:
                disabled.add(person['name'])
    return disabled


def _onboarding_step(people, provider, capabilities, accounts, read_failed, left_alone, settings):
    """One provider's part of the onboarding plan: its identity_user items, grants and refusals."""
    default_domain = settings.get('domain')
    user_caps = _caps(capabilities, provider, 'identity_user')
    assign_caps = _caps(capabilities, provider, 'identity_role_assignment')
    step = {'users': [], 'grants': {}, 'refused': {}, 'people': {}, 'read_failed': read_failed,
            'domain': default_domain if 'domain' in user_caps['options'] else None,
            'assignments_supported': bool(assign_caps['options'])}
    for person in people:
        if not acts_on(person, provider):
            continue
        name = person['name']
        entry, given = effective(person, provider)
        step['people'][name] = {'account': entry['name']}
        if not _may_onboard(step, name, entry, provider, capabilities, accounts, left_alone, default_domain):
            continue
        item, refused = _user_item(entry, given, user_caps)
        step['users'].append(item)
        grants, refused_grants = _grants(entry, provider, capabilities, assign_caps, settings)
        refused += refused_grants
        step['grants'][name] = grants
        if refused:
            step['refused'][name] = refused
    return step


def _may_onboard(step, name, entry, provider, capabilities, accounts, left_alone, default_domain):
    """Whether the person gets an identity_user item; if not, their status and message say why."""
    status = step['people'][name]
    if name in left_alone:
        status['status'] = 'left alone'
        return False
    if step['read_failed']:
        status['status'] = 'failed'
        status['msg'] = 'accounts not read: %s' % step['read_failed']
        return False
    domain = _domain_of(entry, _caps(capabilities, provider, 'identity_user_info'), default_domain)
    existing = _account(accounts, provider, domain, entry['name'])
    status['existed'] = existing is not None
    user_caps = _caps(capabilities, provider, 'identity_user')
    if existing is None and 'create' in user_caps['reasons']:
        status['status'] = 'refused'
        status['msg'] = 'no account (%s)' % user_caps['reasons']['create']
        return False
    return True


def _user_item(entry, given, user_caps):
    """The identity_user item of one person's entry, and the keys refused (those the person gave)."""
    item, refused = {}, []
    for key, value in entry.items():
        if key in ROLE_KEYS:
            continue
        if key == 'domain' and 'domain' not in user_caps['options']:
            continue
        if key not in user_caps['options']:
            if key in given:
                refused.append('%s (%s)' % (key, _why(user_caps, key)))
            continue
        limit = user_caps['limits'].get(key)
        if limit is not None and isinstance(value, list) and len(value) > limit:
            refused.append('%s: more than %d (%s)' % (key, limit, _why(user_caps, key)))
            continue
        item[key] = value
    return item, refused


def _grants(entry, provider, capabilities, assign_caps, settings):
    """The identity_role_assignment items of one person's roles, and the roles refused."""
    grants, refused = [], []
    if not assign_caps['options']:
        if entry.get('roles'):
            refused.append('roles (%s)' % ((capabilities.get(provider) or {}).get('unsupported', {}).get(
                'identity_role_assignment') or 'not supported'))
        return grants, refused
    for grant in entry.get('roles') or []:
        role_item, why = _role_item(grant, entry, assign_caps, settings.get('domain'))
        if why:
            refused.append(why)
        else:
            grants.append(role_item)
    if settings.get('exclusive_roles') and not grants:
        declaration = {'user': entry['name']}
        if 'user_domain' in assign_caps['options'] and entry.get('domain'):
            declaration['user_domain'] = entry['domain']
        grants.append(declaration)
    return grants, refused


def _by_name(run, key):
    """name -> item result of a batch run (``key``: the item's name key)."""
    found = {}
    for result in (run or {}).get('results') or []:
        item = result.get('item') or {}
        name = item.get(key)
        if name is not None:
            found.setdefault(name, []).append(result)
    return found


def _runs(registered):
    """provider -> its result in a registered loop over providers."""
    found = {}
    for result in (registered or {}).get('results') or []:
        if not isinstance(result, dict) or result.get('skipped'):
            continue
        if 'results' not in result:   # registered with failed_when: false - no per-item results: it failed
            result = dict(result, failed=True)
        found[_loop_item(result).get('provider')] = result
    return found


def onboarding_assignments(plan, account_runs):
    """provider -> the identity_role_assignment items of the people whose account step did not
    fail (a person refused by the account step gets no role)."""
    runs = _runs(account_runs)
    found = {}
    for provider, step in plan['providers'].items():
        run = runs.get(provider) or {}
        if step.get('read_failed') or (run.get('failed') and not run.get('results')):
            continue
        results = _by_name(run, 'name')
        items = []
        for name, grants in step['grants'].items():
            account = step['people'][name]['account']
            if any(r.get('failed') for r in results.get(account, [])):
                continue
            items.extend(grants)
        if items:
            found[provider] = items
    return {'runs': [{'provider': p} for p in found], 'grants': found}


def _planned(plan):
    """``(person, provider, step, state)`` for each person of the plan on each provider acting on them."""
    for person in plan['people']:
        for provider, step in plan['providers'].items():
            state = step['people'].get(person)
            if state is not None:
                yield person, provider, step, state


def _line(name, provider, status, notes):
    return '%s @ %s: %s%s' % (name, provider, status, ' - ' + '; '.join(notes) if notes else '')


def _finish(rows):
    totals = dict((status, 0) for status in STATUSES)
    for row in rows:
        totals[row['status']] = totals.get(row['status'], 0) + 1
    failed = [{'name': row['name'], 'provider': row['provider'], 'msg': '; '.join(row['notes']), 'line': row['line']}
              for row in rows if row['status'] == 'failed']
    lines = [row['line'] for row in rows]
    lines.append('Totals: ' + ', '.join('%d %s' % (totals[s], s) for s in STATUSES if totals.get(s))
                 + ' (%d people x providers)' % len(rows))
    return {'rows': rows, 'lines': lines, 'totals': totals, 'failed': failed,
            'failed_lines': [row['line'] for row in failed]}


def onboarding_summary(plan, account_runs, role_runs):
    """One row per person and provider - created, changed, already right, refused, failed or
    left alone - with what was refused and why; then the totals."""
    accounts = _runs(account_runs)
    roles = _runs(role_runs)
    rows = []
    for person, provider, step, state in _planned(plan):
        notes = []
        status = state.get('status')
        if state.get('msg'):
            notes.append(state['msg'])
        if status is None:
            account = state['account']
            run = accounts.get(provider) or {}
            results = _by_name(run, 'name').get(account, [])
            role_run = roles.get(provider) or {}
            role_results = _by_name(role_run, 'user').get(account, [])
            purged = [a for a in role_run.get('purged') or [] if (a.get('user') or {}).get('name') == account]
            if run.get('failed') and not run.get('results'):
                status, notes = 'failed', notes + ['accounts: %s' % run.get('msg')]
            elif any(r.get('failed') for r in results):
                status = 'failed'
                notes += ['account: %s' % r.get('msg') for r in results if r.get('failed')]
            elif step['grants'].get(person) and role_run.get('failed') and (
                    not role_run.get('results') or any(r.get('failed') for r in role_results)):
                status = 'failed'
                notes += ['roles: %s' % r.get('msg') for r in role_results if r.get('failed')] or [
                    'roles: %s' % role_run.get('msg')]
            else:
                changed = any(r.get('changed') for r in results) or any(
                    r.get('changed') for r in role_results) or bool(purged)
                if changed and not state.get('existed'):
                    status = 'created'
                elif changed:
                    status = 'changed'
                else:
                    status = 'already right'
        refused = step['refused'].get(person)
        if refused:
            notes.append('refused: ' + '; '.join(refused))
            if status == 'already right':
                status = 'refused'
        rows.append({'name': person, 'provider': provider, 'status': status, 'notes': notes,
                     'line': _line(person, provider, status, notes)})
    return _finish(rows)


# ---- offboarding --------------------------------------------------------------------------------
def _listing(registered, key):
    """(provider, domain) -> the listed objects of a registered info loop, and provider -> msg of
    the reads that failed."""
    found, failed = {}, {}
    for result in (registered or {}).get('results') or []:
        target = _loop_item(result)
        if result.get('skipped'):
            continue
        if result.get('failed') or key not in result:
            failed[target.get('provider')] = result.get('msg') or 'the read failed'
            continue
        found[(target.get('provider'), target.get('domain'))] = result.get(key) or []
    return found, failed


def _same_user(ref, account):
    if isinstance(ref, str):
        return ref in (account.get('id'), account.get('name'))
    return isinstance(ref, dict) and (ref.get('id') == account.get('id') or (
        ref.get('id') is None and ref.get('name') == account.get('name')))


def offboarding_report(people, providers, capabilities, users, groups, assignments, settings=None, links=None):
    """Everything each person holds in each provider, read before any revoke: the account,
    the groups (with the group's members count), the role assignments (access records) - the
    common model with each object's ``raw`` - and what could not be read. ``links`` (the
    registered listings of each tenant's users, see ``people_tenant_targets``) adds, on the
    providers whose users are linked to a tenant, ``tenant`` (the tenant the account is linked
    to, or None) and, when linked and the provider cannot unlink, ``tenant_link_kept`` (why the
    link stays)."""
    settings = settings or {}
    default_domain = settings.get('domain')
    accounts, failed = _accounts(users)
    group_lists, group_failed = _listing(groups, 'groups')
    assignment_lists, assignment_failed = _listing(assignments, 'role_assignments')
    tenant_of, link_failed = _tenant_links(links)
    linked_providers = set(t['provider'] for t in (
        _loop_item(r) for r in (links or {}).get('results') or [] if not r.get('skipped')))
    report = {'format': 'iamops.identity.offboarding/1', 'providers': list(providers), 'people': {},
              'not_read': {}}
    for provider in providers:
        why = failed.get(provider) or group_failed.get(provider) or assignment_failed.get(provider) \
            or link_failed.get(provider)
        if why:
            report['not_read'][provider] = why
    for person in people:
        held = {}
        for provider in providers:
            if not acts_on(person, provider) or provider in report['not_read']:
                continue
            entry, _given = effective(person, provider)
            domain = _domain_of(entry, _caps(capabilities, provider, 'identity_user_info'), default_domain)
            account = _account(accounts, provider, domain, entry['name'])
            if account is None:
                held[provider] = {'account': None, 'groups': [], 'assignments': []}
                continue
            held[provider] = {'account': account, 'domain': domain,
                              'groups': _groups_held(account, group_lists, provider, domain),
                              'assignments': _assignments_held(account, assignment_lists, provider, domain)}
            if provider in linked_providers:
                held[provider].update(_tenant_held(account, tenant_of, provider, capabilities))
        report['people'][person['name']] = held
    return report


def _groups_held(account, group_lists, provider, domain):
    """The groups listed for ``provider`` that hold ``account`` (as member or admin), sorted by name."""
    member_of = []
    for listed in group_lists.get((provider, domain), []) + (
            group_lists.get((provider, None), []) if domain is not None else []):
        admin = any(_same_user(u, account) for u in listed.get('admins') or [])
        member = any(_same_user(u, account) for u in listed.get('users') or [])
        if member or admin:
            kept = dict((k, v) for k, v in listed.items() if k not in ('users', 'admins'))
            kept['admin'] = admin
            kept['member'] = member
            if kept not in member_of:
                member_of.append(kept)
    return sorted(member_of, key=lambda g: str(g.get('name')))


def _assignments_held(account, assignment_lists, provider, domain):
    """The role assignments listed for ``provider`` that name ``account``, each once."""
    granted = []
    for found in assignment_lists.get((provider, None), []) + (
            assignment_lists.get((provider, domain), []) if domain is not None else []):
        if _same_user(found.get('user'), account) and found not in granted:
            granted.append(found)
    return granted


def _tenant_held(account, tenant_of, provider, capabilities):
    """``tenant`` the account is linked to and, when linked, ``tenant_link_kept`` (why it stays)."""
    tenant = tenant_of.get((provider, account.get('name')))
    held = {'tenant': tenant}
    if tenant:
        held['tenant_link_kept'] = _why(_caps(capabilities, provider, 'identity_user'), 'unlink_tenant',
                                        'the collection has no way to unlink a user from a tenant')
    return held


def offboarding_plan(people, providers, capabilities, report, settings=None):
    """Per provider, the items of each offboarding step, from what its capabilities allow:
    ``revoke`` (identity_role_assignment items naming each person, purged), ``disable``
    (identity_user items: disabled, or locked, sessions ended when the provider can, every group
    removed), ``delete`` (identity_user items, when asked and the provider can delete), and what
    is refused."""
    settings = settings or {}
    plan = {'providers': {}, 'people': [p['name'] for p in people]}
    for provider in providers:
        plan['providers'][provider] = _offboarding_step(people, provider, capabilities, report, settings)
    for kind in ('disable', 'revoke', 'delete'):
        plan[kind + '_runs'] = [{'provider': p} for p in providers if plan['providers'][p][kind]]
    return plan


def _offboarding_step(people, provider, capabilities, report, settings):
    """One provider's part of the offboarding plan: its revoke, disable and delete items."""
    user_caps = _caps(capabilities, provider, 'identity_user')
    assign_caps = _caps(capabilities, provider, 'identity_role_assignment')
    step = {'revoke': [], 'disable': [], 'delete': [], 'refused': {}, 'people': {},
            'not_read': report['not_read'].get(provider),
            'purge_groups': settings.get('revoke_groups', True) and 'purge_groups' in user_caps['options']}
    for person in people:
        if not acts_on(person, provider):
            continue
        name = person['name']
        entry, _given = effective(person, provider)
        domain = _domain_of(entry, user_caps, settings.get('domain'))
        held = (report['people'].get(name) or {}).get(provider)
        state = {'account': entry['name']}
        step['people'][name] = state
        if step['not_read']:
            state.update(status='failed', msg='access not read, nothing revoked: %s' % step['not_read'])
            continue
        if settings.get('revoke_roles', True) and assign_caps['options']:
            item = {'user': entry['name']}
            if 'user_domain' in assign_caps['options'] and domain:
                item['user_domain'] = domain
            step['revoke'].append(item)
        if held is None or held.get('account') is None:
            state.update(status='no account')
            continue
        refused = _disable_and_delete(step, entry['name'], domain, held, user_caps, settings)
        if refused:
            step['refused'][name] = refused
    return step


def _disable_and_delete(step, account, domain, held, user_caps, settings):
    """Add the account's disable (and, when asked, delete) items to ``step``; return what is refused."""
    refused = []
    item = {'name': account}
    if domain and 'domain' in user_caps['options']:
        item['domain'] = domain
    if 'enabled' in user_caps['options']:
        item['enabled'] = False
    elif 'locked' in user_caps['options']:
        item['locked'] = True
    else:
        refused.append('disable (%s)' % _why(user_caps, 'enabled'))
    if 'logout' in user_caps['options']:
        item['logout'] = True
    if step['purge_groups']:
        item['groups'] = []
    step['disable'].append(item)
    deleting = settings.get('action') == 'delete'
    if held.get('tenant_link_kept') and not (deleting and 'absent' in user_caps['states']):
        refused.append('unlink from tenant %s (%s)' % (held.get('tenant'), held['tenant_link_kept']))
    if deleting:
        if 'absent' in user_caps['states']:
            step['delete'].append(dict((k, v) for k, v in item.items() if k in ('name', 'domain')))
        else:
            refused.append('delete (%s)' % _why(user_caps, 'state=absent'))
    return refused


def describe_assignment(found):
    """A readable label of an assignment in the common model, whatever the provider: the role,
    then each scope (``on project research``, ``on /documents/*``, ``(record Readers)``)."""
    role = found.get('role') or {}
    parts = [str(role.get('name') or role.get('id')) if isinstance(role, dict) else str(role)]
    for key in sorted(found):
        value = found[key]
        if key in ACTOR_KEYS or key == 'role' or value in (None, False, [], {}):
            continue
        if key == 'record' and isinstance(value, dict):
            parts.append('(record %s)' % (value.get('name') or value.get('id')))
        elif key == 'inherited':
            parts.append('inherited')
        elif isinstance(value, dict):
            parts.append('on %s %s' % (key, value.get('name') or value.get('id')))
        elif isinstance(value, list):
            parts.append('on ' + ', '.join(str(v) for v in value))
        else:
            parts.append('on %s %s' % (key, value))
    return ' '.join(parts)


def offboarding_summary(plan, disable_runs, revoke_runs, delete_runs, report_path=None):
    """One row per person and provider - changed (offboarded), already right, refused, failed
    or no account - then the totals."""
    disables, revokes, deletes = _runs(disable_runs), _runs(revoke_runs), _runs(delete_runs)
    rows = []
    for person, provider, step, state in _planned(plan):
        notes = [state['msg']] if state.get('msg') else []
        status = state.get('status')
        account = state['account']
        revoke_run = revokes.get(provider) or {}
        if status is None or status == 'no account':
            results = [r for run in (disables.get(provider), deletes.get(provider))
                       for r in _by_name(run, 'name').get(account, [])]
            purged = [a for a in revoke_run.get('purged') or [] if (a.get('user') or {}).get('name') == account]
            failures = ['%s: %s' % (what, run.get('msg')) for what, run in (
                ('revoke', revoke_run), ('disable', disables.get(provider) or {}),
                ('delete', deletes.get(provider) or {})) if run.get('failed') and not run.get('results')]
            failures += ['account: %s' % r.get('msg') for r in results if r.get('failed')]
            if status == 'no account':
                pass
            elif failures:
                status = 'failed'
            elif any(r.get('changed') for r in results) or purged:
                status = 'changed'
                if purged:
                    notes.append('%d role assignment%s revoked (%s)' % (
                        len(purged), '' if len(purged) == 1 else 's', ', '.join(describe_assignment(a) for a in purged)))
            else:
                status = 'already right'
            if failures and status != 'failed':
                status = 'failed'
            notes += failures
        refused = step['refused'].get(person)
        if refused:
            notes.append('refused: ' + '; '.join(refused))
        rows.append({'name': person, 'provider': provider, 'status': status, 'notes': notes,
                     'line': _line(person, provider, status, notes)})
    summary = _finish(rows)
    if report_path:
        summary['lines'].insert(0, 'Access recorded before any revoke in %s' % report_path)
    return summary


def _assignment_item(found, assign_caps):
    """The identity_role_assignment item that grants a recorded assignment again (an object
    reference by its ID, scope values as recorded)."""
    item = {}
    for key, value in found.items():
        if key in ACTOR_KEYS or value is None or key not in assign_caps['options']:
            continue
        if key == 'record' and isinstance(value, dict):
            item[key] = value.get('name') or value.get('id')
        elif isinstance(value, dict):
            item[key] = value.get('id') or value.get('name')
            # the object's own domain, so that an ID is looked up where it lives
            domain = value.get('domain')
            if isinstance(domain, dict) and domain.get('id') and '%s_domain' % key in assign_caps['options']:
                item['%s_domain' % key] = domain['id']
        elif value is not False or key != 'inherited':
            item[key] = value
    return item


def people_from_report(report, capabilities, only=None):
    """The people of an offboarding report as onboarding entries that put back exactly what was
    recorded: per provider the account's enabled state, its groups and its role assignments."""
    if not isinstance(report, dict) or report.get('format') != 'iamops.identity.offboarding/1':
        raise AnsibleFilterError('not an offboarding report of this collection (format iamops.identity.offboarding/1)')
    people = []
    for name, held in sorted(report.get('people', {}).items()):
        if only and name not in only:
            continue
        person = {'name': name, 'providers': []}
        for provider, record in sorted(held.items()):
            account = record.get('account')
            if not account:
                continue
            user_caps = _caps(capabilities, provider, 'identity_user')
            assign_caps = _caps(capabilities, provider, 'identity_role_assignment')
            groups = []
            for group in record.get('groups') or []:
                if not group.get('member', True):
                    continue
                if group.get('domain_id') and 'domain' in user_caps['options']:
                    groups.append({'name': group.get('name'), 'domain': group['domain_id']})
                else:
                    groups.append(group.get('name'))
            section = {'name': account.get('name'), 'roles': [], 'groups': groups}
            if record.get('domain') and 'domain' in user_caps['options']:
                section['domain'] = record['domain']
            if account.get('enabled') is not None and 'enabled' in user_caps['options']:
                section['enabled'] = account['enabled']
            if record.get('tenant') and 'tenant' in user_caps['options']:
                section['tenant'] = record['tenant']
            for found in record.get('assignments') or []:
                section['roles'].append(_assignment_item(found, assign_caps))
            person['providers'].append(provider)
            person[provider] = section
        people.append(person)
    return people


def people_from_csv(text, delimiter=',', separator=';'):
    """The rows of an HR export (CSV text with a header row) as people: the columns ``name``,
    ``email``, ``first_name``, ``last_name``, ``description``, ``domain``, ``enabled`` (true/false)
    and ``groups`` (separated by ``separator``); an empty cell is a key not given. Any other
    column is kept, so that the role's argument spec refuses it like a misspelled key of the YAML
    form."""
    if not isinstance(text, str):
        raise AnsibleFilterError('people_from_csv takes the text of a CSV file')
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    people = []
    for number, row in enumerate(reader, start=2):
        person = {}
        for key, value in row.items():
            if key is None:
                raise AnsibleFilterError('CSV line %d has more cells than the header has columns' % number)
            key = key.strip()
            value = value.strip() if isinstance(value, str) else value
            if value in (None, ''):
                continue
            if key == 'groups':
                value = [g.strip() for g in value.split(separator) if g.strip()]
            elif key == 'enabled':
                lowered = value.lower()
                if lowered not in ('true', 'false', 'yes', 'no', '1', '0'):
                    raise AnsibleFilterError('CSV line %d: enabled must be true or false, not %r' % (number, value))
                value = lowered in ('true', 'yes', '1')
            person[key] = value
        if person:
            people.append(person)
    return people


GENERATED = 'generated_password'  # identity_user's result key for a password it generated


def _password_key(entry):
    return (entry.get('provider'), entry.get('domain'), entry.get('username'))


def _generated_in(run, provider, step):
    """The generated passwords of one provider's batch run (``step``: its part of the plan, with
    each person's account and the batch's domain), and the run with them taken out."""
    accounts = dict((state['account'], person) for person, state in (step.get('people') or {}).items())
    found, results = [], []
    for result in run.get('results') or []:
        if isinstance(result, dict) and result.get(GENERATED) is not None:
            item = result.get('item') or {}
            entry = {'person': accounts.get(item.get('name'), item.get('name')), 'provider': provider,
                     'username': item.get('name'), 'password': result[GENERATED]}
            domain = item.get('domain') or step.get('domain')
            if domain is not None:
                entry['domain'] = domain
            found.append(entry)
            result = dict((k, v) for k, v in result.items() if k != GENERATED)
        results.append(result)
    return found, dict(run, results=results)


def generated_passwords(account_runs, plan, earlier=None):
    """The passwords identity_user generated in the registered loop ``account_runs`` (one entry
    per account: ``person``, ``provider``, ``username``, ``password``, ``domain`` when given), merged
    into ``earlier`` (a previous run's list: an account generated again replaces its entry), and
    the loop's results without them, to show and keep from here on."""
    new, runs = [], []
    for run in (account_runs or {}).get('results') or []:
        if isinstance(run, dict) and isinstance(run.get('results'), list):
            provider = _loop_item(run).get('provider')
            found, run = _generated_in(run, provider, (plan.get('providers') or {}).get(provider) or {})
            new += found
        runs.append(run)
    fresh = set(_password_key(entry) for entry in new)
    kept = [entry for entry in (earlier or []) if isinstance(entry, dict) and _password_key(entry) not in fresh]
    return {'passwords': kept + new, 'new': len(new), 'accounts': dict(account_runs or {}, results=runs)}


class FilterModule(object):

    def filters(self):
        return {
            'people_read_targets': read_targets,
            'people_read_targets_per_provider': read_targets_per_provider,
            'people_tenant_targets': tenant_targets,
            'people_onboarding_plan': onboarding_plan,
            'people_onboarding_assignments': onboarding_assignments,
            'people_onboarding_summary': onboarding_summary,
            'people_generated_passwords': generated_passwords,
            'people_offboarding_report': offboarding_report,
            'people_offboarding_plan': offboarding_plan,
            'people_offboarding_summary': offboarding_summary,
            'people_from_report': people_from_report,
            'people_from_csv': people_from_csv,
        }
