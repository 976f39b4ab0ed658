/** A piece of a PDF report (see src/ui/share/report-sections.ts for how workflows contribute them). */
export type ReportSection =
  | { kind: 'heading'; text: string; level?: 1 | 2 }
  | { kind: 'paragraph'; text: string }
  /** Key–value rows, or rows under `columns` headers. Values are already formatted text. */
  | { kind: 'table'; rows: string[][]; columns?: string[] }
  /** An image the workflow drew (a chart): PNG/JPEG data URL and its aspect ratio (w / h). */
  | { kind: 'image'; dataUrl: string; aspect: number; caption?: string }
  /** The current map view, rendered at report resolution with the export's privacy rules. */
  | { kind: 'map'; caption?: string; aspect?: number }
  | { kind: 'pageBreak' };
