import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addManifestCommands, describeCommand, type ManifestCommand } from '../src/cli/command-manifest.ts';
import { COMMAND_MODULES, registerCommands } from '../src/cli/commands.ts';
import { createProgram, wantsProgramHelp } from '../src/cli/program.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

async function realProgram(): Promise<Command> {
  const program = createProgram();
  await registerCommands(program);
  return program;
}

/** Every command of a tree, keyed by its path ("assay models list"). */
function walk(cmd: Command, prefix = ''): Map<string, Command> {
  const name = prefix ? `${prefix} ${cmd.name()}` : cmd.name();
  const out = new Map<string, Command>([[name, cmd]]);
  for (const sub of cmd.commands) for (const [k, v] of walk(sub, name)) out.set(k, v);
  return out;
}

describe('the command manifest (assay --help without loading the command modules)', () => {
  it('the help rebuilt from the manifest is the help of the real definitions, for every command', async () => {
    const real = await realProgram();
    const manifest = JSON.parse(JSON.stringify(describeCommand(real))) as ManifestCommand;
    const rebuilt = addManifestCommands(createProgram(), manifest);
    const a = walk(real);
    const b = walk(rebuilt);
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect(a.size).toBeGreaterThan(100);
    for (const [name, cmd] of a) expect(b.get(name)?.helpInformation(), name).toBe(cmd.helpInformation());
  }, 60_000);

  it("the bundle's manifest (dist/cli/commands.json, made by npm run build:cli) describes the sources", async () => {
    const file = path.join(ROOT, 'dist/cli/commands.json');
    expect(fs.existsSync(file), 'run npm run build:cli').toBe(true);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(describeCommand(await realProgram()))),
    );
  }, 60_000);

  it('a usage error in a rebuilt command is the same as in the real one', async () => {
    const run = async (program: Command, argv: string[]): Promise<string> => {
      let err = '';
      const quiet = (cmd: Command): void => {
        cmd.exitOverride().configureOutput({ writeErr: (s) => (err += s), writeOut: () => {} });
        for (const sub of cmd.commands) quiet(sub);
      };
      quiet(program);
      try {
        await program.parseAsync(argv, { from: 'user' });
      } catch {}
      return err;
    };
    const manifest = describeCommand(await realProgram());
    for (const argv of [['modles'], ['models', 'lst'], ['gate'], ['--nope']]) {
      const expected = await run(await realProgram(), argv);
      expect(expected).not.toBe('');
      expect(await run(addManifestCommands(createProgram(), manifest), argv), argv.join(' ')).toBe(expected);
    }
  }, 60_000);

  it('is used only when the command line asks for the program help or names no command', () => {
    const known = new Set(COMMAND_MODULES.flatMap((m) => m.commands));
    const argv = (...rest: string[]) => ['node', 'assay', ...rest];
    expect(wantsProgramHelp(argv(), known)).toBe(true);
    expect(wantsProgramHelp(argv('--help'), known)).toBe(true);
    expect(wantsProgramHelp(argv('-h'), known)).toBe(true);
    expect(wantsProgramHelp(argv('help'), known)).toBe(true);
    expect(wantsProgramHelp(argv('modles'), known)).toBe(true);
    expect(wantsProgramHelp(argv('help', 'models'), known)).toBe(false);
    expect(wantsProgramHelp(argv('models', 'list'), known)).toBe(false);
    expect(wantsProgramHelp(argv('models', '--help'), known)).toBe(false);
    expect(wantsProgramHelp(argv('--url', 'x', 'models'), known)).toBe(false);
  });

  it('assay --help from the bundle prints every command', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/assay.mjs'), '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    for (const name of new Set(COMMAND_MODULES.flatMap((m) => m.commands)))
      expect(r.stdout).toContain(`  ${name}`);
  }, 60_000);
});
