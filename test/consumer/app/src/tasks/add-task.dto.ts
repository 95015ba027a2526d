import { IsString, Length } from 'class-validator';

/** The body of `POST /tasks`. */
export class AddTaskDto {
  @IsString()
  @Length(1, 200)
  readonly title!: string;
}
