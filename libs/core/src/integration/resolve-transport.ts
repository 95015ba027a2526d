import { ConfigurationError } from '../errors/strata-error';
import type { StrataIntegrationOptions } from './integration-options';
import { INTEGRATION_TRANSPORT_VARIABLE } from './integration-options';
import type { IntegrationTransport } from './integration-transport';

/** The transport the options and environment choose, or null when integration is off. */
export async function resolveTransport(options: StrataIntegrationOptions): Promise<IntegrationTransport | null> {
  if (options.transport) return options.transport;
  const env = options.env ?? process.env;
  const name = env[INTEGRATION_TRANSPORT_VARIABLE]?.trim();
  if (!name) return null;
  const factories = options.transports ?? [];
  const factory = factories.find((candidate) => candidate.name === name);
  if (!factory) {
    const known = factories.map((candidate) => candidate.name);
    throw new ConfigurationError(
      INTEGRATION_TRANSPORT_VARIABLE,
      `'${name}' is not a transport this app registered; use ${known.length === 0 ? 'none (register one in StrataIntegrationModule.forRoot({ transports }))' : known.join(' or ')}, or leave it unset to run without integration events.`,
    );
  }
  return factory.create(env);
}
