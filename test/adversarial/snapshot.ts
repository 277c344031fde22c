import { ENVIRONMENTS, type World } from './world.ts';

/** Where recorded lifecycle exceptions are read (issue 12, part 4): every state, to judge validity here. */
export const EXCEPTIONS_ROUTE: ((modelKey: string) => string) | null = (key) =>
  `/api/v1/exceptions?modelKey=${key}&limit=500`;

export interface SignatureRead {
  signer: string;
  role: string;
  signedAt: string;
}
export interface DecisionRead {
  id: string;
  versionLabel: string;
  reviewId: string;
  outcome: string;
  state: string;
  tier: number | null;
  finalizedAt: string | null;
  expiresAt: string | null;
  signatures: SignatureRead[];
  conditions: { met: boolean; dueAt: string }[];
  binding: {
    artifactSha256: string | null;
    evidence: { id: string; type: string }[];
    /** Present once approvals bind the tier and EU AI Act class (issue 12, part 2). */
    tier?: number | null;
    euAiActClass?: string;
  } | null;
}
export interface ReviewRead {
  id: string;
  versionLabel: string;
  state: string;
  submittedBy: string | null;
  validator: string | null;
}
export interface FindingRead {
  id: string;
  versionLabel: string;
  severity: string;
  state: string;
  remediator: string | null;
  verifiedBy: string | null;
  closedAt: string | null;
}
export interface DeploymentRead {
  id: string;
  version: string;
  environment: string;
  endedAt: string | null;
}
export interface VersionRead {
  label: string;
  status: string;
  supersededBy: string | null;
  artifactSha256: string | null;
}
export interface TieringRead {
  versionLabel: string;
  computedTier: number;
  assessedAt: string;
  euAiAct: { class: string };
  /** effective, or pending / rejected (a lowering waiting for, or refused by, a second governance person). */
  status?: string;
  decidedAt?: string | null;
  id?: string;
  assessedBy?: string;
  decidedBy?: string | null;
}
export interface ExceptionRead {
  /** The version it covers, or null for the whole model. */
  version: string | null;
  /** What it allows: `status_approved`, `status_production`, `production_deployment`. */
  allows: string[];
  /** Whether it is in force now (approved by a second person, not expired or revoked). */
  active: boolean;
  id?: string;
  requestedBy?: string;
  /** Who approved or rejected it, and when (null while requested). */
  decidedBy?: string | null;
  decidedAt?: string | null;
  state?: string;
}
export interface ModelSnap {
  key: string;
  status: string;
  tier: number | null;
  owner: string | null;
  developers: string[];
  /** The EU AI Act class of the model now (its own field when the API has one, else its latest tiering's). */
  euClass: string | null;
  versions: VersionRead[];
  tierings: TieringRead[];
  decisions: DecisionRead[];
  reviews: ReviewRead[];
  findings: FindingRead[];
  deployments: DeploymentRead[];
  acceptances: {
    id: string;
    requestedBy: string;
    approvedBy: string | null;
    state: string;
    findingIds: string[];
    expiresAt: string;
  }[];
  overrides: { id: string; requestedBy: string; decidedBy: string | null; status: string }[];
  exceptions: ExceptionRead[];
  /**
   * Current (not superseded) evidence per version label; read only for versions with an approval
   * or an open gate (the only ones an invariant looks at).
   */
  evidence: Record<string, { id: string; type: string; validUntil: string | null }[]>;
  /** The gate's answer per `label/env`. */
  gates: Record<string, { allowed: boolean; reasons: { code: string }[] }>;
}
export interface Snapshot {
  at: string;
  /** The active policy's evidence requirements per tier and gate. */
  tiers: { tier: number; requiredEvidence: { validation: string[]; production: string[] } }[];
  users: Record<string, string>;
  models: ModelSnap[];
  /** Every stored policy version (`GET /policy/versions`): who proposed and who decided it. */
  policyVersions?: {
    version: number;
    state: string;
    createdBy: string;
    decidedBy: string | null;
    baseVersion: number | null;
  }[];
}

/** The model's owner and developers at a past time, read through `GET /models/{key}/as-of`. */
export type RelationsAt = (
  key: string,
  at: string,
) => Promise<{ owner: string | null; developers: string[] }>;

/** Reads with the oracle's read-only token; any non-2xx answer to a read is itself a failure. */
async function read<T>(w: World, url: string): Promise<T> {
  const res = await w.t.call('GET', url, undefined, w.readToken);
  if (res.statusCode >= 300) throw new Error(`oracle read ${url} answered ${res.statusCode}: ${res.body}`);
  return res.json() as T;
}

function exceptionView(raw: Record<string, unknown>, now: string): ExceptionRead {
  const until = raw.until as string;
  // `valid` is the API's word; the oracle also checks the facts it rests on (approved, not revoked, not past `until`).
  const active = raw.valid === true && raw.state === 'approved' && !raw.revokedAt && until > now;
  return {
    version: raw.versionLabel as string | null,
    allows: raw.allows as string[],
    active,
    id: raw.id as string,
    requestedBy: raw.requestedBy as string,
    decidedBy: raw.decidedBy as string | null,
    decidedAt: raw.decidedAt as string | null,
    state: raw.state as string,
  };
}

