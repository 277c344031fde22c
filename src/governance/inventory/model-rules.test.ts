import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Model, modelStatusSchema } from '../../contracts/inventory.ts';
import { decodeCursor, encodeCursor } from '../../platform/db/cursor.ts';
import {
  allowedTransitions,
  canTransition,
  computeCompleteness,
  containsPattern,
  parseRequiredFields,
} from './model-rules.ts';

const STATUSES = modelStatusSchema.options;

const base: Model = {
  id: 'id',
  key: 'k',
  name: 'n',
  description: 'd',
  purpose: 'p',
  intendedUse: 'u',
  intendedUsers: 'users',
  outOfScopeUses: 'o',
  type: 'classification',
  businessUnit: 'bu',
  owner: 'olivia',
  developers: [],
  validators: [],
  vendor: false,
  vendorName: null,
  genai: false,
  decisionImpact: 'high',
  status: 'proposed',
  tier: null,
  euAiActClass: null,
  tags: [],
  links: { repository: 'https://x' },
  createdAt: 't',
  updatedAt: 't',
  retiredAt: null,
  rowVersion: 1,
};

describe('lifecycle transitions', () => {
  it('retired is final and every status can retire', () => {
    expect(allowedTransitions('retired')).toEqual([]);
    for (const s of STATUSES.filter((x) => x !== 'retired')) expect(canTransition(s, 'retired')).toBe(true);
  });

  it('production is reached only from approved, approved only from validation', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATUSES), (from) => {
        expect(canTransition(from, 'production')).toBe(from === 'approved');
        expect(canTransition(from, 'approved')).toBe(from === 'validation');
        expect(canTransition(from, from)).toBe(false);
      }),
    );
  });

  it('any walk of allowed steps from proposed that reaches production passed validation and approval', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(5), { maxLength: 20 }), (choices) => {
        let s: (typeof STATUSES)[number] = 'proposed';
        const seen = new Set<string>([s]);
        for (const c of choices) {
          const next = allowedTransitions(s);
          if (next.length === 0) break;
          s = next[c % next.length]!;
          seen.add(s);
          if (s === 'production') {
            expect(seen.has('validation') && seen.has('approved')).toBe(true);
          }
        }
      }),
    );
  });
});

describe('completeness', () => {
  it('scores filled required fields and lists the missing ones', () => {
    expect(computeCompleteness(base, ['description', 'purpose'])).toEqual({ score: 1, missing: [] });
    const partial = { ...base, purpose: '  ', links: {} };
    expect(
      computeCompleteness(partial, ['description', 'purpose', 'links.repository', 'developers']),
    ).toEqual({
      score: 0.25,
      missing: ['purpose', 'links.repository', 'developers'],
    });
  });

  it('needs a vendor name only for vendor models', () => {
    expect(computeCompleteness(base, ['vendorName']).missing).toEqual([]);
    expect(computeCompleteness({ ...base, vendor: true }, ['vendorName']).missing).toEqual(['vendorName']);
  });

  it('refuses unknown configured fields', () => {
    expect(() => parseRequiredFields('purpose,shoeSize')).toThrow(/unknown completeness field 'shoeSize'/);
    expect(parseRequiredFields('purpose, owner')).toEqual(['purpose', 'owner']);
  });
});

describe('containsPattern', () => {
  it('escapes LIKE wildcards and the escape character so they match literally', () => {
    expect(containsPattern('50%_off\\x')).toBe('%50\\%\\_off\\\\x%');
    expect(containsPattern('plain')).toBe('%plain%');
  });
});

describe('cursors', () => {
  it('round-trip and refuse forgeries', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), fc.string(), (v, id) => {
        expect(decodeCursor(encodeCursor(v, id))).toEqual({ value: v, id });
      }),
    );
    expect(() => decodeCursor('not-a-cursor')).toThrow(/cursor/);
  });
});
