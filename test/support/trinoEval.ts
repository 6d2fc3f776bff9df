/**
 * Runs the subset of Trino SQL the `events` view is written in over rows held in memory: its
 * text is parsed with Trino's own grammar (dt-sql-parser) and the tree evaluated, so what is
 * checked is the generated SQL itself, not a copy of its logic. No engine on this machine runs
 * Trino's functions, so the ones the view calls are emulated here from Trino's source:
 * url_extract_parameter (UrlFunctions: java.net.URI#getQuery decodes the whole query once, a
 * URISyntaxException gives NULL, then split on `&` and the first `=`, first match wins),
 * url_decode (java.net.URLDecoder: `+` is a space, a bad escape raises), from_base64 (Java's
 * basic decoder: padding optional, anything outside the alphabet raises), from_utf8 (bad bytes
 * become U+FFFD), json_parse (raises on text that is not JSON), regexp_like/regexp_extract
 * (Joni; the patterns are written in the syntax both share, logEncoding.ts sameRegExp), date_parse,
 * date_add, and bool_or over a window (a group of rows, as requestDecoding.ts uses it). try() turns a
 * raised error into NULL, as Trino's does. What this proves is the view's logic over those
 * functions, not Athena itself. Anything outside the subset throws, naming the construct.
 */
import { sameRegExp } from "../../collector/eventLogs/logEncoding";
import { parseTrino, trinoSyntaxErrors } from "./trinoParser";

export type SqlValue = string | number | boolean | null | Buffer | SqlTimestamp;
/** A timestamp(3) without time zone, as milliseconds since 1970 (UTC). */
export class SqlTimestamp {
  constructor(readonly millis: number) {}
  /** As Athena prints it: `2024-05-17 10:15:42.001`. */
  toString(): string {
    return new Date(this.millis).toISOString().replace("T", " ").replace("Z", "");
  }
}
export type Row = Readonly<Record<string, SqlValue>>;

/** An error Trino raises (try() catches these, and only these). */
class TrinoError extends Error {}

// The parse tree is ANTLR's; only constructor names and children are used.
interface Node {
  readonly constructor: { readonly name: string };
  readonly children?: Node[];
  getText(): string;
}

const kind = (n: Node) => n.constructor.name.replace(/Context$/, "");
const kids = (n: Node): Node[] => n.children ?? [];
const ruleKids = (n: Node): Node[] => kids(n).filter((c) => c.children !== undefined);
const unsupported = (n: Node): never => {
  throw new Error(`trinoEval: ${kind(n)} is outside the emulated subset: ${n.getText().slice(0, 80)}`);
};

function identifier(n: Node): string {
  const text = n.getText();
  return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase();
}

function stringLiteral(n: Node): string {
  const text = n.getText();
  return text.slice(1, -1).replace(/''/g, "'");
}

/** Runs `SELECT ... FROM <table or subquery> [WHERE ...]` over `tables[name]`. */
export function runQuery(sql: string, tables: Readonly<Record<string, readonly Row[]>>): Row[] {
  const errors = trinoSyntaxErrors(sql);
  if (errors.length > 0) throw new Error(`trinoEval: not Trino SQL: ${JSON.stringify(errors[0])}`);
  const tree = parseTrino(sql) as Node;
  return query(find(tree, "QuerySpecification"), tables);
}

function find(n: Node, name: string): Node {
  if (kind(n) === name) return n;
  for (const c of ruleKids(n)) {
    const hit = findOrUndefined(c, name);
    if (hit !== undefined) return hit;
  }
  throw new Error(`trinoEval: no ${name} in ${n.getText().slice(0, 80)}`);
}

