// Node 20 cannot load a .ts worker entry directly (toolchain P5): register tsx, then import it.
import { register } from 'tsx/esm/api'
register()
await import('./host.thread.ts')
