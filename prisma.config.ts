// Prisma CLI configuration: the JS schema engine through adapter-pg (no engine binaries offline).
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

// The CLI falls back to downloading the Rust engine when DATABASE_URL is missing, even for `generate`.
process.env.DATABASE_URL ??= 'postgresql://postgres:password@127.0.0.1:5432/yunqiao';

// Prisma issue 27403: the JS schema engine cannot read columns of type `name` (oid 19); present them as text.
class NameAsTextClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const patch = (result: pg.QueryResult | undefined) => {
      for (const f of result?.fields ?? []) if (f.dataTypeID === 19) f.dataTypeID = 25;
      return result;
    };
    const cbIndex = args.findIndex((a) => typeof a === 'function');
    if (cbIndex >= 0) {
      const cb = args[cbIndex];
      args[cbIndex] = (err: Error, res: pg.QueryResult) => cb(err, patch(res));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    return out && typeof (out as Promise<unknown>).then === 'function'
      ? (out as Promise<pg.QueryResult>).then(patch)
      : out;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  async adapter() {
    return new PrismaPg({
      connectionString: process.env.DATABASE_URL,
      idleTimeoutMillis: 50,
      Client: NameAsTextClient,
    });
  },
});
