#!/usr/bin/env node
// The `git-hygiene` command of the npm package: runs the native binary that npm installed with
// this machine's optional dependency (no download at install time), with the same arguments,
// stdin/stdout/stderr, exit code and signals.
"use strict";

const fs = require("fs");
const path = require("path");
const { spawn } = require("child_process");

const PLATFORMS = require("../platforms.json");

function fail(message) {
  process.stderr.write(`git-hygiene: ${message}\n`);
  process.exit(2);
}

// glibc or musl: node's report names the glibc it runs on, and has no such field on musl.
function isMusl() {
  if (process.platform !== "linux") return false;
  try {
    process.report.excludeNetwork = true;
    const header = process.report.getReport().header;
    if (header) return !header.glibcVersionRuntime;
  } catch (_) {
    // an old or stripped node: look for the musl loader instead
  }
  try {
    return fs.readdirSync("/lib").some((name) => name.startsWith("ld-musl-"));
  } catch (_) {
    return false;
  }
}

function exeName(entry) {
  return entry.os === "win32" ? "git-hygiene.exe" : "git-hygiene";
}

// Packages that can run here, best first. A musl build is static and also runs on glibc, so it
// is the fallback there; a glibc build never runs on musl.
function candidates(platform, arch, musl) {
  const here = PLATFORMS.filter((p) => p.os === platform && p.cpu === arch);
  const libc = musl ? "musl" : "glibc";
  const first = here.filter((p) => !p.libc || p.libc === libc);
  const fallback = musl ? [] : here.filter((p) => p.libc === "musl");
  return first.concat(fallback);
}

function describe(platform, arch, musl) {
  return `${platform}-${arch}${platform === "linux" ? (musl ? " (musl)" : " (glibc)") : ""}`;
}

function findBinary(env) {
  const override = env.GIT_HYGIENE_BINARY;
  if (override) {
    if (!fs.existsSync(override)) {
      fail(`GIT_HYGIENE_BINARY is set to ${override}, which does not exist; unset it or point it at the git-hygiene binary`);
    }
    return override;
  }
  const musl = isMusl();
  const wanted = candidates(process.platform, process.arch, musl);
  if (wanted.length === 0) {
    fail(`no prebuilt binary for ${describe(process.platform, process.arch, musl)}; install it with cargo (cargo install --locked git-hygiene) and set GIT_HYGIENE_BINARY to its path`);
  }
  for (const entry of wanted) {
    let dir;
    try {
      dir = path.dirname(require.resolve(`${entry.package}/package.json`));
    } catch (_) {
      continue;
    }
    const bin = path.join(dir, "bin", exeName(entry));
    if (fs.existsSync(bin)) return bin;
  }
  fail(`the package ${wanted[0].package} (the binary for ${describe(process.platform, process.arch, musl)}) is not installed: ` +
    "reinstall without --omit=optional / --no-optional, or set GIT_HYGIENE_BINARY to a git-hygiene binary");
  return undefined;
}

function run() {
  const bin = findBinary(process.env);
  const child = spawn(bin, process.argv.slice(2), { stdio: "inherit", windowsHide: true });
  // A signal sent to this process (a `kill`, a timeout) goes on to the binary, which puts the
  // user's work back before it stops. A Ctrl-C reaches both; a second SIGINT is harmless to it.
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const signals = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"].filter(
    (s) => process.platform !== "win32" || s === "SIGINT",
  );
  for (const s of signals) process.on(s, forward);
  child.on("error", (err) => fail(`cannot run ${bin}: ${err.message}`));
  child.on("exit", (code, signal) => {
    if (signal) {
      // Die of the same signal, so the caller (git, a shell) sees what the binary saw.
      for (const s of signals) process.removeListener(s, forward);
      process.kill(process.pid, signal);
      setTimeout(() => process.exit(2), 1000).unref();
      return;
    }
    process.exit(code === null ? 2 : code);
  });
}

if (require.main === module) run();

module.exports = { PLATFORMS, candidates, isMusl, exeName };
