export function usernameProblem(username: string): string | null {
  if (!/^[A-Za-z0-9_.-]{3,32}$/.test(username)) {
    return 'Username must be 3 to 32 characters: letters, digits, dot, dash or underscore.';
  }
  return null;
}
