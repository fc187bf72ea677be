import { LocalSource } from './local.js';
import type { ListedFile, ReadRequest, Source } from './source.js';

/**
 * A directory of transcript files copied out of a state dir (no agents/ tree, e.g. a backup of one sessions
 * folder): its files are listed as `agents/<agent>/sessions/<name>`, so the usual classification applies.
 */
export class FlatDirSource implements Source {
  private readonly inner: LocalSource;

  constructor(
    readonly name: string,
    dir: string,
    private readonly agent: string,
  ) {
    this.inner = new LocalSource(name, [dir]);
  }

  async list(_dirs: readonly string[], sinceMs: number): Promise<ListedFile[]> {
    const files = await this.inner.list(['.'], sinceMs);
    return files.map((f) => ({ ...f, rel: `agents/${this.agent}/sessions/${f.rel.replace(/^\.\//, '')}` }));
  }

  read(req: ReadRequest): AsyncIterable<Buffer> {
    return this.inner.read(req);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
