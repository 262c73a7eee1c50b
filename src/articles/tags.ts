/**
 * Tags: lowercase words joined by hyphens ("lightning", "open-source"), at most MAX_TAGS per
 * article. What a writer types ("Open Source, bitcoin;  Lightning") is normalised here, in one place.
 */
export const MAX_TAGS = 5;
export const MAX_TAG_LENGTH = 30;
const TAG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** One tag as typed, normalised; null when nothing usable is left. */
export function normaliseTag(raw: string): string | null {
  const tag = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/^#/, '')
    .replace(/[\s_]+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return tag && tag.length <= MAX_TAG_LENGTH ? tag : null;
}

export function isTag(s: string): boolean {
  return s.length <= MAX_TAG_LENGTH && TAG.test(s);
}

/** The writer's tag field: tags split on commas or semicolons, normalised, duplicates dropped; and what is wrong with it. */
export function readTags(text: string): { tags: string[]; error: string | null } {
  const parts = text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const tags: string[] = [];
  for (const part of parts) {
    const tag = normaliseTag(part);
    if (!tag)
      return { tags, error: `“${part.slice(0, 40)}” is not a usable tag: use letters and digits, at most ${MAX_TAG_LENGTH} characters.` };
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > MAX_TAGS) return { tags: tags.slice(0, MAX_TAGS), error: `At most ${MAX_TAGS} tags, separated by commas.` };
  return { tags, error: null };
}
