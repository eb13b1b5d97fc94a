/** The demo's simulated time lives with the clock port; the emulator re-exports it for its own callers. */
export { ScaledClock } from '../ports/clock';
