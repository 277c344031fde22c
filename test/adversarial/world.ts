import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/platform/auth/roles.ts';
import { startWorldServer, type WorldServer } from './world-server.ts';

/**
 * The cast of every adversarial run: every role, two of most, so that a random actor is sometimes
 * the right person, sometimes a colleague with the same role, and sometimes nobody who may act.
 * `admin` is the bootstrap admin. The oracle reads as `oracle`, an auditor no action ever touches.
 */
export const CAST: readonly (readonly [string, Role])[] = [
  ['gina', 'governance'],
  ['gabe', 'governance'],
  ['olga', 'owner'],
  ['oscar', 'owner'],
  ['dora', 'developer'],
  ['dan', 'developer'],
  ['vera', 'validator'],
  ['vic', 'validator'],
  ['amy', 'approver'],
  ['abe', 'approver'],
  ['audrey', 'auditor'],
];

/** Every actor a random action may pick (the cast and the bootstrap admin). */
export const ACTORS: readonly string[] = ['admin', ...CAST.map(([u]) => u)];

/** Users whose role random actions may change (never the admin: it may not change its own role). */
export const MUTABLE_USERS: readonly string[] = CAST.map(([u]) => u);

/** The model keys a run may register, in order, and the version labels per model. */
export const MODEL_KEYS = ['m0', 'm1', 'm2'] as const;
export const VERSION_LABELS = ['1', '2', '3'] as const;
/** Environments whose gate the oracle checks for every version. */
export const ENVIRONMENTS = ['production', 'staging'] as const;

/** One HTTP call as the harness saw it, kept for the failure message. */
export interface CallRecord {
  actor: string;
  method: string;
  url: string;
  status: number;
  body: string;
}

/** What the random actions know and have created so far (ids come from the API's answers). */
export interface World {
  t: WorldServer;
  tokens: Record<string, string>;
  userIds: Record<string, string>;
  /** The oracle's read-only token (auditor role, read scope). */
  readToken: string;
  models: string[];
  versions: Record<string, string[]>;
  reviews: string[];
  decisions: string[];
  findings: string[];
  acceptances: string[];
  overrides: string[];
  deployments: string[];
  evidence: string[];
  conditions: string[];
  /** Re-tierings waiting for a second governance person (`202 pending`). */
  tierings: string[];
  /** Policy versions proposed (`PUT /policy` → 202), waiting for a second person. */
  policyVersions: number[];
  /** Lifecycle exceptions requested. */
  exceptions: string[];
  /** The active policy's questionnaire: question id → its answer ids (read at start). */
  questions: { id: string; answers: string[] }[];
  eu: { prohibited: string[]; annexIII: string[]; annexI: string[]; transparency: string[] };
  /** The policy text installed at start, which policy actions vary. */
  defaultPolicyYaml: string;
  /** Every call of the current step (reset per step), and every 5xx seen in the run. */
  calls: CallRecord[];
  serverErrors: CallRecord[];
}

/** Picks `list[n mod length]`, or undefined for an empty list. */
export function pick<T>(list: readonly T[], n: number): T | undefined {
  return list.length ? list[n % list.length] : undefined;
}

/** Sends a request as `actor` through the real server, recording it (and any 5xx) in the world. */
export async function act(
  w: World,
  actor: string,
  method: string,
  url: string,
  body?: unknown,
): Promise<LightMyRequestResponse> {
  const res = await w.t.call(method, url, body, w.tokens[actor] ?? null);
  const rec = { actor, method, url, status: res.statusCode, body: res.body.slice(0, 300) };
  w.calls.push(rec);
  if (res.statusCode >= 500) w.serverErrors.push(rec);
  return res;
}

/** The JSON of a 2xx answer, or null for a refusal (any 4xx; a 5xx is recorded by `act`). */
export function ok<T = Record<string, unknown>>(res: LightMyRequestResponse): T | null {
  return res.statusCode < 300 ? (res.json() as T) : null;
}

/** Starts a fresh server on `engine` with the cast, and reads what the actions need from the policy. */
export async function createWorld(engine: 'sqlite' | 'postgres'): Promise<World> {
  const { server: t, cast } = await startWorldServer(engine);
  const policy = (await t.call('GET', '/api/v1/policy', undefined, cast.readToken)).json();
  const doc = policy.document;
  const ids = (xs: { id: string }[] | undefined) => (xs ?? []).map((x) => x.id);
  return {
    t,
    ...cast,
    models: [],
    versions: {},
    reviews: [],
    decisions: [],
    findings: [],
    acceptances: [],
    overrides: [],
    deployments: [],
    evidence: [],
    conditions: [],
    tierings: [],
    policyVersions: [],
    exceptions: [],
    questions: doc.tiering.questions.map((q: { id: string; answers: { id: string }[] }) => ({
      id: q.id,
      answers: ids(q.answers),
    })),
    eu: {
      prohibited: ids(doc.euAiAct.prohibitedPractices),
      annexIII: ids(doc.euAiAct.annexIIIAreas),
      annexI: ids(doc.euAiAct.annexIProducts),
      transparency: ids(doc.euAiAct.transparency),
    },
    defaultPolicyYaml: policy.yaml,
    calls: [],
    serverErrors: [],
  };
}
