/* SPDX-License-Identifier: EUPL-1.2 */
/* The stylesheet, compiled into the binary (no CDN, no external files). Mobile first;
   contrast AA; visible focus. */
#include "web/pages/pages.h"

static const char css[] =
    ":root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#c8c8c8;--accent:#0b5cad;--ok:#1e6b32;--watch:#8a5a00;"
    "--bad:#a4262c;--bg:#fff;--soft:#f3f5f8}\n"
    "*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe "
    "UI',Roboto,sans-serif;"
    "color:var(--ink);background:var(--bg)}\n"
    ".skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:9}"
    "\n"
    "header{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;padding:8px "
    "12px;background:var(--soft);"
    "border-bottom:1px solid var(--line)}\n"
    ".brand{font-weight:700;color:var(--accent)}nav{display:flex;gap:12px;flex-wrap:wrap}\n"
    "nav a{color:var(--accent);text-decoration:none;padding:6px 2px}nav a[aria-current]{font-weight:700;"
    "border-bottom:2px solid var(--accent)}\n"
    "header form{margin:0}header button{font:inherit;background:none;border:1px solid "
    "var(--line);border-radius:4px;"
    "padding:4px 8px;color:var(--ink);cursor:pointer}\n"
    "main{padding:12px;max-width:1100px;margin:0 auto}h1{font-size:1.4rem;margin:.4em 0}h2{font-size:1.15rem;"
    "margin:1.2em 0 .4em}\n"
    ":focus-visible{outline:3px solid var(--accent);outline-offset:2px}\n"
    ".stack{display:flex;flex-direction:column;gap:6px;max-width:360px}\n"
    "input,select,button{font:inherit}input,select{padding:8px;border:1px solid #767676;border-radius:4px}\n"
    "button[type=submit]{background:var(--accent);color:#fff;border:0;border-radius:4px;padding:10px 14px}\n"
    "header button[type=submit]{background:none;color:var(--ink);border:1px solid var(--line);padding:4px "
    "8px}\n"
    ".error{color:var(--bad);font-weight:600}.note{background:#fff8e1;border-left:4px solid var(--watch);"
    "padding:6px 10px}\n"
    ".tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:12px;align-items:start}"
    "\n"
    ".tile{border:1px solid var(--line);border-radius:6px;padding:10px 12px}.tile h2{margin:0 0 6px;"
    "font-size:1rem}\n"
    ".tile .big{font-size:1.6rem;font-weight:700}.tile dl{display:grid;grid-template-columns:1fr auto;"
    "gap:4px 12px;margin:6px 0 0;align-items:center}.tile dd{margin:0;text-align:right;white-space:nowrap}\n"
    ".status{display:inline-block;border-radius:10px;padding:0 "
    "8px;font-size:.9rem;font-weight:600;color:#fff}\n"
    ".s0{background:var(--ok)}.s1{background:var(--watch)}.s2{background:var(--bad)}\n"
    ".scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;margin:6px 0 12px}th,td{padding:4px "
    "8px;"
    "border-bottom:1px solid var(--line);text-align:left}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;"
    "padding:4px 0}\n"
    ".day{border-top:1px solid var(--line);padding:6px 0}.day h2{display:flex;justify-content:space-between;"
    "font-size:1rem;margin:.2em 0}\n"
    ".muted{color:var(--muted)}.filters{display:flex;gap:8px;align-items:end;flex-wrap:wrap;margin:8px 0}\n"
    "@media(min-width:800px){main{padding:20px}}\n";

void page_static_css(struct request *r, struct response *resp) {
  (void)r;
  resp->content_type = "text/css; charset=utf-8";
  buf_append(&resp->body, css, sizeof css - 1);
}
