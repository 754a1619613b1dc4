// What every runbook action shares: the running drill (from the drill itself, or from
// .cpqchaos/gameday.json when an operator runs the action by hand) and a mark on its timeline.
import { fs, path, echo } from 'zx';

/** The running game day, or exit 64 with a clear line. */
export function drill() {
  if (process.env.CPQCHAOS_GAMEDAY) return JSON.parse(process.env.CPQCHAOS_GAMEDAY);
  const file = path.join(process.cwd(), '.cpqchaos', 'gameday.json');
  if (!fs.existsSync(file)) {
    echo(`no game day is running here (${file} is missing): start one with npx cpqchaos gameday <plan>`);
    process.exit(64);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Puts a mark on the drill's timeline when an operator runs the action (the drill marks its own runs). */
export function mark(live, text) {
  if (process.env.CPQCHAOS_ACTION_BY === 'drill') return;
  fs.appendFileSync(live.marks, `${JSON.stringify({ at: Date.now(), text, by: 'action' })}\n`);
}
