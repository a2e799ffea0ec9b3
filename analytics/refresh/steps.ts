import type { RefreshStep } from './context.ts';

/** The steps `tenure refresh` runs after the base, in order (later steps read earlier ones). */
export const REFRESH_STEPS: readonly RefreshStep[] = [];
