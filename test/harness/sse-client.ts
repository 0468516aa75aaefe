/** One Server-Sent Event as a client sees it: its name and its data parsed as JSON. */
export interface SseEvent {
  type: string;
  data: any;
}

/**
 * A Server-Sent Events client over fetch for the e2e suites: collects the events (and counts comment lines) of one
 * stream as they come, tells when one matching a predicate arrives, and when the server ends the stream. Every wait
 * is bounded; `close()` disconnects.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  status = 0;
  headers?: Headers;
  /** The body of a non-stream answer (an error), parsed as JSON. */
  body?: any;
  /** Resolves when the server ended the stream (or the client closed it). */
  readonly ended: Promise<void>;
  private readonly controller = new AbortController();
  private wake?: () => void;

  private constructor(url: string, headers: Record<string, string>) {
    this.ended = this.read(url, headers);
    this.ended.catch(() => undefined);
  }

  static open(url: string, headers: Record<string, string> = {}): SseClient {
    return new SseClient(url, headers);
  }

  /** Opens, reads to the end of the stream (bounded), and answers the client. */
  static async collect(url: string, timeoutMs = 20_000, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = SseClient.open(url, headers);
    await client.done(timeoutMs);
    return client;
  }

  /** Resolves with the first event (from the start) that matches, or rejects after `timeoutMs`. */
  async next(match: (event: SseEvent) => boolean, timeoutMs = 20_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    let finished = false;
    void this.ended.then(() => (finished = true), () => (finished = true));
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (finished) throw new Error(`stream ended without a matching event: ${JSON.stringify(this.events)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event in ${timeoutMs} ms: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
        void this.ended.finally(this.wake);
      });
    }
  }

  /** Resolves once the server ended the stream; rejects (and disconnects) after `timeoutMs`. */
  async done(timeoutMs = 20_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`stream still open after ${timeoutMs} ms: ${JSON.stringify(this.events)}`)), timeoutMs);
    });
    try {
      await Promise.race([this.ended, timeout]);
    } catch (error) {
      this.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.controller.abort();
  }

  private async read(url: string, headers: Record<string, string>): Promise<void> {
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: this.controller.signal });
    } catch (error) {
      if (this.controller.signal.aborted) return;
      throw error;
    }
    this.status = response.status;
    this.headers = response.headers;
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
      const text = await response.text();
      try {
        this.body = JSON.parse(text);
      } catch {
        this.body = text;
      }
      return;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      if (!this.controller.signal.aborted) throw error;
    }
  }

  private parse(block: string): void {
    let type = 'message';
    const data: string[] = [];
    let comment = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comment = true;
      else if (line.startsWith('event: ')) type = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length) this.events.push({ type, data: JSON.parse(data.join('\n')) });
    else if (comment) this.comments++;
    this.wake?.();
  }
}
