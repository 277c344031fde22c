/**
 * Fetches a file from the API with the session's token and hands it to the browser as a download
 * (a link with the token would not carry it). The name is the server's content-disposition
 * filename, or `fallbackName`. Throws the server's error message when it refuses.
 */
export async function downloadWithToken(
  url: string,
  token: string | null,
  fallbackName: string,
): Promise<void> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `the server answered ${res.status}`);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name ?? fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}
