// Reads the traffic files that tests/support/traffic_recorder.cpp writes: one JSON object per
// line with method, url (path and query), request_headers, request_body, status,
// response_headers and response_body. Header names come back lower-case.
import { readFileSync } from "node:fs";

function lowerKeys(object) {
  return Object.fromEntries(Object.entries(object ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Reads traffic files: the exchanges, and the lines that are none (with what is wrong). */
export function readTraffic(files) {
  const exchanges = [];
  const broken = [];
  for (const file of files) {
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((line, index) => {
      if (line.trim() === "") return;
      const where = `${file}:${index + 1}`;
      try {
        const ex = JSON.parse(line);
        const shaped =
          typeof ex.method === "string" &&
          typeof ex.url === "string" &&
          ex.url.startsWith("/") &&
          Number.isInteger(ex.status) &&
          typeof ex.response_body === "string";
        if (!shaped) throw new Error("needs method, url (from /), status and response_body");
        ex.method = ex.method.toUpperCase();
        ex.request_headers = lowerKeys(ex.request_headers);
        ex.response_headers = lowerKeys(ex.response_headers);
        exchanges.push({ where, ex });
      } catch (error) {
        broken.push({ where, message: error.message });
      }
    });
  }
  return { exchanges, broken };
}

