import { useState } from 'react';
import { useSession } from '../app/session.tsx';

/**
 * Downloads the model's signed audit package (GET /api/v1/models/{key}/audit-package; as of the
 * time shown, when the page shows a past state). The browser receives it with the session's token
 * and saves it; `assay verify-package` checks it offline.
 */
export function AuditPackageButton({ modelKey, asOf }: { modelKey: string; asOf: string | null }) {
  const { token } = useSession();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const download = async () => {
    setState({ busy: true, error: null });
    try {
      const q = asOf ? `?asOf=${encodeURIComponent(asOf)}` : '';
      const res = await fetch(`/api/v1/models/${encodeURIComponent(modelKey)}/audit-package${q}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(body?.error?.message ?? `the server answered ${res.status}`);
      }
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = name ?? `audit-package-${modelKey}.zip`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      setState({ busy: false, error: null });
    } catch (err) {
      setState({ busy: false, error: (err as Error).message });
    }
  };
  return (
    <div className="stack" style={{ alignItems: 'flex-end' }}>
      <button type="button" disabled={state.busy} onClick={() => void download()}>
        {state.busy ? 'Preparing audit package…' : 'Download audit package'}
      </button>
      {state.error ? (
        <div className="notice bad" role="alert">
          {state.error}
        </div>
      ) : null}
    </div>
  );
}
