// Runs the graphql-http server audits (GraphQL over HTTP conformance)
// against a running stancegraph and fails on any error or warning.
//
//   node audit.mjs http://127.0.0.1:8080/query
//
// Notices (the audits' "MAY" findings) are printed but do not fail the run.
import { serverAudits } from 'graphql-http';

const url = process.argv[2] || process.env.STANCEGRAPH_AUDIT_URL;
if (!url) {
  console.error('usage: node audit.mjs URL (e.g. http://127.0.0.1:8080/query)');
  process.exit(2);
}

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  counts[result.status]++;
  if (result.status === 'ok') {
    continue;
  }
  let body = '';
  try {
    body = await result.response.text();
  } catch {
    // The audit may have read the body already.
  }
  console.log(`${result.status.toUpperCase()} ${result.id} ${result.name}: ${result.reason}`);
  if (body) {
    console.log(`  status ${result.response.status}, body: ${body.slice(0, 300)}`);
  }
}
console.log(
  `graphql-http ${counts.ok + counts.notice + counts.warn + counts.error} audits: ` +
    `${counts.ok} ok, ${counts.notice} notices, ${counts.warn} warnings, ${counts.error} errors`,
);
process.exit(counts.warn + counts.error > 0 ? 1 : 0);
