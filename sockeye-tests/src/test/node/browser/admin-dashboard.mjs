// Headless Chromium signs in to the admin dashboard and watches it move.
//   node admin-dashboard.mjs <server url> <password> <artifacts dir> <expected connections> [<nodes> [<screenshot name>]]
// Steps, each printed as one line the Java test waits for:
//   "refused: no session"          /admin/ redirects to the login form and /admin/api/stats answers 401
//   "logged in: connections 0"     the password form leads to the dashboard, which plots 0 connections
//   (the test now connects <expected> clients)
//   "series for N nodes"           (with <nodes>) the connections plot has one line per node of the cluster
//   "connections rose to N"        the tile and the connections plot both show N (summed over the nodes)
//   "messages and latency plotted" the clients' chat in room "lobby" shows in the plots and the rooms table
//   "plot updated"                 the plots kept receiving points every second
// Saves <screenshot name> (default admin-dashboard.png) in <artifacts dir> either way. Exit 0 only if every step passed.
import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [url, password, artifacts, expectedText, nodesText, screenshot] = process.argv.slice(2);
if (!url || !password || !artifacts || !expectedText) {
  console.error("usage: node admin-dashboard.mjs <server url> <password> <artifacts dir> <expected connections>");
  process.exit(2);
}
const expected = Number(expectedText);
const nodes = Number(nodesText || "1");
const WAIT = { timeout: 60000 };
const base = url.replace(/\/$/, "");
mkdirSync(artifacts, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), "sockeye-chromium-"));

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});

const problems = [];
const page = await context.newPage();
page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
page.on("console", (m) => {
  // The failed-login and 401 checks below log resource errors on purpose; anything else counts.
  if (m.type() === "error" && !/401|Unauthorized/.test(m.text())) problems.push(`console error: ${m.text()}`);
});

const pointsOf = () => page.evaluate(() => window.sockeyeCharts.connections.data.labels.length);
// The connections plot's latest point, summed over its lines (one per node).
const lastConnections = () => page.evaluate(() => window.sockeyeCharts.connections.data.datasets
  .reduce((sum, d) => sum + (d.data[d.data.length - 1] ?? 0), 0));

let failed = false;
try {
  // 1. Nothing without a session.
  await page.goto(base + "/admin/");
  if (!page.url().endsWith("/admin/login")) throw new Error(`expected the login form, got ${page.url()}`);
  const api = await page.request.get(base + "/admin/api/stats", { maxRedirects: 0 });
  if (api.status() !== 401) throw new Error(`stats without a session answered ${api.status()}`);
  const wrong = await page.request.post(base + "/admin/login", { form: { password: "wrong" }, maxRedirects: 0 });
  if (wrong.status() !== 401) throw new Error(`a wrong password answered ${wrong.status()}`);
  console.log("refused: no session");

  // 2. Sign in through the form.
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(base + "/admin/", WAIT), page.click("#sign-in")]);
  const cookies = await context.cookies(base + "/admin/");
  const session = cookies.find((c) => c.name === "sockeye_admin");
  if (!session || !session.httpOnly) throw new Error("no HttpOnly session cookie");
  if (await page.evaluate(() => document.cookie.includes("sockeye_admin"))) throw new Error("the page can read the session cookie");
  await page.waitForFunction(() => window.sockeyeCharts && window.sockeyeCharts.connections.data.labels.length >= 2, null, WAIT);
  await page.waitForFunction(() => document.getElementById("v-connections").textContent === "0", null, WAIT);
  console.log("logged in: connections 0");
  if (nodesText) {
    await page.waitForFunction((n) => {
      const sets = window.sockeyeCharts.connections.data.datasets;
      return sets.length === n && new Set(sets.map((d) => d.node)).size === n
        && sets.every((d) => d.data[d.data.length - 1] != null);
    }, nodes, WAIT);
    console.log(`series for ${nodes} nodes`);
  }

  // 3. The test connects clients: the tile and the plot follow.
  await page.waitForFunction((n) => document.getElementById("v-connections").textContent === String(n), expected, WAIT);
  await page.waitForFunction((n) => window.sockeyeCharts.connections.data.datasets
    .reduce((sum, d) => sum + (d.data[d.data.length - 1] ?? 0), 0) === n, expected, WAIT);
  if ((await lastConnections()) !== expected) throw new Error("plot does not show the connections");
  await page.waitForFunction(() => document.querySelectorAll("#users tbody tr").length > 0, null, WAIT);
  console.log(`connections rose to ${expected}`);

  // The test's clients chat in a room: messages and delivery latency reach the plots.
  await page.waitForFunction(() => {
    const c = window.sockeyeCharts;
    const any = (chart, measure) => chart.data.datasets.some((d) => d.measure === measure && d.data.some((v) => v > 0));
    return any(c.messages, "messagesInPerSecond") && any(c.messages, "messagesOutPerSecond")
      && any(c.latency, "latencyP99Millis");
  }, null, WAIT);
  await page.waitForFunction(() => document.querySelector("#rooms tbody tr td")?.textContent === "lobby", null, WAIT);
  console.log("messages and latency plotted");

  // 4. The plots keep moving without a reload.
  const before = await pointsOf();
  await page.waitForFunction((n) => window.sockeyeCharts.connections.data.labels.length >= n + 2, before, WAIT);
  console.log("plot updated");
} catch (e) {
  failed = true;
  console.error("FAILED: " + (e && e.stack ? e.stack : e));
} finally {
  try {
    await page.screenshot({ path: join(artifacts, screenshot || "admin-dashboard.png"), fullPage: true });
  } catch (e) {
    console.error("screenshot failed: " + e.message);
  }
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (problems.length) {
  console.error(problems.join("\n"));
  failed = true;
}
process.exit(failed ? 1 : 0);
