import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** The longest owner name, whether sent in the body or taken from the token subject. */
export const OWNER_MAX_LENGTH = 100;

/** Body of `POST /accounts`. */
export class OpenAccountDto {
  // Required with auth off (the controller says so); with auth on the owner is the token subject.
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: OWNER_MAX_LENGTH,
    description: 'Required when auth is off. With auth on the owner is the token subject; if sent, it must equal it.',
    example: 'ada',
  })
  @IsOptional()
  @Length(1, OWNER_MAX_LENGTH)
  @IsString()
  readonly owner?: string;
}
