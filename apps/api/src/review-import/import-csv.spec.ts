import { readCsv } from './import-csv';
import { columnOf, headerProblems, knownColumns, readRow, REQUIRED_COLUMNS, templateCsv } from './import-format';

const HEADER = REQUIRED_COLUMNS.join(',');

describe('reading an import file', () => {
  it('drops a BOM, takes CRLF, LF and lone CR, and keeps the line each row starts on (quoted line breaks count)', () => {
    const file = `\ufeff${HEADER.toUpperCase()}\r\nA,"two\r\nlines",x\r\n\r\nB\nC\r"D,""q""",e\n`;
    const r = readCsv(Buffer.from(file));
    if (!r.ok) throw new Error(r.problems.join());
    expect(r.header[0]).toBe('external_id');
    expect(r.rows.map((x) => [x.line, x.cells.external_id, x.cells.incident_type])).toEqual([
      [2, 'A', 'two\r\nlines'],
      [5, 'B', ''],
      [6, 'C', ''],
      [7, 'D,"q"', 'e'],
    ]);
    expect(r.rows[0].fieldCountProblem).toMatch(/^has 3 fields, the header has 9/);
  });

  it('refuses what is not a readable file of the format, in plain words', () => {
    const problems = (s: string | Buffer) => {
      const r = readCsv(Buffer.isBuffer(s) ? s : Buffer.from(s));
      return r.ok ? [] : r.problems;
    };
    expect(problems('')).toEqual(['the file is empty: it needs a header row and one row per review']);
    expect(problems(Buffer.from([0x61, 0xff]))).toEqual([expect.stringMatching(/not UTF-8/)]);
    expect(problems(`${HEADER}\nA,"open`)).toEqual([expect.stringMatching(/^line 2: a quoted field is never closed/)]);
    // A character the API refuses in any text (common/request-text.ts), named with its line (CRLF, LF or CR ends).
    expect(problems(`${HEADER}\r\nA,ok\rB,"two\nlines"\nC,safe\u202eelbats`)).toEqual([
      'line 5: the file holds the text-direction character U+202E, which makes text display in another order than it is stored',
    ]);
    expect(problems(`${HEADER}\nA,bell\u0007`)).toEqual(['line 2: the file holds the control character U+0007']);
    expect(problems(`${HEADER},colour\nA`)).toEqual([expect.stringMatching(/"colour" is not part of the format/)]);
    expect(problems(`${HEADER}\n${'x\n'.repeat(5001)}`)).toEqual(['the file has more than 5000 reviews: split it into files of at most 5000 rows']);
    expect(headerProblems(['external_id', 'external_id'])).toEqual(expect.arrayContaining(['the column "external_id" appears twice', expect.stringMatching(/^required columns missing: incident_type/)]));
  });

  it('names the columns of checkReviewRecord fields, and reads numbered findings and recommendations', () => {
    expect(['incident.ageBand', 'findings[2].domainId', 'recommendations[0].statusReason', 'ratings'].map(columnOf)).toEqual(['age_band', 'finding_3_domain', 'rec_1_status_reason', 'ratings']);
    const read = readRow(
      { external_id: ' X-1 ', instrument_version: '2', incident_year: '2021', incident_month: '3', circumstances: 'neglect; other ;', finding_1: 'F1', finding_2: 'F2', rec_1_text: 'R', rec_1_owner: 'member', rec_1_owner_agency: 'oh-39', rec_1_finding: '2', 'cp.workload': '3', 'cp.turnover': 'high' },
      [{ id: '00000000-0000-4000-8000-000000000001', name: 'Ohio', code: 'OH-39' }],
    );
    expect(read.externalId).toBe('X-1');
    expect(read.input.incident).toMatchObject({ incidentYear: 2021, incidentMonth: 3, circumstances: ['neglect', 'other'] });
    expect(read.input.ratings).toEqual({ 'cp.workload': 3, 'cp.turnover': 'high' });
    expect(read.input.recommendations[0]).toMatchObject({ owner: 'member', ownerAgencyId: '00000000-0000-4000-8000-000000000001', findingPosition: 2, status: 'proposed' });
    expect(read.problems).toEqual([]);
  });

  it('has a template whose header is part of the format', () => {
    const header = templateCsv().split('\r\n')[0].split(',');
    expect(headerProblems(header)).toEqual([]);
    expect(header.every((h) => knownColumns().includes(h))).toBe(true);
  });
});
