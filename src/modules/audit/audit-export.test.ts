import { describe, expect, it } from 'vitest';
import { csvCell, exportChunks, UTF8_BOM } from './audit-export.js';
import type { AuditEntryDto } from './audit.schema.js';

describe('csvCell', () => {
  it('quotes every cell, plain text too, and writes null as an empty quoted cell', () => {
    expect(csvCell('device.created')).toBe('"device.created"');
    expect(csvCell(42)).toBe('"42"');
    expect(csvCell(null)).toBe('""');
  });

  it('doubles quotes and keeps commas, semicolons and line breaks inside the quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
    expect(csvCell('one\r\ntwo')).toBe('"one\r\ntwo"');
  });

  it('keeps a formula behind a semicolon inside its cell, where a German Excel would split it off', () => {
    expect(csvCell("x;=cmd|' /C calc'!A0")).toBe(`"x;=cmd|' /C calc'!A0"`);
  });

  it("defuses cells a spreadsheet would run as a formula with a leading '", () => {
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('+49 30')).toBe(`"'+49 30"`);
    expect(csvCell('-2')).toBe(`"'-2"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\t=1')).toBe(`"'\t=1"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('=HYPERLINK("x"),y')).toBe('"\'=HYPERLINK(""x""),y"');
  });

  it('writes objects (details) as JSON in one cell', () => {
    expect(csvCell({ name: { from: 'a', to: 'b' } })).toBe('"{""name"":{""from"":""a"",""to"":""b""}}"');
  });
});

describe('exportChunks', () => {
  const entry = { id: 1, action: 'logout', details: {} } as unknown as AuditEntryDto;
  async function text(format: 'csv' | 'json', entries: AuditEntryDto[]) {
    let out = '';
    for await (const chunk of exportChunks(
      (async function* () {
        yield* entries;
      })(),
      format,
    ))
      out += chunk;
    return out;
  }

  it('writes a valid JSON array, empty or not', async () => {
    expect(JSON.parse(await text('json', []))).toEqual([]);
    expect(JSON.parse(await text('json', [entry, { ...entry, id: 2 }]))).toHaveLength(2);
  });

  it('writes the CSV header even when there is no entry, after a UTF-8 byte order mark', async () => {
    const csv = await text('csv', []);
    expect(csv.startsWith(`${UTF8_BOM}"id","at","actor_type"`)).toBe(true);
    expect(Buffer.from(csv).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('writes a JSON export without a byte order mark', async () => {
    expect((await text('json', [])).startsWith('[')).toBe(true);
  });
});
