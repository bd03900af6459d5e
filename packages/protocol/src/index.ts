export * from './schema.js';
export * from './wire.js';
export * from './egress.js';
export * from './storage.js';
export * from './handoff.js';
export * from './wait.js';
export * from './pii.js';
export * from './language.js';
