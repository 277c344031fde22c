import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ModelCreate } from '../../../src/contracts/inventory.ts';
import { modelKeys } from '../app/query-keys.ts';
import { Link, navigate } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { errorMessage } from '../components/DataState.tsx';
import { MODEL_TYPES } from '../inventory/InventoryFilters.tsx';

/** Turns a name into a key suggestion: "Retail Credit PD" → "retail-credit-pd". */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

/** Registers a model in the inventory (shown only to roles that may create models). */
export function NewModelPage() {
  const { client, can, me } = useSession();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    name: '',
    key: '',
    type: 'classification' as ModelCreate['type'],
    businessUnit: '',
    owner: me.role === 'owner' ? me.username : '',
    purpose: '',
    description: '',
    vendor: false,
    vendorName: '',
    genai: false,
    tags: '',
  });
  const [keyTouched, setKeyTouched] = useState(false);
  const [error, setError] = useState<{ text: string; field?: string | undefined } | null>(null);
  const create = useMutation({
    mutationFn: (input: ModelCreate) => client.createModel(input),
    onSuccess: (m) => {
      void queryClient.invalidateQueries({ queryKey: modelKeys.lists() });
      navigate(`/models/${encodeURIComponent(m.key)}`);
    },
    onError: (err) => setError({ text: errorMessage(err), field: (err as { field?: string }).field }),
  });
  if (!can.createModel)
    return (
      <div className="panel">
        <h1>Register a model</h1>
        <p>Your role cannot register models. Ask a governance analyst or a model owner.</p>
      </div>
    );
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const tags = form.tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    create.mutate({
      key: form.key,
      name: form.name.trim(),
      type: form.type,
      ...(form.businessUnit.trim() ? { businessUnit: form.businessUnit.trim() } : {}),
      ...(form.owner.trim() ? { owner: form.owner.trim() } : {}),
      ...(form.purpose.trim() ? { purpose: form.purpose.trim() } : {}),
      ...(form.description.trim() ? { description: form.description.trim() } : {}),
      vendor: form.vendor,
      ...(form.vendor && form.vendorName.trim() ? { vendorName: form.vendorName.trim() } : {}),
      genai: form.genai,
      ...(tags.length ? { tags } : {}),
    });
  };
  return (
    <>
      <div className="crumbs">
        <Link to="/inventory">Inventory</Link> / new
      </div>
      <div className="page-head">
        <div>
          <h1>Register a model</h1>
          <p>The record starts as proposed; versions, datasets and deployments are added on its page.</p>
        </div>
      </div>
      <form className="panel stack" onSubmit={submit} aria-label="Register a model" style={{ maxWidth: 760 }}>
        <div className="grid grid-2">
          <label className="field">
            Name
            <input
              value={form.name}
              onChange={(e) =>
                set({ name: e.target.value, ...(keyTouched ? {} : { key: slugOf(e.target.value) }) })
              }
              required
              maxLength={200}
            />
          </label>
          <label className="field">
            Key <span className="hint">lower-case slug, used in URLs and the API</span>
            <input
              value={form.key}
              onChange={(e) => {
                setKeyTouched(true);
                set({ key: e.target.value });
              }}
              required
              pattern="[a-z0-9][a-z0-9\-]{1,62}"
              aria-invalid={error?.field === 'body.key'}
            />
          </label>
          <label className="field">
            Type
            <select value={form.type} onChange={(e) => set({ type: e.target.value as ModelCreate['type'] })}>
              {MODEL_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Business unit
            <input value={form.businessUnit} onChange={(e) => set({ businessUnit: e.target.value })} />
          </label>
          <label className="field">
            Owner <span className="hint">username</span>
            <input value={form.owner} onChange={(e) => set({ owner: e.target.value })} />
          </label>
          <label className="field">
            Tags <span className="hint">comma-separated</span>
            <input value={form.tags} onChange={(e) => set({ tags: e.target.value })} />
          </label>
        </div>
        <label className="field">
          Purpose
          <textarea value={form.purpose} onChange={(e) => set({ purpose: e.target.value })} />
        </label>
        <label className="field">
          Description
          <textarea value={form.description} onChange={(e) => set({ description: e.target.value })} />
        </label>
        <div className="row">
          <label className="check">
            <input
              type="checkbox"
              checked={form.vendor}
              onChange={(e) => set({ vendor: e.target.checked })}
            />
            Third-party (vendor) model
          </label>
          {form.vendor ? (
            <label className="field">
              Vendor name
              <input value={form.vendorName} onChange={(e) => set({ vendorName: e.target.value })} />
            </label>
          ) : null}
          <label className="check">
            <input type="checkbox" checked={form.genai} onChange={(e) => set({ genai: e.target.checked })} />
            Generative AI
          </label>
        </div>
        {error ? (
          <div className="notice bad" role="alert">
            {error.text}
          </div>
        ) : null}
        <div>
          <button type="submit" className="primary" disabled={create.isPending}>
            Register model
          </button>
        </div>
      </form>
    </>
  );
}
