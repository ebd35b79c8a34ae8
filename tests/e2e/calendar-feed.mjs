// Her own calendar's feed for the end-to-end tests: serves FILE as an ICS feed on loopback, or
// 503 while FILE is missing (a test moves it away to see the inbox say the feed is failing).
// Usage: node tests/e2e/calendar-feed.mjs PORT FILE
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';

const [port, file] = process.argv.slice(2);

createServer(async (request, response) => {
  try {
    const body = await readFile(file);
    response.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8' });
    response.end(body);
  } catch {
    response.writeHead(503, { 'Content-Type': 'text/plain' });
    response.end('calendar unavailable');
  }
}).listen(Number(port), '127.0.0.1');

// Stop with the receiver that started us (serve.sh execs it in our parent's place).
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 1000).unref();
