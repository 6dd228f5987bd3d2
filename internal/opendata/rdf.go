package opendata

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// A small RDF graph, enough for the DCAT-AP export: IRIs, blank nodes and
// literals with a language or a datatype, written as Turtle or as JSON-LD
// (a flattened @graph with an inline @context, so that no remote context
// has to be fetched). Both serialisations come from the same triples.

// Term is an RDF term: an IRI, a blank node ("_:" prefix) or a literal.
type rdfTerm struct {
	iri      string // IRI or blank node label
	literal  bool
	value    string
	lang     string
	datatype string // full IRI
}

func iri(s string) rdfTerm   { return rdfTerm{iri: s} }
func blank(s string) rdfTerm { return rdfTerm{iri: "_:" + s} }
func lit(v string) rdfTerm   { return rdfTerm{literal: true, value: v} }
func langLit(v, lang string) rdfTerm {
	return rdfTerm{literal: true, value: v, lang: lang}
}
func typed(v, dt string) rdfTerm { return rdfTerm{literal: true, value: v, datatype: dt} }

func (t rdfTerm) isBlank() bool { return strings.HasPrefix(t.iri, "_:") }

type triple struct {
	s, p string // subject (IRI or _:label), predicate IRI
	o    rdfTerm
}

// graph keeps triples grouped by subject in insertion order.
type graph struct {
	subjects []string
	bySubj   map[string][]triple
}

func newGraph() *graph { return &graph{bySubj: map[string][]triple{}} }

func (g *graph) add(s string, p string, o rdfTerm) {
	if _, ok := g.bySubj[s]; !ok {
		g.subjects = append(g.subjects, s)
	}
	g.bySubj[s] = append(g.bySubj[s], triple{s, p, o})
}

// Namespaces used by the export, with their prefixes.
var namespaces = [][2]string{
	{"dcat", "http://www.w3.org/ns/dcat#"},
	{"dct", "http://purl.org/dc/terms/"},
	{"foaf", "http://xmlns.com/foaf/0.1/"},
	{"vcard", "http://www.w3.org/2006/vcard/ns#"},
	{"skos", "http://www.w3.org/2004/02/skos/core#"},
	{"spdx", "http://spdx.org/rdf/terms#"},
	{"xsd", "http://www.w3.org/2001/XMLSchema#"},
	{"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
	{"adms", "http://www.w3.org/ns/adms#"},
}

const rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

// ns expands a prefixed name ("dct:title") to its IRI.
func ns(qname string) string {
	p, local, _ := strings.Cut(qname, ":")
	for _, n := range namespaces {
		if n[0] == p {
			return n[1] + local
		}
	}
	panic("unknown prefix " + p)
}

// compact writes an IRI as a prefixed name when one fits, "" otherwise.
func compact(s string) string {
	for _, n := range namespaces {
		if local, ok := strings.CutPrefix(s, n[1]); ok && safeLocal(local) {
			return n[0] + ":" + local
		}
	}
	return ""
}

func safeLocal(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return s[0] != '-'
}

// WriteTurtle writes the graph as Turtle.
func (g *graph) WriteTurtle(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, n := range namespaces {
		fmt.Fprintf(bw, "@prefix %s: <%s> .\n", n[0], n[1])
	}
	for _, s := range g.subjects {
		bw.WriteString("\n")
		bw.WriteString(turtleNode(s))
		for i, t := range g.bySubj[s] {
			sep := " ;\n    "
			if i == 0 {
				sep = "\n    "
			}
			pred := turtleNode(t.p)
			if t.p == rdfType {
				pred = "a"
			}
			fmt.Fprintf(bw, "%s%s %s", sep, pred, turtleTerm(t.o))
		}
		bw.WriteString(" .\n")
	}
	return bw.Flush()
}

func turtleNode(s string) string {
	if strings.HasPrefix(s, "_:") {
		return s
	}
	if c := compact(s); c != "" {
		return c
	}
	return "<" + escapeIRI(s) + ">"
}

func turtleTerm(t rdfTerm) string {
	if !t.literal {
		return turtleNode(t.iri)
	}
	s := `"` + escapeString(t.value) + `"`
	switch {
	case t.lang != "":
		return s + "@" + t.lang
	case t.datatype != "":
		return s + "^^" + turtleNode(t.datatype)
	}
	return s
}

func escapeString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
	return r.Replace(s)
}

// escapeIRI percent-encodes what an IRIREF may not contain.
func escapeIRI(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r <= 0x20 || strings.ContainsRune("<>\"{}|^`\\", r) {
			for _, c := range []byte(string(r)) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// WriteJSONLD writes the graph as JSON-LD: an inline @context with the
// prefixes and a flattened @graph, one node object per subject.
func (g *graph) WriteJSONLD(w io.Writer) error {
	ctx := map[string]string{}
	for _, n := range namespaces {
		ctx[n[0]] = n[1]
	}
	nodes := make([]map[string]any, 0, len(g.subjects))
	for _, s := range g.subjects {
		nodes = append(nodes, jsonldNode(s, g.bySubj[s]))
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(map[string]any{"@context": ctx, "@graph": nodes})
}

func jsonldNode(s string, ts []triple) map[string]any {
	node := map[string]any{"@id": jsonldIRI(s)}
	var types []string
	props := map[string][]any{}
	var order []string
	for _, t := range ts {
		if t.p == rdfType {
			types = append(types, jsonldIRI(t.o.iri))
			continue
		}
		k := jsonldIRI(t.p)
		if _, ok := props[k]; !ok {
			order = append(order, k)
		}
		props[k] = append(props[k], jsonldValue(t.o))
	}
	if len(types) > 0 {
		node["@type"] = types
	}
	sort.Strings(order)
	for _, k := range order {
		node[k] = props[k]
	}
	return node
}

func jsonldIRI(s string) string {
	if c := compact(s); c != "" && !strings.HasPrefix(s, "_:") {
		return c
	}
	return s
}

func jsonldValue(t rdfTerm) any {
	if !t.literal {
		return map[string]string{"@id": jsonldIRI(t.iri)}
	}
	v := map[string]string{"@value": t.value}
	if t.lang != "" {
		v["@language"] = t.lang
	}
	if t.datatype != "" {
		v["@type"] = jsonldIRI(t.datatype)
	}
	return v
}
