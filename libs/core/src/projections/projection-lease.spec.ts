import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { activeHolder, newLeaseOwner, type LeaseDocument } from './projection-lease';

/** The pid of a process that has exited, so nothing answers to it (until the kernel reuses it). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''], { timeout: 30_000 });
  if (child.pid === undefined) throw new Error('could not start a short-lived process');
  return child.pid;
}

const lease = (owner: string): LeaseDocument => ({ _id: 'tally', owner, expiresAt: Date.now() + 60_000, acquiredAt: Date.now() });

describe('lease holders and their liveness', () => {
  it('names the owner host:pid:instance:random', () => {
    expect(newLeaseOwner()).toMatch(new RegExp(`^${hostname()}:${process.pid}:[0-9a-z]{12}:[0-9a-f]{8}$`));
  });

  it('never declares dead a holder with this hostname in another PID namespace or boot, even when its pid is free here', () => {
    const pid = deadPid();
    const otherContainer = `${hostname()}:${pid}:0123456789ab:feedbeef`;
    expect(activeHolder(lease(otherContainer))).toBe(otherContainer);
  });

  it('never declares dead an owner written without an instance (host:pid:random)', () => {
    const legacy = `${hostname()}:${deadPid()}:feedbeef`;
    expect(activeHolder(lease(legacy))).toBe(legacy);
  });

  it('still declares dead a holder of this instance whose process is gone, so a crash is taken over at once', () => {
    const mine = newLeaseOwner().split(':');
    const crashed = [mine[0], String(deadPid()), mine[2], mine[3]].join(':');
    expect(activeHolder(lease(crashed))).toBeNull();
    expect(activeHolder(lease(newLeaseOwner()))).not.toBeNull();
  });
});
