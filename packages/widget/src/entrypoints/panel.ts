// The lazily loaded chunk (temper-panel.js): the panel UI and the conversation engine. Both receive what
// they need from temper.js by injection; this file shares no module instance with it.
export { mount } from '../panel/mount.js';
export { createConversation } from '../core/conversation.js';
