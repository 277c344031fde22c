import { spawn } from 'node:child_process';
import { InputError } from '../load/input-error.ts';
import type { FeatureSpec, Matrix } from './features.ts';
import { ModelRunner } from './runner.ts';

const csvField = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/**
 * A model behind a command the user gives: run once per batch (through the shell), it reads CSV
 * on standard input (a header of the feature names, then one row per line; categories as their
 * text, missing values empty) and writes one score per line on standard output.
 */
export class CommandRunner extends ModelRunner {
  constructor(
    command: string,
    features: FeatureSpec[],
    options: { budget?: number; batchSize?: number } = {},
  ) {
    super('command', command, features, null, options.budget, options.batchSize ?? 50_000);
  }

  protected async score(batch: Matrix): Promise<Float64Array> {
    const lines = [this.features.map((f) => csvField(f.name)).join(',')];
    for (let i = 0; i < batch.rows; i++) {
      const cells: string[] = [];
      for (let j = 0; j < batch.cols; j++) {
        const v = batch.data[i * batch.cols + j] as number;
        const categories = this.features[j]?.categories;
        if (Number.isNaN(v)) cells.push('');
        else if (categories) cells.push(csvField(categories[v] ?? String(v)));
        else cells.push(String(v));
      }
      lines.push(cells.join(','));
    }
    const stdout = await run(this.source, `${lines.join('\n')}\n`);
    const values = stdout.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (values.length !== batch.rows) {
      throw new InputError(
        `model command '${this.source}' wrote ${values.length} scores for ${batch.rows} rows (one number a line expected)`,
      );
    }
    return Float64Array.from(values, (line, i) => {
      const n = Number(line.trim());
      if (!Number.isFinite(n)) {
        throw new InputError(
          `model command '${this.source}': line ${i + 1} of its output is not a number: '${line}'`,
        );
      }
      return n;
    });
  }
}

function run(command: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { shell: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new InputError(`model command '${command}': ${e.message}`)));
    child.stdin.on('error', () => {}); // a command that exits early is reported by its exit code
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else {
        const message = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' / ');
        reject(
          new InputError(`model command '${command}' exited with ${code}${message ? `: ${message}` : ''}`),
        );
      }
    });
    child.stdin.end(input);
  });
}
