import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// The page waits on several answers in a row (summary, then history); on a loaded machine 1 s,
// testing-library's default, is sometimes not enough for a correct page.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
});

// jsdom draws nothing and reports every getContext call as unimplemented; the charts skip
// drawing without a context (their numbers are in the page as text either way).
HTMLCanvasElement.prototype.getContext = (() =>
  null) as typeof HTMLCanvasElement.prototype.getContext;

// Times on the page ("at 12:30 PM") read the same on every machine.
process.env.TZ = 'UTC';
