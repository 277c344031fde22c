import fs from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { Evidence } from '../contracts/evidence.ts';
import type { Job, ValidationJobParams } from '../contracts/jobs.ts';
import { VALIDATION_TASKS } from '../contracts/validation-evidence.ts';
import type { AssayClient } from '../sdk/index.ts';
import { CliError, ExitCode } from './exit.ts';
import { StageBar } from './progress-bar.ts';
import { addRemoteOptions, printJson, printRecord, type RemoteOptions, withClient } from './remote.ts';
import { addValidationOptions, parsePushTarget } from './validate.ts';

interface JobsValidateOptions extends RemoteOptions {
  data: string;
  reference?: string;
  label?: string;
  score?: string;
  prediction?: string;
  task?: string;
  threshold?: string;
  positiveLabel?: string;
  weight?: string;
  group: string[];
  features?: string;
  categorical?: string;
  minGroupSize?: string;
  confidence?: string;
  review?: string;
  out?: string;
  json?: boolean;
  timeout: string;
}

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function num(value: string | undefined, flag: string, check: (n: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n))
    throw new CliError(`${flag} must be a number in range, got '${value}'`);
  return n;
}

/** What `--data`/`--reference` name: an evidence id of the model, or a local file to upload first. */
async function inputId(
  client: AssayClient,
  key: string,
  label: string,
  value: string,
  role: 'data' | 'reference',
): Promise<string> {
  const stat = fs.statSync(value, { throwIfNoEntry: false });
  if (!stat) return value; // an evidence id: the server checks it belongs to the model
  if (!stat.isFile()) throw new CliError(`--${role} '${value}' is not a file`);
  const name = path.basename(value);
  const uploaded = await client.evidence.upload(
    key,
    label,
    {
      type: 'test_results',
      title: `Validation ${role}: ${name}`,
      description: `uploaded by assay jobs validate as the run's ${role}`,
    },
    {
      filename: name,
      mediaType: /\.parquet$/i.test(name) ? 'application/vnd.apache.parquet' : 'text/csv',
      content: new Uint8Array(await readFile(value)),
    },
  );
  process.stderr.write(`uploaded ${value} as evidence ${uploaded.id}\n`);
  return uploaded.id;
}

