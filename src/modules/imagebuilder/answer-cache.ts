/** An ASU answer: HTTP status, headers and the document. */
export interface HttpAnswer {
  httpStatus: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/**
 * Finished builds' answers, serialised once and kept in this process for a few seconds: router
 * clients poll the same hashes over and over, and a finished result does not change until it
 * expires. An admin's "drop this result" reaches other API processes within TTL_MS.
 */
const TTL_MS = 5000;

interface Entry {
  httpStatus: number;
  headers: Record<string, string>;
  payload: string;
  until: number;
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 2000) {}

  get(hash: string, now = Date.now()): Entry | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry;
  }

  /** Keeps a finished answer until it expires or TTL_MS passes, whichever is first. */
  set(hash: string, answer: HttpAnswer, expiresAt: Date | null, now = Date.now()): Entry {
    const entry = {
      httpStatus: answer.httpStatus,
      headers: { ...answer.headers, 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify(answer.body),
      until: Math.min(now + TTL_MS, expiresAt?.getTime() ?? now),
    };
    if (entry.until <= now) return entry;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, entry);
    return entry;
  }

  delete(hash: string): void {
    this.entries.delete(hash);
  }
}