function findOrUndefined(n: Node, name: string): Node | undefined {
  if (kind(n) === name) return n;
  for (const c of ruleKids(n)) {
    const hit = findOrUndefined(c, name);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function query(spec: Node, tables: Readonly<Record<string, readonly Row[]>>): Row[] {
  const parts = kids(spec);
  const selectList = parts.find((c) => kind(c) === "SelectList") ?? unsupported(spec);
  const relation = parts.find((c) => kind(c) === "RelationDefault") ?? unsupported(spec);
  const where = parts.find((c) => kind(c) === "WhereClause");
  const sub = findOrUndefined(relation, "SubqueryRelation");
  let rows: readonly Row[];
  if (sub !== undefined) rows = query(find(sub, "QuerySpecification"), tables);
  else {
    const name = identifier(ruleKids(find(relation, "TableRef"))[0]);
    rows = tables[name] ?? unsupported(relation);
  }
  const condition = where === undefined ? undefined : ruleKids(where)[0];
  const kept = rows.filter((row) => condition === undefined || evaluate(condition, row) === true);
  const items = ruleKids(selectList);
  for (const item of items) computeWindows(item, kept);
  const out: Row[] = [];
  for (const row of kept) {
    const result: Record<string, SqlValue> = {};
    for (const item of items) {
      const [value, alias] = ruleKids(item);
      if (kind(value) === "TableAllColumns") {
        Object.assign(result, row);
      } else if (kind(value) === "SelectLiteralColumnName") {
        // `name` or `alias.name`: a row knows no relation names, the last part is the column.
        const parts = ruleKids(find(value, "QualifiedName"));
        const name = identifier(parts[parts.length - 1]);
        result[alias === undefined ? name : identifier(alias)] = column(row, name);
      } else {
        if (alias === undefined) unsupported(item);
        result[identifier(alias)] = evaluate(ruleKids(value)[0], row);
      }
    }
    out.push(result);
  }
  return out;
}

/** Window results (`bool_or(...) OVER (PARTITION BY ...)`), per row and call. */
const WINDOW_VALUES = new WeakMap<Row, Map<Node, SqlValue>>();

function windowCalls(n: Node, found: Node[] = []): Node[] {
  if (kind(n) === "FunctionCall" && ruleKids(n).some((c) => kind(c) === "Over")) found.push(n);
  for (const c of ruleKids(n)) windowCalls(c, found);
  return found;
}

/** Evaluates the item's window calls over `rows`, grouped by their PARTITION BY values. */
function computeWindows(item: Node, rows: readonly Row[]): void {
  for (const call of windowCalls(item)) {
    const c = ruleKids(call);
    const name = c[0].getText().toLowerCase();
    const over = c.find((k) => kind(k) === "Over") ?? unsupported(call);
    const spec = ruleKids(over)[0];
    const partitionBy = ruleKids(spec).find((k) => kind(k) === "PartitionBy");
    if (name !== "bool_or" || ruleKids(spec).some((k) => kind(k) !== "PartitionBy")) unsupported(call);
    const groups = new Map<string, Row[]>();
    for (const row of rows) {
      const key = JSON.stringify(ruleKids(partitionBy ?? spec).map((e) => String(evaluate(e, row))));
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    for (const group of groups.values()) {
      const values = group.map((row) => evaluate(c[1], row));
      const any = values.includes(true) ? true : values.every((v) => v === null) ? null : false;
      for (const row of group) {
        const map = WINDOW_VALUES.get(row) ?? new Map<Node, SqlValue>();
        map.set(call, any);
        WINDOW_VALUES.set(row, map);
      }
    }
  }
}

function column(row: Row, name: string): SqlValue {
  if (!Object.hasOwn(row, name)) throw new Error(`trinoEval: no column ${name}`);
  return row[name];
}

function evaluate(n: Node, row: Row): SqlValue {
  const c = ruleKids(n);
  switch (kind(n)) {
    case "Expression":
    case "ValueExpressionDefault":
    case "ParenthesizedExpression":
      return evaluate(c[0], row);
    case "Predicated": {
      const value = evaluate(c[0], row);
      return c.length === 1 ? value : predicate(c[1], value, row);
    }
    case "And": {
      const [a, b] = [evaluate(c[0], row), evaluate(c[1], row)];
      if (a === false || b === false) return false;
      return a === null || b === null ? null : true;
    }
    case "Or": {
      const [a, b] = [evaluate(c[0], row), evaluate(c[1], row)];
      if (a === true || b === true) return true;
      return a === null || b === null ? null : false;
    }
    case "Concatenation": {
      const [a, b] = [evaluate(c[0], row), evaluate(c[1], row)];
      return a === null || b === null ? null : text(a) + text(b);
    }
    case "ColumnReference":
      return column(row, identifier(find(c[0], "QualifiedName").children?.[0] ?? unsupported(n)));
    case "StringLiteral":
      return stringLiteral(n);
    case "NumericLiteral":
      return Number(n.getText());
    case "BooleanLiteral":
      return n.getText().toLowerCase() === "true";
    case "NullLiteral":
      return null;
    case "TypeConstructor": {
      // TIMESTAMP '1970-01-01 00:00:00.000'
      const [type, value] = [kids(n)[0].getText().toLowerCase(), stringLiteral(c[c.length - 1])];
      if (type !== "timestamp") unsupported(n);
      return new SqlTimestamp(Date.parse(`${value.replace(" ", "T")}Z`));
    }
    case "Cast":
      return cast(evaluate(c[0], row), c[1].getText().toLowerCase());
    case "SimpleCase": {
      const value = evaluate(c[0], row);
      for (const when of c.slice(1).filter((w) => kind(w) === "WhenClause")) {
        const [test, result] = ruleKids(when);
        if (value !== null && equal(value, evaluate(test, row))) return evaluate(result, row);
      }
      const otherwise = c.slice(1).find((w) => kind(w) !== "WhenClause");
      return otherwise === undefined ? null : evaluate(otherwise, row);
    }
    case "SearchedCase": {
      for (const when of c.filter((w) => kind(w) === "WhenClause")) {
        const [test, result] = ruleKids(when);
        if (evaluate(test, row) === true) return evaluate(result, row);
      }
      const otherwise = c.find((w) => kind(w) !== "WhenClause");
      return otherwise === undefined ? null : evaluate(otherwise, row);
    }
    case "LogicalNot": {
      const value = evaluate(c[0], row);
      return value === null ? null : !value;
    }
    case "FunctionCall": {
      if (c.some((k) => kind(k) === "Over")) {
        const value = WINDOW_VALUES.get(row)?.get(n);
        if (value === undefined)
          throw new Error(`trinoEval: window not computed: ${n.getText().slice(0, 60)}`);
        return value;
      }
      const name = c[0].getText().toLowerCase();
      const args = c.slice(1);
      if (name === "try") {
        try {
          return evaluate(args[0], row);
        } catch (error) {
          if (error instanceof TrinoError) return null;
          throw error;
        }
      }
      return call(
        name,
        args.map((a) => evaluate(a, row)),
      );
    }
    default:
      return unsupported(n);
  }
}

function predicate(p: Node, value: SqlValue, row: Row): SqlValue {
  const c = ruleKids(p);
  const words = kids(p)
    .filter((k) => k.children === undefined)
    .map((k) => k.getText().toUpperCase());
  switch (kind(p)) {
    case "Comparison": {
      const op = c[0].getText();
      const other = evaluate(c[1], row);
      if (value === null || other === null) return null;
      if (op === "=") return equal(value, other);
      if (op === "<>" || op === "!=") return !equal(value, other);
      return unsupported(p);
    }
    case "InList": {
      if (value === null) return null;
      const options = c.map((o) => evaluate(o, row));
      if (options.some((o) => o !== null && equal(value, o))) return !words.includes("NOT");
      return options.includes(null) ? null : words.includes("NOT");
    }
    case "NullPredicate":
      return words.includes("NOT") ? value !== null : value === null;
    case "Like": {
      const pattern = evaluate(c[0], row);
      if (value === null || pattern === null) return null;
      const re = new RegExp(
        `^${[...text(pattern)].map((ch) => (ch === "_" ? "." : ch === "%" ? ".*" : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("")}$`,
        "s",
      );
      return re.test(text(value)) !== words.includes("NOT");
    }
    default:
      return unsupported(p);
  }
}

function equal(a: SqlValue, b: SqlValue): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (a instanceof SqlTimestamp && b instanceof SqlTimestamp) return a.millis === b.millis;
  return a === b;
}

function text(v: SqlValue): string {
  if (typeof v === "string") return v;
  if (v instanceof SqlTimestamp) return v.toString();
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw new Error(`trinoEval: not text: ${String(v)}`);
}

function cast(v: SqlValue, type: string): SqlValue {
  if (v === null) return null;
  switch (type) {
    case "varchar":
      return text(v);
    case "integer":
    case "bigint": {
      const s = text(v).trim();
      if (!/^[-+]?\d+$/.test(s)) throw new TrinoError(`Cannot cast '${s}' to ${type}`);
      const n = Number(s);
      if (type === "integer" && Math.abs(n) > 2147483647)
        throw new TrinoError(`Out of range for integer: ${s}`);
      return n;
    }
    case "double": {
      const n = Number(text(v).trim());
      if (Number.isNaN(n)) throw new TrinoError(`Cannot cast '${text(v)}' to double`);
      return n;
    }
    case "boolean":
      if (typeof v === "boolean") return v;
      return unsupportedType(type);
    case "timestamp(3)":
      if (v instanceof SqlTimestamp) return v;
      return unsupportedType(type);
    default:
      return unsupportedType(type);
  }
}

const unsupportedType = (type: string): never => {
  throw new Error(`trinoEval: CAST to ${type} is outside the emulated subset`);
};

/** Java's URLDecoder: `+` is a space; a `%` not followed by two hex digits raises. */
function javaUrlDecode(s: string): string {
  const bytes: number[] = [];
  const out: string[] = [];
  const flush = () => {
    if (bytes.length > 0) out.push(Buffer.from(bytes).toString("utf8"));
    bytes.length = 0;
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "%") {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex))
        throw new TrinoError(`URLDecoder: Illegal hex characters in escape (%) pattern`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      flush();
      out.push(ch === "+" ? " " : ch);
    }
  }
  flush();
  return out.join("");
}

