import { lazy } from 'react';

/**
 * Chart.js is half the page's script: its chunk (Charts.tsx) loads beside the first answer
 * instead of before it, and every chart of the page comes from that one chunk.
 */
export const preloadCharts = () => import('./Charts');
export const AccountCharts = lazy(preloadCharts);
export const LazyTimeSeriesChart = lazy(() =>
  preloadCharts().then((chunk) => ({ default: chunk.TimeSeriesChart })),
);
