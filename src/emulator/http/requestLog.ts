export interface RequestLogEntry {
  /** Simulated time (the emulator's clock) when the request arrived. */
  time: number;
  method: string;
  /** Path without the query, doubled slashes collapsed. */
  path: string;
  query: Record<string, string>;
  status: number;
  /** Route name such as `labPlans.get`; absent when no route matched. */
  operation?: string;
  requestId: string;
  /** Set when the request was refused by the token bucket. */
  throttled?: boolean;
  /** Ids of the fault rules that fired. */
  faults?: string[];
}
