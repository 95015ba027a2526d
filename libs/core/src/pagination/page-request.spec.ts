import { RequestValidationError } from '../http/request-validation-error';
import { encodeCursor, UUID_KEY } from './page-cursor';
import { pageRequest } from './page-request';

describe('pageRequest', () => {
  const id = '0b6e3c1a-8f7d-4c2e-9a1b-2c3d4e5f6a7b';

  it('asks for the first page without a cursor, and for the page after the key with one', () => {
    expect(pageRequest(20, undefined, UUID_KEY)).toEqual({ limit: 20, after: undefined });
    expect(pageRequest(5, encodeCursor(id), UUID_KEY)).toEqual({ limit: 5, after: id });
  });

  it('refuses a cursor this endpoint did not make, naming the field', () => {
    expect(() => pageRequest(5, encodeCursor('elsewhere'), UUID_KEY)).toThrow(RequestValidationError);
    expect(() => pageRequest(5, encodeCursor('elsewhere'), UUID_KEY)).toThrow(/cursor is not a cursor this endpoint made/);
  });
});
