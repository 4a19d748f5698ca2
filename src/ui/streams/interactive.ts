/**
 * Interactive STREAMS scenarios the view loads from its preset buttons: the terminal or network
 * stack with steady traffic and NO scheduled commands, so the user drives the checkpoint, the
 * restart and the stack edits. The memory side (`migration: {}`) lets "Migrate partition" move the
 * whole partition.
 */
export type StackPreset = 'terminal' | 'network'

export const INTERACTIVE_LABEL: Readonly<Record<StackPreset, string>> = {
  terminal: 'STREAMS interactive: terminal stack',
  network: 'STREAMS interactive: network stack',
}

export function interactiveScenario(preset: StackPreset): Record<string, unknown> {
  const traffic =
    preset === 'terminal'
      ? {
          down: { rate: 0.4, minBytes: 4, maxBytes: 80 },
          up: { rate: 0.6, minBytes: 1, maxBytes: 12 },
          ioctlRate: 0.02,
          eolProb: 0.3,
          stopTick: 100_000_000,
        }
      : {
          down: {
            rate: 0.8,
            minBytes: 40,
            maxBytes: 200,
            protoRate: 0.2,
            hpRate: 0.05,
            maxBand: 3,
          },
          up: { rate: 1, minBytes: 40, maxBytes: 200, protoRate: 0.2, hpRate: 0.05, maxBand: 3 },
          ioctlRate: 0.02,
          stopTick: 100_000_000,
        }
  return {
    name: INTERACTIVE_LABEL[preset],
    description:
      'Built by the STREAMS view: the stack runs with traffic and waits for your commands (Checkpoint, Restart on arrival host, Migrate partition, stack edits, failure toggles).',
    seed: preset === 'terminal' ? 11 : 21,
    tickUs: 10,
    durationTicks: 100_000_000,
    link: { latencyUs: 50, bandwidthMbps: 1000 },
    migration: {},
    streams: { preset, traffic, checkpoint: { autoRestart: false } },
    inputs: [],
  }
}
