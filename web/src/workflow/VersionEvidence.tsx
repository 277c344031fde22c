import { useQuery } from '@tanstack/react-query';
import { evidenceKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { Empty, QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';

/** The evidence attached to a version (validation reports first), with hashes, producers and validity. */
export function VersionEvidence({ modelKey, label }: { modelKey: string; label: string }) {
  const { client } = useSession();
  const evidence = useQuery({
    queryKey: evidenceKeys.version(modelKey, label),
    queryFn: () => client.versionEvidence(modelKey, label),
  });
  return (
    <section className="panel" aria-labelledby="ev-h">
      <h2 id="ev-h">Evidence of {label}</h2>
      <QueryView query={evidence} what="Loading evidence">
        {(items) =>
          items.length === 0 ? (
            <Empty title="No evidence is attached to this version yet.">
              Run <code>assay validate</code> in the model's pipeline, or attach documents from a review.
            </Empty>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Evidence</th>
                  <th scope="col">Type</th>
                  <th scope="col">Produced by</th>
                  <th scope="col">Added</th>
                  <th scope="col">Valid until</th>
                  <th scope="col">SHA-256</th>
                </tr>
              </thead>
              <tbody>
                {[...items]
                  .sort(
                    (a, b) => Number(b.type === 'validation_report') - Number(a.type === 'validation_report'),
                  )
                  .map((e) => (
                    <tr key={e.id}>
                      <td>
                        <a href={e.href} rel="noreferrer noopener" target="_blank">
                          {e.title}
                        </a>
                      </td>
                      <td>{e.type.replaceAll('_', ' ')}</td>
                      <td>{e.producedBy ?? e.uploadedBy}</td>
                      <td>
                        <Time value={e.createdAt} />
                      </td>
                      <td className={e.expired ? 'sev-critical' : ''}>
                        {e.validUntil ? <Time value={e.validUntil} withTime={false} /> : 'no expiry'}
                        {e.expired ? ' (expired)' : ''}
                      </td>
                      <td className="mono small">{e.sha256 ? `${e.sha256.slice(0, 16)}…` : 'link'}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
    </section>
  );
}
