import { readFile } from 'node:fs/promises';
import { InputError } from '../load/input-error.ts';
import { CommandRunner } from './command-runner.ts';
import { type FeatureSpec, parseFeatureSpecs } from './features.ts';
import { OipRunner } from './oip-runner.ts';
import { OnnxRunner } from './onnx-runner.ts';
import type { ModelRunner } from './runner.ts';

/** How to reach a model: an ONNX file or OIP URL (`model`), or a command; and its features. */
export interface RunnerOptions {
  /** An ONNX file, or an Open Inference Protocol model URL (http[s]://…/v2/models/NAME). */
  model?: string;
  /** A command reading CSV rows on stdin and writing one score per line. */
  command?: string;
  /** A JSON file listing the features ([{name, categories?}]); overrides the ONNX metadata. */
  featuresSpec?: string;
  /** Feature names (numeric unless the data's column is text). */
  features?: string[];
  budget?: number;
}

/** Opens the runner the options name (one of model or command). */
export async function openRunner(options: RunnerOptions): Promise<ModelRunner> {
  if ((options.model === undefined) === (options.command === undefined)) {
    throw new InputError(
      'give one model: an ONNX file or OIP URL (--scorer), or a command (--scorer-command)',
    );
  }
  let features: FeatureSpec[] | undefined;
  if (options.featuresSpec !== undefined) {
    let text: string;
    try {
      text = await readFile(options.featuresSpec, 'utf8');
    } catch {
      throw new InputError(`${options.featuresSpec}: no such features file`);
    }
    features = parseFeatureSpecs(text, options.featuresSpec);
  } else if (options.features !== undefined) {
    features = options.features.map((name) => ({ name }));
  }
  const budget = options.budget !== undefined ? { budget: options.budget } : {};
  if (options.command !== undefined) {
    if (!features) throw new InputError('a model command needs its features: --features or --features-spec');
    return new CommandRunner(options.command, features, budget);
  }
  const model = options.model as string;
  if (/^https?:\/\//i.test(model)) {
    if (!features) throw new InputError('a served model needs its features: --features or --features-spec');
    return OipRunner.open(model, { features, ...budget });
  }
  return OnnxRunner.open(model, { ...(features ? { features } : {}), ...budget });
}
