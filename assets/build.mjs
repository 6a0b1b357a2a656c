// Compiles the Sass and copies GOV.UK/MoJ Frontend assets and Chart.js into static/ (served by Django's staticfiles).
import { compile } from "sass";
import { cpSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nm = join(root, "node_modules");
const out = join(root, "static");

const result = compile(join(root, "assets/scss/application.scss"), {
  loadPaths: [root],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
mkdirSync(join(out, "css"), { recursive: true });
writeFileSync(join(out, "css/application.css"), result.css);

// Images only: the GDS Transport font files are deliberately not copied (not a GOV.UK service).
rmSync(join(out, "assets"), { recursive: true, force: true });
for (const [src, dest] of [
  ["govuk-frontend/dist/govuk/assets/images", "assets/images"],
  ["@ministryofjustice/frontend/moj/assets/images", "assets/images"],
]) {
  cpSync(join(nm, src), join(out, dest), { recursive: true });
}

mkdirSync(join(out, "js"), { recursive: true });
for (const [src, dest] of [
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "js/govuk-frontend.min.js"],
  ["@ministryofjustice/frontend/moj/moj-frontend.min.js", "js/moj-frontend.min.js"],
  // Chart.js's UMD build (sets window.Chart) and its source map, which the build's last line names.
  ["chart.js/dist/chart.umd.min.js", "js/chart.umd.min.js"],
  ["chart.js/dist/chart.umd.min.js.map", "js/chart.umd.min.js.map"],
]) {
  mkdirSync(dirname(join(out, dest)), { recursive: true });
  cpSync(join(nm, src), join(out, dest));
}
for (const name of ["application.mjs", "autosave.mjs", "tables.mjs", "compliance-chart.mjs"]) {
  cpSync(join(root, "assets/js", name), join(out, "js", name));
}
console.log("assets built into static/");
