// Public API of the LLM client: configuration loading and the failover client. Knows nothing about patients.
export { createLlmClient, type LlmClientOptions } from './client';
export {
  fallbackClasses,
  llmConfigSchema,
  loadLlmConfig,
  parseLlmConfig,
  providerConfigSchema,
  routingConfigSchema,
  type ConfigLogger,
  type LlmConfig,
  type ProviderConfig,
  type RoutingConfig,
} from './config';
export { LlmAbortedError, LlmAuditError, LlmConfigError, LlmUnavailableError, type ProviderFailure } from './errors';
export { Secret } from './secret';
export type * from './types';
