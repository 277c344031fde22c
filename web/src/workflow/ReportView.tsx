import type { ValidationReport } from '../app/api-workflow.ts';
import { BarChart } from '../charts/BarChart.tsx';
import { PairedHistogram } from '../charts/Histogram.tsx';
import { LineChart } from '../charts/LineChart.tsx';
import { Time } from '../components/Time.tsx';

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3);
}

/** One version's validation evidence: metrics, ROC, PR, calibration, groups and drift. */
export function ReportView({ report: r }: { report: ValidationReport }) {
  return (
    <section className="stack" aria-label={`Validation report of ${r.versionLabel}`}>
      <section className="panel">
        <h2>
          {r.modelKey} {r.versionLabel}
        </h2>
        <p className="small muted" style={{ marginTop: 0 }}>
          Generated <Time value={r.generatedAt} />
          {r.datasetRows !== null ? ` on ${r.datasetRows.toLocaleString()} rows` : ''}
          {r.sha256 ? (
            <>
              {' '}
              · evidence sha256 <code>{r.sha256.slice(0, 16)}…</code>
            </>
          ) : null}
        </p>
        <table className="data">
          <tbody>
            {r.metrics.map((m) => (
              <tr key={m.name}>
                <th scope="row">{m.name}</th>
                <td className="mono">{fmt(m.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>Discrimination and calibration</h2>
        <div className="row" style={{ alignItems: 'flex-start', gap: 16 }}>
          {r.roc.length ? (
            <LineChart
              title="ROC curve"
              series={[{ name: 'ROC', points: r.roc }]}
              xLabel="False positive rate"
              yLabel="True positive rate"
              diagonal
            />
          ) : null}
          {r.pr.length ? (
            <LineChart
              title="Precision-recall curve"
              series={[{ name: 'PR', points: r.pr }]}
              xLabel="Recall"
              yLabel="Precision"
            />
          ) : null}
          {r.calibration.length ? (
            <LineChart
              title="Calibration curve"
              series={[
                {
                  name: 'observed vs predicted',
                  points: r.calibration.map((b) => [b.predicted, b.observed] as [number, number]),
                },
              ]}
              xLabel="Mean predicted probability"
              yLabel="Fraction positive"
              diagonal
            />
          ) : null}
        </div>
      </section>
      {r.groups.map((g) => {
        const values = g.rows.map((x) => x.value);
        const worst = Math.min(...values);
        const best = Math.max(...values);
        const breach = g.disparity !== null && g.threshold !== null && g.disparity < g.threshold;
        return (
          <section className="panel" key={`${g.attribute}:${g.metric}`}>
            <h2>
              {g.metric} by {g.attribute}{' '}
              {g.disparity !== null ? (
                <span className={`badge ${breach ? 'bad' : 'ok'}`}>
                  disparity {fmt(g.disparity)}
                  {g.threshold !== null ? ` (threshold ${fmt(g.threshold)})` : ''}
                </span>
              ) : null}
            </h2>
            <BarChart
              title={`${g.metric} by ${g.attribute}`}
              format={fmt}
              bars={g.rows.map((x) => ({
                label: `${x.group} (n=${x.count})`,
                value: x.value,
                colour: x.value === worst && worst !== best ? '#b0262b' : '#0072b2',
                highlight: x.value === worst && worst !== best,
              }))}
            />
          </section>
        );
      })}
      {r.drift.length ? (
        <section className="panel">
          <h2>Drift per feature</h2>
          <p className="legend">
            <span>
              <i style={{ background: '#0072b2' }} />
              reference
            </span>
            <span>
              <i style={{ background: '#d55e00' }} />
              current
            </span>
          </p>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Feature</th>
                <th scope="col">Statistic</th>
                <th scope="col">Drift</th>
                <th scope="col">Distribution</th>
              </tr>
            </thead>
            <tbody>
              {r.drift.map((d) => (
                <tr key={d.feature}>
                  <td>{d.feature}</td>
                  <td className="mono">
                    {d.statistic} {fmt(d.value)}
                  </td>
                  <td>
                    {d.drifted ? (
                      <span className="badge bad">drifted</span>
                    ) : (
                      <span className="badge ok">stable</span>
                    )}
                  </td>
                  <td>
                    <PairedHistogram
                      title={`Distribution of ${d.feature}`}
                      reference={d.reference}
                      current={d.current}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </section>
  );
}
