/**
 * A self-contained page that renders /api/loyalty/openapi.json: no CDN (deployments are often
 * offline), no build step. It lists every operation with its auth, parameters, body and responses.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Loyalty API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:980px;padding:1rem 2rem;color:#222}
h2{border-bottom:1px solid #ddd;margin-top:2rem}details{border:1px solid #ddd;border-radius:6px;margin:.4rem 0}
summary{cursor:pointer;padding:.5rem .8rem}summary code{font-weight:600}pre{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:13px}
.m{display:inline-block;min-width:4.5em;font-weight:700}.GET{color:#0a7}.POST{color:#06c}.PUT{color:#a60}.DELETE{color:#c22}
.auth{float:right;color:#777;font-size:13px}section{padding:0 .8rem .6rem}
</style></head><body>
<h1>Loyalty API</h1><p id="intro">Loading <a href="openapi.json">openapi.json</a>…</p><div id="ops"></div>
<script>
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const pre = (v) => "<pre>" + esc(JSON.stringify(v, null, 2)) + "</pre>";
fetch("openapi.json").then((r) => r.json()).then((doc) => {
  document.getElementById("intro").innerHTML = esc(doc.info.description) + ' — <a href="openapi.json">OpenAPI ' + esc(doc.openapi) + "</a>";
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) (byTag[op.tags[0]] ??= []).push([method.toUpperCase(), path, op]);
  let html = "";
  for (const tag of doc.tags) {
    html += "<h2>" + esc(tag.name) + "</h2><p>" + esc(tag.description) + "</p>";
    for (const [m, path, op] of byTag[tag.name] ?? []) {
      const auth = op.security.length ? Object.keys(op.security[0])[0] : "no auth";
      html += '<details><summary><span class="m ' + m + '">' + m + "</span><code>" + esc(path) + "</code> " + esc(op.summary) + '<span class="auth">' + esc(auth) + "</span></summary><section>";
      if (op.parameters) html += "<h4>Parameters</h4>" + pre(op.parameters);
      if (op.requestBody) { const b = op.requestBody.content["application/json"]; html += "<h4>Body</h4>" + pre(b.schema) + (b.example ? "<h4>Example</h4>" + pre(b.example) : ""); }
      for (const [status, r] of Object.entries(op.responses)) {
        const media = Object.values(r.content ?? {})[0];
        html += "<h4>" + esc(status) + " " + esc(r.description) + "</h4>" + (media ? pre(media.example ?? media.schema) : "");
      }
      html += "</section></details>";
    }
  }
  html += "<h2>Schemas</h2>" + Object.entries(doc.components.schemas).map(([n, s]) => "<details><summary>" + esc(n) + "</summary><section>" + pre(s) + "</section></details>").join("");
  document.getElementById("ops").innerHTML = html;
});
</script></body></html>
`;
