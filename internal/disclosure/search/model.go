package search

import "math"

// The relevance model is BM25F-style term weighting over four fields with
// quantized impacts (see the README's worked example):
//
//	sat(tf, len) = tf·(k1+1) / (tf + k1·(1 − b + b·len/avgLen))   per field
//	impact(g, d) = validity(d) · Σ_fields weight·sat               per gram
//	band(g, d)   = ⌊log_r(impact / minImpact)⌋, 0 … bands−1
//	score(d)     = Σ_terms idf(t) · bandValue(band(t, d))
//
// Ties are broken by the sort key (newest first): the mild recency
// tie-break. Documents with every term as written (a phrase is matched as
// written) rank above those where a longer Chinese term only occurs as
// separate words (食品 … 经营); among several terms, documents where they
// stand together as typed get a proximity boost.
//
// The average lengths are fixed reference values, not measured ones, so
// that an item's impacts never change when other items come and go: each
// item's bands are computed once, when it is indexed.

// field is one part of an item's text, with its weight and length model.
type field struct {
	weight float64
	avgLen float64
	b      float64
}

// Fields in the order of an entry's text: title ≫ 文号 ≫ summary ≫ body.
var fields = [numFields]field{
	{weight: 8, avgLen: 20, b: 0.75},   // title
	{weight: 5, avgLen: 12, b: 0.5},    // 文号 (number)
	{weight: 2.5, avgLen: 80, b: 0.75}, // summary
	{weight: 1, avgLen: 1000, b: 0.5},  // body and attachments: long laws are not punished as hard as short notices
}

const (
	fieldTitle = iota
	fieldNumber
	fieldSummary
	fieldBody
	numFields
)

const (
	k1         = 1.2
	bands      = 32
	minImpact  = 0.005
	bandRatio  = 1.35 // each band 35 % above the one below: 0.005 … 54
	proxBoost  = 1.25 // several terms found together as typed
	headRerank = 64   // how many of the best are checked for the proximity boost
)

// validityFactor lowers items no longer in force: 有效 above 失效/废止.
func validityFactor(v string) float64 {
	switch v {
	case "expired", "repealed":
		return 0.5
	case "amended":
		return 0.7
	}
	return 1
}

func saturate(tf, length int, f field) float64 {
	if tf == 0 {
		return 0
	}
	t := float64(tf)
	return t * (k1 + 1) / (t + k1*(1-f.b+f.b*float64(length)/f.avgLen))
}

// impact is a gram's weight in an item from its per-field counts.
func impact(tf [numFields]int, lens [numFields]int, validity float64) float64 {
	var sum float64
	for i, f := range fields {
		sum += f.weight * saturate(tf[i], lens[i], f)
	}
	return validity * sum
}

// bandOf quantizes an impact.
func bandOf(x float64) uint8 {
	if x <= minImpact {
		return 0
	}
	b := int(math.Log(x/minImpact) / math.Log(bandRatio))
	return uint8(min(max(b, 0), bands-1))
}

// bandValue is the impact a band stands for (its geometric middle).
func bandValue(b uint8) float64 { return bandValues[b] }

var bandValues = func() (v [bands]float64) {
	for b := range v {
		v[b] = minImpact * math.Pow(bandRatio, float64(b)+0.5)
	}
	return v
}()

// idf is BM25's inverse document frequency of a term found in df of n items.
func idf(df, n int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}
