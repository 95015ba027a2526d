import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';
import { CommandCtx, type CommandContext, newEntityId, ApiCommandEndpoint, type HeaderSink } from '@strata/core';
import { TransferAcceptedSchema } from './api/transfer-schemas';
import { RequestTransferCommand } from './commands';
import { RequestTransferDto } from './dto/request-transfer.dto';
import type { TransferAccepted } from './dto/transfer-accepted';

/** The transfer commands over HTTP. With auth on, money moves only out of the requester's own account. */
@ApiTags('transfers')
@ApiCommandEndpoint()
@Controller('transfers')
export class TransfersController {
  constructor(private readonly commandBus: CommandBus) {}

  /** 202: the transfer is recorded; the saga moves the money afterwards, and `GET /transfers/{id}` follows it. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: TransferAcceptedSchema, description: 'Recorded; the saga moves the money. Location names the transfer.' })
  async request(
    @Body() body: RequestTransferDto,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: HeaderSink,
  ): Promise<TransferAccepted> {
    const id = newEntityId('transfer', context);
    const result = await this.commandBus.execute(new RequestTransferCommand(id, body.from, body.to, body.amount, context));
    reply.header('Location', `/transfers/${id}`);
    return { id, position: result.position };
  }
}
