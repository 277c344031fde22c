import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { GenAiRun, GenAiVersionReport } from '../../../src/contracts/genai.ts';
import { reportKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { Empty, QueryView } from '../components/DataState.tsx';

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(1)}%`;

/** The taxonomies a category reference can belong to (its prefix), in the order the view offers them. */
const TAXONOMIES = [
  { id: 'owasp-llm', name: 'OWASP Top 10 for LLM Applications 2025' },
  { id: 'owasp-agentic', name: 'OWASP Top 10 for Agentic Applications 2026' },
  { id: 'atlas', name: 'MITRE ATLAS' },
  { id: 'assay', name: 'Quality checks (over-refusal, grounding, harmful content)' },
  { id: 'unmapped', name: 'Unmapped' },
] as const;
const taxonomyOf = (category: string) => category.split(':')[0] ?? category;

type Comparison = GenAiVersionReport['comparisons'][number];
type Status = Comparison['rows'][number]['status'];
const STATUS_BADGE: Record<Status, string> = {
  regression: 'bad',
  worse: 'warn',
  same: 'info',
  better: 'ok',
  improved: 'ok',
  new: 'info',
  dropped: 'info',
};

/**
 * The version's GenAI evaluation evidence (docs/genai.md): per run, the attack success (failure)
 * rate of every category with its Wilson interval, by taxonomy; the comparison with the previous
 * version's run of the same tool, regressions first; and the failed examples as stored (redacted).
 */
export function GenAiPanel({ modelKey, label }: { modelKey: string; label: string }) {
  const { client } = useSession();
  const query = useQuery({
    queryKey: reportKeys.genai(modelKey, label),
    queryFn: () => client.genaiReport(modelKey, label),
  });
  const [taxonomy, setTaxonomy] = useState<string>('owasp-llm');
  return (
    <section className="panel" aria-labelledby="genai-h" data-testid="genai">
      <h2 id="genai-h">GenAI evaluation</h2>
      <QueryView query={query} what="Loading GenAI evaluation evidence">
        {(report) =>
          report.runs.length === 0 ? (
            <Empty title="No GenAI evaluation evidence for this version yet.">
              Import a promptfoo, garak, Inspect or JUnit result with{' '}
              <code>assay genai import FILE --model {`${modelKey}@${label}`}</code>, or run{' '}
              <code>assay redteam … --model {`${modelKey}@${label}`}</code>.
            </Empty>
          ) : (
            <>
              <Regressions report={report} />
              <label className="field">
                Taxonomy
                <select value={taxonomy} onChange={(e) => setTaxonomy(e.target.value)}>
                  {TAXONOMIES.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                  <option value="">every category</option>
                </select>
              </label>
              {report.runs.map((run) => (
                <Run
                  key={run.evidenceId}
                  run={run}
                  taxonomy={taxonomy}
                  comparison={report.comparisons.find((c) => c.currentEvidenceId === run.evidenceId) ?? null}
                  comparedWith={report.comparedWith}
                />
              ))}
              {report.unreadable.map((u) => (
                <p key={u.evidenceId} className="notice" role="note">
                  Evidence {u.evidenceId} is not a readable assay.genai/v1 document: {u.reason}
                </p>
              ))}
            </>
          )
        }
      </QueryView>
    </section>
  );
}

function Regressions({ report }: { report: GenAiVersionReport }) {
  if (!report.comparedWith) return <p className="muted small">No earlier version to compare with.</p>;
  if (report.comparisons.length === 0)
    return (
      <p className="muted small">
        Version {report.comparedWith} has no run of the same tool to compare with.
      </p>
    );
  if (report.regressions.length === 0)
    return (
      <p className="small" data-testid="genai-regressions">
        <span className="badge ok">no regressions</span> against version {report.comparedWith}.
      </p>
    );
  return (
    <div className="notice" role="alert" data-testid="genai-regressions">
      <strong>
        {report.regressions.length} {report.regressions.length === 1 ? 'regression' : 'regressions'} against
        version {report.comparedWith}
      </strong>
      <ul>
        {report.regressions.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </div>
  );
}

function Run({
  run,
  taxonomy,
  comparison,
  comparedWith,
}: {
  run: GenAiRun;
  taxonomy: string;
  comparison: Comparison | null;
  comparedWith: string | null;
}) {
  const rows = run.rates.filter((r) => !taxonomy || taxonomyOf(r.category) === taxonomy);
  const name = TAXONOMIES.find((t) => t.id === taxonomy)?.name ?? 'every category';
  const tool = `${run.source.tool}${run.source.tool_version ? ` ${run.source.tool_version}` : ''}`;
  return (
    <div data-testid={`genai-run-${run.source.tool}`}>
      <h3>{tool}</h3>
      <p className="muted small">
        Evidence {run.evidenceId} · {run.tests} tests · {run.failures} failed · {run.errors} unscored · target{' '}
        {run.targetModel ?? 'unknown'}
        {run.source.complete ? '' : ' · incomplete run'}
        {run.suggestedFindings ? ` · ${run.suggestedFindings} suggested findings` : ''}
      </p>
      {rows.length === 0 ? (
        <p className="muted small">No category of this run maps to {name}.</p>
      ) : (
        <table className="data">
          <caption>
            Attack success rate by category, {name} ({tool})
          </caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Failed / scored</th>
              <th scope="col">Rate</th>
              <th scope="col">95% Wilson interval</th>
              {comparison ? <th scope="col">Against {comparedWith}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const c = comparison?.rows.find((x) => x.category === r.category);
              return (
                <tr key={r.category}>
                  <th scope="row">
                    <code>{r.category}</code> {r.name}
                  </th>
                  <td>
                    {r.failures} / {r.n}
                    {r.errors ? ` (${r.errors} unscored)` : ''}
                  </td>
                  <td>{pct(r.rate)}</td>
                  <td>{r.interval ? `${pct(r.interval.lower)} – ${pct(r.interval.upper)}` : 'n/a'}</td>
                  {comparison ? (
                    <td>
                      {c ? (
                        <>
                          <span className={`badge ${STATUS_BADGE[c.status]}`}>{c.status}</span> was{' '}
                          {pct(c.previous?.rate)}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {run.failedExamples.length ? (
        <details>
          <summary>
            Failed examples ({run.failedExamples.length}
            {run.failures > run.failedExamples.length ? ` of ${run.failures}` : ''}, redacted)
          </summary>
          <ul className="small">
            {run.failedExamples.map((x) => (
              <li key={x.id}>
                <strong>{x.probe}</strong>
                {x.strategy ? ` (${x.strategy})` : ''}: {x.reason ?? 'failed'}
                {x.prompt_text ? (
                  <div>
                    Prompt: <q>{x.prompt_text}</q>
                  </div>
                ) : null}
                {x.response_text ? (
                  <div>
                    Response: <q>{x.response_text}</q>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
