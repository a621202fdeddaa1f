// What other modules may use of sign-in: login throttling, and chat identities (who asks from a
// chat, where a user can be reached).
export { clearLoginFailures } from './throttle.ts';
export { chatIdentitiesOf, findAsker, type Asker, type ChatIdentity } from './identities.ts';
