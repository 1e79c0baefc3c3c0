const fs = require('fs');
const validator = require(process.argv[3] || 'gltf-validator');
validator.validateBytes(new Uint8Array(fs.readFileSync(process.argv[2])), {maxIssues: 50})
  .then((r) => { console.log(JSON.stringify({errors: r.issues.numErrors, warnings: r.issues.numWarnings, messages: r.issues.messages.slice(0, 20)})); })
  .catch((e) => { console.error(String(e)); process.exit(2); });
