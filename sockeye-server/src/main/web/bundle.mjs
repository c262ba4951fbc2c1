// Copies the socket.io-client browser bundle from npm into the server's class path
// (target/classes/public/vendor/), so the demo page loads /vendor/socket.io.min.js from the server
// itself and the bundle is never committed to the repository. Run by Maven (exec-maven-plugin, phase
// generate-resources) as: node bundle.mjs <output dir>
//
// `npm ci` runs only when node_modules is missing or was installed from another package-lock.json
// (a hash of the lock file is kept in node_modules), so repeated builds stay offline and quick.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2];
if (!outDir) {
  console.error("usage: node bundle.mjs <output dir>");
  process.exit(2);
}

const lockHash = createHash("sha256").update(readFileSync(join(here, "package-lock.json"))).digest("hex");
const marker = join(here, "node_modules", ".sockeye-package-lock.sha256");
const dist = join(here, "node_modules", "socket.io-client", "dist");
const files = ["socket.io.min.js", "socket.io.min.js.map"];

const fresh = existsSync(marker) && readFileSync(marker, "utf8").trim() === lockHash
  && files.every((f) => existsSync(join(dist, f)));
if (!fresh) {
  console.log("bundle.mjs: npm ci in " + here);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  // --ignore-scripts: we only need the published files, never an install script.
  const r = spawnSync(npm, ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: here, stdio: "inherit" });
  if (r.error || r.status !== 0) {
    console.error("bundle.mjs: npm ci failed" + (r.error ? ": " + r.error.message : " with exit code " + r.status));
    process.exit(1);
  }
  writeFileSync(marker, lockHash + "\n");
}

mkdirSync(outDir, { recursive: true });
for (const f of files) {
  copyFileSync(join(dist, f), join(outDir, f));
}
const version = JSON.parse(readFileSync(join(here, "node_modules", "socket.io-client", "package.json"), "utf8")).version;
console.log(`bundle.mjs: socket.io-client ${version} -> ${outDir}`);