/** A whole list (the lists page at 500; a run never makes that many of anything). */
async function all<T extends { modelKey: string }>(w: World, url: string): Promise<Map<string, T[]>> {
  const by = new Map<string, T[]>();
  for (const x of (await read<{ items: T[] }>(w, url)).items)
    by.set(x.modelKey, [...(by.get(x.modelKey) ?? []), x]);
  return by;
}

/** Everything the invariants look at, read as an auditor would, through the API only. */
export async function takeSnapshot(w: World): Promise<Snapshot> {
  const at = w.t.clock.now().toISOString();
  const users = await read<{ items: { username: string; role: string }[] }>(w, '/api/v1/users?limit=500');
  const list = await read<{ items: Record<string, unknown>[] }>(w, '/api/v1/models?limit=500');
  const decisions = await all<DecisionRead & { modelKey: string }>(w, '/api/v1/decisions?limit=500');
  const reviews = await all<ReviewRead & { modelKey: string }>(w, '/api/v1/reviews?limit=500');
  const findings = await all<FindingRead & { modelKey: string }>(w, '/api/v1/findings?limit=500');
  const acceptances = await all<ModelSnap['acceptances'][number] & { modelKey: string }>(
    w,
    '/api/v1/risk-acceptances?limit=500',
  );
  const models: ModelSnap[] = [];
  for (const item of list.items) {
    const key = item.key as string;
    // The list leaves developers and validators out (only the owner): read each model itself.
    const m = await read<Record<string, unknown>>(w, `/api/v1/models/${key}`);
    const versions = (await read<{ items: VersionRead[] }>(w, `/api/v1/models/${key}/versions`)).items;
    const tierings = (await read<{ items: TieringRead[] }>(w, `/api/v1/models/${key}/tierings`)).items;
    const modelDecisions = decisions.get(key) ?? [];
    const evidence: ModelSnap['evidence'] = {};
    const gates: ModelSnap['gates'] = {};
    for (const v of versions) {
      for (const env of ENVIRONMENTS)
        gates[`${v.label}/${env}`] = await read(w, `/api/v1/gate?model=${key}&version=${v.label}&env=${env}`);
      const open = ENVIRONMENTS.some((env) => gates[`${v.label}/${env}`]!.allowed);
      if (open || modelDecisions.some((d) => d.versionLabel === v.label && d.binding))
        evidence[v.label] = (
          await read<{ items: ModelSnap['evidence'][string] }>(
            w,
            `/api/v1/models/${key}/versions/${v.label}/evidence`,
          )
        ).items;
    }
    const exceptions = EXCEPTIONS_ROUTE
      ? (await read<{ items: Record<string, unknown>[] }>(w, EXCEPTIONS_ROUTE(key))).items.map((x) =>
          exceptionView(x, at),
        )
      : [];
    models.push({
      key,
      status: m.status as string,
      tier: m.tier as number | null,
      owner: m.owner as string | null,
      developers: m.developers as string[],
      euClass: 'euAiActClass' in m ? (m.euAiActClass as string | null) : (tierings[0]?.euAiAct.class ?? null),
      versions,
      tierings,
      decisions: modelDecisions,
      reviews: reviews.get(key) ?? [],
      findings: findings.get(key) ?? [],
      deployments: (await read<{ items: DeploymentRead[] }>(w, `/api/v1/models/${key}/deployments`)).items,
      acceptances: acceptances.get(key) ?? [],
      overrides: (await read<{ items: ModelSnap['overrides'] }>(w, `/api/v1/models/${key}/tier-overrides`))
        .items,
      exceptions,
      evidence,
      gates,
    });
  }
  const policy = await read<{ document: { tiers: Snapshot['tiers'] } }>(w, '/api/v1/policy');
  const policyVersions = (
    await read<{ items: NonNullable<Snapshot['policyVersions']> }>(w, '/api/v1/policy/versions?limit=500')
  ).items;
  return {
    at,
    tiers: policy.document.tiers,
    users: Object.fromEntries(users.items.map((u) => [u.username, u.role])),
    models,
    policyVersions,
  };
}

/** Reads relations as of a past time, remembering answers (the past does not change). */
export function relationsReader(w: World): RelationsAt {
  const cache = new Map<string, { owner: string | null; developers: string[] }>();
  return async (key, at) => {
    const k = `${key}@${at}`;
    const hit = cache.get(k);
    if (hit) return hit;
    const res = await read<{ model: { owner: string | null; developers: string[] } }>(
      w,
      `/api/v1/models/${key}/as-of?at=${encodeURIComponent(at)}`,
    );
    const rel = { owner: res.model.owner, developers: res.model.developers };
    cache.set(k, rel);
    return rel;
  };
}
