/**
 * A static HTTP server for web/, for tests and benchmarks that run the code in Chromium
 * (module workers do not load from file:// URLs).  Extra pages are served from memory; a page
 * given as a function is called as a request handler `(req, res)` instead (a fake API that
 * sees the request's real headers, which a Playwright route does not always show).
 */

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { WEB } from "./helpers.js";

const TYPES = { ".js": "text/javascript", ".json": "application/json", ".html": "text/html" };

/** Resolves to { url, close } once listening on a free port of 127.0.0.1. */
export async function serveWeb(pages = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (Object.hasOwn(pages, url.pathname) && typeof pages[url.pathname] === "function") {
      pages[url.pathname](req, res);
      return;
    }
    if (Object.hasOwn(pages, url.pathname)) {
      res.writeHead(200, { "content-type": "text/html" }).end(pages[url.pathname]);
      return;
    }
    const file = path.join(WEB, path.normalize(url.pathname));
    if (!file.startsWith(WEB + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}
