import { ConfigurationError } from '../errors/strata-error';
import { listenFailure, listenOptionsFrom } from './listen-options';

describe('listenOptionsFrom', () => {
  it('listens on 0.0.0.0:3000 by default', () => {
    expect(listenOptionsFrom({})).toEqual({ port: 3000, host: '0.0.0.0' });
  });

  it('takes PORT and HOST', () => {
    expect(listenOptionsFrom({ PORT: '8080', HOST: '127.0.0.1' })).toEqual({ port: 8080, host: '127.0.0.1' });
    expect(listenOptionsFrom({ PORT: '0' }).port).toBe(0);
  });

  it.each(['http', '-1', '65536', '80.5', '3000abc'])('refuses PORT=%p, naming the variable', (port) => {
    expect(() => listenOptionsFrom({ PORT: port })).toThrow(ConfigurationError);
    expect(() => listenOptionsFrom({ PORT: port })).toThrow(/^PORT: /);
  });
});

describe('listenFailure', () => {
  const at = { port: 3000, host: '0.0.0.0' };
  const errno = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

  it.each([
    ['EADDRINUSE', 'PORT', 'PORT: 3000 is already in use on 0.0.0.0.'],
    ['EACCES', 'PORT', 'PORT: 3000 needs privileges'],
    ['EADDRNOTAVAIL', 'HOST', "HOST: '0.0.0.0' is not an address of this machine."],
    ['ENOTFOUND', 'HOST', "HOST: '0.0.0.0' is not an address of this machine."],
  ])('blames %s on %s', (code, variable, message) => {
    const failure = listenFailure(errno(code), at);
    expect(failure).toBeInstanceOf(ConfigurationError);
    expect(failure).toMatchObject({ variable });
    expect(failure?.message).toContain(message);
  });

  it('leaves any other error alone', () => {
    expect(listenFailure(errno('EMFILE'), at)).toBeUndefined();
    expect(listenFailure('not an error', at)).toBeUndefined();
  });
});
