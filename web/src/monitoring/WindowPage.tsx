import { useQuery } from '@tanstack/react-query';
import { monitoringKeys } from '../app/query-keys.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';
import { ReportView } from '../workflow/ReportView.tsx';
import { fmt } from './series-view.ts';

const SEVERITY_CLASS = { ok: 'ok', warning: 'warn', critical: 'bad', no_data: '' } as const;

/** One monitoring window: its counts, label completeness, every check's result and the engine's evidence. */
export function WindowPage(props: { modelKey: string; deploymentId: string; windowId: string }) {
  const { client } = useSession();
  const { modelKey, deploymentId, windowId } = props;
  const win = useQuery({
    queryKey: monitoringKeys.window(deploymentId, windowId),
    queryFn: () => client.monitoringWindow(modelKey, deploymentId, windowId),
  });
  const back = `/models/${encodeURIComponent(modelKey)}?tab=monitoring&deployment=${encodeURIComponent(deploymentId)}`;
  return (
    <>
      <div className="crumbs">
        <Link to="/inventory">Inventory</Link> /{' '}
        <Link to={`/models/${encodeURIComponent(modelKey)}`}>{modelKey}</Link> /{' '}
        <Link to={back}>monitoring</Link> / window
      </div>
      <QueryView query={win} what="Loading the window">
        {({ window: w, report, deployment }) => (
          <>
            <div className="page-head">
              <div>
                <h1>
                  Window <Time value={w.start} /> – <Time value={w.end} />
                </h1>
                <p>
                  {modelKey} {deployment ? `${deployment.version} · ${deployment.environment}` : ''} · plan v
                  {w.planVersion} · computed <Time value={w.computedAt} />
                </p>
              </div>
            </div>
            <div className="stack">
              <section className="panel" aria-labelledby="win-counts-h">
                <h2 id="win-counts-h">Rows and labels</h2>
                <dl className="facts">
                  <div>
                    <dt>Predictions</dt>
                    <dd data-testid="window-rows">{w.rows}</dd>
                  </div>
                  <div>
                    <dt>With an outcome</dt>
                    <dd>{w.labelledRows}</dd>
                  </div>
                  <div>
                    <dt>Label completeness</dt>
                    <dd data-testid="window-completeness">
                      {w.labelCompleteness === null
                        ? 'no rows'
                        : `${(w.labelCompleteness * 100).toFixed(1)}%`}
                    </dd>
                  </div>
                </dl>
              </section>
              <section className="panel" aria-labelledby="win-results-h">
                <h2 id="win-results-h">Check results</h2>
                <table className="data" aria-label="Check results">
                  <thead>
                    <tr>
                      {[
                        'Check',
                        'Metric',
                        'Value',
                        'Band (CBPE)',
                        'Warning',
                        'Critical',
                        'Severity',
                        'Note',
                      ].map((h) => (
                        <th scope="col" key={h}>
                          {h}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {w.results.map((r) => (
                      <tr key={r.check} data-check={r.check}>
                        <td>{r.check}</td>
                        <td>
                          {r.metric}
                          {r.feature ? <span className="muted small"> of {r.feature}</span> : null}
                        </td>
                        <td>{fmt(r.value)}</td>
                        <td>
                          {r.lower !== null && r.upper !== null ? `${fmt(r.lower)} – ${fmt(r.upper)}` : ''}
                        </td>
                        <td>
                          {r.warning === null
                            ? ''
                            : `${r.direction === 'above' ? '>' : '<'} ${fmt(r.warning)}`}
                        </td>
                        <td>
                          {r.critical === null
                            ? ''
                            : `${r.direction === 'above' ? '>' : '<'} ${fmt(r.critical)}`}
                        </td>
                        <td>
                          <span className={`badge ${SEVERITY_CLASS[r.severity]}`}>
                            {r.severity.replace('_', ' ')}
                          </span>
                        </td>
                        <td className="small">{r.note ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              {report ? (
                <section className="panel" aria-labelledby="win-ev-h">
                  <h2 id="win-ev-h">The engine's evidence of this window</h2>
                  <ReportView report={report} />
                </section>
              ) : null}
              {w.evidence ? (
                <details className="panel">
                  <summary>Evidence document (assay.validation/v1 JSON)</summary>
                  <pre className="small" style={{ maxHeight: 400, overflow: 'auto' }}>
                    {JSON.stringify(w.evidence, null, 2)}
                  </pre>
                </details>
              ) : null}
            </div>
          </>
        )}
      </QueryView>
    </>
  );
}
