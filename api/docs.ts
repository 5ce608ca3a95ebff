// A readable page for the API, rendered on the server from the OpenAPI document (no CDN).
const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function docsPage(doc: Record<string, unknown>): string {
  const info = doc.info as { title: string; version: string; description: string };
  const paths = doc.paths as Record<string, Record<string, { summary: string; tags: string[]; parameters?: Array<{ name: string; in: string; required: boolean }>; requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, { description: string }> }>>;
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []).map((p) => `<li><code>${esc(p.name)}</code> (${esc(p.in)}${p.required ? ', required' : ''})</li>`).join('');
      const body = op.requestBody ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(Object.values(op.requestBody.content)[0]?.schema, null, 2))}</pre></details>` : '';
      const responses = Object.entries(op.responses).map(([code, r]) => `<li><strong>${esc(code)}</strong> ${esc(r.description)}</li>`).join('');
      const html = `<section><h3><code>${esc(method.toUpperCase())} ${esc(path)}</code></h3><p>${esc(op.summary)}</p>${params ? `<ul>${params}</ul>` : ''}${body}<ul>${responses}</ul></section>`;
      const tag = op.tags[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const sections = [...byTag].map(([tag, items]) => `<h2>${esc(tag)}</h2>${items.join('')}`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f2f1;padding:0 .2rem}section{border-top:1px solid #b1b4b6;padding:.5rem 0}pre{background:#f3f2f1;padding:.5rem;overflow:auto}</style>
</head><body><h1>${esc(info.title)} <small>${esc(info.version)}</small></h1><p>${esc(info.description)}</p>
<p>Every endpoint under <code>/api/v1</code> needs <code>Authorization: Bearer &lt;token&gt;</code> (in development: <code>camau token --user &lt;id&gt;</code>). The machine-readable document is <a href="/openapi.json">/openapi.json</a>.</p>${sections}</body></html>`;
}
