/** Customer segments of the demo (DESIGN.md's optional `segment` column). */
export const SEGMENTS = ['young', 'family', 'senior', 'sme', 'affluent'] as const;
export type Segment = (typeof SEGMENTS)[number];
