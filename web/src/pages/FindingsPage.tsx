import { useQuery } from '@tanstack/react-query';
import type { FindingCard } from '../app/api-workflow.ts';
import { findingKeys } from '../app/query-keys.ts';
import { Link, useLocation, useQueryUpdater } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, QueryView } from '../components/DataState.tsx';
import { daysSince, Time } from '../components/Time.tsx';
import { FindingActions } from '../workflow/FindingActions.tsx';

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
// States in which a due date no longer runs (a risk acceptance has its own expiry).
const CLOSED = new Set(['closed', 'verified', 'withdrawn', 'risk_accepted']);

/** True when a finding is still open past its due date (the server's verdict when it gave one). */
export function isOverdue(f: FindingCard, now: Date = new Date()): boolean {
  if (f.overdue !== undefined) return f.overdue;
  return !CLOSED.has(f.state) && f.dueAt !== null && new Date(f.dueAt).getTime() < now.getTime();
}

function Card({ f }: { f: FindingCard }) {
  const overdue = isOverdue(f);
  return (
    <article
      className={`card-item${overdue ? ' overdue' : ''}`}
      aria-label={`${f.severity} finding: ${f.title}`}
    >
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <strong>{f.title}</strong>
      </div>
      <div className="small muted">
        <Link to={`/models/${encodeURIComponent(f.modelKey)}`}>{f.modelKey}</Link> ·{' '}
        {f.state.replaceAll('_', ' ')} · {f.owner ?? 'unassigned'}
      </div>
      <div className="small">
        {daysSince(f.createdAt)} days old
        {f.dueAt ? (
          <>
            {' '}
            · due <Time value={f.dueAt} withTime={false} />
          </>
        ) : null}
        {overdue ? (
          <span className="badge bad" style={{ marginLeft: 6 }}>
            overdue
          </span>
        ) : null}
      </div>
      {f.remediationPlan ? (
        <div className="small">
          Plan: {f.remediationPlan}
          {f.remediator ? <span className="muted"> ({f.remediator})</span> : null}
        </div>
      ) : null}
      {f.closureEvidenceId ? (
        <div className="small">
          Closure evidence attached
          {f.verifiedBy ? ` · verified by ${f.verifiedBy}` : ' · awaiting verification by someone else'}
        </div>
      ) : null}
      {f.acceptance?.state === 'pending' ? (
        <div className="small">
          <span className="badge warn">acceptance pending</span> requested by {f.acceptance.requestedBy} until{' '}
          <Time value={f.acceptance.expiresAt} withTime={false} />
        </div>
      ) : null}
      {f.acceptanceExpiresAt ? (
        <div className="small">
          Risk accepted until <Time value={f.acceptanceExpiresAt} withTime={false} />
          {f.acceptance?.approvedBy ? ` (approved by ${f.acceptance.approvedBy})` : ''}
        </div>
      ) : null}
      <FindingActions finding={f} />
    </article>
  );
}

/** Findings as a board by severity, filterable by state, owner and overdue. */
export function FindingsPage() {
  const { client } = useSession();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const state = query.get('state') ?? 'open';
  const owner = query.get('owner') ?? '';
  const overdueOnly = query.get('overdue') === 'true';
  const model = query.get('model') ?? '';
  const findings = useQuery({
    queryKey: findingKeys.list({ state, owner, model }),
    queryFn: () =>
      client.listFindings({
        state: state === 'all' ? undefined : state,
        owner: owner || undefined,
        model: model || undefined,
      }),
  });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Findings</h1>
          <p>
            Open issues from validation and monitoring, by severity: plan the remediation, attach closure
            evidence, verify, or accept the risk until a date. Overdue ones have a red edge and come first.
          </p>
        </div>
      </div>
      <div className="toolbar">
        <label className="field">
          State
          <select
            value={state}
            onChange={(e) => update({ state: e.target.value === 'open' ? null : e.target.value })}
          >
            <option value="open">open (not closed)</option>
            <option value="all">all</option>
            <option value="in_remediation">in remediation</option>
            <option value="ready_for_verification">ready for verification</option>
            <option value="risk_accepted">risk accepted</option>
            <option value="closed">closed</option>
          </select>
        </label>
        <label className="field">
          Owner
          <input
            defaultValue={owner}
            onBlur={(e) => update({ owner: e.target.value })}
            placeholder="username"
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={overdueOnly}
            onChange={(e) => update({ overdue: e.target.checked ? 'true' : null })}
          />
          Overdue only
        </label>
      </div>
      <QueryView query={findings} what="Loading findings">
        {(all) => {
          const shown = overdueOnly ? all.filter((f) => isOverdue(f)) : all;
          if (shown.length === 0) return <Empty title="No findings match." />;
          return (
            <div className="board">
              {SEVERITIES.map((sev) => {
                const col = shown
                  .filter((f) => f.severity === sev)
                  .sort(
                    (a, b) =>
                      Number(isOverdue(b)) - Number(isOverdue(a)) || a.createdAt.localeCompare(b.createdAt),
                  );
                return (
                  <section key={sev} className="board-col" aria-labelledby={`col-${sev}`}>
                    <h3 id={`col-${sev}`}>
                      <span className={`sev sev-${sev}`}>{sev}</span>
                      <span className="badge">{col.length}</span>
                    </h3>
                    {col.map((f) => (
                      <Card key={f.id} f={f} />
                    ))}
                  </section>
                );
              })}
            </div>
          );
        }}
      </QueryView>
    </>
  );
}
