import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, deriveId, type CommandContext } from '@strata/core';
import type { HeaderSink } from '../accounts/dto/command-response';
import { RequestTransferCommand } from './commands';
import { RequestTransferDto } from './dto/request-transfer.dto';
import type { TransferAccepted } from './dto/transfer-accepted';

/** The transfer commands over HTTP. */
@Controller('transfers')
export class TransfersController {
  constructor(private readonly commandBus: CommandBus) {}

  /** 202: the transfer is recorded; the saga moves the money afterwards, and `GET /transfers/{id}` follows it. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  async request(
    @Body() body: RequestTransferDto,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: HeaderSink,
  ): Promise<TransferAccepted> {
    // A repeated request must reach the stream the first one made, so a keyed request derives the id.
    const id = context.commandId === undefined ? randomUUID() : deriveId('transfer', context.commandId);
    const result = await this.commandBus.execute(new RequestTransferCommand(id, body.from, body.to, body.amount, context));
    reply.header('Location', `/transfers/${id}`);
    return { id, position: result.position };
  }
}
