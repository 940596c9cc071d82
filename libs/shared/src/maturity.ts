export const MATURITY_LEVELS = [1, 2, 3] as const;
export type MaturityLevel = (typeof MATURITY_LEVELS)[number];

export const MATURITY_NAMES = { 1: 'pioneer', 2: 'growing', 3: 'mature' } as const;
export type MaturityName = (typeof MATURITY_NAMES)[MaturityLevel];

export const isMaturityLevel = (value: unknown): value is MaturityLevel =>
  value === 1 || value === 2 || value === 3;
