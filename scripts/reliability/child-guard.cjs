'use strict';
/**
 * `node child-guard.cjs <command> [args...]`: runs a non-Node program (redis-server) for the
 * reliability suite and kills it when the suite's IPC channel closes, so it cannot outlive the
 * suite even if the suite is SIGKILLed. Reports the program's pid over IPC ({ pid }) so the suite
 * can kill the program itself (a crash, not a shutdown); exits when the program exits.
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
