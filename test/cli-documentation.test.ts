import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealServer, runCli, startRealServer } from './support/cli-harness.ts';

describe('assay CLI against a real server: model cards and datasheets', () => {
  let server: RealServer;
  let env: Record<string, string>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cli-doc-'));
  beforeAll(async () => {
    server = await startRealServer();
    env = { ASSAY_URL: server.url, ASSAY_TOKEN: server.token };
    const h = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    const post = (p: string, body: unknown) =>
      fetch(server.url + p, { method: 'POST', headers: h, body: JSON.stringify(body) });
    await post('/api/v1/models', {
      key: 'credit-pd',
      name: 'Credit PD',
      type: 'classification',
      intendedUse: 'Loans',
    });
    await post('/api/v1/models/credit-pd/versions', { label: '1.0' });
    await post('/api/v1/datasets', { name: 'loans-train', role: 'training' });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('drafts, saves, checks, publishes and exports a card', () => {
    const file = path.join(dir, 'card.json');
    const draft = runCli(['card', 'draft', 'credit-pd@1.0', '-o', file], env);
    expect(draft.status).toBe(0);
    expect(draft.stderr).toContain('sources: inventory: model credit-pd');
    const content = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(content.content.intendedUse.text).toBe('Loans');

    const saved = runCli(['card', 'save', 'credit-pd@1.0', '-f', file], env);
    expect(saved.stdout).toMatch(/^saved revision 1 \(draft\)/);
    // The model is untiered: Tier 1 rules apply and the draft has gaps → exit 1.
    const check = runCli(['card', 'check', 'credit-pd@1.0'], env);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/^GAPS: score \d+\/100 for Tier 1 \(untiered\)/);
    expect(check.stdout).toContain('[section_missing] explainability');
    const json = runCli(['card', 'check', 'credit-pd@1.0', '--json'], env);
    expect(JSON.parse(json.stdout).passes).toBe(false);

    expect(runCli(['card', 'publish', 'credit-pd@1.0'], env).stdout).toBe('published as revision 2\n');
    const revs = runCli(['card', 'revisions', 'credit-pd@1.0'], env);
    expect(revs.stdout).toMatch(/REVISION\s+STATUS/);
    const md = runCli(['card', 'show', 'credit-pd@1.0', '--published'], env);
    expect(md.stdout).toContain('# Model card: Credit PD (credit-pd) version 1.0');
    const html = path.join(dir, 'card.html');
    expect(runCli(['card', 'export', 'credit-pd@1.0', '--format', 'html', '-o', html], env).status).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toContain('<!doctype html>');
    expect(runCli(['card', 'export', 'credit-pd@1.0', '--format', 'docx'], env).status).toBe(2);
    expect(runCli(['card', 'show', 'nope@1.0'], env).status).toBe(2);
  });

  it('works on datasheets by dataset name', () => {
    const file = path.join(dir, 'sheet.json');
    fs.writeFileSync(file, JSON.stringify({ motivation: { text: 'For credit models.' } }));
    expect(runCli(['datasheet', 'save', 'loans-train', '-f', file, '--publish'], env).stdout).toMatch(
      /^saved revision 1 \(published\)/,
    );
    const check = runCli(['datasheet', 'check', 'loans-train', '--json'], env);
    expect(JSON.parse(check.stdout).tier).toBeNull();
    expect(runCli(['datasheet', 'show', 'loans-train'], env).stdout).toContain('For credit models.');
  });
});
