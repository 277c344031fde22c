import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ModelDetail } from '../app/api.ts';
import { modelKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { plainRefusal } from '../workflow/refusal.ts';

/**
 * The lifecycle as the console offers it (the server enforces the real rules in
 * src/governance/inventory/model-rules.ts; this mirror only decides which buttons to show).
 */
const NEXT: Record<string, readonly string[]> = {
  proposed: ['development', 'retired'],
  development: ['proposed', 'validation', 'retired'],
  validation: ['development', 'approved', 'retired'],
  approved: ['validation', 'production', 'retired'],
  production: ['validation', 'retired'],
  retired: [],
};
const GATED = new Set(['approved', 'production']);

/** The lifecycle moves the signed-in user may try on this model. */
export function offeredTransitions(
  status: string,
  can: { editInventory: boolean; freezeVersion: boolean },
): string[] {
  if (!can.editInventory) return [];
  return (NEXT[status] ?? []).filter((to) => !GATED.has(to) || can.freezeVersion);
}

/** Lifecycle buttons for the model's header; nothing for read-only roles. */
export function ModelActions({ model }: { model: ModelDetail }) {
  const { client, can } = useSession();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const move = useMutation({
    mutationFn: (to: string) => client.transitionModel(model.key, to, model.rowVersion),
    onSuccess: (_, to) => {
      setMessage({ ok: true, text: `Moved to ${to}.` });
      void queryClient.invalidateQueries({ queryKey: modelKeys.detail(model.key) });
      void queryClient.invalidateQueries({ queryKey: modelKeys.lists() });
    },
    onError: (err) => setMessage({ ok: false, text: plainRefusal(err) }),
  });
  const offered = offeredTransitions(model.status, can);
  if (offered.length === 0) return null;
  return (
    <div className="stack" style={{ alignItems: 'flex-end' }}>
      <div className="row">
        {offered.map((to) => (
          <button
            key={to}
            type="button"
            className={to === 'retired' ? 'danger' : ''}
            disabled={move.isPending}
            onClick={() => move.mutate(to)}
          >
            {to === 'retired' ? 'Retire' : `Move to ${to}`}
          </button>
        ))}
      </div>
      {message ? (
        <div className={`notice ${message.ok ? '' : 'bad'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </div>
      ) : null}
    </div>
  );
}
