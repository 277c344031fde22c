import type { ModelDetail } from '../app/api.ts';
import { Time } from '../components/Time.tsx';
import { tierLabel } from '../inventory/inventory-columns.tsx';
import { ModelPeople } from './ModelPeople.tsx';

function Text({ value }: { value: string | null | undefined }) {
  return value ? value : <span className="muted">not recorded</span>;
}

/** The model's purpose, use, people, classification and completeness. */
export function ModelOverview({ model: m, editable = false }: { model: ModelDetail; editable?: boolean }) {
  const pct =
    m.completeness === null || m.completeness === undefined ? null : Math.round(m.completeness * 100);
  return (
    <div className="grid" style={{ gridTemplateColumns: '2fr 1fr' }}>
      <section className="panel" aria-labelledby="purpose-h">
        <h2 id="purpose-h">Purpose and use</h2>
        <dl className="facts">
          <dt>Description</dt>
          <dd>
            <Text value={m.description} />
          </dd>
          <dt>Purpose</dt>
          <dd>
            <Text value={m.purpose} />
          </dd>
          <dt>Intended use</dt>
          <dd>
            <Text value={m.intendedUse} />
          </dd>
          <dt>Intended users</dt>
          <dd>
            <Text value={m.intendedUsers} />
          </dd>
          <dt>Out-of-scope uses</dt>
          <dd>
            <Text value={m.outOfScopeUses} />
          </dd>
          <dt>Decision impact</dt>
          <dd>
            <Text value={m.decisionImpact} />
          </dd>
          <dt>Type</dt>
          <dd>{m.type.replaceAll('_', ' ')}</dd>
          <dt>Tags</dt>
          <dd>{m.tags.length ? m.tags.join(', ') : <span className="muted">none</span>}</dd>
          {Object.entries(m.links ?? {})
            .filter(([, v]) => v)
            .map(([k, v]) => (
              <div key={k} style={{ display: 'contents' }}>
                <dt>{k}</dt>
                <dd>
                  <a href={v!} rel="noreferrer noopener" target="_blank">
                    {v}
                  </a>
                </dd>
              </div>
            ))}
        </dl>
      </section>
      <div className="stack">
        <section className="panel" aria-labelledby="risk-h">
          <h2 id="risk-h">Risk classification</h2>
          <dl className="facts" style={{ gridTemplateColumns: '110px 1fr' }}>
            <dt>Tier</dt>
            <dd>
              {m.tier === null || m.tier === undefined ? (
                <span className="muted">not tiered yet</span>
              ) : (
                tierLabel(m.tier)
              )}
            </dd>
            <dt>Rationale</dt>
            <dd>
              <Text value={m.tierRationale} />
            </dd>
            <dt>EU AI Act</dt>
            <dd>
              <Text value={m.euAiActClass?.replaceAll('_', ' ')} />
            </dd>
            <dt>Next review</dt>
            <dd>
              <Time value={m.nextReviewDate ?? null} withTime={false} />
            </dd>
          </dl>
        </section>
        <ModelPeople model={m} editable={editable} />
        <section className="panel" aria-labelledby="complete-h">
          <h2 id="complete-h">Completeness {pct !== null ? `${pct}%` : ''}</h2>
          {m.missingFields.length === 0 ? (
            <p className="muted" style={{ margin: 0 }}>
              Every required field is filled in.
            </p>
          ) : (
            <>
              <p style={{ margin: '0 0 4px' }}>Missing:</p>
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {m.missingFields.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
    </div>
  );
}
