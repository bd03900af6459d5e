// Type tests of @temper/server's public API (npm run test:types).
import { createMemoryStore, createTemperServer, type BotAdapter } from '@temper/server';

const bot: BotAdapter = async () => ({ text: 'Hello!', understood: true });
const handler = createTemperServer({ secret: 'a-secret-of-at-least-32-characters-long!', store: createMemoryStore(), bot });
void handler;
// @ts-expect-error the secret is required
createTemperServer({ store: createMemoryStore() });
// @ts-expect-error a bot reply is an object with text, not a string
const badBot: BotAdapter = async () => 'Hello!';
void badBot;
