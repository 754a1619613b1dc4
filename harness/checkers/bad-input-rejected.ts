/**
 * `bad-input-rejected`: every malformed request (`f: hostile`, each made invalid on purpose) is
 * refused with a 4xx `application/problem+json` answer that names a `code` — never accepted
 * (`accepted`), never a 5xx (`server-error`), never a bare error (`not-problem-json`) — and the
 * requests together write nothing: the tenant's footprint in the contract's tables (`f: footprint`
 * ops, `phase` before and after) is unchanged (`wrote`).
 *
 * A request that got no answer (timeout, connection lost: `info` without a status) proves neither
 * way; it is counted, not judged. Opportunities: requests that got an answer.
 */
import { resultOf, unknown, type Anomaly, type Checker } from '../core/checker.ts';
import { pairOps, type Op } from '../core/op.ts';
import { num, str } from '../core/vocabulary.ts';

const describe = (op: Op) =>
  `${str(op.value.method) ?? '?'} ${str(op.value.path) ?? '?'} (${str(op.value.mutation) ?? '?'})`;

export const badInputRejected: Checker = {
  name: 'bad-input-rejected',
  live: true,
  check(history: readonly Op[]) {
    const pairs = pairOps(history).filter((p) => p.invoke.f === 'hostile');
    const anomalies: Anomaly[] = [];
    let answered = 0;
    let unanswered = 0;
    for (const { invoke, completion } of pairs) {
      const status = num(completion?.value.status);
      if (!completion || status === undefined) {
        unanswered++;
        continue;
      }
      answered++;
      const ops = [invoke.index, completion.index];
      const what = describe(invoke);
      if (status < 400) anomalies.push({ kind: 'accepted', message: `${what} was accepted with ${status}`, ops });
      else if (status >= 500)
        anomalies.push({
          kind: 'server-error',
          message: `${what} got ${status} ${str(completion.value.code) ?? ''}`.trim(),
          ops,
        });
      else if (
        !/^application\/problem\+json/.test(str(completion.value.contentType) ?? '') ||
        !str(completion.value.code)
      )
        anomalies.push({
          kind: 'not-problem-json',
          message: `${what} got ${status} as ${str(completion.value.contentType) ?? 'no content type'} without a problem code`,
          ops,
        });
    }
    const footprints = history.filter((op) => op.f === 'footprint' && op.type === 'ok');
    const before = footprints.find((op) => op.value.phase === 'before');
    const after = footprints.find((op) => op.value.phase === 'after');
    const stats = { requests: pairs.length, answered, unanswered, footprints: footprints.length };
    if (pairs.length > 0 && (!before || !after))
      return unknown('the footprint was not read before and after the requests', stats, answered);
    if (before && after) {
      const was = (before.value.counts ?? {}) as Record<string, number>;
      const now = (after.value.counts ?? {}) as Record<string, number>;
      const changed = Object.keys({ ...was, ...now }).filter((k) => was[k] !== now[k]);
      if (changed.length > 0)
        anomalies.push({
          kind: 'wrote',
          message: `malformed requests changed ${changed.map((k) => `${k} ${was[k] ?? 0} → ${now[k] ?? 0}`).join(', ')}`,
          ops: [before.index, after.index],
        });
    }
    return resultOf(anomalies, stats, answered, 'malformed requests that got an answer');
  },
};
