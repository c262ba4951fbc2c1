// Headless Chromium's own WebSocket with permessage-deflate against a Sockeye server that has compression
// on (run by PerMessageDeflateClientsTest): two pages' sockets negotiate the extension (Chromium offers
// it on every connection), join "room", and each receives the three compressed "news" broadcasts that
// one of them asks for with "burst", intact.
//   node deflate.mjs <ws url of /socket.io/> <payload chars>
// Prints "ok: ..." lines and exits 0 when both sockets received every broadcast.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [url, chars] = process.argv.slice(2);
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
  // Any page of the server's origin will do, so that the WebSocket is same-origin: a polling handshake.
  await page.goto(url.replace(/^ws/, "http") + "?EIO=4&transport=polling");
  const result = await page.evaluate(async ({ url, payload }) => {
    const expected = [0, 1, 2].map((i) => `42["news","${String.fromCharCode(97 + i).repeat(payload)}"]`);
    function open() {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(url + "?EIO=4&transport=websocket");
        const news = [];
        let connected;
        const joined = new Promise((r) => { connected = r; });
        let done;
        const all = new Promise((r) => { done = r; });
        ws.onmessage = (e) => {
          if (e.data === "2") return ws.send("3");
          if (e.data.startsWith("0{")) return ws.send("40");
          if (e.data.startsWith("40{")) return connected();
          if (e.data.startsWith('42["news"')) {
            news.push(e.data);
            if (news.length === expected.length) done();
          }
        };
        ws.onerror = () => reject(new Error("WebSocket error"));
        ws.onopen = () => resolve({ ws, news, joined, all });
      });
    }
    const sockets = [await open(), await open()];
    await Promise.all(sockets.map((s) => s.joined));
    sockets[0].ws.send('42["burst"]');
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("no broadcasts within 30 s")), 30000));
    await Promise.race([Promise.all(sockets.map((s) => s.all)), timeout]);
    return sockets.map((s) => ({
      extensions: s.ws.extensions,
      intact: s.news.length === expected.length && s.news.every((m, i) => m === expected[i]),
    }));
  }, { url, payload: Number(chars) });
  for (const [i, r] of result.entries()) {
    console.log(`socket ${i}: extensions "${r.extensions}", broadcasts intact: ${r.intact}`);
  }
  if (result.every((r) => r.extensions.startsWith("permessage-deflate") && r.intact)) {
    console.log("ok: Chromium negotiated permessage-deflate and inflated every broadcast");
    exitCode = 0;
  }
} catch (e) {
  console.error(e);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(exitCode);
