import type { ListedFile, ReadRequest, Source } from './source.js';

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

  async list(): Promise<ListedFile[]> {
    return [...this.files];
  }

  read(req: ReadRequest): AsyncIterable<Buffer> {
    return this.inner.read(req);
  }

  async close(): Promise<void> {}
}
