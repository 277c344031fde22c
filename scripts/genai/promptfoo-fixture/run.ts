/**
 * Writes the promptfoo fixtures test/fixtures/genai/promptfoo/eval-<version>.json and .jsonl with a
 * real promptfoo run: starts the repository's scripted OpenAI-compatible server
 * (test/support/scripted-llm-server.ts) and runs `promptfoo eval -c promptfooconfig.yaml -o … -o …`
 * with promptfoo's own openai:chat provider pointed at it (OPENAI_BASE_URL). Not part of npm test.
 *
 * promptfoo is not a dependency of Assay: install it in this folder (git-ignored; ~5 min, 1.4 GB;
 * 0.121.20 is the last release that runs on Node 20) or point PROMPTFOO_DIR at an install:
 *
 *   (cd scripts/genai/promptfoo-fixture && npm ci)   # the lockfile of the run; or npm i -E promptfoo@0.121.20 in /tmp/pf
 *   npx tsx scripts/genai/promptfoo-fixture/run.ts            # PROMPTFOO_DIR=/tmp/pf/node_modules/promptfoo
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startScriptedServer } from '../../../test/support/scripted-llm-server.ts';

const here = import.meta.dirname;
const root = path.resolve(here, '../../..');
const pkgDir = process.env.PROMPTFOO_DIR ?? path.join(here, 'node_modules/promptfoo');
const version = (JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string })
  .version;
// relative to the repository (promptfoo records the output paths and the config in the file)
const out = `test/fixtures/genai/promptfoo/eval-${version}`;
// promptfoo keeps a database and a cache under its config directory: a throw-away one.
const home = mkdtempSync(path.join(os.tmpdir(), 'assay-promptfoo-'));
const server = await startScriptedServer();
try {
  const child = spawn(
    process.execPath,
    [
      path.join(pkgDir, 'dist/src/entrypoint.js'),
      'eval',
      '-c',
      'scripts/genai/promptfoo-fixture/promptfooconfig.yaml',
      '-o',
      `${out}.json`,
      '-o',
      `${out}.jsonl`,
      '--no-cache',
      '--no-progress-bar',
      '--no-table',
      '-j',
      '1',
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        OPENAI_BASE_URL: server.url,
        OPENAI_API_KEY: 'scripted-server-needs-no-key',
        PROMPTFOO_CONFIG_DIR: home,
        PROMPTFOO_DISABLE_TELEMETRY: '1',
        PROMPTFOO_DISABLE_UPDATE: '1',
        PROMPTFOO_DISABLE_SHARING: '1',
        PROMPTFOO_SELF_HOSTED: '1',
        // the unreachable endpoint's retries: 4, quickly
        PROMPTFOO_REQUEST_BACKOFF_MS: '100',
      },
    },
  );
  // (asynchronously: the server answers from this process's event loop)
  const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  // promptfoo exits 100 when tests fail, which this run is built to show.
  if (status !== 0 && status !== 100) throw new Error(`promptfoo exited ${status}`);
  console.log(`wrote ${out}.json and .jsonl (promptfoo ${version}, ${server.requests()} requests)`);
} finally {
  await server.close();
  rmSync(home, { recursive: true, force: true });
}
