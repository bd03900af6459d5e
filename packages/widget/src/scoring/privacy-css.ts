// Styles of the privacy bar (notice, switch, "What's shared"), adopted into the shadow root by temper-scoring.js
// so the panel chunk carries none of them. Same rules as the panel: logical properties, explicit fonts.
export const PRIVACY_CSS = `
.privacy:empty{display:none}
.privacy{border-block-end:1px solid var(--_border);background:var(--_bg);color:var(--_text);font:12px/1.4 var(--_font)}
.privacy-bar{display:flex;flex-direction:column;gap:4px;padding:6px 16px}
.notice{margin:0;color:var(--_muted);font:12px/1.4 var(--_font)}
.privacy-controls{display:flex;flex-wrap:wrap;align-items:center;gap:4px 16px}
.switch{display:inline-flex;align-items:center;gap:6px;cursor:pointer;font:600 12px/1.4 var(--_font)}
.switch[hidden],.shared[hidden],.shared-intro[hidden],.shared-empty[hidden],.forget-confirm[hidden],.ref-row[hidden]{display:none}
.switch-input{appearance:none;-webkit-appearance:none;position:relative;margin:0;inline-size:28px;block-size:16px;border-radius:8px;
background:var(--_border);cursor:pointer;transition:background .15s;flex:none}
.switch-input::after{content:"";position:absolute;inset-block-start:2px;inset-inline-start:2px;inline-size:12px;block-size:12px;border-radius:50%;
background:#fff;transition:inset-inline-start .15s}
.switch-input:checked{background:var(--_accent)}
.switch-input:checked::after{inset-inline-start:14px}
.switch-input:focus-visible,.shared-toggle:focus-visible,.forget:focus-visible,.privacy button:focus-visible,.policy:focus-visible,.ref:focus-visible{outline:2px solid var(--_accent);outline-offset:2px}
.shared-toggle,.forget{all:unset;cursor:pointer;color:var(--_accent);text-decoration:underline;font:12px/1.4 var(--_font)}
.policy{color:var(--_accent)}
.shared{max-block-size:220px;overflow-y:auto;padding-block:2px}
.shared-intro,.shared-empty,.stored,.ref-intro,.ref-status{margin:2px 0 0;color:var(--_muted)}
.ref-row,.forget-actions{display:flex;flex-wrap:wrap;align-items:center;gap:4px 8px;margin-block-start:4px}
.ref-label{font-weight:600}
.ref{flex:1 1 8em;min-inline-size:0;padding:2px 6px;border:1px solid var(--_border);border-radius:4px;background:var(--_bg);color:var(--_text);font:12px/1.4 ui-monospace,monospace}
.copy,.forget-yes,.forget-no{cursor:pointer;padding:2px 10px;border:1px solid var(--_border);border-radius:4px;background:var(--_bg);color:var(--_text);font:600 12px/1.4 var(--_font)}
.forget-yes{border-color:#b91c1c;background:#b91c1c;color:#fff}
.shared-list{margin:2px 0;padding-inline-start:18px}
.shared-item{margin:0;font-variant-numeric:tabular-nums}
.forget{margin-block-start:4px;color:#dc2626}
@media (prefers-reduced-motion:reduce){.switch-input,.switch-input::after{transition:none}}
`;
