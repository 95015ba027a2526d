import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, deriveId, UuidParamPipe, type CommandContext } from '@strata/core';
import { CloseAccountCommand, DepositMoneyCommand, OpenAccountCommand, WithdrawMoneyCommand } from './commands';
import { AmountDto } from './dto/amount.dto';
import { CloseAccountDto } from './dto/close-account.dto';
import { commandResponse, type CommandResponse, type HeaderSink } from './dto/command-response';
import { OpenAccountDto } from './dto/open-account.dto';

/** The account commands over HTTP. */
@Controller('accounts')
export class AccountsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  async open(
    @Body() body: OpenAccountDto,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: HeaderSink,
  ): Promise<CommandResponse> {
    // A repeated create must reach the stream the first one made, so a keyed create derives the id.
    const id = context.commandId === undefined ? randomUUID() : deriveId('account', context.commandId);
    const result = await this.commandBus.execute(new OpenAccountCommand(id, body.owner, context));
    reply.header('Location', `/accounts/${id}`);
    return commandResponse(reply, id, result);
  }

  @Post(':id/deposits')
  @HttpCode(HttpStatus.OK)
  async deposit(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AmountDto,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: HeaderSink,
  ): Promise<CommandResponse> {
    const result = await this.commandBus.execute(new DepositMoneyCommand(id, body.amount, context));
    return commandResponse(reply, id, result);
  }

  @Post(':id/withdrawals')
  @HttpCode(HttpStatus.OK)
  async withdraw(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AmountDto,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: HeaderSink,
  ): Promise<CommandResponse> {
    const result = await this.commandBus.execute(new WithdrawMoneyCommand(id, body.amount, context));
    return commandResponse(reply, id, result);
  }

  @Post(':id/close')
  @HttpCode(HttpStatus.OK)
  async close(
    @Param('id', UuidParamPipe) id: string,
    @Body() _body: CloseAccountDto,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: HeaderSink,
  ): Promise<CommandResponse> {
    const result = await this.commandBus.execute(new CloseAccountCommand(id, context));
    return commandResponse(reply, id, result);
  }
}
