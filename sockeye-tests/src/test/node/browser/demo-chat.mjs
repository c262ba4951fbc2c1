// Two pages of headless Chromium chat through the server's demo page.
//   node demo-chat.mjs <server url> <artifacts dir>
// Exits 0 when Alice and Bob each see the other's message (with a timestamp) and a presence count of
// 2, and when Alice, whose connection drops while a backend publishes through the HTTP API
// ($SOCKEYE_API_KEY), sees the missed messages once, in order, after she reconnects; saves a screenshot
// of each page in <artifacts dir> either way. Chromium is Debian's
// (/usr/bin/chromium, or $CHROMIUM), driven by playwright-core with a fresh profile directory.
import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [url, artifacts] = process.argv.slice(2);
if (!url || !artifacts) {
  console.error("usage: node demo-chat.mjs <server url> <artifacts dir>");
  process.exit(2);
}
const WAIT = { timeout: 60000 };
mkdirSync(artifacts, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), "sockeye-chromium-"));

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1100, height: 720 },
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});

const problems = [];
const pages = [];
async function open(name) {
  const page = await context.newPage();
  pages.push([name.toLowerCase(), page]);
  page.on("pageerror", (e) => problems.push(`${name}: page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`${name}: console error: ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById("status").textContent === "connected", null, WAIT);
  await page.fill("#name", name);
  await page.press("#name", "Tab"); // "change" sets the display name
  console.log(`${name}: connected`);
  return page;
}

async function say(page, text) {
  await page.fill("#message-input", text);
  await page.press("#message-input", "Enter");
}

async function sees(page, who, text) {
  const line = page.locator("#messages .msg-chat", { hasText: text });
  await line.waitFor(WAIT);
  const author = await line.locator(".who").textContent();
  const time = await line.locator("time").getAttribute("datetime");
  if (author !== who) throw new Error(`expected ${who} as the author of "${text}", got ${author}`);
  if (!time || Number.isNaN(Date.parse(time))) throw new Error(`no timestamp on "${text}"`);
}

async function presenceIs(page, count) {
  await page.waitForFunction((n) => document.getElementById("presence-count").textContent === String(n), count, WAIT);
}

let failed = false;
try {
  const alice = await open("Alice");
  const bob = await open("Bob");

  await presenceIs(alice, 2);
  await presenceIs(bob, 2);
  console.log("presence: both pages show 2 here now");

  await say(alice, "Hello from Alice");
  await sees(bob, "Alice", "Hello from Alice");
  await sees(alice, "Alice", "Hello from Alice"); // the publisher receives its own message too
  await say(bob, "Hi Alice, Bob here");
  await sees(alice, "Bob", "Hi Alice, Bob here");
  console.log("chat: each page received the other's message");

  // Alice's connection drops (reconnection held off so that the publishes surely happen while she is away).
  await alice.evaluate(() => {
    window.sockeyeSocket.io.reconnection(false);
    window.sockeyeSocket.io.engine.close();
  });
  await alice.waitForFunction(() => document.getElementById("status").textContent.startsWith("disconnected"), null, WAIT);
  const missed = ["missed 1", "missed 2", "missed 3"];
  for (const text of missed) {
    const res = await fetch(url.replace(/\/$/, "") + "/api/publish", {
      method: "POST",
      headers: { authorization: `Bearer ${process.env.SOCKEYE_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ room: "lobby", event: "chat", data: { name: "Backend", text, cid: "api" } }),
    });
    if (res.status !== 200) throw new Error(`publish answered ${res.status}: ${await res.text()}`);
  }
  await alice.evaluate(() => {
    window.sockeyeSocket.io.reconnection(true);
    window.sockeyeSocket.connect();
  });
  await alice.waitForFunction(() => document.getElementById("status").textContent === "connected", null, WAIT);
  for (const text of missed) await sees(alice, "Backend", text);
  await alice.locator("#messages .msg-system", { hasText: "3 messages missed while away" }).waitFor(WAIT);
  const shown = (await alice.locator("#messages .msg-chat .text").allTextContents()).filter((t) => t.startsWith("missed"));
  if (JSON.stringify(shown) !== JSON.stringify(missed)) throw new Error(`missed messages shown as ${JSON.stringify(shown)}`);
  console.log("recovery: the missed messages appear once, in order, after the reconnect");

  if (problems.length) throw new Error(problems.join("\n"));
} catch (e) {
  failed = true;
  console.error("FAILED: " + (e && e.stack ? e.stack : e));
  for (const p of problems) console.error(p);
} finally {
  for (const [name, page] of pages) {
    const path = join(artifacts, `demo-chat-${name}${failed ? "-failed" : ""}.png`);
    await page.screenshot({ path, fullPage: true }).catch((e) => console.error(`screenshot ${name}: ${e.message}`));
    console.log(`screenshot: ${path}`);
  }
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
