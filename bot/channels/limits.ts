// What every chat callback accepts. Feishu, WeCom and DingTalk callbacks are a few KB (a message,
// a click, an encrypted envelope of either); 64 KB is generous and keeps a hostile body cheap.
export const CALLBACK_BODY_LIMIT = '64kb';
