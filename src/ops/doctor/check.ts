/** One line of `npm run doctor`: a name, a verdict, what was found, and for a failure how to fix it. */
export type Verdict = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  name: string;
  verdict: Verdict;
  detail: string;
  fix?: string;
}

const MARK: Record<Verdict, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

export function formatCheck(r: CheckResult): string {
  return `${MARK[r.verdict]} ${r.name.padEnd(22)} ${r.detail}${r.fix ? ` -> fix: ${r.fix}` : ''}`;
}

export const ok = (name: string, detail: string): CheckResult => ({ name, verdict: 'ok', detail });
export const warn = (name: string, detail: string, fix: string): CheckResult => ({ name, verdict: 'warn', detail, fix });
export const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, verdict: 'fail', detail, fix });
export const skip = (name: string, detail: string): CheckResult => ({ name, verdict: 'skip', detail });
