#!/usr/bin/env node
// Runs Assay's built-in red-team suite (`assay redteam`) against a real, tiny language model
// served in process by node-llama-cpp behind an OpenAI-compatible chat completions endpoint.
// Not part of `npm test`; see docs/genai.md, "Against a real small model".
//
//   node scripts/genai/small-model/run.mjs [--out DIR] [--max-tokens N] [--seed S]
//
// 1. builds the GGUF (make_tiny_gguf.py: a random-weight llama, ~469 KB) into out/ if missing;
// 2. installs node-llama-cpp 3.21.1 into this folder (its own node_modules, ~730 MB, never a
//    dependency of the project) if missing;
// 3. serves POST /v1/chat/completions on 127.0.0.1 (a free port) from the model: one request at a
//    time, one thread, greedy sampling, at most --max-tokens tokens, node-llama-cpp's general chat
//    wrapper, OpenAI tools as node-llama-cpp functions;
// 4. runs `node bin/assay.mjs redteam` against it with the support-assistant system prompt, tools
//    and retrieved context in app/, writing transcript.jsonl and genai.json to --out
//    (default out/run/), and prints the rates per category.
// The weights are random: the rates say nothing about any real model's safety. The run proves the
// suite end to end against a real inference engine.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const here = import.meta.dirname;
const root = path.resolve(here, '../../..');
const modelPath = path.join(here, 'out', 'tiny-llama.gguf');
const MODEL_NAME = 'assay-tiny-random-llama';

