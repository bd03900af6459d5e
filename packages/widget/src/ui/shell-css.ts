// Styles of the host element and the launcher. Everything on :host is !important because, for the host
// element, the page's normal declarations beat the shadow tree's, while for !important ones the shadow tree
// wins (https://drafts.csswg.org/css-cascade-5/#cascade-context). `all: initial` cuts off inheritance from
// the page (custom properties excepted: they are the theming API), and `direction` survives it, so RTL pages
// stay RTL.
// The host is a fixed box laid exactly over the visual viewport (left/top/width/height from VisualViewport, set
// by shell.ts), the launcher and panel placed inside it. Anchoring to the layout viewport instead put the
// launcher off-screen on pages wider than the phone (the demo shop's header made a 390 px phone's page 437 px,
// issue 12): fixed boxes follow the layout viewport, which grows with such a page, while the visual viewport is
// what the visitor sees. The box ignores the pointer; only the launcher and the panel take it.
export const SHELL_CSS = `
:host{all:initial!important;display:block!important;position:fixed!important;z-index:var(--temper-z-index,2147483000)!important;
left:var(--_vvl,0px)!important;top:var(--_vvt,0px)!important;
width:var(--_vvw,100%)!important;height:var(--_vvh,100%)!important;pointer-events:none!important;
visibility:visible!important;opacity:1!important;transform:none!important;
margin:0!important;padding:0!important;border:0!important;
--_m:16px;--_accent:var(--temper-accent,#4f46e5);--_accent-text:var(--temper-accent-text,#fff);
--_bg:var(--temper-bg,#fff);--_text:var(--temper-text,#111827);--_muted:var(--temper-muted,#6b7280);
--_other:var(--temper-bubble-bg,#f1f2f6);--_border:var(--temper-border,#e5e7eb);
--_radius:var(--temper-radius,16px);--_font:var(--temper-font,system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei",sans-serif);
font:14px/1.45 var(--_font)!important;color:var(--_text)!important;color-scheme:light}
:host([data-theme=dark]){--_bg:var(--temper-bg,#111827);--_text:var(--temper-text,#f3f4f6);--_muted:var(--temper-muted,#9ca3af);
--_other:var(--temper-bubble-bg,#1f2937);--_border:var(--temper-border,#374151);color-scheme:dark}
@media (prefers-color-scheme:dark){:host([data-theme=auto]){--_bg:var(--temper-bg,#111827);--_text:var(--temper-text,#f3f4f6);
--_muted:var(--temper-muted,#9ca3af);--_other:var(--temper-bubble-bg,#1f2937);--_border:var(--temper-border,#374151);color-scheme:dark}}
.launcher{all:unset;box-sizing:border-box;display:flex;align-items:center;justify-content:center;position:absolute;
inset-block-end:var(--_m);inset-inline-end:var(--_m);pointer-events:auto;
inline-size:56px;block-size:56px;border-radius:50%;background:var(--_accent);color:var(--_accent-text);cursor:pointer;
box-shadow:0 4px 14px rgba(0,0,0,.25);transition:transform .15s}
.launcher:hover{transform:scale(1.05)}
.launcher:focus-visible{outline:3px solid var(--_accent);outline-offset:3px}
.launcher svg{inline-size:28px;block-size:28px;fill:currentColor}
:host([data-position=start]) .launcher{inset-inline-end:auto;inset-inline-start:var(--_m)}
.badge{position:absolute;inset-block-start:-4px;inset-inline-end:-4px;min-inline-size:20px;block-size:20px;padding:0 5px;
box-sizing:border-box;border-radius:10px;background:#dc2626;color:#fff;font:700 12px/20px var(--_font);text-align:center}
.badge[hidden]{display:none}
@media (max-width:480px){:host{--_m:12px}}
@media (prefers-reduced-motion:reduce){.launcher{transition:none}}
`;
