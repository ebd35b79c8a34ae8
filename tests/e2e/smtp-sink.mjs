// A minimal SMTP server on loopback for the end-to-end tests: the receiver sends its e-mails
// here, and each message is written as it arrived to DIR/<n>.eml for the tests to read.
// Usage: node tests/e2e/smtp-sink.mjs PORT DIR
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [port, dir] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
let count = 0;

const server = createServer((socket) => {
  let buffer = '';
  let data = null;
  const reply = (line) => socket.write(`${line}\r\n`);
  reply('220 e2e ESMTP');
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    let end;
    while ((end = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (data !== null) {
        if (line === '.') {
          count += 1;
          writeFileSync(join(dir, `${String(count).padStart(4, '0')}.eml`), data);
          data = null;
          reply('250 queued');
        } else {
          // Undo SMTP's dot-stuffing.
          data += (line.startsWith('..') ? line.slice(1) : line) + '\r\n';
        }
        continue;
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'DATA') {
        data = '';
        reply('354 go ahead');
      } else if (verb === 'QUIT') {
        reply('221 bye');
        socket.end();
      } else {
        reply(verb === 'EHLO' || verb === 'HELO' ? '250 e2e' : '250 ok');
      }
    }
  });
  socket.on('error', () => {});
});
server.listen(Number(port), '127.0.0.1');

// Stop with the receiver that started us (serve.sh execs it in our parent's place).
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 1000).unref();
