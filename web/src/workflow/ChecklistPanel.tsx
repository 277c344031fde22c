import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { EvidenceType } from '../../../src/contracts/policy.ts';
import type { ChecklistItem, ReviewDetail } from '../app/api-workflow.ts';
import { reviewKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { Empty } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';
import { plainRefusal } from './refusal.ts';
import { isReviewOpen } from './review-open.ts';

type Notice = (n: { tone: 'ok' | 'bad'; text: string } | null) => void;

const STATUS_TONE: Record<string, string> = {
  satisfied: 'ok',
  accepted: 'ok',
  provided: 'info',
  missing: 'warn',
  expired: 'bad',
};

function Attach({ review, item, onNotice }: { review: ReviewDetail; item: ChecklistItem; onNotice: Notice }) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [uri, setUri] = useState('');
  const [file, setFile] = useState<File | null>(null);
  // Evidence attached here is produced for this review, so it counts for the review's cycle.
  const target = {
    modelKey: review.modelKey,
    versionLabel: review.versionLabel ?? '',
    type: item.id as EvidenceType,
    reviewId: review.id,
  };
  const attach = useMutation({
    mutationFn: () =>
      file
        ? client.uploadEvidence(target, title || file.name, file)
        : client.linkEvidence(target, title, uri),
    onSuccess: () => {
      onNotice({ tone: 'ok', text: `Evidence attached to “${item.title}”.` });
      setOpen(false);
      setTitle('');
      setUri('');
      setFile(null);
      void queryClient.invalidateQueries({ queryKey: reviewKeys.detail(review.id) });
    },
    onError: (err) => onNotice({ tone: 'bad', text: plainRefusal(err) }),
  });
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Attach evidence
      </button>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    attach.mutate();
  };
  return (
    <form
      className="stack"
      onSubmit={submit}
      aria-label={`Attach evidence to ${item.title}`}
      style={{ marginTop: 8 }}
    >
      <label className="field">
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} required={!file} />
      </label>
      <div className="row">
        <label className="field" style={{ flex: 1 }}>
          Link (URL)
          <input type="url" value={uri} onChange={(e) => setUri(e.target.value)} disabled={file !== null} />
        </label>
        <span className="muted">or</span>
        <label className="field">
          Upload a file
          <input type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={attach.isPending || (!file && !uri)}>
          Attach
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Carries one piece of earlier evidence into the review, with a reason of at least 20 characters. */
function CarryForward({
  review,
  evidenceId,
  onNotice,
}: {
  review: ReviewDetail;
  evidenceId: string;
  onNotice: Notice;
}) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const carry = useMutation({
    mutationFn: () => client.carryForward(review.id, evidenceId, reason),
    onSuccess: () => {
      onNotice({ tone: 'ok', text: 'Evidence carried forward into this review.' });
      setOpen(false);
      setReason('');
      void queryClient.invalidateQueries({ queryKey: reviewKeys.detail(review.id) });
    },
    onError: (err) => onNotice({ tone: 'bad', text: plainRefusal(err) }),
  });
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Carry forward
      </button>
    );
  return (
    <form
      className="stack"
      aria-label={`Carry forward evidence ${evidenceId}`}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        carry.mutate();
      }}
    >
      <label className="field">
        Why it still holds for this review (at least 20 characters)
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} minLength={20} required />
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={carry.isPending || reason.trim().length < 20}>
          Carry forward
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The review's evidence checklist: each item's status and evidence, and attaching more. */
export function ChecklistPanel({ review, onNotice }: { review: ReviewDetail; onNotice: Notice }) {
  const { can, me } = useSession();
  const done = review.checklist.filter((i) => i.status === 'satisfied').length;
  // The server decides; the button is offered to the assigned validator and to stewards.
  const open = isReviewOpen(review.state);
  const mayCarry = open && can.validate && (me.role !== 'validator' || review.validator === me.username);
  return (
    <section className="panel" aria-labelledby="checklist-h">
      <h2 id="checklist-h">
        Evidence checklist{' '}
        <span className="badge">
          {done} / {review.checklist.length}
        </span>
      </h2>
      {review.cycleStartsAt ? (
        <p className="small muted">
          Only evidence attached since <Time value={review.cycleStartsAt} /> counts for this review, unless a
          validator carries earlier evidence forward with a reason.
        </p>
      ) : null}
      {review.checklist.length === 0 ? (
        <Empty title="The policy asks for no evidence for this review." />
      ) : (
        <ol style={{ paddingLeft: 18, margin: 0 }}>
          {review.checklist.map((item) => (
            <li key={item.id} style={{ marginBottom: 14 }}>
              <div className="row">
                <strong>{item.title}</strong>
                {item.required ? (
                  <span className="small muted">required</span>
                ) : (
                  <span className="small muted">optional</span>
                )}
                <span className={`badge ${STATUS_TONE[item.status] ?? ''}`}>{item.status}</span>
              </div>
              {item.evidence.map((ev) => (
                <div key={ev.id} className="small" style={{ marginTop: 4 }}>
                  {ev.uri ? (
                    <a href={ev.uri} rel="noreferrer noopener" target="_blank">
                      {ev.title}
                    </a>
                  ) : (
                    ev.title
                  )}{' '}
                  <span className="muted">
                    ({ev.kind}
                    {ev.addedBy ? `, by ${ev.addedBy}` : ''}, <Time value={ev.addedAt} />)
                  </span>
                  {ev.sha256 ? <div className="mono muted">sha256 {ev.sha256}</div> : null}
                  {ev.validUntil ? (
                    <div className={new Date(ev.validUntil) < new Date() ? 'sev-critical' : 'muted'}>
                      valid until <Time value={ev.validUntil} withTime={false} />
                    </div>
                  ) : null}
                </div>
              ))}
              {item.carriedForward.map((c) => (
                <div key={c.evidenceId} className="small muted" style={{ marginTop: 4 }}>
                  carried forward by {c.by} (<Time value={c.at} />) because {c.reason}
                </div>
              ))}
              {item.earlierCycle.map((ev) => (
                <div key={ev.id} className="small" style={{ marginTop: 4 }}>
                  <span className="muted">
                    from an earlier review cycle, does not count: {ev.title} (<Time value={ev.addedAt} />)
                  </span>{' '}
                  {mayCarry ? <CarryForward review={review} evidenceId={ev.id} onNotice={onNotice} /> : null}
                </div>
              ))}
              {open && (can.submitReview || can.validate) ? (
                <Attach review={review} item={item} onNotice={onNotice} />
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
