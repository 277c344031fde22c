import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ModelDetail } from '../app/api.ts';
import type { UserRow } from '../app/api-workflow.ts';
import { modelKeys, userKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { ErrorState, Loading } from '../components/DataState.tsx';
import { plainRefusal } from '../workflow/refusal.ts';

function Checklist(props: {
  legend: string;
  users: readonly UserRow[];
  picked: readonly string[];
  onChange: (next: string[]) => void;
}) {
  const { users, picked } = props;
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {users.length === 0 ? <span className="small muted">No users to choose from.</span> : null}
      <div style={{ maxHeight: 150, overflowY: 'auto', display: 'grid', gap: 2 }}>
        {users.map((u) => (
          <label key={u.id} className="check">
            <input
              type="checkbox"
              checked={picked.includes(u.username)}
              onChange={(e) =>
                props.onChange(
                  e.target.checked ? [...picked, u.username] : picked.filter((x) => x !== u.username),
                )
              }
            />
            {u.displayName ? `${u.displayName} (${u.username}, ${u.role})` : `${u.username} (${u.role})`}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function EditPeople({ model, onDone }: { model: ModelDetail; onDone: (text: string | null) => void }) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: userKeys.all, queryFn: () => client.listUsers() });
  const [owner, setOwner] = useState(model.owner ?? '');
  const [developers, setDevelopers] = useState<string[]>(model.developers);
  const [validators, setValidators] = useState<string[]>(model.validators);
  const save = useMutation({
    mutationFn: () => client.setRelations(model.key, { owner, developers, validators }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: modelKeys.detail(model.key) });
      void queryClient.invalidateQueries({ queryKey: modelKeys.lists() });
      onDone('People saved.');
    },
  });
  if (users.isPending) return <Loading what="Loading users" />;
  if (users.error) return <ErrorState error={users.error} onRetry={() => void users.refetch()} />;
  const active = (users.data ?? []).filter((u) => !u.disabled);
  // Validators come from the validator role; anyone already related stays listed.
  const validatorChoices = active.filter((u) => u.role === 'validator' || validators.includes(u.username));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={`People of ${model.name}`}>
      <label className="field">
        Owner
        <select value={owner} onChange={(e) => setOwner(e.target.value)} required>
          <option value="">choose…</option>
          {active.map((u) => (
            <option key={u.id} value={u.username}>
              {u.displayName ? `${u.displayName} (${u.username})` : u.username}
            </option>
          ))}
        </select>
      </label>
      <Checklist legend="Developers" users={active} picked={developers} onChange={setDevelopers} />
      <Checklist legend="Validators" users={validatorChoices} picked={validators} onChange={setValidators} />
      {save.error ? (
        <div className="notice bad" role="alert">
          {plainRefusal(save.error)}
        </div>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending || !owner}>
          Save people
        </button>
        <button type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * The model's people (owner, developers, validators): who may change it, who validates it, and
 * who can never sign its approval. Governance edits them here (PUT …/relations, audited).
 */
export function ModelPeople({ model: m, editable }: { model: ModelDetail; editable: boolean }) {
  const { can } = useSession();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="people-h">
      <h2 id="people-h">People</h2>
      {editing ? (
        <EditPeople
          model={m}
          onDone={(text) => {
            setEditing(false);
            setSaved(text);
          }}
        />
      ) : (
        <>
          <dl className="facts" style={{ gridTemplateColumns: '110px 1fr' }}>
            <dt>Owner</dt>
            <dd>{m.owner ?? '—'}</dd>
            <dt>Business unit</dt>
            <dd>{m.businessUnit ?? '—'}</dd>
            <dt>Developers</dt>
            <dd>{m.developers.join(', ') || '—'}</dd>
            <dt>Validators</dt>
            <dd>{m.validators.join(', ') || '—'}</dd>
          </dl>
          {saved ? (
            <div className="notice small" role="status" style={{ marginTop: 8 }}>
              {saved}
            </div>
          ) : null}
          {editable && can.editRelations ? (
            <button
              type="button"
              style={{ marginTop: 8 }}
              onClick={() => {
                setSaved(null);
                setEditing(true);
              }}
            >
              Edit people
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
