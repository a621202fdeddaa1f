// 认证: signing in (password, login throttling, tokens) and chat-platform sign-in and identity binding.
// What other modules may use of it:
export { clearLoginFailures } from './throttle.ts';
export { platformMember } from './platform.ts';
export { chatIdentitiesOf, findAsker, type Asker, type ChatIdentity } from './identities.ts';
