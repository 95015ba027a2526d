import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** Body of `POST /accounts`. */
export class OpenAccountDto {
  // Required with auth off (the controller says so); with auth on the owner is the token subject.
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    description: 'Required when auth is off. With auth on the owner is the token subject; if sent, it must equal it.',
    example: 'ada',
  })
  @IsOptional()
  @Length(1, 100)
  @IsString()
  readonly owner?: string;
}
