// Unit: the history model and checker plumbing — pairing, malformed history lines reported with
// their numbers, anomaly grouping, three-valued composition, a throwing checker becoming unknown.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeValidity, groupAnomalies, runChecker, type Checker } from './checker.ts';
import { emptyFinalState, finalStateFrom } from './final-state.ts';
import { HistoryWriter, parseHistory, readHistory } from './history.ts';
import { opToString, pairOps, type Op } from './op.ts';
import { checkScenario, runValidity, type ScenarioOutcome } from './outcome.ts';

describe('history', () => {
  it('is written as it grows and read back in order', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hist-')), 'history.jsonl');
    const writer = new HistoryWriter(file);
    writer.append({ process: 0, type: 'invoke', f: 'submit', value: { quoteId: 'q' } });
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(1); // on disk before the run ends
    writer.append({ process: 0, type: 'ok', f: 'submit', value: { quoteId: 'q' } });
    writer.close();
    const { ops, malformed } = readHistory(file);
    expect(malformed).toEqual([]);
    expect(ops.map((o) => [o.index, o.type])).toEqual([
      [0, 'invoke'],
      [1, 'ok'],
    ]);
    expect(ops[1]!.time).toBeGreaterThanOrEqual(ops[0]!.time);
  });

  it('reads a file in chunks exactly as it parses it whole, lines and characters split across chunks', () => {
    const line = (index: number) =>
      JSON.stringify({
        index,
        time: index,
        process: 'k6-0-1',
        type: 'ok',
        f: 'read-offering',
        value: { name: `ü€😀 ${index}` },
      });
    const text = [line(0), '{broken', line(1), '', line(2)].join('\n'); // no newline at the end
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hist-')), 'history.jsonl');
    fs.writeFileSync(file, text);
    for (const chunk of [1, 7, 64, 1 << 20]) expect(readHistory(file, chunk)).toEqual(parseHistory(text));
    expect(readHistory(file, 5).ops.map((o) => o.value.name)).toEqual(['ü€😀 0', 'ü€😀 1', 'ü€😀 2']);
  });

  it('reports malformed lines with their line numbers and keeps the rest', () => {
    const good = (index: number) =>
      JSON.stringify({ index, time: index, process: 0, type: 'invoke', f: 'x', value: {} });
    const text = [
      good(0),
      '{not json',
      '',
      JSON.stringify({ index: 2, time: 2, process: 0, type: 'maybe', f: 'x', value: {} }),
      good(3),
    ].join('\n');
    const { ops, malformed } = parseHistory(text);
    expect(ops.map((o) => o.index)).toEqual([0, 3]);
    expect(malformed).toEqual([
      { line: 2, message: expect.stringContaining('invalid JSON') },
      { line: 4, message: 'type must be one of invoke, ok, fail, info' },
    ]);
  });

  it('pairs each invocation with its completion on the same process; an open one stays open', () => {
    const ops = [
      { index: 0, time: 0, process: 0, type: 'invoke' as const, f: 'a', value: {} },
      { index: 1, time: 1, process: 1, type: 'invoke' as const, f: 'b', value: {} },
      { index: 2, time: 2, process: 0, type: 'ok' as const, f: 'a', value: {} },
    ];
    const pairs = pairOps(ops);
    expect(pairs.map((p) => [p.invoke.index, p.completion?.index])).toEqual([
      [0, 2],
      [1, undefined],
    ]);
    expect(opToString(ops[2]!)).toBe('2 0 ok a {}');
  });
});

describe('checker plumbing', () => {
  it('groups anomalies by kind with count, first, last and every op', () => {
    const groups = groupAnomalies([
      { kind: 'x', message: '1', ops: [5, 1] },
      { kind: 'y', message: '2', ops: [3] },
      { kind: 'x', message: '3', ops: [1, 9] },
    ]);
    expect(groups).toEqual([
      {
        kind: 'x',
        count: 2,
        first: { kind: 'x', message: '1', ops: [5, 1] },
        last: { kind: 'x', message: '3', ops: [1, 9] },
        ops: [1, 5, 9],
      },
      {
        kind: 'y',
        count: 1,
        first: { kind: 'y', message: '2', ops: [3] },
        last: { kind: 'y', message: '2', ops: [3] },
        ops: [3],
      },
    ]);
  });

  it('composes false > unknown > true', () => {
    expect(composeValidity([true, 'unknown', false])).toBe(false);
    expect(composeValidity([true, 'unknown'])).toBe('unknown');
    expect(composeValidity([true, true])).toBe(true);
  });

  it('turns a throwing checker into unknown with the reason', () => {
    const result = runChecker(
      {
        name: 'boom',
        check: () => {
          throw new Error('final reads failed');
        },
      },
      [],
      emptyFinalState(),
    );
    expect(result).toMatchObject({ valid: 'unknown', reason: 'boom threw: final reads failed' });
  });
});

