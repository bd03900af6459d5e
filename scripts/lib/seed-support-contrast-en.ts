// English support-chat training frames, v2.5 round: contrastive pairs (see seed-support.ts for the slots and how
// frames become rows). Written for this repo (MIT) without sight of any evaluation line.
import type { SeedCategory } from './seed-support.ts';

export const EN_CONTRAST: Partial<Record<SeedCategory, readonly string[]>> = {};
