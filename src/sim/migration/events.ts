import type { EventSpec, MessageSpec } from '../spec'

/**
 * Events of the migration engine (patent US8200771 and siblings, plus literature baselines).
 * OWNED BY THE MIGRATION ENGINE. Names `mig.*` / `page.*` / `proc.*`.
 *
 * Codes used in fields:
 * - strategy: 0 post-copy, 1 pre-copy, 2 stop-and-copy, 3 hybrid;
 * - cat (transfer category): see `CAT` in engine.ts (1 pinned, 2 non-private, 3 hot, 4 demand,
 *   5 proximal, 6 prefetch push, 7 background touch, 8 pre-copy round, 9 stop-and-copy);
 * - reason (page-in request): 0 demand fault, 1 pinned page before resume, 2 background touch.
 */
export const MIGRATION_EVENTS = {
  'mig.command': {
    fields: ['strategy'],
    confidence: 'V',
    feature: 'P1-01',
    source: 'US8200771 cl.1',
    text: 'Migration command received (strategy {strategy})',
  },
  'proc.interrupt': {
    fields: ['pc', 'accesses'],
    confidence: 'V',
    feature: 'P1-02',
    source: 'US8200771 cl.1',
    text: 'Process interrupted at pc page {pc} after {accesses} accesses',
  },
  'mig.freeze': {
    fields: ['pages'],
    confidence: 'V',
    feature: 'P1-03',
    source: 'US8200771 cl.1, abstract',
    text: 'Activity on the process memory frozen ({pages} pages locked)',
  },
  'mig.indexTable': {
    fields: ['entries', 'runs', 'zeroPages', 'localPages', 'pinnedPages'],
    confidence: 'V',
    feature: 'P1-04',
    source: 'US8200771 abstract; US8244954 cl.1 (entry fields)',
    text: 'Index table built: {entries} pages in {runs} runs ({zeroPages} zero, {localPages} with a local copy, {pinnedPages} pinned)',
  },
  'mig.offsetsMapped': {
    fields: ['devicePages', 'deviceBytes'],
    confidence: 'V-sib',
    feature: 'P1-06',
    source: 'US8245013 title + description',
    text: 'Offsets of {devicePages} pages mapped in the remote paging device ({deviceBytes} B) before sending',
  },
  'mig.checkpoint': {
    fields: ['bytes', 'tableBytes', 'restartBytes', 'eagerPages'],
    confidence: 'V',
    feature: 'P1-07',
    source: 'US8200771 cl.1, abstract',
    text: 'Checkpoint generated: {bytes} B (table {tableBytes} B, restart-type data {restartBytes} B) + {eagerPages} eager pages',
  },
  'mig.checkpointSent': {
    fields: ['pinnedPages', 'nonPrivatePages', 'hotPages', 'eagerPages', 'totalPages'],
    confidence: 'V',
    feature: 'P1-12',
    source: 'US8200771 cl.1, cl.2, abstract',
    text: 'Checkpoint package sent: pinned indicator + {pinnedPages} pinned, {nonPrivatePages} non-private, {hotPages} hot pages ({eagerPages} of {totalPages} pages: the small portion)',
  },
  'proc.restart': {
    fields: ['pid', 'accesses'],
    confidence: 'V',
    feature: 'P1-14',
    source: 'US8200771 cl.1; US8244954 abstract',
    text: 'Process {pid} restarted on the target from the checkpoint (at access {accesses})',
  },
  'mig.tableLoaded': {
    fields: ['entries', 'devicePages'],
    confidence: 'V-sib',
    feature: 'P1-05',
    source: 'US8244954 cl.1',
    text: 'Page table filled from the index table: {entries} entries, {devicePages} on the remote paging device',
  },
  'mig.rpkCreated': {
    fields: ['devicePages'],
    confidence: 'V-sib',
    feature: 'P1-19',
    source: 'US8244954 cl.1 (page-in role inferred)',
    text: 'Remote paging kernel process created for the remote paging device ({devicePages} pages)',
  },
  'page.pinnedTouch': {
    fields: ['page'],
    confidence: 'V-sib',
    feature: 'P1-20',
    source: 'US8245013 cl.1, cl.3',
    text: 'Pinned page {page} associated with the remote paging device and touched before resume',
  },
  'proc.resume': {
    fields: ['downtimeUs', 'accesses'],
    confidence: 'V-sib',
    feature: 'P1-28',
    source: 'US8245013 cl.3; US8244954 abstract',
    text: 'Process resumed on the target in the frozen state (downtime {downtimeUs} µs)',
  },
  'page.faultNetwork': {
    fields: ['page', 'offset', 'proximal'],
    confidence: 'V',
    feature: 'P1-16',
    source: 'US8200771 cl.1; US8245013 cl.4; US8244954 cl.1',
    text: 'Page fault on page {page}: index table -> remote paging device offset {offset}; page-in request (+{proximal} proximal)',
  },
  'page.faultInFlight': {
    fields: ['page'],
    confidence: 'lit',
    text: 'Page fault on page {page}: already on its way, the thread waits (no duplicate request)',
  },
  'page.demandMapped': {
    fields: ['page', 'latencyUs'],
    confidence: 'I',
    feature: 'P1-16',
    text: 'Page {page} arrived and mapped; the faulting thread continues after {latencyUs} µs',
  },
  'page.faultMinor': {
    fields: ['page'],
    confidence: 'lit',
    text: 'Minor fault: page {page} was pre-paged and is mapped without network traffic',
  },
  'page.faultZero': {
    fields: ['page'],
    confidence: 'V-sib',
    feature: 'P1-23',
    source: 'US8245013 cl.5',
    text: 'Zero page {page} generated in the local paging device (no network)',
  },
  'page.faultLocalCopy': {
    fields: ['page'],
    confidence: 'V-sib',
    feature: 'P1-21',
    source: 'US8245013 cl.1, cl.2 (link inferred)',
    text: 'Page {page} has a local copy (same software installed): not paged in',
  },
  'page.faultLocalPageIn': {
    fields: ['page'],
    confidence: 'V-sib',
    feature: 'P1-25',
    source: 'US8244954 cl.1',
    text: 'Page {page} read back from the local paging device',
  },
  'page.pageOut': {
    fields: ['page'],
    confidence: 'V-sib',
    feature: 'P1-25',
    source: 'US8244954 cl.1 (LRU criteria inferred)',
    text: 'Page {page} paged out to the local paging device (frame limit)',
  },
  'page.serve': {
    fields: ['page', 'count', 'reason'],
    confidence: 'V-sib',
    feature: 'P1-18',
    source: 'US8244954 cl.1; US8245013 cl.1',
    text: 'Page-in request for page {page} (+{count} more, reason {reason}) served from the remote paging device',
  },
  'page.requestRetry': {
    fields: ['page', 'attempt'],
    confidence: 'I',
    feature: 'P1-30',
    text: 'No reply for page {page}: page-in request sent again (attempt {attempt})',
  },
  'mig.bgStage': {
    fields: ['stage', 'pages'],
    confidence: 'V-sib',
    feature: 'P1-26',
    source: 'US8244954 cl.1, cl.2 (values inferred)',
    text: 'Background touching, fraction {stage}: {pages} pages',
  },
  'mig.deadlineWarning': {
    fields: ['predictedUs', 'deadlineUs'],
    confidence: 'I',
    feature: 'P1-27',
    text: 'Settings cannot meet the deadline: remaining pages need about {predictedUs} µs, deadline {deadlineUs} µs',
  },
  'mig.deadlineMissed': {
    fields: ['remaining'],
    confidence: 'I',
    feature: 'P1-27',
    text: 'Deadline passed with {remaining} pages not yet resident',
  },
  'mig.complete': {
    fields: ['pages', 'totalUs'],
    confidence: 'I',
    feature: 'F-06',
    text: 'All {pages} pages resident on the target (or in its local paging device), {totalUs} µs after the command',
  },
  'mig.sourceReleased': {
    fields: ['pages'],
    confidence: 'I',
    feature: 'P1-29',
    text: 'Departure memory released: nothing left to page ({pages} pages)',
  },
  'mig.pushStart': {
    fields: ['mode'],
    confidence: 'lit',
    text: 'Target resumed: background push starts (mode {mode}: 2 push, 3 bubbling, 4 CRIU window)',
  },
  'mig.pushDiscard': {
    fields: ['discarded', 'pivot'],
    confidence: 'lit',
    text: 'Fault on page {pivot}: push queue of {discarded} pages discarded, pivot moved (bubbling)',
  },
  'mig.windowReset': {
    fields: ['windowBytes'],
    confidence: 'lit',
    text: 'Fault: background window reset from {windowBytes} B to 64 KiB (CRIU)',
  },
  'mig.precopyRound': {
    fields: ['round', 'pages', 'bytes'],
    confidence: 'lit',
    text: 'Pre-copy round {round}: {pages} pages ({bytes} B) sent while the process runs',
  },
  'mig.precopyDiverging': {
    fields: ['round', 'dirtyPages'],
    confidence: 'lit',
    text: 'Pre-copy round {round} left {dirtyPages} dirty pages, more than 80 % of what it sent: not converging',
  },
  'mig.stopCopy': {
    fields: ['round', 'pages', 'reason'],
    confidence: 'lit',
    text: 'Stop-and-copy (round {round}): {pages} pages sent with the process stopped (reason {reason}: 0 fits the downtime limit, 1 round cap, 2 stop-and-copy, 3 hybrid)',
  },
  'mig.sourceCrash': {
    fields: ['pagesOnSource'],
    confidence: 'U',
    feature: 'P1-30',
    text: 'Departure host crashed with {pagesOnSource} pages still on it',
  },
  'mig.workloadLost': {
    fields: ['pagesOnSource', 'pagesOnTarget'],
    confidence: 'U',
    feature: 'P1-30',
    text: 'Workload lost: its state is split, {pagesOnSource} pages were only on the crashed departure host, {pagesOnTarget} on the target',
  },
  'page.lostOnSource': {
    fields: ['page'],
    confidence: 'U',
    feature: 'P1-30',
    text: 'Page {page} existed only on the crashed departure host',
  },
  'mig.sourceCrashHarmless': {
    fields: [],
    confidence: 'U',
    feature: 'P1-30',
    text: 'Departure host crashed after release: nothing was lost',
  },
  'proc.exit': {
    fields: ['accesses'],
    confidence: 'sim',
    text: 'Workload trace ended after {accesses} accesses',
  },
} as const satisfies Record<string, EventSpec>

