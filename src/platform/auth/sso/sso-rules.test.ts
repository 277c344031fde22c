import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../roles.ts';
import { baseUsername, claimsMatch, mapRole, type RoleMapping, subjectMatches } from './sso-rules.ts';

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

describe('group → role mapping', () => {
  const mappings: RoleMapping[] = [
    { claim: 'groups', value: 'mrm-validators', role: 'validator', priority: 10 },
    { claim: 'groups', value: 'mrm-admins', role: 'admin', priority: 100 },
    { claim: 'department', value: 'audit', role: 'auditor', priority: 5 },
  ];

  it('picks the highest-priority match, reads string and array claims, and refuses without a match', () => {
    expect(mapRole({ groups: ['staff', 'mrm-validators'] }, mappings, undefined)?.role).toBe('validator');
    expect(mapRole({ groups: ['mrm-validators', 'mrm-admins'] }, mappings, undefined)?.role).toBe('admin');
    expect(mapRole({ groups: 'mrm-validators' }, mappings, undefined)?.role).toBe('validator');
    expect(mapRole({ department: 'audit', groups: [] }, mappings, undefined)?.role).toBe('auditor');
    expect(mapRole({ groups: ['staff'] }, mappings, undefined)).toBeNull();
    expect(mapRole({ groups: ['staff'] }, mappings, 'developer')).toEqual({
      role: 'developer',
      matched: null,
    });
  });

  it('does not depend on the order of the mappings', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            claim: fc.constantFrom('groups', 'dept'),
            value: fc.constantFrom('a', 'b', 'c'),
            role: fc.constantFrom(...ROLES),
            priority: fc.integer({ min: 0, max: 3 }),
          }),
          { maxLength: 8 },
        ),
        fc.subarray(['a', 'b', 'c']),
        (ms, groups) => {
          const a = mapRole({ groups, dept: groups[0] }, ms, undefined)?.role ?? null;
          const b = mapRole({ groups, dept: groups[0] }, [...ms].reverse(), undefined)?.role ?? null;
          expect(a).toBe(b);
        },
      ),
    );
  });
});

describe('workload subject patterns', () => {
  it('matches * as any run and everything else literally', () => {
    expect(subjectMatches('repo:acme/*:ref:refs/heads/main', 'repo:acme/models:ref:refs/heads/main')).toBe(
      true,
    );
    expect(subjectMatches('repo:acme/*:ref:refs/heads/main', 'repo:acme/models:ref:refs/heads/dev')).toBe(
      false,
    );
    expect(subjectMatches('repo:acme/m.dels', 'repo:acme/models')).toBe(false);
    expect(subjectMatches('repo:acme/(x)', 'repo:acme/(x)')).toBe(true);
    expect(claimsMatch({ repository: 'acme/models', ref: 'x' }, { repository: 'acme/models' })).toBe(true);
    expect(claimsMatch({ repository: 'acme/other' }, { repository: 'acme/models' })).toBe(false);
  });
});

describe('usernames for new SSO users', () => {
  it('always gives a valid username', () => {
    expect(baseUsername({ preferred_username: 'Alice.Smith', sub: '1' })).toBe('alice.smith');
    expect(baseUsername({ email: 'Bob@example.com', sub: '2' })).toBe('bob');
    fc.assert(
      fc.property(fc.string(), fc.string(), (u, sub) => {
        expect(baseUsername({ preferred_username: u, sub })).toMatch(USERNAME);
      }),
    );
  });
});
