// Headless Chromium's own EventSource against the standalone server's GET /sse (run by SseBrowserTest):
// a stream receives published events, the server ends it (POST /api/disconnect), events are published while
// the browser waits to reconnect, and the reconnection (with Last-Event-ID, set by the browser itself)
// delivers them once each, in order, then live ones. A stream with a refused token fails for good: the
// browser does not retry a 401.
//   node sse.mjs <server url> <api key> <token>
// Prints "ok: ..." lines and exits 0 when all of it held.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [base, apiKey, token] = process.argv.slice(2);
const api = async (path, body) => {
  const res = await fetch(base + path, {
    method: body ? "POST" : "GET",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
};
const publish = (n) => api("/api/publish", { room: "feed", event: "news", data: { n } });

const profile = mkdtempSync(join(tmpdir(), "sockeye-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
let exitCode = 1;
try {
  const page = await context.newPage();
  await page.goto(base + "/healthz"); // any page of the server's origin
  await page.evaluate((token) => {
    const s = { opens: 0, errors: 0, news: [] };
    s.es = new EventSource(`/sse?rooms=feed&token=${encodeURIComponent(token)}`);
    s.es.onopen = () => { s.opens++; };
    s.es.onerror = () => { s.errors++; };
    s.es.addEventListener("news", (e) => s.news.push({ id: e.lastEventId, n: JSON.parse(e.data).data.n }));
    window.sse = s;
  }, token);
  const wait = (fn, arg) => page.waitForFunction(fn, arg, { timeout: 20000 });

  await wait(() => window.sse.opens === 1);
  await publish(1);
  await wait(() => window.sse.news.length === 1);

  await api("/api/disconnect", { room: "feed" });
  await wait(() => window.sse.es.readyState === EventSource.CONNECTING);
  await publish(2);
  await publish(3);
  const gap = await page.evaluate(() => window.sse.es.readyState === EventSource.CONNECTING && window.sse.opens === 1);
  await wait(() => window.sse.opens === 2 && window.sse.news.length >= 3);
  await publish(4);
  await wait(() => window.sse.news.length >= 4);
  const news = await page.evaluate(() => window.sse.news);
  console.log("events:", JSON.stringify(news));
  const ns = news.map((e) => e.n);
  const ids = news.map((e) => e.id);
  if (gap && JSON.stringify(ns) === "[1,2,3,4]" && new Set(ids).size === 4 && ids.every((id) => id.length > 0)) {
    console.log("ok: EventSource resumed with Last-Event-ID: the events published while it was away arrived once each, in order");
  } else {
    throw new Error(`resume failed (published during the gap: ${gap})`);
  }

  const refused = await page.evaluate(() => new Promise((resolve) => {
    const es = new EventSource("/sse?rooms=feed&token=not-a-jwt");
    es.onerror = () => resolve(es.readyState);
  }));
  const stats = await api("/api/stats");
  if (refused === 2 && stats.rejections.handshake_unauthorized === 1) {
    console.log("ok: a refused token closed the EventSource for good (readyState CLOSED, one refusal on the server)");
    exitCode = 0;
  } else {
    throw new Error(`refused stream: readyState ${refused}, refusals ${JSON.stringify(stats.rejections)}`);
  }
} catch (e) {
  console.error(e);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(exitCode);
