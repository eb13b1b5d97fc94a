/**
 * Azure Lab Services retires on 2027-06-28 (Azure Compute Galleries do not). Within a year of it, `status` on a lab
 * host says so, with Microsoft's retirement and migration guide.
 */
export const LAB_SERVICES_RETIREMENT = Date.UTC(2027, 5, 28);
export const LAB_SERVICES_RETIREMENT_GUIDE = 'https://learn.microsoft.com/azure/lab-services/retirement-guide';

const DAY_MS = 24 * 60 * 60_000;
const NOTICE_WINDOW_DAYS = 365;

/** Whole days left until the retirement (0 on the day itself), or undefined when it is over a year away or past. */
export function retirementDaysLeft(now: number): number | undefined {
  const days = Math.ceil((LAB_SERVICES_RETIREMENT - now) / DAY_MS);
  return days >= 0 && days <= NOTICE_WINDOW_DAYS ? days : undefined;
}
