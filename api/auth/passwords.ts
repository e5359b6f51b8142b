// Password hashing for staff and portal users: argon2id with the library's defaults (memory-hard).
// The seed script imports hashPassword; login calls verifyPassword.
import argon2 from 'argon2';

export function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false; // a malformed stored hash is a failed login, never a 500
  }
}

/** A valid hash of a random password: verifying against it costs the same time as a real user's hash. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(`dummy-${Math.random()}`);
  return dummy;
}
