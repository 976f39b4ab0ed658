/** The one seed of the demo city (Shanghai's administrative code, 310000). Each part derives its own stream from it. */
export const SEED = 310000;

/** Customers in the shipped demo: enough for meaningful hotspots, small enough to load in a second. */
export const DEMO_CUSTOMERS = 200_000;
