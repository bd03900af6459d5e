// The shared Store and Coordination conformance suite against the in-memory implementations.
import { createMemoryCoordination, createMemoryStore } from '@temper/server';
import { coordinationConformance, storeConformance } from './conformance.js';

storeConformance('memory', async () => {
  const store = createMemoryStore();
  return { a: store, b: store, close: () => store.close() };
});

coordinationConformance('memory', async () => {
  const c = createMemoryCoordination({ sweepMs: 0 });
  return { a: c, b: c, close: () => c.close() };
});
