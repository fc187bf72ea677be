import type { ListedFile, ReadRequest, Source } from './source.js';

/** Does `rel`'s directory match one of `dirs` (`*` is one path segment)? */
function inDirs(rel: string, dirs: readonly string[]): boolean {
  const dir = rel.split('/').slice(0, -1);
  return dirs.some((d) => {
    const parts = d.split('/');
    return parts.length === dir.length && parts.every((p, i) => p === '*' || p === dir[i]);
  });
}

/**
 * Another source seen through a fixed listing: lets a long import feed the ordinary ingest a batch of files at a
 * time (and record each batch before reading the next). Closing it leaves the inner source open.
 */
export class ListedSource implements Source {
  constructor(
    private readonly inner: Source,
    private readonly files: readonly ListedFile[],
  ) {}

  get name(): string {
    return this.inner.name;
  }

  get nodeCommand(): string {
    return this.inner.nodeCommand;
  }

  get readConcurrency(): number | undefined {
    return this.inner.readConcurrency;
  }

  async list(dirs: readonly string[]): Promise<ListedFile[]> {
    return this.files.filter((f) => inDirs(f.rel, dirs));
  }

  read(req: ReadRequest): AsyncIterable<Buffer> {
    return this.inner.read(req);
  }

  exec(argv: readonly string[]): AsyncIterable<Buffer> {
    return this.inner.exec(argv);
  }

  async close(): Promise<void> {}
}
