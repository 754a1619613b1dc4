/**
 * A plan field reader: typed accessors over one mapping of a plan, each failing with a usage error
 * that names the file, the field's path (`method[1].for`) and why.
 */
import { UsageError } from '../../core/errors.ts';

export type Obj = Record<string, unknown>;

export class Fields {
  constructor(
    readonly file: string,
    readonly at: string,
    readonly value: Obj,
  ) {}
  fail(field: string, why: string): never {
    const where = [this.at, field].filter(Boolean).join('.');
    throw new UsageError(
      `${this.file}: ${where || '(top)'}: ${why}`,
      'see scenarios/gamedays/README.md for the plan format',
    );
  }
  only(...names: string[]): void {
    for (const key of Object.keys(this.value))
      if (!names.includes(key)) this.fail(key, `unknown field (known: ${names.join(', ')})`);
  }
  has(name: string): boolean {
    return this.value[name] !== undefined;
  }
  text(name: string, fallback?: string): string {
    const v = this.value[name] ?? fallback;
    if (typeof v !== 'string' || v.trim() === '')
      this.fail(name, v === undefined ? 'is required' : 'must be a non-empty string');
    return v;
  }
  texts(name: string, required = true): string[] {
    const v = this.value[name] ?? (required ? undefined : []);
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === ''))
      this.fail(name, v === undefined ? 'is required' : 'must be a list of non-empty strings');
    return v as string[];
  }
  number(name: string, min: number, max: number, fallback?: number): number {
    const v = this.value[name] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
      this.fail(
        name,
        v === undefined ? 'is required' : `must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`,
      );
    return v;
  }
  duration(name: string, fallback?: string): number {
    const v = this.value[name] ?? fallback;
    const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v.trim()) : null;
    const ms = m ? Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms'] ?? NaN) : NaN;
    if (!(ms >= 0 && ms <= 7 * 86_400_000))
      this.fail(
        name,
        v === undefined ? 'is required' : `must be a duration like 500ms, 30s, 5m or 2h, got ${JSON.stringify(v)}`,
      );
    return Math.round(ms);
  }
  object(name: string, required = true): Fields {
    const v = this.value[name] ?? (required ? undefined : {});
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      this.fail(name, v === undefined ? 'is required' : 'must be a mapping');
    return new Fields(this.file, [this.at, name].filter(Boolean).join('.'), v as Obj);
  }
  list(name: string, required = true): Fields[] {
    const v = this.value[name] ?? (required ? undefined : []);
    if (!Array.isArray(v)) this.fail(name, v === undefined ? 'is required' : 'must be a list');
    return v.map((_, i) => this.item(name, i));
  }
  /** Item `i` of list `name` as a mapping (a list may mix plain strings with mappings: read one at a time). */
  item(name: string, i: number): Fields {
    const item = (this.value[name] as unknown[])[i];
    const at = `${[this.at, name].filter(Boolean).join('.')}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new UsageError(`${this.file}: ${at}: must be a mapping`);
    return new Fields(this.file, at, item as Obj);
  }
}
