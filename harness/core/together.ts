/**
 * Work shared by callers that ask at about the same time, where each must see what was done before
 * it asked (a read of Kafka's topics for every scenario of a round): a caller gets a run that began
 * after it asked — those asking while one is under way share the next one — so N callers at once
 * cost at most two runs, and none gets a result older than its question.
 */
const slots = new Map<string, { next?: Promise<unknown>; under: Promise<unknown> }>();

/** `start()`'s result, from a run begun after this call, shared with the others under `key`. */
export function together<T>(key: string, start: () => Promise<T>): Promise<T> {
  const slot = slots.get(key) ?? { under: Promise.resolve() };
  slots.set(key, slot);
  slot.next ??= slot.under.then(() => {
    slot.next = undefined;
    const run = start();
    slot.under = run.catch(() => undefined);
    return run;
  });
  return slot.next as Promise<T>;
}
