/**
 * Ed25519 (RFC 8032, section 5.1) public keys and signatures in BigInt, for browsers whose
 * WebCrypto has no Ed25519 yet (Safari before 17, Chrome before 137, Firefox before 129): a
 * delegate on an old phone must still be able to sign a ballot with their voting code.
 * credential.js uses WebCrypto where it can and this only where it cannot; both meet the same
 * vectors (tests/vectors/credentials.json, RFC 8032's test 1 and 2 in web/test).
 *
 * Signing only, never verifying: the signer's own secret is the only input that matters for
 * safety, and it never leaves the worker.  Not constant-time (BigInt is not): a timing side
 * channel would need code running beside the worker in the delegate's own browser, which could
 * read the worker's memory anyway.  SHA-512 comes from WebCrypto, which every browser has.
 */

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const mod = (a, m = P) => ((a % m) + m) % m;

function pow(base, exponent, m = P) {
  let result = 1n;
  base = mod(base, m);
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % m;
    base = (base * base) % m;
    exponent >>= 1n;
  }
  return result;
}

const inv = (x) => pow(x, P - 2n);
const D = mod(-121665n * inv(121666n));
const BY = mod(4n * inv(5n));
/** x of the base point from y (RFC 8032, 5.1.3), the even root. */
function recoverX(y) {
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
  if (mod(v * x * x) !== u) x = mod(x * pow(2n, (P - 1n) / 4n));
  return x % 2n === 0n ? x : P - x;
}
const BX = recoverX(BY);
/** Points in extended coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z, xy = T/Z. */
const BASE = [BX, BY, 1n, mod(BX * BY)];
const ZERO = [0n, 1n, 1n, 0n];

/** add-2008-hwcd-3 for a = -1 (RFC 8032, 5.1.4). */
function add([X1, Y1, Z1, T1], [X2, Y2, Z2, T2]) {
  const A = mod((Y1 - X1) * (Y2 - X2));
  const B = mod((Y1 + X1) * (Y2 + X2));
  const C = mod(2n * T1 * T2 * D);
  const Dd = mod(2n * Z1 * Z2);
  const E = B - A, F = Dd - C, G = Dd + C, H = B + A;
  return [mod(E * F), mod(G * H), mod(F * G), mod(E * H)];
}

function multiply(scalar, point = BASE) {
  let result = ZERO;
  let addend = point;
  while (scalar > 0n) {
    if (scalar & 1n) result = add(result, addend);
    addend = add(addend, addend);
    scalar >>= 1n;
  }
  return result;
}

const littleEndian = (bytes) => bytes.reduceRight((n, b) => (n << 8n) | BigInt(b), 0n);
function toLittleEndian(n, length = 32) {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++, n >>= 8n) out[i] = Number(n & 255n);
  return out;
}

function encode([X, Y, Z]) {
  const zi = inv(Z);
  const x = mod(X * zi), y = mod(Y * zi);
  const out = toLittleEndian(y);
  out[31] |= Number(x & 1n) << 7;
  return out;
}

async function sha512(...parts) {
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-512", data));
}

/** The secret scalar a and the nonce prefix of a 32-byte seed (RFC 8032, 5.1.5). */
async function expand(seed) {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new Error("an Ed25519 seed is 32 bytes");
  const h = await sha512(seed);
  const a = h.slice(0, 32);
  a[0] &= 248;
  a[31] &= 127;
  a[31] |= 64;
  return { a: littleEndian(a), prefix: h.slice(32) };
}

/** The 32-byte public key of a seed. */
export async function publicKey(seed) {
  return encode(multiply((await expand(seed)).a));
}

/**
 * The 64-byte signature of `message` under the seed's key (deterministic, as RFC 8032);
 * `publicKey`, when the caller has it, saves one of the two scalar multiplications.
 */
export async function sign(seed, message, publicKey = null) {
  const { a, prefix } = await expand(seed);
  const A = publicKey ?? encode(multiply(a));
  const r = mod(littleEndian(await sha512(prefix, message)), L);
  const R = encode(multiply(r));
  const k = mod(littleEndian(await sha512(R, A, message)), L);
  const S = mod(r + k * a, L);
  const out = new Uint8Array(64);
  out.set(R);
  out.set(toLittleEndian(S), 32);
  return out;
}
