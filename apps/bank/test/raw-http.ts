import { connect, type Socket } from 'node:net';

/** What came back on a raw connection: the parsed answer (if any) and when the server closed it. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Milliseconds from `startedAt` (by default, when the connection was made) until the server closed it. */
  readonly closedAfterMs: number;
}

/** A raw TCP connection to the bank, for what an HTTP client library would refuse to send. */
export class RawConnection {
  private received = '';
  private startedAt = Date.now();
  readonly closed: Promise<number>;
  private readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => (this.received += chunk.toString('latin1')));
    // A reset after the answer (the server destroys the socket while we still write) is still a close.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve(Date.now() - this.startedAt)));
  }

  /** Connects to `url`'s host and port, from `localAddress` (another loopback address is another client). */
  static async open(url: string, localAddress = '127.0.0.1'): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port), localAddress });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawConnection(socket);
  }

  /** From now on, `closedAfterMs` is measured from this moment. */
  restartClock(): void {
    this.startedAt = Date.now();
  }

  write(text: string): boolean {
    if (this.socket.destroyed || this.socket.writableEnded) return false;
    this.socket.write(text);
    return true;
  }

  get isClosed(): boolean {
    return this.socket.destroyed;
  }

  /** Waits for the server to close the connection (at most `timeoutMs`), and parses what it sent. */
  async answer(timeoutMs: number): Promise<RawAnswer> {
    const timeout = new Promise<never>((_resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server kept the connection open for ${timeoutMs} ms; it sent: ${this.received.slice(0, 200)}`)), timeoutMs);
      void this.closed.then(() => clearTimeout(timer));
    });
    const closedAfterMs = await Promise.race([this.closed, timeout]);
    return { ...parse(this.received), closedAfterMs };
  }

  /** Waits for one complete answer on a kept-alive connection, without waiting for a close. */
  async nextAnswer(timeoutMs: number): Promise<Omit<RawAnswer, 'closedAfterMs'>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const head = this.received.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(this.received)?.[1];
      if (head >= 0 && length !== undefined && this.received.length >= head + 4 + Number(length)) {
        const answer = parse(this.received);
        this.received = '';
        return answer;
      }
      if (Date.now() > deadline || this.socket.destroyed) throw new Error(`no complete answer within ${timeoutMs} ms: ${this.received.slice(0, 200)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

function parse(text: string): Omit<RawAnswer, 'closedAfterMs'> {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return { status: 0, headers: {}, body: text };
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body: text.slice(split + 4) };
}
