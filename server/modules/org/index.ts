// 组织: the company and its settings (bound IM organisations), departments, users, roles and what a
// user administrator may grant. Its routes are mounted by server/modules/index.ts.
// Other modules use it through this file.
export { registerWechatOrganisation } from './company/wechat.ts';
export { usersNamedIn } from './users/holders.ts';
