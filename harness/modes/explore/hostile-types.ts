/**
 * The shapes of explore's hostile input: the live ids requests point at, a generated request, a
 * JSON value, and an endpoint's valid template that mutations make invalid (hostile-requests.ts,
 * hostile-bodies.ts).
 */
/** The live ids the requests point at (set up on a fresh tenant first). */
export interface HostileTargets {
  tenant: string;
  /** A DRAFT quote (submit, approve, accept are refused). */
  draftQuote: string;
  /** An ACCEPTED quote. */
  acceptedQuote: string;
  /** A DRAFT quote whose total exceeds exact integers (price is refused). */
  overflowQuote: string;
}

export interface HostileRequest {
  endpoint: string;
  mutation: string;
  method: string;
  /** From the server root, already encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Template {
  endpoint: string;
  method: string;
  path: (t: HostileTargets) => string;
  body?: Json;
  /** Required fields that can be dropped (dotted paths; `[0]` for the first array entry). */
  required?: string[];
  /** The array whose entries can be emptied or overgrown (and duplicated, when ids must be unique). */
  list?: { path: string; max: number; unique: boolean };
}
