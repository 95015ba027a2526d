import { AmountDto } from '../../accounts/dto/amount.dto';
import { DiffersFrom } from './differs-from.decorator';
import { IsAccountId } from './is-account-id.decorator';

/** Body of `POST /transfers`: two different accounts and an amount in minor units, as deposits take it. */
export class RequestTransferDto extends AmountDto {
  @IsAccountId()
  readonly from!: string;

  @IsAccountId()
  @DiffersFrom('from')
  readonly to!: string;
}
