// Runs every GraphQL-over-HTTP server audit of the pinned graphql-http against one URL.
// Only `ok` passes: a `warn` (SHOULD) or `notice` (MAY) fails the run too, because the hub
// claims every recommendation of the audit suite, not just the MUSTs.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs http://127.0.0.1:PORT/graphql');
  process.exit(2);
}

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const { id, name, fn } of serverAudits({ url, fetchFn: fetch })) {
  // One at a time, so the printed order is the suite's order and the server is never flooded.
  const result = await fn();
  counts[result.status] += 1;
  if (result.status === 'ok') {
    console.log(`ok     ${id} ${name}`);
  } else {
    const res = result.response;
    const body = await res.text().catch(() => '<body already read>');
    console.log(`${result.status.padEnd(6)} ${id} ${name}`);
    console.log(`       reason: ${result.reason}`);
    console.log(`       got: ${res.status} ${res.headers.get('content-type') ?? '(no content-type)'} ${body.slice(0, 300)}`);
  }
}

const total = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(
  `\n${counts.ok}/${total} ok, ${counts.error} error, ${counts.warn} warn, ${counts.notice} notice`,
);
process.exit(counts.ok === total ? 0 : 1);
