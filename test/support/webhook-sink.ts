import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: any;
  /** The status the sink answered. */
  status: number;
  /** When it arrived (ms since the epoch). */
  receivedAt: number;
}

/** A real HTTP endpoint on 127.0.0.1 that records what it receives (a supplier ERP, a shop). */
export class WebhookSink {
  readonly received: ReceivedWebhook[] = [];
  /** Statuses to answer on a path, in order; 200 after the list runs out. */
  private readonly answers = new Map<string, number[]>();
  private server!: Server;

  static async start(): Promise<WebhookSink> {
    const sink = new WebhookSink();
    sink.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        let body: unknown = rawBody;
        try {
          body = JSON.parse(rawBody);
        } catch {
          /* keep text */
        }
        const status = sink.answers.get(request.url ?? '')?.shift() ?? 200;
        sink.received.push({ path: request.url ?? '', headers: request.headers, rawBody, body, status, receivedAt: Date.now() });
        response.statusCode = status;
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  /** The next requests to `path` get these statuses (e.g. a 500 to make the sender retry). */
  answerOn(path: string, ...statuses: number[]): void {
    this.answers.set(path, [...(this.answers.get(path) ?? []), ...statuses]);
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  on(path: string): ReceivedWebhook[] {
    return this.received.filter((item) => item.path === path);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A URL on 127.0.0.1 that nobody listens on: a port the system just handed out and that was closed
 * again (a fixed "closed" port such as 9 is one outgoing calls may not use at all).
 */
export async function closedLoopbackUrl(path: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}${path}`;
}

/** Polls until `check` returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
