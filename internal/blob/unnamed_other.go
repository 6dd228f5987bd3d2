//go:build !linux

package blob

import "os"

// openUnnamed: only Linux opens files without a name; uploads use named
// temporary files elsewhere.
func openUnnamed(string) (*os.File, bool) { return nil, false }

func unnamedWorks(string) bool { return false }

func linkUnnamed(*os.File, string) error { return os.ErrInvalid }
