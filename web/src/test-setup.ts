import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

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
