/**
 * The physical limit for the throughput comparison: a bare node:http server that answers every
 * request with the same status, headers and body bytes the app sent for one cached request,
 * straight from memory. Run by the benchmark as its own process (plain node, no loader), so it
 * gets a core of its own exactly as the app does.
 *
 *   node bare-server.mjs <response.json>    (the file: { status, headers, bodyBase64 })
 *
 * Listens on 127.0.0.1:$PORT and prints "listening" on stdout when ready.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const file = process.argv[2];
const port = Number(process.env.PORT);
if (!file || !Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: PORT=<port> node bare-server.mjs <response.json>\n');
  process.exit(2);
}
const recorded = JSON.parse(readFileSync(file, 'utf8'));
const body = Buffer.from(recorded.bodyBase64, 'base64');
const headers = { ...recorded.headers, 'content-length': String(body.length) };

const server = createServer((req, res) => {
  // Drain any request body, then answer from memory.
  req.resume();
  res.writeHead(recorded.status, headers);
  res.end(body);
});
server.keepAliveTimeout = 72_000;
server.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
