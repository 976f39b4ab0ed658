/**
 * The record scan of csv-scan.ts, fed chunk by chunk: a file of any size is scanned as it is
 * read (from a Blob in the browser) without ever holding its text whole. It gives exactly the
 * records `scanCsvRecords` gives for the same bytes (same state machine; csv-stream-scan.test.ts
 * checks it on hand cases and a seeded fuzz, split at every chunk boundary), and also what the
 * loader must know before DuckDB reads the file in place:
 * - the record-ending line endings outside quotes (LF, CRLF, lone CR): DuckDB reads one kind per
 *   file, so a mix needs the normalising route (csv-scan.ts `normalizeLineEndings`);
 * - whether a digit-underscore-digit occurs anywhere (read_csv takes `1_21.5` for 121.5);
 * - the records (from `fromRecord` on) whose last byte is the delimiter or a quote and whose
 *   field count differs from the header's: DuckDB accepts one extra, empty trailing field,
 *   DESIGN.md rejects any row with too many fields.
 */
import type { CsvScan } from './csv-scan.ts';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const UNDERSCORE = 0x5f;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

export interface StreamScanOptions {
  delimiter: number;
  /** File offset of the first byte pushed (3 after a UTF-8 BOM): record starts are file offsets. */
  base?: number;
  /** Fields the header has, for `suspects` (0: none collected). */
  headerFields?: number;
  /** First record index that is data (the one after the header), for `suspects`. */
  fromRecord?: number;
  /** The text may end past 4 GiB: record starts are kept as Float64 (8 bytes a record, not 4). */
  large?: boolean;
}

export interface StreamScan extends CsvScan {
  /** Record-ending line endings outside quotes (blank lines included). */
  endings: { lf: number; crlf: number; cr: number };
  digitUnderscore: boolean;
  /** Data records ending in the delimiter or a quote whose field count is not the header's. */
  suspects: { record: number; fields: number }[];
}

const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

export class CsvStreamScanner {
  private starts: Uint32Array | Float64Array;
  private lines = new Uint32Array(1024);
  private count = 0;
  private readonly delim: number;
  private readonly headerFields: number;
  private readonly fromRecord: number;
  /** File offset of the next byte pushed. */
  private pos: number;
  private state = FIELD_START;
  private line = 1;
  private recStart: number;
  private recLine = 1;
  private recEmpty = true;
  /** Fields so far in the current record (1 + delimiters outside quotes). */
  private fields = 1;
  /** Last byte of the current record that is not CR/LF (what `recordBytes` ends with). */
  private lastByte = -1;
  /** The previous byte was a record-ending or quoted CR: an LF right after it belongs to it. */
  private afterCR = false;
  /** The CR before was a record end (so CR+LF counts as one CRLF ending, not a CR). */
  private afterCREnding = false;
  private endings = { lf: 0, crlf: 0, cr: 0 };
  private digitUnderscore = false;
  /** Digit-underscore check across chunk ends: the last two bytes pushed. */
  private prev1 = -1;
  private prev2 = -1;
  private suspects: { record: number; fields: number }[] = [];

  constructor(options: StreamScanOptions) {
    this.delim = options.delimiter;
    this.starts = options.large ? new Float64Array(1024) : new Uint32Array(1024);
    this.pos = options.base ?? 0;
    this.recStart = this.pos;
    this.headerFields = options.headerFields ?? 0;
    this.fromRecord = options.fromRecord ?? 1;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (!this.digitUnderscore) this.checkUnderscore(chunk);
    // No quote and no CR, outside a quoted field: records are lines (indexOf runs at memchr speed).
    if (this.state !== QUOTED && !this.afterCR && chunk.indexOf(QUOTE) === -1 && chunk.indexOf(CR) === -1) this.pushPlain(chunk);
    else this.pushBytes(chunk);
    const n = chunk.length;
    this.prev2 = n >= 2 ? chunk[n - 2] : this.prev1;
    this.prev1 = chunk[n - 1];
  }

  end(): StreamScan {
    this.endRecord();
    const size = this.pos;
    return {
      starts: this.starts.subarray(0, this.count),
      lines: this.lines.subarray(0, this.count),
      count: this.count,
      size,
      endings: { ...this.endings },
      digitUnderscore: this.digitUnderscore,
      suspects: this.suspects,
    };
  }

