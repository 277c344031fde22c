import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { GenAiDocument, GenAiTextPolicy } from '../contracts/genai.ts';
import { CliError } from './exit.ts';
import { registerGenAiReportCommands } from './genai-report-commands.ts';
import { addRemoteOptions, type RemoteOptions } from './remote.ts';
import { parsePushTarget } from './validate.ts';

const TEXT = ['none', 'failed', 'all'];

function textPolicy(v: string): GenAiTextPolicy {
  if (!TEXT.includes(v)) throw new CliError(`--text must be one of ${TEXT.join(', ')}, got '${v}'`);
  return v as GenAiTextPolicy;
}

function positive(v: string | undefined, flag: string, integer = true): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new CliError(`${flag} must be a positive ${integer ? 'integer' : 'number'}, got '${v}'`);
  return n;
}

async function readText(file: string | undefined, flag: string): Promise<string | null> {
  if (file === undefined) return null;
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(`${flag}: cannot read ${file}: ${(e as Error).message}`);
  }
}

/** One line per category: failures/n, rate and interval. */
export function summary(doc: GenAiDocument): string {
  const lines = doc.rates.map((r) => {
    const rate = r.rate === null ? '   n/a' : `${(r.rate * 100).toFixed(1).padStart(5)}%`;
    const ci = r.interval
      ? ` [${(r.interval.lower * 100).toFixed(1)}–${(r.interval.upper * 100).toFixed(1)}]`
      : '';
    return `  ${r.category.padEnd(28)} ${String(r.failures).padStart(4)}/${String(r.n).padEnd(4)} ${rate}${ci}${r.errors ? `  (${r.errors} unscored)` : ''}  ${r.name}`;
  });
  return [
    `${doc.source.tool} ${doc.source.tool_version ?? ''}: ${doc.tests.length} tests, target ${doc.target_model ?? 'unknown'}`,
    ...lines,
    ...doc.notes.map((n) => `  note: ${n}`),
  ].join('\n');
}

/**
 * Before a run that will be attached: checks the version exists and judges the document by the
 * server's active policy (`genaiThresholds`) and the model's tier, recording which policy.
 */
async function judge(remote: RemoteOptions, target: string): Promise<(doc: GenAiDocument) => GenAiDocument> {
  const [{ withClient }, { activePolicySchema, policyDocumentSchema }, { suggestGenAiFindings }] =
    await Promise.all([
      import('./remote.ts'),
      import('../contracts/policy.ts'),
      import('../engine/genai/genai-findings.ts'),
    ]);
  const t = parsePushTarget(target);
  return withClient(remote, async (client) => {
    const model = await client.models.get(t.modelKey);
    await client.versions.get(t.modelKey, t.versionLabel);
    const active = await client.transport.call('GET', '/api/v1/policy', { schema: activePolicySchema });
    const rules = policyDocumentSchema.parse(active.document).genaiThresholds ?? [];
    const tier = model.tier ?? null;
    return (doc) => ({
      ...doc,
      suggested_findings: suggestGenAiFindings(doc.rates, rules, tier),
      judged_by: {
        policy_version: active.version,
        policy_sha256: active.sha256,
        source: `${client.transport.baseUrl} (active policy)`,
        tier,
      },
    });
  });
}

/** Attaches the raw file and the derived document to a version as `genai_evaluation` evidence. */
async function push(
  remote: RemoteOptions,
  target: string,
  raw: { name: string; bytes: Uint8Array; mediaType: string },
  doc: GenAiDocument,
  review?: string,
) {
  const { withClient } = await import('./remote.ts');
  const t = parsePushTarget(target);
  return withClient(remote, async (client) => {
    const producedBy = {
      tool: doc.source.tool === 'assay-redteam' ? 'assay-redteam' : `assay-genai-import (${doc.source.tool})`,
      version: doc.source.tool_version ?? undefined,
    };
    const common = { type: 'genai_evaluation' as const, producedBy, ...(review ? { reviewId: review } : {}) };
    const rawEvidence = await client.evidence.upload(
      t.modelKey,
      t.versionLabel,
      {
        ...common,
        title: `GenAI results (${doc.source.tool}, raw)`,
        description: `raw result file, sha256 ${doc.source.sha256}`,
      },
      { filename: raw.name, mediaType: raw.mediaType, content: new Uint8Array(raw.bytes) },
    );
    const json = new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);
    const normalised = await client.evidence.upload(
      t.modelKey,
      t.versionLabel,
      {
        ...common,
        title: `GenAI evaluation (assay.genai/v1, ${doc.source.tool})`,
        description: `derived by ${doc.derived.importer} from evidence ${rawEvidence.id}`,
        inputs: [`raw:${raw.name} sha256:${doc.source.sha256} evidence:${rawEvidence.id}`],
      },
      { filename: 'genai.json', mediaType: 'application/json', content: json },
    );
    return [rawEvidence, normalised];
  });
}

