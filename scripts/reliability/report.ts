/** Pass/fail bookkeeping and output of the reliability suite: everything goes to stdout. */
import { counts as countsText, thousands } from '../shared/report-text';

const startedAt = Date.now();

export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function heading(title: string): void {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  say();
  say(`== ${title} (+${seconds} s)`);
}

/** A figure worth reporting, aligned. */
export function figure(label: string, value: string | number): void {
  say(`   ${`${label}:`.padEnd(34)} ${value}`);
}

export class Checks {
  passed = 0;
  failed = 0;
  readonly failures: string[] = [];
  /** The headline figures, repeated in the summary at the end. */
  readonly headlines: string[] = [];

  headline(text: string): void {
    this.headlines.push(text);
  }

  /** Records one assertion; `detail` says what was seen (always printed for failures). */
  check(name: string, ok: boolean, detail = ''): boolean {
    if (ok) {
      this.passed++;
      say(`   PASS  ${name}${detail ? ` (${detail})` : ''}`);
    } else {
      this.failed++;
      this.failures.push(`${name}${detail ? `: ${detail}` : ''}`);
      say(`   FAIL  ${name}${detail ? `\n         ${detail.replace(/\n/g, '\n         ')}` : ''}`);
    }
    return ok;
  }

  /** A part that threw: one failed check that says where and why. */
  crashed(part: string, error: unknown): void {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.check(`${part} ran to completion`, false, message);
  }
}

/** `{ '200': 3, '404': 1 }` as `200×3 404×1`. */
export const counts = (tally: Record<string, number>): string => countsText(tally, 'none');

export function bump(tally: Record<string, number>, key: string | number, by = 1): void {
  tally[key] = (tally[key] ?? 0) + by;
}

export { thousands };

/** A value shown in a failure message: JSON, cut short. */
export function show(value: unknown, max = 300): string {
  const text =
    typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
