import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildUgcLibrary } from '../../blocks/ugc-library';
import { ugcLibrary } from '../../src/services/ugc-library';
import { UGC_LIBRARY } from '../../src/slack/ids';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { testDeps } from '../support/deps';
import { blockById } from '../support/factories';
import { PEOPLE, testConfig } from '../support/harness';

// The UGC library: only a recorded, current grant makes an item usable, and only where it allows.

let t: TestDatabase;
const clock = { now: new Date('2027-05-01T10:00:00Z') };

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

async function candidate(p: { title: string; consent: string; scope?: string[]; approved?: string[]; expires?: string | null; status?: string }) {
  await t.database.db.execute(sql`insert into reviews (provider, external_id, rating, product_title, reviewer_name, written_at, received_at, updated_at,
      negative, media, ugc_status, ugc_consent, ugc_consent_at, ugc_consent_scope, ugc_scope, ugc_consent_expires_at)
    values ('generic', ${p.title}, 5, ${p.title}, '<!channel> Kim', now(), now(), now(), false, '[{"type":"image","url":"https://x/1.jpg"}]'::jsonb,
      ${p.status ?? 'candidate'}, ${p.consent}, now(), ${`{${(p.scope ?? []).join(',')}}`}::text[], ${`{${(p.approved ?? []).join(',')}}`}::text[],
      ${p.expires ?? null}::timestamptz)`);
}

describe('/trustloop ugc', () => {
  test('lists as usable only current grants, where the customer agreed; the rest are counted by state', async () => {
    await candidate({ title: 'Shirt', consent: 'granted', scope: ['product_page', 'social'], expires: '2028-01-01T00:00:00Z' });
    await candidate({ title: 'Mug', consent: 'granted', scope: ['ads'], expires: '2027-04-01T00:00:00Z' });
    await candidate({ title: 'Scarf', consent: 'requested', approved: ['ads', 'product_page'] });
    await candidate({ title: 'Towel', consent: 'revoked', scope: ['ads'] });
    await candidate({ title: 'Apron', consent: 'none', approved: ['ads'] });
    // A grant from before scopes were asked for: the uses the team approved under it.
    await candidate({ title: 'Bag', consent: 'granted', approved: ['ads'] });
    const deps = testDeps(t.database.db, testConfig(), clock);
    const lib = await ugcLibrary(deps, { userId: PEOPLE.agent });
    expect(lib.usable.map((i) => [i.productTitle, i.usable])).toEqual(
      expect.arrayContaining([
        ['Shirt', ['product_page', 'social']],
        ['Bag', ['ads']],
      ]),
    );
    expect(lib.usable).toHaveLength(2);
    expect(lib.byState).toEqual({ expired: 1, requested: 1, revoked: 1, none: 1 });
    const msg = buildUgcLibrary(lib);
    const usable = blockById(msg.blocks, UGC_LIBRARY.usable).text.text as string;
    expect(usable).toContain('Shirt');
    expect(usable).toContain('*product page, social media*');
    expect(usable).not.toContain('Scarf');
    expect(usable).not.toContain('<!channel>');
    expect(blockById(msg.blocks, UGC_LIBRARY.notUsable).elements[0].text).toContain('1 expired');
    await expect(ugcLibrary(deps, { userId: 'U0OUTSIDER' })).rejects.toThrow();
  });
});
