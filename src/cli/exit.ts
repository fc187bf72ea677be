/** Exit statuses (contract): 0 the check ran, 1 it could not complete, 2 bad usage or invalid config. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** Another run holds the state dir's lock; this one did nothing (systemd: SuccessExitStatus=3). */
export const EXIT_BUSY = 3;
