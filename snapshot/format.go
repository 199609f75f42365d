package snapshot

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/datarights/datarights/store"
)

// Format is the snapshot format this package writes and reads.
const Format uint32 = 1

// ChunkSize is the size of every chunk but the last.
const ChunkSize = 4 << 20

const magic = "datarights-snapshot\x01"

// Record types of format 1.
const (
	recEnd  byte = 0x00
	recNode byte = 0x01
)

// maxField bounds a key or value in a snapshot (the store's own limits
// are far lower); a longer one is corruption, not a reason to allocate.
const maxField = 64 << 20

// encoder writes format 1's records.
type encoder struct {
	w   *bufio.Writer
	buf []byte
}

func newEncoder(w io.Writer) (*encoder, error) {
	e := &encoder{w: bufio.NewWriterSize(w, 1<<16)}
	_, err := e.w.WriteString(magic)
	return e, err
}

func (e *encoder) node(n *store.ExportNode) error {
	b := append(e.buf[:0], recNode, byte(n.Height))
	b = binary.AppendUvarint(b, uint64(n.Version))
	b = binary.AppendUvarint(b, uint64(len(n.Key)))
	b = append(b, n.Key...)
	if n.Value == nil {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = binary.AppendUvarint(b, uint64(len(n.Value)))
		b = append(b, n.Value...)
	}
	e.buf = b
	_, err := e.w.Write(b)
	return err
}

func (e *encoder) close() error {
	if err := e.w.WriteByte(recEnd); err != nil {
		return err
	}
	return e.w.Flush()
}

// decoder reads format 1's records.
type decoder struct{ r *bufio.Reader }

func newDecoder(r io.Reader) (*decoder, error) {
	d := &decoder{r: bufio.NewReaderSize(r, 1<<16)}
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(d.r, head); err != nil || string(head) != magic {
		return nil, fmt.Errorf("not a format %d datarights snapshot", Format)
	}
	return d, nil
}

// next returns the next tree node, or nil at the end record.
func (d *decoder) next() (*store.ExportNode, error) {
	t, err := d.r.ReadByte()
	if err != nil {
		return nil, unexpected(err)
	}
	switch t {
	case recEnd:
		if _, err := d.r.ReadByte(); err != io.EOF {
			return nil, errors.New("snapshot: data after the end record")
		}
		return nil, nil
	case recNode:
	default:
		return nil, fmt.Errorf("snapshot: unknown record type %#x", t)
	}
	h, err := d.r.ReadByte()
	if err != nil {
		return nil, unexpected(err)
	}
	v, err := binary.ReadUvarint(d.r)
	if err != nil {
		return nil, unexpected(err)
	}
	n := &store.ExportNode{Height: int8(h), Version: int64(v)}
	if n.Key, err = d.field(); err != nil {
		return nil, err
	}
	has, err := d.r.ReadByte()
	if err != nil {
		return nil, unexpected(err)
	}
	switch has {
	case 0:
	case 1:
		if n.Value, err = d.field(); err != nil {
			return nil, err
		}
		if n.Value == nil {
			n.Value = []byte{}
		}
	default:
		return nil, fmt.Errorf("snapshot: bad value flag %#x", has)
	}
	return n, nil
}

func (d *decoder) field() ([]byte, error) {
	l, err := binary.ReadUvarint(d.r)
	if err != nil {
		return nil, unexpected(err)
	}
	if l > maxField {
		return nil, fmt.Errorf("snapshot: field of %d bytes", l)
	}
	b := make([]byte, l)
	if _, err := io.ReadFull(d.r, b); err != nil {
		return nil, unexpected(err)
	}
	return b, nil
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("snapshot: truncated")
	}
	return err
}