/** java.net.URI#getQuery of a URL, or null when the URL does not parse. */
function uriQuery(url: string): string | null {
  const hash = url.indexOf("#");
  const noFragment = hash === -1 ? url : url.slice(0, hash);
  const q = noFragment.indexOf("?");
  if (q === -1) return null;
  const raw = noFragment.slice(q + 1);
  // URI's parser refuses characters outside RFC 2396 and malformed escapes.
  if (/%(?![0-9A-Fa-f]{2})/.test(raw) || /[\s"<>\\^`{|}]/.test(raw)) return null;
  return decodeURIComponentLenient(raw);
}

/** URI's decode: escapes to UTF-8 text, bad bytes replaced. */
function decodeURIComponentLenient(raw: string): string {
  return Buffer.from(
    raw.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    "latin1",
  ).toString("utf8");
}

const BASE64_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

function call(name: string, args: SqlValue[]): SqlValue {
  const anyNull = args.some((a) => a === null);
  switch (name) {
    case "coalesce":
      return args.find((a) => a !== null) ?? null;
    case "nullif":
      return args[0] !== null && args[1] !== null && equal(args[0], args[1]) ? null : args[0];
  }
  if (anyNull) return null;
  const s = (i: number) => text(args[i]);
  switch (name) {
    case "url_extract_parameter": {
      const query = uriQuery(s(0));
      if (query === null) return null;
      for (const pair of query.split("&")) {
        const eq = pair.indexOf("=");
        const [key, value] = eq === -1 ? [pair, ""] : [pair.slice(0, eq), pair.slice(eq + 1)];
        if (key === s(1)) return value;
      }
      return null;
    }
    case "url_decode":
      return javaUrlDecode(s(0));
    case "replace":
      return s(0).split(s(1)).join(s(2));
    case "translate": {
      const [from, to] = [s(1), s(2)];
      return [...s(0)]
        .map((ch) => {
          const i = from.indexOf(ch);
          return i === -1 ? ch : (to[i] ?? "");
        })
        .join("");
    }
    case "from_base64": {
      const v = s(0);
      if (!BASE64_ALPHABET.test(v) || v.replace(/=+$/, "").length % 4 === 1) {
        throw new TrinoError("Illegal base64 character or length");
      }
      if (v.includes("=") && v.length % 4 !== 0) throw new TrinoError("Illegal base64 padding");
      return Buffer.from(v, "base64");
    }
    case "from_utf8":
      return (args[0] as Buffer).toString("utf8");
    case "to_utf8":
      return Buffer.from(s(0), "utf8");
    case "json_parse":
      try {
        JSON.parse(s(0));
        return s(0);
      } catch {
        throw new TrinoError(`Cannot convert value to JSON: ${s(0).slice(0, 40)}`);
      }
    case "starts_with":
      return s(0).startsWith(s(1));
    case "regexp_like":
      return sameRegExp(s(1)).test(s(0));
    case "regexp_extract": {
      const m = sameRegExp(s(1)).exec(s(0));
      return m === null ? null : (m[args[2] as number] ?? null);
    }
    case "date_parse": {
      if (s(1) !== "%Y-%m-%d %H:%i:%s") throw new Error(`trinoEval: date_parse format ${s(1)}`);
      const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s(0));
      if (m === null) throw new TrinoError(`Invalid format: "${s(0)}"`);
      return new SqlTimestamp(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
    }
    case "date_add": {
      if (s(0) !== "millisecond") throw new Error(`trinoEval: date_add unit ${s(0)}`);
      const millis = (args[2] as SqlTimestamp).millis + (args[1] as number);
      if (millis > 253402300799999) throw new TrinoError("timestamp out of range");
      return new SqlTimestamp(millis);
    }
    default:
      throw new Error(`trinoEval: function ${name} is outside the emulated subset`);
  }
}
