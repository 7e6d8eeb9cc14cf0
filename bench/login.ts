/**
 * What one staff sign-in costs at the production scrypt setting
 * (N=2^14, r=8, p=5 — OWASP's 16 MiB equivalent of N=2^17, p=1):
 * `npx tsx bench/login.ts`. Times POST /v1/auth/login end to end and the
 * bare hash, one at a time (the service lets at most two run at once).
 */
import { hashPassword, verifyPassword } from '../src/security/password.js';
import { OWASP_SCRYPT } from '../src/config.js';
import { BENCH_PASSWORD, createBenchApp, fmt, table } from './lib/bench-app.js';

const bench = await createBenchApp({ env: { PASSWORD_SCRYPT_LOG2N: '14' } });
try {
  // The bench app's accounts were made at a cheap cost: make one at the production cost.
  const admin = await bench.token('admin');
  await bench.app.inject({ method: 'POST', url: '/v1/staff', headers: { authorization: `Bearer ${admin}` }, payload: { username: 'prodcost', password: BENCH_PASSWORD, role: 'clerk' } });
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const res = await bench.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'prodcost', password: BENCH_PASSWORD }, remoteAddress: `10.0.0.${i}` });
    times.push(performance.now() - t);
    if (res.statusCode !== 200) throw new Error(res.body);
  }
  times.sort((a, b) => a - b);
  const stored = await hashPassword('correct horse battery staple', OWASP_SCRYPT);
  const t = performance.now();
  for (let i = 0; i < 10; i++) await verifyPassword('correct horse battery staple', stored);
  table(`Staff sign-in — Node ${process.version}`, [
    ['scrypt parameters', `N=2^${Math.log2(OWASP_SCRYPT.N)}, r=${OWASP_SCRYPT.r}, p=${OWASP_SCRYPT.p} (${fmt((128 * OWASP_SCRYPT.N * OWASP_SCRYPT.r) / 1048576)} MiB per hash)`],
    ['one verification of a stored hash', `${fmt((performance.now() - t) / 10, 0)} ms`],
    ['POST /v1/auth/login, p50 / max of 20', `${fmt(times[10]!, 0)} / ${fmt(times[19]!, 0)} ms`],
  ]);
} finally {
  await bench.close();
}
