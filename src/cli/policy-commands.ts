import fs from 'node:fs';
import type { Command } from 'commander';
import { CliError, ExitCode } from './exit.ts';
import {
  addRemoteOptions,
  printJson,
  printRecord,
  printTable,
  type RemoteOptions,
  withClient,
} from './remote.ts';

type Opts = RemoteOptions & { json?: boolean };

const VERSION_COLUMNS = ['version', 'state', 'active', 'createdBy', 'createdAt', 'decidedBy', 'decidedAt'];

function readPolicyFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`${file}: no such file`);
  }
}

function versionNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`expected a policy version number, got '${value}'`);
  return n;
}

function describeVersion(v: {
  version: number;
  state: string;
  active: boolean;
  sha256: string;
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  baseVersion: number | null;
}): Record<string, unknown> {
  return {
    version: v.version,
    state: v.state,
    active: v.active,
    sha256: v.sha256,
    proposedBy: v.createdBy,
    proposedAt: v.createdAt,
    baseVersion: v.baseVersion,
    decidedBy: v.decidedBy,
    decidedAt: v.decidedAt,
    note: v.decisionNote,
  };
}

/**
 * `assay policy show|versions|validate|apply|approve|reject`: the model risk policy. Applying a
 * policy proposes it; it takes effect when a second person approves the proposed version.
 */
export function registerPolicyCommands(program: Command): void {
  const policy = program
    .command('policy')
    .description('The model risk policy: show, validate, propose (apply) and approve or reject versions');

  addRemoteOptions(
    policy
      .command('show')
      .description('The active policy (its YAML with --yaml)')
      .option('--yaml', 'print only the YAML text')
      .option('--json', 'print JSON'),
  ).action(async (o: Opts & { yaml?: boolean }) => {
    const active = await withClient(o, (c) => c.policy.show());
    if (o.json) printJson(active);
    else if (o.yaml) process.stdout.write(active.yaml.endsWith('\n') ? active.yaml : `${active.yaml}\n`);
    else printRecord(describeVersion(active));
  });

  addRemoteOptions(
    policy.command('versions').description('Every stored policy version, newest first').option('--json'),
  ).action(async (o: Opts) => {
    const versions = await withClient(o, (c) => c.policy.versions());
    if (o.json) printJson({ items: versions });
    else printTable(versions, VERSION_COLUMNS);
  });

  policy
    .command('validate <file>')
    .description('Check a policy YAML file offline: every problem with its line and field (exit 2 if any)')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const yaml = readPolicyFile(file);
      const { parsePolicyYaml, policySha256 } = await import('../governance/policy/policy-document.ts');
      const { ValidationError } = await import('../platform/errors.ts');
      // The server checks the compliance mappings against the catalogs too (issue 18).
      const { complianceMappingIssues } = await import('../governance/compliance/policy-mapping-check.ts');
      try {
        parsePolicyYaml(yaml, [(doc) => complianceMappingIssues(doc)]);
        if (o.json) printJson({ valid: true, sha256: policySha256(yaml), issues: [] });
        else process.stdout.write(`${file}: a valid policy (sha256 ${policySha256(yaml)})\n`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const issues = Array.isArray(err.details.issues) ? err.details.issues : [];
        if (o.json) printJson({ valid: false, message: err.message, issues });
        else {
          process.stdout.write(`${file}: not a valid policy: ${err.message}\n`);
          for (const i of issues as { line: number | null; field: string; message: string }[])
            process.stdout.write(`  ${i.line ? `line ${i.line}, ` : ''}${i.field}: ${i.message}\n`);
        }
        process.exitCode = ExitCode.badInput;
      }
    });

  addRemoteOptions(
    policy
      .command('apply <file>')
      .description(
        'Propose this policy YAML as the next version; it takes effect when a second person approves it (assay policy approve)',
      )
      .option('--if-match <version>', 'refuse (409) unless this is still the active version')
      .option('--json', 'print JSON'),
  ).action(async (file: string, o: Opts & { ifMatch?: string }) => {
    const yaml = readPolicyFile(file);
    const ifMatch = o.ifMatch === undefined ? undefined : versionNumber(o.ifMatch);
    const proposed = await withClient(o, (c) => c.policy.propose(yaml, { ifMatch }));
    if (o.json) printJson(proposed);
    else if (!proposed.changed && proposed.state !== 'proposed')
      process.stdout.write(`unchanged: the policy is already version ${proposed.version}\n`);
    else
      process.stdout.write(
        `proposed policy version ${proposed.version} (sha256 ${proposed.sha256.slice(0, 12)}…); ` +
          `it takes effect when a second person approves it: assay policy approve ${proposed.version}\n`,
      );
  });

  for (const outcome of ['approve', 'reject'] as const)
    addRemoteOptions(
      policy
        .command(`${outcome} <version>`)
        .description(
          outcome === 'approve'
            ? 'Approve a proposed policy version (not its proposer); it becomes the active policy'
            : 'Reject a proposed policy version (not its proposer)',
        )
        .option('--note <text>', 'why')
        .option('--json', 'print JSON'),
    ).action(async (version: string, o: Opts & { note?: string }) => {
      const n = versionNumber(version);
      const decided = await withClient(o, (c) =>
        outcome === 'approve' ? c.policy.approve(n, o.note) : c.policy.reject(n, o.note),
      );
      if (o.json) printJson(decided);
      else printRecord(describeVersion(decided));
    });
}
