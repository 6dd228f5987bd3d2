package certs

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/emmansun/gmsm/sm4"
)

// KEKSize is the size of the key-encryption key: an SM4 key.
const KEKSize = 16

// sealVersion prefixes every sealed private key, so that a later scheme can
// be told apart from this one.
const sealVersion = 1

// ErrWrongKEK means a sealed private key does not open under the configured
// key-encryption key: the KEK is not the one the key was sealed with (or the
// sealed bytes were altered).
var ErrWrongKEK = errors.New("签名私钥无法用当前配置的密钥加密密钥（--cert-kek）解密：该密钥不是加密时所用的密钥，或密文已被篡改；请配置原来的密钥加密密钥")

// Sealer encrypts private keys with SM4 in GCM mode under the KEK. GCM was
// chosen over CBC+HMAC because it authenticates in one pass with one key and
// has no padding to get wrong. A sealed key is
//
//	version (1 byte, = 1) || nonce (12 random bytes) || ciphertext || tag (16 bytes)
//
// and the key's public half (PKIX DER) is the additional authenticated data,
// so a sealed private key moved to another key's row does not open.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer returns a Sealer for a 16-byte KEK.
func NewSealer(kek []byte) (*Sealer, error) {
	if len(kek) != KEKSize {
		return nil, fmt.Errorf("密钥加密密钥应为 %d 字节，实为 %d 字节", KEKSize, len(kek))
	}
	block, err := sm4.NewCipher(kek)
	if err != nil {
		return nil, fmt.Errorf("create SM4 cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("create SM4-GCM: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain, binding it to aad.
func (s *Sealer) Seal(plain, aad []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	out := append([]byte{sealVersion}, nonce...)
	return s.aead.Seal(out, nonce, plain, aad)
}

// Open decrypts sealed; it returns ErrWrongKEK when authentication fails.
func (s *Sealer) Open(sealed, aad []byte) ([]byte, error) {
	ns := s.aead.NonceSize()
	if len(sealed) < 1+ns+s.aead.Overhead() || sealed[0] != sealVersion {
		return nil, fmt.Errorf("sealed private key has an unknown format: %w", ErrWrongKEK)
	}
	plain, err := s.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], aad)
	if err != nil {
		return nil, ErrWrongKEK
	}
	return plain, nil
}

// ParseKEK reads a KEK written as 32 hexadecimal digits.
func ParseKEK(s string) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != KEKSize {
		return nil, fmt.Errorf("密钥加密密钥应为 %d 位十六进制数字（%d 字节）", 2*KEKSize, KEKSize)
	}
	return b, nil
}

// LoadOrCreateKEKFile reads the KEK kept in path, creating the file with a
// random KEK (mode 0600) when it does not exist. It reports whether it
// created the file. This is for development and demonstrations only:
// production configures the KEK (--cert-kek) and keeps it away from the
// data it protects.
func LoadOrCreateKEKFile(path string) ([]byte, bool, error) {
	if b, err := os.ReadFile(path); err == nil {
		kek, err := ParseKEK(string(b))
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return kek, false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("read %s: %w", path, err)
	}
	kek := make([]byte, KEKSize)
	rand.Read(kek)
	if err := createExclusive(path, hex.EncodeToString(kek)+"\n"); errors.Is(err, fs.ErrExist) {
		return LoadOrCreateKEKFile(path) // another process created it first
	} else if err != nil {
		return nil, false, err
	}
	return kek, true, nil
}

// createExclusive writes content to path unless path exists. The content is
// written and synced under a temporary name and then linked into place, so
// a concurrent reader never sees a half-written file.
func createExclusive(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kek-*")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.WriteString(content)
	if err := errors.Join(werr, tmp.Sync(), tmp.Close()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Link(tmp.Name(), path)
}
