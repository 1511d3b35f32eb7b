export { Signet, Events, Workspaces, Endpoints, DeliveryLog, EventTypes, MAX_BATCH, type SignetOptions } from "./client.js";
export { SignetError, SignetApiError, SignetConnectionError } from "./errors.js";
export { defaultRetries, type RetrySettings } from "./retry.js";
export * from "./types.js";
