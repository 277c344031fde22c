import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RealServer,
  runCli,
  serverRequest,
  startRealServer,
  uploadEvidence,
} from './support/cli-harness.ts';

/** `assay export audit-package` and `assay verify-package` against a real server. */
describe('audit package through the CLI', () => {
  let server: RealServer;
  let dir: string;
  const env = () => ({ ASSAY_URL: server.url, ASSAY_TOKEN: server.token });
  const http = async (method: string, url: string, body?: unknown) =>
    (await serverRequest(server, method, url, body)).json();

  beforeAll(async () => {
    server = await startRealServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cli-pkg-'));
    await http('POST', '/api/v1/models', { key: 'cli-pkg', name: 'CLI package', type: 'classification' });
    await http('POST', '/api/v1/models/cli-pkg/versions', { label: '1.0.0' });
    await uploadEvidence(
      server,
      'cli-pkg',
      '1.0.0',
      { type: 'test_results', title: 'metrics' },
      Buffer.alloc(200_000, 7),
      'metrics.bin',
    );
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports a package that verifies offline, and names the file whose byte changed', async () => {
    const cp = runCli(['audit', 'checkpoint'], env());
    expect(cp.status).toBe(0);
    const out = path.join(dir, 'p.zip');
    const exp = runCli(['export', 'audit-package', 'cli-pkg', '--version', '1.0.0', '-o', out], env());
    expect(exp.stderr).toContain(`wrote ${out}`);
    expect(exp.status).toBe(0);
    // Without a trusted key: integrity only, said plainly, with its own exit code.
    const ok = runCli(['verify-package', out]);
    expect(ok.stdout).toContain('INTEGRITY ONLY, ORIGIN NOT CHECKED');
    expect(ok.stdout).toContain('1 chain checkpoints');
    expect(ok.status).toBe(5);
    const keys = await http('GET', '/api/v1/keys');
    expect(ok.stdout).toContain(keys.items[0].id);
    const keyFile = path.join(dir, 'server.pem');
    fs.writeFileSync(keyFile, keys.items[0].publicKeyPem);
    const trusted = runCli(['verify-package', out, '--key', keyFile]);
    expect(trusted.stdout).toContain('ok: signed by a trusted key');
    expect(trusted.status).toBe(0);
    const listed = path.join(dir, 'keys.json');
    fs.writeFileSync(listed, JSON.stringify(keys));
    expect(runCli(['verify-package', out, '--trusted-keys', listed]).status).toBe(0);
    expect(runCli(['verify-package', out, '--trust-server', server.url], env()).status).toBe(0);

    // After a rotation the old key is retired but still listed: the old package still verifies.
    const rotated = runCli(['keys', 'rotate', '--json'], env());
    expect(rotated.status).toBe(0);
    expect(JSON.parse(rotated.stdout).previous).toMatchObject({ id: keys.items[0].id, active: false });
    const after = runCli(['verify-package', out, '--trust-server', server.url], env());
    expect(after.stdout).toContain('ok: signed by a trusted key');
    expect(after.status).toBe(0);
    // A key list that does not hold the package's key fails, naming the key file.
    const { generateKeyPairSync } = await import('node:crypto');
    const stranger = path.join(dir, 'stranger.pem');
    fs.writeFileSync(
      stranger,
      generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const refused = runCli(['verify-package', out, '--trusted-keys', stranger]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('MISMATCH signing-key.pem: is key');

    // One byte of the stored evidence file, changed in place.
    const bytes = fs.readFileSync(out);
    const at = bytes.indexOf(Buffer.alloc(64, 7));
    bytes[at + 100] = 8;
    const bad = path.join(dir, 'bad.zip');
    fs.writeFileSync(bad, bytes);
    const failed = runCli(['verify-package', bad]);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(
      /MISMATCH evidence\/1\.0\.0\/[^:]+-metrics\.bin: does not match the manifest/,
    );
    const json = JSON.parse(runCli(['verify-package', bad, '--json']).stdout);
    expect(json.ok).toBe(false);
    expect(json.problems).toHaveLength(1);
  }, 240_000);

  it('exits 2 on what is not a package, and refuses a bad --as-of', () => {
    const junk = path.join(dir, 'junk.zip');
    fs.writeFileSync(junk, 'not a zip at all');
    expect(runCli(['verify-package', junk]).status).toBe(2);
    expect(runCli(['verify-package', path.join(dir, 'missing.zip')]).status).toBe(2);
    const r = runCli(
      ['export', 'audit-package', 'cli-pkg', '--as-of', 'yesterday', '-o', path.join(dir, 'x.zip')],
      env(),
    );
    expect(r.status).toBe(2);
    expect(runCli(['export', 'audit-package', 'nope', '-o', path.join(dir, 'y.zip')], env()).status).toBe(2);
    expect(fs.existsSync(path.join(dir, 'y.zip'))).toBe(false);
  }, 120_000);
});
