import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartType,
  DoughnutController,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';

// Only what the charts use (doughnut, bars, lines over days), so the bundle carries no other types.
Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

interface Props<T extends ChartType> {
  /** Built once per data change (useMemo): a new object redraws the chart. */
  config: ChartConfiguration<T>;
  height: number;
}

/**
 * A Chart.js chart on a canvas, drawn after mount and destroyed on unmount. The canvas is
 * decoration for sighted readers: every chart has its numbers beside it as text, so where a
 * canvas cannot be drawn (no 2D context) nothing is lost.
 */
export function ChartCanvas<T extends ChartType>({ config, height }: Props<T>) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) {
      return;
    }
    const chart = new Chart(context, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart-canvas" style={{ height }} aria-hidden="true">
      <canvas ref={ref} />
    </div>
  );
}

/** The page's own colours and font, so the charts follow the theme. */
export function themeOf(): { text: string; muted: string; surface: string; font: string } {
  const style = getComputedStyle(document.documentElement);
  const get = (name: string, fallback: string): string =>
    style.getPropertyValue(name).trim() || fallback;
  return {
    text: get('--text', '#1f2328'),
    muted: get('--muted', '#59636e'),
    surface: get('--surface', '#ffffff'),
    font: style.fontFamily || 'system-ui, sans-serif',
  };
}