/** Messages of the migration engine on the link. Page messages carry the page bytes + an 8-byte trailer (version, category, round). */
export const MIGRATION_MESSAGES = {
  'mig.checkpoint': {
    fields: [
      'strategy',
      'tableBytes',
      'restartBytes',
      'eagerPages',
      'finalRound',
      'finalPages',
      'interruptTick',
    ],
    label: 'checkpoint',
    confidence: 'V',
    feature: 'P1-07',
  },
  /** Demand (and proximal) page-in reply. */
  'page.reply': {
    fields: ['page'],
    label: 'page',
    confidence: 'V',
    feature: 'P1-16',
  },
  'page.eager': {
    fields: ['page', 'cat'],
    label: 'eager page',
    confidence: 'V',
    feature: 'P1-12',
  },
  /** Background/pushed pages, up to `count` per message (data: page numbers, then each page + trailer). */
  'page.push': {
    fields: ['page', 'cat', 'count'],
    label: 'background page',
    confidence: 'V-sib',
    feature: 'P1-26',
  },
  'page.precopy': {
    fields: ['page', 'round'],
    label: 'pre-copy page',
    confidence: 'lit',
  },
  'page.request': {
    fields: ['page', 'count', 'reason', 'proximal', 'dir'],
    label: 'page-in request',
    confidence: 'V-sib',
    feature: 'P1-18',
  },
  'mig.resumed': {
    fields: [],
    label: 'resumed',
    confidence: 'lit',
  },
  'mig.done': {
    fields: ['pages'],
    label: 'release',
    confidence: 'I',
    feature: 'P1-29',
  },
} as const satisfies Record<string, MessageSpec>