  private checkUnderscore(chunk: Uint8Array): void {
    const at = (i: number) => (i >= 0 ? chunk[i] : i === -1 ? this.prev1 : this.prev2);
    // An underscore pushed last time, whose following byte is this chunk's first.
    if (this.prev1 === UNDERSCORE && this.prev2 >= 0 && isDigit(this.prev2) && isDigit(chunk[0])) this.digitUnderscore = true;
    for (let i = chunk.indexOf(UNDERSCORE); i !== -1 && !this.digitUnderscore; i = chunk.indexOf(UNDERSCORE, i + 1)) {
      const before = at(i - 1);
      if (i + 1 < chunk.length && before >= 0 && isDigit(before) && isDigit(chunk[i + 1])) this.digitUnderscore = true;
    }
  }

  private pushPlain(chunk: Uint8Array): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      const nl = chunk.indexOf(LF, i);
      const end = nl === -1 ? n : nl;
      if (end > i) {
        this.recEmpty = false;
        this.lastByte = chunk[end - 1];
        // Field counts matter only for records ending in the delimiter (no quotes here) and for
        // a record that goes on into the next chunk; counting every line would cost seconds.
        if (this.headerFields > 0 && (nl === -1 || this.lastByte === this.delim)) {
          for (let j = chunk.indexOf(this.delim, i); j !== -1 && j < end; j = chunk.indexOf(this.delim, j + 1)) this.fields++;
        }
        this.state = chunk[end - 1] === this.delim ? FIELD_START : UNQUOTED;
      }
      if (nl === -1) break;
      this.endings.lf++;
      this.lineEnd(this.pos + nl + 1);
      i = nl + 1;
    }
    this.pos += n;
  }

  private pushBytes(chunk: Uint8Array): void {
    const n = chunk.length;
    const delim = this.delim;
    let state = this.state;
    for (let i = 0; i < n; i++) {
      const b = chunk[i];
      if (this.afterCR) {
        this.afterCR = false;
        if (b === LF) {
          // The LF of a CRLF: the line (and record, if it ended one) ended at the CR already.
          if (this.afterCREnding) {
            this.endings.cr--;
            this.endings.crlf++;
            this.recStart = this.pos + i + 1;
          }
          continue;
        }
      }
      if (b === LF || b === CR) {
        if (b === CR) this.afterCR = true;
        if (state === QUOTED) {
          this.afterCREnding = false;
          this.line++;
          continue;
        }
        this.afterCREnding = b === CR;
        if (b === CR) this.endings.cr++;
        else this.endings.lf++;
        this.state = state;
        this.lineEnd(this.pos + i + 1);
        state = FIELD_START;
        continue;
      }
      this.recEmpty = false;
      this.lastByte = b;
      switch (state) {
        case FIELD_START:
          state = b === QUOTE ? QUOTED : b === delim ? FIELD_START : UNQUOTED;
          break;
        case UNQUOTED:
          state = b === delim ? FIELD_START : UNQUOTED;
          break;
        case QUOTED:
          state = b === QUOTE ? QUOTE_IN_QUOTED : QUOTED;
          break;
        default:
          state = b === QUOTE ? QUOTED : b === delim ? FIELD_START : UNQUOTED;
      }
      if (b === delim && state === FIELD_START) this.fields++;
    }
    this.state = state;
    this.pos += n;
  }

  /** A record-ending line ending was read; the next record starts at file offset `next`. */
  private lineEnd(next: number): void {
    this.endRecord();
    this.line++;
    this.state = FIELD_START;
    this.recStart = next;
    this.recLine = this.line;
    this.recEmpty = true;
    this.fields = 1;
    this.lastByte = -1;
  }

  private endRecord(): void {
    if (this.recEmpty) return;
    if (this.count === this.starts.length) {
      const s = this.starts instanceof Float64Array ? new Float64Array(this.count * 2) : new Uint32Array(this.count * 2);
      s.set(this.starts);
      this.starts = s;
      const l = new Uint32Array(this.count * 2);
      l.set(this.lines);
      this.lines = l;
    }
    const rec = this.count;
    this.starts[rec] = this.recStart;
    this.lines[rec] = this.recLine;
    this.count++;
    if (this.headerFields > 0 && rec >= this.fromRecord && (this.lastByte === this.delim || this.lastByte === QUOTE) && this.fields !== this.headerFields) {
      this.suspects.push({ record: rec, fields: this.fields });
    }
    this.recEmpty = true;
  }
}

/** Scan whole bytes in one go (the same result as pushing them in any chunks). */
export function scanCsvStream(bytes: Uint8Array, options: StreamScanOptions): StreamScan {
  const s = new CsvStreamScanner(options);
  s.push(bytes);
  return s.end();
}