/** The job's parameters from the flags (the server validates them again). */
function paramsOf(
  opts: JobsValidateOptions,
  target: { modelKey: string; versionLabel: string },
  data: string,
  reference: string | undefined,
): ValidationJobParams {
  if (opts.task !== undefined && !(VALIDATION_TASKS as readonly string[]).includes(opts.task))
    throw new CliError(`--task must be one of ${VALIDATION_TASKS.join(', ')}, got '${opts.task}'`);
  const threshold = num(opts.threshold, '--threshold', (n) => n >= 0 && n <= 1);
  const minGroupSize = num(opts.minGroupSize, '--min-group-size', (n) => Number.isInteger(n) && n >= 1);
  const confidence = num(opts.confidence, '--confidence', (n) => n > 0 && n < 1);
  const features = list(opts.features);
  const categorical = list(opts.categorical);
  return {
    model: target.modelKey,
    version: target.versionLabel,
    data,
    ...(reference !== undefined ? { reference } : {}),
    ...(opts.label !== undefined ? { label: opts.label } : {}),
    ...(opts.score !== undefined ? { score: opts.score } : {}),
    ...(opts.prediction !== undefined ? { prediction: opts.prediction } : {}),
    ...(opts.task !== undefined ? { task: opts.task as ValidationJobParams['task'] } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(opts.positiveLabel !== undefined ? { positiveLabel: opts.positiveLabel } : {}),
    ...(opts.weight !== undefined ? { weight: opts.weight } : {}),
    ...(opts.group.length > 0 ? { groups: opts.group } : {}),
    ...(features ? { features } : {}),
    ...(categorical ? { categorical } : {}),
    ...(minGroupSize !== undefined ? { minGroupSize } : {}),
    ...(confidence !== undefined ? { confidence } : {}),
    ...(opts.review !== undefined ? { reviewId: opts.review } : {}),
  };
}

/** Follows a job to its end, showing its progress on standard error (a bar on a terminal). */
async function follow(client: AssayClient, job: Job, timeoutMs: number): Promise<Job> {
  const bar = new StageBar(`job ${job.id}`);
  try {
    const done = await client.jobs.wait(job.id, {
      timeoutMs,
      intervalMs: 300,
      onProgress: (j) => {
        if (j.status === 'queued') bar.update('queued, waiting for a worker', 0);
        else if (j.status === 'running') {
          const p = j.progress;
          const fraction = p?.total ? Math.min(1, (p.done ?? 0) / p.total) : 0;
          bar.update(p?.stage ?? 'running', fraction);
        }
      },
    });
    bar.done(`${done.status}${done.worker ? ` on ${done.worker}` : ''}`);
    return done;
  } catch (err) {
    bar.abort();
    throw err;
  }
}

/** `assay jobs validate`: a validation run on the server's workers, followed to its evidence. */
async function jobsValidate(targetArg: string, opts: JobsValidateOptions): Promise<void> {
  const target = parsePushTarget(targetArg);
  const timeoutS = num(opts.timeout, '--timeout', (n) => n > 0);
  await withClient(opts, async (client) => {
    // The model and version first: a 404 now, not after an upload.
    await client.versions.get(target.modelKey, target.versionLabel);
    const data = await inputId(client, target.modelKey, target.versionLabel, opts.data, 'data');
    const reference =
      opts.reference === undefined
        ? undefined
        : await inputId(client, target.modelKey, target.versionLabel, opts.reference, 'reference');
    const params = paramsOf(opts, target, data, reference);
    const queued = await client.jobs.request({ kind: 'validation.run', params });
    process.stderr.write(`requested validation run: job ${queued.id}\n`);
    const job = await follow(client, queued, timeoutS! * 1000);
    if (job.status === 'failed')
      throw new CliError(
        `job ${job.id} failed after ${job.attempts} attempt(s): ${job.error ?? 'no reason given'}`,
        ExitCode.failed,
      );
    const result = job.result as { evidenceSha256?: string; reportSha256?: string; findings?: number };
    // The evidence the job attached: the version's validation reports holding the job's files.
    const attached = (
      await client.evidence.list(target.modelKey, target.versionLabel, { type: 'validation_report' })
    ).concat(
      await client.evidence.list(target.modelKey, target.versionLabel, { type: 'fairness_assessment' }),
    );
    const mine = attached.filter(
      (e: Evidence) =>
        (e.file?.sha256 === result.evidenceSha256 || e.file?.sha256 === result.reportSha256) &&
        (e.description ?? '').includes(`(job ${job.id})`),
    );
    const jsonEvidence = mine.find((e) => e.file?.sha256 === result.evidenceSha256);
    if (opts.out || opts.json) {
      if (!jsonEvidence) throw new CliError(`job ${job.id} succeeded but its evidence is not on the version`);
      const document = await client.evidence.content(jsonEvidence.id);
      if (opts.out) {
        await mkdir(opts.out, { recursive: true });
        await writeFile(path.join(opts.out, 'evidence.json'), document);
        const reportEvidence = mine.find((e) => e.file?.sha256 === result.reportSha256);
        if (reportEvidence)
          await writeFile(
            path.join(opts.out, 'report.html'),
            await client.evidence.content(reportEvidence.id),
          );
        process.stderr.write(`wrote evidence.json and report.html to ${opts.out}\n`);
      }
      if (opts.json) {
        process.stdout.write(document.endsWith('\n') ? document : `${document}\n`);
        return;
      }
    }
    printRecord({
      job: job.id,
      status: job.status,
      worker: job.worker,
      findings: result.findings ?? 0,
      evidence: mine.map((e) => `${e.id} ${e.type} ${e.file?.filename ?? ''}`.trim()).join(', '),
    });
  });
}

export function registerJobCommands(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('Background jobs on the server (run by `assay worker` processes): request and follow them');
  addRemoteOptions(
    addValidationOptions(
      jobs
        .command('validate <key@version>')
        .description(
          'Request a validation run of a model version on the server (a worker runs `assay validate`), follow it and print its evidence',
        )
        .requiredOption(
          '--data <evidence-id|file>',
          'the data: evidence of the model, or a local file uploaded first',
        )
        .option('--reference <evidence-id|file>', 'reference data for drift (evidence id or local file)'),
      false,
    )
      .option('--review <id>', 'the open review of the version the run is produced for')
      .option('--out <dir>', 'save evidence.json and report.html to this directory')
      .option('--json', 'print only the evidence document on standard output')
      .option('--timeout <seconds>', 'give up following the job after this long', '600'),
  ).action(jobsValidate);
  addRemoteOptions(
    jobs
      .command('show <id>')
      .description('Show a job: status, progress, result or error')
      .option('--json', 'print the job as JSON'),
  ).action(async (id: string, opts: RemoteOptions & { json?: boolean }) => {
    const job = await withClient(opts, (client) => client.jobs.get(id));
    if (opts.json) printJson(job);
    else
      printRecord({
        id: job.id,
        kind: job.kind,
        status: job.status,
        progress: job.progress,
        attempts: job.attempts,
        worker: job.worker,
        result: job.result,
        error: job.error,
        created: job.createdAt,
        finished: job.finishedAt,
      });
  });
}
