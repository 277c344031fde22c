import { z } from 'zod';
import {
  activePolicySchema,
  type PolicyDocument,
  policyDocumentSchema,
  policyVersionSchema,
} from '../contracts/policy.ts';
import type { Transport } from './client.ts';
import type { IfMatch } from './reviews.ts';

const versionList = z.object({ items: z.array(policyVersionSchema) });
const proposal = activePolicySchema.extend({ changed: z.boolean() });
const noteBody = (note?: string) => (note ? { note } : {});

/** The model risk policy: the active version, its history, proposals and their four-eyes decision. */
export function policyApi(t: Transport) {
  const decide = (version: number, outcome: 'approve' | 'reject', note?: string) =>
    t.call('POST', `/api/v1/policy/versions/${version}/${outcome}`, {
      json: noteBody(note),
      schema: activePolicySchema,
    });
  return {
    /** The active policy: YAML text, parsed document, version and SHA-256. */
    show: () => t.call('GET', '/api/v1/policy', { schema: activePolicySchema }),
    /** The active policy's document, validated against the policy contract. */
    document: async (): Promise<PolicyDocument> =>
      policyDocumentSchema.parse(
        (await t.call('GET', '/api/v1/policy', { schema: activePolicySchema })).document,
      ),
    /** Every stored policy version, newest first. */
    versions: async () => (await t.call('GET', '/api/v1/policy/versions', { schema: versionList })).items,
    /**
     * Proposes a new policy (YAML text); `ifMatch` is the active version it replaces. A second
     * person approves it; `changed: false` when it equals the active policy.
     */
    propose: (yaml: string, o: IfMatch = {}) =>
      t.call('PUT', '/api/v1/policy', { json: { yaml }, schema: proposal, ifMatch: o.ifMatch }),
    /** Approves a proposed version (never its proposer); it becomes the active policy. */
    approve: (version: number, note?: string) => decide(version, 'approve', note),
    /** Rejects a proposed version (never its proposer). */
    reject: (version: number, note?: string) => decide(version, 'reject', note),
  };
}
