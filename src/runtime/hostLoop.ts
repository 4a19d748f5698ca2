/**
 * HostRunner: the lock-step tick loop of one host around the pure `stepHost`, shared by the browser
 * worker (host.worker.ts) and the Node thread (node/host.thread.ts). It is the only code that blocks.
 *
 * Per tick t (conservative lock-step with lookahead L = link latency in ticks):
 *   wait until DONE[peer] >= t - L + 1      (every message due by t has been published)
 *   drain the peer's link ring and my input ring into my inbox / input list
 *   stepHost(host, due messages, due inputs, t)
 *   write outbound messages to my link ring, events to my event ring
 *   DONE[me] = t + 1; notify
 * Messages sent at t arrive at t + L or later, so nothing the peer does at t can change my tick t:
 * the result is the same as the in-process LocalWorld, which parity tests check.
 */
import type { HostId, SimEvent } from '../sim/events'
import { clonePlain } from '../sim/clone'
import { HostHistory } from '../sim/history'
import { createHost, stepHost, type HostState } from '../sim/host'
import type { AppliedInput } from '../sim/inputs'
import { inspectHost, type InspectQuery, type Inspection } from '../sim/inspect'
import { allocateBuffers, memoryLayout } from '../sim/memory'
import { deliver, takeDue, type NetMessage } from '../sim/messages'
import { linkQueuedBytes, linkQueuedMessages } from '../sim/net'
import type { Scenario } from '../sim/scenario'
import { feedTrace, type ParsedTrace } from './trace'
import { drainInputs, drainMessages, writeEvent, writeMessage } from './wire/codec'
import {
  CTL,
  openPublished,
  peerOf,
  PUB,
  snapshotInterval,
  type LoadBuffers,
  type PublishedViews,
} from './wire/layout'
import { openRing, RING_READ_INDEX, type Ring } from './wire/ring'
import {
  parkUntilChanged,
  RunAborted,
  waitAtLeast,
  waitForPeer,
  yieldToEventLoop,
} from './wire/sync'

/** What a snapshot holds besides the host: what it had sent that was still on the wire then. */
interface RunnerSnapshot {
  /** Outbound messages that left the wire before the snapshot's tick and arrive at or after it. */
  readonly inFlight: readonly NetMessage[]
  readonly tickTrace: number
}

interface Loaded {
  epoch: number
  readonly scenario: Scenario
  readonly host: HostState
  readonly snapshotEvery: number
  readonly history: HostHistory<RunnerSnapshot>
  /** Messages sent recently whose delivery tick has not come yet (for snapshots). */
  recentOutbound: NetMessage[]
  readonly lookahead: number
  linkOut: Ring
  linkIn: Ring
  events: Ring
  inputs: Ring
  readonly published: PublishedViews
  inbox: NetMessage[]
  pendingInputs: AppliedInput[]
  tick: number
  tickTrace: number
  /** Trace workloads: the parsed trace fed between ticks. */
  readonly trace: ParsedTrace | undefined
}

const NO_INPUTS: readonly AppliedInput[] = []

/** Wall-clock budget of one synchronous run slice before the loop yields to its event loop. */
const SLICE_MS = 12

/**
 * The longest a host gives way to one busy stretch of the page (CTL.UI_BUSY: a frame, an input). A
 * frame's own work is 3–8 ms of CPU, the first frames of a run and a click's re-render up to 20;
 * on a loaded 2-core machine (V8's compiler threads, the compositor) that work can take 30 ms or
 * more of wall time, and a host that came back in the middle of it stretched it further. Past this
 * the hosts take their cores back, so the simulation never waits on a stuck page for long. 12 ms
 * before 2026-12: 20 interleaved pairs of the render benchmark had tasks over 30 ms 21 -> 9 and
 * long animation frames 10 -> 3 with 40, at the same ticks a second.
 */
export const UI_YIELD_MS = 40
const UI_POLL_MS = 1

