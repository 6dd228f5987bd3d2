// Package pii validates, normalises and masks the personal data OpenHall
// handles most: 居民身份证号码 (GB 11643-1999), 统一社会信用代码
// (GB 32100-2015) and mainland mobile numbers, and keeps them out of logs.
//
// Check* functions normalise their input first (see the Normalize*
// functions) and return nil or an *apperr.Error with Code apperr.Invalid
// whose Message says precisely what is wrong, in Chinese, safe to show to the
// person who typed the number.
//
// Mask* functions are for display; Redact and NewRedactingHandler are for
// logs. Redact works on ASCII bytes only and never changes the length of its
// input: it only replaces digits and letters by '*'.
package pii
