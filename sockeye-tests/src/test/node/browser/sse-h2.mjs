// Headless Chromium's EventSource over HTTP/2 (TLS, h2 by ALPN) against a server started with --http2 (run by
// SseHttp2Test): a page opens more streams than the six HTTP/1.1 connections a browser allows per origin,
// and every one of them opens and receives an event published to all their rooms.
//   node sse-h2.mjs <https server url> <api key> <streams>
// Prints "ok: ..." and exits 0 when all of it held.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [base, apiKey, count] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), "sockeye-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  ignoreHTTPSErrors: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--ignore-certificate-errors"],
});
let exitCode = 1;
try {
  const page = await context.newPage();
  await page.goto(base + "/healthz");
  const result = await page.evaluate(async ({ n, apiKey }) => {
    const streams = Array.from({ length: n }, (_, i) => new EventSource(`/sse?rooms=h2-${i}`));
    const opened = streams.map((es) => new Promise((resolve) => { es.onopen = resolve; }));
    const ticks = streams.map((es) => new Promise((resolve) => es.addEventListener("tick", resolve)));
    const timeout = (what) => new Promise((_, reject) => setTimeout(() => reject(new Error(what)), 30000));
    await Promise.race([Promise.all(opened), timeout("not every stream opened within 20 s")]);
    const rooms = streams.map((_, i) => `h2-${i}`);
    const res = await fetch("/api/broadcast", { method: "POST", headers: { authorization: `Bearer ${apiKey}`,
      "content-type": "application/json" }, body: JSON.stringify({ rooms, event: "tick", data: 1 }) });
    if (res.status !== 200) throw new Error(`broadcast: ${res.status}`);
    await Promise.race([Promise.all(ticks), timeout("not every stream received its event within 20 s")]);
    const protocols = performance.getEntriesByType("resource").filter((e) => e.name.includes("/sse"))
      .map((e) => e.nextHopProtocol);
    return { protocol: performance.getEntriesByType("navigation")[0].nextHopProtocol, protocols };
  }, { n: Number(count), apiKey });
  console.log(`page protocol: ${result.protocol}; streams: ${JSON.stringify(result.protocols)}`);
  if (result.protocol === "h2") {
    console.log(`ok: ${count} EventSource streams of one page opened over HTTP/2 and each received its event`);
    exitCode = 0;
  }
} catch (e) {
  console.error(e);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(exitCode);
