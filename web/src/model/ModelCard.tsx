import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { CARD_SECTIONS, type ModelCardContent } from '../../../src/contracts/documentation.ts';
import { modelKeys } from '../app/query-keys.ts';
import { useLocation, useQueryUpdater } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';
import { CardExports } from './CardExports.tsx';

type Section = ModelCardContent[keyof ModelCardContent];

function Items({ title, items }: { title: string; items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <div className="small muted">{title}</div>
      <ul style={{ margin: '2px 0 6px', paddingLeft: 18 }}>
        {items.map((i) => (
          <li key={i}>{i}</li>
        ))}
      </ul>
    </>
  );
}

function Field({ label, value }: { label: string; value: string | null | undefined }) {
  if (!value) return null;
  return (
    <div className="small">
      <span className="muted">{label}:</span> {value}
    </div>
  );
}

/** The structured parts of a section besides its text (lists, datasets, metrics, risks). */
function SectionBody({ id, section }: { id: string; section: Section }): ReactNode {
  const s = section as Record<string, unknown>;
  const text = typeof s.text === 'string' ? s.text : '';
  return (
    <>
      {text ? (
        <p style={{ whiteSpace: 'pre-wrap', margin: '0 0 6px' }}>{text}</p>
      ) : (
        <p className="muted small" style={{ margin: '0 0 6px' }}>
          Not written yet.
        </p>
      )}
      {id === 'intended_use' ? <Items title="Users" items={s.users as string[]} /> : null}
      {Array.isArray(s.items) && id !== 'risks' ? <Items title="Items" items={s.items as string[]} /> : null}
      {id === 'model_details' ? (
        <>
          <Field label="Architecture" value={s.architecture as string | null} />
          <Field label="Training procedure" value={s.trainingProcedure as string | null} />
          <Items
            title="Hyper-parameters"
            items={(s.hyperparameters as { key: string; value: string }[]).map(
              (h) => `${h.key} = ${h.value}`,
            )}
          />
        </>
      ) : null}
      {id === 'data' ? (
        <>
          <Items title="Training data" items={(s.training as { name: string }[]).map((d) => d.name)} />
          <Items title="Evaluation data" items={(s.evaluation as { name: string }[]).map((d) => d.name)} />
        </>
      ) : null}
      {id === 'evaluation' && (s.metrics as unknown[]).length ? (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Group</th>
              <th scope="col">Value</th>
              <th scope="col">Interval</th>
            </tr>
          </thead>
          <tbody>
            {(
              s.metrics as {
                name: string;
                value: number | null;
                lower: number | null;
                upper: number | null;
                group: { attribute: string; value: string } | null;
              }[]
            ).map((m) => (
              <tr key={`${m.name}-${m.group?.attribute ?? ''}-${m.group?.value ?? ''}`}>
                <td>{m.name}</td>
                <td>{m.group ? `${m.group.attribute} = ${m.group.value}` : 'overall'}</td>
                <td className="num">{m.value === null ? '—' : m.value.toFixed(4)}</td>
                <td className="num">
                  {m.lower !== null && m.upper !== null
                    ? `${m.lower.toFixed(3)} – ${m.upper.toFixed(3)}`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {id === 'human_oversight' ? (
        <>
          <Field label="Reviewers" value={s.reviewers as string | null} />
          <Field label="Reviewed decisions" value={s.reviewedDecisions as string | null} />
          <Field label="Override process" value={s.overrideProcess as string | null} />
        </>
      ) : null}
      {id === 'risks' ? (
        <Items
          title="Risks and mitigations"
          items={(s.items as { risk: string; mitigation: string }[]).map(
            (r) => `${r.risk}${r.mitigation ? ` — ${r.mitigation}` : ''}`,
          )}
        />
      ) : null}
      {id === 'monitoring' ? (
        <>
          <Items title="Metrics" items={s.metrics as string[]} />
          <Field label="Frequency" value={s.frequency as string | null} />
        </>
      ) : null}
      {id === 'change_log' ? (
        <Field label="Previous version" value={s.previousVersion as string | null} />
      ) : null}
    </>
  );
}

/** A version's model card, read-only: the latest revision, its completeness against the policy, its history. */
function CardOfVersion({ modelKey, label }: { modelKey: string; label: string }) {
  const { client } = useSession();
  const card = useQuery({
    queryKey: modelKeys.card(modelKey, label),
    queryFn: () => client.modelCard(modelKey, label),
  });
  return (
    <QueryView query={card} what="Loading the model card">
      {({ card: c, revisions, completeness }) => {
        if (!c)
          return (
            <Empty title={`Version ${label} has no model card yet.`}>
              The model's owner or developers write it through the model card API (<code>PUT …/card</code>).
            </Empty>
          );
        const required = new Set(completeness?.requiredSections ?? []);
        return (
          <div className="grid" style={{ gridTemplateColumns: '3fr 1fr' }}>
            <article className="panel" aria-labelledby="card-h">
              <h2 id="card-h">
                Model card of {c.modelName} {c.versionLabel}{' '}
                <span className={`badge ${c.status === 'published' ? 'ok' : 'warn'}`}>{c.status}</span>
              </h2>
              <p className="small muted">
                Revision {c.revision} by {c.createdBy}, <Time value={c.createdAt} />
                {c.note ? ` — ${c.note}` : ''} · <span className="mono">sha256 {c.sha256.slice(0, 16)}…</span>
              </p>
              <CardExports modelKey={modelKey} label={label} />
              {CARD_SECTIONS.map((sec) => (
                <section key={sec.id} aria-labelledby={`card-${sec.id}`} style={{ marginBottom: 12 }}>
                  <h3 id={`card-${sec.id}`}>
                    {sec.title}
                    {required.has(sec.id) ? (
                      <span className="small muted"> · required for this tier</span>
                    ) : null}
                  </h3>
                  <SectionBody id={sec.id} section={c.content[sec.key]} />
                </section>
              ))}
            </article>
            <div className="stack">
              {completeness ? (
                <section className="panel" aria-labelledby="cc-h">
                  <h2 id="cc-h">
                    Completeness {Math.round(completeness.score)}%{' '}
                    <span className={`badge ${completeness.passes ? 'ok' : 'warn'}`}>
                      {completeness.passes ? 'passes' : 'gaps'}
                    </span>
                  </h2>
                  <p className="small muted">
                    Against the policy (version {completeness.policyVersion}) for{' '}
                    {completeness.tier === null
                      ? 'an untiered model (strictest rules)'
                      : `tier ${completeness.tier}`}
                    .
                  </p>
                  {completeness.gaps.length ? (
                    <ul className="small" style={{ paddingLeft: 18, margin: 0 }}>
                      {completeness.gaps.map((g) => (
                        <li key={`${g.section}-${g.code}-${g.message}`}>{g.message}</li>
                      ))}
                    </ul>
                  ) : null}
                </section>
              ) : null}
              <section className="panel" aria-labelledby="cr-h">
                <h2 id="cr-h">Revisions</h2>
                <ol className="small" reversed style={{ paddingLeft: 22, margin: 0 }}>
                  {revisions.map((r) => (
                    <li key={r.id}>
                      {r.status} by {r.createdBy}, <Time value={r.createdAt} />
                      {r.note ? ` — ${r.note}` : ''}
                    </li>
                  ))}
                </ol>
              </section>
            </div>
          </div>
        );
      }}
    </QueryView>
  );
}

/** The model card tab: pick a version (newest first), read its card. */
export function ModelCardTab({ modelKey }: { modelKey: string }) {
  const { client } = useSession();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const lineage = useQuery({
    queryKey: modelKeys.lineage(modelKey),
    queryFn: () => client.getLineage(modelKey),
  });
  return (
    <QueryView query={lineage} what="Loading versions">
      {(l) => {
        if (l.versions.length === 0)
          return <Empty title="This model has no versions yet, so no model card." />;
        const newestFirst = [...l.versions].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        const label =
          newestFirst.find((v) => v.label === query.get('version'))?.label ?? newestFirst[0]!.label;
        return (
          <>
            <div className="toolbar">
              <label className="field">
                Version
                <select value={label} onChange={(e) => update({ version: e.target.value })}>
                  {newestFirst.map((v) => (
                    <option key={v.label} value={v.label}>
                      {v.label}
                      {v.status === 'superseded' ? ' (superseded)' : ''}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <CardOfVersion modelKey={modelKey} label={label} />
          </>
        );
      }}
    </QueryView>
  );
}
