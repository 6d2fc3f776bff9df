import { parseTrino } from "../test/support/trinoParser";
const tree = parseTrino(`SELECT encoded.*, logged."$path" AS f, bool_or(a = 'x') OVER (PARTITION BY "y", f) AS g, a IN ('p', 'q') AS h, NOT starts_with(a, '#') AS i FROM "t" AS logged`);
function dump(n: any, d = 0) { if (!n.children) { console.log(" ".repeat(d) + JSON.stringify(n.getText())); return; } console.log(" ".repeat(d) + n.constructor.name); for (const c of n.children) dump(c, d + 1); }
dump(tree);
