/** The STREAMS steps the sequence panel explains, and which events mark each (pure). */
import type { EventKind, SimEvent } from '../../sim/events'

export interface StepDef {
  readonly key: string
  readonly title: string
  readonly text: string
  readonly kinds: readonly EventKind[]
  /** Shown only when one of its events happened (failure branches). */
  readonly failure?: boolean
}

export const STREAMS_STEPS: readonly StepDef[] = [
  {
    key: 'initiated',
    title: 'Checkpoint initiated',
    text: 'A checkpoint process starts for the software partition (WPAR) whose process holds the stream open.',
    kinds: ['ckpt.initiated'],
  },
  {
    key: 'veto',
    title: 'Veto (deny / try)',
    text: 'A kernel extension may deny the checkpoint with a reason or ask to wait for a blocking condition (AIX kwpar_checkpoint_status).',
    kinds: ['ckpt.vetoDenied', 'ckpt.vetoTry', 'ckpt.vetoCleared'],
    failure: true,
  },
  {
    key: 'freeze',
    title: 'Freeze',
    text: 'The stream is frozen: no module may send another any message except the checkpoint message; ordinary messages are held where they are.',
    kinds: ['ckpt.frozen'],
  },
  {
    key: 'allocate',
    title: 'Allocate',
    text: 'The stream head allocates the checkpoint message with one message block per module.',
    kinds: ['ckpt.allocated'],
  },
  {
    key: 'travel',
    title: 'Travel',
    text: 'The checkpoint message moves one component per tick down the write side and back up (route not stated in the patent).',
    kinds: ['ckpt.msgAt'],
  },
  {
    key: 'fill',
    title: 'Fill blocks',
    text: 'Each module writes its internal data (its state) and its external data (the in-flight messages addressed to it) into its block.',
    kinds: ['ckpt.blockFilled', 'ckpt.blockGrown'],
  },
  {
    key: 'cannotFill',
    title: 'Module cannot fill its block',
    text: 'A module cannot update its block (claim 3); the remedy is cut off in the text, so the simulator aborts and thaws on host A.',
    kinds: ['ckpt.noSupport', 'ckpt.blockTooSmall'],
    failure: true,
  },
  {
    key: 'aborted',
    title: 'Checkpoint aborted',
    text: 'The checkpoint stops here (a module could not fill its block, or the veto did not clear); nothing is sent to host B.',
    kinds: ['ckpt.aborted'],
    failure: true,
  },
  {
    key: 'restartMessage',
    title: 'Restart message',
    text: 'The filled blocks, with the module identities in stack order, form the restart message.',
    kinds: ['ckpt.restartMessage'],
  },
  {
    key: 'send',
    title: 'Send',
    text: 'The restart message crosses the link to host B as real bytes (transport not stated in the patent).',
    kinds: ['rst.received'],
  },
  {
    key: 'push',
    title: 'Open / push',
    text: 'Host B opens the device and pushes the recorded modules, bottom first, beneath the stream head.',
    kinds: ['rst.deviceOpened', 'rst.pushed', 'rst.pushFailed', 'rst.autopush', 'rst.openFailed'],
  },
  {
    key: 'verify',
    title: 'Verify count and order',
    text: 'If the stream could restart, host B checks that the correct number of modules is present, in the correct order.',
    kinds: ['rst.verified', 'rst.verifyFailed'],
  },
  {
    key: 'tornDown',
    title: 'Restart failed: target torn down',
    text: 'The stream could not restart, or the count/order check failed: host B tears its stream down (consequence not in the patent text).',
    kinds: ['rst.tornDown'],
    failure: true,
  },
  {
    key: 'restore',
    title: 'Restore',
    text: 'Each module takes back its state from its block; in-flight messages are re-queued on the queues they were on.',
    kinds: ['rst.restored'],
  },
  {
    key: 'thaw',
    title: 'Thaw',
    text: 'The restarted stream is unfrozen on host B and traffic resumes; host A tears its copy down.',
    kinds: ['rst.thawed', 'ckpt.sourceClosed'],
  },
  {
    key: 'sourceThaw',
    title: 'Thaw on host A',
    text: 'The move did not complete: host A unfreezes its stream, the held messages resume and traffic carries on there.',
    kinds: ['ckpt.thawed'],
    failure: true,
  },
]

export const STEP_OF = new Map<string, string>()
for (const s of STREAMS_STEPS) for (const k of s.kinds) STEP_OF.set(k, s.key)

/** Events since the newest `ckpt.initiated` (the current checkpoint attempt). */
export function currentAttempt(steps: readonly SimEvent[]): readonly SimEvent[] {
  for (let i = steps.length - 1; i >= 0; i--) {
    if (steps[i]?.kind === 'ckpt.initiated') return steps.slice(i)
  }
  return []
}
