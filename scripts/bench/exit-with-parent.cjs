'use strict';
/**
 * Preloaded (`node --require`) into every server the benchmark starts, so none of them outlives
 * the benchmark, even when it is killed with SIGKILL and cannot clean up: the parent opens an IPC
 * channel; when the channel closes (the parent is gone), this process terminates itself.
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
