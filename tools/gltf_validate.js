// Khronos glTF validator on one file: prints its JSON report (npm gltf-validator, run by tests).
const fs = require("fs");
const path = require("path");
const validator = require("gltf-validator");
const file = process.argv[2];
validator.validateBytes(new Uint8Array(fs.readFileSync(file)), {
  uri: path.basename(file),
  maxIssues: 200,
}).then((report) => {
  console.log(JSON.stringify(report));
}).catch((err) => {
  console.error(String(err));
  process.exit(1);
});
