import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genaiDocumentSchema } from '../src/contracts/genai.ts';
import { AssayClient } from '../src/sdk/index.ts';
import { type RealServer, runCli, startRealServer } from './support/cli-harness.ts';
import { type ScriptedServer, startScriptedServer } from './support/scripted-llm-server.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURES = path.join(ROOT, 'test/fixtures/genai');

/** `assay <args>` without blocking this process (the scripted LLM server answers from here). */
function runAsync(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/assay.mjs'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ASSAY_URL: '', ASSAY_TOKEN: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('assay redteam and assay genai import against real servers', () => {
  let server: RealServer;
  let llm: ScriptedServer;
  let env: Record<string, string>;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-genai-'));
  beforeAll(async () => {
    [server, llm] = await Promise.all([startRealServer(), startScriptedServer()]);
    env = { ASSAY_URL: server.url, ASSAY_TOKEN: server.token };
    const ok = (args: string[]) => {
      const r = runCli([...args, '--json'], env);
      if (r.status !== 0) throw new Error(`assay ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    };
    ok(['users', 'add', 'olga', '--role', 'owner']);
    ok([
      'models',
      'register',
      '--key',
      'support-bot',
      '--name',
      'Support',
      '--type',
      'llm_application',
      '--owner',
      'olga',
    ]);
    ok(['versions', 'add', 'support-bot', '--label', '1.0.0']);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([server?.stop(), llm?.close()]);
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('runs the suite, writes transcript and document, and attaches both as genai_evaluation evidence', async () => {
    const prompt = path.join(out, 'system.txt');
    fs.writeFileSync(prompt, 'You are the support assistant.');
    const r = await runAsync(
      [
        'redteam',
        '--endpoint',
        llm.url,
        '--target-model',
        'bad',
        '--system-prompt',
        prompt,
        '--seed',
        's1',
        '--out',
        out,
        '--model',
        'support-bot@1.0.0',
      ],
      env,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/owasp-llm:2025:LLM07 +4\/4 +100\.0%/);
    expect(r.stderr).toMatch(/attached genai\.json to support-bot@1\.0\.0/);
    const doc = genaiDocumentSchema.parse(JSON.parse(fs.readFileSync(path.join(out, 'genai.json'), 'utf8')));
    expect(doc.source.tool).toBe('assay-redteam');
    const client = new AssayClient({ baseUrl: server.url, token: server.token });
    const evidence = await client.evidence.list('support-bot', '1.0.0', { type: 'genai_evaluation' });
    expect(evidence.map((e) => e.file?.filename).sort()).toEqual(['genai.json', 'transcript.jsonl']);
    const raw = evidence.find((e) => e.file?.filename === 'transcript.jsonl');
    expect(raw?.file?.sha256).toBe(doc.source.sha256);
    const docs = await client.genai.documents('support-bot', '1.0.0');
    expect(docs.map((d) => d.document.source.tool)).toEqual(['assay-redteam']);
    expect(docs[0]?.document.rates).toEqual(doc.rates);
  }, 120_000);

  it('imports a garak report, prints the rates, and refuses a malformed file with exit 2', async () => {
    const r = runCli(['genai', 'import', path.join(FIXTURES, 'garak/qual_review_mixed.report.jsonl')], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/owasp-llm:2025:LLM05 +1\/1/);
    const bad = path.join(out, 'bad.json');
    fs.writeFileSync(bad, '{"results": {"version": 7, "results": []}}');
    const refused = runCli(['genai', 'import', bad], env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/results schema version 7 is not supported/);
  }, 60_000);

  it('compares a version with the previous one and names the regressions (exit 1 with --fail-on-regression)', async () => {
    const ok = (args: string[]) => {
      const r = runCli(args, env);
      if (r.status !== 0) throw new Error(`assay ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
      return r;
    };
    ok([
      'models',
      'register',
      '--key',
      'faq-bot',
      '--name',
      'FAQ',
      '--type',
      'llm_application',
      '--owner',
      'olga',
      '--json',
    ]);
    ok(['versions', 'add', 'faq-bot', '--label', '1.0.0', '--json']);
    ok(['versions', 'add', 'faq-bot', '--label', '2.0.0', '--json']);
    ok(['genai', 'import', path.join(FIXTURES, 'redteam/good-1.0.0.jsonl'), '--model', 'faq-bot@1.0.0']);
    ok(['genai', 'import', path.join(FIXTURES, 'redteam/bad-2.0.0.jsonl'), '--model', 'faq-bot@2.0.0']);
    const r = runCli(['genai', 'compare', 'faq-bot@2.0.0', '--fail-on-regression'], env);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/compared with 1\.0\.0/);
    expect(r.stdout).toMatch(/regression +owasp-llm:2025:LLM01 +0\.0% → 100\.0%/);
    expect(r.stdout).toMatch(/regressions \(16\):/);
    const back = ok(['genai', 'compare', 'faq-bot@1.0.0', '--against', '2.0.0', '--json']);
    expect(JSON.parse(back.stdout).regressions).toEqual([]);
    const cardFile = path.join(out, 'card.json');
    fs.writeFileSync(
      cardFile,
      JSON.stringify({ provider: 'Acme AI', baseModel: 'acme-chat', guardrails: ['PII filter'] }),
    );
    const promptFile = path.join(out, 'prompt.txt');
    fs.writeFileSync(promptFile, 'You are the FAQ bot.');
    ok(['genai', 'system-card', 'faq-bot@2.0.0', '--set', cardFile, '--system-prompt', promptFile]);
    const card = ok(['genai', 'system-card', 'faq-bot@2.0.0']);
    expect(card.stdout).toMatch(/Foundation model acme-chat from Acme AI\./);
    const sha = createHash('sha256').update('You are the FAQ bot.').digest('hex');
    expect(card.stdout).toContain(`System prompt SHA-256: \`${sha}\``);
    const badCard = runCli(['genai', 'system-card', 'faq-bot@2.0.0', '--set', promptFile], env);
    expect(badCard.status).toBe(2);
    expect(badCard.stderr).toMatch(/not JSON/);
    const missing = runCli(['genai', 'compare', 'faq-bot@1.0.0', '--against', '7.0.0'], env);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/7\.0\.0/);
  }, 60_000);
});
