// Writes the command manifest (command-manifest.ts) of every command module to standard output.
// scripts/build-cli.mjs runs it from the bundle and stores the result as dist/cli/commands.json.
import { describeCommand } from './command-manifest.ts';
import { registerCommands } from './commands.ts';
import { createProgram } from './program.ts';

const program = createProgram();
await registerCommands(program);
process.stdout.write(`${JSON.stringify(describeCommand(program))}\n`);
