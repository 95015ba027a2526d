import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** One answer, parsed. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** How long one request may go without a byte either way before it counts as lost. */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * A JSON client over real HTTP for load and crash tests. While `retrying` says so, a request
 * that finds no server, loses its connection or gets a 5xx is sent again (after the app
 * restarted, at whatever `url()` then says), so every request must be safe to repeat: commands
 * carry an Idempotency-Key.
 *
 * Connections are kept alive and capped, as a real client pool does: a busy Node server accepts
 * about one new connection per event-loop turn, so a burst of fresh connections would mostly
 * wait in the kernel's accept queue rather than test the app.
 */
export class HttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly url: () => string,
    private readonly retrying: () => boolean = () => false,
    connections = 50,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  post(path: string, body: object, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.send('POST', path, body, headers);
  }

  get(path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.send('GET', path, undefined, headers);
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private async send(method: string, path: string, body: object | undefined, headers: Record<string, string>): Promise<HttpAnswer> {
    for (;;) {
      try {
        const answer = await this.once(method, path, body, headers);
        if (answer.status < 500 || !this.retrying()) return answer;
      } catch (error) {
        if (!this.retrying()) throw error;
      }
      await sleep(50);
    }
  }

  private once(method: string, path: string, body: object | undefined, headers: Record<string, string>): Promise<HttpAnswer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const contentHeaders = payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
    return new Promise((resolve, reject) => {
      const sent = request(`${this.url()}${path}`, { method, agent: this.agent, headers: { ...headers, ...contentHeaders }, timeout: IDLE_TIMEOUT_MS }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            resolve({ status: response.statusCode ?? 0, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
      sent.on('timeout', () => sent.destroy(new Error(`${method} ${path}: no answer within ${IDLE_TIMEOUT_MS} ms`)));
      sent.on('error', reject);
      sent.end(payload);
    });
  }
}
