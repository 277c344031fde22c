import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReviewDetail } from '../app/api-workflow.ts';
import { reviewKeys } from '../app/query-keys.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { reviewEventLabel } from '../app/workflow-adapters.ts';
import { QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';
import { ChecklistPanel } from '../workflow/ChecklistPanel.tsx';
import { DecisionPanel } from '../workflow/DecisionPanel.tsx';
import { FindingsPanel } from '../workflow/FindingsPanel.tsx';
import { plainRefusal } from '../workflow/refusal.ts';
import { finishedReviewNote, isReviewOpen } from '../workflow/review-open.ts';
import { TieringForm } from '../workflow/TieringForm.tsx';
import { ValidatorPanel } from '../workflow/ValidatorPanel.tsx';

/** The review workspace: checklist and evidence, findings, decision and state transitions. */
export function ReviewPage({ reviewId }: { reviewId: string }) {
  const { client, can } = useSession();
  const queryClient = useQueryClient();
  const review = useQuery({
    queryKey: reviewKeys.detail(reviewId),
    queryFn: () => client.getReview(reviewId),
  });
  const [notice, setNotice] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);
  const move = useMutation({
    mutationFn: (args: { to: string; r: ReviewDetail }) =>
      client.transitionReview(args.r.id, args.to, args.r.rowVersion),
    onSuccess: (_, { to }) => {
      setNotice({ tone: 'ok', text: `${reviewEventLabel(to)}: done.` });
      void queryClient.invalidateQueries({ queryKey: reviewKeys.detail(reviewId) });
    },
    onError: (err) => setNotice({ tone: 'bad', text: plainRefusal(err) }),
  });
  const canAct = can.submitReview || can.validate || can.decide;
  return (
    <QueryView query={review} what="Loading the review">
      {(r) => (
        <>
          <div className="crumbs">
            <Link to="/reviews">Reviews</Link> /{' '}
            <Link to={`/models/${encodeURIComponent(r.modelKey)}`}>{r.modelKey}</Link>
          </div>
          <div className="page-head">
            <div>
              <h1>
                {r.kind} review of {r.modelKey} {r.versionLabel ?? ''}
              </h1>
              <div className="row">
                <span className="badge info">{r.state.replaceAll('_', ' ')}</span>
                {r.tier ? <span className="badge">{r.tier}</span> : null}
                <span className="small muted">
                  opened <Time value={r.openedAt} /> {r.openedBy ? `by ${r.openedBy}` : ''}
                  {r.dueAt ? (
                    <>
                      {' '}
                      · due <Time value={r.dueAt} withTime={false} />
                    </>
                  ) : null}
                </span>
              </div>
            </div>
            {canAct && r.nextStates.length ? (
              <div className="row">
                {r.nextStates.map((to) => (
                  <button
                    key={to}
                    type="button"
                    className={to === 'withdraw' ? 'danger' : 'primary'}
                    disabled={move.isPending}
                    onClick={() => move.mutate({ to, r })}
                  >
                    {reviewEventLabel(to)}
                  </button>
                ))}
              </div>
            ) : null}
          </div>
          {isReviewOpen(r.state) ? null : (
            <div className="notice" role="note" style={{ marginBottom: 12 }}>
              {finishedReviewNote(r.state)}
            </div>
          )}
          {notice ? (
            <div
              className={`notice ${notice.tone === 'bad' ? 'bad' : ''}`}
              role={notice.tone === 'bad' ? 'alert' : 'status'}
              style={{ marginBottom: 12 }}
            >
              {notice.text}
            </div>
          ) : null}
          <div className="grid" style={{ gridTemplateColumns: '3fr 2fr' }}>
            <div className="stack">
              <ChecklistPanel review={r} onNotice={setNotice} />
              {r.versionLabel && isReviewOpen(r.state) ? (
                <TieringForm modelKey={r.modelKey} label={r.versionLabel} />
              ) : null}
            </div>
            <div className="stack">
              <ValidatorPanel review={r} onNotice={setNotice} />
              <FindingsPanel review={r} onNotice={setNotice} />
              <DecisionPanel review={r} onNotice={setNotice} />
            </div>
          </div>
        </>
      )}
    </QueryView>
  );
}
