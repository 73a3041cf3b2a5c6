#!/usr/bin/env node
// The API contract gate's judge: checks recorded HTTP exchanges (JSON lines written by the test
// harness, tests/support/traffic_recorder.cpp) against docs/openapi.yaml. Each exchange must hit
// a documented path and method, answer a status documented for that operation, carry a
// documented content type and a body that validates against the documented schema, and send
// the headers the document marks required. Prints a summary (exchanges, operations covered,
// documented responses never exercised) and every violation.
//   node scripts/contract/validate-traffic.mjs [--spec FILE] TRAFFIC.jsonl [TRAFFIC.jsonl...]
// Exits 0 when every exchange conforms, 1 on any violation (or no exchange at all), 2 on bad usage.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { pointer, refsIn, resolve, SchemaValidators } from "./openapi-document.mjs";
import { readTraffic } from "./traffic-file.mjs";

const httpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
// The documented answers that the global rules below hold requests outside any operation to.
const notFoundRef = "#/components/responses/NotFound";
const methodNotAllowedRef = "#/components/responses/MethodNotAllowed";
const excerptLength = 200;

function escapeRegex(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Compiles every response schema once up front: a typo in the document is a load error.
function compileResponseSchemas(spec, templates, schemas) {
  for (const { operations } of templates) {
    for (const operation of Object.values(operations)) {
      for (const documented of Object.values(operation.responses ?? {})) {
        const response = resolve(spec, documented);
        for (const media of Object.values(response.content ?? {})) {
          if (media.schema) schemas.validator(media.schema);
        }
      }
    }
  }
}

function loadContract(specPath) {
  const spec = parseYaml(readFileSync(specPath, "utf8"));
  // A dangling $ref fails here rather than in the middle of the run.
  for (const ref of refsIn(spec)) pointer(spec, ref);
  for (const ref of [notFoundRef, methodNotAllowedRef]) {
    try {
      pointer(spec, ref);
    } catch {
      throw new Error(`${specPath} has no ${ref.slice(2)}, which the global rules answer with`);
    }
  }
  const operationsInOrder = [];
  const templates = Object.entries(spec.paths ?? {}).map(([template, item]) => {
    const segments = template.split("/");
    const pattern = segments.map((s) => (/^\{[^}]+\}$/.test(s) ? "[^/]+" : escapeRegex(s)));
    const operations = {};
    for (const method of httpMethods) {
      if (!item[method]) continue;
      operations[method.toUpperCase()] = item[method];
      operationsInOrder.push({ name: `${method.toUpperCase()} ${template}`, op: item[method] });
    }
    const literals = segments.filter((s) => !s.startsWith("{")).length;
    return { template, regex: new RegExp(`^${pattern.join("/")}$`), literals, operations };
  });
  // Literal segments win over placeholders, as in any router.
  templates.sort((a, b) => b.literals - a.literals);
  const schemas = new SchemaValidators(spec);
  compileResponseSchemas(spec, templates, schemas);
  return { spec, templates, operations: operationsInOrder, schemas };
}

function mediaTypeOf(header) {
  return (header ?? "").split(";")[0].trim().toLowerCase();
}

function documentedMediaType(keys, actual) {
  return keys.find((key) => {
    const k = key.toLowerCase();
    return k === actual || k === "*/*" || (k.endsWith("/*") && actual.startsWith(k.slice(0, -1)));
  });
}

function isJson(mediaType) {
  return mediaType === "application/json" || mediaType.endsWith("+json");
}

// Header values are text; their schemas speak of integers and booleans.
function coerceHeader(schema, value) {
  const type = schema?.type;
  if (type === "integer" && /^-?\d+$/.test(value)) return Number(value);
  if (type === "number" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return Number(value);
  }
  if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}

function checkHeaders(contract, headers, ex) {
  const problems = [];
  for (const [name, documented] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === "content-type") continue; // OpenAPI ignores it under `headers`
    const header = resolve(contract.spec, documented);
    const value = ex.response_headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) problems.push({ kind: "missing-header", message: `no ${name} header` });
      continue;
    }
    if (!header.schema) continue;
    const coerced = coerceHeader(resolve(contract.spec, header.schema), value);
    const wrong = contract.schemas.problems(header.schema, coerced);
    if (wrong.length > 0) {
      problems.push({ kind: "header-schema", message: `${name}: ${value} (${wrong.join("; ")})` });
    }
  }
  return problems;
}

