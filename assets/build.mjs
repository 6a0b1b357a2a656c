// Compiles the Sass and copies GOV.UK/MoJ Frontend assets into static/ (served by Django's staticfiles).
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
]) {
  mkdirSync(dirname(join(out, dest)), { recursive: true });
  cpSync(join(nm, src), join(out, dest));
}
cpSync(join(root, "assets/js/application.mjs"), join(out, "js/application.mjs"));
console.log("assets built into static/");
