/** A password that passes Azure's rules and is unique enough to search for in logs, replies and files. */
export const LAB_PASSWORD = 'Zq7!unique-Secret-4242';

/** A valid lab form as the card submits it (numbers as strings), with fields to override. */
export function labFormInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    labName: 'thermo-301',
    title: 'Thermodynamics 301',
    vmSize: 'Classic_Fsv2_2_4GB_128_S_SSD',
    quotaHours: '12',
    capacity: '25',
    adminUser: 'labteacher',
    password: LAB_PASSWORD,
    ...overrides,
  };
}
