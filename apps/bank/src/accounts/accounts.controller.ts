import { Body, Controller, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CommandCtx, CommandSender, CurrentPrincipal, UuidParamPipe, type CommandContext, type Principal, ApiCommandEndpoint, newEntityId, commandResponse, type CommandResponse, type HeaderSink } from '@strata/core';
import { accountDecider } from './account.decider';
import { accountOwner } from './account-owner';
import { CommandResponseSchema } from './api/account-schemas';
import { AmountDto } from './dto/amount.dto';
import { CloseAccountDto } from './dto/close-account.dto';
import { OpenAccountDto } from './dto/open-account.dto';
import { requesterOf } from './requester';

/**
 * The account commands over HTTP, each sent straight to the account decider. With auth on,
 * only an account's owner reaches it; others get 404.
 */
@ApiTags('accounts')
@ApiCommandEndpoint()
@Controller('accounts')
export class AccountsController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: CommandResponseSchema, description: 'Opened; Location names the account.' })
  @ApiProblems(403)
  async open(
    @Body() body: OpenAccountDto,
    @CommandCtx() context: CommandContext,
    @CurrentPrincipal() principal: Principal | undefined,
    @Res({ passthrough: true }) reply: HeaderSink,
  ): Promise<CommandResponse> {
    const owner = accountOwner(body, principal);
    const id = newEntityId('account', context);
    const result = await this.commands.send(accountDecider, id, { type: 'OpenAccount', accountId: id, owner }, context);
    return commandResponse(reply, id, result, { location: `/accounts/${id}` });
  }

  @Post(':id/deposits')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: CommandResponseSchema })
  @ApiProblems(404)
  async deposit(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AmountDto,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: HeaderSink,
  ): Promise<CommandResponse> {
    const result = await this.commands.send(accountDecider, id, { type: 'DepositMoney', accountId: id, amount: body.amount, ...requesterOf(context) }, context);
    return commandResponse(reply, id, result);
  }

  @Post(':id/withdrawals')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: CommandResponseSchema })
  @ApiProblems(404)
  async withdraw(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AmountDto,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: HeaderSink,
  ): Promise<CommandResponse> {
    const result = await this.commands.send(accountDecider, id, { type: 'WithdrawMoney', accountId: id, amount: body.amount, ...requesterOf(context) }, context);
    return commandResponse(reply, id, result);
  }

  @Post(':id/close')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: CommandResponseSchema })
  @ApiProblems(404)
  async close(
    @Param('id', UuidParamPipe) id: string,
    @Body() _body: CloseAccountDto,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: HeaderSink,
  ): Promise<CommandResponse> {
    const result = await this.commands.send(accountDecider, id, { type: 'CloseAccount', accountId: id, ...requesterOf(context) }, context);
    return commandResponse(reply, id, result);
  }
}
