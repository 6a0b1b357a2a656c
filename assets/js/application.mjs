// Progressive enhancement only: every page works without JavaScript.
import { initAll as govukInitAll } from "./govuk-frontend.min.js";
import { initAll as mojInitAll } from "./moj-frontend.min.js";
import { scrollableTables } from "./tables.mjs";

scrollableTables();
govukInitAll();
mojInitAll();
