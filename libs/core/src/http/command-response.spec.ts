import type { CommandResult } from '../commands/command-result';
import type { Position } from '../event-store/position';
import { commandResponse, type HeaderSink } from './command-response';

class Headers implements HeaderSink {
  readonly sent: Record<string, string> = {};
  header(name: string, value: string): this {
    this.sent[name] = value;
    return this;
  }
}

describe('commandResponse', () => {
  const result: CommandResult = { streamId: 'Account-a1', revision: 3n, position: '00000000000000ff' as Position, repeated: false };

  it('answers the id, the revision as a number and the position, with the revision as ETag', () => {
    const reply = new Headers();
    expect(commandResponse(reply, 'a1', result)).toEqual({ id: 'a1', revision: 3, position: '00000000000000ff' });
    expect(reply.sent).toEqual({ ETag: '"3"' });
  });

  it('adds Location when asked, for a create', () => {
    const reply = new Headers();
    commandResponse(reply, 'a1', result, { location: '/accounts/a1' });
    expect(reply.sent).toEqual({ ETag: '"3"', Location: '/accounts/a1' });
  });
});
