import type { EvidenceKind, TrailConfig } from './schema.js';

/** A piece of evidence and, for per-trail evidence, which trails need it. */
export interface EvidenceNeed {
  kind: EvidenceKind;
  /** Default: every trail. Narrower scopes save API calls. */
  trails?: (trail: TrailConfig, accountId: string) => boolean;
}
