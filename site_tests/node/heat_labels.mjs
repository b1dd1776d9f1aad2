// Runs the office heatmap's label maker (office-charts.mjs labelLines) on cases read from stdin:
// [{names, perLine}] -> [[[name, lines], ...], ...] on stdout. Used by site_tests/test_office_labels.py.
import { readFileSync } from "node:fs";
import { labelLines } from "../../docs/assets/javascripts/office-charts.mjs";

const cases = JSON.parse(readFileSync(0, "utf-8"));
process.stdout.write(JSON.stringify(cases.map(({ names, perLine }) => [...labelLines(names, perLine)])));
