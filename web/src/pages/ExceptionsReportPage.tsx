import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { ExceptionReport } from '../../../src/contracts/exceptions.ts';
import { reportKeys } from '../app/query-keys.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';

type Cover = { id: string; until: string; reason: string } | null;

function ModelLink({ modelKey, version }: { modelKey: string; version?: string | null }) {
  return (
    <>
      <Link to={`/models/${encodeURIComponent(modelKey)}`}>{modelKey}</Link>
      {version ? <span className="muted"> {version}</span> : null}
    </>
  );
}

/** Whether a valid recorded exception covers the row, and until when. */
function CoveredBy({ exception }: { exception: Cover }) {
  if (!exception) return <span className="badge bad">no exception</span>;
  return (
    <span className="badge warn" title={exception.reason}>
      exception until <Time value={exception.until} withTime={false} />
    </span>
  );
}

function Section<T>(props: {
  id: string;
  title: string;
  hint: string;
  rows: readonly T[];
  head: readonly string[];
  row: (r: T) => ReactNode[];
}) {
  const { id, title, hint, rows, head, row } = props;
  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-section={id}>
      <h2 id={`${id}-h`}>
        {title} <span className="badge">{rows.length}</span>
      </h2>
      <p className="muted small">{hint}</p>
      {rows.length === 0 ? (
        <Empty title="None." />
      ) : (
        <table className="data" aria-label={title}>
          <thead>
            <tr>
              {head.map((h) => (
                <th scope="col" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows of a report snapshot never reorder
              <tr key={i}>
                {row(r).map((c, j) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
                  <td key={j}>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The exception report: what an auditor looks for first, each row linking to its model. */
export function ExceptionsReportPage() {
  const { client } = useSession();
  const report = useQuery({ queryKey: reportKeys.exceptions(), queryFn: () => client.exceptionReport() });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Exception report</h1>
          <p>
            Models in production without a valid approval, deployments the gate denies now, and the other
            things an auditor looks for first.
          </p>
        </div>
      </div>
      <QueryView query={report} what="Loading the exception report">
        {(r: ExceptionReport) => (
          <div className="stack">
            <p className="muted small">
              As of <Time value={r.asOf} />
            </p>
            <Section
              id="production-without-approval"
              title="In production without a valid approval"
              hint="Models whose running (or newest) version has no current final approval; a recorded exception may cover it."
              rows={r.productionWithoutApproval}
              head={['Model', 'Problem', 'Exception']}
              row={(x) => [
                <ModelLink key="m" modelKey={x.modelKey} version={x.versionLabel} />,
                x.problem.replaceAll('_', ' '),
                <CoveredBy key="e" exception={x.exception} />,
              ]}
            />
            <Section
              id="deployments-gate-denied"
              title="Production deployments the gate denies now"
              hint="Active production deployments whose version would not pass the production gate today."
              rows={r.deploymentsGateDenied}
              head={['Model', 'Endpoint', 'Since', 'Gate reasons', 'Exception']}
              row={(x) => [
                <ModelLink key="m" modelKey={x.modelKey} version={x.versionLabel} />,
                x.endpoint ?? '—',
                <Time key="t" value={x.startedAt} withTime={false} />,
                x.reasons.join(', '),
                <CoveredBy key="e" exception={x.exception} />,
              ]}
            />
            <Section
              id="retired-still-deployed"
              title="Retired models still deployed"
              hint="Deployments that did not end when their model retired (records from before retiring ended them)."
              rows={r.retiredStillDeployed}
              head={['Model', 'Environment', 'Retired']}
              row={(x) => [
                <ModelLink key="m" modelKey={x.modelKey} version={x.versionLabel} />,
                x.environment,
                <Time key="t" value={x.retiredAt} withTime={false} />,
              ]}
            />
            <Section
              id="approvals-on-superseded-tier"
              title="Approvals on a tier the model no longer has"
              hint="Final approvals whose tier, tiering or tier override changed since they were signed."
              rows={r.approvalsOnSupersededTier}
              head={['Model', 'Approved at tier', 'Tier now', 'Changed']}
              row={(x) => [
                <ModelLink key="m" modelKey={x.modelKey} version={x.versionLabel} />,
                x.decisionTier ?? 'untiered',
                x.currentTier ?? 'untiered',
                x.changed.join(', '),
              ]}
            />
            <Section
              id="overdue-conditions"
              title="Overdue decision conditions"
              hint="Conditions of approvals not met by their due date."
              rows={r.overdueConditions}
              head={['Model', 'Condition', 'Owner', 'Due']}
              row={(x) => [
                <ModelLink key="m" modelKey={x.modelKey} version={x.versionLabel} />,
                x.text,
                x.owner,
                <Time key="t" value={x.dueAt} withTime={false} />,
              ]}
            />
            <Section
              id="expired-acceptances"
              title="Risk acceptances past expiry"
              hint="Acceptances that ran out while their findings are still not closed."
              rows={r.expiredAcceptances}
              head={['Model', 'State', 'Expired', 'Rationale']}
              row={(x) => [
                <ModelLink key="m" modelKey={x.modelKey} />,
                x.state,
                <Time key="t" value={x.expiresAt} withTime={false} />,
                x.rationale,
              ]}
            />
            <Section
              id="exceptions-in-force"
              title="Lifecycle exceptions in force"
              hint="Recorded, approved exceptions standing in for a decision or a gate, until their end date."
              rows={r.exceptionsInForce}
              head={['Model', 'Allows', 'Until', 'Asked by', 'Approved by', 'Why']}
              row={(x) => [
                <ModelLink key="m" modelKey={x.modelKey} version={x.versionLabel} />,
                x.allows.map((a) => a.replaceAll('_', ' ')).join(', '),
                <Time key="t" value={x.until} withTime={false} />,
                x.requestedBy,
                x.decidedBy ?? '—',
                x.reason,
              ]}
            />
          </div>
        )}
      </QueryView>
    </>
  );
}
