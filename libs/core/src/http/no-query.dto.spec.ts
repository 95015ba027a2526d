import type { ArgumentMetadata } from '@nestjs/common';
import { NoQueryDto } from './no-query.dto';
import { RequestValidationError } from './request-validation-error';
import { strataValidationPipe } from './strata-validation-pipe';

const asQuery: ArgumentMetadata = { type: 'query', metatype: NoQueryDto };

describe('NoQueryDto under the Strata validation pipe', () => {
  it('accepts no parameters', async () => {
    await expect(strataValidationPipe().transform({}, asQuery)).resolves.toBeInstanceOf(NoQueryDto);
  });

  it('refuses any parameter, naming it', async () => {
    const refused = strataValidationPipe().transform({ verbose: 'true' }, asQuery);
    await expect(refused).rejects.toBeInstanceOf(RequestValidationError);
    await expect(refused).rejects.toMatchObject({ errors: [{ field: 'verbose', message: 'property verbose should not exist' }] });
  });
});
