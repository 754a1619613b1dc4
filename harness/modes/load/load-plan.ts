/**
 * A load run's plan: the profile (k6/<profile>.ts) and its size — users, how long they hold, the
 * arrival rate of `breakpoint`, think time, the ramp — plus the named faults injected while k6 runs
 * and how many k6 instances split the run. Defaults per profile suit this 2-core machine; flags
 * override them. The span (ramps included) is what the fault schedule and the phases are laid on.
 */
import { UsageError } from '../../core/errors.ts';

export const PROFILES = ['smoke', 'load', 'spike', 'soak', 'breakpoint'] as const;
export type Profile = (typeof PROFILES)[number];

export interface LoadPlan {
  profile: Profile;
  vus: number;
  /** Seconds at the target (ramps come on top). */
  durationS: number;
  /** Target arrival rate of `breakpoint` (iterations/s). */
  rate: number;
  thinkMs: number;
  /** Share of converts retried under the same key. */
  retryShare: number;
  /** Mean pause between the harness publisher's new versions (ms): each opens a window for a stale submit. */
  publishEveryMs: number;
  faults: string[];
  /** k6 instances splitting the run by execution segments (their histories merge into one). */
  instances: number;
  /** k6 runs elsewhere (k6-operator pods) and writes into this shared directory; `instances` pods are expected. */
  k6Dir?: string;
}

const DEFAULTS: Record<Profile, Omit<LoadPlan, 'profile' | 'faults' | 'instances'>> = {
  smoke: { vus: 8, durationS: 30, rate: 20, thinkMs: 200, retryShare: 0.5, publishEveryMs: 300 },
  load: { vus: 200, durationS: 60, rate: 100, thinkMs: 3000, retryShare: 0.2, publishEveryMs: 500 },
  spike: { vus: 300, durationS: 60, rate: 100, thinkMs: 2000, retryShare: 0.2, publishEveryMs: 500 },
  soak: { vus: 100, durationS: 1800, rate: 50, thinkMs: 3000, retryShare: 0.2, publishEveryMs: 1000 },
  // A breakpoint run must break: at 400 iterations/s two runs on this 2-core machine ended unbroken
  // (every limit held up to 1561 requests/s); at 600 it broke 80 s in, at 1665 requests/s.
  breakpoint: { vus: 50, durationS: 120, rate: 600, thinkMs: 0, retryShare: 0.2, publishEveryMs: 1000 },
};

/**
 * The plan for `profile` with the given overrides. A think time other than the profile's stretches
 * the publisher's pause by as much (unless it is given too): a quote is priced, then submitted a
 * think later, and goes stale when a publish lands between. Kept at 500 ms, an 8 s think left
 * almost no submit fresh (1000 users: 200–770 submits per phase, 1–8 accepted), so no quote reached
 * approval and no-approval-bypass met nothing to judge.
 */
export function loadPlan(profile: string, overrides: Partial<Omit<LoadPlan, 'profile'>> = {}): LoadPlan {
  if (!(PROFILES as readonly string[]).includes(profile))
    throw new UsageError(`unknown profile '${profile}'`, `profiles: ${PROFILES.join(', ')}`);
  const p = profile as Profile;
  const base = DEFAULTS[p];
  const paced =
    overrides.thinkMs !== undefined && overrides.thinkMs > base.thinkMs && base.thinkMs > 0
      ? { publishEveryMs: Math.round((base.publishEveryMs * overrides.thinkMs) / base.thinkMs) }
      : {};
  return { profile: p, ...base, ...paced, faults: [], instances: 1, ...overrides };
}

/** Seconds of the ramp up (the ramp down is half of it). */
export function rampS(plan: Pick<LoadPlan, 'durationS'>): number {
  return Math.round(Math.min(30, Math.max(2, plan.durationS / 5)));
}

/** How long k6 runs, ramps included (ms). */
export function spanMs(plan: Pick<LoadPlan, 'profile' | 'durationS'>): number {
  const ramp = rampS(plan);
  if (plan.profile === 'load') return (ramp + plan.durationS + Math.max(1, Math.round(ramp / 2))) * 1000;
  if (plan.profile === 'spike') {
    // k6/lib/profiles.ts: base, jump, hold, drop, base — a fifth, ≤5 s, two fifths, ≤5 s, a fifth.
    const part = Math.max(1, Math.round(plan.durationS / 5));
    const jump = Math.max(1, Math.round(Math.min(5, plan.durationS / 5)));
    return (part * 2 + Math.max(1, Math.round((plan.durationS / 5) * 2)) + jump * 2) * 1000;
  }
  return plan.durationS * 1000;
}

/** The `-e` variables k6/lib/config.ts reads. */
export function k6Vars(
  plan: LoadPlan,
  run: { apiUrls: readonly string[]; tenants: readonly string[]; instance: string },
) {
  return {
    API_URLS: run.apiUrls.join(','),
    TENANTS: run.tenants.join(','),
    INSTANCE: run.instance,
    VUS: String(plan.vus),
    DURATION_S: String(plan.durationS),
    RAMP_S: String(rampS(plan)),
    RATE: String(plan.rate),
    THINK_MS: String(plan.thinkMs),
    RETRY_SHARE: String(plan.retryShare),
  };
}