describe('a run of several scenarios', () => {
  it('stamps every op with the scenario running, so each is checked on its own ops', () => {
    const writer = new HistoryWriter(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hist-')), 'history.jsonl'));
    writer.scenario = 'a';
    writer.append({ process: 0, type: 'invoke', f: 'read-price', value: {} });
    writer.scenario = 'b';
    writer.append({ process: 0, type: 'invoke', f: 'read-price', value: {} });
    writer.close();
    expect(writer.opsOf('a').map((op) => op.index)).toEqual([0]);
    expect(writer.opsOf('b').map((op) => op.index)).toEqual([1]);
    expect(readHistory(writer.file).ops.map((op) => op.scenario)).toEqual(['a', 'b']);
  });

  it('stamps through a view its own scenario whatever the writer names, and records a shared op once in each', () => {
    const writer = new HistoryWriter(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hist-')), 'history.jsonl'));
    writer.scenario = 'other';
    const [a, b] = [writer.as('a'), writer.as('b')];
    a.append({ process: 0, type: 'invoke', f: 'read-price', value: {} });
    b.append({ process: 0, type: 'invoke', f: 'read-price', value: {} });
    const shared = writer
      .toEach(['a', 'b'])
      .append({ process: 'nemesis', type: 'invoke', f: 'start-fault', value: {} });
    a.appendAt({ process: 0, type: 'ok', f: 'read-price', value: {} }, 5);
    writer.close();
    expect(shared.scenario).toBe('a');
    expect(a.opsOf('a').map((op) => `${op.index} ${op.f}`)).toEqual(['0 read-price', '2 start-fault', '4 read-price']);
    expect(b.opsOf('b').map((op) => `${op.index} ${op.f}`)).toEqual(['1 read-price', '3 start-fault']);
    const [startA, startB] = [writer.history[2], writer.history[3]];
    expect(startA?.time).toBe(startB?.time);
    expect(writer.history[4]?.time).toBe(5);
    expect([a.length, a.countOf('a'), b.countOf('b'), writer.countOf('other')]).toEqual([5, 3, 2, 0]);
  });

  it('keeps only counts in memory when told not to retain (a load run), and reads the same ops back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hist-'));
    const kept = new HistoryWriter(path.join(dir, 'kept.jsonl'));
    const spilled = new HistoryWriter(path.join(dir, 'spilled.jsonl'), { retain: false });
    const record = (scenario: string, f: string) =>
      [kept, spilled].forEach((w) => {
        w.scenario = scenario;
        w.append({ process: 1, type: 'ok', f, value: { quoteId: 'q', nested: { cents: 12 } } });
      });
    record('a', 'submit');
    record('b', 'convert');
    expect(spilled.countOf('a')).toBe(1);
    expect(spilled.opsOf('b').map((op) => [op.index, op.f])).toEqual([[1, 'convert']]);
    record('a', 'accept'); // appended after a read: the next read sees it
    expect(spilled.length).toBe(3);
    expect(spilled.countOf('a')).toBe(2);
    const strip = (ops: readonly Op[]) => ops.map(({ time: _time, ...op }) => op);
    expect(strip(spilled.opsOf('a'))).toEqual(strip(kept.opsOf('a')));
    expect(strip(spilled.history)).toEqual(strip(kept.history));
    expect(spilled.history).toBe(spilled.history); // read once per length
    kept.close();
    spilled.close();
  });

  it('is unknown when incomplete unless something was violated', () => {
    const scenario = (valid: true | false | 'unknown') => ({ valid }) as ScenarioOutcome;
    expect(runValidity([scenario(true)], false)).toBe(true);
    expect(runValidity([scenario(true)], true)).toBe('unknown');
    expect(runValidity([scenario(true), scenario(false)], true)).toBe(false);
    expect(runValidity([scenario('unknown')], false)).toBe('unknown');
  });
});

describe('final state', () => {
  it('keeps parameters apart from observations, and reads the flat bag older runs stored', () => {
    expect(finalStateFrom({ parameters: { stalenessBudgetMs: 6000 }, observations: { quotes: [] } })).toEqual({
      parameters: { stalenessBudgetMs: 6000 },
      observations: { quotes: [] },
    });
    expect(finalStateFrom({ stalenessBudgetMs: 6000, quotes: [], quiesce: { waitedMs: 1 }, other: 1 })).toEqual({
      parameters: { stalenessBudgetMs: 6000 },
      observations: { quotes: [], quiesce: { waitedMs: 1 } },
    });
    expect(finalStateFrom(undefined)).toBeUndefined();
  });
});

describe('a scenario whose faults did not happen as planned', () => {
  const nemesis = (type: 'ok' | 'info', f: string, index: number) => ({
    index,
    time: index,
    process: 'nemesis',
    type,
    f,
    value: { fault: 'invalidation-pause', target: 'invalidation' },
    ...(type === 'info' ? { error: 'component cannot pause' } : {}),
  });
  const passing: Checker = {
    name: 'always',
    check: () => ({ valid: true, opportunities: 3, anomalies: [], stats: {} }),
  };
  const failing: Checker = {
    name: 'never',
    check: () => ({ valid: false, opportunities: 3, anomalies: [], stats: {} }),
  };

  it('is unknown when a fault did not start or did not heal, naming it — the old code passed it', () => {
    const ops = [nemesis('info', 'start-fault', 0), nemesis('ok', 'stop-fault', 1)] as Op[];
    const outcome = checkScenario({ name: 's', checkers: [passing] }, ops, emptyFinalState(), false);
    expect(outcome.valid).toBe('unknown');
    expect(outcome.faultProblems).toEqual(['invalidation-pause (invalidation) did not start: component cannot pause']);
    const unhealed = [nemesis('ok', 'start-fault', 0), nemesis('info', 'stop-fault', 1)] as Op[];
    expect(
      checkScenario({ name: 's', checkers: [passing] }, unhealed, emptyFinalState(), false).faultProblems?.[0],
    ).toMatch(/did not heal/);
  });

  it('still fails when a checker found a violation, and passes when every fault happened', () => {
    const broken = [nemesis('info', 'start-fault', 0)] as Op[];
    expect(checkScenario({ name: 's', checkers: [failing] }, broken, emptyFinalState(), false).valid).toBe(false);
    const fine = [nemesis('ok', 'start-fault', 0), nemesis('ok', 'stop-fault', 1)] as Op[];
    const outcome = checkScenario({ name: 's', checkers: [passing] }, fine, emptyFinalState(), false);
    expect(outcome).toMatchObject({ valid: true });
    expect(outcome.faultProblems).toBeUndefined();
  });
});
