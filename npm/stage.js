#!/usr/bin/env node
// Writes the npm packages, ready for `npm pack` / `npm publish`, from one list (platforms.json)
// and the version in Cargo.toml, so the launcher and the platform packages never disagree.
//
//   node npm/stage.js launcher OUT_DIR                 the `git-hygiene` package
//   node npm/stage.js platform PACKAGE BINARY OUT_DIR  one platform package holding BINARY
//   node npm/stage.js host                            the platform package this machine uses
"use strict";

const fs = require("fs");
const path = require("path");
const { PLATFORMS, candidates, isMusl, exeName } = require("./bin/git-hygiene.js");

const ROOT = path.resolve(__dirname, "..");
const REPOSITORY = { type: "git", url: "git+https://github.com/git-hygiene/git-hygiene.git" };
const LICENSE = "MIT OR Apache-2.0";

function die(message) {
  process.stderr.write(`npm/stage.js: ${message}\n`);
  process.exit(2);
}

// The [package] version of Cargo.toml: the one version every package is published under.
function version() {
  const text = fs.readFileSync(path.join(ROOT, "Cargo.toml"), "utf8");
  const section = text.split(/^\[/m).find((s) => s.startsWith("package]"));
  const m = section && section.match(/^version\s*=\s*"([^"]+)"/m);
  if (!m) die("no version in the [package] section of Cargo.toml");
  return m[1];
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function launcher(out) {
  const v = version();
  fs.mkdirSync(path.join(out, "bin"), { recursive: true });
  fs.copyFileSync(path.join(__dirname, "bin", "git-hygiene.js"), path.join(out, "bin", "git-hygiene.js"));
  fs.chmodSync(path.join(out, "bin", "git-hygiene.js"), 0o755);
  fs.copyFileSync(path.join(__dirname, "platforms.json"), path.join(out, "platforms.json"));
  fs.copyFileSync(path.join(__dirname, "README.md"), path.join(out, "README.md"));
  // The man pages `git hygiene generate-docs` keeps in pkgdata/: npm links them for global installs.
  const manDir = path.join(ROOT, "pkgdata", "data", "share", "man", "man1");
  const pages = fs.readdirSync(manDir).filter((f) => f.endsWith(".1")).sort();
  fs.mkdirSync(path.join(out, "man"), { recursive: true });
  for (const page of pages) fs.copyFileSync(path.join(manDir, page), path.join(out, "man", page));
  writeJson(path.join(out, "package.json"), {
    name: "git-hygiene",
    version: v,
    description: "git hooks and CI checks in one fast binary: branch names, tickets, Conventional Commits, secrets, lint, migrations, ADRs",
    keywords: ["git", "hooks", "pre-commit", "commit-msg", "secrets", "conventional-commits"],
    license: LICENSE,
    repository: REPOSITORY,
    bin: { "git-hygiene": "bin/git-hygiene.js" },
    files: ["bin/git-hygiene.js", "platforms.json", "README.md", "man/"],
    man: pages.map((page) => `man/${page}`),
    engines: { node: ">=18" },
    optionalDependencies: Object.fromEntries(PLATFORMS.map((p) => [p.package, v])),
  });
}

function platform(name, binary, out) {
  const entry = PLATFORMS.find((p) => p.package === name);
  if (!entry) die(`unknown platform package ${name}; the list is npm/platforms.json`);
  if (!fs.existsSync(binary)) die(`${binary} does not exist`);
  const exe = exeName(entry);
  const flavour = entry.libc ? ` (${entry.libc})` : "";
  fs.mkdirSync(path.join(out, "bin"), { recursive: true });
  fs.copyFileSync(binary, path.join(out, "bin", exe));
  fs.chmodSync(path.join(out, "bin", exe), 0o755);
  fs.writeFileSync(
    path.join(out, "README.md"),
    `# ${name}\n\nThe git-hygiene binary for ${entry.os} ${entry.cpu}${flavour}. Install \`git-hygiene\` instead: it depends on this package and runs the binary.\n`,
  );
  const manifest = {
    name,
    version: version(),
    description: `The git-hygiene binary for ${entry.os} ${entry.cpu}${flavour}`,
    license: LICENSE,
    repository: REPOSITORY,
    os: [entry.os],
    cpu: [entry.cpu],
  };
  // Declared on both flavours: npm >= 10 then installs exactly one of them on Linux.
  if (entry.libc) manifest.libc = [entry.libc];
  manifest.files = [`bin/${exe}`, "README.md"];
  manifest.preferUnplugged = true;
  writeJson(path.join(out, "package.json"), manifest);
}

function host() {
  const [best] = candidates(process.platform, process.arch, isMusl());
  if (!best) die(`no platform package for ${process.platform}-${process.arch}`);
  process.stdout.write(`${best.package}\n`);
}

const [command, ...args] = process.argv.slice(2);
if (command === "launcher" && args.length === 1) launcher(path.resolve(args[0]));
else if (command === "platform" && args.length === 3) platform(args[0], path.resolve(args[1]), path.resolve(args[2]));
else if (command === "host" && args.length === 0) host();
else die("usage: stage.js launcher OUT_DIR | platform PACKAGE BINARY OUT_DIR | host");
