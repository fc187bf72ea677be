// Preloaded with `node --require` into a CLI under test: writes to ledger day files fail with ENOSPC, as on a full
// disk, while reads still work. (Builtin ESM named imports follow the patched CJS export after syncBuiltinESMExports.)
const fsp = require('node:fs/promises');
const { syncBuiltinESMExports } = require('node:module');

const realOpen = fsp.open;
fsp.open = async function open(path, flags, mode) {
  const fh = await realOpen(path, flags, mode);
  if (/ledger[\\/][0-9-]+\.jsonl$/.test(String(path)) && String(flags).startsWith('a')) {
    fh.appendFile = async () => {
      const err = new Error(`ENOSPC: no space left on device, write '${path}'`);
      err.code = 'ENOSPC';
      throw err;
    };
  }
  return fh;
};
syncBuiltinESMExports();
