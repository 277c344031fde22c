import type { TransferKind } from '../../../contracts/transfer.ts';

/**
 * Undoes the export's formula escaping: one leading `'` is removed when apostrophes and then a
 * formula character follow. The export adds one to every such value (see `protectApostrophes`),
 * so any text survives export and import unchanged.
 */
export function unescapeFormula(value: string): string {
  return /^'+[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/**
 * A value that already starts with apostrophes and a formula character gets one more apostrophe;
 * the CSV writer escapes the bare formula case itself.
 */
function protectApostrophes(value: string): string {
  return /^'+[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** How a CSV cell holds a value. Lists are `;`-separated; JSON cells hold a JSON document. */
export type ColumnType = 'text' | 'list' | 'bool' | 'int' | 'json';

/** The columns of each kind, in export order. `links.x` columns fold into a `links` object. */
export const COLUMNS: Record<TransferKind, readonly (readonly [string, ColumnType])[]> = {
  models: [
    ['key', 'text'],
    ['name', 'text'],
    ['type', 'text'],
    ['status', 'text'],
    ['tier', 'int'],
    ['euAiActClass', 'text'],
    ['description', 'text'],
    ['purpose', 'text'],
    ['intendedUse', 'text'],
    ['intendedUsers', 'text'],
    ['outOfScopeUses', 'text'],
    ['businessUnit', 'text'],
    ['owner', 'text'],
    ['developers', 'list'],
    ['validators', 'list'],
    ['vendor', 'bool'],
    ['vendorName', 'text'],
    ['genai', 'bool'],
    ['decisionImpact', 'text'],
    ['tags', 'list'],
    ['links.repository', 'text'],
    ['links.registry', 'text'],
    ['links.dashboard', 'text'],
    ['id', 'text'],
    ['createdAt', 'text'],
    ['updatedAt', 'text'],
    ['retiredAt', 'text'],
    ['rowVersion', 'int'],
  ],
  versions: [
    ['modelKey', 'text'],
    ['label', 'text'],
    ['artifactUri', 'text'],
    ['artifactSha256', 'text'],
    ['codeRepo', 'text'],
    ['codeCommit', 'text'],
    ['registryRef', 'text'],
    ['trainingDatasets', 'list'],
    ['evaluationDatasets', 'list'],
    ['changeSummary', 'text'],
    ['materialChange', 'bool'],
    ['status', 'text'],
    ['supersededBy', 'text'],
    ['frozen', 'bool'],
    ['frozenAt', 'text'],
    ['createdBy', 'text'],
    ['id', 'text'],
    ['createdAt', 'text'],
    ['updatedAt', 'text'],
    ['rowVersion', 'int'],
  ],
  datasets: [
    ['name', 'text'],
    ['role', 'text'],
    ['locationUri', 'text'],
    ['sha256', 'text'],
    ['schema', 'json'],
    ['rowCount', 'int'],
    ['owner', 'text'],
    ['containsPii', 'bool'],
    ['piiColumns', 'list'],
    ['derivedFrom', 'list'],
    ['retentionNote', 'text'],
    ['status', 'text'],
    ['id', 'text'],
    ['createdAt', 'text'],
    ['updatedAt', 'text'],
    ['rowVersion', 'int'],
  ],
};

/**
 * Columns whose field has no "empty" value: a blank cell there means "not given" (a required one
 * is then reported missing), not null.
 */
const BLANK_IS_ABSENT: Record<TransferKind, ReadonlySet<string>> = {
  models: new Set(['key', 'name', 'type', 'status', 'owner', 'id', 'createdAt', 'updatedAt', 'rowVersion']),
  versions: new Set([
    'modelKey',
    'label',
    'status',
    'createdBy',
    'id',
    'createdAt',
    'updatedAt',
    'rowVersion',
  ]),
  datasets: new Set(['name', 'role', 'status', 'id', 'createdAt', 'updatedAt', 'rowVersion']),
};

/** A cell that could not be read as its column's type. */
export interface CellProblem {
  field: string;
  message: string;
}

function cellValue(raw: string, type: ColumnType, field: string, problems: CellProblem[]): unknown {
  // A list's items are unescaped one by one (an item in the middle of a cell was never escaped).
  const cell = type === 'list' ? raw : unescapeFormula(raw);
  switch (type) {
    case 'text':
      return cell === '' ? null : cell;
    case 'list':
      return cell.trim() === ''
        ? []
        : cell
            .split(';')
            .map((x: string) => unescapeFormula(x.trim()))
            .filter((x: string) => x !== '');
    case 'bool': {
      const v = cell.trim().toLowerCase();
      if (v === '') return undefined;
      if (['true', 'yes', '1'].includes(v)) return true;
      if (['false', 'no', '0'].includes(v)) return false;
      problems.push({ field, message: `must be true or false, got '${raw.slice(0, 40)}'` });
      return undefined;
    }
    case 'int': {
      const v = cell.trim();
      if (v === '') return null;
      if (/^-?\d{1,15}$/.test(v)) return Number(v);
      problems.push({ field, message: `must be a whole number, got '${raw.slice(0, 40)}'` });
      return undefined;
    }
    case 'json': {
      if (cell.trim() === '') return null;
      try {
        return JSON.parse(cell) as unknown;
      } catch {
        problems.push({ field, message: 'must be a JSON document' });
        return undefined;
      }
    }
  }
}

/** Checks a CSV header against the kind's columns: unknown and repeated names are problems. */
export function checkHeader(kind: TransferKind, header: readonly string[]): CellProblem[] {
  const known = new Set(COLUMNS[kind].map(([name]) => name));
  const problems: CellProblem[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (!known.has(name))
      problems.push({ field: name, message: `unknown column; ${kind} columns are ${[...known].join(', ')}` });
    else if (seen.has(name)) problems.push({ field: name, message: 'the column appears twice' });
    seen.add(name);
  }
  return problems;
}

/**
 * Turns one CSV record into the object the row schema validates. A column missing from the header
 * stays absent (an update leaves that field as it is); an empty cell means "no value".
 */
export function recordFromCells(
  kind: TransferKind,
  header: readonly string[],
  cells: readonly string[],
): { record: Record<string, unknown>; problems: CellProblem[] } {
  const types = new Map(COLUMNS[kind]);
  const problems: CellProblem[] = [];
  const record: Record<string, unknown> = {};
  if (cells.length !== header.length)
    problems.push({
      field: 'row',
      message: `has ${cells.length} cells but the header has ${header.length} columns`,
    });
  header.forEach((name, i) => {
    const type = types.get(name);
    if (!type) return;
    const value = cellValue(cells[i] ?? '', type, name, problems);
    if (value === undefined || (value === null && BLANK_IS_ABSENT[kind].has(name))) return;
    if (name.startsWith('links.')) {
      const links = (record.links ?? {}) as Record<string, unknown>;
      links[name.slice(6)] = value;
      record.links = links;
    } else record[name] = value;
  });
  return { record, problems };
}

/** Turns one exported object into CSV cells in the kind's column order. */
export function cellsFromRecord(kind: TransferKind, record: Record<string, unknown>): string[] {
  return COLUMNS[kind].map(([name, type]) => {
    const value = name.startsWith('links.')
      ? (record.links as Record<string, unknown> | undefined)?.[name.slice(6)]
      : record[name];
    if (value === null || value === undefined) return '';
    if (type === 'list') return (value as unknown[]).map((v) => protectApostrophes(String(v))).join(';');
    if (type === 'json') return JSON.stringify(value);
    return protectApostrophes(String(value));
  });
}
