import { Writable } from 'node:stream';
import pino, { type DestinationStream, type LoggerOptions } from 'pino';
import { ConfigurationError } from '../errors/strata-error';
import { strataLoggerParams, type StrataLoggerOptions } from './strata-logger';

/** A stream that keeps what is written to it. */
class Collected extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

/** Logs one line through the pino options `strataLoggerParams` gives, and returns what was written. */
async function logOnce(options: StrataLoggerOptions): Promise<string> {
  const out = new Collected();
  const params = strataLoggerParams({ ...options, destination: out });
  const [loggerOptions, destination] = params.pinoHttp as [LoggerOptions, DestinationStream];
  pino({ level: loggerOptions.level }, destination).info({ correlationId: 'c-1' }, 'account opened');
  // pino-pretty is a Transform in front of the collector: let it pass the line on.
  await new Promise((resolve) => setImmediate(resolve));
  return out.text;
}

describe('strataLoggerParams', () => {
  it('writes one JSON object per line by default', async () => {
    const text = await logOnce({ env: {} });
    expect(JSON.parse(text)).toMatchObject({ msg: 'account opened', correlationId: 'c-1', level: 30 });
  });

  it('writes readable text, not JSON, with LOG_FORMAT=pretty', async () => {
    const text = await logOnce({ env: { LOG_FORMAT: 'pretty' } });
    expect(text).toMatch(/INFO.*account opened/);
    expect(text).toContain('correlationId: "c-1"');
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
  });

  it('takes the format from the options over LOG_FORMAT', async () => {
    const text = await logOnce({ env: { LOG_FORMAT: 'pretty' }, format: 'json' });
    expect(JSON.parse(text)).toMatchObject({ msg: 'account opened' });
  });

  it.each([['LOG_FORMAT', 'yaml', /LOG_FORMAT: 'yaml' is not a log format\. Set it to one of: json, pretty/], ['LOG_LEVEL', 'loud', /LOG_LEVEL: 'loud' is not a log level/]])(
    'refuses %s=%s with an error naming the variable',
    (variable, value, message) => {
      const make = () => strataLoggerParams({ env: { [variable]: value } });
      expect(make).toThrow(ConfigurationError);
      expect(make).toThrow(message);
    },
  );
});
