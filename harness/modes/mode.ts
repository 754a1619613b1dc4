/**
 * What a mode (explore, load, gameday) hands the CLI: the run to execute — its scenarios, driver,
 * report sections and what `run.json` records — and, once it ran, what to print and the exit code.
 * The CLI parses flags into the mode's settings, executes the run (progress line, Ctrl-C, verdict)
 * and prints what `finish` says; a mode holds every decision of its own.
 */
import type { RunOptions } from '../runner/run-types.ts';

/** The run options a mode decides (the CLI adds the system, environment, backend and out dir). */
export type ModeRunOptions = Omit<RunOptions, 'signal' | 'onProgress' | 'env' | 'system' | 'outRoot' | 'backend'>;

/** What a mode ends with: text for stdout, a warning for stderr, the command's exit code. */
export interface ModeResult {
  text: string;
  warning?: string;
  code: number;
}

export interface ModeRun {
  options: ModeRunOptions;
  /** What runs, for the run's first line, when the scenario list does not say it (explore). */
  planned?: string;
  /** The verdict printed in brief (the mode prints its own figures). */
  brief: boolean;
  /** Given the runner's exit code: what to print and the exit code of the command. */
  finish(code: number): ModeResult;
  /** Called at the end whatever happened (also on a throw): releases what the mode holds. */
  close?(): void;
}