function checkResponse(contract, documented, ex) {
  const response = resolve(contract.spec, documented);
  const problems = checkHeaders(contract, response.headers, ex);
  const keys = Object.keys(response.content ?? {});
  if (keys.length === 0) {
    if (ex.response_body !== "") {
      problems.push({ kind: "unexpected-body", message: "documented without a body, got one" });
    }
    return problems;
  }
  const actual = mediaTypeOf(ex.response_headers["content-type"]);
  const key = documentedMediaType(keys, actual);
  if (!key) {
    const message = `content type "${actual}" is not documented (${keys.join(", ")})`;
    problems.push({ kind: "content-type", message });
    return problems;
  }
  const schema = response.content[key].schema;
  if (!schema || !isJson(key.toLowerCase())) return problems;
  let body;
  try {
    body = JSON.parse(ex.response_body);
  } catch {
    problems.push({ kind: "body-not-json", message: `the ${key} body does not parse as JSON` });
    return problems;
  }
  const wrong = contract.schemas.problems(schema, body);
  if (wrong.length > 0) {
    problems.push({ kind: "schema", message: `body does not match: ${wrong.slice(0, 5).join("; ")}` });
  }
  return problems;
}

function statusKeyOf(responses, status) {
  const exact = String(status);
  const range = `${Math.floor(status / 100)}XX`;
  return [exact, range, "default"].find((key) => responses?.[key] !== undefined);
}

function isPreflight(ex) {
  return (
    ex.method === "OPTIONS" &&
    ex.request_headers.origin !== undefined &&
    ex.request_headers["access-control-request-method"] !== undefined
  );
}

function methodSet(text) {
  return [...new Set(text.split(",").map((m) => m.trim().toUpperCase()))].filter(Boolean).sort();
}

// Judges one exchange: which operation (or global rule) it falls under, and what is wrong.
function checkExchange(contract, ex) {
  const path = ex.url.split("?")[0];
  // Global rule 1: a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) may
  // answer 204 with an empty body on any path. The edge answers preflights before routing, and
  // OpenAPI could only say so with an OPTIONS operation under every path.
  if (isPreflight(ex) && ex.status === 204 && ex.response_body === "") {
    return { scope: "rule: CORS preflight -> 204", problems: [] };
  }
  const matching = contract.templates.filter((t) => t.regex.test(path));
  if (matching.length === 0) {
    // Global rule 2: a path the document does not know may only answer 404 with the NotFound
    // error envelope; anything else there is an undocumented route.
    const scope = "rule: undocumented path -> 404";
    if (ex.status !== 404) {
      const message = "no documented path matches, and such paths may only answer 404";
      return { scope, problems: [{ kind: "undocumented-path", message }] };
    }
    return { scope, problems: checkResponse(contract, { $ref: notFoundRef }, ex) };
  }
  const target = matching.find((t) => t.operations[ex.method]);
  if (!target) {
    // Global rule 3: a method a documented path does not document may only answer 405 with the
    // MethodNotAllowed envelope and an Allow header naming exactly the documented methods (of
    // every template the path matches, as the router counts them). OpenAPI has no place for
    // answers to operations that do not exist.
    const scope = "rule: undocumented method -> 405";
    if (ex.status !== 405) {
      const message = `${ex.method} is not documented on ${matching[0].template}; only 405 may answer it`;
      return { scope, problems: [{ kind: "undocumented-method", message }] };
    }
    const problems = checkResponse(contract, { $ref: methodNotAllowedRef }, ex);
    const documented = methodSet(matching.flatMap((t) => Object.keys(t.operations)).join(","));
    const allowed = methodSet(ex.response_headers.allow ?? "");
    if (allowed.join() !== documented.join()) {
      const message = `Allow is "${allowed.join(", ")}", the document has "${documented.join(", ")}"`;
      problems.push({ kind: "allow-header", message });
    }
    return { scope, problems };
  }
  const operation = `${ex.method} ${target.template}`;
  const responses = target.operations[ex.method].responses ?? {};
  const statusKey = statusKeyOf(responses, ex.status);
  if (!statusKey) {
    const message = `status ${ex.status} is not documented (documented: ${Object.keys(responses).join(", ")})`;
    return { scope: operation, operation, problems: [{ kind: "undocumented-status", message }] };
  }
  return {
    scope: operation,
    operation,
    statusKey,
    problems: checkResponse(contract, responses[statusKey], ex),
  };
}

