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
    this.inner = new LocalSource(name, [dir], false);
  }

  async list(dirs: readonly string[], sinceMs: number): Promise<ListedFile[]> {
    // Only transcripts: a loose folder has no agent databases.
    if (!dirs.includes('agents/*/sessions')) return [];
    const files = await this.inner.list(['.'], sinceMs);
    return files.map((f) => ({ ...f, rel: `agents/${this.agent}/sessions/${f.rel.replace(/^\.\//, '')}` }));
  }

  read(req: ReadRequest): AsyncIterable<Buffer> {
    return this.inner.read(req);
  }

  exec(argv: readonly string[]): AsyncIterable<Buffer> {
    return this.inner.exec(argv);
  }

  get nodeCommand(): string {
    return this.inner.nodeCommand;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
