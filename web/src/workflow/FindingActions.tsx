import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import type { FindingCard, FindingMove } from '../app/api-workflow.ts';
import { findingKeys, metricsKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { plainRefusal } from './refusal.ts';

const UNRESOLVED = new Set(['open', 'in_remediation', 'ready_for_verification']);
const DAY = 86_400_000;

type Form = 'plan' | 'closure' | 'accept' | null;

/** YYYY-MM-DD of a date in the user's zone (what a date input shows). */
function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The end of a picked day in the user's zone, as an instant. */
export function endOfLocalDay(day: string): string {
  return new Date(`${day}T23:59:59`).toISOString();
}

/** Which workflow moves the console offers on a finding to the signed-in user. */
export function offeredFindingActions(
  f: Pick<FindingCard, 'state' | 'owner' | 'acceptance'>,
  me: { username: string; scope: string },
  can: {
    remediateFindings: boolean;
    verifyFindings: boolean;
    requestAcceptance: boolean;
    approveAcceptance: boolean;
  },
): {
  plan: boolean;
  closure: boolean;
  verify: boolean;
  requestAcceptance: boolean;
  decideAcceptance: boolean;
} {
  // The finding's owner may remediate it whatever their role (the server's rule), with a write token.
  const remediate = can.remediateFindings || (me.scope !== 'read' && f.owner === me.username);
  const covered = f.acceptance?.state === 'pending' || f.acceptance?.state === 'active';
  return {
    plan: remediate && f.state === 'open',
    closure: remediate && f.state === 'in_remediation',
    verify: can.verifyFindings && f.state === 'ready_for_verification',
    requestAcceptance: can.requestAcceptance && UNRESOLVED.has(f.state) && !covered,
    decideAcceptance:
      can.approveAcceptance && f.acceptance?.state === 'pending' && f.acceptance.requestedBy !== me.username,
  };
}

function InlineForm(props: {
  label: string;
  submit: string;
  busy: boolean;
  onSubmit: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const handle = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit();
  };
  return (
    <form className="stack" aria-label={props.label} onSubmit={handle} style={{ marginTop: 8, gap: 8 }}>
      {props.children}
      <div className="row">
        <button type="submit" className="primary" disabled={props.busy}>
          {props.submit}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * The moves of one finding on the board: remediation plan, closure evidence, verification by
 * someone else, and risk acceptance with an expiry (requested by one person, decided by another).
 * Only what the user's role could do is offered; the server's refusals are explained in plain words.
 */
export function FindingActions({ finding: f }: { finding: FindingCard }) {
  const { client, can, me } = useSession();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [plan, setPlan] = useState(f.remediationPlan ?? '');
  const [closure, setClosure] = useState({ title: '', url: '' });
  const [file, setFile] = useState<File | null>(null);
  const [rationale, setRationale] = useState('');
  const [until, setUntil] = useState(localDate(new Date(Date.now() + 30 * DAY)));
  const done = (text: string) => {
    setNotice({ ok: true, text });
    setForm(null);
    void queryClient.invalidateQueries({ queryKey: findingKeys.all });
    void queryClient.invalidateQueries({ queryKey: metricsKeys.all });
  };
  const fail = (err: unknown) => setNotice({ ok: false, text: plainRefusal(err) });
  const move = useMutation({
    mutationFn: (m: FindingMove) => client.moveFinding(f, m),
    onSuccess: (_, m) =>
      done(
        {
          start_remediation: 'Remediation started.',
          submit_for_verification: 'Closure evidence attached; ready for verification.',
          verify: 'Verified and closed.',
          reject_verification: 'Sent back to remediation.',
        }[m.event],
      ),
    onError: fail,
  });
  const accept = useMutation({
    mutationFn: () => client.requestAcceptance([f.id], rationale.trim(), endOfLocalDay(until)),
    onSuccess: () => done('Risk acceptance requested; someone else with an accepting role must approve it.'),
    onError: fail,
  });
  const decide = useMutation({
    mutationFn: (d: 'approve' | 'reject') => client.decideAcceptance(f.acceptance!.id, d),
    onSuccess: (_, d) => done(d === 'approve' ? 'Risk accepted.' : 'Risk acceptance rejected.'),
    onError: fail,
  });
  const busy = move.isPending || accept.isPending || decide.isPending;
  const offer = offeredFindingActions(f, me, can);
  const any = Object.values(offer).some(Boolean);
  if (!any && !notice) return null;
  const open = (which: Form) => {
    setNotice(null);
    setForm(which);
  };
  return (
    <div style={{ marginTop: 8 }}>
      {form === null ? (
        <div className="row" style={{ gap: 6, flexWrap: 'wrap' }}>
          {offer.plan ? (
            <button type="button" onClick={() => open('plan')}>
              Plan remediation
            </button>
          ) : null}
          {offer.closure ? (
            <button type="button" onClick={() => open('closure')}>
              Ready for verification
            </button>
          ) : null}
          {offer.verify ? (
            <>
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => move.mutate({ event: 'verify' })}
              >
                Verify and close
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() => move.mutate({ event: 'reject_verification' })}
              >
                Send back
              </button>
            </>
          ) : null}
          {offer.requestAcceptance ? (
            <button type="button" onClick={() => open('accept')}>
              Request risk acceptance
            </button>
          ) : null}
          {offer.decideAcceptance ? (
            <>
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => decide.mutate('approve')}
              >
                Approve acceptance
              </button>
              <button type="button" disabled={busy} onClick={() => decide.mutate('reject')}>
                Reject acceptance
              </button>
            </>
          ) : null}
        </div>
      ) : null}
      {form === 'plan' ? (
        <InlineForm
          label={`Remediation plan for ${f.title}`}
          submit="Start remediation"
          busy={busy}
          onSubmit={() => move.mutate({ event: 'start_remediation', remediationPlan: plan.trim() })}
          onCancel={() => setForm(null)}
        >
          <label className="field">
            Remediation plan
            <textarea value={plan} onChange={(e) => setPlan(e.target.value)} required />
          </label>
        </InlineForm>
      ) : null}
      {form === 'closure' ? (
        <InlineForm
          label={`Closure evidence for ${f.title}`}
          submit="Submit for verification"
          busy={busy}
          onSubmit={() =>
            move.mutate({
              event: 'submit_for_verification',
              closure: file
                ? { title: closure.title.trim(), file }
                : { title: closure.title.trim(), url: closure.url.trim() },
            })
          }
          onCancel={() => setForm(null)}
        >
          <label className="field">
            Evidence title
            <input
              value={closure.title}
              onChange={(e) => setClosure({ ...closure, title: e.target.value })}
              required={!file}
            />
          </label>
          <label className="field">
            Link (URL)
            <input
              type="url"
              value={closure.url}
              onChange={(e) => setClosure({ ...closure, url: e.target.value })}
              disabled={file !== null}
              required={!file}
            />
          </label>
          <label className="field">
            or upload a file
            <input type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
        </InlineForm>
      ) : null}
      {form === 'accept' ? (
        <InlineForm
          label={`Risk acceptance for ${f.title}`}
          submit="Request acceptance"
          busy={busy}
          onSubmit={() => accept.mutate()}
          onCancel={() => setForm(null)}
        >
          <label className="field">
            Rationale{' '}
            <span className="hint">why the residual risk is acceptable (10 characters or more)</span>
            <textarea
              value={rationale}
              onChange={(e) => setRationale(e.target.value)}
              minLength={10}
              required
            />
          </label>
          <label className="field">
            Accepted until <span className="hint">the policy caps this by severity</span>
            <input
              type="date"
              value={until}
              min={localDate(new Date(Date.now() + DAY))}
              onChange={(e) => setUntil(e.target.value)}
              required
            />
          </label>
        </InlineForm>
      ) : null}
      {notice ? (
        <div
          className={`notice small ${notice.ok ? '' : 'bad'}`}
          role={notice.ok ? 'status' : 'alert'}
          style={{ marginTop: 6 }}
        >
          {notice.text}
        </div>
      ) : null}
    </div>
  );
}
