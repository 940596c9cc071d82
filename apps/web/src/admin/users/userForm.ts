import type { Role, UserDto } from '@toonbank/shared';

// The limits of POST/PATCH /api/users, as libs/users/src/dto/user.dto.ts validates them.
export const CAPACITY_MIN = 0;
export const CAPACITY_MAX = 200;
export const LANGUAGES_MAX = 10;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
export const NAME_MAX_LENGTH = 100;
/** 1 to 4 letters (the server upper-cases them); for the pattern attribute (unicode sets). */
export const INITIALS_PATTERN = String.raw`\p{L}{1,4}`;

/** What the edit and create forms hold of a user's profile, as the inputs hold it (text). */
export interface ProfileDraft {
  name: string;
  initials: string;
  role: Role;
  /** `YYYY-MM-DD` of a date input; empty = not trained. */
  trainedAt: string;
  capacity: string;
  /** Comma-separated codes as typed: "nl, en". */
  languages: string;
}

export interface NewUserDraft extends ProfileDraft {
  email: string;
  password: string;
}

/** The body of PATCH /api/users/:id: only what changed. */
export interface UserChanges {
  name?: string;
  initials?: string;
  role?: Role;
  active?: boolean;
  trainedAt?: string | null;
  capacity?: number;
  languages?: string[];
}

/** The body of POST /api/users. */
export interface NewUserBody {
  email: string;
  name: string;
  role: Role;
  password: string;
  initials?: string;
  trainedAt?: string;
  capacity?: number;
  languages?: string[];
}

/** The training date as a date input shows it (the UTC day the server stored). */
const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : '');

export const profileDraft = (user: UserDto): ProfileDraft => ({
  name: user.name,
  initials: user.initials,
  role: user.role,
  trainedAt: day(user.trainedAt),
  capacity: String(user.capacity),
  languages: user.languages.join(', '),
});

export const emptyNewUser = (): NewUserDraft => ({
  email: '',
  password: '',
  name: '',
  initials: '',
  role: 'agent',
  trainedAt: '',
  capacity: '',
  languages: '',
});

/** "nl, EN  de" → ['nl', 'en', 'de'] (commas, semicolons or spaces between); null if a part is no two-letter code. */
export function parseLanguages(text: string): string[] | null {
  const parts = text
    .split(/[\s,;]+/)
    .map((part) => part.toLowerCase())
    .filter(Boolean);
  if (parts.some((part) => !/^[a-z]{2}$/.test(part))) return null;
  return [...new Set(parts)];
}

const capacityOk = (text: string) => {
  const value = Number(text);
  return /^\d+$/.test(text.trim()) && value >= CAPACITY_MIN && value <= CAPACITY_MAX;
};

/**
 * The fields this side can already tell are wrong (the server checks them all again): a blank
 * name, initials that are no letters, languages that are no codes, a capacity out of range.
 * A new user may leave initials and capacity blank (the server's defaults); an edit may not.
 */
export function draftProblems(draft: ProfileDraft, creating: boolean): string[] {
  const problems: string[] = [];
  if (!draft.name.trim()) problems.push('name');
  const initials = draft.initials.trim();
  if ((!creating || initials) && !new RegExp(`^${INITIALS_PATTERN}$`, 'u').test(initials))
    problems.push('initials');
  const languages = parseLanguages(draft.languages);
  if (languages === null || languages.length > LANGUAGES_MAX) problems.push('languages');
  if ((!creating || draft.capacity.trim() !== '') && !capacityOk(draft.capacity))
    problems.push('capacity');
  return problems;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value, index) => value === b[index]);

/** What the draft changes of the user: the PATCH body with only those fields. */
export function profileChanges(user: UserDto, draft: ProfileDraft): UserChanges {
  const changes: UserChanges = {};
  const name = draft.name.trim();
  if (name !== user.name) changes.name = name;
  // Initials cannot be cleared (the server keeps them); blank means "leave them".
  const initials = draft.initials.trim().toUpperCase();
  if (initials && initials !== user.initials) changes.initials = initials;
  if (draft.role !== user.role) changes.role = draft.role;
  if (draft.trainedAt !== day(user.trainedAt)) changes.trainedAt = draft.trainedAt || null;
  if (Number(draft.capacity) !== user.capacity) changes.capacity = Number(draft.capacity);
  const languages = parseLanguages(draft.languages) ?? user.languages;
  if (!sameList(languages, user.languages)) changes.languages = languages;
  return changes;
}

/** The POST body of a new user: the required fields, and the optional ones that were filled in. */
export function newUserBody(draft: NewUserDraft): NewUserBody {
  const body: NewUserBody = {
    email: draft.email.trim(),
    name: draft.name.trim(),
    role: draft.role,
    password: draft.password,
  };
  const initials = draft.initials.trim().toUpperCase();
  if (initials) body.initials = initials;
  if (draft.trainedAt) body.trainedAt = draft.trainedAt;
  if (draft.capacity.trim() !== '') body.capacity = Number(draft.capacity);
  const languages = parseLanguages(draft.languages);
  if (languages?.length) body.languages = languages;
  return body;
}
