import { ApiProperty } from '@nestjs/swagger';
import { AmountDto } from '../../accounts/dto/amount.dto';
import { DiffersFrom } from './differs-from.decorator';
import { IsAccountId } from './is-account-id.decorator';

/** Body of `POST /transfers`: two different accounts and an amount in minor units, as deposits take it. */
export class RequestTransferDto extends AmountDto {
  @ApiProperty({ format: 'uuid', description: 'The account to take the money from (yours, with auth on).' })
  @IsAccountId()
  readonly from!: string;

  @ApiProperty({ format: 'uuid', description: 'The account to pay into; not `from`.' })
  @IsAccountId()
  @DiffersFrom('from')
  readonly to!: string;
}
