export function usernameProblem(username: string): string | null {
  if (!/^[A-Za-z0-9_.-]{3,32}$/.test(username)) {
    return 'Username must be 3 to 32 characters: letters, digits, dot, dash or underscore.';
  }
  return null;
}

/** Usernames of accounts made by a Lightning login: 4 to 35 characters, as in the tutorial. */
export function lightningUsernameProblem(username: string): string | null {
  if (!/^[A-Za-z0-9_.-]{4,35}$/.test(username)) return 'Username must be 4 to 35 characters: letters, digits, dot, dash or underscore.';
  return null;
}
