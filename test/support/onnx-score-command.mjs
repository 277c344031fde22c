#!/usr/bin/env node
// A "user's model command" for tests: reads CSV rows (a header of feature names, categories as
// text) on standard input, scores them with the ONNX model named on the command line (its
// assay.features metadata says how categories are coded) and writes one score per line.
// Usage: node test/support/onnx-score-command.mjs MODEL.onnx
import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';

const file = process.argv[2];
const bytes = readFileSync(file);
const model = onnxProto.onnx.ModelProto.decode(bytes);
const features = JSON.parse(model.metadataProps.find((p) => p.key === 'assay.features').value);
const lines = readFileSync(0, 'utf8')
  .split('\n')
  .filter((l) => l !== '');
const header = lines[0].split(',');
const order = features.map((f) => header.indexOf(f.name));
if (order.includes(-1)) {
  process.stderr.write(`missing features: ${features.filter((_, i) => order[i] < 0).map((f) => f.name)}\n`);
  process.exit(3);
}
const rows = lines.length - 1;
const data = new Float32Array(rows * features.length);
for (let i = 0; i < rows; i++) {
  const cells = lines[i + 1].split(',');
  features.forEach((f, j) => {
    const cell = cells[order[j]];
    data[i * features.length + j] =
      cell === '' ? Number.NaN : f.categories ? f.categories.indexOf(cell) : Number(cell);
  });
}
const session = await ort.InferenceSession.create(bytes);
const name = session.outputNames.includes('probabilities') ? 'probabilities' : session.outputNames[0];
const out = (
  await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, [rows, features.length]) }, [
    name,
  ])
)[name];
const width = out.data.length / rows;
process.stdout.write(
  `${Array.from({ length: rows }, (_, i) => out.data[i * width + width - 1]).join('\n')}\n`,
);