export class HostRunner {
  readonly id: HostId
  readonly peer: HostId
  private readonly ctl: Int32Array
  private readonly uiYieldMs: number
  private loaded: Loaded | undefined
  private looping = false
  /** True once the loop ran a slice of any load: the JIT warm-up (warmUp.ts) stops then. */
  private ranSlice = false
  /** The last busy stretch of the page (CTL.UI_BUSY) this host gave way to: once each at most. */
  private yieldedBusy = 0
  /** Called when the loop fails (an engine threw, a ring overflowed...). */
  onError: (message: string, tick: number) => void = () => {}
  /**
   * The abort check the blocking waits call between slices: one closure for the runner's life. A
   * closure per slice made every wait's call site see a new target, and V8 threw away (deoptimized)
   * the optimized run loop each time.
   */
  private readonly checkLoaded = (): void => {
    const l = this.loaded
    if (l) this.checkAbort(l)
  }

  /**
   * `uiYieldMs`: the longest this host gives way to one busy stretch of the page (UI_YIELD_MS; the
   * warm-up, which plays the page itself in the same thread, uses a short one).
   */
  constructor(id: HostId, ctlBuffer: SharedArrayBuffer, uiYieldMs = UI_YIELD_MS) {
    this.uiYieldMs = uiYieldMs
    this.id = id
    this.peer = peerOf(id)
    this.ctl = new Int32Array(ctlBuffer)
  }

  /**
   * Builds the host for `scenario` over the given buffers; the loop picks it up. With `loop`
   * false no loop starts: the warm-up drives the runner itself through `runTicks`.
   */
  load(
    epoch: number,
    scenario: Scenario,
    buffers: LoadBuffers,
    trace?: ParsedTrace,
    loop = true,
  ): void {
    const id = this.id
    const layout = memoryLayout(scenario, id)
    // The engines keep their live page-state map private; the UI reads the published copy, which
    // is written under a seqlock so a reader never sees a torn frame.
    // The coordinator reuses the previous load's frames (already backed by the OS): zero them, which
    // also backs a fresh buffer now rather than on the run's first copy into each page.
    const frames = new Uint8Array(buffers.frames[id], 0, layout.frameBytes).fill(0)
    const host = createHost(scenario, id, {
      frames,
      pageState: new Uint8Array(layout.pageCount),
    })
    // Time travel's base is a fresh host's memory (creation is deterministic), built on demand.
    const history = new HostHistory<RunnerSnapshot>(
      host,
      () => createHost(scenario, id, allocateBuffers(layout, false)).mem.frames,
    )
    const pendingInputs: AppliedInput[] = scenario.inputs.map((s, seq) => ({
      seq,
      applyAt: s.atTick,
      input: s.input,
    }))
    this.loaded = {
      epoch,
      scenario,
      host,
      snapshotEvery: snapshotInterval(
        [memoryLayout(scenario, 0).frameBytes, memoryLayout(scenario, 1).frameBytes],
        scenario.durationTicks,
      ),
      history,
      recentOutbound: [],
      lookahead: host.link.params.latencyTicks,
      ...this.openRings(buffers),
      published: openPublished(buffers.published[id], layout.pageCount),
      inbox: [],
      pendingInputs,
      tick: 0,
      tickTrace: 0,
      trace,
    }
    Atomics.store(this.ctl, CTL.ERR[id], 0)
    Atomics.store(this.ctl, CTL.DONE[id], 0)
    Atomics.store(this.ctl, CTL.WAKE_AT[id], 0)
    this.publish(this.loaded)
    if (loop && !this.looping) void this.loop()
  }

  /** Whether this runner's loop has run ticks of any load yet. */
  get started(): boolean {
    return this.ranSlice
  }

  /**
   * One run slice toward `target` (at most SLICE_MS of wall time) for a runner loaded with `loop`
   * false; returns the tick reached. The warm-up runs both hosts' runners in one thread this way:
   * it never asks for a tick the peer has not made possible, so the slice never waits.
   */
  runTicks(target: number): number {
    const l = this.loaded
    if (!l) throw new Error('runTicks before load')
    this.runSlice(l, target)
    return l.tick
  }

