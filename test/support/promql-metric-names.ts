/**
 * The metric names a PromQL expression reads, without a PromQL parser: strings, label matchers
 * (`{...}`), ranges (`[5m]`), numbers, durations and label lists (`by (...)`, `on (...)`, ...) are
 * removed, then every
 * identifier left that is not called like a function nor a keyword is a metric name.
 */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    // Grafana's variables ($namespace, ${datasource}, $__rate_interval) outside matchers.
    .replace(/\$\{?\w+\}?/g, ' ')
    // Numbers and durations: 0.99, 1e3, 5m (whose `m` is no metric).
    .replace(/(^|[^\w:])\d[\w.]*/g, '$1 ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][\w:]*/g)) {
    const name = match[0];
    const after = stripped.slice((match.index ?? 0) + name.length);
    if (KEYWORDS.has(name.toLowerCase()) || /^\s*\(/.test(after)) {
      continue;
    }
    names.add(name);
  }
  return [...names].sort();
}

/** Metric names a Prometheus text exposition declares (`# TYPE`) or has samples of. */
export function exportedMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const type = /^# TYPE (\S+) (\w+)/.exec(line);
    if (type) {
      const [, name, kind] = type;
      names.add(name);
      if (kind === 'histogram' || kind === 'summary') {
        for (const suffix of ['_bucket', '_sum', '_count']) {
          names.add(`${name}${suffix}`);
        }
      }
      continue;
    }
    const sample = /^([A-Za-z_:][\w:]*)[{ ]/.exec(line);
    if (sample) {
      names.add(sample[1]);
    }
  }
  return names;
}
