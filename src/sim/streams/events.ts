import type { EventSpec, MessageSpec } from '../spec'

/**
 * Events of the STREAMS checkpoint/restart engine (patent US7950019 and siblings).
 * OWNED BY THE STREAMS ENGINE. Names `str.*` (stream mechanics), `ckpt.*` (checkpoint on the
 * source), `rst.*` (restart on the target).
 *
 * Numeric codes: `comp` is a component index (0 = stream head, then modules top to bottom, the
 * driver last); `modKind` a catalog kind code; `dir` 0 = downstream, 1 = upstream; `side` 0 = write
 * queue, 1 = read queue; `cls` the ordering class (band, 256 = high priority); `reason` a REASON
 * code (words in `REASON_TEXT` of ./catalog.ts).
 */
export const STREAMS_EVENTS = {
  // ---- stream mechanics -------------------------------------------------------------------
  'str.opened': {
    fields: ['modules', 'driver'],
    confidence: 'B',
    feature: 'P2-02',
    source: 'STREAMS: open creates the stream head',
    text: 'Stream opened: stream head, {modules} module(s), driver kind {driver}, device',
  },
  'str.pushed': {
    fields: ['modKind', 'modules'],
    confidence: 'B',
    feature: 'P2-02',
    source: 'streamio I_PUSH',
    text: 'I_PUSH: module kind {modKind} inserted beneath the stream head ({modules} modules now)',
  },
  'str.popped': {
    fields: ['modKind', 'freed', 'modules'],
    confidence: 'B',
    feature: 'P2-09',
    source: 'streamio I_POP',
    text: 'I_POP: module kind {modKind} closed; {freed} queued message(s) freed with it',
  },
  'str.editRefused': {
    fields: ['reason'],
    confidence: 'sim',
    text: 'Stack edit refused (reason {reason})',
  },
  'str.sent': {
    fields: ['dir', 'msgSeq', 'type', 'cls'],
    confidence: 'sim',
    feature: 'F-06',
    text: 'Traffic message {msgSeq} created (direction {dir}, type {type}, class {cls})',
  },
  'str.held': {
    fields: ['dir', 'msgSeq'],
    confidence: 'I',
    feature: 'P2-04',
    source: 'patents.md S8',
    text: 'Message {msgSeq} (direction {dir}) arrived from outside while frozen: held at the stream boundary',
  },
  'str.delivered': {
    fields: ['dir', 'msgSeq', 'cls'],
    confidence: 'sim',
    feature: 'F-06',
    text: 'Message {msgSeq} delivered (direction {dir}: 0 = to the device, 1 = to the process)',
  },
  'str.discarded': {
    fields: ['dir', 'msgSeq', 'cause'],
    confidence: 'B',
    feature: 'F-06',
    source: 'M_FLUSH / I_POP free queued messages',
    text: 'Message {msgSeq} (direction {dir}) freed deliberately (cause {cause}: 0 = M_FLUSH, 1 = I_POP)',
  },
  'str.moved': {
    fields: ['hops'],
    confidence: 'sim',
    feature: 'P2-09',
    text: '{hops} ordinary message hop(s) between queues this tick',
  },
  'str.qfull': {
    fields: ['comp', 'side', 'count'],
    confidence: 'B',
    feature: 'P2-09',
    source: 'STREAMS flow control (hiwat)',
    text: 'Queue {side} of component {comp} reached its high-water mark ({count} bytes): upstream writers stop',
  },
  'str.backenable': {
    fields: ['comp', 'side'],
    confidence: 'B',
    feature: 'P2-09',
    source: 'STREAMS flow control (lowat, back-enabling)',
    text: 'Queue {side} of component {comp} drained below its low-water mark: the writer is back-enabled',
  },
  'str.blocked': {
    fields: ['dir', 'msgSeq', 'type'],
    confidence: 'B',
    feature: 'P2-09',
    source: 'STREAMS flow control: strwrite sleeps when canputnext fails',
    text: 'Process write {msgSeq} (type {type}) blocked by flow control: the process sleeps in write() and retries when the stream drains',
  },
  'str.overrun': {
    fields: ['dir', 'count', 'fifoBytes'],
    confidence: 'B',
    feature: 'P2-09',
    source: 'driver read side: canputnext fails, the device buffer overruns and input is dropped',
    text: 'Device overrun: {count} input message(s) dropped before entering the stream (driver read side flow-controlled, device FIFO holds {fifoBytes} B)',
  },
  'str.flush': {
    fields: ['flags'],
    confidence: 'B',
    source: 'I_FLUSH / M_FLUSH',
    text: 'I_FLUSH: M_FLUSH (flags {flags}: 1 = FLUSHR, 2 = FLUSHW) sent down the stream',
  },
  'str.ioctl': {
    fields: ['id', 'cmd'],
    confidence: 'B',
    source: 'I_STR / M_IOCTL',
    text: 'Process issued ioctl #{id} (command {cmd}) as an M_IOCTL',
  },
  'str.iocack': {
    fields: ['id', 'ok', 'comp'],
    confidence: 'B',
    source: 'M_IOCACK / M_IOCNAK',
    text: 'ioctl #{id} answered (ok {ok}) by component {comp}',
  },
  // ---- checkpoint on the source ------------------------------------------------------------
  'ckpt.initiated': {
    fields: ['stream', 'partition'],
    confidence: 'V',
    feature: 'P2-01',
    source: 'US7950019 cl.1',
    text: 'Checkpoint initiated for the software partition (stream {stream}; whole-partition migration {partition})',
  },
  'ckpt.refused': {
    fields: ['reason'],
    confidence: 'sim',
    text: 'Checkpoint request ignored (reason {reason})',
  },
  'ckpt.vetoDenied': {
    fields: ['reason'],
    confidence: 'B',
    feature: 'F-03',
    source: 'AIX kwpar_checkpoint_status WPAR_CHECKPOINT_DENY (S3)',
    text: 'A kernel extension denied the checkpoint (veto reason {reason}); the stream keeps running',
  },
  'ckpt.vetoTry': {
    fields: ['waitTicks'],
    confidence: 'B',
    feature: 'F-03',
    source: 'AIX kwpar_checkpoint_status WPAR_CHECKPOINT_TRY (S3)',
    text: 'A kernel extension asked to wait up to {waitTicks} ticks for its blocking condition to clear',
  },
  'ckpt.vetoCleared': {
    fields: ['waited'],
    confidence: 'B',
    feature: 'F-03',
    source: 'AIX kwpar_checkpoint_status (S3)',
    text: 'Blocking condition cleared after {waited} ticks: the checkpoint proceeds',
  },
  'ckpt.wpar': {
    fields: ['state'],
    confidence: 'B',
    feature: 'F-02',
    source: 'lswpar states',
    text: 'WPAR state on this host: {state} (0 Active, 1 Frozen, 2 Broken, 3 Moved, 4 Defined)',
  },
  'ckpt.frozen': {
    fields: ['queued', 'inTransit'],
    confidence: 'V',
    feature: 'P2-03',
    source: 'US7950019 cl.1',
    text: 'Stream frozen: only the checkpoint message may move; {queued} queued and {inTransit} in-transit messages held where they are',
  },
  'ckpt.allocated': {
    fields: ['blocks', 'bytes', 'driverBlock'],
    confidence: 'V',
    feature: 'P2-08',
    source: 'US7950019 cl.2 (driver block: S6, inferred)',
    text: 'Stream head allocated the checkpoint message: {blocks} module block(s), {bytes} bytes (driver block {driverBlock})',
  },
  'ckpt.msgAt': {
    fields: ['comp', 'dir'],
    confidence: 'I',
    feature: 'P2-04',
    source: 'route not stated (S6)',
    text: 'Checkpoint message at component {comp} (direction {dir}: 0 down the write side, 1 back up)',
  },
  'ckpt.blockFilled': {
    fields: ['comp', 'modKind', 'internalBytes', 'externalMsgs', 'bytes'],
    confidence: 'V',
    feature: 'P2-06',
    source: 'US7950019 cl.1 (internal + external data)',
    text: 'Component {comp} filled its block: internal data {internalBytes} B, external data {externalMsgs} in-flight message(s), {bytes} B in all',
  },
  'ckpt.blockGrown': {
    fields: ['comp', 'need', 'had'],
    confidence: 'I',
    feature: 'P2-11',
    source: 'remedy not in the text read (S4 alternative)',
    text: 'Block of component {comp} too small ({had} B for {need} B): a larger block is allocated',
  },
  'ckpt.noSupport': {
    fields: ['comp', 'modKind'],
    confidence: 'V',
    feature: 'P2-11',
    source: 'US7950019 cl.3 (branch exists)',
    text: 'Component {comp} (kind {modKind}) cannot update its message block: it has no checkpoint support',
  },
  'ckpt.blockTooSmall': {
    fields: ['comp', 'modKind', 'need', 'have'],
    confidence: 'V',
    feature: 'P2-11',
    source: 'US7950019 cl.3 (branch exists)',
    text: 'Component {comp} (kind {modKind}) cannot update its message block: needs {need} B, block has {have} B',
  },
  'ckpt.aborted': {
    fields: ['comp', 'reason'],
    confidence: 'U',
    feature: 'P2-11',
    source: 'remedy cut off in cl.3 (S4 default)',
    text: 'Checkpoint aborted (component {comp}, reason {reason}); the stream thaws on this host',
  },
  'ckpt.thawed': {
    fields: ['frozenTicks', 'released'],
    confidence: 'I',
    feature: 'P2-16',
    source: 'S4/S5 default',
    text: 'Stream thawed on the source after {frozenTicks} ticks frozen; {released} held message(s) resume',
  },
  'ckpt.restartMessage': {
    fields: ['modules', 'blocks', 'bytes', 'carried'],
    confidence: 'V',
    feature: 'P2-07',
    source: 'US7950019 cl.1; identity/order US8527650 (P2-12)',
    text: 'Filled blocks form the restart message: {modules} module identities in stack order, {blocks} blocks, {bytes} B, {carried} message(s) carried',
  },
  'ckpt.sourceClosed': {
    fields: ['frozenTicks'],
    confidence: 'I',
    feature: 'P2-13',
    source: 'not stated: the source copy is kept until the target verifies',
    text: 'Host B verified the restarted stream: the source stream is torn down (frozen {frozenTicks} ticks here)',
  },
  // ---- restart on the target ---------------------------------------------------------------
  'rst.received': {
    fields: ['bytes', 'modules'],
    confidence: 'I',
    feature: 'P2-13',
    source: 'transport of the restart message not stated',
    text: 'Restart message received ({bytes} B, {modules} modules)',
  },
  'rst.deviceOpened': {
    fields: ['driver'],
    confidence: 'V',
    feature: 'P2-13',
    source: 'US7950019 cl.1 (restart the stream on the second system)',
    text: 'Device opened on the target: stream head and driver kind {driver}',
  },
  'rst.openFailed': {
    fields: ['driver'],
    confidence: 'U',
    feature: 'P2-16',
    source: 'cl.1 "if the stream is able to restart" (S5)',
    text: 'The stream cannot restart: device (driver kind {driver}) could not be opened on the target',
  },
  'rst.pushed': {
    fields: ['modKind', 'modules'],
    confidence: 'V',
    feature: 'P2-13',
    source: 'US7950019 cl.1; I_PUSH pushes beneath the head, so bottom module first [B]',
    text: 'I_PUSH of module kind {modKind} on the target ({modules} modules now)',
  },
  'rst.pushFailed': {
    fields: ['modKind'],
    confidence: 'I',
    feature: 'P2-14',
    source: 'S5',
    text: 'I_PUSH of module kind {modKind} failed: the module is not installed on the target',
  },
  'rst.autopush': {
    fields: ['modKind'],
    confidence: 'I',
    feature: 'P2-14',
    source: 'autopush (sad) configuration differs on the target (S5 scenario)',
    text: 'Target autopush added an extra module of kind {modKind}',
  },
  'rst.verified': {
    fields: ['modules'],
    confidence: 'V',
    feature: 'P2-14',
    source: 'US7950019 cl.1',
    text: 'Verification passed: {modules} modules, in the recorded order',
  },
  'rst.verifyFailed': {
    fields: ['expected', 'actual', 'index', 'reason'],
    confidence: 'V',
    feature: 'P2-14',
    source: 'US7950019 cl.1 (check); consequence S5 [U]',
    text: 'Verification failed: expected {expected} modules, found {actual}; first difference at position {index} (reason {reason})',
  },
  'rst.restored': {
    fields: ['comp', 'modKind', 'fields', 'messages'],
    confidence: 'I',
    feature: 'P2-15',
    source: 'per-module mechanics S7',
    text: 'Component {comp} (kind {modKind}) restored {fields} state fields and re-queued {messages} in-flight message(s)',
  },
  'rst.thawed': {
    fields: ['frozenTicks', 'requeued'],
    confidence: 'I',
    feature: 'P2-15',
    source: 'S7',
    text: 'Stream thawed on the target after {frozenTicks} ticks frozen in all; {requeued} message(s) resume',
  },
  'rst.tornDown': {
    fields: ['modules', 'reason'],
    confidence: 'U',
    feature: 'P2-16',
    source: 'S5 default',
    text: 'Target stream torn down ({modules} modules popped, reason {reason}); the source keeps the stream',
  },
  'rst.partitionAborted': {
    fields: ['reason'],
    confidence: 'I',
    feature: 'P2-16',
    text: 'The source aborted the partition checkpoint (reason {reason}): no stream restart pending here',
  },
} as const satisfies Record<string, EventSpec>

export const STREAMS_MESSAGES = {
  'rst.message': {
    fields: ['stream', 'modules', 'blocks'],
    label: 'restart message',
    confidence: 'V',
    feature: 'P2-13',
  },
  'rst.result': {
    fields: ['stream', 'ok', 'reason', 'index'],
    label: 'restart verdict',
    confidence: 'I',
    feature: 'P2-16',
  },
  'ckpt.abort': {
    fields: ['stream', 'reason'],
    label: 'checkpoint aborted',
    confidence: 'I',
    feature: 'P2-16',
  },
} as const satisfies Record<string, MessageSpec>