function fail(message) {
  process.stderr.write(`small-model: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { out: path.join(here, 'out', 'run'), maxTokens: 48, seed: 'small-model' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--help' || a === '-h') {
      process.stdout.write(
        'usage: node scripts/genai/small-model/run.mjs [--out DIR] [--max-tokens N] [--seed S]\n',
      );
      process.exit(0);
    }
    if (v === undefined || !['--out', '--max-tokens', '--seed'].includes(a))
      fail(`unknown or incomplete option ${a}`);
    if (a === '--out') opts.out = path.resolve(v);
    if (a === '--seed') opts.seed = v;
    if (a === '--max-tokens') {
      opts.maxTokens = Number(v);
      if (!Number.isInteger(opts.maxTokens) || opts.maxTokens < 1)
        fail(`--max-tokens must be a positive integer`);
    }
    i++;
  }
  return opts;
}

function buildModel() {
  if (existsSync(modelPath)) return;
  const python = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  process.stderr.write(`small-model: building ${path.relative(root, modelPath)} with ${python}\n`);
  const r = spawnSync(python, [path.join(here, 'make_tiny_gguf.py'), modelPath], { stdio: 'inherit' });
  if (r.error?.code === 'ENOENT')
    fail(
      `${python} not found: install Python 3 with numpy (Debian: apt-get install python3-numpy) or set PYTHON`,
    );
  if (r.error) fail(`${python}: ${r.error.message}`);
  if (r.status !== 0)
    fail(
      `make_tiny_gguf.py exited with ${r.status ?? r.signal} (it needs numpy: apt-get install python3-numpy)`,
    );
}

function installEngine() {
  if (existsSync(path.join(here, 'node_modules', 'node-llama-cpp', 'package.json'))) return;
  process.stderr.write(
    'small-model: installing node-llama-cpp 3.21.1 into scripts/genai/small-model/ (~730 MB)\n',
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', here, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.error) fail(`npm: ${r.error.message}`);
  if (r.status !== 0)
    fail(
      `npm install of node-llama-cpp failed (exit ${r.status ?? r.signal}); it needs the npm registry once`,
    );
}

/** OpenAI chat messages → node-llama-cpp chat history; throws on what the wrapper cannot express. */
function toHistory(messages) {
  if (!Array.isArray(messages) || messages.length === 0)
    throw new Error('messages must be a non-empty array');
  return messages.map((m, i) => {
    const text = typeof m?.content === 'string' ? m.content : null;
    if (text === null) throw new Error(`messages[${i}].content must be a string`);
    if (m.role === 'system' || m.role === 'developer') return { type: 'system', text };
    if (m.role === 'user') return { type: 'user', text };
    if (m.role === 'assistant') return { type: 'model', response: [text] };
    throw new Error(`messages[${i}].role ${JSON.stringify(m.role)} is not supported`);
  });
}

/** OpenAI tools → node-llama-cpp functions (grammar-constrained calls when the model starts one). */
function toFunctions(tools) {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) throw new Error('tools must be an array');
  const functions = {};
  for (const t of tools) {
    const name = t?.function?.name;
    if (t?.type !== 'function' || typeof name !== 'string')
      throw new Error('each tool must be a named function');
    functions[name] = { description: t.function.description, params: t.function.parameters };
  }
  return functions;
}

async function startServer(maxTokens) {
  const { getLlama, LlamaChat, GeneralChatWrapper } = await import('node-llama-cpp');
  const t0 = Date.now();
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error' });
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const context = await model.createContext({ contextSize: 8192, sequences: 1, threads: 1 });
  const sequence = context.getSequence();
  process.stderr.write(`small-model: engine and model loaded in ${Date.now() - t0} ms (threads: 1, CPU)\n`);
  const stats = { requests: 0, completionTokens: 0, generationMs: 0 };

  // One sequence: requests are answered one at a time, each from a cleared context.
  let queue = Promise.resolve();
  const complete = (body) => {
    const run = queue.then(async () => {
      await sequence.clearHistory();
      const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: new GeneralChatWrapper() });
      try {
        const started = Date.now();
        const before = sequence.tokenMeter.getState().usedOutputTokens;
        const r = await chat.generateResponse(toHistory(body.messages), {
          maxTokens,
          temperature: 0,
          functions: toFunctions(body.tools),
        });
        const used = sequence.tokenMeter.getState().usedOutputTokens - before;
        stats.requests++;
        stats.completionTokens += used;
        stats.generationMs += Date.now() - started;
        return { r, used };
      } finally {
        chat.dispose({ disposeSequence: false });
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const server = http.createServer((req, res) => {
    const send = (status, json) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
      return send(404, { error: { message: `no route ${req.method} ${req.url}` } });
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        toHistory(body.messages);
        toFunctions(body.tools);
      } catch (e) {
        return send(400, { error: { message: e.message, type: 'invalid_request_error' } });
      }
      try {
        const { r, used } = await complete(body);
        const calls = (r.functionCalls ?? []).map((c, i) => ({
          id: `call_${i}`,
          type: 'function',
          function: { name: c.functionName, arguments: JSON.stringify(c.params ?? {}) },
        }));
        send(200, {
          id: `chatcmpl-${stats.requests}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: MODEL_NAME,
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: r.response,
                ...(calls.length ? { tool_calls: calls } : {}),
              },
              finish_reason: calls.length
                ? 'tool_calls'
                : r.metadata.stopReason === 'maxTokens'
                  ? 'length'
                  : 'stop',
            },
          ],
          usage: { completion_tokens: used },
        });
      } catch (e) {
        send(500, { error: { message: `generation failed: ${e.message}` } });
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/v1`,
    stats,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

function runRedteam(url, opts) {
  const app = path.join(here, 'app');
  const args = [
    path.join(root, 'bin', 'assay.mjs'),
    'redteam',
    '--endpoint',
    url,
    '--target-model',
    MODEL_NAME,
    '--system-prompt',
    path.join(app, 'system-prompt.txt'),
    '--tools',
    path.join(app, 'tools.json'),
    '--context',
    path.join(app, 'context.txt'),
    '--seed',
    opts.seed,
    '--concurrency',
    '1',
    '--retries',
    '0',
    '--timeout',
    '120000',
    '--text',
    'all',
    '--out',
    opts.out,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? signal));
  });
}

const opts = parseArgs(process.argv.slice(2));
buildModel();
installEngine();
const started = Date.now();
const server = await startServer(opts.maxTokens);
let status;
try {
  process.stderr.write(`small-model: serving ${MODEL_NAME} at ${server.url}\n`);
  status = await runRedteam(server.url, opts);
} finally {
  await server.close();
}
if (status !== 0) fail(`assay redteam exited with ${status}`);
const doc = JSON.parse(readFileSync(path.join(opts.out, 'genai.json'), 'utf8'));
// The document is derived evidence: re-deriving it from the raw transcript must give the same rows.
const again = spawnSync(
  process.execPath,
  [
    path.join(root, 'bin', 'assay.mjs'),
    'genai',
    'import',
    path.join(opts.out, 'transcript.jsonl'),
    '--tool',
    'assay-redteam',
    '--text',
    'all',
    '--json',
  ],
  { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
);
if (again.status !== 0) fail(`assay genai import of the transcript failed: ${again.stderr}`);
const rederived = JSON.parse(again.stdout);
if (JSON.stringify([rederived.tests, rederived.rates]) !== JSON.stringify([doc.tests, doc.rates]))
  fail('genai.json differs from the document re-derived from transcript.jsonl');
const { requests, completionTokens, generationMs } = server.stats;
const shown = path.relative(process.cwd(), opts.out);
const outShown = shown.startsWith('..') ? opts.out : shown || '.';
const failed = doc.tests.filter((t) => t.outcome === 'fail').length;
const errors = doc.tests.filter((t) => t.outcome === 'error').length;
process.stdout.write(
  `small-model: ${doc.format}: ${doc.tests.length} tests (${failed} failed, ${errors} errors), ` +
    `re-derived from the transcript identically; ${outShown}/genai.json\n` +
    `small-model: ${requests} completions, ${completionTokens} tokens generated in ${generationMs} ms; ${Date.now() - started} ms in all\n`,
);