function excerpt(body) {
  const text = body.length > excerptLength ? `${body.slice(0, excerptLength)}…` : body;
  return JSON.stringify(text);
}

function main(argv) {
  let specPath = fileURLToPath(new URL("../../docs/openapi.yaml", import.meta.url));
  const files = [];
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === "--spec" && i + 1 < argv.length) specPath = argv[++i];
    else files.push(argv[i]);
  }
  if (files.length === 0) {
    console.error("usage: validate-traffic.mjs [--spec FILE] TRAFFIC.jsonl [TRAFFIC.jsonl...]");
    return 2;
  }
  let contract;
  let traffic;
  try {
    contract = loadContract(specPath);
    traffic = readTraffic(files);
  } catch (error) {
    console.error(`validate-traffic: ${error.message}`);
    return 2;
  }

  const violations = new Map();
  const addViolation = (key, entry) => {
    const seen = violations.get(key);
    if (seen) seen.count += 1;
    else violations.set(key, { ...entry, count: 1 });
  };
  for (const { where, message } of traffic.broken) {
    addViolation(where, { line: `[bad-record] ${where}: ${message}` });
  }
  const covered = new Set();
  const exercised = new Set();
  const byRule = new Map();
  for (const { where, ex } of traffic.exchanges) {
    const verdict = checkExchange(contract, ex);
    if (verdict.operation) {
      covered.add(verdict.operation);
      if (verdict.statusKey) exercised.add(`${verdict.operation} ${verdict.statusKey}`);
    } else {
      byRule.set(verdict.scope, (byRule.get(verdict.scope) ?? 0) + 1);
    }
    for (const problem of verdict.problems) {
      const head = `[${problem.kind}] ${ex.method} ${ex.url} -> ${ex.status}`;
      addViolation(`${problem.kind}|${verdict.scope}|${ex.status}|${problem.message}`, {
        line: `${head} (${verdict.scope}): ${problem.message}\n      body: ${excerpt(ex.response_body)}\n      at: ${where}`,
      });
    }
  }

  const { operations } = contract;
  const neverExercised = operations.flatMap(({ name, op }) =>
    Object.keys(op.responses ?? {})
      .map((status) => `${name} ${status}`)
      .filter((pair) => !exercised.has(pair)),
  );
  console.log(
    `validate-traffic: ${traffic.exchanges.length} exchanges from ${files.length} file(s) checked against ${specPath}`,
  );
  console.log(`  operations covered: ${covered.size} of ${operations.length}`);
  for (const { name } of operations.filter(({ name }) => !covered.has(name))) {
    console.log(`    never called: ${name}`);
  }
  for (const [rule, count] of byRule) console.log(`  ${rule}: ${count} exchange(s)`);
  console.log(
    `  documented responses never exercised (informational): ${neverExercised.length} of ${neverExercised.length + exercised.size}`,
  );
  for (const pair of neverExercised) console.log(`    ${pair}`);

  if (traffic.exchanges.length === 0) {
    console.log("validate-traffic: FAILED: no exchange was recorded, so nothing was checked");
    return 1;
  }
  if (violations.size > 0) {
    console.log(`validate-traffic: FAILED: ${violations.size} distinct violation(s):`);
    for (const { line, count } of violations.values()) {
      console.log(`  ${line}${count > 1 ? `\n      (${count} exchanges like this)` : ""}`);
    }
    return 1;
  }
  console.log("validate-traffic: every exchange conforms to the document");
  return 0;
}

process.exitCode = main(process.argv.slice(2));
