// Agent presence across instances. Presence lives in the Store (any instance's routing reads it). A status
// change is re-routed once, by the instance that received it, and announced on the `agents-changed` channel.
// Expiry (a closed laptop sends nothing) is noticed by one instance only: the holder of the leased `sweeper`
// slot, so N instances do not each re-evaluate every waiting chat; if it dies its lease lapses and another
// instance takes over on its next sweep.
import { channels, keys } from './keys.js';
import type { Coordination } from './coordination.js';
import type { Flow } from './flow/index.js';
import type { Logger } from './options.js';
import type { Store } from './store.js';
import type { AgentClaims } from './token.js';

export interface PresenceDeps {
  store: Store;
  coordination: Coordination;
  flow: Flow;
  now: () => number;
  log: Logger;
  /** How often the sweep runs. */
  sweepMs: number;
  /** Runs on the sweeper only, on every sweep (audit retention). */
  onSweep: (now: number) => Promise<void>;
}

export function createPresence(d: PresenceDeps) {
  /** Agents online at the last look, as this instance knows it (-1 = not looked yet). */
  let onlineBefore = -1;
  let lease: string | null = null;
  /** This instance saw the slot held by another instance. */
  let sawOther = false;
  // Three sweeps, but never under 5 s: a sweep slowed down by a loaded machine or a slow store must not outlive
  // its own lease (another instance would take over and re-evaluate the same expiry a second time).
  const leaseMs = Math.max(d.sweepMs * 3, 5_000);
  /** A sweep in progress on this instance: the interval does not start a second one beside it. */
  let sweeping: Promise<void> | null = null;

  const refreshBaseline = async () => {
    onlineBefore = (await d.flow.availability()).online;
  };

  async function announce(): Promise<void> {
    await d.coordination.publish(channels.agents, String(d.now()));
  }

  /** Records that `agent` was seen (and, with `status`, their choice); re-routes when the status changed. */
  async function touch(agent: AgentClaims, status?: 'online' | 'offline'): Promise<void> {
    const prev = (await d.store.listAgents()).find((a) => a.agentId === agent.agentId);
    await d.store.setAgentPresence({
      agentId: agent.agentId,
      name: agent.name,
      role: agent.role,
      status: status ?? prev?.status ?? 'offline',
      lastSeen: d.now(),
      ...(agent.profile ? { profile: agent.profile } : {}),
    });
    if (status && status !== prev?.status) {
      await d.flow.agentsChanged();
      await announce();
    }
  }

  /** Holds (or takes over) the sweeper slot; true when this instance sweeps now. */
  async function isSweeper(): Promise<boolean> {
    if (lease && (await d.coordination.renew(keys.sweeper, lease, leaseMs))) return true;
    const takingOver = lease !== null || sawOther;
    lease = await d.coordination.acquire(keys.sweeper, 1, leaseMs);
    if (!lease) {
      sawOther = true;
      return false;
    }
    // Taking over from a sweeper that died (or a lapsed lease): what changed in the gap is unknown, so
    // re-evaluate once rather than miss an expiry. The first sweeper of a fresh start only takes a baseline.
    if (takingOver) onlineBefore = -2;
    return true;
  }

  async function sweep(): Promise<void> {
    if (!(await isSweeper())) return;
    const t = d.now();
    await d.onSweep(t);
    const a = await d.flow.availability();
    const before = onlineBefore;
    onlineBefore = a.online;
    if (before === -1 || before === a.online) return;
    await d.flow.agentsChanged();
    await announce();
  }

  let unsubscribe: (() => void) | null = null;
  return {
    touch,
    sweep: (): Promise<void> =>
      (sweeping ??= sweep()
        .catch((e: unknown) => d.log('warn', 'presence sweep failed', { error: e instanceof Error ? e.message : String(e) }))
        .finally(() => {
          sweeping = null;
        })),
    /** Listens for changes re-routed elsewhere so the sweeper does not re-route them again. */
    async start(): Promise<void> {
      unsubscribe = await d.coordination.subscribe(channels.agents, () => {
        refreshBaseline().catch(() => undefined);
      });
    },
    async stop(): Promise<void> {
      unsubscribe?.();
      unsubscribe = null;
      if (lease) await d.coordination.release(keys.sweeper, lease).catch(() => undefined);
      lease = null;
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