  private openRings(
    buffers: LoadBuffers,
  ): Pick<Loaded, 'linkOut' | 'linkIn' | 'events' | 'inputs'> {
    const id = this.id
    return {
      linkOut: openRing(id === 0 ? buffers.linkAB : buffers.linkBA, id === 0 ? 'A→B' : 'B→A'),
      linkIn: openRing(id === 0 ? buffers.linkBA : buffers.linkAB, id === 0 ? 'B→A' : 'A→B'),
      events: openRing(buffers.events[id], `events ${id === 0 ? 'A' : 'B'}`),
      inputs: openRing(buffers.inputs[id], `inputs ${id === 0 ? 'A' : 'B'}`),
    }
  }

  /**
   * Time travel: restores the snapshot taken at `snapshotTick` over fresh rings. The inbox starts
   * empty and this host re-sends what it had in flight at that tick, so both hosts together rebuild
   * exactly the messages on the wire at that boundary. Inputs come again from the coordinator's log.
   */
  seek(epoch: number, snapshotTick: number, dropAfter: number, buffers: LoadBuffers): number {
    const l = this.loaded
    if (!l) throw new Error('seek before load')
    l.history.dropAfter(dropAfter)
    let snap: RunnerSnapshot
    try {
      snap = l.history.restore(snapshotTick)
    } catch (e) {
      throw new Error(`host ${this.id === 0 ? 'A' : 'B'}: ${(e as Error).message}`)
    }
    Object.assign(l, this.openRings(buffers))
    l.epoch = epoch
    l.inbox = []
    l.pendingInputs = []
    l.recentOutbound = [...snap.inFlight]
    l.tick = snapshotTick
    l.tickTrace = snap.tickTrace
    for (const m of snap.inFlight) {
      if (!writeMessage(l.linkOut, m)) throw new Error(`link ring ${l.linkOut.name} full on seek`)
    }
    Atomics.store(this.ctl, CTL.ERR[this.id], 0)
    Atomics.store(this.ctl, CTL.DONE[this.id], l.tick)
    this.publish(l)
    if (!this.looping) void this.loop()
    return l.tick
  }

  private takeSnapshot(l: Loaded): void {
    // Replaying a known stretch: the snapshot at this tick exists already (a fork drops the ones
    // of a discarded future on seek, see `dropAfter`), and `take` leaves it alone.
    if (l.history.lastTick() >= l.tick) return
    l.history.take(l.tick, {
      // Copied: a message's bytes may be a view into a shared slab (src/sim/bytes.ts), which a
      // long-lived snapshot must not keep alive.
      inFlight: clonePlain(l.recentOutbound.filter((m) => m.deliverAt >= l.tick)),
      tickTrace: l.tickTrace,
    })
  }

  private checkAbort(l: Loaded): void {
    if (Atomics.load(this.ctl, CTL.EPOCH) !== l.epoch) throw new RunAborted('new scenario loaded')
    if (Atomics.load(this.ctl, CTL.ERR[this.peer]) !== 0) {
      throw new RunAborted(`host ${this.peer === 0 ? 'A' : 'B'} failed`)
    }
  }

  private async loop(): Promise<void> {
    this.looping = true
    try {
      for (;;) {
        const l = this.loaded
        if (!l) return
        if (Atomics.load(this.ctl, CTL.EPOCH) !== l.epoch) {
          // Wait for the load message of the new epoch (it arrives through onmessage).
          await parkUntilChanged(this.ctl, CTL.WAKE, Atomics.load(this.ctl, CTL.WAKE), 50)
          continue
        }
        const wake = Atomics.load(this.ctl, CTL.WAKE)
        const target = Atomics.load(this.ctl, CTL.TARGET)
        if (l.tick >= target) {
          this.publish(l)
          await parkUntilChanged(this.ctl, CTL.WAKE, wake, 250)
          continue
        }
        this.ranSlice = true
        try {
          this.runSlice(l, target)
        } catch (e) {
          if (e instanceof RunAborted) continue
          const message = e instanceof Error ? e.message : String(e)
          Atomics.store(this.ctl, CTL.ERR[this.id], 1)
          Atomics.notify(this.ctl, CTL.DONE[this.id])
          this.publish(l)
          this.loaded = undefined
          this.onError(message, l.tick)
          return
        }
        this.publish(l)
        // Let control messages (load, dispose) in between slices.
        await yieldToEventLoop()
      }
    } finally {
      this.looping = false
    }
  }

