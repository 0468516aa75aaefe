/** What au puts in a Bull job's data; the rest of the record is the job itself (id, timestamps, attempts). */
export interface AuJobData {
  input: unknown;
  requestId?: string;
  parentId?: string;
}

/** Name of au's custom Bull backoff strategy (exponential with factor and jitter). */
export const AU_BACKOFF = 'au';
