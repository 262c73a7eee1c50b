/**
 * A writer's profile as they type it on the account page: a display name and a short bio (plain
 * text, never Markdown or HTML: the pages escape them) and an avatar (the id of an image they
 * uploaded through POST /images, or a request to remove it). Reading the form checks everything;
 * a form with a problem changes nothing.
 */
import { field } from '../log-in';

export const PROFILE_LIMITS = { displayName: 60, bio: 300 } as const;

export interface Profile {
  /** null: shown by username. */
  displayName: string | null;
  bio: string | null;
  /** An image of src/images/ owned by the writer; null: their initials are shown. */
  avatarImageId: number | null;
}

export type ProfileField = 'displayName' | 'bio' | 'avatar';

export interface ProfileForm {
  profile: Profile;
  fieldErrors: Partial<Record<ProfileField, string>>;
}

export const EMPTY_PROFILE: Profile = { displayName: null, bio: null, avatarImageId: null };

// Control characters (but newlines in the bio) and the invisible characters that reorder text.
const INVISIBLE = new Set([0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);
const CONTROL = {
  test: (s: string) =>
    [...s].some((ch) => {
      const c = ch.codePointAt(0) ?? 0;
      return (c < 0x20 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f) || INVISIBLE.has(c);
    }),
};

/** Characters as a reader counts them (an emoji is one), so the limit matches the field's counter. */
const length = (s: string) => [...s].length;

export function readProfileForm(body: unknown): ProfileForm {
  const fieldErrors: ProfileForm['fieldErrors'] = {};
  const displayName = field(body, 'displayName').replace(/\s+/g, ' ').trim();
  if (CONTROL.test(displayName)) fieldErrors.displayName = 'The name can only have letters, digits, spaces and punctuation.';
  else if (length(displayName) > PROFILE_LIMITS.displayName)
    fieldErrors.displayName = `The name can be at most ${PROFILE_LIMITS.displayName} characters (it has ${length(displayName)}).`;
  const bio = field(body, 'bio')
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (CONTROL.test(bio)) fieldErrors.bio = 'The bio can only have text, spaces and line breaks.';
  else if (length(bio) > PROFILE_LIMITS.bio)
    fieldErrors.bio = `The bio can be at most ${PROFILE_LIMITS.bio} characters (it has ${length(bio)}): keep it short, the articles say the rest.`;
  const avatarText = field(body, 'avatarImageId').trim();
  let avatarImageId: number | null = null;
  if (field(body, 'removeAvatar') !== 'on' && avatarText !== '') {
    if (/^[1-9]\d{0,15}$/.test(avatarText)) avatarImageId = Number(avatarText);
    else fieldErrors.avatar = 'The picture was not found: upload it again.';
  }
  return { profile: { displayName: displayName || null, bio: bio || null, avatarImageId }, fieldErrors };
}

/** The name a writer is shown by. */
export const shownName = (p: { displayName: string | null }, username: string): string => p.displayName ?? username;
