/**
 * Writes the JUnit fixture test/fixtures/genai/junit/pytest-<version>.xml with a real pytest run:
 * starts the repository's scripted OpenAI-compatible server (test/support/scripted-llm-server.ts),
 * runs the GenAI check suite in this folder (test_genai_checks.py) against its "bad" model with
 * Debian's pytest (`apt-get install -y python3-pytest`; PYTHON overrides /usr/bin/python3) and
 * `--junitxml`. Not part of npm test:
 *
 *   npx tsx scripts/genai/junit-fixture/run.ts
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { startScriptedServer } from '../../../test/support/scripted-llm-server.ts';

const here = import.meta.dirname;
const root = path.resolve(here, '../../..');
const python = process.env.PYTHON ?? '/usr/bin/python3';
const version = execFileSync(python, ['-c', 'import pytest; print(pytest.__version__)'], {
  encoding: 'utf8',
}).trim();
const out = path.join(root, 'test/fixtures/genai/junit', `pytest-${version}.xml`);
const server = await startScriptedServer();
try {
  // pytest runs in the suite's folder so its pytest.ini is the rootdir configuration.
  // (asynchronously: the server answers from this process's event loop)
  const child = spawn(python, ['-m', 'pytest', '-q', '--tb=short', `--junitxml=${out}`], {
    cwd: here,
    stdio: 'inherit',
    env: { ...process.env, ASSAY_LLM_URL: server.url, ASSAY_LLM_MODEL: 'bad', PYTHONDONTWRITEBYTECODE: '1' },
  });
  const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  // pytest exits 1 when tests fail, which the suite is built to show; 2+ is a broken run.
  if (status !== 0 && status !== 1) throw new Error(`pytest exited ${status}`);
  console.log(`wrote ${path.relative(root, out)} (pytest ${version}, ${server.requests()} requests)`);
} finally {
  await server.close();
}
