/**
 * A multipart/form-data body as the evidence upload takes it: a `metadata` JSON part and a `file`
 * part, with the headers that name its boundary.
 */
export function multipart(
  meta: unknown,
  file: Buffer,
  filename = 'evidence.json',
  type = 'application/json',
  metaType?: string,
): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----assay${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n${metaType ? `Content-Type: ${metaType}\r\n` : ''}\r\n${JSON.stringify(meta)}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
