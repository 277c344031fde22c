// A test model server speaking the KServe Open Inference Protocol v2 (REST) over a real socket,
// serving an ONNX model with ONNX Runtime directly (not Assay's runner). Every request body it
// receives and every answer it sends is validated against the published OpenAPI description
// (test/support/oip/open_inference_rest.yaml): violations are recorded and refused with 400, so a
// client bug and a server bug cannot cancel out.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import * as ort from 'onnxruntime-node';
import { parse } from 'yaml';

const SPEC = parse(readFileSync(new URL('./oip/open_inference_rest.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};
interface Operation {
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }>;
}

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ ...SPEC, $id: 'oip' });
const check = (ref: string, value: unknown): string | null => {
  const validate = ajv.getSchema(`oip${ref}`);
  if (!validate) throw new Error(`no schema ${ref} in the OIP specification`);
  return validate(value) ? null : ajv.errorsText(validate.errors);
};

/** The spec's operation for a method and path (`${NAME}` segments match any segment). */
function operationFor(
  method: string,
  pathname: string,
): { op: Operation; params: Record<string, string> } | null {
  for (const [template, item] of Object.entries(SPEC.paths)) {
    const names: string[] = [];
    const source = template.replace(/\/$/, '').replace(/\$\{(\w+)\}/g, (_, n: string) => {
      names.push(n);
      return '([^/]+)';
    });
    const match = new RegExp(`^${source}/?$`).exec(pathname);
    const op = item[method.toLowerCase()];
    if (match && op)
      return { op, params: Object.fromEntries(names.map((n, i) => [n, match[i + 1] as string])) };
  }
  return null;
}

export interface OipTestServer {
  url: string;
  /** Model URL: `${url}/v2/models/${name}/versions/${version}`. */
  modelUrl: string;
  /** Requests served, and every way a request or answer broke the specification. */
  requests: number;
  violations: string[];
  close(): Promise<void>;
}

/**
 * How the served model declares its inputs: one tensor [rows, features] of `datatype` (default
 * FP32), or one input per feature (`columns`: each feature's datatype; BYTES carries a categorical
 * feature's category names, as MLServer's pandas codec does). The server accepts only what it declares.
 */
export interface OipServerInputs {
  datatype?: 'FP32' | 'FP64' | 'INT64';
  columns?: { name: string; datatype: 'FP32' | 'FP64' | 'INT64' | 'BYTES'; categories?: string[] }[];
}

