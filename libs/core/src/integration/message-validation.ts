import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { StrataError } from '../errors/strata-error';
import { fieldErrorsOf } from '../http/request-validation-error';
import type { IntegrationEventContract, IntegrationMessage } from './integration-event';

/** A message this consumer cannot take: an unknown contract, another version, or data that breaks the schema. */
export class InvalidIntegrationMessageError extends StrataError {
  constructor(message: string) {
    super('INVALID_INTEGRATION_MESSAGE', message);
  }
}

/**
 * Checks a message against the contracts an inbox declared: its type, its version, and its
 * data against the contract's class-validator schema. Returns the data as the schema's class
 * shapes it, without the properties the schema does not declare: a tolerant reader, so a
 * publisher may add fields to a version without breaking its consumers.
 */
export async function checkMessage(message: IntegrationMessage, contracts: ReadonlyMap<string, IntegrationEventContract>): Promise<object> {
  const contract = contracts.get(message.type);
  if (!contract) {
    throw new InvalidIntegrationMessageError(`Message ${message.id} is a '${message.type}', which this inbox does not receive (it receives ${[...contracts.keys()].join(', ')}).`);
  }
  if (message.version !== contract.version) {
    throw new InvalidIntegrationMessageError(
      `Message ${message.id} is '${message.type}' version ${message.version}; this inbox receives version ${contract.version}. Declare the new version's contract to take it.`,
    );
  }
  const data: object = plainToInstance(contract.schema, message.data);
  const errors = await validate(data, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    const fields = fieldErrorsOf(errors).map((error) => `${error.field}: ${error.message}`);
    throw new InvalidIntegrationMessageError(`Message ${message.id} ('${message.type}' v${message.version}) breaks its contract: ${fields.join('; ')}.`);
  }
  return data;
}
