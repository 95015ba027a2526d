'use strict';
// Preloaded (`node -r`) into every child a test spawns through spawnTracked: fd 3 is a pipe whose
// other end only the parent holds, so it closes when the parent dies, however it dies (a jest
// timeout, a SIGKILL, a crash), and the child exits with it instead of running on as an orphan.
// Plain JavaScript so it loads before any compiler hook.
const { Socket } = require('node:net');

try {
  const lifeline = new Socket({ fd: 3, readable: true, writable: false });
  const die = () => process.exit(70);
  lifeline.on('end', die);
  lifeline.on('close', die);
  lifeline.on('error', die);
  lifeline.resume();
  // The lifeline alone must not keep the child running once its own work is done.
  lifeline.unref();
} catch (error) {
  process.stderr.write(`exit-with-parent: no lifeline on fd 3 (${String(error)}); this child will not exit with its parent\n`);
}
