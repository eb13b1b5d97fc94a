import { type LabHostKind, type MessageKey, type MessageParams, UserError } from '../kernel';

/** Verbs of the lab form card's buttons; the action router routes on the same constants. */
export const LAB_FORM_VERBS = { create: 'template.create', cancel: 'template.cancel' } as const;

const LAB_FORM_FIELDS = ['labName', 'title', 'vmSize', 'quotaHours', 'capacity', 'adminUser', 'password'] as const;
export type LabFormField = (typeof LAB_FORM_FIELDS)[number];

export interface LabFormValues {
  labName: string;
  title: string;
  vmSize: string;
  quotaHours: number;
  capacity: number;
  adminUser: string;
  password: string;
}

/** What the form showed, to prefill it again: never the password. */
export type LabFormEcho = Partial<Record<Exclude<LabFormField, 'password'>, string>>;

export interface FieldError {
  key: MessageKey;
  params: MessageParams;
}

export type LabFormErrors = Partial<Record<LabFormField, FieldError>>;

export type LabFormResult = { ok: true; value: LabFormValues } | { ok: false; errors: LabFormErrors; echo: LabFormEcho };

export interface LabFormLimits {
  /** The sizes offered for the host: `vmSizesFor(host.kind)`. */
  vmSizes: readonly string[];
}

export const LAB_FORM_RULES = {
  /** Longer raw input is refused before any other rule looks at it. */
  maxRaw: 500,
  labName: { max: 100 },
  title: { max: 120 },
  quotaHours: { min: 0, max: 1000 },
  capacity: { min: 1, max: 400 },
  adminUser: { max: 20 },
  password: { min: 12, max: 123 },
} as const;

/** What a fresh form proposes. */
export const LAB_FORM_DEFAULTS = { quotaHours: 10, capacity: 20 } as const;

/** User names Azure refuses for a VM's admin account (compared case-insensitively). */
const RESERVED_USER_NAMES = new Set([
  '1', '123', 'a', 'actuser', 'adm', 'admin', 'admin1', 'admin2', 'administrator', 'aspnet', 'backup', 'console', 'david', 'guest', 'john',
  'owner', 'root', 'server', 'sql', 'support', 'support_388945a0', 'sys', 'test', 'test1', 'test2', 'test3', 'user', 'user1', 'user2',
  'user3', 'user4', 'user5',
]);

/**
 * VM sizes a lab can be created with: SKU names for lab plans, size names for lab accounts. The only list of
 * them: the form's choices and its validation both come from here.
 */
export function vmSizesFor(kind: LabHostKind): readonly string[] {
  return kind === 'labPlan'
    ? ['Classic_Fsv2_2_4GB_128_S_SSD', 'Classic_Fsv2_4_8GB_128_S_SSD', 'Classic_Dsv4_4_16GB_128_P_SSD', 'Classic_NCsT4v3_4_28GB_128_S_SSD']
    : ['Basic', 'Standard', 'Large'];
}

/**
 * Checks the lab form as submitted (card data: anything may come, numbers usually as strings). Never throws:
 * every problem is a field error with a catalog key. The echo, for showing the form again, has no password.
 */
export function validateLabForm(input: unknown, limits: LabFormLimits): LabFormResult {
  const raw: Record<string, unknown> = isRecord(input) ? input : {};
  const errors: LabFormErrors = {};
  const field = <T>(name: LabFormField, outcome: T | FieldError): T | undefined => {
    if (isFieldError(outcome)) {
      errors[name] = outcome;
      return undefined;
    }
    return outcome;
  };
  const labName = field('labName', labNameOf(raw.labName));
  const title = field('title', textOf(raw.title, LAB_FORM_RULES.title.max));
  const vmSize = field('vmSize', vmSizeOf(raw.vmSize, limits.vmSizes));
  const quotaHours = field('quotaHours', integerOf(raw.quotaHours, LAB_FORM_RULES.quotaHours));
  const capacity = field('capacity', integerOf(raw.capacity, LAB_FORM_RULES.capacity));
  const adminUser = field('adminUser', adminUserOf(raw.adminUser));
  const password = field('password', passwordOf(raw.password, adminUser));
  if (
    labName !== undefined &&
    title !== undefined &&
    vmSize !== undefined &&
    quotaHours !== undefined &&
    capacity !== undefined &&
    adminUser !== undefined &&
    password !== undefined
  ) {
    return { ok: true, value: { labName, title, vmSize, quotaHours, capacity, adminUser, password } };
  }
  return { ok: false, errors, echo: echoOf(raw) };
}

/** The echo of a valid form (to show it again, e.g. when the name turns out to be taken): no password. */
export function labFormEcho(values: LabFormValues): LabFormEcho {
  return {
    labName: values.labName,
    title: values.title,
    vmSize: values.vmSize,
    quotaHours: String(values.quotaHours),
    capacity: String(values.capacity),
    adminUser: values.adminUser,
  };
}

/** Thrown by `LabCreationService.start` when the submitted form does not pass: the card is shown again with these. */
export class LabFormError extends UserError {
  constructor(
    readonly errors: LabFormErrors,
    readonly echo: LabFormEcho,
  ) {
    super('lab.formInvalid', { count: Object.keys(errors).length });
    this.name = 'LabFormError';
  }
}

function error(key: MessageKey, params: MessageParams = {}): FieldError {
  return { key, params };
}

function isFieldError(value: unknown): value is FieldError {
  return isRecord(value) && typeof value.key === 'string' && isRecord(value.params);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A trimmed, non-empty string of at most `max` characters. */
function textOf(value: unknown, max: number): string | FieldError {
  if (value === undefined || value === null) return error('labForm.missing');
  if (typeof value !== 'string') return error('labForm.notText');
  const text = value.trim();
  if (text === '') return error('labForm.missing');
  if (text.length > max) return error('labForm.tooLong', { max, length: text.length });
  return text;
}

function labNameOf(value: unknown): string | FieldError {
  const text = textOf(value, LAB_FORM_RULES.labName.max);
  if (typeof text !== 'string') return text;
  const bad = offending(text, /[A-Za-z0-9_-]/);
  if (bad) return error('labForm.labName.chars', bad);
  if (!/^[A-Za-z0-9]/.test(text)) return error('labForm.labName.start');
  return text;
}

function vmSizeOf(value: unknown, sizes: readonly string[]): string | FieldError {
  const text = textOf(value, LAB_FORM_RULES.maxRaw);
  if (typeof text !== 'string') return text;
  const size = sizes.find((s) => s.toLowerCase() === text.toLowerCase());
  return size ?? error('labForm.vmSize.unknown', { sizes: sizes.join(', ') });
}

/** A whole number in range; a number or its decimal string (Adaptive Cards submit inputs as strings). */
function integerOf(value: unknown, range: { min: number; max: number }): number | FieldError {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return error('labForm.missing');
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.length <= LAB_FORM_RULES.maxRaw && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(value)) n = Number(value);
  else return error('labForm.notNumber');
  if (!Number.isFinite(n)) return error('labForm.notNumber');
  if (!Number.isInteger(n)) return error('labForm.notInteger');
  if (n < range.min || n > range.max) return error('labForm.outOfRange', { min: range.min, max: range.max });
  return n;
}

/** Azure VM admin names: a letter first, then letters, digits, `.`, `-`, `_`; no trailing dot; not a reserved name. */
function adminUserOf(value: unknown): string | FieldError {
  const text = textOf(value, LAB_FORM_RULES.adminUser.max);
  if (typeof text !== 'string') return text;
  const bad = offending(text, /[A-Za-z0-9._-]/);
  if (bad) return error('labForm.adminUser.chars', bad);
  if (!/^[A-Za-z]/.test(text)) return error('labForm.adminUser.start');
  if (text.endsWith('.')) return error('labForm.adminUser.endsWithDot');
  if (RESERVED_USER_NAMES.has(text.toLowerCase())) return error('labForm.adminUser.reserved', { name: text });
  return text;
}

/**
 * Azure VM passwords: 12–123 characters with 3 of 4 classes, and not containing the user name. Kept as typed
 * (no trim). Errors never quote it.
 */
function passwordOf(value: unknown, adminUser: string | undefined): string | FieldError {
  if (value === undefined || value === null || value === '') return error('labForm.missing');
  if (typeof value !== 'string') return error('labForm.notText');
  const { min, max } = LAB_FORM_RULES.password;
  if (value.length < min || value.length > max) return error('labForm.password.length', { min, max });
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[\W_]/].filter((c) => c.test(value)).length;
  if (classes < 3) return error('labForm.password.classes');
  if (adminUser && value.toLowerCase().includes(adminUser.toLowerCase())) return error('labForm.password.containsUser');
  return value;
}

/**
 * The signs of `text` that `allowed` refuses, apart from spaces (the rule says "no spaces" in words): the
 * first five, and how many there are. `count` 0 means only spaces were wrong, or nothing.
 */
function offending(text: string, allowed: RegExp): { chars: string; count: number } | undefined {
  const bad = [...new Set([...text].filter((c) => !allowed.test(c)))];
  if (bad.length === 0) return undefined;
  const signs = bad.filter((c) => !/\s/.test(c));
  return { chars: signs.length > 5 ? `${signs.slice(0, 5).join(' ')} …` : signs.join(' '), count: signs.length };
}

function echoOf(raw: Record<string, unknown>): LabFormEcho {
  const echo: LabFormEcho = {};
  for (const name of LAB_FORM_FIELDS) {
    if (name === 'password') continue;
    const value = raw[name];
    if (typeof value === 'string') echo[name] = value.slice(0, LAB_FORM_RULES.maxRaw);
    else if (typeof value === 'number' && Number.isFinite(value)) echo[name] = String(value);
  }
  return echo;
}
