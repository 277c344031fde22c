import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { modelKeys } from '../app/query-keys.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';
import { OpenReviewForm } from '../workflow/OpenReviewForm.tsx';
import { LineageGraph } from './LineageGraph.tsx';
import { lineageGraphOf } from './lineage-graph-data.ts';

/** The model's versions (newest first) and the lineage of the selected one drawn as a graph. */
export function ModelVersions({ modelKey }: { modelKey: string }) {
  const { client } = useSession();
  const lineage = useQuery({
    queryKey: modelKeys.lineage(modelKey),
    queryFn: () => client.getLineage(modelKey),
  });
  const [picked, setPicked] = useState<string | null>(null);
  return (
    <QueryView query={lineage} what="Loading versions">
      {(l) => {
        if (l.versions.length === 0) return <Empty title="This model has no versions yet." />;
        const versions = [...l.versions].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        const label = picked ?? versions[0]!.label;
        const graph = lineageGraphOf(l, label);
        const current = versions.find((v) => v.label === label)!;
        return (
          <div className="stack">
            <section className="panel" aria-labelledby="versions-h">
              <h2 id="versions-h">Versions</h2>
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                    <th scope="col">Change</th>
                    <th scope="col">Deployed to</th>
                    <th scope="col">Report</th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((v) => (
                    <tr key={v.label} aria-selected={v.label === label}>
                      <td>
                        <button
                          type="button"
                          className="link"
                          onClick={() => setPicked(v.label)}
                          aria-pressed={v.label === label}
                        >
                          {v.label}
                        </button>
                        {v.frozen ? (
                          <span className="badge info" style={{ marginLeft: 6 }}>
                            frozen
                          </span>
                        ) : null}
                      </td>
                      <td>{v.status}</td>
                      <td>
                        <Time value={v.createdAt} />
                        {v.createdBy ? <span className="muted"> by {v.createdBy}</span> : null}
                      </td>
                      <td>
                        {v.materialChange ? <span className="badge warn">material</span> : null}{' '}
                        {v.changeSummary ?? ''}
                      </td>
                      <td>
                        {v.deployments
                          .filter((d) => !d.endedAt)
                          .map((d) => d.environment)
                          .join(', ') || <span className="muted">not deployed</span>}
                      </td>
                      <td>
                        <Link
                          to={`/models/${encodeURIComponent(modelKey)}/versions/${encodeURIComponent(v.label)}/report`}
                        >
                          Evidence &amp; report
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <OpenReviewForm modelKey={modelKey} label={label} />
            </section>
            <section className="panel" aria-labelledby="lineage-h">
              <h2 id="lineage-h">Lineage of {label}</h2>
              {graph.nodes.length <= 1 ? (
                <Empty title="No datasets or deployments are recorded for this version." />
              ) : (
                <LineageGraph nodes={graph.nodes} edges={graph.edges} title={`Lineage of version ${label}`} />
              )}
              <dl className="facts" style={{ marginTop: 12 }}>
                <dt>Artifact</dt>
                <dd>
                  {current.artifactUri ?? '—'}
                  {current.artifactSha256 ? (
                    <div className="mono small muted">sha256 {current.artifactSha256}</div>
                  ) : null}
                </dd>
                <dt>Code</dt>
                <dd>{current.codeRef ?? '—'}</dd>
                <dt>Deployments</dt>
                <dd>
                  {current.deployments.length === 0
                    ? '—'
                    : current.deployments.map((d) => (
                        <div key={d.id}>
                          <strong>{d.environment}</strong> {d.endpoint ? <code>{d.endpoint}</code> : null}{' '}
                          since <Time value={d.startedAt} />
                          {d.endedAt ? (
                            <>
                              {' '}
                              until <Time value={d.endedAt} />
                            </>
                          ) : null}
                        </div>
                      ))}
                </dd>
              </dl>
            </section>
          </div>
        );
      }}
    </QueryView>
  );
}
