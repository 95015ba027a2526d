import { ConfigurationError } from '@strata/core';
import { listenOptionsFrom } from './bank-config';

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
