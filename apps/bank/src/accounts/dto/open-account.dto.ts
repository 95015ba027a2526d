import { IsString, Length } from 'class-validator';

/** Body of `POST /accounts`. */
export class OpenAccountDto {
  @IsString()
  @Length(1, 100)
  readonly owner!: string;
}
