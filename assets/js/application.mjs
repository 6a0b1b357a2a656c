// Progressive enhancement only: every page works without JavaScript.
import { initAll as govukInitAll } from "./govuk-frontend.min.js";
import { initAll as mojInitAll } from "./moj-frontend.min.js";

govukInitAll();
mojInitAll();
