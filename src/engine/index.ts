// The validation engine's public API: what the CLI (`assay validate`) and any other caller import.
// The engine is a library: it imports only `node:` built-ins, DuckDB (engine/duckdb/) and contracts/.
// Everything else under src/engine is internal to it.

export { InputError } from './load/input-error.ts';
export { renderReport } from './report/report.ts';
export {
  defaultMemoryLimit,
  type ProgressEvent,
  TASKS,
  type Task,
  type ValidateOptions,
  validate,
} from './validate.ts';
