// Panel styles, adopted into the widget's shadow root next to the shell's. Logical properties throughout so
// the layout mirrors on RTL pages; every element gets explicit styles because nothing is inherited from the
// page (the host resets with `all: initial`) and UA defaults differ between browsers. Sizes are relative to the
// host, which covers the visual viewport (ui/shell-css.ts), never to 100vw/100vh (the layout viewport). The
// panel's corner is physical, from the page's direction (:host(:dir(rtl))): the panel has its own `dir` (its
// locale's), which would flip a logical inset.
export const PANEL_CSS = `
.panel{box-sizing:border-box;position:absolute;bottom:88px;display:flex;flex-direction:column;
inline-size:min(380px,calc(100% - 32px));block-size:min(600px,calc(100% - 104px));pointer-events:auto;
background:var(--_bg);color:var(--_text);border:1px solid var(--_border);border-radius:var(--_radius);
box-shadow:0 12px 40px rgba(0,0,0,.25);overflow:hidden;font:inherit}
@media (min-width:481px){.panel{right:var(--_m)}:host(:dir(rtl)) .panel,:host([data-position=start]) .panel{right:auto;left:var(--_m)}
:host(:dir(rtl)[data-position=start]) .panel{left:auto;right:var(--_m)}}
.panel[hidden]{display:none}
.panel *{box-sizing:border-box}
.head{display:flex;align-items:center;gap:8px;padding:12px 16px;background:var(--_accent);color:var(--_accent-text)}
.title{margin:0;flex:1;font:600 16px/1.3 var(--_font);color:inherit}
.x{all:unset;display:flex;align-items:center;justify-content:center;inline-size:32px;block-size:32px;border-radius:8px;
cursor:pointer;color:inherit;font:400 22px/1 var(--_font)}
.lang{all:unset;padding:4px 8px;border-radius:8px;cursor:pointer;color:inherit;font:500 13px/1.2 var(--_font);
border:1px solid color-mix(in srgb,currentColor 45%,transparent)}
.x:focus-visible,.send:focus-visible,.lang:focus-visible{outline:2px solid currentColor;outline-offset:2px}
.banner{margin:0;padding:8px 16px;background:var(--_other);color:var(--_text);border-block-end:1px solid var(--_border);font:13px/1.4 var(--_font)}
.banner[hidden],.offline[hidden],.typing[hidden]{display:none}
.offline{margin:0;padding:6px 16px;background:#fef3c7;color:#78350f;font:13px/1.4 var(--_font)}
.thread{position:relative;flex:1;display:flex;flex-direction:column;min-block-size:0}
.new-messages{all:unset;position:absolute;inset-block-end:8px;left:50%;transform:translateX(-50%);padding:6px 14px;border-radius:16px;
background:var(--_accent);color:var(--_accent-text);font:600 13px/1.2 var(--_font);cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.25)}
.new-messages:focus-visible{outline:2px solid var(--_text);outline-offset:2px}
.new-messages[hidden],.composer-error[hidden],.composer-note[hidden]{display:none}
.composer-note{margin:0;padding:6px 16px 0;color:var(--_muted);font:13px/1.4 var(--_font)}
.composer-error{margin:0;padding:6px 16px 0;color:#dc2626;font:13px/1.4 var(--_font)}
.list{flex:1;margin:0;padding:12px 16px;list-style:none;overflow-y:auto;overscroll-behavior:contain;display:flex;flex-direction:column;gap:8px}
.empty{color:var(--_muted);text-align:center;margin:auto 0;font:13px/1.4 var(--_font)}
.msg{display:flex;flex-direction:column;align-items:flex-start;max-inline-size:85%;margin:0;padding:0}
.msg.visitor{align-self:flex-end;align-items:flex-end}
.who{color:var(--_muted);font:12px/1.3 var(--_font);margin-block-end:2px}
.bubble{display:block;margin:0;padding:8px 12px;border-radius:14px;background:var(--_other);color:var(--_text);
white-space:pre-wrap;overflow-wrap:anywhere;font:14px/1.45 var(--_font);text-align:start}
.visitor .bubble{background:var(--_accent);color:var(--_accent-text)}
.system .bubble{background:transparent;color:var(--_muted);font-style:italic}
.bubble a{color:inherit;text-decoration:underline;cursor:pointer}
.status{color:var(--_muted);font:11px/1.3 var(--_font);margin-block-start:2px}
.status.failed{color:#dc2626}
.typing{padding:0 16px 6px;color:var(--_muted);font:12px/1.3 var(--_font)}
.composer{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-block-start:1px solid var(--_border);background:var(--_bg)}
.input{flex:1;resize:none;field-sizing:content;min-block-size:40px;max-block-size:120px;margin:0;padding:9px 12px;border:1px solid var(--_border);border-radius:10px;
background:var(--_bg);color:var(--_text);font:14px/1.45 var(--_font);outline:none}
.input:focus{border-color:var(--_accent);box-shadow:0 0 0 2px color-mix(in srgb,var(--_accent) 30%,transparent)}
.send{all:unset;box-sizing:border-box;display:flex;align-items:center;justify-content:center;block-size:40px;padding:0 14px;border-radius:10px;
background:var(--_accent);color:var(--_accent-text);cursor:pointer;font:600 14px/1 var(--_font)}
.by{display:flex;align-items:center}
.avatar{display:inline-flex;align-items:center;justify-content:center;inline-size:20px;block-size:20px;margin-inline-end:4px;border-radius:50%;
background:var(--_accent);color:var(--_accent-text);font:600 10px/1 var(--_font);vertical-align:middle}
.past{all:unset;cursor:pointer;padding:4px 8px;border-radius:8px;font:13px/1.2 var(--_font);color:inherit;text-decoration:underline}
.past:focus-visible{outline:2px solid currentColor}
.thread[hidden],.composer[hidden]{display:none}
.sr{position:absolute;inline-size:1px;block-size:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
@media (max-width:480px),(pointer:coarse){.input{font-size:16px}}
@media (max-width:480px){.panel{inset:0;inline-size:100%;block-size:100%;border-radius:0;border:0}}
`;
