/** Time is passed in: services take a Clock so tests and the demo can pin "now". */
export type Clock = { now(): Date };
export const systemClock: Clock = { now: () => new Date() };
export const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });
