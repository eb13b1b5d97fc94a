import type { OsState, OsType } from '../ports/labHostGateway';

/** `West US` / `WestUS` / `westus` → `westus`; for region names that Azure may spell either way. */
export function regionName(value: string): string {
  return value.replace(/\s+/g, '').toLowerCase();
}

export function osTypeOf(value: string | undefined | null): OsType {
  const v = value?.toLowerCase();
  return v === 'windows' ? 'Windows' : v === 'linux' ? 'Linux' : 'Unknown';
}

export function osStateOf(value: string | undefined | null): OsState {
  const v = value?.toLowerCase();
  return v === 'generalized' ? 'Generalized' : v === 'specialized' ? 'Specialized' : 'Unknown';
}

export function isEnabled(value: string | undefined | null): boolean {
  return value?.toLowerCase() === 'enabled';
}

/** Empty strings and nulls (a detached gallery) become undefined. */
export function presentOrUndefined(value: string | undefined | null): string | undefined {
  return value ? value : undefined;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
