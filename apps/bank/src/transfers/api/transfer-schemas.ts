import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TransferAccepted } from '../dto/transfer-accepted';
import type { TransferView } from '../queries/transfer.view';

// The OpenAPI shapes of what the transfer endpoints answer, implementing the types the code returns.

export class TransferAcceptedSchema implements TransferAccepted {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ description: 'Send it back as X-Strata-Position to read the transfer at once.' }) readonly position!: string;
}

export class TransferViewSchema implements TransferView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ format: 'uuid' }) readonly from!: string;
  @ApiProperty({ format: 'uuid' }) readonly to!: string;
  @ApiProperty({ type: 'integer' }) readonly amount!: number;
  @ApiProperty({ enum: ['pending', 'completed', 'failed'] }) readonly status!: 'pending' | 'completed' | 'failed';
  @ApiPropertyOptional({ description: 'Why it failed.' }) readonly reason?: string;
}
