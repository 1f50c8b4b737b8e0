/**
 * Builds web/challenge-check.html: the standalone challenge check, one file with every module
 * it needs inside, published with each release (docs/browser-crypto.md, "The standalone check").
 *
 *   node web/tools/build_challenge_check.js           # writes web/challenge-check.html
 *   node web/tools/build_challenge_check.js --check   # exit 1 if the file is not what it builds to
 *
 * The modules are the same files the server serves (web/js/crypto/..., the check's page
 * script), unchanged except for their import specifiers: each relative specifier becomes a
 * placeholder that the file's loader replaces with the blob: URL of that module, created from
 * the text embedded in the file.  So the file needs no network and no server, and a module
 * here is byte for byte a module of the tagged source.  Only static imports are allowed in
 * the embedded modules (a dynamic import would try to load from the disk or the network).
 */

import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";

export const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const OUTPUT = path.join(WEB, "challenge-check.html");
const ENTRY = "challenge-check/page.js";
const TEMPLATE = path.join(WEB, "challenge-check", "template.html");
const MARK = "<!-- MODULES -->";

const STATIC_IMPORT = /(\bimport\s[^;]*?\bfrom\s*|\bimport\s*|\bexport\s[^;]*?\bfrom\s*)"([^"]+)"/g;

/** The module's relative import specifiers, resolved to paths under web/ ("js/crypto/group.js"). */
function imports(name, source) {
  if (/\bimport\s*\(/.test(source)) throw new Error(`${name}: dynamic import() cannot be embedded`);
  const out = [];
  for (const [, , spec] of source.matchAll(STATIC_IMPORT)) {
    if (!spec.startsWith(".")) throw new Error(`${name}: only relative imports can be embedded, got ${spec}`);
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(name), spec)));
  }
  return out;
}

/** Every module the entry needs, dependencies before dependents, with specifiers replaced. */
export function collectModules(entry = ENTRY) {
  const order = [];
  const sources = {};
  const visit = (name, trail) => {
    if (sources[name] !== undefined) return;
    if (trail.includes(name)) throw new Error(`import cycle: ${[...trail, name].join(" → ")}`);
    const source = fs.readFileSync(path.join(WEB, name), "utf-8");
    for (const dep of imports(name, source)) visit(dep, [...trail, name]);
    sources[name] = source.replace(STATIC_IMPORT, (_, head, spec) => {
      const dep = path.posix.normalize(path.posix.join(path.posix.dirname(name), spec));
      return `${head}"@@module:${dep}@@"`;
    });
    order.push(name);
  };
  visit(entry, []);
  return { order, sources };
}

/** JSON that is safe inside a <script> element: no "<" at all, so no "</script>". */
const scriptJson = (value) => JSON.stringify(value, null, 0).replace(/</g, "\\u003c");

export function buildHtml() {
  const template = fs.readFileSync(TEMPLATE, "utf-8");
  if (!template.includes(MARK)) throw new Error(`${TEMPLATE} has no ${MARK}`);
  const { order, sources } = collectModules();
  const loader = `<script type="application/json" id="modules">${scriptJson({ order, sources })}</script>
<script type="module">
// Each embedded module becomes a blob: URL, dependencies first; its placeholders name them.
const { order, sources } = JSON.parse(document.getElementById("modules").textContent);
const urls = {};
for (const name of order) {
  const code = sources[name].replace(/@@module:([^@]+)@@/g, (_, dep) => urls[dep]);
  urls[name] = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
}
await import(urls[${JSON.stringify(ENTRY)}]);
</script>`;
  return template.replace(MARK, loader);
}

export const sha256 = (text) => createHash("sha256").update(text).digest("hex");

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const html = buildHtml();
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, "utf-8") : "";
    if (current !== html) {
      console.error("web/challenge-check.html is out of date: run node web/tools/build_challenge_check.js");
      process.exit(1);
    }
    console.log(`up to date, SHA-256 ${sha256(html)}`);
  } else {
    fs.writeFileSync(OUTPUT, html);
    console.log(`wrote ${path.relative(process.cwd(), OUTPUT)}, SHA-256 ${sha256(html)}`);
  }
}