  /** Runs ticks synchronously until `target` or until the slice's wall-clock budget is spent. */
  private runSlice(l: Loaded, target: number): void {
    const started = performance.now()
    const check = this.checkLoaded
    const doneIdx = CTL.DONE[this.id]
    const peerDone = CTL.DONE[this.peer]
    const myWakeAt = CTL.WAKE_AT[this.id]
    const peerWakeAt = CTL.WAKE_AT[this.peer]
    const arrived: NetMessage[] = []
    while (l.tick < target) {
      const t = l.tick
      this.giveWayToPage()
      if (t % l.snapshotEvery === 0) this.takeSnapshot(l)
      // Tick t needs every message sent up to t - L: the peer's DONE >= t - L + 1. If this host has
      // to sleep for it, it sleeps until the peer has caught up to t (L - 1 ticks more, which the
      // peer can always reach without this host), then runs up to L ticks in a row: one sleep per
      // L of the peer's ticks rather than one per tick when one host is much lighter than the
      // other. Waiting longer than needed never changes a result, only when ticks run.
      waitForPeer(this.ctl, peerDone, t - l.lookahead + 1, t, myWakeAt, check)
      arrived.length = 0
      if (drainMessages(l.linkIn, arrived)) deliver(l.inbox, arrived)
      drainInputs(l.inputs, l.pendingInputs)
      let due = NO_INPUTS
      if (l.pendingInputs.length) {
        const now = l.pendingInputs.filter((i) => i.applyAt === t)
        if (now.length) {
          l.pendingInputs = l.pendingInputs.filter((i) => i.applyAt !== t)
          due = now.sort((a, b) => a.seq - b.seq)
        }
      }
      if (l.trace) feedTrace(l.host, l.trace)
      const r = stepHost(l.host, takeDue(l.inbox, t), due, t)
      if (l.recentOutbound.length) {
        l.recentOutbound = l.recentOutbound.filter((m) => m.deliverAt > t)
      }
      for (const m of r.outbound) {
        l.recentOutbound.push(m)
        if (!writeMessage(l.linkOut, m)) {
          throw new Error(
            `link ring ${l.linkOut.name} full at tick ${t} (${m.wireBytes}-byte ${m.kind}): ring too small for this scenario`,
          )
        }
      }
      for (const ev of r.events) this.writeEventWaiting(l, ev, check)
      l.tick = t + 1
      // A rolling hash of the ticks run, so tests can check both hosts ran the same sequence.
      l.tickTrace = (Math.imul(l.tickTrace ^ t, 0x01000193) + 1) | 0
      Atomics.store(this.ctl, doneIdx, l.tick)
      // Wake the peer only when it can go on (see waitForPeer).
      if (l.tick >= Atomics.load(this.ctl, peerWakeAt)) Atomics.notify(this.ctl, doneIdx)
      if ((l.tick & 63) === 0) {
        Atomics.add(this.ctl, CTL.BEAT[this.id], 1)
        if (performance.now() - started > SLICE_MS) return
      }
    }
  }

  /**
   * While the page draws a frame or handles an input, sleep until it is done (at most UI_YIELD_MS,
   * once per busy stretch).
   * The page's frame work is a few ms; with two cores and the hosts, the render worker, the
   * compositor and V8's compiler threads all runnable, the OS kept preempting the page in the
   * middle of a frame, and 5–15 ms of frame work took over 50 ms. Giving way costs the simulation
   * up to about 5 % of its ticks per second at full speed (nothing measurable when the machine is
   * quiet) and changes no result: only when ticks run.
   */
  private giveWayToPage(): void {
    const busy = Atomics.load(this.ctl, CTL.UI_BUSY)
    if (busy === 0 || busy === this.yieldedBusy) return
    this.yieldedBusy = busy
    const until = performance.now() + this.uiYieldMs
    // Polled, so the page clears the word with a plain store: a notify (a futex wake) in the page's
    // task let the woken host take the page's core there and then.
    do Atomics.wait(this.ctl, CTL.UI_BUSY, busy, UI_POLL_MS)
    while (Atomics.load(this.ctl, CTL.UI_BUSY) === busy && performance.now() < until)
  }