interface RedteamOptions extends RemoteOptions {
  endpoint: string;
  targetModel: string;
  apiKeyEnv?: string;
  systemPrompt?: string;
  tools?: string;
  context?: string;
  dangerousTools?: string;
  judgeEndpoint?: string;
  judgeModel?: string;
  concurrency: string;
  retries: string;
  rate?: string;
  budget?: string;
  timeout: string;
  seed?: string;
  text: string;
  out: string;
  model?: string;
  review?: string;
}

export function registerGenAiCommands(program: Command): void {
  addRemoteOptions(
    program
      .command('redteam')
      .description("run Assay's built-in red-team suite against an OpenAI-compatible chat endpoint")
      .requiredOption('--endpoint <url>', 'base URL of the OpenAI-compatible API (…/v1)')
      .requiredOption('--target-model <name>', 'model name sent to the endpoint')
      .option('--api-key-env <VAR>', 'environment variable holding the API key')
      .option('--system-prompt <file>', "the application's system prompt")
      .option('--tools <file>', 'OpenAI tools JSON (array) the application offers')
      .option('--context <file>', 'retrieval context given to the model')
      .option(
        '--dangerous-tools <names>',
        'comma-separated tools that must not be called on harmful requests (default: all)',
      )
      .option('--judge-endpoint <url>', 'optional judge endpoint for graded checks')
      .option('--judge-model <name>', 'judge model name')
      .option('--concurrency <n>', 'requests in flight', '4')
      .option('--retries <n>', 'retries per request (exponential backoff)', '3')
      .option('--rate <n>', 'request starts per second')
      .option('--budget <n>', 'most requests to send, retries and judge calls included')
      .option('--timeout <ms>', 'per-request timeout', '60000')
      .option('--seed <s>', 'seed of the planted canaries (default: random, recorded)')
      .option(
        '--text <policy>',
        'prompt/response text kept in the document (redacted): none | failed | all',
        'failed',
      )
      .requiredOption('--out <dir>', 'write transcript.jsonl and genai.json here')
      .option('--model <key@version>', 'attach both to this model version as genai_evaluation evidence')
      .option('--review <id>', 'with --model: the open review the run is produced for'),
  ).action(async (opts: RedteamOptions) => {
    const text = textPolicy(opts.text);
    const toolsText = await readText(opts.tools, '--tools');
    let tools: unknown[] = [];
    if (toolsText !== null) {
      try {
        tools = JSON.parse(toolsText) as unknown[];
      } catch (e) {
        throw new CliError(`--tools: ${opts.tools} is not JSON: ${(e as Error).message}`);
      }
      if (!Array.isArray(tools))
        throw new CliError('--tools must hold a JSON array of OpenAI tool definitions');
    }
    if ((opts.judgeEndpoint === undefined) !== (opts.judgeModel === undefined))
      throw new CliError('--judge-endpoint and --judge-model go together');
    const [{ buildSuite }, { runSuite }, { importRedteamTranscript }, { StageBar }] = await Promise.all([
      import('../engine/genai/redteam-suite.ts'),
      import('../engine/genai/redteam-runner.ts'),
      import('../engine/genai/redteam-transcript.ts'),
      import('./progress-bar.ts'),
    ]);
    const config = {
      systemPrompt: await readText(opts.systemPrompt, '--system-prompt'),
      tools,
      context: await readText(opts.context, '--context'),
      dangerousTools: opts.dangerousTools ? opts.dangerousTools.split(',').map((s) => s.trim()) : null,
      seed: opts.seed ?? randomBytes(8).toString('hex'),
    };
    const judgeDoc = opts.model ? await judge(opts, opts.model) : (d: GenAiDocument) => d;
    const apiKey = opts.apiKeyEnv ? process.env[opts.apiKeyEnv] : undefined;
    if (opts.apiKeyEnv && !apiKey) throw new CliError(`--api-key-env: ${opts.apiKeyEnv} is not set`);
    const cases = buildSuite(config);
    const bar = new StageBar('assay redteam');
    const result = await runSuite(
      cases,
      config,
      {
        target: { url: opts.endpoint, model: opts.targetModel, apiKey },
        judge:
          opts.judgeEndpoint && opts.judgeModel
            ? { url: opts.judgeEndpoint, model: opts.judgeModel, apiKey }
            : undefined,
        concurrency: positive(opts.concurrency, '--concurrency'),
        retries: Number(opts.retries),
        ratePerSecond: positive(opts.rate, '--rate', false),
        budget: positive(opts.budget, '--budget'),
        timeoutMs: positive(opts.timeout, '--timeout'),
        onProgress: (done, total) => bar.update(`sending ${total} cases`, done / total),
      },
      new Date().toISOString(),
    );
    const bytes = new TextEncoder().encode(result.transcript);
    const doc = judgeDoc(importRedteamTranscript(bytes, { text, filename: 'transcript.jsonl' }));
    await mkdir(opts.out, { recursive: true });
    await writeFile(path.join(opts.out, 'transcript.jsonl'), bytes);
    await writeFile(path.join(opts.out, 'genai.json'), `${JSON.stringify(doc, null, 2)}\n`);
    bar.done(`${cases.length} cases, ${result.requests} requests`);
    process.stdout.write(`${summary(doc)}\n`);
    if (opts.model) {
      const attached = await push(
        opts,
        opts.model,
        { name: 'transcript.jsonl', bytes, mediaType: 'application/x-ndjson' },
        doc,
        opts.review,
      );
      for (const e of attached)
        process.stderr.write(
          `assay redteam: attached ${e.file?.filename} to ${opts.model} as evidence ${e.id}\n`,
        );
    }
  });

  const genai = program.command('genai').description('GenAI evaluation evidence');
  registerGenAiReportCommands(genai);
  addRemoteOptions(
    genai
      .command('import <file>')
      .description('normalise a promptfoo, garak, Inspect (.eval) or JUnit result file to assay.genai/v1')
      .option('--tool <tool>', 'promptfoo | garak | inspect | junit | assay-redteam (default: detected)')
      .option('--text <policy>', 'prompt/response text kept (redacted): none | failed | all', 'none')
      .option('--out <file>', 'write the document here (default: print a summary)')
      .option('--json', 'print the document on standard output')
      .option('--model <key@version>', 'attach the raw file and the document to this model version')
      .option('--review <id>', 'with --model: the open review the results are produced for'),
  ).action(
    async (
      file: string,
      opts: RemoteOptions & {
        tool?: string;
        text: string;
        out?: string;
        json?: boolean;
        model?: string;
        review?: string;
      },
    ) => {
      const [{ importResultFile }, { InputError }] = await Promise.all([
        import('../governance/genai/import-file.ts'),
        import('../engine/load/input-error.ts'),
      ]);
      const tools = ['promptfoo', 'garak', 'inspect', 'junit', 'assay-redteam'];
      if (opts.tool !== undefined && !tools.includes(opts.tool))
        throw new CliError(`--tool must be one of ${tools.join(', ')}`);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
      }
      const judgeDoc = opts.model ? await judge(opts, opts.model) : (d: GenAiDocument) => d;
      let doc: GenAiDocument;
      try {
        doc = await importResultFile(bytes, {
          text: textPolicy(opts.text),
          filename: path.basename(file),
          ...(opts.tool ? { tool: opts.tool as 'garak' } : {}),
        });
      } catch (e) {
        if (e instanceof InputError) throw new CliError(e.message);
        throw e;
      }
      doc = judgeDoc(doc);
      if (opts.out) await writeFile(opts.out, `${JSON.stringify(doc, null, 2)}\n`);
      process.stdout.write(opts.json ? `${JSON.stringify(doc, null, 2)}\n` : `${summary(doc)}\n`);
      if (opts.model) {
        const mediaType =
          doc.source.tool === 'inspect'
            ? 'application/zip'
            : doc.source.tool === 'junit'
              ? 'application/xml'
              : 'application/json';
        const attached = await push(
          opts,
          opts.model,
          { name: path.basename(file), bytes, mediaType },
          doc,
          opts.review,
        );
        for (const e of attached)
          process.stderr.write(
            `assay genai import: attached ${e.file?.filename} to ${opts.model} as evidence ${e.id}\n`,
          );
      }
    },
  );
}
