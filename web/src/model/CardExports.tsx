import { useState } from 'react';
import { useSession } from '../app/session.tsx';
import { downloadWithToken } from '../components/download.ts';

/** The card's standard and printable formats, each a GET on the card's export routes. */
const FORMATS = [
  { id: 'huggingface', label: 'Hugging Face README', path: '/export/huggingface', ext: 'md' },
  { id: 'cyclonedx', label: 'CycloneDX ML-BOM', path: '/export/cyclonedx', ext: 'cdx.json' },
  { id: 'spdx', label: 'SPDX 3.0', path: '/export/spdx', ext: 'spdx.json' },
  { id: 'pdf', label: 'PDF', path: '/export?format=pdf', ext: 'pdf' },
] as const;

/**
 * Export buttons for a version's model card (its latest revision, as the tab shows it): a Hugging
 * Face README.md, a CycloneDX ML-BOM, an SPDX 3.0 AI document, or a PDF the server prints.
 */
export function CardExports({ modelKey, label }: { modelKey: string; label: string }) {
  const { token } = useSession();
  const [state, setState] = useState<{ busy: string | null; error: string | null }>({
    busy: null,
    error: null,
  });
  const base = `/api/v1/models/${encodeURIComponent(modelKey)}/versions/${encodeURIComponent(label)}/card`;
  const download = async (f: (typeof FORMATS)[number]) => {
    setState({ busy: f.id, error: null });
    try {
      await downloadWithToken(`${base}${f.path}`, token, `model-card-${modelKey}-${label}.${f.ext}`);
      setState({ busy: null, error: null });
    } catch (err) {
      setState({ busy: null, error: `${f.label}: ${(err as Error).message}` });
    }
  };
  return (
    <div className="stack" style={{ gap: 6 }}>
      <fieldset
        className="row"
        aria-label="Export the model card"
        style={{ border: 0, padding: 0, margin: 0 }}
      >
        <span className="small muted">Export:</span>
        {FORMATS.map((f) => (
          <button
            key={f.id}
            type="button"
            disabled={state.busy !== null}
            aria-busy={state.busy === f.id}
            onClick={() => void download(f)}
          >
            {f.label}
          </button>
        ))}
        {state.busy ? <span className="small muted">Preparing…</span> : null}
      </fieldset>
      {state.error ? (
        <div className="notice bad" role="alert">
          {state.error}
        </div>
      ) : null}
    </div>
  );
}
