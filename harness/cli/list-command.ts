/**
 * `cpqchaos list [--json]`: the scenario catalog — name, family, tags, faults, checkers, what it
 * requires of the system under test, purpose; recorded counterexamples first.
 */
import { counterexamples, SCENARIOS } from '../../scenarios/index.ts';
import { EXIT } from '../core/errors.ts';
import { catalogRow } from './docs-tables.ts';
import { parseFlags } from './shared/args.ts';

export async function listCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'usage: cpqchaos list [--json]\n\nThe scenario catalog: name, family, tags, faults, checkers, purpose.\n',
    );
    return EXIT.ok;
  }
  const { values } = parseFlags('list', argv, { json: { type: 'boolean', default: false } });
  // Recorded counterexamples (the failure database) are scenarios too, and the gate runs them first.
  const rows = [...counterexamples(), ...SCENARIOS].map(catalogRow);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  for (const r of rows) {
    process.stdout.write(
      `${r.name}  [${r.family}; ${r.tags.join(', ')}]  ${r.timeLimitS} s\n  ${r.purpose}\n  faults: ${r.faults.join(', ') || 'none'}\n  checkers: ${r.checkers.join(', ')}\n${r.requires.length ? `  requires: ${r.requires.join('; ')}\n` : ''}`,
    );
  }
  return EXIT.ok;
}
