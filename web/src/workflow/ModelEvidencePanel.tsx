import { useQuery } from '@tanstack/react-query';
import type { ExplainEvidence } from '../../../src/contracts/explain.ts';
import type { RobustnessEvidence } from '../../../src/contracts/robustness.ts';
import { evidenceKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { BarChart } from '../charts/BarChart.tsx';
import { LineChart } from '../charts/LineChart.tsx';
import { Empty, QueryView } from '../components/DataState.tsx';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const num = (v: number) => String(Number(v.toPrecision(3)));

/** Importance, partial dependence and stress results from the version's newest model evidence. */
export function ModelEvidencePanel({ modelKey, label }: { modelKey: string; label: string }) {
  const { client } = useSession();
  const query = useQuery({
    queryKey: evidenceKeys.model(modelKey, label),
    queryFn: () => client.modelEvidence(modelKey, label),
  });
  return (
    <section className="panel" aria-labelledby="me-h">
      <h2 id="me-h">Evidence from the model</h2>
      <QueryView query={query} what="Loading explanation and stress evidence">
        {({ explanation, robustness }) =>
          !explanation && !robustness ? (
            <Empty title="No explanation or stress evidence for this version yet.">
              Run <code>assay explain</code> and <code>assay stress</code> with <code>--push</code>.
            </Empty>
          ) : (
            <>
              {explanation ? <Explanation id={explanation.id} doc={explanation.doc} /> : null}
              {robustness ? <Robustness id={robustness.id} doc={robustness.doc} /> : null}
            </>
          )
        }
      </QueryView>
    </section>
  );
}

function Explanation({ id, doc }: { id: string; doc: ExplainEvidence }) {
  const pi = doc.permutation_importance;
  return (
    <div data-testid="explanation">
      <h3>Explanation</h3>
      <p className="muted small">
        Evidence {id} · {doc.model.kind}
        {doc.model.artifact_sha256 ? ` · artifact ${doc.model.artifact_sha256.slice(0, 12)}…` : ''} ·{' '}
        {doc.model.evaluations} model evaluations · seed {doc.config.seed}
      </p>
      <div className="grid grid-2">
        {pi ? (
          <div>
            <h4>Permutation importance (drop in {pi.scoring})</h4>
            <BarChart
              title={`Permutation importance (drop in ${pi.scoring})`}
              bars={[...pi.features]
                .sort((a, b) => b.mean - a.mean)
                .map((r) => ({ label: r.feature, value: r.mean }))}
              format={num}
            />
          </div>
        ) : null}
        {doc.shap ? (
          <div>
            <h4>
              Mean |SHAP value| ({doc.shap.method}, {doc.shap.rows.length} rows)
            </h4>
            <BarChart
              title={`Mean |SHAP value| (${doc.shap.method})`}
              bars={doc.shap.global.map((g) => ({ label: g.feature, value: g.mean_abs }))}
              format={num}
            />
          </div>
        ) : null}
      </div>
      <h4>Partial dependence</h4>
      <div className="grid grid-2">
        {doc.partial_dependence.slice(0, 6).map((pd) => {
          const ys = [...pd.average, ...pd.ice.flatMap((c) => c.values)];
          const lo = Math.min(...ys);
          const hi = Math.max(...ys);
          return (
            <LineChart
              key={pd.feature}
              title={`Partial dependence: ${pd.feature}${pd.categories ? ' (category codes)' : ''}`}
              xLabel={pd.feature}
              yLabel="score"
              xDomain={[Math.min(...pd.grid), Math.max(...pd.grid)]}
              yDomain={[lo, hi > lo ? hi : lo + 1]}
              series={[
                { name: 'average', points: pd.grid.map((g, i) => [g, pd.average[i] as number] as const) },
                ...pd.ice.slice(0, 5).map((c) => ({
                  name: `row ${c.row}`,
                  dashed: true,
                  points: pd.grid.map((g, i) => [g, c.values[i] as number] as const),
                })),
              ]}
            />
          );
        })}
      </div>
    </div>
  );
}

function Robustness({ id, doc }: { id: string; doc: RobustnessEvidence }) {
  const max = doc.summary.perturbations_max as Record<string, { flip_rate: number }> | undefined;
  return (
    <div data-testid="robustness">
      <h3>Stress tests</h3>
      <p className="muted small">
        Evidence {id} · {doc.config.rows_used} rows · decision = score ≥ {doc.config.threshold}
      </p>
      {doc.properties.length > 0 ? (
        <table className="data">
          <caption>Declared properties</caption>
          <thead>
            <tr>
              <th scope="col">Property</th>
              <th scope="col">Result</th>
              <th scope="col">Violating rows</th>
              <th scope="col">Worst counterexample</th>
            </tr>
          </thead>
          <tbody>
            {doc.properties.map((p) => {
              const c = p.counterexamples[0];
              return (
                <tr key={p.name}>
                  <td title={p.description}>{p.name}</td>
                  <td className={p.passed ? '' : 'sev-high'}>{p.passed ? 'holds' : 'violated'}</td>
                  <td>
                    {p.violating_rows} ({pct(p.violation_rate)})
                  </td>
                  <td className="small">
                    {c
                      ? `row ${c.row}: ${c.feature} ${c.labels?.[0] ?? num(c.from)} → ${c.labels?.[1] ?? num(c.to)}, score ${num(c.score_from)} → ${num(c.score_to)}`
                      : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {doc.slices ? (
        <table className="data">
          <caption>Worst slices (overall accuracy {num(doc.slices.global_accuracy)})</caption>
          <thead>
            <tr>
              <th scope="col">Slice</th>
              <th scope="col">Rows</th>
              <th scope="col">Accuracy [95% interval]</th>
              <th scope="col">Relative drop</th>
            </tr>
          </thead>
          <tbody>
            {doc.slices.worst.slice(0, 5).map((s) => {
              const text = s.conditions
                .map((c) =>
                  typeof c.value === 'string'
                    ? `${c.feature} = ${c.value}`
                    : `${c.feature} in [${c.value[0] === null ? '−∞' : num(c.value[0])}, ${c.value[1] === null ? '∞' : num(c.value[1])})`,
                )
                .join(' and ');
              return (
                <tr key={text}>
                  <td>{text}</td>
                  <td>{s.rows}</td>
                  <td>
                    {num(s.accuracy)} [{num(s.interval[0])}, {num(s.interval[1])}]
                  </td>
                  <td>{pct(s.relative_drop)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {max ? (
        <>
          <h4>Perturbations: share of decisions flipped (worst feature)</h4>
          <BarChart
            title="Perturbations: most decisions flipped"
            bars={Object.entries(max).map(([k, v]) => ({ label: k, value: v.flip_rate }))}
            format={pct}
          />
        </>
      ) : null}
      {doc.scenarios.length > 0 ? (
        <table className="data">
          <caption>Scenarios</caption>
          <thead>
            <tr>
              <th scope="col">Scenario</th>
              <th scope="col">Positive rate</th>
              <th scope="col">Decisions flipped</th>
            </tr>
          </thead>
          <tbody>
            {doc.scenarios.map((s) => (
              <tr key={s.name}>
                <td title={s.description ?? ''}>{s.name}</td>
                <td>
                  {pct(s.positive_rate_before)} → {pct(s.positive_rate_after)}
                </td>
                <td>{pct(s.effect.flip_rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
