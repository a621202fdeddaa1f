// Every platform's access token works the same way: fetch once, keep it until shortly before it
// expires, let concurrent senders share one fetch, and drop it when the platform says it is bad.

export class TokenCache {
  private cached?: { token: string; until: number };
  private pending?: Promise<string>;

  constructor(
    /** fetches a new token and how long it lives, in ms */
    private readonly fetchToken: () => Promise<{ token: string; lifetimeMs: number }>,
    private readonly now: () => number,
    /** refresh this long before expiry (at most half the lifetime) */
    private readonly marginMs: number,
  ) {}

  get(): Promise<string> {
    if (this.cached && this.now() < this.cached.until) return Promise.resolve(this.cached.token);
    this.pending ??= this.fetchToken()
      .then(({ token, lifetimeMs }) => {
        const life = Math.max(0, lifetimeMs);
        this.cached = { token, until: this.now() + life - Math.min(this.marginMs, life / 2) };
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** Forget `token` if it is still the cached one (or forget whatever is cached). */
  invalidate(token?: string): void {
    if (token === undefined || this.cached?.token === token) this.cached = undefined;
  }
}
