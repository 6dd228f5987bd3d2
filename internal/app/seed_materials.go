package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"openhall/internal/blob"
	"openhall/internal/cases"
)

// SeedMaterial is the file a seeded copy carries.
type SeedMaterial struct {
	Name    string
	MIME    string
	Content []byte
}

// SeedWithMaterials is SeedShifted with a material of its own for every
// copy: material(i) is copy i's file, which replaces the template's
// materials. A transaction's files are placed in the local blob store and
// made durable with one sync before the transaction that refers to them,
// so a backup sees a real material behind every case.
func (a *App) SeedWithMaterials(ctx context.Context, template string, n int, shift func(i int) time.Duration,
	material func(i int) SeedMaterial, progress func(done int)) error {
	store, ok := a.Services.Blobs.(*blob.Store)
	if !ok {
		return errors.New("生成带材料的办件需要本地材料目录（不支持对象存储）")
	}
	tpl, hash, err := a.Stores.Cases.FindCaseByNumber(ctx, template)
	if err != nil {
		return err
	}
	if len(tpl.Materials) == 0 {
		return fmt.Errorf("办件 %s 没有材料", template)
	}
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	for done := 0; done < n; {
		size := min(seedBatch, n-done)
		files, err := placeSeedMaterials(ctx, store, done, size, material)
		if err != nil {
			return err
		}
		err = a.Stores.InTx(ctx, func(ctx context.Context) error {
			for i := done; i < done+size; i++ {
				c := shiftedCopy(tpl, i, shift(i))
				m := tpl.Materials[0]
				m.FileName, m.SHA256, m.Size, m.MIME = files[i-done].FileName, files[i-done].SHA256, files[i-done].Size, files[i-done].MIME
				m.Added = m.Added.Add(-shift(i))
				c.Materials = []cases.MaterialFile{m}
				if err := a.Stores.Cases.CreateCase(ctx, c, "seed-"+run+"-"+strconv.Itoa(i), hash, nil); err != nil {
					return fmt.Errorf("seed case %d: %w", i, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		done += size
		if progress != nil {
			progress(done)
		}
	}
	return nil
}

// placeSeedMaterials stores the files of copies from..from+n-1 and syncs
// them once.
func placeSeedMaterials(ctx context.Context, store *blob.Store, from, n int, material func(i int) SeedMaterial) ([]cases.MaterialFile, error) {
	b := store.Batch()
	files := make([]cases.MaterialFile, n)
	for k := range n {
		m := material(from + k)
		sum := sha256.Sum256(m.Content)
		files[k] = cases.MaterialFile{FileName: m.Name, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(m.Content)), MIME: m.MIME}
		if err := b.Place(ctx, files[k].SHA256, bytes.NewReader(m.Content)); err != nil {
			return nil, err
		}
	}
	return files, b.Sync()
}

// ScanMaterial is a small scanned document for bulk loads: two in three a
// PDF, the others a JPEG photograph, each of about size bytes whose body
// is incompressible (as scans are) and unique to seed and i, with the
// header and trailer of its format so that the upload checks accept it.
func ScanMaterial(seed uint64, i, size int) SeedMaterial {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	binary.LittleEndian.PutUint64(key[8:], uint64(i))
	body := make([]byte, max(size-64, 16))
	rand.NewChaCha8(key).Read(body)
	var buf bytes.Buffer
	if i%3 == 2 {
		buf.Write([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0})
		buf.Write(body)
		buf.Write([]byte{0xFF, 0xD9})
		return SeedMaterial{Name: "现场照片.jpg", MIME: "image/jpeg", Content: buf.Bytes()}
	}
	fmt.Fprintf(&buf, "%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length %d >>\nstream\n", len(body))
	buf.Write(body)
	buf.WriteString("\nendstream\nendobj\n%%EOF\n")
	return SeedMaterial{Name: "监督检验证书.pdf", MIME: "application/pdf", Content: buf.Bytes()}
}
