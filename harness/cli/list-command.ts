/**
 * `cpqchaos list [--json]`: the scenario catalog — name, family, tags, faults, checkers, purpose.
 */
import { SCENARIOS } from '../../scenarios/index.ts';
import { EXIT } from '../env/errors.ts';
import { parseFlags } from './args.ts';

export async function listCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'usage: cpqchaos list [--json]\n\nThe scenario catalog: name, family, tags, faults, checkers, purpose.\n',
    );
    return EXIT.ok;
  }
  const { values } = parseFlags('list', argv, { json: { type: 'boolean', default: false } });
  const rows = SCENARIOS.map((s) => ({
    name: s.name,
    family: s.family,
    tags: [...s.tags],
    faults: [...s.faultNames],
    checkers: [...s.checkers],
    purpose: s.purpose,
    timeLimitS: s.timeLimitS,
  }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  for (const r of rows) {
    process.stdout.write(
      `${r.name}  [${r.family}; ${r.tags.join(', ')}]  ${r.timeLimitS} s\n  ${r.purpose}\n  faults: ${r.faults.join(', ') || 'none'}\n  checkers: ${r.checkers.join(', ')}\n`,
    );
  }
  return EXIT.ok;
}
