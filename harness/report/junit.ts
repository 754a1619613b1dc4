/**
 * `junit.xml`: one testsuite per scenario, one testcase per checker. A violated checker is a
 * `<failure>` whose message carries the first anomaly and the replay line; an undecided one is an
 * `<error>` with its reason (CI must not read "could not judge" as a pass).
 */
import type { RunOutcome } from '../core/outcome.ts';
import { escapeXml } from './escape.ts';

export function junitXml(outcome: RunOutcome): string {
  const suites = outcome.scenarios.map((s) => {
    const failures =
      s.checkers.filter((c) => c.valid === false).length +
      (s.gameday?.scorecard.measures.filter((m) => m.failed).length ?? 0);
    const errors =
      s.checkers.filter((c) => c.valid === 'unknown').length + (s.error ? 1 : 0) + (s.faultProblems?.length ?? 0);
    const cases = s.checkers.map((c) => {
      const time = (s.durationMs / 1000 / Math.max(1, s.checkers.length)).toFixed(3);
      const props = `\n      <properties><property name="opportunities" value="${c.opportunities}"/>${c.judges ? `<property name="judges" value="${escapeXml(c.judges)}"/>` : ''}</properties>`;
      const open = `    <testcase classname="${escapeXml(s.name)}" name="${escapeXml(c.name)}" time="${time}"`;
      if (c.valid === false) {
        const first = c.anomalies[0];
        const message = `${first ? `${first.kind} ×${first.count}: ${first.first.message}` : 'violated'} — replay: ${s.replay}`;
        const body = c.anomalies
          .map((a) => `${a.kind} ×${a.count}: ${a.first.message} (ops ${a.ops.slice(0, 20).join(', ')})`)
          .join('\n');
        return `${open}>${props}\n      <failure message="${escapeXml(message)}" type="${escapeXml(first?.kind ?? 'violation')}">${escapeXml(`${body}\n\nreplay: ${s.replay}`)}</failure>\n    </testcase>`;
      }
      if (c.valid === 'unknown')
        return `${open}>${props}\n      <error message="${escapeXml(`unknown: ${c.reason ?? 'could not decide'}`)}" type="unknown"/>\n    </testcase>`;
      return `${open}>${props}\n    </testcase>`;
    });
    for (const problem of s.faultProblems ?? [])
      cases.push(
        `    <testcase classname="${escapeXml(s.name)}" name="faults"><error message="${escapeXml(problem)}" type="fault"/></testcase>`,
      );
    // A drill's scorecard: one case per measure, failed when the measure fails the drill.
    for (const m of s.gameday?.scorecard.measures ?? [])
      cases.push(
        `    <testcase classname="${escapeXml(s.name)}" name="scorecard: ${escapeXml(m.name)}">${m.failed ? `<failure message="${escapeXml(`${m.name}: ${m.note}`)}" type="scorecard"/>` : ''}</testcase>`,
      );
    if (s.error)
      cases.push(
        `    <testcase classname="${escapeXml(s.name)}" name="harness"><error message="${escapeXml(s.error)}" type="harness"/></testcase>`,
      );
    return `  <testsuite name="${escapeXml(s.name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${(s.durationMs / 1000).toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cpqchaos ${escapeXml(outcome.runId)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
