'use strict';
/**
 * Preloaded (`node --require`) into every app the reliability suite starts, so none outlives the
 * suite even when it is killed with SIGKILL and cannot clean up: the suite holds an IPC channel to
 * the app; when the channel closes (the suite is gone), the app sends itself SIGTERM and, should its
 * shutdown hang, exits hard after 5 s. It changes nothing else in the app.
 */
if (process.channel) {
  // The channel must not keep the app alive by itself.
  process.channel.unref();
  process.on('disconnect', () => {
    setTimeout(() => process.exit(1), 5000).unref();
    process.kill(process.pid, 'SIGTERM');
  });
}
