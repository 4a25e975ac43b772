'use strict';
/**
 * `node child-guard.cjs <command> [args...]` (see redis-server.ts): runs a non-Node program and
 * kills it when the parent's IPC channel closes, so it cannot outlive the parent even if that is
 * SIGKILLed. Reports the program's pid over IPC ({ pid }) so the parent can kill the program
 * itself (a crash, not a shutdown); exits when the program exits.
 */
const { spawn } = require('node:child_process');

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
child.on('error', (error) => {
  process.send?.({ error: error.message });
  process.exit(127);
});
child.on('spawn', () => process.send?.({ pid: child.pid }));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
process.on('disconnect', () => {
  child.kill('SIGKILL');
  process.exit(1);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => child.kill(signal));
}
