import { InputError } from '../load/input-error.ts';
import type { FeatureSpec, Matrix } from './features.ts';
import { ModelRunner } from './runner.ts';

interface TensorMeta {
  name: string;
  datatype: string;
  shape: number[];
}

/**
 * A model served over HTTP with the KServe Open Inference Protocol v2 (REST): the URL names the
 * model (`http://host:port/v2/models/NAME[/versions/V]`); rows are sent as one FP32 input tensor
 * [rows, features] to `POST {url}/infer`; the score is the last column of the output named
 * `probabilities` (else the first output).
 */
export class OipRunner extends ModelRunner {
  private constructor(
    url: string,
    features: FeatureSpec[],
    private readonly input: TensorMeta,
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
    const input = meta.inputs?.[0] ?? {
      name: 'input',
      datatype: 'FP32',
      shape: [-1, options.features.length],
    };
    return new OipRunner(
      base,
      options.features,
      input,
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
    const body = {
      id: `assay-${this.evaluations}`,
      inputs: [
        {
          name: this.input.name,
          shape: [batch.rows, batch.cols],
          datatype: 'FP32',
          data: Array.from(batch.data, Math.fround),
        },
      ],
    };
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
