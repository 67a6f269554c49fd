import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { AuditChainReport, describeReport, verifyAuditChain } from '../libs/core/src/audit/audit-chain';
import { verifyAuditExport } from '../libs/core/src/audit/audit-export';

const USAGE = `Verifies the audit log's hash chain and names the first broken link.

  DATABASE_URL=postgres://… npm run audit:verify            the database
  npm run audit:verify -- --file audit-chain.jsonl          an export (GET /api/v1/audit/export), offline

Options: --file <path>, --json (print the report as JSON), --anchor <hash> (a head hash kept from
         an earlier check or export: a chain that no longer contains it was cut short or rewritten)
Exit status: 0 intact, 1 broken, 2 could not check.`;

/** `npm run audit:verify`: walks the chain in the database or in an export file. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      json: { type: 'boolean' },
      anchor: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let report: AuditChainReport;
  if (values.file) {
    report = await verifyAuditExport(values.file, { anchor: values.anchor });
  } else {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error(`DATABASE_URL is not set (or pass --file <export>)\n\n${USAGE}`);
    const client = new Client({ connectionString: url, application_name: 'sne-audit-verify' });
    await client.connect();
    try {
      report = await verifyAuditChain(async (sql, params) => (await client.query(sql, params as unknown[])).rows, { anchor: values.anchor });
    } finally {
      await client.end();
    }
  }
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else console.log(describeReport(report));
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`audit:verify could not check the chain: ${err.message}`);
    process.exit(2);
  },
);