/** Serves `onnxFile` as model `name` version `version` on 127.0.0.1 (a free port). */
export async function startOipServer(
  onnxFile: string,
  name = 'adult',
  version = '1',
  inputs: OipServerInputs = {},
): Promise<OipTestServer> {
  const tensorType = inputs.datatype ?? 'FP32';
  const columns = inputs.columns;
  const session = await ort.InferenceSession.create(onnxFile, { intraOpNumThreads: 1 });
  const state = { requests: 0, violations: [] as string[] };
  const send = (res: ServerResponse, op: Operation | null, status: number, body: unknown) => {
    const ref = op?.responses[String(status)]?.content?.['application/json']?.schema.$ref;
    if (ref) {
      const problem = check(ref, body);
      if (problem) state.violations.push(`answer ${status}: ${problem}`);
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    state.requests++;
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const found = operationFor(req.method ?? 'GET', pathname);
    if (!found) {
      state.violations.push(`${req.method} ${pathname} is no operation of the specification`);
      return send(res, null, 404, { error: `no such endpoint ${pathname}` });
    }
    const { op, params } = found;
    if (params.MODEL_NAME !== undefined && (params.MODEL_NAME !== name || params.MODEL_VERSION !== version)) {
      return send(res, null, 404, { error: `no model ${params.MODEL_NAME} version ${params.MODEL_VERSION}` });
    }
    if (pathname.endsWith('/infer')) {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        state.violations.push('request body is not JSON');
        return send(res, op, 400, { error: 'the request body is not JSON' });
      }
      const ref = op.requestBody?.content['application/json']?.schema.$ref as string;
      const problem = check(ref, body);
      if (problem) {
        state.violations.push(`request: ${problem}`);
        return send(res, op, 400, { error: `invalid inference request: ${problem}` });
      }
      const request = body as {
        id?: string;
        inputs: { name: string; shape: number[]; datatype: string; data: unknown[] }[];
      };
      const assembled = columns
        ? fromColumns(request.inputs, columns)
        : fromTensor(request.inputs, tensorType);
      if (typeof assembled === 'string') return send(res, op, 400, { error: assembled });
      const tensor = new ort.Tensor('float32', assembled.data, [assembled.rows, assembled.cols]);
      const outputName = session.outputNames.includes('probabilities')
        ? 'probabilities'
        : (session.outputNames[0] as string);
      const out = (await session.run({ [session.inputNames[0] as string]: tensor }, [outputName]))[
        outputName
      ] as ort.Tensor;
      return send(res, op, 200, {
        model_name: name,
        model_version: version,
        ...(request.id !== undefined ? { id: request.id } : {}),
        outputs: [
          {
            name: outputName,
            shape: out.dims.map(Number),
            datatype: 'FP32',
            data: Array.from(out.data as Float32Array),
          },
        ],
      });
    }
    if (pathname.endsWith('/ready') || pathname.startsWith('/v2/health')) return send(res, op, 200, {});
    if (pathname === '/v2' || pathname === '/v2/') {
      return send(res, op, 200, { name: 'assay-oip-test-server', version: '1', extensions: [] });
    }
    return send(res, op, 200, {
      name,
      versions: [version],
      platform: 'onnxruntime_onnx',
      inputs: columns
        ? columns.map((c) => ({ name: c.name, datatype: c.datatype, shape: [-1] }))
        : [{ name: session.inputNames[0], datatype: tensorType, shape: [-1, -1] }],
      outputs: session.outputNames.map((n) => ({ name: n, datatype: 'FP32', shape: [-1, -1] })),
    });
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(res, null, 500, { error: err.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    modelUrl: `${url}/v2/models/${name}/versions/${version}`,
    get requests() {
      return state.requests;
    },
    violations: state.violations,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await session.release();
    },
  };
}

type RequestInput = { name: string; shape: number[]; datatype: string; data: unknown[] };

/** The matrix of a request with one [rows, features] tensor of the declared datatype, or why not. */
function fromTensor(
  inputs: RequestInput[],
  datatype: string,
): { rows: number; cols: number; data: Float32Array } | string {
  const input = inputs[0];
  if (inputs.length !== 1 || input?.datatype !== datatype || input.shape.length !== 2) {
    return `expected one ${datatype} input of shape [rows, features]`;
  }
  const flat = input.data.flat(Number.POSITIVE_INFINITY) as number[];
  if (datatype === 'INT64' && flat.some((v) => !Number.isInteger(v)))
    return 'INT64 input with a non-integer value';
  const [rows, cols] = input.shape as [number, number];
  if (flat.length !== rows * cols) return `the input has ${flat.length} values for shape [${rows}, ${cols}]`;
  return { rows, cols, data: Float32Array.from(flat) };
}

/** The matrix of a request with one input per declared feature column, or why not. */
function fromColumns(
  inputs: RequestInput[],
  columns: NonNullable<OipServerInputs['columns']>,
): { rows: number; cols: number; data: Float32Array } | string {
  if (inputs.length !== columns.length) return `expected ${columns.length} inputs, one per feature`;
  const rows = inputs[0]?.shape[0] ?? 0;
  const data = new Float32Array(rows * columns.length);
  for (const [j, c] of columns.entries()) {
    const input = inputs.find((i) => i.name === c.name);
    if (!input) return `no input ${c.name}`;
    if (input.datatype !== c.datatype) return `input ${c.name} must be ${c.datatype}, got ${input.datatype}`;
    if (input.shape[0] !== rows || input.shape.length !== 1)
      return `input ${c.name} must have shape [${rows}]`;
    const values = input.data.flat(Number.POSITIVE_INFINITY);
    if (values.length !== rows) return `input ${c.name} has ${values.length} values for ${rows} rows`;
    for (let i = 0; i < rows; i++) {
      const v = values[i];
      let x: number;
      if (c.datatype === 'BYTES') {
        x = (c.categories ?? []).indexOf(String(v));
        if (x < 0) return `input ${c.name}: unknown category ${String(v)}`;
      } else {
        if (typeof v !== 'number') return `input ${c.name}: ${String(v)} is not a number`;
        if (c.datatype === 'INT64' && !Number.isInteger(v)) return `input ${c.name}: ${v} is not an integer`;
        x = v;
      }
      data[i * columns.length + j] = x;
    }
  }
  return { rows, cols: columns.length, data };
}
