import { describe, expect, it } from 'vitest';
import { CopyBinaryRowParser } from './pg-copy-binary.ts';

/** PostgreSQL's binary COPY output for rows of (int4, bytea), built by hand from the documented format. */
function copyOutput(rows: [number, Buffer][], extension = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(19);
  Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1').copy(head);
  head.writeUInt32BE(0, 11);
  head.writeUInt32BE(extension.length, 15);
  const parts: Buffer[] = [head, extension];
  for (const [seq, data] of rows) {
    const r = Buffer.alloc(2 + 8 + 4);
    r.writeInt16BE(2, 0);
    r.writeInt32BE(4, 2);
    r.writeInt32BE(seq, 6);
    r.writeInt32BE(data.length, 10);
    parts.push(r, data);
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

function parse(stream: Buffer, pieceSizes: () => number): { rows: Map<number, Buffer>; ends: number[] } {
  const got = new Map<number, Buffer[]>();
  const ends: number[] = [];
  const parser = new CopyBinaryRowParser((seq, piece, rowEnd) => {
    got.set(seq, [...(got.get(seq) ?? []), Buffer.from(piece)]);
    if (rowEnd) ends.push(seq);
  });
  for (let at = 0; at < stream.length; ) {
    const n = Math.max(1, pieceSizes());
    parser.push(stream.subarray(at, at + n));
    at += n;
  }
  parser.finish();
  return { rows: new Map([...got].map(([k, v]) => [k, Buffer.concat(v)])), ends };
}

describe('the binary COPY row parser', () => {
  const rows: [number, Buffer][] = [
    [0, Buffer.from('first chunk of the blob')],
    [1, Buffer.alloc(0)],
    [2, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) % 256))],
  ];

  it('gives each row exactly, whatever the message boundaries (one byte at a time, odd sizes, whole)', () => {
    const stream = copyOutput(rows, Buffer.from('ext'));
    let seed = 7;
    for (const sizes of [
      () => 1,
      () => 13,
      () => stream.length,
      () => (seed = (seed * 1103515245 + 12345) % 977),
    ]) {
      const { rows: got, ends } = parse(stream, sizes);
      expect(ends).toEqual([0, 1, 2]);
      for (const [seq, data] of rows) expect(got.get(seq)?.equals(data) ?? data.length === 0).toBe(true);
    }
  });

  it('refuses what is not a binary COPY of (int4, bytea), and an output cut short', () => {
    const good = copyOutput(rows);
    const notBinary = Buffer.from(good);
    notBinary[0] = 0x41;
    expect(() => parse(notBinary, () => 64)).toThrow(/not in the binary format/);
    const threeColumns = Buffer.from(good);
    threeColumns.writeInt16BE(3, 19);
    expect(() => parse(threeColumns, () => 64)).toThrow(/expected 2 columns/);
    expect(() => parse(good.subarray(0, good.length - 2), () => 64)).toThrow(/ended early/);
    expect(() => parse(Buffer.concat([good, Buffer.from([0])]), () => 64)).toThrow(/after the end/);
  });
});
