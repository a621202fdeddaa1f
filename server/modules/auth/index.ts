// What other modules may use of sign-in.
export { clearLoginFailures } from './throttle.ts';
