// Preloaded with `node --require` into a CLI under test: writes to ledger day files fail with ENOSPC, as on a full
// disk, while reads still work. (Builtin ESM named imports follow the patched CJS export after syncBuiltinESMExports.)
const fs = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');

const ledgerFds = new Set();
const realOpenSync = fs.openSync;
fs.openSync = function openSync(path, flags, mode) {
  const fd = realOpenSync(path, flags, mode);
  if (/ledger[\\/][0-9-]+\.jsonl$/.test(String(path)) && String(flags).startsWith('a')) ledgerFds.add(fd);
  return fd;
};
const realCloseSync = fs.closeSync;
fs.closeSync = function closeSync(fd) {
  ledgerFds.delete(fd);
  return realCloseSync(fd);
};
const realWriteFileSync = fs.writeFileSync;
fs.writeFileSync = function writeFileSync(file, data, options) {
  if (typeof file === 'number' && ledgerFds.has(file)) {
    const err = new Error('ENOSPC: no space left on device, write');
    err.code = 'ENOSPC';
    throw err;
  }
  return realWriteFileSync(file, data, options);
};
syncBuiltinESMExports();
