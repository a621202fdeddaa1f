// What other modules (and the chat bot) may use of the organisation: registering the WeChat bot's
// login as its company's chat organisation.
export { registerWechatOrganisation } from './company/wechat.ts';
