/** The exploration model on hand-written steps and completions: valid runs, violations, ambiguous answers. */
import { describe, expect, it } from 'vitest';
import type { Op } from '../core/op.ts';
import { ExploreModel } from './step-model.ts';
import { describeSteps, stepProblem, type Step } from './steps.ts';

let index = 0;
const op = (type: Op['type'], f: string, value: Record<string, unknown>, error?: string): Op => ({
  index: index++,
  time: index,
  process: 'explore',
  type,
  f,
  value,
  ...(error ? { error } : {}),
});
const model = () => new ExploreModel(new Set(['redis-restart']), ['ta', 'tb']);
const create: Step = {
  kind: 'create-quote',
  tenant: 0,
  offering: 'router',
  quantity: 1,
  discountPct: 0,
  upTo: 'priced',
};
const submit: Step = { kind: 'quote', quote: 0, action: 'submit' };
const priced = op('ok', 'price', {
  tenant: 'ta',
  quoteId: 'q-1',
  catalogVersion: 1,
  priceListVersion: 1,
  policyVersion: 1,
});

describe('ExploreModel', () => {
  it('accepts a submit when nothing newer was acknowledged, and convicts one after a newer price list', () => {
    const m = model();
    m.observe(create, [op('ok', 'create-quote', { tenant: 'ta', quoteId: 'q-1' }), priced]);
    expect(m.observe(submit, [op('ok', 'submit', { tenant: 'ta', quoteId: 'q-1' })])).toEqual([]);
    m.observe({ kind: 'publish', tenant: 0, domain: 'pricing' }, [
      op('ok', 'publish', { tenant: 'ta', domain: 'pricing', version: 2 }),
    ]);
    const accepted = op('ok', 'submit', { tenant: 'ta', quoteId: 'q-1' });
    const found = m.observe(submit, [accepted]);
    expect(found).toEqual([
      { step: 3, text: 'submit of q-1 accepted at pricing v1, after v2 was acknowledged', ops: [accepted.index] },
    ]);
  });

  it('convicts a submit that meets a policy publish the moment it is acknowledged, in the same step', () => {
    const m = model();
    const publish: Step = { kind: 'publish-policy', tenant: 0, maxDiscountPct: 5, submit: 7 };
    expect(m.resolve(publish)).toEqual({ kind: 'publish-policy', tenant: 0, maxDiscountPct: 5 }); // no quote yet
    m.observe(create, [op('ok', 'create-quote', { tenant: 'ta', quoteId: 'q-1' }), priced]);
    expect(m.resolve(publish)).toEqual({ ...publish, submit: 0 });
    const policy = op('ok', 'publish', { tenant: 'ta', domain: 'policy', version: 2 });
    const refused = op('fail', 'submit', { tenant: 'ta', quoteId: 'q-1' }, 'STALE_POLICY');
    expect(m.observe(publish, [policy, refused])).toEqual([]);
    const accepted = op('ok', 'submit', { tenant: 'ta', quoteId: 'q-1' });
    expect(m.observe(publish, [op('ok', 'publish', { tenant: 'ta', domain: 'policy', version: 3 }), accepted])).toEqual(
      [{ step: 2, text: 'submit of q-1 accepted at policy v1, after v3 was acknowledged', ops: [accepted.index] }],
    );
  });

  it("does not count a publish that was never acknowledged, nor another tenant's", () => {
    const m = model();
    m.observe(create, [op('ok', 'create-quote', { tenant: 'ta', quoteId: 'q-1' }), priced]);
    m.observe({ kind: 'publish', tenant: 0, domain: 'pricing' }, [
      op('info', 'publish', { tenant: 'ta', domain: 'pricing' }, 'timeout'),
    ]);
    m.observe({ kind: 'publish', tenant: 1, domain: 'pricing' }, [
      op('ok', 'publish', { tenant: 'tb', domain: 'pricing', version: 9 }),
    ]);
    expect(m.observe(submit, [op('ok', 'submit', { tenant: 'ta', quoteId: 'q-1' })])).toEqual([]);
  });

  it('convicts a second order and a refused replay, not an ambiguous convert', () => {
    const m = model();
    m.observe(create, [op('ok', 'create-quote', { tenant: 'ta', quoteId: 'q-1' })]);
    const convert = (key: string): Step => ({ kind: 'convert', quote: 0, key, copies: 1 });
    expect(m.observe(convert('a'), [op('info', 'convert', { quoteId: 'q-1', key: 'k-a' }, 'timeout')])).toEqual([]);
    expect(m.observe(convert('a'), [op('ok', 'convert', { quoteId: 'q-1', key: 'k-a', orderId: 'o-1' })])).toEqual([]);
    expect(m.observe(convert('a'), [op('ok', 'convert', { quoteId: 'q-1', key: 'k-a', orderId: 'o-1' })])).toEqual([]);
    expect(
      m.observe(convert('b'), [op('fail', 'convert', { quoteId: 'q-1', key: 'k-b' }, 'QUOTE_ALREADY_CONVERTED')]),
    ).toEqual([]);
    expect(
      m.observe(convert('b'), [op('ok', 'convert', { quoteId: 'q-1', key: 'k-b', orderId: 'o-2' })])[0]?.text,
    ).toBe('a second order for q-1: o-2 after o-1');
    expect(
      m.observe(convert('a'), [op('fail', 'convert', { quoteId: 'q-1', key: 'k-a' }, 'QUOTE_ALREADY_CONVERTED')])[0]
        ?.text,
    ).toBe('the replay of key k-a was refused with QUOTE_ALREADY_CONVERTED, though it got order o-1');
  });

  it('applies quote steps only once a quote exists, wrapping positions; faults start off and heal on', () => {
    const m = model();
    expect(m.applicable(submit)).toBe(false);
    m.observe(create, [op('ok', 'create-quote', { tenant: 'ta', quoteId: 'q-1' })]);
    expect(m.resolve({ kind: 'quote', quote: 3, action: 'submit' })).toEqual(submit);
    const start: Step = { kind: 'fault', fault: 'redis-restart', action: 'start' };
    const stop: Step = { kind: 'fault', fault: 'redis-restart', action: 'stop' };
    expect([m.applicable(start), m.applicable(stop)]).toEqual([true, false]);
    m.observe(start, []);
    expect([m.applicable(start), m.applicable(stop)]).toEqual([false, true]);
    expect(m.applicable({ kind: 'fault', fault: 'kafka-outage', action: 'start' })).toBe(false);
  });
});

