// Unit: a failpoint's heal leaves no live process armed. Only a disarm the process answered counts;
// one that went unanswered (the process dying of the failpoint as the heal comes, or unreachable
// while armed) ends in a fresh process — never in a heal recorded as done over a process that goes
// on to crash with nobody to start it again.
import { describe, expect, it } from 'vitest';
import { healFailpoint } from './failpoint-faults.ts';

/** A process the test scripts: alive or not, what a disarm does, and what was done to it. */
function fakeProcess(script: { alive: boolean; disarm: (p: { alive: boolean }) => void }) {
  const state = { alive: script.alive, kills: 0, starts: 0, disarms: 0 };
  const process = {
    isRunning: () => state.alive,
    kill: async () => {
      state.kills++;
      state.alive = false;
    },
    start: async () => {
      if (state.alive) return;
      state.starts++;
      state.alive = true;
    },
  };
  const failpoints = {
    disarm: async () => {
      state.disarms++;
      script.disarm(state);
    },
  };
  return { state, process, failpoints };
}

describe('healFailpoint', () => {
  it('disarms a live process that answers, and restarts nothing', async () => {
    const { state, process, failpoints } = fakeProcess({ alive: true, disarm: () => undefined });
    expect(await healFailpoint(process, failpoints, 'x')).toEqual({ fired: false, restarted: false });
    expect(state).toMatchObject({ disarms: 1, kills: 0, starts: 0 });
  });

  it('starts a process that crashed before the heal, without asking it anything', async () => {
    const { state, process, failpoints } = fakeProcess({ alive: false, disarm: () => undefined });
    expect(await healFailpoint(process, failpoints, 'x')).toEqual({ fired: true, restarted: true });
    expect(state).toMatchObject({ disarms: 0, kills: 0, starts: 1, alive: true });
  });

  it('starts a process that dies of the failpoint while the heal asks it to disarm', async () => {
    // Seen under 12 sequences at once: alive at the first look, the disarm refused, and still in
    // /proc for a moment after (a look right after the refusal would see it running), then gone.
    const { state, process, failpoints } = fakeProcess({
      alive: true,
      disarm: (p) => {
        setTimeout(() => (p.alive = false), 20);
        throw new Error('fetch failed');
      },
    });
    expect(await healFailpoint(process, failpoints, 'x')).toEqual({
      fired: true,
      restarted: true,
      disarmUnanswered: 'fetch failed',
    });
    expect(state).toMatchObject({ disarms: 1, kills: 0, starts: 1, alive: true });
  });

  it('tries again a disarm that failed once, and keeps the live process when it then answers', async () => {
    let calls = 0;
    const { state, process, failpoints } = fakeProcess({
      alive: true,
      disarm: () => {
        if (calls++ === 0) throw new Error('other side closed');
      },
    });
    expect(await healFailpoint(process, failpoints, 'x')).toEqual({ fired: false, restarted: false });
    expect(state).toMatchObject({ disarms: 2, kills: 0, starts: 0 });
  });

  it('kills and starts afresh a live process that never answers: it may still be armed', async () => {
    const { state, process, failpoints } = fakeProcess({
      alive: true,
      disarm: () => {
        throw new Error('timeout');
      },
    });
    expect(await healFailpoint(process, failpoints, 'x')).toEqual({
      fired: false,
      restarted: true,
      disarmUnanswered: 'timeout',
    });
    expect(state).toMatchObject({ disarms: 3, kills: 1, starts: 1, alive: true });
  });
});
