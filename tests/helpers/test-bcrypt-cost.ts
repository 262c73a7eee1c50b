/**
 * The bcrypt cost of the test users' passwords: every test login pays for one compare at this cost
 * (about 1 ms at 4, seconds at 12 on a busy machine). TEST_BCRYPT_COST changes it (4 to 15); a
 * production environment refuses to run the test helpers at all.
 */
export function testBcryptCost(env: NodeJS.ProcessEnv = process.env): number {
  if (env.NODE_ENV === 'production') throw new Error('the test helpers never run with NODE_ENV=production');
  const raw = env.TEST_BCRYPT_COST;
  if (raw === undefined || raw === '') return 4;
  const cost = Number(raw);
  if (!Number.isInteger(cost) || cost < 4 || cost > 15)
    throw new Error(`TEST_BCRYPT_COST must be a whole number from 4 to 15 (got "${raw}")`);
  return cost;
}
