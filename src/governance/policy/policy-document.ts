import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { type Document, isMap, isNode, isPair, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type PolicyDocument, type PolicyIssue, policyDocumentSchema } from '../../contracts/policy.ts';
import { ValidationError } from '../../platform/errors.ts';

/** The default policy shipped with Assay (installed on first start). */
export const DEFAULT_POLICY_PATH = new URL('./default-policy.yaml', import.meta.url);

/** Reads the shipped default policy's YAML text. */
export function defaultPolicyYaml(): string {
  return fs.readFileSync(DEFAULT_POLICY_PATH, 'utf8');
}

/** SHA-256 (hex) of a policy's exact text: what a tiering or review records as "the policy used". */
export function policySha256(yamlText: string): string {
  return createHash('sha256').update(yamlText, 'utf8').digest('hex');
}

type Path = readonly PropertyKey[];

function dotted(path: Path): string {
  return path.map((p) => String(p)).join('.') || '(document)';
}

/** The source offset of the node at `path`, or of its nearest existing ancestor. */
function offsetOf(doc: Document, path: Path, unknownKey?: string): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (!isNode(node)) continue;
    if (n === path.length && unknownKey !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === unknownKey);
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
    }
    if (node.range) return node.range[0];
  }
  return null;
}

/**
 * A check beyond the schema, e.g. that the requirements the compliance mappings name exist in the
 * catalogs (wired in by the composition root so the policy feature does not depend on the checked
 * data). Returns problems at document paths; none when the document passes.
 */
export type PolicyDocumentCheck = (doc: PolicyDocument) => { path: (string | number)[]; message: string }[];

export function issuesFromZod(
  doc: Document,
  lines: LineCounter,
  error: Pick<z.ZodError, 'issues'>,
): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const issue of error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const offset = offsetOf(doc, issue.path, key);
      const pos = offset === null ? null : lines.linePos(offset);
      const field = key === undefined ? dotted(issue.path) : dotted([...issue.path, key]);
      out.push({
        line: pos?.line ?? null,
        column: pos?.col ?? null,
        field,
        message: key === undefined ? issue.message : `unknown field '${key}'`,
      });
    }
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** The largest policy text accepted; the shipped default is a few KiB. */
export const MAX_POLICY_BYTES = 256 * 1024;

/**
 * The document as plain data, with aliases expanded at most a few times each: a "billion laughs"
 * document (aliases of aliases) is refused as a syntax problem instead of exhausting memory.
 */
export function expandAliases(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: 20 });
  } catch (err) {
    throw new ValidationError(`policy is invalid: ${(err as Error).message}`, '(syntax)', {
      issues: [{ line: null, column: null, field: '(syntax)', message: (err as Error).message }],
    });
  }
}

/**
 * Parses and validates a policy document. Throws a ValidationError whose message names the first
 * problem's line and field path, and whose details list every problem.
 */
export function parsePolicyYaml(
  yamlText: string,
  checks: readonly PolicyDocumentCheck[] = [],
): PolicyDocument {
  if (Buffer.byteLength(yamlText, 'utf8') > MAX_POLICY_BYTES)
    throw new ValidationError(
      `a policy document may be at most ${MAX_POLICY_BYTES / 1024} KiB`,
      '(document)',
    );
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  let issues: PolicyIssue[];
  if (doc.errors.length > 0) {
    issues = doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return {
        line: pos.line,
        column: pos.col,
        field: '(syntax)',
        message: e.message.split('\n')[0] ?? e.message,
      };
    });
  } else {
    const parsed = policyDocumentSchema.safeParse(expandAliases(doc));
    if (parsed.success) {
      const found = checks.flatMap((check) => check(parsed.data));
      if (found.length === 0) return parsed.data;
      issues = issuesFromZod(doc, lines, {
        issues: found.map((f) => ({
          code: 'custom' as const,
          path: f.path,
          message: f.message,
          input: undefined,
        })),
      });
    } else issues = issuesFromZod(doc, lines, parsed.error);
  }
  const first = issues[0];
  const where = first ? `line ${first.line ?? '?'}, field ${first.field}` : 'unknown location';
  throw new ValidationError(
    `policy is invalid at ${where}: ${first?.message ?? 'unknown error'}`,
    first?.field,
    {
      issues,
    },
  );
}
