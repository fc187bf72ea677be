// What one doctor check reports. Pure.

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface DoctorCheck {
  /** Short name: "config", "state dir", "gateway home", ... */
  name: string;
  status: CheckStatus;
  /** What was found, one line. */
  detail: string;
  /** What to do about it (for warn and fail). */
  fix?: string;
}

export const pass = (name: string, detail: string): DoctorCheck => ({ name, status: 'pass', detail });
export const skip = (name: string, detail: string): DoctorCheck => ({ name, status: 'skip', detail });
export const warn = (name: string, detail: string, fix: string): DoctorCheck => ({ name, status: 'warn', detail, fix });
export const fail = (name: string, detail: string, fix: string): DoctorCheck => ({ name, status: 'fail', detail, fix });

/** Doctor fails when any check fails; warnings are advice. */
export function doctorOk(checks: readonly DoctorCheck[]): boolean {
  return checks.every((c) => c.status !== 'fail');
}

/** "42 s", "3 min", "5 h", "12 days". */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}
