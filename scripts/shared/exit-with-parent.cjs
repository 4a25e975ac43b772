'use strict';
/**
 * Preloaded (`node --require`, see child-processes.ts) into every server the benchmark and the
 * reliability suite start, so none outlives them, even when they are killed with SIGKILL and cannot
 * clean up: the parent holds an IPC channel to the server; when the channel closes (the parent is
 * gone), the server sends itself SIGTERM and, should its shutdown hang, exits hard after 5 s.
 * It changes nothing else in the process it is loaded into.
 */
if (process.channel) {
  // The channel must not keep the server alive by itself.
  process.channel.unref();
  process.on('disconnect', () => {
    // SIGTERM first, so the server's shutdown hooks run; a hard exit if they hang.
    setTimeout(() => process.exit(1), 5000).unref();
    process.kill(process.pid, 'SIGTERM');
  });
}
