// Integration: every planted bug demonstrably changes behaviour — its probe observes the defect
// with the bug switched on, and the same probe observes nothing on the correct system.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceSystem } from './reference-system.ts';
import { BUG_PROBES, l1Joined } from './testing/bug-probes.ts';
import { startStack, type Stack } from './testing/stack.ts';

it('has a probe for every planted bug', () => {
  expect(Object.keys(BUG_PROBES).sort()).toEqual([...referenceSystem.bugs].sort());
});

describe('on the correct system no probe observes a defect', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ failpoints: true, clock: true });
    await l1Joined(stack);
  });
  afterAll(async () => stack?.stop());

  it.each(referenceSystem.bugs.map((name) => [name]))('%s: no defect', async (name) => {
    expect(await BUG_PROBES[name]!(stack, `ok-${name}`)).toBe(false);
  });
});

describe('with each bug switched on, its probe observes the defect', () => {
  it.each(referenceSystem.bugs.map((name) => [name]))('%s: defect observed', async (name) => {
    await using stack = await startStack({ bugs: [name], failpoints: true, clock: true });
    await l1Joined(stack);
    expect(await BUG_PROBES[name]!(stack, `bug-${name}`)).toBe(true);
  });
});
