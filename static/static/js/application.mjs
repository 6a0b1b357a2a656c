// Progressive enhancement only: every page works without JavaScript.
import { initAll as govukInitAll } from "./govuk-frontend.min.js";
import { initAll as mojInitAll } from "./moj-frontend.min.js";
import { initAutosave } from "./autosave.mjs";
import { scrollableTables } from "./tables.mjs";

scrollableTables();
govukInitAll();
mojInitAll();
// Any <form data-autosave> saves its draft in the background (ADR 0018).
initAutosave();
