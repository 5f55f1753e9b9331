// ajv, the validator of scripts/schema-check that editors' YAML support is built on:
//   node scripts/schema_check.cjs NODE_MODULES SCHEMA < "CASE<TAB>FILE" lines
// Compiles the schema with ajv's draft 2020-12 class in strict mode (every pattern
// becomes an ECMA-262 RegExp with the `u` flag; an unknown keyword or format, or a
// keyword without the type it applies to, is an error), reads each spec with `yaml`
// (YAML 1.2, yaml-language-server's reader) or JSON.parse, and prints
// "CASE<TAB>accepted" or "CASE<TAB>rejected<TAB>first error". A schema that does not
// compile is an error (exit 2).
'use strict';

const fs = require('fs');
const path = require('path');

const [modules, schemaPath] = process.argv.slice(2);
if (!modules || !schemaPath) {
  console.error('usage: node schema_check.cjs NODE_MODULES SCHEMA < cases');
  process.exit(2);
}
const Ajv2020 = require(path.resolve(modules, 'ajv/dist/2020')).default;
const YAML = require(path.resolve(modules, 'yaml'));

const oneLine = (s) => String(s).split(/\s+/).join(' ').trim().slice(0, 300);

let validate;
try {
  const ajv = new Ajv2020({ strict: true, allErrors: false });
  validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
} catch (e) {
  console.error(`${schemaPath}: ajv (strict, draft 2020-12) cannot compile it: ${oneLine(e.message)}`);
  process.exit(2);
}

const lines = fs.readFileSync(0, 'utf8').split('\n').filter((l) => l.length > 0);
for (const line of lines) {
  const tab = line.indexOf('\t');
  const [name, file] = [line.slice(0, tab), line.slice(tab + 1)];
  let data;
  try {
    const text = fs.readFileSync(file, 'utf8');
    data = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    console.log(`${name}\trejected\tnot data: ${oneLine(e.message)}`);
    continue;
  }
  if (validate(data)) {
    console.log(`${name}\taccepted`);
  } else {
    const e = validate.errors[0];
    console.log(`${name}\trejected\t${e.instancePath || '/'}: ${oneLine(e.message)}`);
  }
}
