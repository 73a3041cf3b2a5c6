#!/usr/bin/env node
// Proves the contract gate can fail: runs validate-traffic.mjs on the fixtures in fixtures/ (a
// small API and two traffic files) and asserts that the good traffic passes, that the bad traffic
// fails with exactly the violations listed below, and that empty traffic fails too.
// Exits 0 when the validator behaves, 1 (naming each broken expectation) otherwise.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const validator = here("./validate-traffic.mjs");
const spec = here("./fixtures/openapi.yaml");

// Every line of fixtures/bad.jsonl and the violation it must produce, as the report begins it.
const expectedViolations = [
  "[undocumented-status] POST /api/things -> 413",
  "[schema] GET /api/things -> 200",
  "[undocumented-path] GET /api/secret -> 200",
  "[content-type] GET /api/things?as=html -> 200",
  "[missing-header] GET /api/things?again=1 -> 429",
  "[allow-header] PUT /api/things -> 405",
  "[unexpected-body] DELETE /api/things/7 -> 204",
  "[body-not-json] GET /api/things?broken=1 -> 200",
  "[undocumented-method] DELETE /api/things -> 200",
  "[schema] GET /api/things?when=1 -> 200",
  "[schema] GET /api/nowhere -> 404",
  "[missing-header] GET /api/go -> 302",
  "[bad-record] ",
];

const failures = [];
const expect = (ok, what) => {
  if (!ok) failures.push(what);
};

function validate(...files) {
  const run = spawnSync(process.execPath, [validator, "--spec", spec, ...files], {
    encoding: "utf8",
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

const good = validate(here("./fixtures/good.jsonl"));
expect(good.status === 0, `good traffic must pass (exit ${good.status}):\n${good.out}`);
for (const rule of ["CORS preflight -> 204: 1", "undocumented path -> 404: 2", "undocumented method -> 405: 1"]) {
  expect(good.out.includes(`rule: ${rule} `), `good traffic must use the global rule "${rule}"`);
}

const bad = validate(here("./fixtures/bad.jsonl"));
expect(bad.status === 1, `bad traffic must fail with exit 1 (exit ${bad.status})`);
const reported = bad.out.split("\n").filter((line) => /^ {2}\[[a-z-]+\] /.test(line));
for (const violation of expectedViolations) {
  expect(
    reported.some((line) => line.startsWith(`  ${violation}`)),
    `bad traffic must report: ${violation}`,
  );
}
expect(
  reported.length === expectedViolations.length,
  `bad traffic must report ${expectedViolations.length} violations, got ${reported.length}:\n${reported.join("\n")}`,
);

const scratch = mkdtempSync(join(tmpdir(), "contract-selftest-"));
try {
  const empty = join(scratch, "empty.jsonl");
  writeFileSync(empty, "");
  expect(validate(empty).status === 1, "traffic without any exchange must fail");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
expect(validate().status === 2, "no traffic file is a usage error (exit 2)");

if (failures.length > 0) {
  console.error(`contract selftest: FAILED:\n  ${failures.join("\n  ")}`);
  process.exitCode = 1;
} else {
  console.log(
    `contract selftest: the validator passes good traffic and reports all ${expectedViolations.length} planted violations`,
  );
}
