// Runs web/js/worker.js in a Node worker thread: `self` as a browser worker sees it.
import { parentPort } from "node:worker_threads";

globalThis.self = {
  addEventListener: (type, listener) => {
    if (type === "message") parentPort.on("message", (data) => listener({ data }));
  },
  postMessage: (message) => parentPort.postMessage(message),
};
await import("../js/worker.js");
