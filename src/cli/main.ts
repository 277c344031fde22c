import { readFileSync } from 'node:fs';
import { addManifestCommands, type ManifestCommand } from './command-manifest.ts';
import { COMMAND_MODULES, registerCommands } from './commands.ts';
import { runProgram } from './exit.ts';
import { createProgram, wantsProgramHelp } from './program.ts';

/** The bundle's command manifest (dist/cli/commands.json); null when running from the sources. */
function bundledManifest(): ManifestCommand | null {
  try {
    return JSON.parse(readFileSync(new URL('./commands.json', import.meta.url), 'utf8')) as ManifestCommand;
  } catch {
    return null;
  }
}

const program = createProgram();
const known = new Set(COMMAND_MODULES.flatMap((m) => m.commands));
// `assay --help` (or no command, or an unknown one) prints from the manifest the build made of every
// command's definition, loading no command module. Otherwise only the module(s) of the command being
// run are loaded (`assay gate` does not load the server, the store or the engine), and their
// definitions import what an action needs only when it runs.
const manifest = wantsProgramHelp(process.argv, known) ? bundledManifest() : null;
if (manifest) addManifestCommands(program, manifest);
else await registerCommands(program, process.argv[2]);
await runProgram(program, process.argv);