describe('steps', () => {
  it('print as numbered lines and validate when read back', () => {
    expect(describeSteps([create, submit, { kind: 'fault', fault: 'redis-restart', action: 'stop' }])).toEqual([
      ' 1. create quote t0: 1× router at 0% off, priced',
      ' 2. submit q0',
      ' 3. heal redis-restart',
    ]);
    expect(stepProblem(create)).toBeUndefined();
    expect(stepProblem({ ...create, offering: 'boat' })).toMatch(/offering must be one of/);
    expect(stepProblem({ ...create, upTo: 'ordered' })).toBeUndefined();
    expect(stepProblem({ ...create, upTo: 'shipped' })).toBe('upTo must be one of draft, priced, accepted, ordered');
    expect(stepProblem({ kind: 'teleport' })).toBe('unknown step kind "teleport"');
    expect(stepProblem({ kind: 'wait', ms: -1 })).toMatch(/ms must be/);
    const burst: Step = { kind: 'burst', tenant: 1, requests: 20 };
    expect(describeSteps([burst])).toEqual([
      ' 1. burst t1: 20 requests at once via api-0, creates and converts of its quotes',
    ]);
    expect(stepProblem(burst)).toBeUndefined();
    expect(stepProblem({ ...burst, requests: 1 })).toMatch(/requests must be 2\.\.200/);
    const twoLines: Step = { ...create, upTo: 'draft', more: [{ offering: 'switch', quantity: 3, discountPct: 5 }] };
    expect(describeSteps([twoLines])).toEqual([' 1. create quote t0: 1× router at 0% off + 3× switch at 5% off']);
    expect(stepProblem(twoLines)).toBeUndefined();
    const retried: Step = { kind: 'convert', quote: 0, key: 'a', copies: 2, timeoutMs: 30 };
    expect(describeSteps([retried])).toEqual([
      ' 1. convert q0 key a ×2 at once, first giving up after 30 ms and retried',
    ]);
    expect(stepProblem({ ...retried, timeoutMs: 0 })).toMatch(/timeoutMs must be/);
    expect(stepProblem({ ...twoLines, more: [{ offering: 'switch', quantity: 0, discountPct: 5 }] })).toMatch(
      /more must be lines/,
    );
    const policy: Step = { kind: 'publish-policy', tenant: 1, maxDiscountPct: 5, submit: 2 };
    expect(describeSteps([policy, { ...policy, submit: undefined }])).toEqual([
      ' 1. publish policy t1 (approval above 5%), then submit q2 at once',
      ' 2. publish policy t1 (approval above 5%)',
    ]);
    expect(stepProblem(policy)).toBeUndefined();
    expect(stepProblem({ ...policy, submit: -1 })).toMatch(/submit must be a quote/);
  });

  it('name a price list or a price read in a currency other than EUR, and refuse an unknown one', () => {
    const usd: Step = { kind: 'publish', tenant: 1, domain: 'pricing', currency: 'USD' };
    const read: Step = { kind: 'read', tenant: 0, what: 'price', offering: 'router', instance: 1, currency: 'USD' };
    expect(describeSteps([usd, read])).toEqual([
      ' 1. publish pricing USD t1',
      ' 2. read price router in USD t0 via api-1',
    ]);
    expect([stepProblem(usd), stepProblem(read)]).toEqual([undefined, undefined]);
    expect(stepProblem({ ...read, currency: 'XXX' })).toMatch(/currency must be one of EUR, USD/);
    expect(stepProblem({ ...usd, currency: 7 })).toMatch(/currency must be one of/);
  });
});
