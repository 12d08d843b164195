// The deployment files are valid for the tools that run them: docker/compose.yaml against the
// Compose specification's schema (dclint, also its lint rules), deploy/kubernetes/api.yaml against
// the Kubernetes API's schemas. Each check is also shown to reject a broken copy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Service } from "kubernetes-models/v1/Service";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dclint = join(root, "deploy/validate/node_modules/.bin/dclint");
// Services that build an image also name it, so the TaskManagers run the JobManager's image.
const lint = (file) =>
  spawnSync(dclint, [file, "--disable-rule", "no-build-and-image", "--color", "false"], { encoding: "utf8" });

test("compose.yaml is a valid Compose file", () => {
  const result = lint(join(root, "docker/compose.yaml"));
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test("a Compose file with an unknown key is rejected", () => {
  const broken = readFileSync(join(root, "docker/compose.yaml"), "utf8").replace("    image: redis:", "    imagez: redis:");
  const file = join(mkdtempSync(join(tmpdir(), "skv")), "compose.yaml");
  writeFileSync(file, broken);
  const result = lint(file);
  assert.notEqual(result.status, 0);
  assert.match(result.stdout, /invalid-schema/);
});

const kinds = { Deployment, Service };
const apiManifests = () =>
  parseAllDocuments(readFileSync(join(root, "deploy/kubernetes/api.yaml"), "utf8")).map((d) => d.toJS());

test("the API's Kubernetes manifests are valid objects", () => {
  const docs = apiManifests();
  assert.deepEqual(docs.map((d) => d.kind), ["Deployment", "Service"]);
  for (const doc of docs) new kinds[doc.kind](doc).validate();
});

test("a Deployment with a malformed field is rejected", () => {
  const [deployment] = apiManifests();
  deployment.spec.replicas = "two";
  assert.throws(() => new Deployment(deployment).validate(), /replicas must be integer/);
});
