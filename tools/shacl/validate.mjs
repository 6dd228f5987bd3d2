// Validates RDF files (Turtle .ttl, JSON-LD .jsonld) against SHACL shapes
// with rdf-validate-shacl: node validate.mjs SHAPES.ttl DATA... It prints
// one line per file and every violation, and exits 1 when any file does not
// conform (2 when a file cannot be read or parsed).
import fs from 'node:fs';
import { Parser } from 'n3';
import { JsonLdParser } from 'jsonld-streaming-parser';
import SHACLValidator from 'rdf-validate-shacl';

function parseTurtle(text) {
  return new Parser({ format: 'text/turtle' }).parse(text);
}

function parseJSONLD(text) {
  return new Promise((resolve, reject) => {
    const quads = [];
    const parser = new JsonLdParser({ baseIRI: 'urn:openhall:base' });
    parser.on('data', (q) => quads.push(q));
    parser.on('error', reject);
    parser.on('end', () => resolve(quads));
    parser.write(text);
    parser.end();
  });
}

async function load(file) {
  const text = fs.readFileSync(file, 'utf8');
  return file.endsWith('.jsonld') || file.endsWith('.json') ? parseJSONLD(text) : parseTurtle(text);
}

function show(term) {
  return term ? term.value : '-';
}

async function main() {
  const [shapesFile, ...files] = process.argv.slice(2);
  if (!shapesFile || files.length === 0) {
    console.error('usage: node validate.mjs SHAPES.ttl DATA.ttl|DATA.jsonld ...');
    process.exit(2);
  }
  const validator = new SHACLValidator(await load(shapesFile));
  let failed = false;
  for (const file of files) {
    const quads = await load(file);
    const report = await validator.validate(validator.factory.dataset(quads));
    console.log(`${file}: ${quads.length} triples, ${report.conforms ? 'conforms' : `${report.results.length} violations`}`);
    for (const r of report.results) {
      failed = true;
      const msg = r.message.map((m) => m.value).join('; ');
      console.log(`  ${show(r.sourceShape)} focus=${show(r.focusNode)} path=${show(r.path)}: ${msg}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(2);
});