  /** The main thread drains event rings every frame; if one is full, wait for room. */
  private writeEventWaiting(l: Loaded, ev: SimEvent, check: () => void): void {
    while (!writeEvent(l.events, ev)) {
      check()
      const r = Atomics.load(l.events.ctl, RING_READ_INDEX)
      Atomics.wait(l.events.ctl, RING_READ_INDEX, r, 25)
    }
  }

  /** Copies the live state into the published view under the seqlock (odd = being written). */
  private publish(l: Loaded): void {
    const seqIdx = CTL.PUB_SEQ[this.id]
    const seq = Atomics.load(this.ctl, seqIdx)
    Atomics.store(this.ctl, seqIdx, seq + 1)
    const h = l.published.header
    const link = l.host.link
    h[PUB.TICK] = l.tick
    h[PUB.EVENT_SEQ] = l.host.eventSeq
    h[PUB.LINK_QUEUED_BYTES] = linkQueuedBytes(link)
    h[PUB.LINK_QUEUED_MESSAGES] = linkQueuedMessages(link)
    h[PUB.LINK_MESSAGES] = link.stats.messages
    h[PUB.LINK_BYTES_LO] = (link.stats.bytes % 0x1_0000_0000) | 0
    h[PUB.LINK_BYTES_HI] = Math.floor(link.stats.bytes / 0x1_0000_0000)
    h[PUB.LINK_DOWN] = link.down ? 1 : 0
    h[PUB.TICK_TRACE] = l.tickTrace
    l.published.pageState.set(l.host.mem.pageState)
    Atomics.store(this.ctl, seqIdx, seq + 2)
  }

  /**
   * The bare baseline of the runtime benchmark: `rounds` wait/notify round trips between the same
   * two workers on the same control block the lock step uses (host A pings, host B pongs). With
   * `copyBytes`, host B copies that many bytes between two buffers per round (a page transfer).
   * Returns host A's wall time in ms (0 on host B). Only call while no scenario is running.
   */
  benchPingPong(rounds: number, copyBytes: number, spin: boolean): number {
    const me = CTL.BENCH[this.id]
    const peer = CTL.BENCH[this.peer]
    const src = new Uint8Array(Math.max(copyBytes, 1) * 64)
    const dst = new Uint8Array(Math.max(copyBytes, 1) * 64)
    for (let i = 0; i < src.length; i++) src[i] = i & 0xff
    const noAbort = () => {}
    if (this.id === 0) {
      // Wait for B to arrive (it stores -1 when ready) so start-up is not measured.
      waitAtLeast(this.ctl, peer, -1, noAbort)
      const t0 = performance.now()
      for (let i = 1; i <= rounds; i++) {
        Atomics.store(this.ctl, me, i)
        Atomics.notify(this.ctl, me)
        waitAtLeast(this.ctl, peer, i, noAbort, spin)
      }
      return performance.now() - t0
    }
    Atomics.store(this.ctl, me, -1)
    Atomics.notify(this.ctl, me)
    for (let i = 1; i <= rounds; i++) {
      waitAtLeast(this.ctl, peer, i, noAbort, spin)
      if (copyBytes > 0) {
        const off = (i & 63) * copyBytes
        dst.set(src.subarray(off, off + copyBytes), off)
      }
      Atomics.store(this.ctl, me, i)
      Atomics.notify(this.ctl, me)
    }
    return 0
  }

  /** Answers an inspection query on the current state (between run slices). */
  inspect(query: InspectQuery): Inspection {
    const l = this.loaded
    if (!l) throw new Error('inspect before load')
    return inspectHost(l.host, l.tick, query)
  }

  /** The host state, for tests in the same thread. */
  get state(): HostState | undefined {
    return this.loaded?.host
  }
}
