/**
 * The errors every layer of cpqchaos throws to the CLI, each carrying the contract's exit code and
 * a one-line remedy.
 *
 * `UsageError` (64) is the caller's mistake — nothing was started. `InfraError` (255) is the
 * machine's or a service's — whatever was started has been stopped before it is thrown.
 */

/** Exit codes of contract section 1. */
export const EXIT = { ok: 0, violated: 1, unknown: 2, usage: 64, interrupted: 130, infra: 255 } as const;

/** An error with an exit code and a remedy, printed as one line by the CLI. */
export class CpqChaosError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly remedy?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** One line: what is wrong, then what to do. */
  oneLine(): string {
    return this.remedy ? `${this.message} — ${this.remedy}` : this.message;
  }
}

/** Bad usage or invalid input (exit 64). */
export class UsageError extends CpqChaosError {
  constructor(message: string, remedy?: string) {
    super(message, EXIT.usage, remedy);
  }
}

/** A machine, toolchain or service failure (exit 255). */
export class InfraError extends CpqChaosError {
  constructor(message: string, remedy?: string) {
    super(message, EXIT.infra, remedy);
  }
}

/** The message of any thrown value, for logs. */
export function messageOf(error: unknown): string {
  if (error instanceof CpqChaosError) return error.oneLine();
  if (error instanceof Error) return error.message;
  return String(error);
}
