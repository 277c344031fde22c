import type { StoredAuditEvent } from '../../platform/audit/audit-verify.ts';

/** The chain position a record was read from: the event whose `after` it is. */
export interface RecordSource {
  seq: number;
  hash: string;
  at: string;
  action: string;
}

/** One entity's state: its last snapshot in the package's events. */
export interface EntityState {
  entityType: string;
  entityId: string;
  state: Record<string, unknown>;
  source: RecordSource;
}

/** Entity types that belong to one version (their snapshot names the version). */
const VERSION_FIELD: Record<string, string> = {
  version: 'label',
  evidence: 'versionLabel',
  review: 'versionLabel',
  finding: 'versionLabel',
  decision: 'versionLabel',
  model_card: 'versionLabel',
  deployment: 'version',
};

function parse(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  const v = JSON.parse(json) as unknown;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/**
 * Replays a model's audit events (in seq order) into the state of each entity: the `after` snapshot
 * of its last event, which is what "as of" reads use. With `version`, decides per event whether it
 * belongs to that version (model-level events always do); conditions and risk acceptances follow
 * the decisions and findings they belong to. Memory grows with the number of entities, not events.
 */
export class PackageState {
  private readonly entities = new Map<string, EntityState>();
  /** Ids of version-scoped entities included so far (decisions, findings), for conditions and acceptances. */
  private readonly included = new Set<string>();

  constructor(private readonly version: string | null) {}

  /** Records the event's snapshot; false when the event is outside the package's version. */
  push(e: StoredAuditEvent): boolean {
    const after = parse(e.after_json);
    const snap = after ?? parse(e.before_json);
    if (!this.belongs(e.entity_type, e.entity_id, snap)) return false;
    this.included.add(e.entity_id);
    const k = `${e.entity_type}\u0000${e.entity_id}`;
    // A scheduler flag (`finding.overdue_flagged`: `{ job, flaggedAt }`) is about the entity, not a snapshot of it.
    if (e.action.endsWith('_flagged')) return true;
    if (after === null) this.entities.delete(k);
    else
      this.entities.set(k, {
        entityType: e.entity_type,
        entityId: e.entity_id,
        state: after,
        source: { seq: Number(e.seq), hash: e.hash, at: e.at, action: e.action },
      });
    return true;
  }

  private belongs(type: string, id: string, snap: Record<string, unknown> | null): boolean {
    if (this.version === null || this.included.has(id)) return true;
    const field = VERSION_FIELD[type];
    if (field) return snap?.[field] === this.version;
    if (type === 'condition') return this.included.has(String(snap?.decisionId));
    if (type === 'acceptance') {
      const ids = snap?.findingIds;
      return Array.isArray(ids) && ids.some((f) => this.included.has(String(f)));
    }
    // Model-level events (the model itself, tiering, overrides) belong to every version's package.
    return true;
  }

  /** Every entity of a type, in the order of its first appearance… by id for stable output. */
  ofType(type: string): EntityState[] {
    return [...this.entities.values()]
      .filter((e) => e.entityType === type)
      .sort((a, b) => (a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : 0));
  }

  /** The entity types present. */
  types(): string[] {
    return [...new Set([...this.entities.values()].map((e) => e.entityType))].sort();
  }

  /**
   * Decisions with their conditions brought up to date: a condition met after the decision's last
   * event has its own, newer snapshot.
   */
  decisions(): EntityState[] {
    const conditions = new Map(this.ofType('condition').map((c) => [c.entityId, c]));
    return this.ofType('decision').map((d) => {
      const list = Array.isArray(d.state.conditions) ? (d.state.conditions as Record<string, unknown>[]) : [];
      const merged = list.map((c) => {
        const newer = conditions.get(String(c.id));
        return newer && newer.source.seq > d.source.seq ? newer.state : c;
      });
      return { ...d, state: { ...d.state, conditions: merged } };
    });
  }
}
