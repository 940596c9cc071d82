import type { nl } from './nl';

/** The same tree of keys as the Dutch resources, with any text as value. */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export type Translation = Messages<typeof nl>;
