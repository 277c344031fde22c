import { InputError } from '../load/input-error.ts';
import type { FeatureSpec, Matrix } from './features.ts';
import { ModelRunner } from './runner.ts';

interface TensorMeta {
  name: string;
  datatype: string;
  shape: number[];
}

/** Numeric datatypes Assay sends (OIP's tensor datatypes; BYTES for category names). */
const NUMERIC = new Set([
  'FP32',
  'FP64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
]);

/** How rows become the request's inputs, from the model's metadata. */
type Layout =
  | { kind: 'tensor'; input: TensorMeta }
  | { kind: 'columns'; inputs: { meta: TensorMeta; feature: number }[] };

/**
 * A model served over HTTP with the KServe Open Inference Protocol v2 (REST): the URL names the
 * model (`http://host:port/v2/models/NAME[/versions/V]`); rows go to `POST {url}/infer` as the
 * model's metadata declares its inputs: one tensor [rows, features] of its datatype (FP32 when
 * not declared; FP64; an integer type when every value is an integer), or one input per feature
 * named as the feature (shape [rows]; a categorical feature as BYTES carries its category names,
 * as MLServer's pandas codec does). The score is the last column of the output named
 * `probabilities` (else the first output other than `label`).
 */
export class OipRunner extends ModelRunner {
  private constructor(
    url: string,
    features: FeatureSpec[],
    private readonly layout: Layout,
    private readonly platform: string,
    budget?: number,
    batchSize?: number,
  ) {
    super('oip', url, features, null, budget, batchSize);
  }

  static async open(
    url: string,
    options: { features: FeatureSpec[]; budget?: number; batchSize?: number },
  ): Promise<OipRunner> {
    const base = url.replace(/\/+$/, '');
    if (!/\/v2\/models\/[^/]+(\/versions\/[^/]+)?$/.test(new URL(base).pathname)) {
      throw new InputError(
        `${url}: an Open Inference Protocol model URL ends in /v2/models/NAME or /v2/models/NAME/versions/VERSION`,
      );
    }
    const meta = (await call(base, 'GET')) as { platform?: string; inputs?: TensorMeta[] };
    return new OipRunner(
      base,
      options.features,
      layoutOf(base, meta.inputs ?? [], options.features),
      meta.platform ?? '',
      options.budget,
      options.batchSize ?? 8192,
    );
  }

  protected async score(batch: Matrix): Promise<Float64Array> {
    if (batch.data.some(Number.isNaN)) {
      throw new InputError(
        `${this.source}: a row has a missing value, which the Open Inference Protocol's JSON tensors cannot carry (numbers, strings or booleans only)`,
      );
    }
    const body = { id: `assay-${this.evaluations}`, inputs: this.inputsOf(batch) };
    const answer = (await call(`${this.source}/infer`, 'POST', body)) as {
      outputs?: { name: string; shape: number[]; data: unknown[] }[];
    };
    const outputs = answer.outputs ?? [];
    const output = outputs.find((o) => o.name === 'probabilities') ?? outputs.find((o) => o.name !== 'label');
    if (!output) throw new InputError(`${this.source}: the inference response has no outputs`);
    const data = output.data.flat(Number.POSITIVE_INFINITY) as number[];
    const width = batch.rows === 0 ? 1 : data.length / batch.rows;
    if (!Number.isInteger(width)) {
      throw new InputError(
        `${this.source}: output ${output.name} has ${data.length} values for ${batch.rows} rows`,
      );
    }
    const out = new Float64Array(batch.rows);
    for (let i = 0; i < batch.rows; i++) out[i] = Number(data[i * width + width - 1]);
    return out;
  }

  private inputsOf(batch: Matrix): { name: string; shape: number[]; datatype: string; data: unknown[] }[] {
    const layout = this.layout;
    if (layout.kind === 'tensor') {
      const { name, datatype } = layout.input;
      return [
        { name, shape: [batch.rows, batch.cols], datatype, data: this.numbers(batch.data, datatype, name) },
      ];
    }
    return layout.inputs.map(({ meta, feature }) => {
      const column = Float64Array.from(
        { length: batch.rows },
        (_, i) => batch.data[i * batch.cols + feature] as number,
      );
      const spec = this.features[feature] as FeatureSpec;
      const data =
        meta.datatype === 'BYTES'
          ? Array.from(column, (v) => (spec.categories ? (spec.categories[v] ?? String(v)) : String(v)))
          : this.numbers(column, meta.datatype, meta.name);
      return { name: meta.name, shape: [batch.rows], datatype: meta.datatype, data };
    });
  }

  /** Values as the datatype carries them (float32-rounded for FP32; integers checked). */
  private numbers(values: Float64Array, datatype: string, name: string): number[] {
    if (datatype === 'FP32') return Array.from(values, Math.fround);
    if (datatype.startsWith('FP')) return Array.from(values);
    const bad = values.find((v) => !Number.isInteger(v));
    if (bad !== undefined) {
      throw new InputError(`${this.source}: input ${name} is ${datatype}, and ${bad} is not an integer`);
    }
    return Array.from(values);
  }

  override record() {
    return { ...super.record(), ...(this.platform ? { platform: this.platform } : {}) };
  }
}

async function call(url: string, method: 'GET' | 'POST', body?: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      ...(body !== undefined
        ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
        : {}),
    });
  } catch (err) {
    throw new InputError(`${url}: cannot reach the model server (${(err as Error).message})`);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${url}: answered ${response.status} with a body that is not JSON`);
  }
  if (!response.ok) {
    const error = (json as { error?: unknown })?.error;
    throw new InputError(`${url}: answered ${response.status}${error ? `: ${String(error)}` : ''}`);
  }
  return json;
}

/** The request layout the metadata's inputs declare (refused when Assay cannot fill them). */
function layoutOf(url: string, inputs: TensorMeta[], features: FeatureSpec[]): Layout {
  const accepted = (m: TensorMeta, bytes: boolean) =>
    NUMERIC.has(m.datatype) || (bytes && m.datatype === 'BYTES');
  if (inputs.length <= 1) {
    const input = inputs[0] ?? { name: 'input', datatype: 'FP32', shape: [-1, features.length] };
    if (!accepted(input, false)) {
      throw new InputError(
        `${url}: input ${input.name} is ${input.datatype}; Assay sends numeric tensors (FP32, FP64, integers)`,
      );
    }
    return { kind: 'tensor', input };
  }
  const byName = new Map(inputs.map((m) => [m.name, m]));
  const missing = features.filter((f) => !byName.has(f.name)).map((f) => f.name);
  const extra = inputs.filter((m) => !features.some((f) => f.name === m.name)).map((m) => m.name);
  if (missing.length || extra.length) {
    throw new InputError(
      `${url}: the model declares ${inputs.length} inputs (${inputs.map((m) => m.name).join(', ')}); with several inputs each must be one of the features, by name${missing.length ? ` (no input for ${missing.join(', ')})` : ''}${extra.length ? ` (not features: ${extra.join(', ')})` : ''}`,
    );
  }
  return {
    kind: 'columns',
    inputs: features.map((f, feature) => {
      const meta = byName.get(f.name) as TensorMeta;
      if (!accepted(meta, true)) {
        throw new InputError(
          `${url}: input ${meta.name} is ${meta.datatype}; Assay sends numbers or BYTES (category names)`,
        );
      }
      return { meta, feature };
    }),
  };
}
